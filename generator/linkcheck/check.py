"""The link check of a built site: read every page, resolve every reference, report findings.

Findings are values; nothing is printed here. Pages whose bytes did not change since the last
check are not parsed again (their references are kept in the cache folder, keyed by a hash of
the bytes), and a cold check parses in a process pool.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from generator import __version__
from generator.linkcheck.external import HttpSettings, ResultCache, check_urls
from generator.linkcheck.extract import PageLinks, extract_css, extract_html
from generator.linkcheck.internal import SiteIndex
from generator.linkcheck.sources import SourceMap, read_source_map

PARSED = (".html", ".htm", ".css")
POOL_FROM = 200  # below this many pages to parse, starting worker processes costs more than it saves


@dataclass(frozen=True)
class CheckSettings:
    output: Path
    base_url: str  # absolute, ending with "/"
    exclusions: tuple[str, ...] = ()  # regular expressions of URLs not to check
    offline: bool = False
    include_ok: bool = False
    cache_dir: Path | None = None  # parsed pages; the build's source map is read from here too
    http_cache: Path | None = None  # results of outside URLs
    http_max_age: float = 3 * 24 * 3600
    http: HttpSettings = field(default_factory=HttpSettings)
    workers: int | None = None


@dataclass(frozen=True)
class Finding:
    source: str  # "content/…/x.md:12", "templates/base.html:9", or "" when unknown
    page: str  # the built page, relative to the output; the first one when `pages` > 1
    url: str
    status: str  # "broken", "unverifiable", "redirected", "ok"
    reason: str
    kind: str = ""  # "a[href]", "img[srcset]", "css[url]" …
    pages: int = 1  # pages affected: a template's reference is reported once
    new_url: str = ""


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    summary: dict

    def failed(self, strict: bool = False) -> bool:
        bad = {"broken", "unverifiable"} if strict else {"broken"}
        return any(f.status in bad for f in self.findings)


def check_site(settings: CheckSettings, source_map_file: Path | None = None) -> CheckResult:
    started = time.perf_counter()
    files = _published_files(settings.output)
    parsed, reused = _parse_all(settings, [f for f in files if f.endswith(PARSED)])
    index = SiteIndex(settings.base_url, frozenset(files),
                      {f: links.anchors for f, links in parsed.items() if not f.endswith(".css")})
    excluded = _Exclusions(settings.exclusions)
    raw: list[tuple[str, str, str, str, str, str]] = []  # page, kind, url, status, reason, new_url
    outside: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    counts = defaultdict(int)
    for page in sorted(parsed):
        links = parsed[page]
        page_url = index.page_url(page) if not page.endswith(".css") else settings.base_url + page
        if links.base:
            page_url = urljoin(page_url, links.base)
        for kind, url in links.references:
            counts["references"] += 1
            if excluded(url):
                counts["excluded"] += 1
                continue
            verdict = index.check(url, page_url)
            if verdict.status == "external":
                outside[verdict.target].append((page, kind, url))
            elif verdict.status == "broken" or (verdict.status == "ok" and settings.include_ok):
                raw.append((page, kind, url, verdict.status, verdict.reason, ""))
    counts["external_urls"] = len(outside)
    if not settings.offline:
        raw += _outside(settings, outside, excluded, counts)
    source_map = read_source_map(source_map_file, settings.output) if source_map_file and raw else None
    findings = _attribute(raw, source_map)
    summary = {"pages": len(parsed), "files": len(files), "reused_pages": reused, **counts,
               **{s: sum(1 for f in findings if f.status == s) for s in ("broken", "unverifiable", "redirected")},
               "offline": settings.offline, "source_map": source_map is not None,
               "seconds": round(time.perf_counter() - started, 3)}
    return CheckResult(tuple(findings), summary)


def _outside(settings: CheckSettings, outside: dict, excluded, counts) -> list[tuple]:
    urls = [u for u in outside if not excluded(u)]
    counts["excluded"] += len(outside) - len(urls)
    cache = ResultCache(settings.http_cache, settings.http_max_age) if settings.http_cache else None
    results = check_urls(urls, settings.http, cache)
    raw = []
    for url in urls:
        result = results[url]
        if result.status == "ok" and not settings.include_ok:
            continue
        raw += [(page, kind, written, result.status, result.reason, result.new_url or "")
                for page, kind, written in outside[url]]
    return raw


def _attribute(raw: list[tuple], source_map: SourceMap | None) -> list[Finding]:
    """Name each finding's source; a template's reference becomes one finding for all its pages."""
    singles, grouped = [], defaultdict(list)
    for page, kind, url, status, reason, new_url in raw:
        source, origin = source_map.locate(page, url) if source_map else (None, "")
        if origin == "template":
            grouped[(source, url, status, kind)].append((page, reason, new_url))
        else:
            singles.append(Finding(source or "", page, url, status, reason, kind, 1, new_url))
    for (source, url, status, kind), uses in grouped.items():
        page, reason, new_url = min(uses)
        singles.append(Finding(source, page, url, status, reason, kind, len({u[0] for u in uses}), new_url))
    return sorted(singles, key=_reading_order)


def _reading_order(finding: Finding) -> tuple:
    """By file, then line as a number (":9" before ":11"), then page and URL."""
    file, _, line = finding.source.rpartition(":")
    return (file, int(line)) if line.isdigit() else (finding.source, 0), finding.page, finding.url


class _Exclusions:
    def __init__(self, patterns: tuple[str, ...]):
        self.patterns = [re.compile(p) for p in patterns]
        self.memo: dict[str, bool] = {}

    def __call__(self, url: str) -> bool:
        if not self.patterns:
            return False
        if url not in self.memo:
            self.memo[url] = any(p.search(url) for p in self.patterns)
        return self.memo[url]


def _published_files(output: Path) -> list[str]:
    """Every file a visitor can fetch: hidden files (the build's marker) are not published."""
    found = []
    for folder, dirs, names in os.walk(output):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        relative = os.path.relpath(folder, output)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + n for n in names if not n.startswith(".")]
    return found


def _parse_all(settings: CheckSettings, files: list[str]) -> tuple[dict[str, PageLinks], int]:
    cache_file = settings.cache_dir / "linkcheck" / "pages.pickle" if settings.cache_dir else None
    known = _load_pages(cache_file)
    parsed, todo, digests = {}, [], {}
    for name in files:
        data = (settings.output / name).read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).digest() + name.endswith(".css").to_bytes(1, "big")
        digests[name] = digest
        if digest in known:
            parsed[name] = known[digest]
        else:
            todo.append((name, data))
    reused = len(parsed)
    if len(todo) >= POOL_FROM and (settings.workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(settings.workers) as pool:
            parsed.update(zip((n for n, _ in todo), pool.map(_extract, todo, chunksize=32), strict=True))
    else:
        parsed.update((name, _extract((name, data))) for name, data in todo)
    if cache_file and todo:
        _save_pages(cache_file, {digests[n]: parsed[n] for n in parsed})
    return parsed, reused


def _extract(item: tuple[str, bytes]) -> PageLinks:
    name, data = item
    if name.endswith(".css"):
        return extract_css(data.decode("utf-8", errors="replace"))
    return extract_html(data)


def _load_pages(path: Path | None) -> dict:
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)  # our own cache file, written below
        return stored["pages"] if stored.get("version") == __version__ else {}
    except Exception:  # noqa: BLE001 - a missing or damaged cache only means parsing again
        return {}


def _save_pages(path: Path, pages: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as f:
            pickle.dump({"version": __version__, "pages": pages}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        pass
