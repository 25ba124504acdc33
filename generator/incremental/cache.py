"""The persistent cache (--cache-dir, default .cache/): rendered Markdown and rendered pages.

Markdown bodies (one SQLite file) are keyed by everything their HTML depends on: the generator's code, the
source path and text, the base path, the map of content URLs (links are rewritten against it),
the images' sizes (written as width/height) and the sanitiser's rules. Pages are keyed by
fingerprint.py's route keys and stored by the hash of their bytes.
Every entry is written to a temporary file and renamed into place, so a build killed midway
leaves only whole entries behind; an entry that cannot be read or does not match its hash is
ignored and rendered again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import sqlite3
from dataclasses import asdict
from pathlib import Path

from generator import __version__
from generator.markdown.render import RenderedBody
from generator.output.staged import digest
from generator.output.write import replace_file
from generator.problems import Problem


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator's own source, hashed: a change to the code (a filter, the Markdown setup)
    must not be answered from entries an older build of the code made, version bump or not.

    Computed once per process: the code that runs is the code that was imported, and five caches
    of a build ask for it."""
    package = Path(__file__).resolve().parent.parent  # the whole generator package, not this folder
    blob = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        blob.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return blob.hexdigest()


class BodyCache:
    """Rendered Markdown bodies in one SQLite file (stdlib sqlite3), keyed as the module says.

    One file rather than one per body: creating two thousand small files cost a cold build more
    than a second. Entries made by a build are written in one transaction at its end, with those
    no longer used, so a killed build leaves the previous state whole; a file that is not a
    database, or a row that does not decode, is treated as missing.

    A body's problems, its search terms and the rest are columns of their own, read apart: every
    build needs every body's problems, the search index every article's terms when it is made
    again, and a page its body's HTML only when it is rendered (bodies.py).
    """

    def __init__(self, folder: Path | None, context_key: str):
        self.path = folder / "markdown.sqlite" if folder else None
        self.context_key = context_key
        self.hits = self.misses = 0
        self.used: set[str] = set()
        self._db: sqlite3.Connection | None = None  # open while this build stores bodies: one transaction
        self._reader: tuple[int, sqlite3.Connection] | None = None  # (process id, connection) for fetch()
        self._known = self._keys()  # the keys the file holds

    @staticmethod
    def context(base_path: str, urls: dict[str, str], *policy) -> str:
        """`policy`: anything else a body depends on (image sizes, the sanitiser's rules, iframe hosts)."""
        blob = json.dumps([code_digest(), base_path, sorted(urls.items()), *policy], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def key(self, source: str, body: str, first_line: int) -> str:
        blob = f"{self.context_key}\0{source}\0{first_line}\0{body}"
        return hashlib.sha256(blob.encode()).hexdigest()

    def problems(self, keys: list[str]) -> list[tuple[Problem, ...] | None]:
        """The problems of the stored body for each key (None: not stored or unreadable, render it).
        Marks every key used by this build, so save() keeps them."""
        self.used.update(keys)
        found: dict[str, tuple[Problem, ...]] = {}
        for key, text in self._rows("problems", [key for key in keys if key in self._known]):
            problems = _decode_problems(text)
            if problems is not None:
                found[key] = problems
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return [found.get(key) for key in keys]

    def terms(self, keys: list[str]) -> dict[str, str]:
        """The search terms of the stored bodies among `keys` (a key not stored is left out)."""
        return {key: text for key, text in self._rows("terms", [key for key in keys if key in self._known])
                if isinstance(text, str)}

    def fetch(self, key: str) -> RenderedBody | None:
        """One stored body, whole; None when missing or damaged. Opens this process's own connection
        (a forked worker must not use its parent's) and reads the row to its end, holding no lock."""
        if key not in self._known:
            return None
        try:
            if self._reader is None or self._reader[0] != os.getpid():
                self._reader = (os.getpid(), self._connect())
            rows = self._reader[1].execute("SELECT problems, terms, rest FROM rendered WHERE key = ?",
                                           (key,)).fetchall()
        except sqlite3.Error:
            return None
        return _decode(*rows[0]) if rows else None

    def close(self) -> None:
        """Close this process's reading connection, if fetch() opened one (the build is over)."""
        if self._reader is not None and self._reader[0] == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._reader[1].close()
        self._reader = None

    def put(self, key: str, body: RenderedBody, terms: str) -> None:
        """Store a body, with its search terms, in this build's transaction (committed by save)."""
        if self.path is None:
            return
        self.used.add(key)
        try:
            if self._db is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = self._connect()
            rest = {"html": body.html, "headings": body.headings, "links": body.links, "text": body.text}
            self._db.execute("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?, ?)", (
                key, json.dumps([asdict(p) for p in body.problems], ensure_ascii=False), terms,
                json.dumps(rest, ensure_ascii=False)))
        except sqlite3.OperationalError:
            self._close()  # locked by another build sharing the cache, or a full disk: not kept this time
        except sqlite3.DatabaseError:
            self._close()
            self._discard()  # not a database: the next build starts a new one
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def save(self) -> None:
        """Drop the bodies this build did not use and commit what it stored, in one transaction."""
        if self.path is None or (self._db is None and self.used == self._known):
            return
        try:
            if self._db is None:
                self._db = self._connect()
            db = self._db
            db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO used VALUES (?)", ((k,) for k in self.used))
            db.execute("DELETE FROM rendered WHERE key NOT IN (SELECT key FROM used)")
            db.commit()
        except sqlite3.OperationalError:
            pass
        except sqlite3.DatabaseError:
            self._discard()
        except OSError:
            pass
        finally:
            self._close()

    def _rows(self, column: str, keys: list[str]) -> list[tuple[str, object]]:
        """(key, column) of the stored rows among `keys`, a few hundred keys a query."""
        if not keys:
            return []
        found = []
        try:
            with contextlib.closing(self._connect()) as db:
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    found += db.execute(f"SELECT key, {column} FROM rendered WHERE key IN "
                                        f"({','.join('?' * len(chunk))})", chunk).fetchall()
        except sqlite3.Error:
            return []  # unreadable: everything is rendered again, and saved into a new file
        return found

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)  # another build sharing the cache may be saving
        db.execute("CREATE TABLE IF NOT EXISTS rendered "
                   "(key TEXT PRIMARY KEY, problems TEXT NOT NULL, terms TEXT NOT NULL, rest TEXT NOT NULL)")
        return db

    def _keys(self) -> set[str]:
        if self.path is None or not self.path.is_file():
            return set()
        try:
            with contextlib.closing(self._connect()) as db, db:
                if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bodies'").fetchall():
                    db.execute("DROP TABLE bodies")  # the layout before the columns were split: once, not each build
                return {key for (key,) in db.execute("SELECT key FROM rendered")}
        except sqlite3.OperationalError:
            return set()
        except sqlite3.DatabaseError:
            self._discard()
            return set()

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()  # without a commit: what it held is rolled back
            self._db = None

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def _decode_problems(text: object) -> tuple[Problem, ...] | None:
    try:
        return tuple(Problem(**p) for p in json.loads(text))
    except (ValueError, TypeError):
        return None  # damaged: rendered again


