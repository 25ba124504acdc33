"""`awareness fix-encoding`: files in TCVN3, VNI or Windows-1258 rewritten in UTF-8
(generator.vietnamese.fix_encoding), the original kept beside them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.vietnamese.fix_encoding import FAILED, fix_file


@click.command("fix-encoding")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--encoding", type=click.Choice(["tcvn3", "vni", "windows-1258"], case_sensitive=False),
              help="Mã cũ của tệp, khi không muốn để chương trình tự đoán.")
def fix_encoding_command(files: tuple[Path, ...], encoding: str | None) -> None:
    """Chuyển tệp mã TCVN3, VNI hoặc Windows-1258 sang UTF-8 (NFC), giữ bản gốc FILE.bak."""
    results = [fix_file(path, encoding) for path in files]
    for result in results:
        click.echo(f"{result.path.as_posix()}: {result.message}", err=result.status == FAILED)
    if any(result.status == FAILED for result in results):
        sys.exit(1)
