"""The bytes of every input file, read and hashed once per build.

A build asks "did this file change?" in several places: the whole-build shortcut (unchanged.py),
the cache of read documents (doccache.py) and the page cache keys, which cover content/_data/.
Each used to read the files itself; now the build reads them once, at the start, and passes
their hashes forward.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputFiles:
    digests: Mapping[str, bytes]  # os.fspath of each file under the folders read → sha256 of its bytes

    @classmethod
    def read(cls, folders: Iterable[Path]) -> InputFiles:
        digests = {}
        for folder in folders:
            for root, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                for name in names:
                    path = os.path.join(root, name)
                    with open(path, "rb") as f:
                        digests[path] = hashlib.sha256(f.read()).digest()
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
