"""A build as it runs on Windows and macOS (one process, no hard links, two-rename swap) beside the
Linux build (forked workers, hard links, renameat2), on the same generated site.

Each round: a cold build into a fresh output folder and cache, then a one-article edit rebuilt
with the cache. Both run the real command in a subprocess; the portable one through
tests/forced_portable.py. Prints the medians side by side with their ratio.

    .venv/bin/python -m benchmarks.portable_bench --articles 500 --rounds 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import write_corpus

REPO = Path(__file__).resolve().parent.parent
KINDS = {"linux": ["-m", "generator"], "portable": ["-m", "tests.forced_portable"]}


def timed_build(root: Path, kind: str, name: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *KINDS[kind], "build", "--today", "2026-11-24", "--output", f"out-{name}",
                    "--cache-dir", f".cache-{name}"], cwd=root, check=True, capture_output=True,
                   env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    return time.perf_counter() - started


def one_round(root: Path, kind: str, number: int) -> tuple[float, float]:
    name = f"{kind}-{number}"
    cold = timed_build(root, kind, name)
    article = sorted((root / "content" / "bai-viet").rglob("*.md"))[number]
    article.write_text(article.read_text(encoding="utf-8") + f"\nSửa lần {number}.\n", encoding="utf-8")
    return cold, timed_build(root, kind, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="portable-bench-"))
    try:
        write_corpus(root, options.articles)
        times: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
        for number in range(options.rounds):
            for kind in KINDS:  # alternated, so that load from elsewhere falls on both alike
                times[kind].append(one_round(root, kind, number))
        print(f"{options.articles} articles, {options.rounds} rounds, median seconds (whole command):")
        print(f"{'':10} {'cold build':>11} {'one edit':>9}")
        medians = {kind: [statistics.median(t[i] for t in runs) for i in (0, 1)] for kind, runs in times.items()}
        for kind, (cold, edit) in medians.items():
            print(f"{kind:10} {cold:11.2f} {edit:9.2f}")
        ratio = [p / linux for p, linux in zip(medians["portable"], medians["linux"], strict=True)]
        print(f"{'ratio':10} {ratio[0]:10.2f}× {ratio[1]:8.2f}×")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
