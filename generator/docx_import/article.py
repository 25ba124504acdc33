"""From a Word file to a draft article on disk: front matter, names, and writing all or nothing.

Every reason to refuse (unknown campaign, unreadable document, an article or image already there) is
gathered before the first byte is written; files are created exclusively, so nothing existing is ever
overwritten, and what was created is removed again if writing fails half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from generator.content.scaffold import ScaffoldError, known_campaign, plan_task
from generator.docx_import.blocks import Block, Body, read_body
from generator.docx_import.inline import Reading, plain_text
from generator.docx_import.markdown_out import body_markdown
from generator.docx_import.opening import open_document
from generator.docx_import.report import ImportFailed, ImportReport, Note
from generator.problems import Problem
from generator.vietnamese.text import nfc, slugify

MAX_PAGES = 100
CHARACTERS_PER_PAGE = 3000  # a full A4 page of Times New Roman 13, as the Department's documents are set
SUMMARY_LENGTH = 300
MAX_TITLE = 200
IMAGE_FOLDER = "anh"


@dataclass(frozen=True)
class ImportRequest:
    """What `awareness import` was asked: the file and the front matter the writer gave."""

    source: Path
    content: Path
    today: date
    campaign: str | None = None
    department: str | None = None
    task: str | None = None
    title: str | None = None


def import_document(request: ImportRequest) -> ImportReport:
    """Write the draft article and its images; ImportFailed with every reason when nothing was written."""
    problems: list[Problem] = []
    front: dict = {}
    try:
        front = _front_matter(request)
    except ScaffoldError as error:
        problems.append(Problem(request.source.as_posix(), None, str(error), "xem `awareness import --help`"))
    try:
        body, reading = read_body(open_document(request.source))
    except ImportFailed as failed:
        raise ImportFailed(problems + failed.problems) from None
    except (KeyError, ValueError, AttributeError, TypeError, IndexError) as error:
        # python-docx opened the file, but a part is not as Word writes it (a tool's own variant of the format)
        raise ImportFailed(problems + [Problem(request.source.as_posix(), None,
                                               f"tệp Word có phần không đọc được ({type(error).__name__})",
                                               "mở trong Word, chọn Lưu thành → Word Document (*.docx) thành tệp "
                                               "mới rồi nhập tệp mới")]) from None
    problems += _too_long(request.source, body)
    if problems:
        raise ImportFailed(problems)
    return _write(request, front, body, reading)


def _front_matter(request: ImportRequest) -> dict:
    if request.task:
        task, plan, campaign = plan_task(request.content, request.task)
        if request.department:
            known_campaign(request.content, campaign.id, request.department)  # checks the office named
        front = {"campaign": campaign.id, "department": request.department or task.lead, "year": plan.year,
                 "plan_task": task.id}
        theme = campaign.theme(plan.year)
    elif request.campaign and request.department:
        campaign = known_campaign(request.content, request.campaign, request.department)
        front = {"campaign": campaign.id, "department": request.department, "year": request.today.year}
        theme = campaign.theme(request.today.year)
    else:
        raise ScaffoldError("cần --task MÃ, hoặc đủ --campaign và --department")
    if theme:
        front["theme"] = theme.vi
    return front


def _too_long(source: Path, body: Body) -> list[Problem]:
    characters = sum(len(plain_text(list(b.spans))) for b in body.blocks) + sum(
        len(plain_text(list(p))) for b in body.blocks for row in b.rows for cell in row for p in cell.paragraphs)
    pages = characters // CHARACTERS_PER_PAGE
    if pages <= MAX_PAGES:
        return []
    return [Problem(source.as_posix(), None, f"tài liệu dài khoảng {pages} trang, quá dài cho một bài viết "
                                             f"(tối đa {MAX_PAGES} trang)",
                    "tách thành nhiều bài; hoặc đăng nguyên tệp như văn bản (content/van-ban/) "
                    "và viết một bài ngắn giới thiệu")]


def _title(request: ImportRequest, body: Body) -> tuple[str, tuple[Block, ...]]:
    """The --title, else Word's Title paragraph, else the first Heading 1, else a bold first line, else
    the file's name."""
    blocks = body.blocks
    index = next((i for i, b in enumerate(blocks) if b.kind == "title"), None)
    if index is None and not request.title:
        index = next((i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1), None)
    if index is None and not request.title and blocks and _bold_line(blocks[0]):
        index = 0  # no styles used: a short first paragraph all in bold is how the title was typed
    found = plain_text(list(blocks[index].spans)) if index is not None else ""
    rest = blocks[:index] + blocks[index + 1:] if index is not None else blocks
    rest = tuple(b for b in rest if b.kind != "title")
    return nfc(" ".join((request.title or found or request.source.stem.replace("_", " ")).split())), rest


def _bold_line(block: Block) -> bool:
    texts = [s for s in block.spans if s.kind == "text" and s.text.strip()]
    return block.kind == "paragraph" and bool(texts) and all(s.bold for s in texts) \
        and len(plain_text(list(block.spans))) <= MAX_TITLE


def _summary(blocks: tuple[Block, ...]) -> str:
    first = next((plain_text(list(b.spans)) for b in blocks if b.kind == "paragraph" and plain_text(list(b.spans))), "")
    first = " ".join(first.split())
    if len(first) <= SUMMARY_LENGTH:
        return first
    return first[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"


def _write(request: ImportRequest, front: dict, body: Body, reading: Reading) -> ImportReport:
    title, blocks = _title(request, body)
    slug = slugify(title)
    folder = request.content / "bai-viet" / str(front["year"])
    article = folder / f"{slug}.md"
    names = [f"{IMAGE_FOLDER}/{slug}-{n}.{image.extension}" for n, image in enumerate(reading.images, start=1)]
    notes = list(reading.notes) + [Note(None, f"ảnh {name} chưa có lời mô tả (alt); bản dựng sẽ nhắc",
                                        "mở bài .md, viết mô tả ngắn trong ![…] của ảnh")
                                   for name, image in zip(names, reading.images, strict=True) if not image.alt]
    taken = [p for p in [article, *(folder / n for n in names)] if p.exists()]
    if not slug or taken:
        hint = "chọn tiêu đề khác (--title)" if slug else "đặt tiêu đề bằng chữ hoặc số (--title)"
        raise ImportFailed([Problem(p.as_posix(), None, "tệp đã có, không ghi đè", hint) for p in taken]
                           or [Problem(request.source.as_posix(), None, "tiêu đề không tạo được tên tệp", hint)])
    markdown = body_markdown(Body(blocks, body.footnotes), lambda index: names[index])
    meta = {"title": title, "date": request.today.isoformat(), **front, "summary": _summary(blocks),
            "tags": [], "draft": True}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + markdown
    files = [(article, text.encode("utf-8"))] + [(folder / n, image.data)
                                                for n, image in zip(names, reading.images, strict=True)]
    _create_all(files)
    return ImportReport(request.source, article, tuple(folder / n for n in names), tuple(notes),
                        tuple(reading.converted))


def _create_all(files: list[tuple[Path, bytes]]) -> None:
    """Create each file exclusively ("x"): a file that appeared meanwhile is never overwritten."""
    created: list[Path] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:
                created.append(path)
                handle.write(data)
    except OSError as error:
        for path in created:
            path.unlink(missing_ok=True)
        raise ImportFailed([Problem(path.as_posix(), None, f"không ghi được tệp: {error.strerror or error}",
                                    "kiểm tra chỗ trống trên đĩa và quyền ghi thư mục; không tệp nào được ghi")]) \
            from None
