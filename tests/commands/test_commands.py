"""The commands' modules (generator/commands/): every command is registered on the `awareness` group, and
what only one command needs (the preview server, publishing, Word import, the link checker, the plan's
e-mail) is imported inside that command, so `awareness --help` and `awareness build` do not pay for it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from generator.cli import main

# Each is imported by one command only; any of them at import time would slow every command down.
LAZY = ("tornado", "livereload", "watchfiles", "webbrowser", "docx", "paramiko", "httpx", "email",
        "generator.live.serve", "generator.live.watch", "generator.publish", "generator.docx_import.article",
        "generator.linkcheck.check", "generator.plan.report")

COMMANDS = {"build", "serve", "init", "new", "import", "fix-encoding", "report", "plan", "digest", "check",
            "publish", "server-config"}


def imported_by(*args: str) -> set[str]:
    """The modules `python -m generator ARGS` imports, from the interpreter's own -X importtime record."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", *args], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}


def test_the_lazy_modules_exist():
    # a misspelt name would make the test below pass whatever the commands import
    assert [name for name in LAZY if importlib.util.find_spec(name) is None] == []


@pytest.mark.parametrize("args", [("--help",), ("build", "--help"), ("fix-encoding", "--help")])
def test_heavy_modules_stay_inside_their_command(args):
    modules = imported_by(*args)
    assert "generator.commands.build" in modules  # the record is read right
    assert sorted(modules & set(LAZY)) == []


def test_every_command_is_registered_from_its_module():
    assert set(main.commands) == COMMANDS
    modules = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert all(module.startswith("generator.commands.") for module in modules.values()), modules
