"""One build at a time per output folder: a lock file beside it (`.output-build.lock`).

Two builds into the same folder would clear each other's staging folders and race on the swap.
The lock is the operating system's (filelock: flock on Linux and macOS, LockFileEx on Windows),
so it is released when the holder dies, even by SIGKILL or Task Manager. filelock also closes the
lock's descriptor in forked children: a build's workers never hold it, and a worker that outlives
its killed build cannot keep the folder locked.

The file holds the holder's process id, to name it in the message, and is emptied on release: a
file still naming a process when the lock is taken means that build was killed, which the next
build mentions. The id is written after the first byte, the one Windows locks, so that a build
being refused can still read it there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock


class BuildLocked(Exception):
    """Another build holds the output folder; the message names the lock file and that process."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}-build.lock"


@contextmanager
def output_lock(output: Path, wait: float = 2.0) -> Iterator[str | None]:
    """Hold the output folder's lock for the duration; wait up to `wait` seconds for another build.

    Yields a notice when the lock's last holder was killed before it could let go, else None."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    held: list[tuple[int, str]] = []  # the lock's descriptor (filelock's, borrowed) and the previous holder
    lock = filelock.FileLock(path, timeout=wait, on_acquired=lambda fd: held.append((fd, _take_over(fd))))
    try:
        lock.acquire(poll_interval=0.1)
    except filelock.Timeout:
        raise BuildLocked(_message(path)) from None
    try:
        yield _notice(path, held[0][1]) if held and held[0][1] else None
    finally:
        if held:
            with contextlib.suppress(OSError):
                os.ftruncate(held[0][0], 0)  # let go cleanly: a holder named here was killed
        lock.release()


def _take_over(fd: int) -> str:
    """Note the previous holder's id, if a killed build left one, and write ours in its place."""
    previous = _holder(fd)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)  # not os.pwrite: Windows has none
    os.write(fd, f"\n{os.getpid()}\n".encode())
    return previous


def _holder(fd: int) -> str:
    """The id a killed holder left; "" when none. Only the form written here counts: earlier versions
    left their id in the file after every build."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 64)
        text = data[1:].decode("ascii").strip()
        if data[:1] == b"\n" and text.isdigit() and int(text) != os.getpid():
            return text
    return ""


def _message(path: Path) -> str:
    holder = ""
    with contextlib.suppress(OSError, UnicodeDecodeError), open(path, "rb") as f:
        f.seek(1)
        holder = f.read(64).decode("ascii").strip()
    who = f"tiến trình {holder}" if holder.isdigit() else "một tiến trình khác"
    return (f"một lần dựng khác ({who}) đang ghi vào thư mục này (khóa {path}); "
            "chờ lần dựng đó xong rồi chạy lại")


def _notice(path: Path, holder: str) -> str:
    return (f"lần dựng trước (tiến trình {holder}) đã bị dừng giữa chừng và không trả khóa {path.name}; "
            "khóa đã được lấy lại, lần dựng này làm lại từ đầu")
