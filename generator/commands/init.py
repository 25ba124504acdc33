"""`awareness init`: a new site folder, with sample content and a copy of the theme (generator.theme)."""

from __future__ import annotations

from pathlib import Path

import click

from generator import theme


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def init_command(folder: Path) -> None:
    """Tạo thư mục trang mới: nội dung mẫu (mỗi chiến dịch một bài), _data và bản sao giao diện."""
    try:
        made = theme.init_site(folder)
    except theme.InitRefused as refused:
        raise click.UsageError(str(refused)) from None
    click.echo(f"Đã tạo {', '.join(p.as_posix() + '/' for p in made)}.")
    click.echo(f"Dựng thử: cd {folder.as_posix()}  rồi  awareness build")
