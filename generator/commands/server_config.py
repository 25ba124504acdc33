"""`awareness server-config`: nginx, Apache and IIS configuration for the built site
(generator.publish.serverconfig): the 404 page, compression, caching and security headers."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.common import content_option, report_problems, today_in_vietnam
from generator.problems import Problems


@click.command("server-config")
@content_option()
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang đã dựng (để chính sách bảo mật khớp đúng các trang).")
@click.option("--base-url", help="Địa chỉ công khai (mặc định: tên miền hiện nay của Sở trong identity.yaml).")
@click.option("--to", "folder", type=click.Path(path_type=Path, file_okay=False), default="cau-hinh-may-chu",
              show_default=True, help="Thư mục ghi nginx.conf, .htaccess và web.config.")
def server_config_command(content: Path, output: Path, base_url: str | None, folder: Path) -> None:
    """Viết cấu hình máy chủ web (nginx, Apache, IIS) cho trang đã dựng: trang 404, nén, bộ nhớ đệm, bảo mật."""
    from generator.content.data import load_site_config
    from generator.publish import public_address, serverconfig

    problems = Problems()
    config = load_site_config(content / "_data" / "site.yaml", problems)
    if config is None or not (output / "index.html").is_file():
        report_problems(problems.items)
        raise click.UsageError(f"cần nội dung đọc được và trang đã dựng trong {output}/ (chạy awareness build trước)")
    address = public_address(None, base_url, content, today_in_vietnam()) or config.base_url
    headers = serverconfig.site_headers(output, address, config.allowed_iframe_hosts)
    for path in serverconfig.write_all(headers, folder):
        click.echo(path.as_posix())
