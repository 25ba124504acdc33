"""Save-to-screen latency of the preview server, measured in a real Chromium.

For the embedded site and a generated 2000-article site: start `awareness serve`'s server on
127.0.0.1, open an article in headless Chromium (Debian's, through Playwright), then save its
Markdown file ten times with a new sentence and measure from the moment the file is written to the
first animation frame after the reloaded page holds the new text. Prints median, p90 and max per site.

    .venv/bin/python benchmarks/serve_bench.py [--articles 2000] [--edits 20]

The issue's targets: ≤ 300 ms on the embedded site, ≤ 1 s on a 2000-article site.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402  (one launch recipe for tests and benchmarks)
from corpus import write_corpus  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from generator.live.serve import PreviewServer  # noqa: E402
from generator.settings import BuildSettings  # noqa: E402
from generator.site import routes  # noqa: E402

TODAY = date(2026, 11, 24)
BENCH_ARTICLE = """---
title: "Bài đo tốc độ xem trước"
date: 2023-03-22
campaign: ngay-nuoc-the-gioi
department: phong-quan-ly-cong-nghiep
---

Đoạn mở đầu.
"""
# Runs in every document the page loads: note when the first frame after parsing is drawn.
SHOWN_AT = "document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(() => " \
           "{ window.awarenessShownAt = Date.now(); }));"


def embedded_site(root: Path) -> Path:
    """A copy of the repository's content/; one article is added if it has none to edit."""
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    if not [p for p in content.rglob("*.md") if "_data" not in p.parts and "pages" not in p.parts]:
        (content / "bai-viet").mkdir(exist_ok=True)
        (content / "bai-viet" / "bai-do-toc-do.md").write_text(BENCH_ARTICLE, encoding="utf-8")
    return content


def measure(name: str, content: Path, browser, edits: int) -> dict:
    root = content.parent
    settings = BuildSettings(project=root, content=content, output=root / ".cache" / "preview",
                             templates=REPO / "templates", assets=REPO / "assets", cache=None, today=TODAY,
                             preview=True)
    server = PreviewServer(settings, "127.0.0.1", free_port())
    server.bind()
    first = server.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.ready.wait(10)
    articles = server.preview.site.articles
    target = articles[len(articles) // 2]
    source = content / target.source.path
    page = browser.new_page()
    page.add_init_script(SHOWN_AT)
    page.goto(server.url + routes.article_url(target))
    while server.clients < 1:
        time.sleep(0.01)
    original = source.read_text(encoding="utf-8")
    samples = []
    try:
        for n in range(edits):
            marker = f"Câu đo số {n} lúc {time.time_ns()}."
            written_at = time.time() * 1000
            source.write_text(original + f"\n{marker}\n", encoding="utf-8")
            page.wait_for_function(f"document.querySelector('main').innerText.includes({marker!r})",
                                   timeout=30_000)
            samples.append(page.evaluate("window.awarenessShownAt") - written_at)
            time.sleep(0.3)  # let the watcher settle so every edit is its own save
    finally:
        source.write_text(original, encoding="utf-8")
        page.close()
        server.stop()
        thread.join(10)
    return {"site": name, "articles": len(articles), "first_build_s": first.seconds, "samples": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        results.append(measure("embedded", embedded_site(Path(scratch) / "embedded"), browser, args.edits))
        big = write_corpus(Path(scratch) / "big", args.articles)
        results.append(measure(f"{args.articles} articles", big, browser, args.edits))
        browser.close()
    print(f"{'site':<16} {'articles':>8} {'first build':>12} {'median':>9} {'p90':>9} {'max':>9}"
          "   (save → new text on screen)")
    for r in results:
        samples = sorted(r["samples"])
        p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else samples[0]
        print(f"{r['site']:<16} {r['articles']:>8} {r['first_build_s']:>10.2f} s "
              f"{statistics.median(samples):>6.0f} ms {p90:>6.0f} ms {samples[-1]:>6.0f} ms")


if __name__ == "__main__":
    main()