def _decode(problems: object, terms: object, rest: object) -> RenderedBody | None:
    try:
        raw = json.loads(rest)
        found = _decode_problems(problems)
        if found is None or not isinstance(terms, str):
            return None
        return RenderedBody(raw["html"], tuple(tuple(h) for h in raw["headings"]), found,
                            tuple(tuple(x) for x in raw["links"]), raw["text"])
    except (KeyError, ValueError, TypeError):
        return None  # damaged or from an older layout: rendered again


SOURCES = "sources.pickle"  # the link checker's record of each cached page, by route key


class PageCache:
    """Rendered pages: an index from route key to the hash of the page's bytes, and the bytes by hash.

    The index is one file, replaced only at the end of a successful build, so it never names a
    page that a killed build did not finish; blobs no longer named by it are removed then.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder / "pages" if folder else None
        self.index = self._load_index()
        self.live: dict[str, str] = {}
        # route key → the link checker's record of the page (references and their template lines)
        self.sources = self._load_sources()
        self.live_sources: dict[str, list] = {}
        self.hits = 0

    def recorded(self, key: str) -> list | None:
        return self.sources.get(key)

    def lookup(self, key: str) -> str | None:
        return self.index.get(key)

    def blob(self, sha: str) -> bytes | None:
        """The bytes stored under their hash; None when missing or damaged."""
        if self.folder is None:
            return None
        try:
            data = (self.folder / sha[:2] / sha).read_bytes()
        except OSError:
            return None
        return data if digest(data) == sha else None

    def store(self, sha: str, staged: Path) -> None:
        """Keep a staged page's bytes: a hard link costs no copy (both are never written in place).

        One link call per page in the usual case (a cold build stores thousands): a page already
        kept is found by the link failing, and a shard folder is made only when the link says so.
        """
        if self.folder is None:
            return
        shard = os.path.join(self.folder, sha[:2])
        target = os.path.join(shard, sha)
        try:
            try:
                os.link(staged, target)
            except FileNotFoundError:  # the shard's folder is not there yet (the staged page is)
                os.makedirs(shard, exist_ok=True)
                os.link(staged, target)
        except FileExistsError:
            return  # kept already, by an earlier build or another page with the same bytes
        except OSError:  # another file system, or a link limit: copy instead
            try:
                if not os.path.exists(target):
                    os.makedirs(shard, exist_ok=True)
                    replace_file(Path(target), Path(staged).read_bytes())
            except OSError:
                pass  # a cache that cannot be written only makes the next build slower

    def remember(self, key: str, sha: str, recorded: tuple | list | None = None) -> None:
        self.live[key] = sha
        if recorded is not None:
            self.live_sources[key] = list(recorded)

    def save(self) -> None:
        if self.folder is None or (self.live == self.index and self.live_sources == self.sources):
            return  # the stored index already names exactly these pages
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # the records first: an index never names a page whose record a killed build did not write
            replace_file(self.folder / SOURCES, pickle.dumps(self.live_sources, protocol=pickle.HIGHEST_PROTOCOL))
            replace_file(self.folder / "index.json", json.dumps(self.live).encode())
            self._prune(set(self.live.values()))
        except OSError:
            pass

    def _load_index(self) -> dict[str, str]:
        return self._load_json("index.json")

    def _load_sources(self) -> dict[str, list]:
        """A pickle, not JSON: the records are read and written by every build, and pickled they are
        about half the size and half the time."""
        return _load_pickled_dict(self.folder / SOURCES) if self.folder else {}

    def _load_json(self, name: str) -> dict:
        if self.folder is None:
            return {}
        try:
            index = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return index if isinstance(index, dict) else {}

    def _prune(self, keep: set[str]) -> None:
        for entry in os.scandir(self.folder):
            if entry.is_dir() and len(entry.name) == 2:
                for blob in os.scandir(entry.path):
                    if blob.name not in keep:
                        os.unlink(blob.path)


def _load_pickled_dict(path: Path) -> dict:
    """A dict kept as a pickle; {} when missing or damaged (its entries are then made again)."""
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged pickle raises almost anything (EOFError, KeyError, ImportError…)
        return {}
    return value if isinstance(value, dict) else {}


class DerivedText:
    """A text computed from the whole site (the search index), kept with the digest of its inputs:
    a build whose inputs hash the same takes the stored text instead of computing it again."""

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / "derived" / name if folder else None

    def get(self, key: str) -> str | None:
        """The stored text if it was made from `key`."""
        data = self.get_data(key)
        try:
            return data.decode() if data is not None else None
        except UnicodeDecodeError:
            return None

    def put(self, key: str, text: str) -> None:
        self.put_data(key, text.encode())

    def get_data(self, key: str) -> bytes | None:
        """get() as UTF-8 bytes, for a text that is written out as it is (no decoding of megabytes of
        text only to encode them again). The first line holds the key and the data's digest: the key
        is read first, and the data only when it matches; data damaged since it was stored is not
        returned."""
        if self.path is None:
            return None
        try:
            with open(self.path, "rb") as stored:
                head = stored.readline().split()
                if len(head) != 2 or head[0] != key.encode():
                    return None
                data = stored.read()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest().encode() == head[1] else None

    def put_data(self, key: str, data: bytes) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(self.path, b"".join((f"{key} {hashlib.sha256(data).hexdigest()}\n".encode(), data)))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


class DerivedRows:
    """Pieces of a derived text (the search index's rows) by the digest of what each is made from,
    in one pickle: a build that changed one article takes the other rows from here."""

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / "derived" / name if folder else None

    def load(self) -> dict[str, str]:
        rows = _load_pickled_dict(self.path) if self.path else {}
        return rows if all(isinstance(v, str) for v in rows.values()) else {}

    def save(self, rows: dict[str, str]) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(self.path, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
