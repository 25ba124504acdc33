"""Problems found in the input, collected with their location and reported together.

Every stage reports into a `Problems` collector instead of raising, so one build
tells the author about every mistake at once; the CLI turns them into an exit code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # "error" stops the build, "warning" does not

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


@dataclass
class Problems:
    """Collects problems from every stage; rooted so paths read relative to the project."""

    root: Path = field(default_factory=Path.cwd)
    items: list[Problem] = field(default_factory=list)

    def error(self, path: Path | str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.shown(path), line, message, hint))

    def warning(self, path: Path | str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(self.shown(path), line, message, hint, "warning"))

    def add_relative(self, base: Path, problem: Problem) -> None:
        """Take a problem whose path is relative to `base` (the content folder), as data from a cache."""
        self.items.append(Problem(self.shown(base / problem.path), problem.line, problem.message, problem.hint,
                                  problem.severity))

    def shown(self, path: Path | str) -> str:
        """The path as the author knows it: relative to the project, symbolic links not followed."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def promote_warnings(self) -> None:
        """--strict: every warning becomes an error, so nothing questionable is published."""
        self.items = [replace(p, severity="error") for p in self.items]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]


class BuildFailed(Exception):
    """Raised at the end of a stage when it found errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems
