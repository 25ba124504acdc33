"""Word files a reviewer drops into content/nhap-word/ become draft articles while the preview runs.

The folder under nhap-word/ gives the front matter: `nhap-word/<task>/bai.docx` (a plan task, as
`awareness import --task`) or `nhap-word/<campaign>/<department>/bai.docx`. An imported file is moved into
nhap-word/_da-nhap/ (an underscore folder: never published, never watched), which is what makes each file
imported once; a file that cannot be imported stays where it is, and its problems are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.docx_import import DROP_FOLDER
from generator.docx_import.article import ImportRequest, import_document
from generator.docx_import.report import ImportFailed, ImportReport
from generator.problems import Problem

DONE_FOLDER = "_da-nhap"
WORD_SUFFIXES = {".docx", ".docm", ".doc", ".odt"}


@dataclass(frozen=True)
class Dropped:
    """One dropped file: its report when imported, else the problems that kept it from being imported."""

    source: Path
    report: ImportReport | None
    problems: tuple[Problem, ...] = ()

    def lines(self) -> list[str]:
        if self.report is None:
            return [p.format() for p in self.problems] + [f"{self.source.name}: chưa nhập; sửa rồi thả lại tệp"]
        return [f"Đã nhập {self.source.name} thành {self.report.article.as_posix()} (bản nháp)", *self.report.lines()]


def import_dropped(content: Path, today: date) -> list[Dropped]:
    """Import every Word file waiting under content/nhap-word/ (not yet moved to _da-nhap/)."""
    folder = content / DROP_FOLDER
    if not folder.is_dir():
        return []
    waiting = sorted(p for p in folder.rglob("*") if p.suffix.lower() in WORD_SUFFIXES and p.is_file()
                     and not any(part.startswith((".", "_", "~")) for part in p.relative_to(folder).parts))
    return [_import_one(content, folder, path, today) for path in waiting]


def _import_one(content: Path, folder: Path, path: Path, today: date) -> Dropped:
    where = path.relative_to(folder).parts[:-1]
    if len(where) not in (1, 2):
        return Dropped(path, None, (Problem(path.as_posix(), None, "không biết bài thuộc nhiệm vụ hay chiến dịch nào",
                                            f"đặt tệp vào {DROP_FOLDER}/<mã nhiệm vụ>/ hoặc "
                                            f"{DROP_FOLDER}/<mã chiến dịch>/<mã đơn vị>/"),))
    ids = {"task": where[0]} if len(where) == 1 else {"campaign": where[0], "department": where[1]}
    try:
        report = import_document(ImportRequest(path, content, today, **ids))
    except ImportFailed as failed:
        return Dropped(path, None, tuple(failed.problems))
    done = _free_name(folder / DONE_FOLDER / path.relative_to(folder))
    done.parent.mkdir(parents=True, exist_ok=True)
    path.rename(done)
    return Dropped(done, report)


def _free_name(path: Path) -> Path:
    """The path, or with -2, -3… before the suffix: a file imported earlier under that name is kept."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate
