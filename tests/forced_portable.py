"""Run the `awareness` command on Linux as it would run where POSIX-only pieces are missing.

    python -m tests.forced_portable build --content content --output output

CI has no Windows or macOS runner, so the portable paths are forced here instead: the POSIX-only
modules (fcntl, termios, resource) cannot be imported, there is no fork, no renameat2, no hard
links, and the event loop has no signal handlers (as Windows' loops). The tests compare what this
writes with a normal build's bytes.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import os
import sys

BLOCKED = ("fcntl", "termios", "resource")


class _NoPosixModules(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED:
            raise ImportError(f"No module named {name!r} (blocked: forced portable run)")
        return None


def _no_link(*_args, **_kwargs):
    raise OSError("hard links unavailable (forced portable run)")


def _no_signal_handlers(self, *_args, **_kwargs):
    raise NotImplementedError


def install() -> None:
    """Make this interpreter lack what Windows lacks; call before importing the generator.

    filelock and psutil are imported first: each picks its own backend for the system it runs on
    (on Windows, LockFileEx and the Windows API), which cannot be faked here."""
    import filelock  # noqa: F401
    import psutil  # noqa: F401

    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, _NoPosixModules())
    if hasattr(os, "fork"):
        del os.fork
    os.link = _no_link
    asyncio.SelectorEventLoop.add_signal_handler = _no_signal_handlers  # the loop Tornado runs on
    from generator.output import write

    write._renameat2 = lambda: None  # what _renameat2 finds where libc has no renameat2 (macOS, Windows)


if __name__ == "__main__":
    install()
    from generator.cli import run

    sys.argv[0] = "awareness"
    run()
