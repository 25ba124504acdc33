"""`awareness new`: a new draft article with its front matter filled in (generator.content.scaffold)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.common import content_option, today_in_vietnam
from generator.content.scaffold import ScaffoldError, new_article, new_for_task


@click.command("new")
@click.option("--campaign", help="Mã chiến dịch, ví dụ gio-trai-dat.")
@click.option("--department", help="Mã đơn vị, ví dụ phong-quan-ly-nang-luong.")
@click.option("--title", help="Tiêu đề bài viết.")
@click.option("--task", "task",
              help="Mã nhiệm vụ của kế hoạch, ví dụ 1.1-nuoc: chiến dịch, đơn vị, năm lấy từ kế hoạch.")
@content_option()
def new_command(campaign: str | None, department: str | None, title: str | None, task: str | None,
                content: Path) -> None:
    """Tạo tệp bài viết mới với phần khai báo điền sẵn (bản nháp)."""
    if not task and not (campaign and department and title):
        raise click.UsageError("cần --task MÃ, hoặc đủ --campaign, --department và --title")
    try:
        path = new_for_task(content, task, today_in_vietnam(), title) if task else \
            new_article(content, campaign, department, title, today_in_vietnam())
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    click.echo(path.as_posix())
