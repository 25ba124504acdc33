"""Outside URLs over HTTP: concurrent, polite to each host, patient with flaky servers.

HEAD first, GET when a server refuses HEAD; redirects followed, permanent ones reported with
the new address; timeouts, 5xx and 429 retried with exponential backoff, honouring a
Retry-After that is not absurd. Only results that can be trusted (ok, redirected) are cached.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from generator import __version__
from generator.output.write import replace_file

USER_AGENT = (f"awareness-linkcheck/{__version__} "
              "(+https://sct.binhthuan.gov.vn/; link checker of the Department's site)")
HEAD_REFUSED = {400, 403, 405, 501}  # servers that answer HEAD with these often serve GET fine
PERMANENT = {301, 308}
NO_DNS = "không tìm thấy tên máy chủ (DNS)"


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 10.0  # seconds for each of connect, read, write
    retries: int = 2  # extra attempts after a timeout, a 5xx, a 429 or a refused connection
    backoff: float = 1.0  # first wait between attempts; doubles each time
    max_retry_after: float = 30.0  # a longer Retry-After is cut to this
    per_host: int = 2  # requests in flight to one host
    interval: float = 0.25  # seconds between two requests to one host
    concurrency: int = 16
    user_agent: str = USER_AGENT
    max_redirects: int = 10


@dataclass(frozen=True)
class HttpResult:
    url: str
    status: str  # "ok", "redirected", "broken", "unverifiable"
    reason: str = ""
    code: int | None = None
    new_url: str | None = None


def _run(coroutine):
    """asyncio.run, also from a thread that already runs an event loop (an embedding program, a test
    driving a browser): the checks then get a loop of their own in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_urls(urls: Iterable[str], settings: HttpSettings = HttpSettings(),
               cache: ResultCache | None = None) -> dict[str, HttpResult]:
    """Check each URL once; cached good results younger than the cache's age are reused."""
    urls = sorted(set(urls))
    known = {u: cache.get(u) for u in urls} if cache else {}
    todo = [u for u in urls if known.get(u) is None]
    fresh = _run(_check_all(todo, settings)) if todo else {}
    if cache:
        for result in fresh.values():
            cache.put(result)
        cache.save()
    return {**{u: r for u, r in known.items() if r is not None}, **fresh}


async def _check_all(urls: list[str], settings: HttpSettings) -> dict[str, HttpResult]:
    hosts: dict[str, _Host] = {}
    limit = asyncio.Semaphore(settings.concurrency)
    timeout = httpx.Timeout(settings.timeout)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=settings.max_redirects,
                                 headers={"User-Agent": settings.user_agent}) as client:
        async def one(url: str) -> HttpResult:
            host = hosts.setdefault(urlsplit(url).netloc.lower(), _Host(settings))
            async with limit, host.slots:
                return await _check_one(client, url, host, settings)
        results = await asyncio.gather(*(one(u) for u in urls))
    return {r.url: r for r in results}


class _Host:
    """Per-host politeness: a few requests at a time, and a pause between their starts."""

    def __init__(self, settings: HttpSettings):
        self.slots = asyncio.Semaphore(settings.per_host)
        self.interval = settings.interval
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def turn(self) -> None:
        async with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_start = time.monotonic() + self.interval


async def _check_one(client: httpx.AsyncClient, url: str, host: _Host, settings: HttpSettings) -> HttpResult:
    result, delay = None, settings.backoff
    for attempt in range(settings.retries + 1):
        await host.turn()
        result, retry_after = await _attempt(client, url, settings)
        if retry_after is None:
            return result
        if attempt < settings.retries:
            await asyncio.sleep(max(delay, min(retry_after, settings.max_retry_after)))
            delay *= 2
    return result


async def _attempt(client: httpx.AsyncClient, url: str, settings: HttpSettings) -> tuple[HttpResult, float | None]:
    """One try: the result, and how long to wait before another try (None: do not retry)."""
    try:
        response = await client.head(url)
        if response.status_code in HEAD_REFUSED:
            async with client.stream("GET", url) as streamed:  # the body is never read
                response = streamed
    except httpx.TooManyRedirects:
        return HttpResult(url, "broken", "vòng chuyển hướng (redirect loop) hoặc quá nhiều lần chuyển"), None
    except httpx.TimeoutException:
        return HttpResult(url, "unverifiable", f"quá thời gian chờ ({settings.timeout:g} giây)"), 0.0
    except httpx.ConnectError as error:
        return _connect_failure(url, error)
    except httpx.HTTPError as error:
        return HttpResult(url, "unverifiable", f"lỗi giao thức: {type(error).__name__}: {error}"), None
    code = response.status_code
    if code == 429 or code >= 500:
        status = "unverifiable" if code == 429 else "broken"
        return HttpResult(url, status, f"máy chủ trả lời {code}", code), _retry_after(response)
    return _classify(url, response), None


def _connect_failure(url: str, error: httpx.ConnectError) -> tuple[HttpResult, float | None]:
    cause = _root_cause(error)
    if isinstance(cause, ssl.SSLError):
        return HttpResult(url, "unverifiable", f"lỗi chứng chỉ TLS: {cause}"), None
    if isinstance(cause, socket.gaierror) or "Name or service not known" in str(error):
        return HttpResult(url, "broken", NO_DNS), None
    return HttpResult(url, "broken", f"không kết nối được: {error}"), 0.0


def seems_offline(results: Iterable[HttpResult]) -> bool:
    """Whether no host at all could be looked up: the machine is offline (or has no name server), and
    listing every outside link as broken would bury the one thing to say. Two hosts at least, so one
    dead domain is still reported as such."""
    results = list(results)
    hosts = {urlsplit(r.url).netloc.lower() for r in results}
    return len(hosts) >= 2 and all(r.reason == NO_DNS for r in results)


def _root_cause(error: BaseException) -> BaseException:
    seen = error
    while seen.__cause__ or seen.__context__:
        seen = seen.__cause__ or seen.__context__
        if isinstance(seen, (ssl.SSLError, socket.gaierror)):
            return seen
    return seen


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 0.0


def _classify(url: str, response: httpx.Response) -> HttpResult:
    code = response.status_code
    if code in (401, 403):
        return HttpResult(url, "unverifiable", f"máy chủ từ chối truy cập ({code})", code)
    if code >= 300:  # 3xx here is a redirect without a Location
        return HttpResult(url, "broken", f"máy chủ trả lời {code}", code)
    moved = next((r for r in response.history if r.status_code in PERMANENT), None)
    if moved is not None:
        return HttpResult(url, "redirected", f"đã chuyển hẳn ({moved.status_code}) sang {response.url}", code,
                          str(response.url))
    return HttpResult(url, "ok", "", code)


class ResultCache:
    """Good results on disk with their time; older than max_age they are checked again."""

    def __init__(self, path: Path, max_age: float = 3 * 24 * 3600):
        self.path, self.max_age = path, max_age
        try:
            self.entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def get(self, url: str) -> HttpResult | None:
        entry = self.entries.get(url)
        if not isinstance(entry, dict) or time.time() - entry.get("checked", 0) > self.max_age:
            return None
        try:
            return HttpResult(**entry["result"])
        except (KeyError, TypeError):
            return None

    def put(self, result: HttpResult) -> None:
        if result.status in ("ok", "redirected"):  # a failure may be passing: never remember it
            self.entries[result.url] = {"checked": time.time(), "result": asdict(result)}
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        try:
            replace_file(self.path, json.dumps(self.entries, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # without a cache the next run only takes longer
