"""Reading every built page once: hashed, parsed in a process pool, remembered by the hash of its bytes.

A re-check after one article changed parses only the pages whose bytes changed; the others'
references and anchors come from a pickle in the cache folder (never in output/).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.linkcheck.extract import PageLinks, extract_css, extract_html

PARSED = (".html", ".htm", ".css")
POOL_FROM = 200  # below this many pages to parse, starting worker processes costs more than it saves


@dataclass(frozen=True)
class ReadPages:
    links: dict[str, PageLinks]  # output-relative file → what it refers to
    digests: dict[str, bytes]  # output-relative file → hash of its bytes
    reused: int  # pages not parsed again


def published_files(output: Path) -> list[str]:
    """Every file a visitor can fetch: hidden files (the build's marker) are not published."""
    found = []
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = os.path.relpath(folder, output)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + n for n in names if not n.startswith(".")]
    return found


def read_pages(output: Path, files: list[str], cache_dir: Path | None, workers: int | None = None) -> ReadPages:
    cache_file = cache_dir / "linkcheck" / "pages.pickle" if cache_dir else None
    known = load(cache_file)
    links, todo, digests = {}, [], {}
    for name in files:
        if not name.endswith(PARSED):
            continue
        data = (output / name).read_bytes()
        digest = digests[name] = hashlib.sha256(data).digest()[:16] + (b"c" if name.endswith(".css") else b"h")
        if digest in known:
            links[name] = known[digest]
        else:
            todo.append((name, data))
    reused = len(links)
    if len(todo) >= POOL_FROM and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(workers) as pool:
            links.update(zip((n for n, _ in todo), pool.map(_extract, todo, chunksize=32), strict=True))
    else:
        links.update((name, _extract((name, data))) for name, data in todo)
    if cache_file and todo:
        save(cache_file, _shared({digests[n]: links[n] for n in links}))
    return ReadPages(links, digests, reused)


def _extract(item: tuple[str, bytes]) -> PageLinks:
    name, data = item
    if name.endswith(".css"):
        return extract_css(data.decode("utf-8", errors="replace"))
    return extract_html(data)


def _shared(pages: dict[bytes, PageLinks]) -> dict[bytes, PageLinks]:
    """One object per distinct reference (most repeat on every page), so the pickle loads fast."""
    canonical: dict[tuple[str, str], tuple[str, str]] = {}
    return {key: PageLinks(tuple(canonical.setdefault(r, r) for r in links.references), links.anchors, links.base)
            for key, links in pages.items()}


def load(path: Path | None, default=None):
    """A pickle this version of the checker wrote; `default` ({}) when missing, damaged or older."""
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)  # only ever our own file in the cache folder
        return stored["data"] if stored.get("version") == __version__ else ({} if default is None else default)
    except Exception:  # noqa: BLE001 - a missing or damaged cache only means doing the work again
        return {} if default is None else default


def save(path: Path, data) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as f:
            pickle.dump({"version": __version__, "data": data}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        pass  # without a cache the next check only takes longer
