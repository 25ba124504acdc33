"""Reading every built page once: hashed, cut into parts, parsed in a process pool, remembered by hash.

A page is cut into its own bytes and the header and footer around them (`segments`); each
distinct part is parsed once per check, so the chrome that 2000 pages share is parsed a handful
of times. A re-check reuses the links of pages whose bytes did not change, and of parts that did
not (a menu edit changes every page but parses only the new header); both are kept in a pickle
in the cache folder (never in output/).
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
from generator.linkcheck import segments
from generator.linkcheck.extract import PageLinks, extract_css, extract_html, extract_html_part

PARSED = (".html", ".htm", ".css")
POOL_FROM = 200  # below this many parts to parse, starting worker processes costs more than it saves


@dataclass(frozen=True)
class ReadPages:
    links: dict[str, PageLinks]  # output-relative file → what it refers to
    digests: dict[str, bytes]  # output-relative file → hash of its bytes
    reused: int  # pages not parsed again
    parsed: int = 0  # pieces parsed: whole pages, stylesheets and distinct parts of pages


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
    stored = load(cache_file)
    known_pages, known_parts = stored.get("pages", {}), stored.get("parts", {})
    links, digests, page_parts = {}, {}, {}  # page_parts: file → keys of its (own, top, foot) parts
    whole, cuts, todo = {}, {}, {}  # todo: key → (kind, bytes, head length) of each distinct piece to parse
    for name in files:
        if not name.endswith(PARSED):
            continue
        data = (output / name).read_bytes()
        digest = digests[name] = _digest(data, b"c" if name.endswith(".css") else b"h")
        if digest in known_pages:
            links[name], page_parts[name] = known_pages[digest]
            continue
        cut = segments.cut(data) if digest.endswith(b"h") else None
        if cut is None:
            whole[name] = digest
            todo[digest] = ("css" if digest.endswith(b"c") else "page", data, 0)
            continue
        keys = page_parts[name] = (_digest(cut.own, cut.head_length.to_bytes(4, "big")),
                                   _digest(cut.top, b"t"), _digest(cut.foot, b"f"))
        cuts[name] = keys
        for key, part, kind in zip(keys, (cut.own, cut.top, cut.foot), ("own", "chrome", "chrome"), strict=True):
            if key not in known_parts:
                todo.setdefault(key, (kind, part, cut.head_length))
    reused = len(links)
    with _Parser(len(todo), workers) as parse:
        parsed = parse(todo)
        parts = {key: known_parts[key] for keys in page_parts.values() if keys for key in keys if key in known_parts}
        parts.update((key, part) for key, part in parsed.items() if isinstance(part, segments.Part))
        again = {}
        for name, keys in cuts.items():
            own, top, foot = (parts[key] for key in keys)
            if own.closed and top.closed:
                links[name] = segments.join(own, top, foot)
            else:  # something left open before a cut: only the whole page reads as the browser reads it
                page_parts[name], whole[name] = None, digests[name]
                again[digests[name]] = ("page", (output / name).read_bytes(), 0)
        parsed.update(parse(again))
    links.update((name, parsed[digest]) for name, digest in whole.items())
    if cache_file and todo:
        save(cache_file, _shared({"pages": {digests[n]: (links[n], page_parts.get(n)) for n in links},
                                  "parts": {k: parts[k] for keys in page_parts.values() if keys for k in keys}}))
    return ReadPages(links, digests, reused, len(todo) + len(again))


def _digest(data: bytes, suffix: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:16] + suffix


class _Parser:
    """Parses pieces, in a pool of processes when there are enough of them."""

    def __init__(self, count: int, workers: int | None):
        self.pool = ProcessPoolExecutor(workers) if count >= POOL_FROM and (workers or os.cpu_count() or 1) > 1 \
            else None
        self.workers = workers or os.cpu_count() or 1

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def __call__(self, todo: dict[bytes, tuple]) -> dict[bytes, PageLinks | segments.Part]:
        if self.pool is None:
            return {key: _parse(piece) for key, piece in todo.items()}
        # largest first, in small chunks: no worker is left with a long page while the other idles
        keys = sorted(todo, key=lambda k: len(todo[k][1]), reverse=True)
        chunk = max(1, min(32, len(keys) // (self.workers * 8)))
        return dict(zip(keys, self.pool.map(_parse, [todo[k] for k in keys], chunksize=chunk), strict=True))


def _parse(piece: tuple[str, bytes, int]) -> PageLinks | segments.Part:
    """One piece: ("css" | "page" | "own" | "chrome", its bytes, where main begins in an own part)."""
    kind, data, head_length = piece
    if kind == "css":
        return extract_css(data.decode("utf-8", errors="replace"))
    if kind == "page":
        return extract_html(data)
    links, main_at = extract_html_part(data)
    if kind == "own":  # a page's head and its main: each is followed by a cut
        closed = segments.closed(data, 0, head_length) and segments.closed(data, head_length)
        return segments.Part(links, main_at, closed)
    # the end of the header is followed by a cut; the footer's end is the page's
    return segments.Part(links, main_at, segments.closed(data))


def _shared(stored: dict) -> dict:
    """One object per distinct reference (most repeat on every page), so the pickle loads fast."""
    canonical: dict[tuple[str, str], tuple[str, str]] = {}

    def shared(links: PageLinks) -> PageLinks:
        return PageLinks(tuple(canonical.setdefault(r, r) for r in links.references), links.anchors, links.base)

    return {"pages": {key: (shared(links), parts) for key, (links, parts) in stored["pages"].items()},
            "parts": {key: segments.Part(shared(part.links), part.main_at, part.closed)
                      for key, part in stored["parts"].items()}}


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
