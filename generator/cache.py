"""A persistent cache of rendered Markdown, so an unchanged article is not parsed again.

Entries are keyed by everything the output depends on: the generator's version, the source
path and text, the base path, the map of content URLs (links are rewritten against it) and
the images' sizes (written as width/height).
Each entry is written to a temporary file and renamed into place, so a build killed midway
leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from generator import __version__
from generator.markdown_render import RenderedBody
from generator.problems import Problem


class BodyCache:
    def __init__(self, folder: Path | None, context_key: str):
        self.folder = folder / "markdown" if folder else None
        self.context_key = context_key
        self.hits = self.misses = 0

    @staticmethod
    def context(base_path: str, urls: dict[str, str], *policy) -> str:
        """`policy`: anything else a body depends on (the sanitiser's rules, the allowed iframe hosts)."""
        blob = json.dumps([__version__, base_path, sorted(urls.items()), *policy], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def key(self, source: str, body: str, first_line: int) -> str:
        blob = f"{self.context_key}\0{source}\0{first_line}\0{body}"
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> RenderedBody | None:
        if self.folder is None:
            return None
        try:
            raw = json.loads((self.folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            body = RenderedBody(raw["html"], tuple(tuple(h) for h in raw["headings"]),
                                tuple(Problem(**p) for p in raw["problems"]), tuple(tuple(x) for x in raw["links"]))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # missing or damaged entry: render again
        self.hits += 1
        return body

    def put(self, key: str, body: RenderedBody) -> None:
        if self.folder is None:
            return
        folder = self.folder / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as f:
                json.dump(asdict(body), f, ensure_ascii=False)
            os.replace(f.name, folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
