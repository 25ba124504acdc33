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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.incremental.parallel import exit_with_parent, start_context
from generator.linkcheck import segments
from generator.linkcheck.extract import PageLinks, extract_css, extract_html, extract_html_part
from generator.output.write import replace_file

PARSED = (".html", ".htm", ".css")
POOL_FROM = 200  # below this many parts to parse, starting worker processes costs more than it saves
CACHE_FORMAT = 2  # pages and their parts


@dataclass(frozen=True)
class ReadPages:
    links: dict[str, PageLinks]  # output-relative file → what it refers to
    digests: dict[str, bytes]  # output-relative file → hash of its bytes
    reused: int  # pages not parsed again
    parsed: int = 0  # pieces parsed: whole pages, stylesheets and distinct parts of pages


def published_files(output: Path) -> list[str]:
    """Every file a visitor can fetch: hidden files (the build's marker) are not published."""
    found = []
    root = os.path.join(output, "")  # with the separator at its end: folders below start with it
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = folder[len(root):].replace(os.sep, "/")  # os.path.relpath costs a third of a re-check's walk
        prefix = relative + "/" if relative else ""
        found += [prefix + n for n in names if not n.startswith(".")]
    return found


def read_pages(output: Path, files: list[str], cache_dir: Path | None, workers: int | None = None) -> ReadPages:
    cache_file = cache_dir / "linkcheck" / "pages.pickle" if cache_dir else None
    stored = load(cache_file)
    if stored.get("format") != CACHE_FORMAT:
        stored = {}
    known_pages, known_parts = stored.get("pages", {}), stored.get("parts", {})
    links, digests, page_parts = {}, {}, {}  # page_parts: file → keys of its (own, top, foot) parts
    whole, cuts = {}, {}  # pages parsed whole → their digest; pages cut → the keys of their parts
    with _Parser(workers) as parser:  # parsing starts while the rest is still being read
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
                parser.add(digest, ("css" if digest.endswith(b"c") else "page", data, 0))
                continue
            keys = cuts[name] = page_parts[name] = (_digest(cut.own, cut.head_length.to_bytes(4, "big")),
                                                    _digest(cut.top, b"t"), _digest(cut.foot, b"f"))
            for key, part, kind in zip(keys, (cut.own, cut.top, cut.foot), ("own", "chrome", "chrome"), strict=True):
                if key not in known_parts:
                    parser.add(key, (kind, part, cut.head_length))
        reused = len(links)
        parsed = _shared(parser.finish())
        parts = {key: known_parts[key] for keys in page_parts.values() if keys for key in keys if key in known_parts}
        parts.update((key, part) for key, part in parsed.items() if isinstance(part, segments.Part))
        for name, keys in cuts.items():
            own, top, foot = (parts[key] for key in keys)
            if own.closed and top.closed:
                links[name] = segments.join(own, top, foot)
            else:  # something left open before a cut: only the whole page reads as the browser reads it
                page_parts[name], whole[name] = None, digests[name]
                parser.add(digests[name], ("page", (output / name).read_bytes(), 0))
        results = parser.finish()
        parsed.update(_shared({key: results[key] for key in results.keys() - parsed.keys()}))
    links.update((name, parsed[digest]) for name, digest in whole.items())
    if cache_file and parser.count:
        save(cache_file, {"format": CACHE_FORMAT, "pages": {digests[n]: (links[n], page_parts.get(n)) for n in links},
                          "parts": {k: parts[k] for keys in page_parts.values() if keys for k in keys if k in parts}})
    return ReadPages(links, digests, reused, parser.count)


def _digest(data: bytes, suffix: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:16] + suffix


class _Parser:
    """Parses the pieces added to it, once each; in a pool of processes once there are enough of them.

    Pieces go to the pool in batches as they are added, so the workers parse while the pages are
    still being read and cut.
    """

    BATCH_BYTES = 256 * 1024  # small enough that the last batch leaves no worker idle for long

    def __init__(self, workers: int | None):
        self.processes = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None
        self.waiting: dict[bytes, tuple] = {}  # key → piece, not sent yet
        self.waiting_bytes = 0
        self.sent: list[tuple[tuple[bytes, ...], Future]] = []
        self.results: dict[bytes, PageLinks | segments.Part] = {}
        self.added: set[bytes] = set()

    @property
    def count(self) -> int:
        """Distinct pieces parsed."""
        return len(self.added)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def add(self, key: bytes, piece: tuple[str, bytes, int]) -> None:
        if key in self.added:
            return
        self.added.add(key)
        self.waiting[key] = piece
        self.waiting_bytes += len(piece[1])
        if self.pool is None and self.count >= POOL_FROM and self.processes > 1:
            # forked, as the build's workers are: a forked worker starts in milliseconds, while a spawned
            # one (the default from Python 3.14) imports bs4 and lxml again first
            self.pool = ProcessPoolExecutor(self.processes, initializer=exit_with_parent,
                                            mp_context=start_context())
        if self.pool is not None and self.waiting_bytes >= self.BATCH_BYTES:
            self._send()

    def _send(self) -> None:
        self.sent.append((tuple(self.waiting), self.pool.submit(_parse_batch, tuple(self.waiting.values()))))
        self.waiting, self.waiting_bytes = {}, 0

    def finish(self) -> dict[bytes, PageLinks | segments.Part]:
        """Every piece added so far, parsed."""
        if self.pool is None:
            self.results.update((key, _parse(piece)) for key, piece in self.waiting.items())
            self.waiting = {}
        elif self.waiting:
            self._send()
        for keys, future in self.sent:
            self.results.update(zip(keys, future.result(), strict=True))
        self.sent = []
        return self.results


def _parse_batch(pieces: tuple[tuple[str, bytes, int], ...]) -> list[PageLinks | segments.Part]:
    return [_parse(piece) for piece in pieces]


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


def _shared(parsed: dict[bytes, PageLinks | segments.Part]) -> dict[bytes, PageLinks | segments.Part]:
    """One object per distinct reference (most repeat on every page), so the pickle stays small and loads fast.

    Only what was just parsed needs it: what came from the pickle shares its objects already, and a
    page joined from parts holds the parts' objects.
    """
    canonical: dict[tuple[str, str], tuple[str, str]] = {}

    def shared(links: PageLinks) -> PageLinks:
        return PageLinks(tuple(canonical.setdefault(r, r) for r in links.references), links.anchors, links.base)

    return {key: segments.Part(shared(piece.links), piece.main_at, piece.closed)
            if isinstance(piece, segments.Part) else shared(piece) for key, piece in parsed.items()}


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
        replace_file(path, pickle.dumps({"version": __version__, "data": data}, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # without a cache the next check only takes longer
