"""Markdown to HTML: heading ids, links to other .md files rewritten to their URLs, checked images.

The result carries its problems as data (file, line, message) instead of reporting them,
so a rendered body can be cached and its problems replayed on the next build.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from generator.imageproc.markup import to_picture
from generator.imageproc.plan import ImageSet
from generator.markdown import blocks as markdown_blocks
from generator.markdown import guard as markdown_guard
from generator.markdown import inline as markdown_inline
from generator.markdown import sanitize
from generator.markdown.images import is_external, raw_image_problems
from generator.problems import Problem
from generator.vietnamese.text import nfc, slugify


def standard_extensions() -> list[Extension]:
    """Python-Markdown's extensions the site uses, as objects: named by strings, Markdown looks them up
    among every installed package's entry points, which costs a new process more than rendering one
    article. Imported here, when an engine is
    made: a build that renders no Markdown (nothing changed) does not load them."""
    from markdown.extensions import abbr, def_list, fenced_code, footnotes, sane_lists, tables

    return [tables.TableExtension(), fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(),
            abbr.AbbrExtension(), def_list.DefListExtension(), sane_lists.SaneListExtension()]


# What fenced_code stashes for a code block: its text is escaped, so it holds no tag of the author's
FENCED_CODE = re.compile(r'<pre><code(?: class="language-[^"<>]*")?>[^<]*</code></pre>\n?')
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|src)\s*=\s*[\"']([^\"']+)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class RenderedBody:
    html: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text) for a table of contents
    problems: tuple[Problem, ...]
    links: tuple[tuple[str, int], ...]  # every link target written in the Markdown, with its file line
    text: str = ""  # the readable text, NFC, without the '#' of heading permalinks


@dataclass(frozen=True)
class LinkContext:
    """What the rewriter needs to know about the site: which content file lives at which URL."""

    urls: Mapping[str, str]  # content-relative path ("bai-viet/2023/x.md", "…/anh/y.svg") → site path
    base_path: str  # "/" or "/chuyen-de-moi-truong/"
    sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # image path → (width, height)
    iframe_hosts: tuple[str, ...] = ()  # site.yaml's allowed_iframe_hosts, for the sanitiser
    images: Mapping[str, ImageSet] = field(default_factory=dict)  # image path → its responsive files

    @functools.cached_property
    def folded(self) -> dict[str, str]:
        """Content paths by their case-folded form, to name the file a link differs from only in case
        (made on the first such link: most builds never need it)."""
        return {path.casefold(): path for path in self.urls}


def source_lines(body: str, first_line: int) -> dict[str, int]:
    """First file line on which each link target appears, to point messages at the author's line."""
    return {target: lines[0] for target, lines in all_source_lines(body, first_line).items()}


def all_source_lines(body: str, first_line: int) -> dict[str, list[int]]:
    """Every file line on which each link target appears, in order: the second link to a missing
    page is reported at its own line."""
    found: dict[str, list[int]] = {}
    for offset, text in enumerate(body.splitlines()):
        # LINK_TARGET cannot match a line without one of these: looking for them is a fraction of
        # a scan by the pattern, whose alternatives are tried at every character
        if "](" in text or "href" in text or "src" in text or "<http" in text:
            for match in LINK_TARGET.finditer(text):
                target = next(g for g in match.groups() if g)
                found.setdefault(target, []).append(first_line + offset)
    return found


def render_body(body: str, source: PurePosixPath, first_line: int, links: LinkContext) -> RenderedBody:
    """The body as sanitised HTML with its problems; a body that would take minutes or exhaust the
    recursion limit (markdown_guard) gives no HTML and an error naming its line instead."""
    refused = [Problem(source.as_posix(), first_line + line, message, hint)
               for line, message, hint in markdown_guard.check(body)]
    if refused:
        return RenderedBody("", (), tuple(refused), ())
    try:
        with markdown_guard.time_budget():
            return _render(body, source, first_line, links)
    except (markdown_guard.OutOfTime, RecursionError) as error:
        _engine.cache_clear()  # stopped halfway: the engine's state is not to be trusted
        late = isinstance(error, markdown_guard.OutOfTime)
        message = f"xử lý Markdown vượt quá {markdown_guard.TIME_BUDGET:g} giây" if late else \
            "nội dung lồng nhau quá sâu để xử lý"
        return RenderedBody("", (), (Problem(source.as_posix(), first_line, message,
                                             "tìm đoạn văn rất dài hoặc nhiều dấu ngoặc, dấu < chưa đóng; "
                                             "văn bản dán vào (nhật ký, mã) đặt giữa hai dòng ```"),), ())


