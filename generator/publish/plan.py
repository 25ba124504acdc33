"""What a publish must do: the files of output/, what the server holds, and the difference, in a safe order.

The server keeps a record of what the last publish put there (RECORD, a dot-file at the target's root): each
file's hash, and the size and modification time the server gave it. A file whose hash is unchanged is sent
only when the server's listing no longer matches the record: a file edited, replaced or deleted by hand on
the server is reported and put right. Files the record never knew are someone else's and left alone.

Readers must never see a page whose stylesheet or image is not there yet, nor a sitemap naming pages not
yet up: new assets and images go first, then pages, then feeds, the sitemap and robots.txt; deletions last.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.output.staged import CHANGES, intact_manifest
from generator.output.write import MARKER

RECORD = ".awareness-publish.json"
LOCK = ".awareness-publish.lock"
PART = ".awareness-part"  # the suffix of a file still being uploaded, renamed into place when whole
BOOKKEEPING = {MARKER, CHANGES}  # the build's own files at output/'s root: never sent
LAST_PHASE = {"sitemap.xml", "robots.txt"}


@dataclass(frozen=True)
class Local:
    sha: str
    size: int


@dataclass(frozen=True)
class Seen:
    """A file in the server's listing."""

    size: int
    mtime: str  # as the server states it; only ever compared with what it stated before


@dataclass(frozen=True)
class Listing:
    files: dict[str, Seen]
    folders: frozenset[str]


@dataclass
class Record:
    """The server's record of the last publish: path → [sha, size, mtime]; `pending` is what a publish
    that has not finished was about to change (a resumed publish sends those again without complaint)."""

    base_url: str = ""
    files: dict[str, list] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    def data(self) -> bytes:
        return json.dumps({"generator": "awareness", "base_url": self.base_url, "files": self.files,
                           "pending": self.pending}, ensure_ascii=False, sort_keys=True).encode()

    @classmethod
    def parse(cls, data: bytes | None) -> Record:
        if not data:
            return cls()
        try:
            raw = json.loads(data)
            return cls(str(raw.get("base_url", "")), dict(raw["files"]), list(raw.get("pending", [])))
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls()  # unreadable: every file is compared as if on a first publish


@dataclass(frozen=True)
class Plan:
    send: tuple[str, ...]  # in upload order
    delete: tuple[str, ...]
    unchanged: int
    bytes: int
    edited: tuple[str, ...] = ()  # changed on the server by hand since the last publish: reported, put right
    foreign: tuple[str, ...] = ()  # on the server but never published from here: reported, left alone
    leftovers: tuple[str, ...] = ()  # parts of an upload that was cut: removed


def local_files(output: Path) -> dict[str, Local]:
    """Every file of output/ but the build's bookkeeping; hashes from the build's manifest when output/ is
    exactly as built, else read again."""
    manifest = intact_manifest(output)
    if manifest is not None:
        return {path: Local(sha, size) for path, (sha, size, _mtime) in manifest.items() if path not in BOOKKEEPING}
    found = {}
    for folder, _dirs, names in os.walk(output):
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(output).as_posix()
            if relative not in BOOKKEEPING:
                data = path.read_bytes()
                found[relative] = Local(hashlib.sha256(data).hexdigest(), len(data))
    return found


def phase(path: str) -> int:
    """0 assets, images, data; 1 pages; 2 feeds, the sitemap and robots.txt."""
    if path in LAST_PHASE or path.endswith(".xml"):
        return 2
    return 1 if path.endswith(".html") else 0


def diff(local: dict[str, Local], record: Record, listing: Listing) -> Plan:
    pending = set(record.pending)
    send, edited = [], []
    for path, mine in local.items():
        known, seen = record.files.get(path), listing.files.get(path)
        if known is not None and seen is not None and known == [mine.sha, seen.size, seen.mtime]:
            continue
        send.append(path)
        if known is not None and path not in pending and (seen is None or [seen.size, seen.mtime] != known[1:]):
            edited.append(path)
    delete, foreign, leftovers = [], [], []
    for path in listing.files:
        if path in local or path == RECORD or path.startswith(LOCK + "/"):
            continue
        if path.endswith(PART):
            leftovers.append(path)
        elif path in record.files or path in pending:
            delete.append(path)
        else:
            foreign.append(path)
    send.sort(key=lambda p: (phase(p), p))
    return Plan(tuple(send), tuple(sorted(delete)), len(local) - len(send), sum(local[p].size for p in send),
                tuple(sorted(edited)), tuple(sorted(foreign)), tuple(sorted(leftovers)))


def folders_to_make(paths: tuple[str, ...], existing: frozenset[str]) -> list[str]:
    """The folders the sent files need that the server lacks, parents first."""
    needed = set()
    for path in paths:
        parts = path.split("/")[:-1]
        needed.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(needed - existing, key=lambda f: (f.count("/"), f))


def folders_left_empty(local: dict[str, Local], listing: Listing, kept: tuple[str, ...]) -> list[str]:
    """The server's folders that hold none of output/'s files nor any file kept there (`kept`), deepest first."""
    used = set()
    for path in list(local) + list(kept):
        parts = path.split("/")[:-1]
        used.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted((f for f in listing.folders if f not in used and not f.startswith(LOCK)),
                  key=lambda f: (-f.count("/"), f))
