"""`awareness check`: every link of a built site, with the source line that wrote a broken one."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from generator.commands.common import content_option


@click.command("check")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default="output", show_default=True,
              help="Thư mục trang đã dựng.")
@content_option("Thư mục nội dung (đọc base_url và link_exclusions trong _data/site.yaml).")
@click.option("--offline", is_flag=True, help="Không kiểm liên kết ra ngoài (máy không có Internet).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@click.option("--cache", "http_cache", type=click.Path(path_type=Path, dir_okay=False),
              help="Tệp lưu kết quả liên kết ngoài (mặc định .cache/linkcheck/external.json).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=".cache", show_default=True,
              help="Thư mục bộ nhớ đệm của lần dựng (bản đồ nguồn, trang đã đọc).")
@click.option("--strict", is_flag=True, help="Liên kết không kiểm chứng được (401, 403, hết giờ…) cũng tính là lỗi.")
@click.option("--include-ok", is_flag=True, help="Liệt kê cả liên kết tốt.")
def check_command(output: Path, content: Path, offline: bool, output_format: str, http_cache: Path | None,
                  cache_dir: Path, strict: bool, include_ok: bool) -> None:
    """Kiểm tra mọi liên kết của trang đã dựng; chỉ ra dòng nguồn đã viết liên kết hỏng."""
    run_check(CheckRequest(output, content, cache_dir, http_cache, offline, output_format, strict, include_ok))


@dataclass(frozen=True)
class CheckRequest:
    """What to check and how to report it: the command's options, or `build --check`'s."""

    output: Path
    content: Path
    cache_dir: Path
    http_cache: Path | None = None
    offline: bool = False
    output_format: str = "text"
    strict: bool = False
    include_ok: bool = False


def run_check(request: CheckRequest) -> None:
    """Check the links of a built site, print the report and exit: 1 when a link is broken.
    Also `build --check`'s last step."""
    output, cache_dir = request.output, request.cache_dir
    from generator.linkcheck import report
    from generator.linkcheck.check import check_site
    from generator.linkcheck.config import SOURCE_MAP, ConfigError, check_settings

    try:
        settings = check_settings(output, request.content, cache_dir, http_cache=request.http_cache,
                                  offline=request.offline, include_ok=request.include_ok)
        result = check_site(settings, cache_dir / SOURCE_MAP)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None
    except (OSError, RuntimeError) as error:  # RuntimeError: a parse worker died (BrokenProcessPool)
        click.echo(f"lỗi khi kiểm tra liên kết: {error}", err=True)
        sys.exit(2)
    formats = {"text": report.to_text, "json": report.to_json,
               "sarif": lambda r: report.to_sarif(r, output.as_posix().rstrip("/") + "/")}
    click.echo(formats[request.output_format](result))
    sys.exit(1 if result.failed(request.strict) else 0)


