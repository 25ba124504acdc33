"""The link check of a built site: read every page, resolve every reference, report findings.

Findings are values; nothing is printed here. Pages whose bytes did not change since the last
check are not parsed again (their references are kept in the cache folder, keyed by a hash of
the bytes), and a cold check parses in a process pool.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from generator.content.identity import RetiredDomain
from generator.linkcheck import pages
from generator.linkcheck.external import HttpSettings, ResultCache, check_urls, seems_offline
from generator.linkcheck.extract import PageLinks
from generator.linkcheck.internal import SiteIndex
from generator.linkcheck.sources import SourceMap, read_source_map


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
    retired: tuple[RetiredDomain, ...] = ()  # identity.yaml: domains of agencies that no longer exist


@dataclass(frozen=True)
class Finding:
    source: str  # "content/…/x.md:12", "templates/base.html:9", or "" when unknown
    page: str  # the built page, relative to the output; the first one when `pages` > 1
    url: str
    status: str  # "broken", "unverifiable", "redirected", "retired", "ok"
    reason: str
    kind: str = ""  # "a[href]", "img[srcset]", "css[url]" …
    pages: int = 1  # pages affected: a template's reference is reported once
    new_url: str = ""


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    summary: dict

    def failed(self, strict: bool = False) -> bool:
        bad = {"broken", "unverifiable", "retired"} if strict else {"broken"}
        return any(f.status in bad for f in self.findings) or (strict and bool(self.summary.get("no_network")))


def check_site(settings: CheckSettings, source_map_file: Path | None = None) -> CheckResult:
    """Check the built site in settings.output; `source_map_file` (the build's) names the lines to fix."""
    started = time.perf_counter()
    files = pages.published_files(settings.output)
    read = pages.read_pages(settings.output, files, settings.cache_dir, settings.workers)
    parsed = read.links
    index = SiteIndex(settings.base_url, frozenset(files),
                      {f: links.anchors for f, links in parsed.items() if not f.endswith(".css")})
    excluded = _Exclusions(settings.exclusions)
    raw, outside, counts = _resolve_all(index, read, settings, excluded)
    counts["external_urls"] = len(outside)
    raw += _retired(settings, outside, excluded)  # known without the network
    if not settings.offline:
        raw += _outside(settings, outside, excluded, counts)
    source_map = read_source_map(source_map_file, settings.output) if source_map_file and raw else None
    findings = _attribute(raw, source_map)
    summary = {"pages": len(parsed), "files": len(files), "reused_pages": read.reused, **counts,
               **{s: sum(1 for f in findings if f.status == s)
                  for s in ("broken", "unverifiable", "redirected", "retired")},
               "offline": settings.offline, "source_map": source_map is not None,
               "seconds": round(time.perf_counter() - started, 3)}
    return CheckResult(tuple(findings), summary)


def _resolve_all(index: SiteIndex, read: pages.ReadPages, settings: CheckSettings, excluded):
    """Every reference against the site; outside URLs are gathered (with where they were used) for HTTP.

    When no file appeared or vanished and no page's anchors changed, an unchanged page resolves
    as last time, so only the pages whose bytes changed are resolved again.
    """
    store = settings.cache_dir / "linkcheck" / "resolved.pickle" if settings.cache_dir else None
    shape = _shape(index, read, settings)
    previous = pages.load(store, default={"shape": b"", "pages": {}})
    known = previous["pages"] if previous.get("shape") == shape else {}
    resolved = {}
    for page in sorted(read.links):
        entry = known.get(page)
        if entry is None or entry[0] != read.digests[page]:
            entry = (read.digests[page], *_resolve_page(index, page, read.links[page], settings, excluded))
        resolved[page] = entry
    if store and resolved != known:
        pages.save(store, {"shape": shape, "pages": resolved})
    raw, outside, counts = [], defaultdict(list), defaultdict(int)
    for page, (_digest, found, used_outside, excluded_count) in resolved.items():
        raw += found
        for target, kind, url in used_outside:
            outside[target].append((page, kind, url))
        counts["excluded"] += excluded_count
        counts["references"] += len(read.links[page].references)
    return raw, outside, counts


def _shape(index: SiteIndex, read: pages.ReadPages, settings: CheckSettings) -> bytes:
    """What every page's verdicts depend on besides its own bytes: the files, all anchors, the settings."""
    digest = hashlib.sha256(repr((settings.base_url, settings.exclusions, settings.include_ok)).encode())
    digest.update("\0".join(sorted(index.files)).encode())
    for page in sorted(index.anchors):
        digest.update(("\1" + "\0".join(sorted(index.anchors[page]))).encode())
    return digest.digest()


def _resolve_page(index: SiteIndex, page: str, links: PageLinks, settings: CheckSettings, excluded):
    """(findings as tuples, outside URLs used as (target, kind, url), references excluded) of one page."""
    page_url = index.page_url(page) if not page.endswith(".css") else settings.base_url + page
    if links.base:
        page_url = urljoin(page_url, links.base)
    here = "" if links.base else page  # with <base href>, "#x" points at the base, not at this page
    found, used_outside, excluded_count = [], [], 0
    for kind, url in links.references:
        if excluded.patterns and excluded(url):
            excluded_count += 1
            continue
        verdict = index.check(url, page_url, here)
        status = verdict.status
        if status == "external":
            used_outside.append((verdict.target, kind, url))
        elif status == "broken" or (settings.include_ok and status == "ok"):
            found.append((page, kind, url, status, verdict.reason, ""))
    return found, used_outside, excluded_count


def _retired(settings: CheckSettings, outside: dict, excluded) -> list[tuple]:
    """Links to a domain whose agency was merged away (monre.gov.vn since 2025): the successor to use."""
    raw = []
    for url, uses in outside.items():
        parts = urlsplit(url)
        retired = next((r for r in settings.retired if r.matches(parts.hostname or "")), None)
        if retired is None or excluded(url):
            continue
        netloc = parts.netloc.lower()
        at = netloc.rfind(retired.domain)
        netloc = netloc[:at] + retired.successor + netloc[at + len(retired.domain):]
        successor = urlunsplit(parts._replace(netloc=netloc))
        note = f" ({retired.note})" if retired.note else ""
        reason = f"{retired.domain} ngừng từ {retired.since:%d/%m/%Y}{note}; dùng {retired.successor}"
        raw += [(page, kind, written, "retired", reason, successor) for page, kind, written in uses]
    return raw


def _outside(settings: CheckSettings, outside: dict, excluded, counts) -> list[tuple]:
    urls = [u for u in outside if not excluded(u)]
    counts["excluded"] += len(outside) - len(urls)
    cache = ResultCache(settings.http_cache, settings.http_max_age) if settings.http_cache else None
    results = check_urls(urls, settings.http, cache)
    if seems_offline(results.values()):
        counts["no_network"] = len(urls)  # said once by the report, instead of one finding per link
        return []
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