def _render(body: str, source: PurePosixPath, first_line: int, links: LinkContext) -> RenderedBody:
    occurrences = all_source_lines(body, first_line)
    lines = {target: found[0] for target, found in occurrences.items()}
    rewriter = _Rewriter(source, lines, links, occurrences)
    engine = _engine()
    engine.reset()
    engine.awareness_rewriter = rewriter
    converted = engine.convert(body)
    stash = engine.htmlStash.rawHtmlBlocks
    # Without raw HTML every tag and attribute was made by Markdown, and only the URLs it wrote
    # may need the sanitiser; it then skips the HTML parse that finds what to report.
    only_markdown = all(isinstance(raw, str) and ("<" not in raw or FENCED_CODE.fullmatch(raw)) for raw in stash)
    html, removed = sanitize.clean(converted, body, first_line, source, links.iframe_hosts,
                                   written_urls=rewriter.urls if only_markdown else None)
    headings = tuple(_flatten(engine.toc_tokens))
    problems = rewriter.problems + raw_image_problems(stash, body, source, first_line)
    text = nfc(plain_text(html))
    return RenderedBody(html, headings, tuple(problems) + removed, tuple(sorted(lines.items(), key=lambda i: i[1])),
                        text)


# What the sanitiser (ammonia) writes, and nothing else, is read by the two patterns below: tags
# whose attribute values are always in double quotes (a quote inside is &quot;), no comment, and
# the heading permalinks exactly as the headings extension makes them.
_PERMALINK = re.compile(r'<a class="heading-anchor" href="[^"]*" title="[^"]*">#</a>')
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')


def plain_text(html: str) -> str:
    """The readable text of a sanitised body, without the '#' of heading permalinks: the text
    between its tags, entities decoded, whitespace runs made one space.

    Read with two patterns rather than an HTML parser (five times the time, a tenth of a body's);
    html_text() reads it with a parser, and tests hold the two to the same text on every body
    they make and on random Markdown and markup.
    """
    if not html.strip():
        return ""
    text = _PERMALINK.sub(" ", html)
    if "heading-anchor" in text or "<!" in text or "<?" in text:
        return html_text(html)  # a permalink written by hand, or markup not ammonia's: the parser decides
    return " ".join(unescape(_TAG.sub(" ", text)).split())


def html_text(html: str) -> str:
    """plain_text() by an HTML parser (lxml): for any HTML, and the reference the tests hold it to."""
    import lxml.html  # here: only markup that is not ammonia's needs it, and it is a twentieth of start-up

    if not html.strip():
        return ""
    # Read, never written: lxml refuses to set a text holding a control character, so making a
    # parent for the fragment (fragment_fromstring) or dropping the permalinks from the tree
    # (drop_tree) raised out of the build on a body with a form feed in the wrong place.
    pieces = []
    for part in lxml.html.fragments_fromstring(html):  # the leading text (a str), then elements
        if isinstance(part, str):
            pieces.append(part)
        else:  # an element, or a comment (of which only the tail is text)
            skipped = set(part.find_class("heading-anchor")) if isinstance(part.tag, str) else set()
            pieces.extend(_texts(part, skipped))
    return " ".join(" ".join(pieces).split())


def _texts(root, skipped: set) -> Iterable[str]:
    """The text of root and all inside it, then its tail, in document order (root.itertext() with
    the tail), leaving out the text inside `skipped` elements but not their tails."""
    stack = [(root, False)]
    while stack:
        element, done = stack.pop()
        if done:
            if element.tail:
                yield element.tail
            continue
        stack.append((element, True))
        if element in skipped:
            continue
        if element.text and isinstance(element.tag, str):  # a comment's text is not the page's
            yield element.text
        stack.extend((child, False) for child in reversed(element))


@functools.cache
def _engine() -> markdown.Markdown:
    """One engine per process, reset before each document: building one costs as much as a short article."""
    headings = _HeadingsExtension(slugify=lambda value, _sep: slugify(value) or "muc", marker="",
                                  permalink="#", permalink_class="heading-anchor",
                                  permalink_title="Liên kết đến mục này")
    engine = markdown.Markdown(extensions=[*standard_extensions(), headings, _RewriteExtension()], output_format="html")
    markdown_inline.install(engine)
    markdown_blocks.install(engine)
    return engine


class _Headings(TocTreeprocessor):
    """toc's heading ids, permalinks and tokens, without the table of contents it also builds and
    serialises for every body (a tenth of the Markdown time), which no page shows: a body has no
    [TOC] marker (turned off above) and templates list headings from the tokens."""

    def build_toc_div(self, toc_list: list) -> Element:
        return Element("div")


class _HeadingsExtension(TocExtension):
    TreeProcessorClass = _Headings


def published_hrefs(targets: Iterable[str], source: PurePosixPath, links: LinkContext) -> list[str]:
    """The href the build writes for each link target as the author wrote it (the link checker maps back)."""
    rewriter = _Rewriter(source, {}, links)
    return [rewriter.resolve(target, "link") or target for target in targets]


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield token["level"], token["id"], token["name"]
        yield from _flatten(token["children"])


