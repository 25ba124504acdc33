"""The bytes of every input file, hashed once per build.

A build asks "did this file change?" in several places: the whole-build shortcut (unchanged.py),
the cache of read documents (doccache.py) and the page cache keys, which cover content/_data/.
Each used to read the files itself; now the build reads them once, at the start, and passes
their hashes forward.

Reading and hashing every file is a measurable part of a build that changes nothing. So, as git's
index does, a file's hash is kept in the cache folder with its inode, size,
modification and change times, and taken from there while all four are the same. The change time
(ctime) is set by the system on every write and cannot be set back by a tool, so a file copied
or unpacked with its old modification time is still read again. A file touched less than two
seconds before the build looked at it is never kept: a second write within the same tick of the
file system's clock would leave all four the same.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.output.write import replace_file

RACY_NS = 2_000_000_000  # younger files are hashed again next time (FAT's clock ticks every 2 s)

Stat = tuple[int, int, int, int]  # inode, size, modification and change times (ns)


@dataclass(frozen=True)
class InputFiles:
    digests: Mapping[str, bytes]  # os.fspath of each file under the folders read → sha256 of its bytes

    @classmethod
    def read(cls, folders: Iterable[Path], memo: Path | None = None) -> InputFiles:
        """Hash every file under `folders`; `memo`: the file keeping hashes by stat between builds."""
        known = _load(memo)
        kept: dict[str, tuple[Stat, bytes]] = {}
        digests = {}
        started = time.time_ns()
        for folder in folders:
            for root, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                for name in names:
                    path = os.path.join(root, name)
                    digest = _digest(path, known.get(path), kept, started)
                    if digest is not None:
                        digests[path] = digest
        if memo is not None and kept != known:
            _save(memo, kept)
        return cls(digests)

    def of(self, path: Path | str) -> bytes | None:
        """The hash of a file read at the start of the build; None for one it did not read."""
        return self.digests.get(os.fspath(path))

    def under(self, folder: Path | str) -> str:
        """One hash for every file below `folder`, by its path relative to it."""
        prefix = os.path.join(os.fspath(folder), "")
        blob = hashlib.sha256()
        for path in sorted(p for p in self.digests if p.startswith(prefix)):
            blob.update(os.fsencode(path[len(prefix):]) + b"\0" + self.digests[path])
        return blob.hexdigest()

    def everything(self) -> str:
        """One hash for every file read, by its path."""
        blob = hashlib.sha256()
        for path in sorted(self.digests):
            blob.update(os.fsencode(path) + b"\0" + self.digests[path])
        return blob.hexdigest()


def _digest(path: str, known: tuple[Stat, bytes] | None, kept: dict[str, tuple[Stat, bytes]],
            started: int) -> bytes | None:
    """The file's hash, from `known` while its stat is the same; None when it cannot be read (a
    broken link, a file removed meanwhile): the stages that read it report it."""
    try:
        info = os.stat(path)
        stat = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        if known is not None and known[0] == stat:
            digest = known[1]
        else:
            with open(path, "rb") as f:
                info = os.fstat(f.fileno())  # the file as read, should it have changed since
                stat = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
                digest = hashlib.sha256(f.read()).digest()
    except OSError:
        return None
    if max(stat[2], stat[3]) < started - RACY_NS:
        kept[path] = (stat, digest)
    return digest


def _load(memo: Path | None) -> dict[str, tuple[Stat, bytes]]:
    if memo is None:
        return {}
    try:
        with open(memo, "rb") as f:
            known = pickle.load(f)
    except Exception:  # noqa: BLE001 - missing or damaged: every file is hashed
        return {}
    return known if isinstance(known, dict) else {}


def _save(memo: Path, kept: dict[str, tuple[Stat, bytes]]) -> None:
    try:
        replace_file(memo, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
