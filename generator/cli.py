"""The `awareness` command: parses arguments, calls the library, turns problems into exit codes.

Exit codes: 0 success, 1 problems in the content (or broken links), 2 usage errors.
No traceback reaches a user: unexpected errors are printed as one line (AWARENESS_DEBUG=1 shows them).
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from generator import __version__
from generator.build import BuildSettings, build
from generator.problems import BuildFailed, Problem
from generator.scaffold import ScaffoldError, new_article
from generator.text import TZ
from generator.write import OutputRefused

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def project_folder(name: str) -> Path:
    """templates/ and assets/ from the current folder, else those shipped beside the package."""
    here = Path.cwd() / name
    return here if here.is_dir() else PACKAGE_ROOT / name


def today_in_vietnam() -> date:
    return datetime.now(TZ).date()


def report_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0)):
        prefix = "cảnh báo: " if problem.severity == "warning" else ""
        click.echo(prefix + problem.format(), err=True)


class Group(click.Group):
    """Catches what escapes a command so the user sees a message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("AWARENESS_DEBUG"):
                raise
            click.echo(f"lỗi không mong đợi: {type(error).__name__}: {error}", err=True)
            click.echo("    → chạy lại với AWARENESS_DEBUG=1 để xem chi tiết và báo cho người quản trị", err=True)
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awareness")
def main() -> None:
    """Dựng trang tin hưởng ứng Ngày Nước, Ngày Khí tượng thế giới và Giờ Trái đất của Sở Công Thương."""


@main.command("build")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục bài viết và dữ liệu.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục xuất trang web.")
@click.option("--base-url", help="Địa chỉ gốc khi đăng, ví dụ https://sct.binhthuan.gov.vn/chuyen-de/.")
@click.option("--drafts", is_flag=True, help="Đưa cả bài nháp (draft: true) vào trang.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=".cache", show_default=True,
              help="Thư mục bộ nhớ đệm giữa các lần dựng.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Ngày tham chiếu (mặc định: hôm nay).")
def build_command(content: Path, output: Path, base_url: str | None, drafts: bool, cache_dir: Path,
                  today: datetime | None) -> None:
    """Dựng toàn bộ trang web vào thư mục output/."""
    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=output, templates=project_folder("templates"),
        assets=project_folder("assets"), cache=cache_dir, today=today.date() if today else today_in_vietnam(),
        base_url=base_url, drafts=drafts,
    )
    try:
        result = _run_build(settings)
    except BuildFailed as failed:
        report_problems(failed.problems)
        errors = sum(1 for p in failed.problems if p.severity == "error")
        click.echo(f"Dựng thất bại: {errors} lỗi. Thư mục {output}/ được giữ nguyên.", err=True)
        sys.exit(1)
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    report_problems(result.warnings)
    click.echo(f"Đã dựng {result.pages} trang ({result.files} tệp) vào {output}/ trong {result.seconds:.2f} giây.")
    if result.changes is not None:
        click.echo(f"{len(result.changes.lines())} tệp thay đổi so với lần dựng trước "
                   f"(danh sách trong {output}/.changes.txt); {result.rendered} trang dựng lại.")


def _run_build(settings: BuildSettings):
    if not sys.stderr.isatty():
        return build(settings)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= 300:  # only long builds are worth a bar
            bar = click.progressbar(length=total, label="Đang dựng", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        return build(settings, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command("new")
@click.option("--campaign", required=True, help="Mã chiến dịch, ví dụ gio-trai-dat.")
@click.option("--department", required=True, help="Mã đơn vị, ví dụ phong-quan-ly-nang-luong.")
@click.option("--title", required=True, help="Tiêu đề bài viết.")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True)
def new_command(campaign: str, department: str, title: str, content: Path) -> None:
    """Tạo tệp bài viết mới với phần khai báo điền sẵn (bản nháp)."""
    try:
        path = new_article(content, campaign, department, title, today_in_vietnam())
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    click.echo(path.as_posix())
