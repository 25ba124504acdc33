"""One publish: connect, lock, compare, send in order, delete, record; a report of what was done.

The server's record is rewritten every few files with what is already in place and what this publish is
still about to change, so a publish cut off midway resumes where it stopped: the next run sends only what
the record does not confirm, and nothing already there looks like a hand edit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from generator.publish import lock
from generator.publish.plan import (
    RECORD,
    Listing,
    Plan,
    Record,
    diff,
    folders_left_empty,
    folders_to_make,
    local_files,
)
from generator.publish.targets import Target
from generator.publish.transports import FolderTransport, PublishError, Transport

# The server's record is saved again after SAVE_EVERY files once SAVE_SECONDS have passed since the last save:
# a cut publish sends again at most what went up since, and a big site's record (hundreds of kB) is not
# sent so often that it costs more than the pages.
SAVE_EVERY = 100
SAVE_SECONDS = 5.0


class Progress:
    """Told of each step; the command line draws a bar, tests cut the connection at a chosen file."""

    def begin(self, plan: Plan) -> None: ...

    def sent(self, count: int) -> None: ...

    def placed(self, path: str) -> None: ...

    def end(self) -> None: ...


@dataclass(frozen=True)
class Report:
    target: str
    base_url: str
    plan: Plan
    deleted: tuple[str, ...]
    seconds: float
    dry_run: bool


def connect(target: Target, password: Callable[[], str]) -> Transport:
    if target.scheme == "sftp":
        from generator.publish.sftp import SftpTransport  # paramiko loads in 0.1 s: only when used

        return SftpTransport(target, password)
    if target.scheme in ("ftp", "ftps"):
        from generator.publish.ftp import FtpTransport

        return FtpTransport(target, password)
    return FolderTransport(target.path)


def publish(output: Path, target: Target, base_url: str, password: Callable[[], str], *, dry_run: bool = False,
            break_lock: bool = False, progress: Progress | None = None) -> Report:
    """Make the target's folder hold exactly output/ (bookkeeping aside), sending only what differs."""
    started, progress = time.monotonic(), progress or Progress()
    local = local_files(output)
    transport = connect(target, password)
    locked = False
    try:
        if not dry_run:
            lock.acquire(transport, lock.me(), break_lock)
            locked = True
        listing, record = transport.listing(), Record.parse(transport.read(RECORD))
        plan = diff(local, record, listing)
        deleted: tuple[str, ...] = ()
        if not dry_run and (plan.send or plan.delete or plan.leftovers or record.pending or
                            record.base_url != base_url or record.files.keys() - local.keys()):
            record.base_url = base_url
            deleted = _apply(transport, output, plan, (local, listing, record), progress)
        return Report(target.where, base_url, plan, deleted, time.monotonic() - started, dry_run)
    except transport.errors as error:
        raise PublishError(f"mất kết nối với {target.where} giữa chừng ({type(error).__name__}: {error})",
                           "trang trên máy chủ vẫn nguyên vẹn (mỗi tệp chỉ thay chỗ khi đã lên đủ); "
                           "chạy lại đúng lệnh này để đăng tiếp phần còn lại") from None
    finally:
        if locked:
            lock.release(transport)
        transport.close()


def _apply(transport: Transport, output: Path, plan: Plan, state: tuple[dict, Listing, Record],
           progress: Progress) -> tuple[str, ...]:
    local, listing, record = state
    for path in plan.leftovers:
        transport.delete(path)
    record.pending = sorted(set(record.pending) | set(plan.send) | set(plan.delete))
    _save(transport, record)
    progress.begin(plan)
    try:
        for folder in folders_to_make(plan.send, listing.folders):
            transport.make_folder(folder)
        saved = time.monotonic()
        for count, path in enumerate(plan.send, 1):
            with open(output / path, "rb") as data:
                seen = transport.put(path, data, progress.sent)
            record.files[path] = [local[path].sha, seen.size, seen.mtime]
            progress.placed(path)
            if count % SAVE_EVERY == 0 and time.monotonic() - saved >= SAVE_SECONDS:
                _save(transport, record)
                saved = time.monotonic()
        for path in plan.delete:
            transport.delete(path)
            record.files.pop(path, None)
            progress.placed(path)
    finally:
        progress.end()
    for folder in folders_left_empty(local, listing, plan.foreign):
        try:
            transport.remove_folder(folder)
        except transport.errors:
            pass  # not empty after all (someone else's file): left as it is
    record.files = {path: known for path, known in record.files.items() if path in local}
    record.pending = []
    _save(transport, record)
    return plan.delete


def _save(transport: Transport, record: Record) -> None:
    transport.put(RECORD, BytesIO(record.data()), lambda _n: None)


__all__ = ["Progress", "PublishError", "Report", "connect", "publish"]
