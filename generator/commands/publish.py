"""`awareness publish`: the site built for a target's address, then sent to its server (generator.publish).
paramiko and ftplib are imported inside the command: no other command pays for them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator.commands.common import (
    content_option,
    project_folder,
    report_failure,
    report_problems,
    require_content,
    today_in_vietnam,
)
from generator.output.lock import BuildLocked
from generator.output.write import OutputRefused
from generator.pipeline import build
from generator.problems import BuildFailed
from generator.settings import BuildSettings


@click.command("publish")
@click.argument("target", required=False, metavar="[TÊN|ĐỊA-CHỈ]")
@content_option("Thư mục nội dung (nơi đăng đặt trong _data/site.yaml, mục publish:).")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang dựng cho nơi đăng này.")
@click.option("--base-url", help="Địa chỉ công khai của nơi đăng (mặc định: base_url của nơi đăng, "
              "hoặc tên miền hiện nay của Sở trong identity.yaml).")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê tệp sẽ gửi và sẽ xóa, không gửi gì.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--break-lock", is_flag=True, help="Bỏ khóa của một lần đăng trước đã bị ngắt trên máy khác.")
def publish_command(target: str | None, content: Path, output: Path, base_url: str | None, dry_run: bool, fmt: str,
                    break_lock: bool) -> None:
    """Dựng trang cho nơi đăng rồi đưa lên máy chủ: chỉ gửi tệp thay đổi, không bao giờ để trang hỏng giữa chừng."""
    from generator import publish  # paramiko and ftplib: only for this command
    from generator.publish import report

    require_content(content)
    try:
        chosen = publish.choose(target, content / "_data" / "site.yaml")
    except publish.TargetError as error:
        report_problems(error.problems)
        sys.exit(2)
    address = publish.public_address(chosen, base_url, content, today_in_vietnam())
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=output, templates=project_folder("templates"),
        assets=project_folder("assets"), cache=Path(".cache"), today=today_in_vietnam(), base_url=address,
    )
    try:
        built = build(settings)  # for this target's address: canonical URLs, sitemap, feeds, robots.txt
    except BuildFailed as failed:
        report_failure(failed, output)
        sys.exit(1)
    except (OutputRefused, BuildLocked) as refused:
        raise click.UsageError(str(refused)) from None
    report_problems(built.warnings)
    try:
        done = publish.publish(output, chosen, address or "", _publish_password, dry_run=dry_run,
                               break_lock=break_lock, progress=report.Bar() if fmt == "text" else None)
    except publish.PublishError as error:
        click.echo(f"Không đăng được: {error.message}" + (f"\n    → {error.hint}" if error.hint else ""), err=True)
        sys.exit(1)
    click.echo(report.to_text(done) if fmt == "text" else report.to_json(done))


def _publish_password() -> str:
    """The server password: from the environment, else asked (never stored, never echoed)."""
    from generator.publish import PASSWORD_VARIABLE, PublishError

    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        raise PublishError("máy chủ cần mật khẩu mà không có ai để hỏi",
                           f"đặt biến môi trường {PASSWORD_VARIABLE}, hoặc dùng khóa SSH")
    return click.prompt("Mật khẩu máy chủ", hide_input=True, err=True)
