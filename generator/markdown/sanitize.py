"""Keep pasted HTML safe: an article's body may only hold tags and attributes from a safe list.

Authors paste from anywhere, and a government site must never carry a script pasted by accident.
The cleaning itself is done by ammonia (through `nh3`), a well-kept sanitiser; this module owns the
policy and, using BeautifulSoup, tells the author what was removed and on which line of the file,
as warnings (errors with `awareness build --strict`).
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import nh3

from generator.problems import Problem

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "mark", "small", "sub", "sup", "code", "pre", "kbd", "samp", "var", "blockquote", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot",
    "tr", "th", "td", "figure", "figcaption", "abbr", "a", "img", "span", "div", "details", "summary", "time",
    "picture", "source",  # the responsive images markdown_render makes of ![…](photo.jpg)
})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})  # their text is code, never prose to keep
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES = {
    "a": {"href", "rel"}, "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "source": {"srcset", "sizes", "type", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "style"}, "td": {"colspan", "rowspan", "style"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "type", "reversed"}, "li": {"value"},
    "time": {"datetime"}, "details": {"open"}, "q": {"cite"}, "blockquote": {"cite"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "loading"},
    # markdown_render.scrollable_tables wraps wide tables in a named, focusable region (WCAG 2.1.1)
    "div": {"role", "aria-label", "tabindex"},
}
STYLE_PROPERTIES = frozenset({"text-align"})  # Markdown tables align their columns with it
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_DATA = "data:image/"  # inline images are harmless; data: anywhere else can carry a page
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore these inside a scheme ("java\tscript:")

# Part of the cache key: a body cleaned under an older policy must be cleaned again.
POLICY_ID = hashlib.sha256(repr((sorted(TAGS), sorted((k, sorted(v)) for k, v in ATTRIBUTES.items()),
                                 sorted(GENERIC_ATTRIBUTES), sorted(SCHEMES))).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser takes out, and the text to look for in the Markdown to find its line."""

    message: str
    hint: str
    needle: re.Pattern
    out_of_tree: bool = False  # taken out of the parsed tree here, since ammonia could only empty it


def clean(markup: str, body: str, first_line: int, source: PurePosixPath, iframe_hosts: tuple[str, ...] = (),
          written_urls: list[tuple[str, str, str]] | None = None) -> tuple[str, tuple[Problem, ...]]:
    """The safe HTML, and a warning (file, line, what, how to fix) for each thing removed.

    written_urls: when Markdown made every tag of the markup (no raw HTML), the (tag, attribute,
    URL) it wrote. Markdown makes only allowed tags and attributes, so when these URLs are allowed
    too nothing will be removed, and parsing the markup to say what was removed is skipped.
    """
    hosts = frozenset(h.lower() for h in iframe_hosts)
    removals: list[Removal] = []
    checked = written_urls is not None and all(_url_allowed(tag, name, url, hosts) for tag, name, url in written_urls)
    if not checked:
        soup = parse(markup)
        removals = list(_removals(soup, hosts))
        if any(r.out_of_tree for r in removals):
            markup = str(soup)  # refused iframes were taken out of the tree, not only emptied
    # When every URL is checked already (Markdown wrote them all, and all are allowed), the filter
    # would keep each one: calling back into Python for every attribute was a fifth of the cleaning.
    safe = _cleaner(tuple(sorted(hosts)), filtered=not checked).clean(markup)
    return safe, tuple(_locate(removals, body, first_line, source))


@functools.lru_cache(maxsize=16)
def _cleaner(iframe_hosts: tuple[str, ...], filtered: bool) -> nh3.Cleaner:
    """ammonia configured with the policy, made once per process and set of iframe hosts: made
    for each body, its sets and maps were converted again every time (over a quarter of the cleaning)."""
    return nh3.Cleaner(
        tags=set(TAGS) | ({"iframe"} if iframe_hosts else set()), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{k: set(v) for k, v in ATTRIBUTES.items()}},
        url_schemes=set(SCHEMES) | {"data"}, attribute_filter=_url_filter(iframe_hosts) if filtered else None,
        link_rel=None, filter_style_properties=set(STYLE_PROPERTIES), strip_comments=True,
    )


def parse(markup: str) -> BeautifulSoup:
    """The markup as a tree, to find what the policy removes and where."""
    from bs4 import BeautifulSoup  # here: its import is a fifth of a rebuild's start-up, and most bodies never parse

    return BeautifulSoup(parsable(markup), "html.parser")


def parsable(markup: str) -> str:
    """The markup as Python's HTML parser can read it to the end.

    The parser gives up on "<![" that starts no CDATA ("<![ảnh](…)": an image typed after a "<"),
    which failed the whole build. Browsers and ammonia read that as a bogus comment up to the next
    ">", as the parser reads "<!": so that is what it is given.
    """
    return _MARKED_SECTION.sub("<!", markup) if "<![" in markup else markup


_MARKED_SECTION = re.compile(r"<!\[+(?!CDATA\[)")


