"""Images in pages: their intrinsic size, and the checks on <img> tags written as raw HTML in Markdown.

Every <img> of the site carries width and height, so the browser reserves the space before the
image arrives and the page does not jump while it loads on a slow phone connection. Sizes
are read from the file's header with `imagesize`, or from an SVG's width/height or viewBox.
Raw HTML is not seen by Markdown's tree, so its images get their own check: alt text, and no
image loaded from another host (a state agency's site must not make visitors' browsers call
third parties).
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from xml.etree import ElementTree

from generator.markdown import sanitize
from generator.problems import Problem

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".tif", ".tiff"}
_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(px)?\s*$")


def intrinsic_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the file does not say."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _size(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _size(path: Path, _mtime_ns: int, _bytes: int) -> tuple[int, int] | None:
    """Cached by modification time and length too, so the preview server sees a replaced image."""
    if path.suffix.lower() == ".svg":
        return _svg_size(path)
    try:
        import imagesize  # here: it imports urllib.request, http.client and ssl (12 ms) for remote images

        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    return (int(width), int(height)) if width > 0 and height > 0 else None


def _svg_size(path: Path) -> tuple[int, int] | None:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    width, height = _LENGTH.match(root.get("width", "")), _LENGTH.match(root.get("height", ""))
    if width and height:
        return round(float(width[1])), round(float(height[1]))
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None
    return (round(w), round(h)) if w > 0 and h > 0 else None


def image_sizes(content_dir: Path, files: Iterable[str]) -> dict[str, tuple[int, int]]:
    """The size of every image among the content-relative files, for the Markdown renderer."""
    sizes = {}
    for name in files:
        if PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES:
            size = intrinsic_size(content_dir / name)
            if size:
                sizes[name] = size
    return sizes


def is_external(src: str) -> bool:
    parts = urlsplit(src)
    return bool(parts.scheme and parts.scheme != "data" or parts.netloc)


class _ImgFinder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []  # (tag as written, attributes)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "img":
            self.found.append((self.get_starttag_text() or "", {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def raw_image_problems(raw_blocks: Iterable[object], body: str, source: PurePosixPath,
                       first_line: int) -> list[Problem]:
    """Problems with <img> tags written as HTML in the Markdown (Markdown's stash of raw HTML)."""
    problems = []
    for block in raw_blocks:
        finder = _ImgFinder()
        finder.feed(sanitize.parsable(str(block)))
        for written, attrs in finder.found:
            offset = body.find(written)
            line = first_line + body.count("\n", 0, offset) if offset >= 0 else None
            problems += [Problem(source.as_posix(), line, message, hint) for message, hint in _img_faults(attrs)]
    return problems


def _img_faults(attrs: Mapping[str, str]) -> list[tuple[str, str]]:
    src = attrs.get("src", "")
    faults = []
    if not attrs.get("alt", "").strip():
        faults.append((f"thẻ <img> {src!r} thiếu lời mô tả (alt)",
                       "thêm alt=\"mô tả ngắn nội dung ảnh\", hoặc dùng ![mô tả](đường-dẫn) của Markdown"))
    if is_external(src):
        faults.append((f"ảnh {src!r} tải từ máy chủ khác",
                       "tải ảnh về, chép vào content/ và ghi đường dẫn tương đối"))
    if not (attrs.get("width") and attrs.get("height")):
        faults.append((f"thẻ <img> {src!r} thiếu width và height",
                       "ghi kích thước ảnh, ví dụ width=\"640\" height=\"360\", hoặc dùng ![mô tả](đường-dẫn)"))
    return faults
