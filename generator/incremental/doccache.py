"""Markdown files already read: their front matter and body, by the hash of their bytes.

Decoding (with its legacy-encoding checks) and YAML parsing are most of loading; a file whose
bytes did not change since the last successful build is taken from here instead. Validation
still runs on every build, because it depends on the data files and on other files (covers).
A file that produced any problem while being read is never kept, so its messages come back.
The store is sixteen pickles, the documents shared out by the first digit of their key, each
replaced atomically when what it holds changed: after one edit, one sixteenth of the store is
written again. A shard that cannot be read is ignored, and its documents are read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from generator.content.load import RawDocument, read_document
from generator.incremental.bodies import MapItems
from generator.incremental.cache import code_digest
from generator.incremental.inputs import InputFiles
from generator.output.write import replace_file
from generator.problems import Problems


class DocumentCache:
    def __init__(self, folder: Path | None, files: InputFiles | None = None):
        self.folder = folder / "documents" if folder else None
        self.files = files or InputFiles({})  # the hashes the build read at its start
        self.entries = self._load()
        self.stored = set(self.entries)  # what the files on disk hold
        self.live: dict[str, RawDocument] = {}
        self._keys: dict[Path, str] = {}  # each file is read and hashed once per build
        self.hits = 0

    def prefetch(self, content_dir: Path, map_items: MapItems) -> None:
        """Read the Markdown files not in the cache across cores, ahead of load_site's own pass.

        Only files read without any problem are kept; load_site reads the others itself, so their
        messages are reported in order, as always.
        """
        prefix = os.path.join(os.fspath(content_dir), "")
        known = sorted(Path(p) for p in self.files.digests if p.startswith(prefix) and p.endswith(".md"))
        # the files the build hashed at its start, else (no hashes given) whatever is there now
        paths = [p for p in (known or sorted(content_dir.rglob("*.md"))) if self._key(p) not in self.entries]
        for path, document in zip(paths, map_items(_read_quietly, content_dir, paths, DOCUMENTS_PER_WORKER),
                                  strict=True):
            if document is not None:
                self.entries[self._key(path)] = document

    def read(self, path: Path, content_dir: Path, problems: Problems) -> RawDocument | None:
        """Like load.read_document, from the cache when the file's bytes are known."""
        key = self._key(path)
        if key is None:
            return read_document(path, content_dir, problems)  # which reports why it cannot be read
        document = self.entries.get(key)
        if document is not None:
            self.hits += 1
        else:
            before = len(problems.items)
            document = read_document(path, content_dir, problems)
            if document is None or len(problems.items) != before:
                return document
        self.live[key] = document
        return document

    def _key(self, path: Path) -> str | None:
        if path not in self._keys:
            digest = self.files.of(path)
            if digest is None:  # not among the files the build hashed at its start
                try:
                    digest = hashlib.sha256(path.read_bytes()).digest()
                except OSError:
                    return None
            self._keys[path] = hashlib.sha256(os.fsencode(path) + b"\0" + digest).hexdigest()
        return self._keys[path]

    def save(self) -> None:
        """Write again each shard whose documents differ from what it holds."""
        if self.folder is None or self.live.keys() == self.stored:
            return  # nothing new read: the stored files already say the same
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent / "documents.pickle").unlink(missing_ok=True)  # the store before its shards
            for shard in SHARDS:
                live = {k: v for k, v in self.live.items() if k[0] == shard}
                if live.keys() == {k for k in self.stored if k[0] == shard}:
                    continue
                replace_file(self.folder / f"{shard}.pickle",
                             pickle.dumps((code_digest(), live), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _load(self) -> dict[str, RawDocument]:
        if self.folder is None:
            return {}
        entries: dict[str, RawDocument] = {}
        for shard in SHARDS:
            try:
                with open(self.folder / f"{shard}.pickle", "rb") as f:
                    version, stored = pickle.load(f)
            except Exception:  # noqa: BLE001 - missing, truncated or from another version: read afresh
                continue
            if version == code_digest() and isinstance(stored, dict):
                entries.update(stored)  # keyed by content: an entry is right whichever shard holds it
        return entries


DOCUMENTS_PER_WORKER = 100
SHARDS = "0123456789abcdef"  # a key is a hex digest: its first digit names its shard


def _read_quietly(content_dir: Path, path: Path) -> RawDocument | None:
    """A file read without a problem, else None (load_site reads it again and reports why)."""
    quiet = Problems(root=content_dir)
    document = read_document(path, content_dir, quiet)
    return document if not quiet.items else None