def _removals(soup: BeautifulSoup, hosts: frozenset[str]):
    for element in soup.find_all(True):
        if element.decomposed:
            continue
        name = element.name.lower()
        if name == "iframe":
            src = element.get("src", "")
            if _host(src) not in hosts:
                element.decompose()
                yield Removal(f"đã bỏ khung nhúng <iframe> từ {_host(src) or 'địa chỉ không rõ'}",
                              "chỉ nhúng từ các máy chủ khai báo ở allowed_iframe_hosts trong content/_data/site.yaml",
                              _tag_pattern(name), out_of_tree=True)
                continue
        elif name not in TAGS:
            kept = "" if name in DROPPED_WITH_CONTENT else " (giữ lại chữ bên trong)"
            yield Removal(f"đã bỏ thẻ <{name}>{kept}: không được phép trong bài viết",
                          _tag_hint(name), _tag_pattern(name))
            continue  # its attributes go with it: one warning is enough
        yield from _attribute_removals(element, name, hosts)


def _attribute_removals(element: Tag, name: str, hosts: frozenset[str]):
    allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(name, set())
    for attribute, value in element.attrs.items():
        value = " ".join(value) if isinstance(value, list) else value
        attribute = attribute.lower()
        if attribute not in allowed:
            kind = "thuộc tính sự kiện" if attribute.startswith("on") else "thuộc tính"
            yield Removal(f"đã bỏ {kind} {attribute} của thẻ <{name}>",
                          "xóa thuộc tính này; trang không chạy mã hay kiểu chữ riêng do bài viết đưa vào",
                          re.compile(rf"\b{re.escape(attribute)}\s*=", re.IGNORECASE))
        elif attribute == "style" and not _only_alignment(value):
            yield Removal(f"đã bỏ kiểu chữ style=\"{value}\" của thẻ <{name}>",
                          "xóa thuộc tính style; giao diện do trang quyết định", re.compile(r"\bstyle\s*=", re.I))
        elif attribute in URL_ATTRIBUTES and not _url_allowed(name, attribute, value, hosts):
            yield Removal(f"đã bỏ địa chỉ không an toàn {value[:60]!r} của thẻ <{name}>",
                          "chỉ dùng liên kết http(s)://, mailto:, tel: hoặc đường dẫn tương đối; "
                          "ảnh nhúng data:image/… chỉ dùng trong <img>", _value_pattern(value))


def _tag_hint(name: str) -> str:
    if name in DROPPED_WITH_CONTENT:
        return f"xóa đoạn <{name}>…</{name}>: trang không chạy mã do bài viết đưa vào"
    return "dùng Markdown (hoặc các thẻ bảng, hình, abbr… được phép) thay cho HTML dán từ nơi khác"


def _only_alignment(style: str) -> bool:
    declarations = [d for d in style.split(";") if d.strip()]
    return all(d.partition(":")[0].strip().lower() in STYLE_PROPERTIES for d in declarations)


def scheme(url: str) -> str:
    """The scheme a browser would see: 'java&#x09;script:' and ' JavaScript:' are both 'javascript'."""
    match = SCHEME.match(INVISIBLE.sub("", html.unescape(url)).lower())
    return match.group(1) if match else ""


def _host(url: str) -> str:
    try:
        parts = urlsplit(INVISIBLE.sub("", url))
    except ValueError:
        return ""
    return (parts.hostname or "") if parts.scheme in ("http", "https") else ""


def _url_allowed(tag: str, attribute: str, url: str, hosts: frozenset[str]) -> bool:
    found = scheme(url)
    if tag == "iframe" and attribute == "src":
        return _host(url) in hosts
    if found == "data":
        return tag == "img" and attribute == "src" and INVISIBLE.sub("", url).lower().startswith(IMAGE_DATA)
    return not found or found in SCHEMES


def _url_filter(iframe_hosts: tuple[str, ...]):
    hosts = frozenset(h.lower() for h in iframe_hosts)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES and not _url_allowed(tag, attribute, value, hosts):
            return None  # ammonia has checked the scheme; this adds data: only on images and iframe hosts
        return value
    return keep


def _tag_pattern(name: str) -> re.Pattern:
    return re.compile(rf"<\s*{re.escape(name)}\b", re.IGNORECASE)


def _value_pattern(value: str) -> re.Pattern:
    return re.compile(re.escape(value[:40]) if value else r"(?!)", re.IGNORECASE)


def _locate(removals: list[Removal], body: str, first_line: int, source: PurePosixPath):
    """The n-th removal of the same kind sits on the line of the n-th match in the Markdown source.

    The parsed value has its character references decoded ('&#x09;' is a tab), so a needle not
    found as written is looked for again in the decoded source.
    """
    written = body.splitlines()
    decoded = [html.unescape(line) for line in written]
    seen: Counter = Counter()
    for removal in removals:
        index = seen[removal.needle.pattern]
        seen[removal.needle.pattern] += 1
        line = None
        for lines in (written, decoded):
            matches = [n for n, text in enumerate(lines) for _ in removal.needle.finditer(text)]
            if index < len(matches):
                line = first_line + matches[index]
                break
        yield Problem(source.as_posix(), line, removal.message, removal.hint, "warning")
