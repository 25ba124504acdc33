"""Write a build into the staging folder so that only real changes look like changes.

A file whose new bytes equal the previous build's is hard-linked from output/ into staging, so
after the swap it keeps its inode and modification time and upload tools (rsync, lftp mirror)
skip it. What did change is listed in output/.changes.txt for the webmaster's upload:

    # awareness: thay đổi so với lần dựng trước (A thêm, M sửa, D xóa)
    A tin-tuc/2026/bai-moi/index.html
    M index.html
    D the/the-cu/index.html

one file per line, a status letter, a space and the path relative to output/, sorted by path.
The bytes' hashes are kept in output/.awareness-build (the marker that proves the folder is
ours), as JSON, with each file's size and mtime so a file edited by hand is never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.output import write
from generator.output.write import MARKER, replace_file

CHANGES = ".changes.txt"
HEADER = "# awareness: thay đổi so với lần dựng trước (A thêm, M sửa, D xóa)\n"
_OURS = {MARKER, CHANGES}


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    modified: tuple[str, ...]
    deleted: tuple[str, ...]

    def lines(self) -> list[str]:
        entries = [("A", p) for p in self.added] + [("M", p) for p in self.modified] + \
            [("D", p) for p in self.deleted]
        return [f"{status} {path}" for status, path in sorted(entries, key=lambda e: e[1])]

    def then(self, later: Changes) -> Changes:
        """These changes followed by `later`, as one list against the folder before both: a file
        added then modified is added, added then deleted is nothing, deleted then written again is
        modified (build --watch keeps one list for all its updates)."""
        status = {**{p: "A" for p in self.added}, **{p: "M" for p in self.modified},
                  **{p: "D" for p in self.deleted}}
        for path in later.added:
            status[path] = "M" if status.get(path) == "D" else "A"
        for path in later.modified:
            status.setdefault(path, "M")
        for path in later.deleted:
            if status.pop(path, None) != "A":
                status[path] = "D"
        return Changes(*(tuple(sorted(p for p, s in status.items() if s == letter)) for letter in "AMD"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StagedWriter:
    """Places files in staging (linked from the previous build when unchanged) and lists the changes."""

    def __init__(self, staging: Path, output: Path, held: dict[str, list] | None = None):
        """`held`: the manifest of what staging already holds when it is an earlier build's folder
        (write.take_spare checked it is exactly so), brought up to date here instead of made file by file."""
        self.staging, self.output = staging, output
        self.previous = _read_manifest(output)  # None: no usable record, compare bytes instead
        self.held = held or {}
        self.files: dict[str, str] = {}  # relative path → sha256 of the bytes written
        self.changes: Changes | None = None  # set by finish()
        self.unchanged: set[str] = set()
        self._folders: set[str] = set()
        # Plain strings below: this runs once per file of the site, where pathlib's overhead shows.
        self._staging, self._output = os.fspath(staging), os.fspath(output)

    def write(self, relative: str, data: bytes | str) -> tuple[str, bool]:
        """Stage one file; returns its hash and whether the previous build had the same bytes."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        sha = digest(data)
        same = self.place(relative, sha, lambda: data)
        return sha, same

    def place(self, relative: str, sha: str, data: Callable[[], bytes | None]) -> bool | None:
        """Stage a file known by its hash; `data()` gives the bytes only when they must be written.

        True: linked from the previous build; False: written; None: data() had no bytes to give.
        """
        target = os.path.join(self._staging, relative)
        previous = self._unchanged_previous(relative, sha)
        old = previous[0] if previous else None
        held = self.held.get(relative)
        if held is not None and held[0] == sha and (previous is None or _is_file(previous[1], target)):
            self.record(relative, sha, old is not None)  # a recycled folder has these bytes already
            return old is not None
        if held is not None:  # else output/'s file, so that an unchanged page keeps its inode and mtime
            # Never written in place: the file may be a hard link to the same page in output/.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        self._folder(os.path.dirname(target))
        same = old is not None and _link(old, target)
        if not same:
            blob = data()
            if blob is None:
                return None
            with open(target, "wb") as f:
                f.write(blob)
        self.record(relative, sha, same)
        return same

    def record(self, relative: str, sha: str, same: bool) -> None:
        """Note a file staged here or by a worker process (which has its own copy of this writer)."""
        self.files[relative] = sha
        if same:
            self.unchanged.add(relative)

    def finish(self) -> Changes:
        """Write the manifest and the changes list into staging; call just before the swap."""
        self._drop_stale()
        previous = set(self.previous) if self.previous is not None else set(_walk(self.output))
        changed = [p for p in self.files if p not in self.unchanged]
        changes = Changes(tuple(sorted(p for p in changed if p not in previous)),
                          tuple(sorted(p for p in changed if p in previous)),
                          tuple(sorted(previous - set(self.files))))
        manifest = {}
        for relative, sha in self.files.items():
            stat = os.stat(os.path.join(self._staging, relative))
            manifest[relative] = [sha, stat.st_size, stat.st_mtime_ns]
        _unlink(self.staging / MARKER)  # a recycled folder's may be a link to output/'s
        (self.staging / MARKER).write_bytes(_manifest_data(manifest))
        write_changes(self.staging, changes)
        self.changes = changes
        return changes

    def _unchanged_previous(self, relative: str, sha: str) -> tuple[str, os.stat_result] | None:
        """The previous build's file, with its stat, when it holds exactly these bytes; else None."""
        old = os.path.join(self._output, relative)
        try:
            if self.previous is not None:
                known = self.previous.get(relative)
                if known is None or known[0] != sha:
                    return None
                stat = os.stat(old)  # trust the recorded hash only while the file is exactly as we left it
                return (old, stat) if known == [sha, stat.st_size, stat.st_mtime_ns] else None
            with open(old, "rb") as f:
                return (old, os.fstat(f.fileno())) if digest(f.read()) == sha else None
        except OSError:
            return None

    def _drop_stale(self) -> None:
        """Take out of a recycled folder the files this build did not make, and the folders they leave empty."""
        for relative in self.held.keys() - self.files.keys():
            target = os.path.join(self._staging, relative)
            _unlink(Path(target))
            folder = os.path.dirname(target)
            while folder != self._staging and folder.startswith(self._staging):
                try:
                    os.rmdir(folder)
                except OSError:
                    break  # not empty
                folder = os.path.dirname(folder)

    def _folder(self, folder: str) -> None:
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)


