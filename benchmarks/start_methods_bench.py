"""A cold build of the corpus with forked workers (Linux), spawned workers (as on macOS and
Windows, forced here) and in one process (-j 1), alternating, wall and CPU of every process.

    .venv/bin/python benchmarks/start_methods_bench.py [--articles 2000] [--rounds 2]

Each build runs in a child process of its own, so that one start method's workers never meet
another's state; the figures are each child's own report.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parent.parent
MODES = ("fork", "spawn", "serial")


def measure(mode: str, content: Path, out: Path) -> None:
    """In the child: one cold build, then its wall and CPU seconds on stdout."""
    import generator.incremental.parallel as parallel

    if mode == "spawn":
        parallel.fork_context = lambda: None  # as where fork is missing or unsafe: workers are spawned
    from generator.pipeline import build
    from generator.settings import BuildSettings

    settings = BuildSettings(project=out.parent, content=content, output=out, templates=REPO / "templates",
                             assets=REPO / "assets", cache=out.parent / f"{out.name}-cache",
                             today=date(2026, 12, 6), workers=1 if mode == "serial" else None)
    started = time.perf_counter()
    build(settings)
    wall = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    print(f"{wall:.3f} {cpu:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)  # in a child: mode, content, output
    args = parser.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]), Path(args.measure[2]))
        return
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import write_corpus

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_corpus(root, args.articles)
        found: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
        for _ in range(args.rounds):
            for mode in MODES:
                work = root / mode
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                command = [sys.executable, str(HERE), "--measure", mode, str(content), str(work / "output")]
                done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
                wall, cpu = map(float, done.stdout.split()[-2:])
                found[mode].append((wall, cpu))
        serial = min(w for w, _ in found["serial"])
        for mode in MODES:
            wall = min(w for w, _ in found[mode])
            cpu = min(c for _, c in found[mode])
            print(f"{mode:6}  cold {wall:5.2f} s wall (one process ÷ this: {serial / wall:.2f})  {cpu:5.2f} s CPU  "
                  f"all: {', '.join(f'{w:.2f}/{c:.2f}' for w, c in found[mode])}")


if __name__ == "__main__":
    main()
