"""Markdown to HTML: heading ids, links to other .md files rewritten to their URLs, checked images.

The result carries its problems as data (file, line, message) instead of reporting them,
so a rendered body can be cached and its problems replayed on the next build.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Mapping
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.problems import Problem
from generator.text import slugify

EXTENSIONS = ["tables", "fenced_code", "footnotes", "abbr", "def_list", "sane_lists"]
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|src)\s*=\s*[\"']([^\"']+)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class RenderedBody:
    html: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text) for a table of contents
    problems: tuple[Problem, ...]
    links: tuple[tuple[str, int], ...]  # every link target written in the Markdown, with its file line


@dataclass(frozen=True)
class LinkContext:
    """What the rewriter needs to know about the site: which content file lives at which URL."""

    urls: Mapping[str, str]  # content-relative path ("bai-viet/2023/x.md", "…/anh/y.svg") → site path
    base_path: str  # "/" or "/chuyen-de-moi-truong/"


def source_lines(body: str, first_line: int) -> dict[str, int]:
    """First file line on which each link target appears, to point messages at the author's line."""
    found: dict[str, int] = {}
    for offset, text in enumerate(body.splitlines()):
        for match in LINK_TARGET.finditer(text):
            target = next(g for g in match.groups() if g)
            found.setdefault(target, first_line + offset)
    return found


def render_body(body: str, source: PurePosixPath, first_line: int, links: LinkContext) -> RenderedBody:
    lines = source_lines(body, first_line)
    rewriter = _Rewriter(source, lines, links)
    engine = markdown.Markdown(
        extensions=EXTENSIONS + ["toc", _RewriteExtension(rewriter)],
        extension_configs={"toc": {
            "slugify": lambda value, _sep: slugify(value) or "muc",
            "permalink": "#", "permalink_class": "heading-anchor",
            "permalink_title": "Liên kết đến mục này",
        }},
        output_format="html",
    )
    html = engine.convert(body)
    headings = tuple(_flatten(engine.toc_tokens))
    return RenderedBody(html, headings, tuple(rewriter.problems), tuple(sorted(lines.items(), key=lambda i: i[1])))


def published_href(target: str, source: PurePosixPath, links: LinkContext) -> str:
    """The href the build writes for a link target as the author wrote it (the link checker maps back)."""
    return _Rewriter(source, {}, links).resolve(target, "link") or target


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield token["level"], token["id"], token["name"]
        yield from _flatten(token["children"])


class _Rewriter:
    def __init__(self, source: PurePosixPath, lines: dict[str, int], links: LinkContext):
        self.source, self.lines, self.links = source, lines, links
        self.problems: list[Problem] = []

    def problem(self, target: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.source.as_posix(), self.lines.get(target), message, hint))

    def resolve(self, target: str, kind: str) -> str | None:
        """Site URL for a relative reference to a content file; None when it is not one."""
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("#", "/", "mailto:", "tel:")) or not parts.path:
            return None
        path = posixpath.normpath(posixpath.join(self.source.parent.as_posix(), unquote(parts.path)))
        url = self.links.urls.get(path)
        if url is None:
            noun = "bài viết" if path.endswith(".md") else "tệp"
            self.problem(target, f"liên kết tới {noun} không tồn tại: {target}",
                         "kiểm tra tên tệp; đường dẫn tính từ thư mục của bài viết "
                         f"({self.source.parent.as_posix()}/)")
            return target
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return self.links.base_path + url + fragment

    def rewrite(self, root: Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                element.set("href", self.resolve(element.get("href"), "link") or element.get("href"))
            elif element.tag == "img":
                self._image(element)

    def _image(self, element: Element) -> None:
        src = element.get("src", "")
        if not element.get("alt", "").strip():
            self.problem(src, f"ảnh {src!r} thiếu lời mô tả (alt)",
                         "viết ![mô tả ngắn nội dung ảnh](đường-dẫn) cho người đọc bằng trình đọc màn hình")
        element.set("src", self.resolve(src, "image") or src)
        element.set("loading", "lazy")


class _RewriteTreeprocessor(Treeprocessor):
    def __init__(self, md, rewriter: _Rewriter):
        super().__init__(md)
        self.rewriter = rewriter

    def run(self, root: Element) -> None:
        self.rewriter.rewrite(root)


class _RewriteExtension(Extension):
    def __init__(self, rewriter: _Rewriter):
        super().__init__()
        self.rewriter = rewriter

    def extendMarkdown(self, md) -> None:
        # Priority 15: after inline patterns (20) made the <a>/<img> elements, before prettify and toc.
        md.treeprocessors.register(_RewriteTreeprocessor(md, self.rewriter), "awareness-links", 15)
