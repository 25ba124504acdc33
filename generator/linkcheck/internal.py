"""Internal references, resolved the way the web server will serve output/.

A URL is taken apart like a browser does (against the page's address or its <base href>),
checked against the site's own address and sub-path, percent-decoded and looked up among the
published files exactly, byte for byte: case and Unicode normalisation matter on the server
even where they do not on the author's laptop. A directory is served from its index.html.
Fragments are checked against the ids and a[name] of the final HTML.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

MAILTO = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")
TEL = re.compile(r"^\+?[0-9().\-\s]*[0-9][0-9().\-\s]*$")
SKIPPED_SCHEMES = ("javascript:", "data:", "blob:", "about:")


@dataclass(frozen=True)
class Verdict:
    status: str  # "ok", "broken", "external" (the HTTP side decides), "skipped"
    reason: str = ""
    target: str = ""  # absolute URL for an external reference


@dataclass
class SiteIndex:
    """The published files and their anchors; answers one reference at a time, remembering answers."""

    base_url: str  # absolute, ending with "/"
    files: frozenset[str]  # paths relative to the output folder
    anchors: Mapping[str, frozenset[str]]  # HTML file → its ids
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        self.host = parts.netloc.lower()
        self.base_path = parts.path or "/"
        self._folded = {unicodedata.normalize("NFC", f).casefold(): f for f in self.files}

    def page_url(self, file: str) -> str:
        """The address a file is served at: a folder's index.html at the folder."""
        url = file[: -len("index.html")] if file == "index.html" or file.endswith("/index.html") else file
        return self.base_url + url

    def check(self, url: str, page_url: str, page_file: str = "") -> Verdict:
        if url.startswith("#") and page_file in self.anchors:  # the most common reference: same page
            return self._fragment(page_file, unquote(url[1:])) if len(url) > 1 else Verdict("ok")
        key = url if url.startswith(("/", "http:", "https:", "mailto:", "tel:")) else (page_url, url)
        verdict = self._memo.get(key)
        if verdict is None:
            verdict = self._memo[key] = self._check(url, page_url)
        return verdict

    def _check(self, url: str, page_url: str) -> Verdict:
        lowered = url.lower()
        if lowered.startswith("mailto:"):
            return _mailto(url)
        if lowered.startswith("tel:"):
            return _tel(url)
        if lowered.startswith(SKIPPED_SCHEMES):
            return Verdict("skipped")
        absolute = urljoin(page_url, url)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return Verdict("skipped")
        if parts.netloc.lower() != self.host or not parts.path.startswith(self.base_path):
            if url.startswith("/") and not url.startswith("//"):  # a root path outside the sub-path
                return Verdict("broken", f"đường dẫn nằm ngoài địa chỉ gốc của trang {self.base_path}")
            return Verdict("external", target=absolute.split("#", 1)[0])
        return self._internal(parts.path[len(self.base_path):], parts.fragment)

    def _internal(self, path: str, fragment: str) -> Verdict:
        file = unquote(path)
        if file == "" or file.endswith("/"):
            file += "index.html"
        if file not in self.files:
            if file + "/index.html" in self.files:  # the server redirects /folder to /folder/
                file += "/index.html"
            else:
                return Verdict("broken", self._missing(file))
        if fragment and file in self.anchors:
            return self._fragment(file, unquote(fragment))
        return Verdict("ok")

    def _missing(self, file: str) -> str:
        near = self._folded.get(unicodedata.normalize("NFC", file).casefold())
        if near and unicodedata.normalize("NFC", file) == unicodedata.normalize("NFC", near):
            return f"không có tệp /{file}: có tệp cùng tên nhưng khác dạng Unicode (cần dạng NFC)"
        if near:
            return f"không có tệp /{file}: máy chủ phân biệt chữ hoa/thường, tệp đúng là /{near}"
        return f"không có tệp /{file} trong trang đã dựng"

    def _fragment(self, file: str, fragment: str) -> Verdict:
        anchors = self.anchors[file]
        if fragment in anchors or fragment == "top":  # "#top" scrolls to the top in every browser
            return OK
        close = difflib.get_close_matches(fragment, sorted(anchors), n=1, cutoff=0.5)
        hint = f"; có phải ý bạn là #{close[0]}?" if close else ""
        return Verdict("broken", f"không có mục #{fragment} trong /{file}{hint}")


OK = Verdict("ok")


def _mailto(url: str) -> Verdict:
    addresses = unquote(url[len("mailto:"):].split("?", 1)[0])
    if addresses and all(MAILTO.match(a.strip()) for a in addresses.split(",")):
        return Verdict("ok")
    return Verdict("broken", f"địa chỉ thư điện tử không hợp lệ: {addresses!r}")


def _tel(url: str) -> Verdict:
    number = unquote(url[len("tel:"):])
    if TEL.match(number) and sum(c.isdigit() for c in number) >= 3:
        return Verdict("ok")
    return Verdict("broken", f"số điện thoại không hợp lệ: {number!r}")
