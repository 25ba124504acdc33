"""`awareness serve`: the preview server, drafts included, rebuilt and reloaded on every save.
The server itself (generator.live.serve, tornado) is imported inside the command: no other command pays for it."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.common import REVIEW_PATH, project_folder, today_in_vietnam
from generator.output.write import OutputRefused
from generator.settings import BuildSettings

DEFAULT_PORT = 8000


@click.command("serve")
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default="content", show_default=True,
              help="Thư mục bài viết và dữ liệu.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ nghe (mặc định chỉ máy này).")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Cổng nghe (mặc định 8000, hoặc một cổng trống nếu 8000 bận).")
@click.option("--open", "open_browser", is_flag=True, help="Mở trình duyệt khi máy chủ sẵn sàng.")
def serve_command(content: Path, host: str, port: int | None, open_browser: bool) -> None:
    """Xem trước cả bản nháp: dựng vào .cache/preview/, tự dựng lại và tải lại trình duyệt khi lưu tệp.

    Với --host 0.0.0.0, đồng nghiệp trong mạng nội bộ xem được bằng đường dẫn có mã truy cập in ra khi khởi động.
    """
    from generator.live import serve

    if not content.is_dir():
        raise click.UsageError(f"không có thư mục nội dung {content}")
    settings = BuildSettings(
        project=Path.cwd(), content=content, output=Path(".cache") / "preview", templates=project_folder("templates"),
        assets=project_folder("assets"), cache=None, today=today_in_vietnam(), base_url=None, preview=True,
    )
    warning = serve.describe(host)
    if warning:
        click.echo(warning, err=True)
    echo = lambda m: click.echo(m, err=True)  # noqa: E731
    try:
        server = serve.PreviewServer(settings, host, DEFAULT_PORT if port is None else port, echo=echo)
        try:
            server.bind()
        except serve.PortInUse:
            if port is not None:
                raise
            # as Hugo does: the default port is taken (another preview?), so any free one will do
            server = serve.PreviewServer(settings, host, 0, echo=echo)
            server.bind()
            click.echo(f"Cổng {DEFAULT_PORT} đang bận: dùng cổng {server.port}.", err=True)
    except serve.PortInUse as error:
        raise click.UsageError(f"{error} → chọn cổng khác, ví dụ --port {port + 1}") from None
    except OutputRefused as refused:
        raise click.UsageError(str(refused)) from None
    server.build()
    with_token = f"?token={server.access.token}" if server.access.token else ""
    click.echo(f"Xem trước tại {server.url}{with_token}  (Ctrl-C để dừng)")
    click.echo(f"Bài chờ duyệt: {server.url}{REVIEW_PATH}{with_token}")
    if server.access.token:
        click.echo("Đồng nghiệp trong mạng mở một trong các địa chỉ sau (có mã truy cập):")
        for url in server.shared_urls:
            click.echo(f"  {url}")
    if open_browser:
        import webbrowser  # only here: every other command would pay for importing it

        webbrowser.open(server.url + with_token)
    server.serve_forever()
    click.echo("Đã dừng máy chủ xem trước.", err=True)
