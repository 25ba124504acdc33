"""One build at a time per output folder: an advisory lock file beside it (`.output-build.lock`).

Two builds into the same folder would clear each other's staging folders and race on the swap.
`fcntl.flock` is released by the kernel when the process dies, even by SIGKILL, so a killed build
never leaves a stale lock behind; the file itself stays, holding the last holder's process id only
to name it in the message. Builds into different folders (the preview server's) never meet.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class BuildLocked(Exception):
    """Another build holds the output folder; the message names the lock file and that process."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}-build.lock"


@contextmanager
def output_lock(output: Path, wait: float = 2.0) -> Iterator[None]:
    """Hold the output folder's lock for the duration; wait up to `wait` seconds for another build."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(fd: int, path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise BuildLocked(_message(path)) from None
            time.sleep(0.1)


def _message(path: Path) -> str:
    try:
        holder = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        holder = ""
    who = f"tiến trình {holder}" if holder.isdigit() else "một tiến trình khác"
    return (f"một lần dựng khác ({who}) đang ghi vào thư mục này (khóa {path}); "
            "chờ lần dựng đó xong rồi chạy lại")
