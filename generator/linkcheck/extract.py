"""Reading built files: every reference a page makes and every anchor it offers.

HTML is parsed with beautifulsoup4 over lxml. bs4 hands every start tag, with its attributes, to
the `parse_only` filter before deciding whether to build it; the filter here reads the references
and ids right there and lets bs4 build nothing. Building elements (and the strings inside links)
only to read their attributes back cost two fifths of a cold check; the filter sees every element
in document order, nested or not, so what is read is the same. Stylesheets are read for `url()`
and `@import`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import AttributeDict
from bs4.filter import ElementFilter

from generator.linkcheck.srcset import srcset_urls

# element → the attributes holding a URL ("srcset" holds several)
REFERENCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "link": ("href",), "script": ("src",), "iframe": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "embed": ("src",), "base": ("href",), "meta": (),
}
# <link rel=…> values that name a host to warm up, not a resource to fetch
HINT_RELS = {"preconnect", "dns-prefetch"}
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)|@import\s+(["'])(.*?)\3""", re.S)
REFRESH_URL = re.compile(r"^\s*\d*\.?\d*\s*[;,]\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I | re.S)


@dataclass(frozen=True)
class PageLinks:
    """What one built file refers to and which fragments it can be linked to."""

    references: tuple[tuple[str, str], ...]  # (kind such as "img[srcset]", URL as written), first use only
    anchors: frozenset[str]  # every id and a[name]
    base: str | None = None  # <base href>, which relative references resolve against


class _Collector(ElementFilter):
    """Reads the references and anchors of every start tag bs4 passes; asks bs4 to build none of them."""

    def __init__(self) -> None:
        self.anchors: set[str] = set()
        self.references: dict[tuple[str, str], None] = {}  # first use only, in document order
        self.base: str | None = None
        self.main_at: int | None = None  # how many references came before the first <main>

    def allow_tag_creation(self, nsprefix, name, attrs) -> bool:
        if name == "main" and self.main_at is None:
            self.main_at = len(self.references)
        if not attrs:
            return False
        if attrs.get("id"):
            self.anchors.add(attrs["id"])
        if name in REFERENCE_ATTRIBUTES:
            if name == "a" and attrs.get("name"):
                self.anchors.add(attrs["name"])
            for reference in tag_references(name, attrs):
                self.references.setdefault(reference, None)
                if self.base is None and reference[0] == "base[href]":
                    self.base = reference[1]
        return False

    def allow_string_creation(self, string) -> bool:
        return False


def extract_html(data: bytes) -> PageLinks:
    return extract_html_part(data)[0]


def extract_html_part(data: bytes) -> tuple[PageLinks, int]:
    """The links of HTML (a page or a part of one) and how many of its references come before its first <main>."""
    collector = _Collector()
    # The build writes UTF-8; saying so spares bs4 its encoding detection (a fifth of the parse time).
    # multi_valued_attributes=None: class and rel stay strings, as the filter receives them anyway.
    # attribute_dict_class=AttributeDict, a plain dict: lxml gives every HTML attribute value as a string
    # already, so the default's per-attribute conversion (a seventh of the parse) would change nothing.
    BeautifulSoup(data, "lxml", parse_only=collector, from_encoding="utf-8", multi_valued_attributes=None,
                  attribute_dict_class=AttributeDict)
    references = tuple(collector.references)
    main_at = len(references) if collector.main_at is None else collector.main_at
    return PageLinks(references, frozenset(collector.anchors), collector.base), main_at


def tag_references(name: str, attrs) -> list[tuple[str, str]]:
    """(kind, URL as written) of one element, given its name and attributes."""
    if name == "meta":
        refresh = attrs.get("http-equiv", "").lower() == "refresh"
        match = REFRESH_URL.match(attrs.get("content", "")) if refresh else None
        return [("meta[refresh]", match.group(2).strip())] if match and match.group(2).strip() else []
    if name == "link" and HINT_RELS.intersection((attrs.get("rel") or "").lower().split()):
        return []
    found = []
    for attribute, kind in _KINDS.get(name, ()):
        value = attrs.get(attribute)
        if value is None:
            continue
        if attribute == "srcset":
            found += [(kind, url) for url in srcset_urls(value)]
        elif value.strip():
            found.append((kind, value.strip()))
    return found


# one string object per kind: results crossing from the worker processes pickle it once
_KINDS = {name: tuple((a, f"{name}[{a}]") for a in attributes) for name, attributes in REFERENCE_ATTRIBUTES.items()}


def extract_css(text: str) -> PageLinks:
    references: dict[tuple[str, str], None] = {}
    for match in CSS_URL.finditer(CSS_COMMENT.sub("", text)):
        url = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        if url and not url.startswith("data:"):
            references.setdefault(("css[url]", url), None)
    return PageLinks(tuple(references), frozenset())
