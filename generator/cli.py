"""The `awareness` command: the click group every command (generator/commands/) is registered on.

Exit codes: 0 success, 1 problems in the content (or broken links), 2 usage errors.
No traceback reaches a user: unexpected errors are printed as one line (AWARENESS_DEBUG=1 shows them).
"""

from __future__ import annotations

import gc
import os
import sys

import click

from generator import __version__
from generator.commands import (
    build,
    check,
    fix_encoding,
    import_docx,
    init,
    new,
    plan,
    publish,
    serve,
    server_config,
)


class Group(click.Group):
    """Catches what escapes a command so the user sees a message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Đã dừng.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # the reader went away (`awareness plan | head`): what it wanted was printed; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("AWARENESS_DEBUG"):
                raise
            click.echo(f"lỗi không mong đợi: {type(error).__name__}: {error}", err=True)
            click.echo("    → chạy lại với AWARENESS_DEBUG=1 để xem chi tiết và báo cho người quản trị", err=True)
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awareness")
def main() -> None:
    """Dựng trang tin hưởng ứng Ngày Nước, Ngày Khí tượng thế giới và Giờ Trái đất của Sở Công Thương."""


# `awareness --help` lists them by name; each module owns its command's options and help text
main.add_command(build.build_command)
main.add_command(serve.serve_command)
main.add_command(init.init_command)
main.add_command(new.new_command)
main.add_command(import_docx.import_command)
main.add_command(fix_encoding.fix_encoding_command)
main.add_command(plan.report_command)
main.add_command(plan.plan_command)
main.add_command(plan.digest_command)
main.add_command(check.check_command)
main.add_command(publish.publish_command)
main.add_command(server_config.server_config_command)


def _vietnamese_output() -> None:
    """UTF-8 on a redirected stdout and stderr: on Windows they take the ANSI code page (cp1252),
    which has no letter for most Vietnamese ones, and the first message would fail to print."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")


def run() -> None:
    """The `awareness` command and `python -m generator`. gc.freeze() at the end: the site is garbage
    by then, and the system takes the memory back faster than a last collection would free it;
    exit handlers still run and output is still flushed."""
    _vietnamese_output()
    try:
        main()
    finally:
        gc.freeze()
