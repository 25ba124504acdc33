"""Search on a 2000-article site: index size against the site's text, load time and query time in Chromium.

    .venv/bin/python benchmarks/search_bench.py [--articles 2000] [--queries 20]

Builds a corpus with benchmarks/corpus.py (`write_corpus`), serves the output on 127.0.0.1 and
drives the real search page in headless Chromium (Debian's /usr/bin/chromium through Playwright).
A query is timed from submitting the form to the result list being in the DOM (search and
rendering, no debounce), as the median over queries typed without and with marks. The issue's
target is 50 ms per query on 2000 articles.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import write_corpus  # noqa: E402
from generator.pipeline import build  # noqa: E402
from generator.settings import BuildSettings  # noqa: E402

CHROMIUM = os.environ.get("AWARENESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WITHOUT_MARKS = ["nuoc", "trai dat", "tiet kiem dien", "bien dong", "duong", "khi hau", "hoa binh",
                 "nang luong tai tao", "moi truong", "so cong thuong"]
WITH_MARKS = ["nước", "Trái đất", "tiết kiệm điện", "Biển Đông", "đường", "khí hậu", "hoà bình",
              "năng lượng tái tạo", "môi trường", "Sở Công Thương"]
TIME_QUERY = """q => {
  const input = document.getElementById('search-input');
  input.value = q;
  const start = performance.now();
  document.getElementById('search-form').requestSubmit();
  const shown = performance.now() - start;
  const alone = performance.now();
  const found = AwarenessSearch.index.search(q).length;
  return [shown, found, performance.now() - alone];
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sizes(output: Path) -> dict[str, int]:
    index = (output / "search/index.json").read_bytes()
    data = json.loads(index)
    text = sum(len((row[1] + " " + row[6]).encode("utf-8")) for row in data["docs"])
    return {"index": len(index), "index_gzip": len(gzip.compress(index, 6)), "site_text": text,
            "terms": len(data["terms"]), "docs": len(data["docs"]),
            "others": sum(len(row) > 9 for row in data["docs"])}  # documents, plans, pages (index v2)


def _measure(base: str, queries: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(base + "tim-kiem/")
        page.wait_for_selector("#search-form[data-ready=true]", timeout=60_000)
        ready = (time.perf_counter() - started) * 1000
        timings = {}
        for name, words in (("without marks", WITHOUT_MARKS), ("with marks", WITH_MARKS)):
            runs = [page.evaluate(TIME_QUERY, words[i % len(words)]) for i in range(queries)]
            assert all(found for _, found, _ in runs), f"a query found nothing: {name}"
            timings[name] = [ms for ms, _, _ in runs]
            timings[name + " search alone"] = [ms for _, _, ms in runs]
            timings[name + " results"] = [found for _, found, _ in runs]
        browser.close()
    return {"ready": ready, **{k: statistics.median(v) for k, v in timings.items()},
            **{k + " max": max(v) for k, v in timings.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=20, help="queries per kind (without / with marks)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_corpus(root, args.articles)
        started = time.perf_counter()
        build(BuildSettings(project=root, content=content, output=root / "output", templates=REPO / "templates",
                            assets=REPO / "assets", cache=None, today=date(2026, 11, 24)))
        built = time.perf_counter() - started
        sizes = _sizes(root / "output")
        handler = functools.partial(_Quiet, directory=str(root / "output"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            timing = _measure(f"http://127.0.0.1:{server.server_address[1]}/", args.queries)
        finally:
            server.shutdown()
    mib = 1024 * 1024
    print(f"indexed: {sizes['docs']} ({sizes['docs'] - sizes['others']} articles, {sizes['others']} other pages), "
          f"distinct words: {sizes['terms']}, build: {built:.1f} s")
    print(f"site text (titles + summaries + bodies, UTF-8): {sizes['site_text'] / mib:.2f} MiB")
    print(f"search/index.json: {sizes['index'] / mib:.2f} MiB = {sizes['index'] / sizes['site_text']:.2f}× the text; "
          f"gzip: {sizes['index_gzip'] / mib:.2f} MiB = {sizes['index_gzip'] / sizes['site_text']:.2f}×")
    print(f"search page ready (index fetched and loaded): {timing['ready']:.0f} ms")
    for kind in ("without marks", "with marks"):
        print(f"query {kind}: median {timing[kind]:.1f} ms, max {timing[kind + ' max']:.1f} ms "
              f"(target ≤ 50 ms; search alone: median {timing[kind + ' search alone']:.1f} ms), "
              f"{args.queries} queries, median {timing[kind + ' results']:.0f} results")


if __name__ == "__main__":
    main()