@contextlib.contextmanager
def staged_output(output: Path) -> Iterator[StagedWriter]:
    """A writer into a staging folder (the last build's spare folder when it is intact, so that
    unchanged files are already there) that replaces output/ when the block ends without an error.
    The staging folder is removed whatever happens; output/ is either the old build or the new."""
    write.clear_leftovers(output)
    staging, held = write.take_spare(output, intact_manifest) or (write.staging_dir(output), None)
    try:
        writer = StagedWriter(staging, output, held)
        yield writer
        writer.finish()
        first_output = write.swap_in(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if first_output:
        write.clone_in_background(output)  # the spare folder of the next build


def _is_file(stat: os.stat_result, path: str) -> bool:
    """Whether `path` is the file `stat` describes (the previous build's, stated once already)."""
    try:
        return os.path.samestat(stat, os.stat(path))
    except OSError:
        return False


def _link(source: str, target: str) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class InPlaceWriter:
    """Writes into a built folder, between builds (build --watch), the files whose bytes differ from
    what its manifest records, and the manifest with them.

    Each file is replaced whole (write.replace_file). The manifest is read once and kept while the
    marker is the one written here (a build that swapped in a new folder meanwhile is seen by the
    marker's inode and time). A file edited by hand keeps its stale record, so the next build does
    not trust it.
    """

    def __init__(self, output: Path):
        self.output = output
        self._manifest: dict[str, list] | None = None
        self._stamp: tuple[int, int, int] | None = None  # the marker's inode, size and mtime when read or written

    def write(self, files: dict[str, bytes]) -> tuple[str, ...] | None:
        """The files written, or None when the folder has no manifest of this version (a build must
        make it whole first)."""
        manifest = self._current()
        if manifest is None:
            return None
        written = []
        for relative, data in sorted(files.items()):
            sha = digest(data)
            known = manifest.get(relative)
            if known is not None and known[0] == sha:
                continue
            target = self.output / relative
            replace_file(target, data)
            stat = os.stat(target)
            manifest[relative] = [sha, stat.st_size, stat.st_mtime_ns]
            written.append(relative)
        if written:
            replace_file(self.output / MARKER, _manifest_data(manifest))
            self._stamp = _stamp(self.output / MARKER)
        return tuple(written)

    def _current(self) -> dict[str, list] | None:
        stamp = _stamp(self.output / MARKER)
        if self._manifest is None or stamp is None or stamp != self._stamp:
            self._manifest, self._stamp = _read_manifest(self.output), stamp
        return self._manifest


def _manifest_data(manifest: dict[str, list]) -> bytes:
    """The marker file's bytes: what _read_manifest reads back."""
    return json.dumps({"generator": "awareness", "version": __version__, "files": manifest},
                      ensure_ascii=False).encode()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def write_changes(folder: Path, changes: Changes) -> None:
    """The list of changed files for the webmaster's upload (CHANGES), into a built folder."""
    _unlink(folder / CHANGES)  # in a recycled folder it may be a link to output/'s
    (folder / CHANGES).write_text(HEADER + "".join(f"{line}\n" for line in changes.lines()), encoding="utf-8")


def output_as_written(output: Path) -> bool:
    """Whether `output` holds exactly the files its manifest lists, each with the size and modification
    time the build gave it: nothing deleted, added or edited by hand since."""
    return intact_manifest(output) is not None


def intact_manifest(folder: Path) -> dict[str, list] | None:
    """The manifest of a built folder that is exactly as written (see output_as_written), else None."""
    manifest = _read_manifest(folder)
    if manifest is None:
        return None
    present = _walk(folder)
    if len(present) != len(manifest):
        return None
    for relative in present:
        expected = manifest.get(relative)
        try:
            stat = os.stat(os.path.join(folder, relative))
        except OSError:
            return None
        if expected is None or [stat.st_size, stat.st_mtime_ns] != expected[1:]:
            return None
    return manifest


def _read_manifest(output: Path) -> dict[str, list] | None:
    try:
        raw = json.loads((output / MARKER).read_text(encoding="utf-8"))
        files = raw["files"]
        if raw.get("version") != __version__ or not isinstance(files, dict):
            return None
        return files
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # an older marker, or none: fall back to comparing bytes


def _walk(output: Path) -> list[str]:
    """Every file under `output` but our two, as a '/'-separated relative path.

    scandir by hand rather than os.walk and relpath: this runs on every rebuild, over every page folder."""
    if not output.is_dir():
        return []
    found: list[str] = []
    pending = [(os.fspath(output), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, prefix + entry.name + "/"))
                elif prefix or entry.name not in _OURS:
                    found.append(prefix + entry.name)
    return found
