"""The plan's commands, `awareness report`, `plan` and `digest`: one report of the plan opened from the
content, shown as the results report, the task table or the e-mail to staff. The logic lives in
generator.plan (status, report); generator.plan.report is imported inside each command, as it imports email."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.commands.common import (
    content_option,
    project_folder,
    report_problems,
    require_content,
    today_in_vietnam,
)
from generator.plan.status import FORMATS
from generator.problems import BuildFailed

if TYPE_CHECKING:
    from generator.content.model import Site
    from generator.plan.status import Report

PLAN_OPTION = click.option("--plan", "plan_id", help="Mã kế hoạch, ví dụ 647-KH-SCT (mặc định: kế hoạch mới nhất).")
TODAY_OPTION = click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
                            help="Ngày tham chiếu để tính quá hạn (mặc định: hôm nay).")
CONTENT_OPTION = content_option()


def _open_report(content: Path, plan_id: str | None, today: datetime | None) -> tuple[Site, Report]:
    """The site read and the plan's report made; content with errors ends the command with all of them."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    require_content(content)
    try:
        site, report, warnings = plan_report.open_report(content, Path.cwd(), plan_id,
                                                         today.date() if today else today_in_vietnam())
    except BuildFailed as failed:
        report_problems(failed.problems)
        click.echo("Nội dung có lỗi; sửa rồi chạy lại.", err=True)
        sys.exit(1)
    except plan_report.UnknownPlan as error:
        raise click.UsageError(str(error)) from None
    report_problems(warnings)
    return site, report


@click.command("report")
@PLAN_OPTION
@TODAY_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@CONTENT_OPTION
def report_command(plan_id: str | None, today: datetime | None, fmt: str, content: Path) -> None:
    """In báo cáo kết quả thực hiện kế hoạch, lập từ những gì đã đăng."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    click.echo(plan_report.format_report(site, report, fmt, project_folder("templates"), project_folder("assets")),
               nl=False)


@click.command("plan")
@PLAN_OPTION
@TODAY_OPTION
@CONTENT_OPTION
def plan_command(plan_id: str | None, today: datetime | None, content: Path) -> None:
    """In bảng nhiệm vụ của kế hoạch và trạng thái từng nhiệm vụ."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    click.echo(plan_report.task_table(site, report), nl=False)


@click.command("digest")
@PLAN_OPTION
@TODAY_OPTION
@CONTENT_OPTION
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default="digest", show_default=True,
              help="Thư mục ghi thư (HTML, văn bản thuần, và tệp .eml mở được bằng chương trình thư).")
def digest_command(plan_id: str | None, today: datetime | None, content: Path, out: Path) -> None:
    """Soạn thư gửi tài liệu tuyên truyền đến toàn thể công chức, viên chức, người lao động."""
    from generator.plan import report as plan_report  # the plan commands only: it imports email

    site, report = _open_report(content, plan_id, today)
    if Path(out).resolve() == Path("output").resolve() or Path("output").resolve() in Path(out).resolve().parents:
        raise click.UsageError("không ghi thư vào output/: thư mục đó do lệnh build quản lý; dùng --out khác")
    mail, missing = plan_report.digest(site, report, project_folder("templates"))
    for url in missing:
        click.echo(f"cảnh báo: trang /{url} chưa có trên trang web nên không đưa vào thư", err=True)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{report.plan.id.lower()}-{report.today.isoformat()}"
    for suffix, data in ((".html", mail.html.encode()), (".txt", mail.text.encode()), (".eml", mail.eml())):
        path = out / (stem + suffix)
        path.write_bytes(data)
        click.echo(path.as_posix())
