"""Outside URLs against a real HTTP(S) server on 127.0.0.1: every answer a checker meets in the wild.

All URLs go through one `check_urls` call, as in a real check, with short timeouts and backoffs
so the module runs in a few seconds.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from generator.linkcheck.external import HttpSettings, ResultCache, check_urls
from tests.conftest import free_port

FAST = HttpSettings(timeout=0.5, retries=2, backoff=0.05, max_retry_after=0.4, per_host=8, interval=0)


class Handler(BaseHTTPRequestHandler):
    """Each path is one behaviour; `server.hits` counts (method, path) so tests can see retries."""

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")

    def _answer(self, method: str) -> None:
        server = self.server
        with server.lock:
            server.hits[(method, self.path)] += 1
            server.agents.add(self.headers.get("User-Agent", ""))
            count = sum(n for (_, p), n in server.hits.items() if p == self.path)
        routes = {
            "/ok": (200, {}), "/missing": (404, {}), "/gone": (410, {}), "/down": (503, {}),
            "/private": (401, {}), "/forbidden": (403, {}),
            "/flaky": (500, {}) if count == 1 else (200, {}),
            "/busy": (429, {"Retry-After": "1"}),
            "/busy-once": (429, {"Retry-After": "100"}) if count == 1 else (200, {}),
            "/moved": (301, {"Location": "/ok"}),
            "/temporary": (302, {"Location": "/ok"}),
            "/chain": (302, {"Location": "/chain-2"}), "/chain-2": (301, {"Location": "/chain-3"}),
            "/chain-3": (302, {"Location": "/ok"}),
            "/loop": (302, {"Location": "/loop"}),
            "/no-head": (405, {}) if method == "HEAD" else (200, {}),
        }
        path = self.path.split("?", 1)[0]  # a query only makes a URL distinct for the cache tests
        if path == "/slow":
            time.sleep(1.5)
            routes["/slow"] = (200, {})
        code, headers = routes.get(path, (404, {}))
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


def serve(context: ssl.SSLContext | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hits, server.agents, server.lock = Counter(), set(), threading.Lock()
    if context:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def http():
    server = serve()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def https():
    ca = trustme.CA()  # the checker does not trust this CA: a self-signed site
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = serve(context)
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


PATHS = ["/ok", "/missing", "/gone", "/flaky", "/down", "/busy", "/busy-once", "/moved", "/temporary",
         "/chain", "/loop", "/no-head", "/slow", "/private", "/forbidden"]


@pytest.fixture(scope="module")
def checked(http, https):
    server, root = http
    refused = f"http://127.0.0.1:{free_port()}/"
    started = time.monotonic()
    results = check_urls([root + p for p in PATHS] + [https + "/ok", refused], FAST)
    return server, root, {url.replace(root, ""): r for url, r in results.items()}, time.monotonic() - started, \
        https, refused


@pytest.mark.parametrize("path, status, code", [
    ("/ok", "ok", 200), ("/missing", "broken", 404), ("/gone", "broken", 410), ("/down", "broken", 503),
    ("/flaky", "ok", 200), ("/temporary", "ok", 200), ("/no-head", "ok", 200),
    ("/private", "unverifiable", 401), ("/forbidden", "unverifiable", 403), ("/busy", "unverifiable", 429),
    ("/busy-once", "ok", 200),
])
def test_status_is_classified(checked, path, status, code):
    result = checked[2][path]
    assert (result.status, result.code) == (status, code), result


def test_server_errors_are_retried_with_backoff(checked):
    server, _root, results, *_ = checked
    assert server.hits[("HEAD", "/flaky")] == 2  # 500, then 200 on the retry
    assert server.hits[("HEAD", "/down")] == FAST.retries + 1
    assert results["/down"].reason.endswith("503")


def test_429_honours_retry_after_but_caps_it(checked):
    server, _root, results, elapsed, *_ = checked
    assert server.hits[("HEAD", "/busy")] == FAST.retries + 1
    assert server.hits[("HEAD", "/busy-once")] == 2
    # Retry-After: 100 was cut to max_retry_after: the whole run stays short
    assert elapsed < 8


def test_permanent_redirects_are_reported_with_the_new_address(checked):
    _server, root, results, *_ = checked
    assert results["/moved"].status == "redirected" and results["/moved"].new_url == root + "/ok"
    # a chain with one permanent hop among temporary ones is still a move worth updating
    assert results["/chain"].status == "redirected" and results["/chain"].new_url == root + "/ok"


def test_redirect_loop_is_broken(checked):
    result = checked[2]["/loop"]
    assert result.status == "broken" and "chuyển hướng" in result.reason


def test_head_refused_falls_back_to_get(checked):
    server = checked[0]
    assert server.hits[("HEAD", "/no-head")] == 1 and server.hits[("GET", "/no-head")] == 1


def test_slow_response_times_out_as_unverifiable(checked):
    result = checked[2]["/slow"]
    assert result.status == "unverifiable" and "thời gian" in result.reason


def test_self_signed_tls_is_unverifiable(checked):
    https = checked[4]
    result = checked[2][https + "/ok"]
    assert result.status == "unverifiable" and "TLS" in result.reason


def test_refused_connection_is_broken_after_retries(checked):
    result = checked[2][checked[5]]
    assert result.status == "broken" and "kết nối" in result.reason


def test_requests_carry_a_real_user_agent(checked):
    assert checked[0].agents == {FAST.user_agent} and FAST.user_agent.startswith("awareness-linkcheck/")


def test_one_host_is_asked_politely(http):
    server, root = http
    polite = HttpSettings(timeout=1, retries=0, per_host=1, interval=0.15)
    urls = [f"{root}/ok?n={n}" for n in range(4)]
    started = time.monotonic()
    results = check_urls(urls, polite)
    assert all(r.status == "ok" for r in results.values())
    assert time.monotonic() - started >= 3 * 0.15


def test_good_results_are_cached_and_failures_never(http, tmp_path):
    server, root = http
    cache_file = tmp_path / "external.json"
    urls = [f"{root}/ok?cache=1", f"{root}/missing?cache=1"]
    check_urls(urls, FAST, ResultCache(cache_file))
    again = check_urls(urls, FAST, ResultCache(cache_file))
    assert server.hits[("HEAD", "/ok?cache=1")] == 1  # answered from the cache the second time
    assert server.hits[("HEAD", "/missing?cache=1")] == 2  # a failure is always asked again
    assert again[urls[0]].status == "ok" and again[urls[1]].status == "broken"
    check_urls(urls, FAST, ResultCache(cache_file, max_age=0))  # too old: asked again
    assert server.hits[("HEAD", "/ok?cache=1")] == 2
