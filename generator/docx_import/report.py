"""What an import produced and what it could not carry over, as data for the command to print."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Note:
    """One thing the writer must look at: where in the Word document (paragraph number), and what."""

    paragraph: int | None  # 1-based, counting the body's paragraphs and table rows as Word lists them
    message: str
    hint: str = ""

    def format(self, source: str) -> str:
        where = f"{source}, đoạn {self.paragraph}" if self.paragraph else source
        return f"{where}: {self.message}" + (f"\n    → {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class ImportReport:
    """The article written, its images, and every note, in document order."""

    source: Path
    article: Path
    images: tuple[Path, ...]
    notes: tuple[Note, ...]
    converted: tuple[Note, ...]  # paragraphs whose legacy TCVN3/VNI text became Unicode

    def lines(self) -> list[str]:
        shown = self.source.name
        return [note.format(shown) for note in (*self.converted, *self.notes)]


class ImportFailed(Exception):
    """Nothing was written: every reason why, each with its fix (generator.problems.Problem)."""

    def __init__(self, problems: list):
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems
