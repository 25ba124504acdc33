"""The documents section ("Văn bản"): the fields Decree 42/2022/NĐ-CP Art. 4(a) asks for.

Each document in `content/_data/documents.yaml` has a type, issuing body, number-symbol
("647/KH-SCT", checked against the form of Decree 30/2020/NĐ-CP), issue and effective dates,
a summary (trích yếu), an optional file kept in content/, and the documents it implements.
What implements a document is computed from the other side, so the link is written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.content.data import Entry, read_yaml
from generator.problems import Problems
from generator.vietnamese.text import slugify

# Decree 30/2020/NĐ-CP, Appendix I: "Số: 647/KH-SCT", "Số: 35/2025/NĐ-CP", "Số: 202/2025/QH15":
# a number, optionally the year, then the abbreviations of the type and the issuer joined by '-'.
NUMBER_SYMBOL = re.compile(r"[0-9]+(/[0-9]{4})?/[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ][A-ZĐ0-9]*)*")
DOWNLOADABLE = (".pdf", ".docx", ".doc", ".odt")


@dataclass(frozen=True)
class Document:
    number: str  # number-symbol, "647/KH-SCT"
    kind: str  # "Kế hoạch", "Công văn", "Nghị định", …
    issuer: str
    issued: date
    summary: str
    effective: date | None = None
    place: str = ""
    signer: str = ""
    signer_title: str = ""
    file: str = ""  # content-relative path of the file to download
    implements: tuple[str, ...] = ()  # number-symbols of the documents it carries out
    link: str = ""  # a site path with more (e.g. the plan's page)

    @property
    def slug(self) -> str:
        return slugify(self.number.replace("/", "-"))

    @property
    def year(self) -> int:
        return self.issued.year


def implemented_by(document: Document, documents: tuple[Document, ...]) -> tuple[Document, ...]:
    return tuple(d for d in documents if document.number in d.implements)


def find(number: str, documents: tuple[Document, ...]) -> Document | None:
    return next((d for d in documents if d.number == number), None)


def load_documents(path: Path, content_dir: Path, problems: Problems) -> tuple[Document, ...]:
    if not path.is_file():
        return ()
    entry = read_yaml(path, problems)
    if entry is None:
        return ()
    pairs = [(item, _document(item, content_dir, problems)) for item in entry.children()]
    pairs = [(item, document) for item, document in pairs if document]
    _check_references(pairs, problems)
    documents = (document for _, document in pairs)
    return tuple(sorted(documents, key=lambda d: (d.issued, d.number), reverse=True))


def _document(entry: Entry, content_dir: Path, problems: Problems) -> Document | None:
    value = entry.value
    if not isinstance(value, dict):
        problems.error(entry.path, entry.line, "mỗi văn bản là một bảng khóa: number, type, issuer, issued, summary")
        return None
    ok = True
    for key in ("number", "type", "issuer", "summary"):
        if not isinstance(value.get(key), str) or not value[key].strip():
            problems.error(entry.path, entry.line_of(key), f"văn bản thiếu hoặc sai khóa '{key}'",
                           "ví dụ: number: \"647/KH-SCT\", type: \"Kế hoạch\", issuer: \"Sở Công Thương …\"")
            ok = False
    number = str(value.get("number") or "").strip()
    if number and not NUMBER_SYMBOL.fullmatch(number):
        problems.error(entry.path, entry.line_of("number"), f"số, ký hiệu văn bản sai thể thức: {number!r}",
                       "theo Nghị định 30/2020/NĐ-CP: số/ký hiệu viết hoa, không dấu cách, ví dụ 647/KH-SCT, "
                       "35/2025/NĐ-CP, 1663/BTNMT-TTTT")
        ok = False
    for key, required in (("issued", True), ("effective", False)):
        if (required or key in value) and not isinstance(value.get(key), date):
            problems.error(entry.path, entry.line_of(key), f"'{key}' phải là một ngày dạng 2023-03-21")
            ok = False
    file = _file(entry, content_dir, problems)
    if not ok or file is None:
        return None
    implements = value.get("implements") or []
    return Document(
        number=number, kind=value["type"].strip(), issuer=value["issuer"].strip(), issued=value["issued"],
        summary=value["summary"].strip(), effective=value.get("effective"), place=str(value.get("place") or ""),
        signer=str(value.get("signer") or ""), signer_title=str(value.get("signer_title") or ""), file=file,
        implements=tuple(str(n).strip() for n in implements), link=str(value.get("link") or ""),
    )


def _file(entry: Entry, content_dir: Path, problems: Problems) -> str | None:
    """The downloadable file's content-relative path ('' when none); None after a problem."""
    name = entry.value.get("file")
    if not name:
        return ""
    line = entry.line_of("file")
    target = (content_dir / str(name)).resolve()
    root = content_dir.resolve()
    if root not in target.parents or not target.is_file():
        problems.error(entry.path, line, f"không tìm thấy tệp văn bản {name!r} trong content/",
                       "đặt tệp PDF hoặc DOCX trong content/van-ban/ và ghi đường dẫn tính từ content/")
        return None
    if target.suffix.lower() not in DOWNLOADABLE:
        problems.error(entry.path, line, f"tệp văn bản {name!r} không phải PDF hoặc DOCX",
                       "đăng bản PDF (hoặc DOCX) của văn bản")
        return None
    return target.relative_to(root).as_posix()


def _check_references(pairs: list[tuple[Entry, Document]], problems: Problems) -> None:
    numbers = {d.number for _, d in pairs}
    seen: set[str] = set()
    for item, document in pairs:
        if document.number in seen:
            problems.error(item.path, item.line_of("number"), f"văn bản {document.number} được khai báo hai lần")
        seen.add(document.number)
        for target in document.implements:
            if target not in numbers:
                problems.error(item.path, item.line_of("implements"),
                               f"văn bản {document.number} thực hiện {target!r}, nhưng văn bản này chưa được khai báo",
                               "thêm văn bản đó vào documents.yaml hoặc sửa số, ký hiệu cho đúng")
