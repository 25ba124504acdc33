"""What publishing needs of a server, and the simplest server: a folder (file:/// or a Windows share).

A transport lists the files under the target's folder, reads one, puts one (always under a temporary name
renamed into place when whole, so a reader gets the old file or the new, never half), deletes one and makes
or removes a folder. sftp.py and ftp.py speak the same to SSH and FTP servers. Paths are relative to the
target's folder, '/'-separated.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

from generator.publish.plan import PART, Listing, Seen

CHUNK = 64 * 1024
Sent = Callable[[int], None]  # told the bytes of each chunk as it leaves


class PublishError(Exception):
    """Publishing cannot go on; a message for the webmaster and what to do about it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class Transport(Protocol):
    errors: tuple[type[BaseException], ...]  # what a cut connection raises mid-publish

    def listing(self) -> Listing: ...

    def read(self, path: str) -> bytes | None: ...

    def put(self, path: str, data: BinaryIO, sent: Sent) -> Seen: ...

    def delete(self, path: str) -> None: ...

    def make_folder(self, path: str) -> bool: ...

    def remove_folder(self, path: str) -> None: ...

    def close(self) -> None: ...


def part_name(path: str) -> str:
    """The temporary name a file is uploaded under, beside its place: `tin-tuc/.index.html.awareness-part`."""
    folder, _, name = path.rpartition("/")
    return f"{folder}/.{name}{PART}" if folder else f".{name}{PART}"


def copy(source: BinaryIO, write: Callable[[bytes], object], sent: Sent) -> None:
    while chunk := source.read(CHUNK):
        write(chunk)
        sent(len(chunk))


class FolderTransport:
    """A folder on this PC or a Windows share (\\\\may-chu\\wwwroot) that a web server serves."""

    errors = (OSError,)

    def __init__(self, root: str):
        self.root = Path(root)
        if not self.root.is_dir():
            raise PublishError(f"không mở được thư mục {root}",
                               "kiểm tra đường dẫn, ổ mạng đã kết nối và quyền ghi; thư mục phải có sẵn")

    def listing(self) -> Listing:
        files, folders = {}, set()
        for folder, dirs, names in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            folders.update(prefix + d for d in dirs)
            for name in names:
                stat = os.stat(os.path.join(folder, name))
                files[prefix + name] = Seen(stat.st_size, str(stat.st_mtime_ns))
        return Listing(files, frozenset(folders))

    def read(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, path: str, data: BinaryIO, sent: Sent) -> Seen:
        temporary = self.root / part_name(path)
        with open(temporary, "wb") as out:
            copy(data, out.write, sent)
        os.replace(temporary, self.root / path)
        stat = os.stat(self.root / path)
        return Seen(stat.st_size, str(stat.st_mtime_ns))

    def delete(self, path: str) -> None:
        (self.root / path).unlink(missing_ok=True)

    def make_folder(self, path: str) -> bool:
        try:
            os.mkdir(self.root / path)
        except FileExistsError:
            return False
        return True

    def remove_folder(self, path: str) -> None:
        os.rmdir(self.root / path)

    def close(self) -> None:
        pass
