"""Reading built files: every reference a page makes and every anchor it offers.

HTML is parsed with beautifulsoup4 over lxml. The strainer lets bs4 build only the elements
that carry references; as the parser passes every other element it still sees the attributes,
which is where the ids are collected, so a page's long main text is never built into a tree
(this halves the parse time of a large site). Stylesheets are read for `url()` and `@import`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.filter import ElementFilter

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
SRCSET_ITEM = re.compile(r"[\s,]*(\S*)")


@dataclass(frozen=True)
class PageLinks:
    """What one built file refers to and which fragments it can be linked to."""

    references: tuple[tuple[str, str], ...]  # (kind such as "img[srcset]", URL as written), first use only
    anchors: frozenset[str]  # every id and a[name]
    base: str | None = None  # <base href>, which relative references resolve against


class _Strainer(ElementFilter):
    """Creates reference elements only; records the ids of all the others on the way."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def allow_tag_creation(self, nsprefix, name, attrs) -> bool:
        if attrs and "id" in attrs:
            self.ids.add(attrs["id"])
        return name in REFERENCE_ATTRIBUTES

    def allow_string_creation(self, string) -> bool:
        return False


def extract_html(data: bytes) -> PageLinks:
    strainer = _Strainer()
    # The build writes UTF-8; saying so spares bs4 its encoding detection (a fifth of the parse time).
    # multi_valued_attributes=None: class and rel stay strings; splitting them on every tag costs a
    # twentieth of the parse, and only rel is read here (split below).
    soup = BeautifulSoup(data, "lxml", parse_only=strainer, from_encoding="utf-8", multi_valued_attributes=None)
    anchors = set(strainer.ids)
    references: dict[tuple[str, str], None] = {}
    base = None
    for tag in soup.find_all(True):
        if tag.get("id"):
            anchors.add(tag["id"])  # ids inside created elements never reached the strainer
        if tag.name == "a" and tag.get("name"):
            anchors.add(tag["name"])
        for kind, url in _tag_references(tag):
            references.setdefault((kind, url), None)
            if kind == "base[href]" and base is None:
                base = url
    return PageLinks(tuple(references), frozenset(anchors), base)


def _tag_references(tag) -> list[tuple[str, str]]:
    name = tag.name
    if name == "meta":
        match = REFRESH_URL.match(tag.get("content", "")) if tag.get("http-equiv", "").lower() == "refresh" else None
        return [("meta[refresh]", match.group(2).strip())] if match and match.group(2).strip() else []
    if name == "link" and HINT_RELS.intersection((tag.get("rel") or "").lower().split()):
        return []
    found = []
    for attribute in REFERENCE_ATTRIBUTES.get(name, ()):
        value = tag.get(attribute)
        if value is None:
            continue
        kind = f"{name}[{attribute}]"
        if attribute == "srcset":
            found += [(kind, url) for url in srcset_urls(value)]
        elif value.strip():
            found.append((kind, value.strip()))
    return found


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, following the HTML spec: a URL ends at whitespace; a trailing comma ends a candidate."""
    urls, position = [], 0
    while position < len(value):
        match = SRCSET_ITEM.match(value, position)
        url, position = match.group(1), match.end()
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors ("2x", "480w") up to the next comma
            comma = value.find(",", position)
            position = len(value) if comma < 0 else comma + 1
        if url:
            urls.append(url)
    return urls


def extract_css(text: str) -> PageLinks:
    references: dict[tuple[str, str], None] = {}
    for match in CSS_URL.finditer(CSS_COMMENT.sub("", text)):
        url = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        if url and not url.startswith("data:"):
            references.setdefault(("css[url]", url), None)
    return PageLinks(tuple(references), frozenset())