class _Rewriter:
    def __init__(self, source: PurePosixPath, lines: dict[str, int], links: LinkContext,
                 occurrences: dict[str, list[int]] | None = None):
        self.source, self.lines, self.links = source, lines, links
        self.folder = source.parent.as_posix()  # what relative targets are joined to, once per body
        self.problems: list[Problem] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value) of every URL Markdown wrote
        self._occurrences = {target: iter(found) for target, found in (occurrences or {}).items()}
        self._line: int | None = None  # of the element being rewritten, when known

    def problem(self, target: str, message: str, hint: str) -> None:
        line = self._line if self._line is not None else self.lines.get(target)
        self.problems.append(Problem(self.source.as_posix(), line, message, hint))

    def _at(self, target: str) -> None:
        """The elements come in document order: the nth with a target is its nth written line."""
        self._line = next(self._occurrences.get(target, iter(())), None)

    def resolve(self, target: str, kind: str) -> str | None:
        """Site URL for a relative reference to a content file; None when it is not one."""
        if target.startswith(AMP_SUBSTITUTE):
            return None  # <name@host> autolinks: Python-Markdown writes "mailto:" as entities
        parts = urlsplit(target)
        if sanitize.scheme(target):  # also 'java&#x09;script:', which urlsplit takes for a file name
            return None
        if parts.scheme or parts.netloc or target.startswith(("#", "/", "mailto:", "tel:")) or not parts.path:
            return None
        path = self._content_path(parts.path)
        url = self.links.urls.get(path)
        if url is None:
            self._missing(target, path)
            return target
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return self.links.base_path + url + fragment

    def _content_path(self, link_path: str) -> str:
        """The content file a relative link names. A backslash is read as a folder separator: Windows
        users copy paths from Explorer (anh\\hinh.jpg), and no file name here contains one."""
        return posixpath.normpath(posixpath.join(self.folder, unquote(link_path).replace("\\", "/")))

    def _missing(self, target: str, path: str) -> None:
        actual = self.links.folded.get(path.casefold())
        if actual is not None:
            # Windows and macOS disks ignore case, so the link works on the author's computer; the
            # Linux web server does not, and the reader gets a 404.
            self.problem(target, f"tên tệp khác chữ hoa/thường: liên kết {target} nhưng tệp là {actual}",
                         f"viết đúng từng chữ hoa/thường như tên tệp: {posixpath.relpath(actual, self.folder)}")
            return
        noun = "bài viết" if path.endswith(".md") else "tệp"
        self.problem(target, f"liên kết tới {noun} không tồn tại: {target}",
                     "kiểm tra tên tệp; đường dẫn tính từ thư mục của bài viết "
                     f"({self.source.parent.as_posix()}/); bài nháp và bài hẹn ngày đăng chưa có địa chỉ")

    def rewrite(self, root: Element) -> None:
        for element in list(root.iter()):  # a list: an image becomes a <picture> with children
            if element.tag == "a" and element.get("href"):
                self._at(element.get("href"))
                element.set("href", self.resolve(element.get("href"), "link") or element.get("href"))
                self.urls.append(("a", "href", element.get("href")))
            elif element.tag == "img":
                self._at(element.get("src", ""))
                self._image(element)
                shown = element.find("img") if element.tag == "picture" else element
                self.urls.append(("img", "src", shown.get("src", "")))

    def _image(self, element: Element) -> None:
        src = element.get("src", "")
        if not element.get("alt", "").strip():
            self.problem(src, f"ảnh {src!r} thiếu lời mô tả (alt)",
                         "viết ![mô tả ngắn nội dung ảnh](đường-dẫn) cho người đọc bằng trình đọc màn hình")
        element.set("src", self.resolve(src, "image") or src)
        element.set("loading", "lazy")
        self._size(element, src)

    def _size(self, element: Element, src: str) -> None:
        """width/height from the file, so the layout holds while the image loads; no image from outside."""
        if is_external(src):
            self.problem(src, f"ảnh {src!r} tải từ máy chủ khác",
                         "tải ảnh về, chép vào content/ và ghi đường dẫn tương đối")
            return
        path = self._content_path(urlsplit(src).path)
        if path in self.links.images:
            to_picture(element, self.links.images[path], self.links.base_path)
        elif path in self.links.sizes:
            width, height = self.links.sizes[path]
            element.set("width", str(width))
            element.set("height", str(height))


class _RewriteTreeprocessor(Treeprocessor):
    def run(self, root: Element) -> None:
        self.md.awareness_rewriter.rewrite(root)  # set by render_body for the document being converted
        scrollable_tables(root)


def scrollable_tables(root: Element) -> None:
    """Put each table in a named, focusable region: on a phone a wide table scrolls inside it, and
    keyboard users can scroll it too (WCAG 2.1.1; axe-core's scrollable-region-focusable)."""
    number = 0
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag != "table":
                continue
            number += 1
            caption = child.find("caption")
            label = "".join(caption.itertext()).strip() if caption is not None else f"Bảng {number}"
            region = Element("div", {"class": "table-scroll", "role": "region", "aria-label": label, "tabindex": "0"})
            parent.remove(child)
            region.append(child)
            parent.insert(index, region)


class _RewriteExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # Priority 15: after inline patterns (20) made the <a>/<img> elements, before prettify and toc.
        md.treeprocessors.register(_RewriteTreeprocessor(md), "awareness-links", 15)
