"""Link-check benchmark: a generated site of N articles, internal links and fragments, beside LinkChecker.

    .venv/bin/python benchmarks/linkcheck_bench.py [--articles 2000] [--no-linkchecker]

Builds the corpus of `benchmarks/corpus.py`, then times (offline, as CI runs it):
  cold      – no cache: every page parsed (process pool)
  unchanged – the same output checked again
  one edit  – one article's Markdown changed and the site rebuilt; only changed pages are parsed
and, on the same output served by Python's http.server on 127.0.0.1, LinkChecker (PyPI `linkchecker`,
installed into a throwaway venv under the temporary folder; recursive, internal only, anchors on),
then prints both times and the ratio. Results go to stdout only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import write_corpus  # noqa: E402
from generator.linkcheck.check import check_site  # noqa: E402
from generator.linkcheck.config import SOURCE_MAP, check_settings  # noqa: E402
from generator.pipeline import build  # noqa: E402
from generator.settings import BuildSettings  # noqa: E402

# LinkChecker checks fragments only with the AnchorCheck plugin on. It also limits itself to about
# 3 requests a second per host unless the server answers with a "LinkChecker" header: our server sends
# it, so the comparison measures checking, not politeness.
LINKCHECKER_RC = "[checking]\nmaxrequestspersecond=1000\n\n[AnchorCheck]\n"


def serve(directory: str, port: int) -> None:
    """http.server with the header that lets LinkChecker go at full speed on 127.0.0.1."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("LinkChecker", "benchmark")
            super().end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=directory)).serve_forever()


def build_site(root: Path, content: Path) -> None:
    build(BuildSettings(project=root, content=content, output=root / "output", templates=REPO / "templates",
                        assets=REPO / "assets", cache=root / ".cache", today=date(2026, 11, 24)))


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the parse pool): comparable on a loaded machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_check(root: Path, content: Path):
    settings = check_settings(root / "output", content, root / ".cache", offline=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    result = check_site(settings, root / ".cache" / SOURCE_MAP)
    return time.perf_counter() - started, cpu_seconds() - cpu, result


def edit_one_article(content: Path) -> Path:
    article = sorted((content / "bai-viet").rglob("*.md"))[len(list((content / "bai-viet").rglob("*.md"))) // 2]
    article.write_text(article.read_text(encoding="utf-8") + "\n\nĐoạn thêm để đo kiểm tra lại.\n",
                       encoding="utf-8")
    return article


def linkchecker_binary(scratch: Path) -> Path:
    venv = Path(os.environ.get("LINKCHECKER_VENV", scratch / "linkchecker-venv"))
    binary = venv / "bin" / "linkchecker"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "linkchecker"], check=True)
    return binary


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_linkchecker(binary: Path, output: Path, scratch: Path) -> tuple[float, float, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(output), str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rc = scratch / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC, encoding="utf-8")
    try:
        time.sleep(0.5)
        started, cpu = time.perf_counter(), cpu_seconds()
        run = subprocess.run([str(binary), "--config", str(rc), "--no-status", "--no-robots", "--recursion-level=-1",
                              f"http://127.0.0.1:{port}/"], capture_output=True, text=True)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu  # the server is not reaped yet
    finally:
        server.terminate()
        server.wait()
    summary = next((line for line in run.stdout.splitlines() if "links in" in line or "URLs checked" in line), "")
    return elapsed, cpu, summary.strip()


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        return serve(sys.argv[2], int(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-linkchecker", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="linkcheck-bench-"))
    try:
        content = write_corpus(scratch, args.articles, seed=0)
        build_site(scratch, content)
        cold, cold_cpu, result = timed_check(scratch, content)
        unchanged, unchanged_cpu, _ = timed_check(scratch, content)
        edit_one_article(content)
        build_site(scratch, content)
        one_edit, one_edit_cpu, after = timed_check(scratch, content)
        s = result.summary
        print(f"site: {args.articles} articles, {s['pages']} pages, {s['references']} references, "
              f"{s['broken']} broken; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"awareness check --offline  cold      {cold:6.2f} s wall, {cold_cpu:6.2f} s CPU")
        print(f"awareness check --offline  unchanged {unchanged:6.2f} s wall, {unchanged_cpu:6.2f} s CPU")
        print(f"awareness check --offline  one edit  {one_edit:6.2f} s wall, {one_edit_cpu:6.2f} s CPU  "
              f"({after.summary['pages'] - after.summary['reused_pages']} pages parsed again)")
        if not args.no_linkchecker:
            lc_time, lc_cpu, lc_summary = time_linkchecker(linkchecker_binary(scratch), scratch / "output", scratch)
            print(f"LinkChecker (127.0.0.1)    cold      {lc_time:6.2f} s wall, {lc_cpu:6.2f} s CPU  {lc_summary}")
            print(f"ratio LinkChecker / awareness: cold {lc_time / cold:.1f}× wall, {lc_cpu / cold_cpu:.1f}× CPU; "
                  f"one edit {lc_time / one_edit:.0f}× wall")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
