"""Read content/: decode each file, split and validate its front matter, build the model.

Nothing here renders or writes. Every problem is reported into the collector with the
file and line, and loading goes on, so the author sees all mistakes of a build at once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.content import data, held_back, yaml_errors
from generator.content.documents import load_documents
from generator.content.frontmatter_schema import ARTICLE_FIELDS, PAGE_FIELDS, Field, FieldError, invisible, suggest
from generator.content.identity import load_identity
from generator.content.junk import is_junk
from generator.content.model import Article, Campaign, Page, Result, Site, Source
from generator.content.organisation import load_organisation
from generator.content.reading import read_text
from generator.docx_import import DROP_FOLDER
from generator.plan import check as plan_check
from generator.plan import load as plan_load
from generator.problems import Problems
from generator.vietnamese.text import MAX_GIVEN_SLUG, MAX_SLUG, nfc, slug_fits, slugify, sort_key, vi_sorted

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
              published_by: date | None = None, doc_cache: Any = None) -> Site | None:
    """Load the whole content folder; None when the data files are too broken to go on.

    Drafts are left out unless asked for; so are articles dated after `published_by` (a scheduled
    article appears on its day; the preview server passes None to show them all). `doc_cache`
    (a doccache.DocumentCache) supplies files already read by an earlier build.
    """
    read = doc_cache.read if doc_cache is not None else read_document
    config, campaigns, departments = data.load_data(content_dir / DATA_DIR, problems)
    markdown_files, static_files = _walk(content_dir, problems)
    department_ids = [d.id for d in departments]
    plans = plan_load.load_plans(content_dir / DATA_DIR / plan_load.PLANS_DIR, problems, campaigns,
                                 department_ids, content_dir)
    articles, pages, results, covers, waiting = [], [], [], {}, []
    for path in markdown_files:
        item = load_item(path, content_dir, campaigns, department_ids, problems, include_drafts=include_drafts,
                         read=read, covers=covers)
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Article):
            if (include_drafts or not item.draft) and \
                    (published_by is None or item.published.date() <= published_by):
                articles.append(item)
            else:
                waiting.append(item)
        elif item is not None:
            results.append(item)
    plan_check.check_references(articles, results, plans, campaigns, content_dir, problems)
    if config is None:
        return None
    identity = load_identity(content_dir / DATA_DIR / "identity.yaml", problems)
    if waiting:  # the files only they use wait with them
        held = held_back.files_held_back(static_files, [*articles, *pages], waiting, _data_text(content_dir))
        static_files = [f for f in static_files if f not in held]
    return Site(
        config=config,
        campaigns=tuple(campaigns),
        departments=tuple(vi_sorted(departments, key=lambda d: d.name)),  # offices listed in Vietnamese order
        articles=tuple(sorted(articles, key=lambda a: (a.published, a.slug), reverse=True)),
        pages=tuple(sorted(pages, key=lambda p: (p.order, sort_key(p.title)))),
        static_files=tuple(static_files),
        content_dir=content_dir,
        identity=identity,
        documents=load_documents(content_dir / DATA_DIR / "documents.yaml", content_dir, problems),
        organisation=load_organisation(content_dir / DATA_DIR / "organisation.yaml", department_ids, identity,
                                       problems),
        plans=tuple(plans),
        results=tuple(sorted(results, key=lambda r: (r.day, r.source.path))),
        held_back=tuple(waiting),
    )


def _data_text(content_dir: Path) -> str:
    """The data files' text, where a file may be named (a document's attachment)."""
    folder = content_dir / DATA_DIR
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*.yaml")))


def load_item(path: Path, content_dir: Path, campaigns: list[Campaign] | tuple[Campaign, ...],
              department_ids: list[str], problems: Problems, *, include_drafts: bool = True,
              read: Callable[[Path, Path, Problems], RawDocument | None] | None = None,
              covers: dict | None = None) -> Article | Page | Result | None:
    """One Markdown file as an Article, a Page or a plan's result entry; None after reporting its problems
    (or for a draft result entry when drafts are not wanted).

    Public so the preview server can reload the one file an author saved. `read` reads and splits the
    file (the build passes its document cache's); `covers`, where cover images were found by this load.
    """
    document = (read or read_document)(path, content_dir, problems)
    if document is None:
        return None
    if plan_load.is_result(document.meta):  # an office's result entry: tracked, not published
        values = _validate(document, plan_load.RESULT_FIELDS, problems)
        if values is None or (values.get("draft") and not include_drafts):
            return None
        return plan_load.result_from(_source(document), document.body, values)
    if document.path.parts[0] == PAGES_DIR:
        return _page(document, problems)
    return _article(document, content_dir, list(campaigns), department_ids, problems, covers)


def _walk(content_dir: Path, problems: Problems) -> tuple[list[Path], list[Path]]:
    """Markdown files (as on disk) and the other files to publish (content-relative, NFC), skipping
    hidden and underscore folders. Two names that are the same text in NFC and NFD are one name.

    os.scandir, with paths joined as strings: the entries say whether they are folders or links
    without another system call, which pathlib per file would make."""
    markdown, static = [], []
    seen: dict[str, Path] = {}
    root = content_dir.resolve()

    def outside(path: str) -> bool:
        return not _inside(Path(os.path.realpath(path)), root)

    def visit(folder: str, prefix: str, published: bool = True) -> None:
        """`published` False: an underscore folder (data, plans), read by its own stage, in which
        only links leading out are looked for."""
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            return  # unreadable: skipped, as os.walk skips it
        folders = [e for e in entries if e.is_dir() and not e.name.startswith(".")]
        for entry in folders:  # os.walk did not enter linked folders; one leading out must not pass unnoticed
            if entry.is_symlink() and outside(entry.path):
                problems.error(Path(entry.path), None, "liên kết tượng trưng trỏ ra ngoài thư mục content/",
                               "chép thư mục vào content/ thay vì dùng liên kết tượng trưng")
        for entry in entries:
            name = entry.name
            if entry.is_dir() or is_junk(name):
                continue  # folders, system and editor files, and fix-encoding's backups (.bak)
            path = Path(entry.path)
            if entry.is_symlink() and outside(entry.path):
                problems.error(path, None, "liên kết tượng trưng trỏ ra ngoài thư mục content/",
                               "chép tệp vào content/ thay vì dùng liên kết tượng trưng")
                continue
            if not published:
                continue
            relative = nfc(prefix + name)
            if (twin := seen.setdefault(relative, path)) != path:
                problems.error(path, None, f"tên tệp trùng với {problems.shown(twin)}: cùng chữ nhưng khác dạng "
                               "Unicode (NFC và NFD, dạng tên tệp máy Mac tạo ra)",
                               "xóa hoặc đổi tên một trong hai tệp")
                continue
            if name.endswith(".md"):
                markdown.append(path)
            else:
                static.append(Path(relative))
        for entry in folders:
            if not entry.is_symlink():  # Word files waiting for import (content/nhap-word/) are never published
                hidden = entry.name.startswith("_") or (prefix == "" and entry.name == DROP_FOLDER)
                visit(entry.path, f"{prefix}{entry.name}/", published and not hidden)

    visit(os.fspath(content_dir), "")
    return markdown, static


def content_path(path: Path, content_dir: Path) -> Path:
    """A file's path relative to content/, in NFC: what its URL and the links to it are made from.

    macOS saves file names decomposed (NFD) and Linux keeps whatever bytes it is given, so
    'nước.svg' may sit on disk in either form; authors type links in NFC.
    """
    return Path(nfc(path.relative_to(content_dir).as_posix()))


def on_disk(content_dir: Path, relative: Path) -> Path:
    """The file that a content-relative NFC path names, whichever Unicode form its name has on disk."""
    path = content_dir
    for part in relative.parts:
        candidate = path / part
        if not candidate.exists() and path.is_dir():
            candidate = next((child for child in path.iterdir() if nfc(child.name) == part), candidate)
        path = candidate
    return path


@functools.lru_cache(maxsize=16)
def _resolved(folder: Path) -> Path:
    """The content folder's real path, once per build rather than once per cover image."""
    return folder.resolve()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_document(path: Path, content_dir: Path, problems: Problems) -> RawDocument | None:
    relative = content_path(path, content_dir)
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
        if "nesting depth" in (getattr(error, "problem", None) or ""):  # libyaml's limit on [ [ [ … ] ] ]
            mark = getattr(error, "problem_mark", None)
            problems.error(path, mark.line + 1 if mark else 1, "phần khai báo lồng dấu ngoặc quá sâu",
                           "kiểm tra các dấu [ ] và { }: mỗi dấu mở cần một dấu đóng")
            return None, {}
        line, message, hint = yaml_errors.explain(error, front)
        problems.error(path, line or 1, f"phần khai báo YAML sai cú pháp: {message}", hint)
        return None, {}
    except RecursionError:
        problems.error(path, 1, "phần khai báo lồng dấu ngoặc quá sâu",
                       "kiểm tra các dấu [ ] và { }: mỗi dấu mở cần một dấu đóng")
        return None, {}
    except (ValueError, OverflowError) as error:  # YAML read 2023-02-30 as a date that cannot exist
        problems.error(path, data.impossible_date_line(front), f"ngày không tồn tại trong phần khai báo: {error}",
                       "sửa ngày tháng (ví dụ 2023-02-28) hoặc đặt trong ngoặc kép nếu không phải là ngày")
        return None, {}
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.error(path, 2, "phần khai báo phải là các cặp khóa: giá trị",
                       "viết mỗi dòng dạng title: \"Tiêu đề\"")
        return None, {}
    repeated = list(yaml_errors.repeated_keys(node))
    for line, key, first in repeated:
        problems.error(path, line, f"khóa '{key}' khai báo hai lần (lần đầu ở dòng {first}); YAML chỉ giữ giá trị sau",
                       "xóa một trong hai dòng, hoặc gộp hai giá trị vào một khóa")
    if repeated:
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
        if key != "slug" and (hidden := invisible(value)):  # a slug with one is refused as a slug
            problems.warning(document.file, line, f"'{key}' chứa ký tự vô hình {hidden} (ký tự rộng bằng 0 hoặc đổi "
                             "chiều văn bản): chữ hiển thị có thể khác với nội dung thật",
                             "xóa ký tự đó: gõ lại giá trị bằng bàn phím thay vì dán")
        try:
            values[key] = fields[key].convert(value)
        except FieldError as error:
            problems.error(document.file, line, f"'{key}': {error}", error.hint or fields[key].hint(key))
            ok = False
    for key, spec in fields.items():
        if spec.required and key not in document.meta:
            problems.error(document.file, 2, f"thiếu khóa bắt buộc '{key}'",
                           f"thêm dòng {key}: {spec.example or '…'} vào phần khai báo")
            ok = False
    return values if ok else None


def _source(document: RawDocument) -> Source:
    return Source(document.path, document.body_line, tuple(sorted(document.key_lines.items())))


def _slug(document: RawDocument, values: dict[str, Any], problems: Problems, fallback: str) -> str | None:
    """The slug the author gave, checked, or one made from `fallback` (the title), shortened on a
    word boundary."""
    given = values.get("slug")
    slug = slugify(given, None) if given else slugify(fallback)
    if given and len(given) > MAX_GIVEN_SLUG:
        problems.error(document.file, document.key_lines.get("slug"),
                       f"slug dài {len(given)} ký tự, quá giới hạn {MAX_GIVEN_SLUG}",
                       f"rút gọn thành vài từ chính, ví dụ: {slugify(given) or 'gio-trai-dat-2023'}")
        return None
    if not given and not slug_fits(fallback):
        problems.error(document.file, document.key_lines.get("title"),
                       f"tiêu đề có một từ dài hơn {MAX_SLUG} ký tự, không tạo được địa chỉ (slug) dễ đọc",
                       "thêm khóa slug: ten-bai-viet (vài từ chính, không dấu)")
        return None
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
             problems: Problems, covers: dict | None = None) -> Article | None:
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
    cover = _cover(document, values, content_dir, problems, covers)
    slug = _slug(document, values, problems, values["title"])
    if not ok or cover is None or slug is None:
        return None
    return Article(
        source=_source(document), title=values["title"], published=values["date"],
        campaign=values["campaign"], department=values["department"],
        year=year, slug=slug, body=document.body, theme=values.get("theme", ""),
        summary=values.get("summary", ""), tags=values.get("tags", ()), cover=cover,
        cover_alt=values.get("cover_alt", ""), draft=values.get("draft", False),
        updated=values.get("updated"), plan_task=values.get("plan_task", ""), toc=values.get("toc"),
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


def _cover(document: RawDocument, values: dict, content_dir: Path, problems: Problems,
           covers: dict | None = None) -> str | None:
    """The cover's content-relative path ('' when none); None after reporting a problem.

    `covers`: what this load already found for a (folder, cover) pair."""
    cover = values.get("cover", "")
    if not cover:
        return ""
    line = document.key_lines.get("cover")
    if not values.get("cover_alt"):
        problems.error(document.file, line, "ảnh bìa thiếu lời mô tả (cover_alt)",
                       "thêm cover_alt: \"mô tả ngắn nội dung ảnh\" cho người đọc bằng trình đọc màn hình")
        return None
    key = (document.path.parent, nfc(cover))
    if covers is None or key not in covers:
        found = _find_cover(content_dir, *key)
        if covers is not None:  # articles of a folder share a few images: resolve each once per load
            covers[key] = found
    else:
        found = covers[key]
    if found is _OUTSIDE:
        problems.error(document.file, line, f"ảnh bìa {cover!r} nằm ngoài thư mục content/",
                       "chép ảnh vào content/ (ví dụ cạnh bài viết, thư mục anh/) và ghi đường dẫn tương đối")
        return None
    if found is _MISSING:
        problems.error(document.file, line, f"không tìm thấy ảnh bìa {cover!r}",
                       f"kiểm tra tên tệp; đường dẫn tính từ thư mục {document.path.parent.as_posix()}/")
        return None
    return found


_OUTSIDE, _MISSING = object(), object()


def _find_cover(content_dir: Path, folder: Path, cover: str) -> str | object:
    """The cover's content-relative path, or _OUTSIDE / _MISSING."""
    root = _resolved(content_dir)
    target = (root / folder / cover).resolve()
    if not _inside(target, root):
        return _OUTSIDE
    if not on_disk(root, target.relative_to(root)).is_file():
        return _MISSING
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
