"""`awareness build`: the whole site into output/, then optionally its links checked (--check) or
output/ kept up to date on every save (--watch)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from generator.commands.check import CheckRequest, run_check
from generator.commands.common import (
    REVIEW_PATH,
    content_option,
    project_folder,
    report_failure,
    report_problems,
    require_content,
    shown,
    today_in_vietnam,
)
from generator.output.lock import BuildLocked
from generator.output.write import OutputHeld, OutputRefused
from generator.pipeline import build
from generator.problems import BuildFailed
from generator.settings import BuildResult, BuildSettings


@click.command("build")
@content_option("Thư mục bài viết và dữ liệu.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục xuất trang web.")
@click.option("--base-url", help="Địa chỉ gốc khi đăng, ví dụ https://sct.lamdong.gov.vn/chuyen-de/.")
@click.option("--drafts", is_flag=True, help="Đưa cả bài nháp (draft: true) vào trang.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=".cache", show_default=True,
              help="Thư mục bộ nhớ đệm giữa các lần dựng.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Ngày tham chiếu (mặc định: hôm nay).")
@click.option("--strict", is_flag=True, help="Coi mọi cảnh báo (kể cả HTML không an toàn bị bỏ) là lỗi.")
@click.option("--check", "check_links", is_flag=True, help="Dựng xong thì kiểm tra mọi liên kết.")
@click.option("--offline", is_flag=True, help="Với --check: không kiểm liên kết ra ngoài (máy không có Internet).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Số tiến trình dựng song song (mặc định: một cho mỗi lõi được dùng; 1: không song song).")
@click.option("--timings", is_flag=True, help="In thời gian của từng bước dựng.")
@click.option("--watch", is_flag=True,
              help="Dựng xong thì theo dõi: mỗi lần lưu tệp, cập nhật ngay output/ (Ctrl-C để dừng).")
def build_command(content: Path, output: Path, base_url: str | None, drafts: bool, cache_dir: Path,
                  today: datetime | None, strict: bool, check_links: bool, offline: bool, jobs: int | None,
                  timings: bool, watch: bool) -> None:
    """Dựng toàn bộ trang web vào thư mục output/."""
    require_content(content)
    if watch and check_links:
        raise click.UsageError("--watch và --check không dùng cùng nhau: kiểm tra liên kết bằng lệnh "
                               "awareness check khi đã sửa xong")
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=output, templates=project_folder("templates"),
        assets=project_folder("assets"), cache=cache_dir, today=today.date() if today else today_in_vietnam(),
        base_url=base_url, drafts=drafts, strict=strict, workers=jobs,
    )
    saves = None
    if watch:
        from generator.live.watch import Saves

        saves = Saves(settings)  # from now: a file saved while the first build runs is not missed
    try:
        result = _run_build(settings)
    except BuildFailed as failed:
        report_failure(failed, output)
        if not watch:
            sys.exit(1)
        result = None
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    except BuildLocked as locked:
        click.echo(f"Không dựng: {locked}. Thư mục {output}/ được giữ nguyên.", err=True)
        sys.exit(1)
    except OutputHeld as held:
        click.echo(f"Dựng xong nhưng chưa đưa vào {output}/: {held}.", err=True)
        sys.exit(1)
    if result is not None:
        report_problems(result.warnings)
        _report_build(result, output)
        if timings:
            report_stages(result.stages, result.seconds)
    if check_links:
        run_check(CheckRequest(output, content, cache_dir, offline=offline))
    if saves is not None:
        _watch(settings, result, saves, fixed_day=today is not None)


def report_stages(stages: tuple[tuple[str, float], ...], seconds: float) -> None:
    """Each stage's seconds, to stderr (stdout keeps the build's one-line report)."""
    click.echo("Thời gian từng bước (giây):", err=True)
    for stage, spent in stages:
        click.echo(f"  {spent:6.3f}  {stage}", err=True)
    click.echo(f"  {seconds:6.3f}  cả lần dựng", err=True)


def _report_build(result: BuildResult, output: Path) -> None:
    """The build's one-line report on stdout, then what changed and what is still waiting."""
    if result.replayed:
        click.echo(f"Không có gì thay đổi kể từ lần dựng trước: {output}/ giữ nguyên {result.pages} trang "
                   f"({result.files} tệp); kiểm tra trong {result.seconds:.2f} giây.")
    else:
        click.echo(f"Đã dựng {result.pages} trang ({result.files} tệp) vào {output}/ trong {result.seconds:.2f} giây.")
    if result.changes is not None and not result.replayed:
        click.echo(f"{len(result.changes.lines())} tệp thay đổi so với lần dựng trước "
                   f"(danh sách trong {output}/.changes.txt); {result.rendered} trang dựng lại.")
    waiting = [f"{result.drafts} bản nháp"] if result.drafts else []
    waiting += [f"{result.scheduled} bài hẹn ngày đăng"] if result.scheduled else []
    if waiting:
        click.echo(f"Chưa đăng: {' và '.join(waiting)} (cùng ảnh chỉ các bài đó dùng); xem trước bằng "
                   f"awareness serve, danh sách ở trang /{REVIEW_PATH}.")


def _watch(settings: BuildSettings, result, saves, fixed_day: bool) -> None:
    """build --watch: output/ updated on every save until Ctrl-C (watch.py)."""
    from generator.live import watch

    watcher = watch.Watcher(settings, today=None if fixed_day else today_in_vietnam)
    try:
        watcher.start(result)
    except BuildFailed as failed:
        report_failure(failed, shown(settings.output))
    click.echo(f"Đang theo dõi {shown(settings.content)}/, mẫu trang và tài nguyên: mỗi lần lưu, "
               f"{shown(settings.output)}/ được cập nhật (Ctrl-C để dừng).", err=True)

    def report(outcome) -> None:
        if isinstance(outcome, str):
            click.echo(outcome, err=True)
        elif isinstance(outcome, BuildFailed):
            report_failure(outcome, shown(settings.output))
        elif outcome.build is not None:
            report_problems(outcome.build.warnings)
            _report_build(outcome.build, shown(settings.output))
        elif outcome.written:
            click.echo(f"Cập nhật {len(outcome.written)} tệp trong {outcome.seconds * 1000:.0f} ms: "
                       + ", ".join(outcome.written[:5]) + (" …" if len(outcome.written) > 5 else ""))
        else:
            click.echo(f"Không tệp nào của {shown(settings.output)}/ thay đổi ({outcome.seconds * 1000:.0f} ms).")

    watch.watch(watcher, saves, report)
    click.echo(f"Đã dừng theo dõi. Các tệp đổi từ lần dựng đầu: {shown(settings.output)}/.changes.txt", err=True)


def _run_build(settings: BuildSettings) -> BuildResult:
    """The build, with a progress bar on a terminal when it is long enough to need one."""
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

