"""Read content/: decode each file, split and validate its front matter, build the model.

Nothing here renders or writes. Every problem is reported into the collector with the
file and line, and loading goes on, so the author sees all mistakes of a build at once.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator import data
from generator.frontmatter_schema import ARTICLE_FIELDS, PAGE_FIELDS, Field, FieldError, suggest
from generator.model import Article, Campaign, Page, Site, Source
from generator.problems import Problems
from generator.reading import read_text
from generator.text import nfc, slugify

DATA_DIR = "_data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same YAML, far faster
PAGES_DIR = "pages"


@dataclass(frozen=True)
class RawDocument:
    """A Markdown file split into its front-matter mapping and body, with the line of each key."""

    path: Path  # relative to the content folder: what URLs and links are computed from
    file: Path  # as found on disk: what messages name
    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int


def load_site(content_dir: Path, problems: Problems, *, include_drafts: bool = False,
              documents: Any = None) -> Site | None:
    """Load the whole content folder; None when the data files are too broken to go on.

    `documents` (a doccache.DocumentCache) supplies files already read by an earlier build.
    """
    read = documents.read if documents is not None else read_document
    config, campaigns, departments = data.load_data(content_dir / DATA_DIR, problems)
    markdown_files, static_files = _walk(content_dir, problems)
    department_ids = [d.id for d in departments]
    articles, pages = [], []
    for path in markdown_files:
        document = read(path, content_dir, problems)
        if document is None:
            continue
        if document.path.parts[0] == PAGES_DIR:
            page = _page(document, problems)
            pages.append(page) if page else None
            continue
        article = _article(document, content_dir, campaigns, department_ids, problems)
        if article and (include_drafts or not article.draft):
            articles.append(article)
    if config is None:
        return None
    return Site(
        config=config,
        campaigns=tuple(campaigns),
        departments=tuple(departments),
        articles=tuple(sorted(articles, key=lambda a: (a.published, a.slug), reverse=True)),
        pages=tuple(sorted(pages, key=lambda p: (p.order, p.slug))),
        static_files=tuple(static_files),
        content_dir=content_dir,
    )


def _walk(content_dir: Path, problems: Problems) -> tuple[list[Path], list[Path]]:
    """Markdown files and the other files to publish, skipping hidden and underscore folders."""
    markdown, static = [], []
    root = content_dir.resolve()
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.startswith((".", "~")) or name.endswith(("~", ".swp", ".tmp")):
                continue  # editors' backup and lock files
            path = Path(folder) / name
            if path.is_symlink() and not _inside(path.resolve(), root):
                problems.error(path, None, "liên kết tượng trưng trỏ ra ngoài thư mục content/",
                               "chép tệp vào content/ thay vì dùng liên kết tượng trưng")
                continue
            (markdown if name.endswith(".md") else static).append(path)
    return markdown, [p.relative_to(content_dir) for p in static]


@functools.lru_cache(maxsize=16)
def _resolved(folder: Path) -> Path:
    """The content folder's real path, once per build rather than once per cover image."""
    return folder.resolve()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_document(path: Path, content_dir: Path, problems: Problems) -> RawDocument | None:
    relative = path.relative_to(content_dir)
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(path, None, "tệp rỗng", "thêm phần khai báo (front matter) giữa hai dòng --- và nội dung bài")
        return None
    handler = YAMLHandler()
    if not handler.detect(text):
        problems.error(path, 1, "thiếu phần khai báo (front matter) ở đầu tệp",
                       "bắt đầu tệp bằng dòng ---, các khóa title, date, …, rồi một dòng --- nữa")
        return None
    try:
        front, body = handler.split(text)
    except ValueError:
        problems.error(path, 1, "phần khai báo mở bằng --- nhưng không có dòng --- đóng lại",
                       "thêm một dòng chỉ có --- sau khóa cuối cùng")
        return None
    meta, key_lines = _parse_front(path, front, problems)
    if meta is None:
        return None
    body_line = text[: text.index(body) if body else len(text)].count("\n") + 1
    return RawDocument(relative, path, meta, key_lines, body, body_line)


def _parse_front(path: Path, front: str, problems: Problems) -> tuple[dict | None, dict[str, int]]:
    """YAML to a mapping, remembering the file line of each top-level key.

    The split keeps the newline that ends the opening '---', so YAML's line 0 is file line 1.
    """
    try:
        loader = _Loader(front)  # one parse gives both the key lines (nodes) and the values
        try:
            node = loader.get_single_node()
            meta = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        problems.error(path, line, f"phần khai báo YAML sai cú pháp: {reason}",
                       "kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề; giá trị có dấu ':' phải đặt trong ngoặc kép")
        return None, {}
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.error(path, 2, "phần khai báo phải là các cặp khóa: giá trị",
                       "viết mỗi dòng dạng title: \"Tiêu đề\"")
        return None, {}
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return {str(k): nfc(v) if isinstance(v, str) else v for k, v in meta.items()}, key_lines


def _validate(document: RawDocument, fields: dict[str, Field], problems: Problems) -> dict[str, Any] | None:
    values, ok = {}, True
    for key, value in document.meta.items():
        line = document.key_lines.get(key)
        if key not in fields:
            problems.error(document.file, line, f"khóa không biết: '{key}'", suggest(key, list(fields)))
            ok = False
            continue
        try:
            values[key] = fields[key].convert(value)
        except FieldError as error:
            problems.error(document.file, line, f"'{key}': {error}")
            ok = False
    for key, spec in fields.items():
        if spec.required and key not in document.meta:
            problems.error(document.file, 2, f"thiếu khóa bắt buộc '{key}'", f"thêm dòng {key}: … vào phần khai báo")
            ok = False
    return values if ok else None


def _source(document: RawDocument) -> Source:
    return Source(document.path, document.body_line, tuple(sorted(document.key_lines.items())))


def _slug(document: RawDocument, values: dict[str, Any], problems: Problems, fallback: str) -> str | None:
    given = values.get("slug")
    slug = slugify(given or fallback)
    if given and slug != given:
        problems.error(document.file, document.key_lines.get("slug"), f"slug {given!r} không hợp lệ",
                       f"chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ: {slug or 'gio-trai-dat-2023'}")
        return None
    if not slug:
        problems.error(document.file, document.key_lines.get("title"), "tiêu đề không tạo được địa chỉ (slug)",
                       "thêm khóa slug: ten-bai-viet")
        return None
    return slug


def _article(document, content_dir: Path, campaigns: list[Campaign], departments: list[str],
             problems: Problems) -> Article | None:
    values = _validate(document, ARTICLE_FIELDS, problems)
    if values is None:
        return None
    lines, ok = document.key_lines, True
    campaign_ids = [c.id for c in campaigns]
    for key, known, noun in (("campaign", campaign_ids, "chiến dịch"), ("department", departments, "đơn vị")):
        if values[key] not in known:
            problems.error(document.file, lines.get(key), f"{noun} không biết: '{values[key]}'",
                           suggest(values[key], known) + " (khai báo trong content/_data/)")
            ok = False
    year = values.get("year", values["date"].year)
    if ok and not _theme_matches(document, values, year, campaigns, problems):
        ok = False
    cover = _cover(document, values, content_dir, problems)
    slug = _slug(document, values, problems, values["title"])
    if not ok or cover is None or slug is None:
        return None
    return Article(
        source=_source(document), title=values["title"], published=values["date"],
        campaign=values["campaign"], department=values["department"],
        year=year, slug=slug, body=document.body, theme=values.get("theme", ""),
        summary=values.get("summary", ""), tags=values.get("tags", ()), cover=cover,
        cover_alt=values.get("cover_alt", ""), draft=values.get("draft", False),
        updated=values.get("updated"), plan_task=values.get("plan_task", ""),
    )


def _theme_matches(document: RawDocument, values: dict, year: int, campaigns: list, problems: Problems) -> bool:
    """A theme written in the front matter must be that year's official one (either language)."""
    written = values.get("theme")
    campaign = next(c for c in campaigns if c.id == values["campaign"])
    official = campaign.theme(year)
    if not written or official is None:
        return True
    if nfc(written).casefold() in (official.vi.casefold(), official.en.casefold()):
        return True
    problems.error(document.file, document.key_lines.get("theme"),
                   f"chủ đề không khớp chủ đề chính thức của {campaign.name_vi} năm {year}",
                   f"chủ đề chính thức: \"{official.vi}\" – \"{official.en}\"; hoặc bỏ khóa theme")
    return False


def _cover(document: RawDocument, values: dict, content_dir: Path, problems: Problems) -> str | None:
    """The cover's content-relative path ('' when none); None after reporting a problem."""
    cover = values.get("cover", "")
    if not cover:
        return ""
    line = document.key_lines.get("cover")
    if not values.get("cover_alt"):
        problems.error(document.file, line, "ảnh bìa thiếu lời mô tả (cover_alt)",
                       "thêm cover_alt: \"mô tả ngắn nội dung ảnh\" cho người đọc bằng trình đọc màn hình")
        return None
    root = _resolved(content_dir)
    target = (content_dir / document.path.parent / cover).resolve()
    if not _inside(target, root):
        problems.error(document.file, line, f"ảnh bìa {cover!r} nằm ngoài thư mục content/",
                       "chép ảnh vào content/ (ví dụ cạnh bài viết, thư mục anh/) và ghi đường dẫn tương đối")
        return None
    if not target.is_file():
        problems.error(document.file, line, f"không tìm thấy ảnh bìa {cover!r}",
                       f"kiểm tra tên tệp; đường dẫn tính từ thư mục {document.path.parent.as_posix()}/")
        return None
    return target.relative_to(root).as_posix()


def _page(document: RawDocument, problems: Problems) -> Page | None:
    values = _validate(document, PAGE_FIELDS, problems)
    if values is None:
        return None
    slug = _slug(document, values, problems, document.path.stem)  # pages keep their file's name
    if slug is None:
        return None
    return Page(source=_source(document), title=values["title"], slug=slug, body=document.body,
                summary=values.get("summary", ""), menu=values.get("menu", False), order=values.get("order", 0))
