"""What several commands share: the --content option, the project's theme folders, today's date in
Vietnam, and how problems and a failed build are shown to the user."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from generator import theme
from generator.problems import BuildFailed, Problem, Problems
from generator.vietnamese.text import TZ

REVIEW_PATH = "_duyet/"  # generator.site.review.REVIEW_URL, without importing the preview for every command


def content_option(help_text: str | None = None):
    """--content, the folder of articles and data: every command that reads the site takes it."""
    return click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content",
                        show_default=True, help=help_text)


def require_content(content: Path) -> None:
    """A usage error before anything is read: a mistyped --content names itself, not a missing file."""
    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")


def project_folder(name: str) -> Path:
    """templates/ and assets/ from the current folder, else the generator's own (theme.py)."""
    return theme.theme_folder(name, Path.cwd())


def shown(path: Path) -> str:
    """A folder as the user knows it: relative to where the command runs when it is inside it."""
    return Problems(root=Path.cwd()).shown(path)


def today_in_vietnam() -> date:
    return datetime.now(TZ).date()


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        prefix = "cảnh báo: " if problem.severity == "warning" else ""
        click.echo(prefix + problem.format(), err=True)


def report_failure(failed: BuildFailed, output: Path) -> None:
    """Every problem of a failed build, then one line saying output/ was left as it was."""
    report_problems(failed.problems)
    errors = sum(1 for p in failed.problems if p.severity == "error")
    click.echo(f"Dựng thất bại: {errors} lỗi. Thư mục {output}/ được giữ nguyên.", err=True)
