"""`awareness import`: a Word document into a draft article (generator.docx_import). python-docx is
imported inside the command: no other command pays for it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.commands.common import content_option, report_problems, today_in_vietnam


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--campaign", help="Mã chiến dịch, ví dụ gio-trai-dat.")
@click.option("--department", help="Mã đơn vị, ví dụ phong-quan-ly-nang-luong.")
@click.option("--task", "task", help="Mã nhiệm vụ của kế hoạch: chiến dịch, đơn vị, năm lấy từ kế hoạch.")
@click.option("--title", help="Tiêu đề bài (mặc định: tiêu đề trong tệp Word).")
@content_option()
def import_command(file: Path, campaign: str | None, department: str | None, task: str | None, title: str | None,
                   content: Path) -> None:
    """Chuyển tệp Word (.docx; .doc, .odt qua LibreOffice) thành bài viết nháp."""
    from generator.docx_import.article import ImportFailed, ImportRequest, import_document  # python-docx: here only

    if not task and not (campaign and department):
        raise click.UsageError("cần --task MÃ, hoặc đủ --campaign và --department")
    request = ImportRequest(file, content, today_in_vietnam(), campaign, department, task, title)
    try:
        report = import_document(request)
    except ImportFailed as failed:
        report_problems(failed.problems)
        click.echo("Chưa nhập được; không tệp nào được ghi.", err=True)
        sys.exit(1)
    click.echo(report.article.as_posix())
    for line in report.lines():
        click.echo(line, err=True)
    click.echo(f"Đã nhập: {len(report.images)} ảnh, {len(report.converted)} đoạn chuyển từ mã cũ, "
               f"{len(report.notes)} điều cần xem lại.", err=True)
