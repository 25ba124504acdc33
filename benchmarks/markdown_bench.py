"""CPU of render_body over every body of the synthetic corpus, with the Markdown stages and without.

The stages are generator/markdown/blocks.py and inline.py, which render.py installs in its engine;
"without" makes their `install` do nothing, which leaves Python-Markdown's own parser and inline
stage. Each measurement is a child process (one warm-up pass over the first bodies, then one timed
pass over all of them, CPU time of the process), run in alternating rounds so that load from other
work on the machine falls on every variant alike; the table gives the minimum of the rounds.

Several source trees can be compared (a worktree of another commit, for instance): each child
imports `generator` from its tree. With --cold-builds R, each tree also makes R cold builds of the
same corpus (`build` in a new process, into new output and cache folders, deleted only at the
end), alternating between the trees; wall and CPU seconds (the build's processes, its workers
included) are given as the minimum of the R.

    python -m benchmarks.markdown_bench [--articles 2000] [--rounds 4] [--trees . /tmp/base] [--cold-builds 3]
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
from pathlib import Path, PurePosixPath

WARM_UP = 100  # bodies rendered before timing: the engine is made and the caches are warm


def measure(content: Path, stages: bool) -> float:
    """CPU seconds of render_body over every body under `content` (in the child process)."""
    import frontmatter

    from generator.markdown import blocks as markdown_blocks
    from generator.markdown import inline as markdown_inline
    from generator.markdown.render import LinkContext, render_body

    if not stages:
        markdown_blocks.install = markdown_inline.install = lambda engine: None
    bodies = [frontmatter.loads(path.read_text(encoding="utf-8")).content for path in sorted(content.rglob("*.md"))]
    links = LinkContext({}, "/")
    for body in bodies[:WARM_UP]:
        render_body(body, PurePosixPath("a.md"), 1, links)
    started = time.process_time()
    for body in bodies:
        render_body(body, PurePosixPath("a.md"), 1, links)
    return time.process_time() - started


def child(tree: Path, content: Path, stages: bool) -> float:
    environment = dict(os.environ, PYTHONPATH=str(tree))
    command = [sys.executable, __file__, "--measure", str(content), "--stages", "on" if stages else "off"]
    done = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def cold_build(tree: Path, content: Path, folder: Path, today: str) -> tuple[float, float]:
    """Wall and CPU seconds of one cold build of `content` with the code of `tree` (CPU of the
    build and of every process it waited for, its workers among them)."""
    environment = dict(os.environ, PYTHONPATH=str(tree))
    command = [sys.executable, "-m", "generator", "build", "--content", str(content), "--output",
               str(folder / "output"), "--cache-dir", str(folder / "cache"), "--today", today]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{tree}: the build failed\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def report_renders(rounds: int, count: int, times: dict[tuple[Path, bool], list[float]]) -> None:
    variants = list(times)
    stock = min(times[variants[0][0], False])
    print(f"render_body over {count} bodies, CPU seconds, min of {rounds} alternating rounds:")
    for tree, stages in variants:
        best = min(times[tree, stages])
        every = " ".join(f"{t:.2f}" for t in times[tree, stages])
        print(f"  {tree}  stages {'on ' if stages else 'off'}  {best:.2f} s  "
              f"(÷ first tree without stages: {best / stock:.2f})  all: {every}", flush=True)


def report_builds(builds: dict[Path, list[tuple[float, float]]]) -> None:
    first = min(cpu for _, cpu in next(iter(builds.values())))
    rounds = len(next(iter(builds.values())))
    print(f"cold build of the corpus, min of {rounds} alternating (wall s / CPU s of every process):")
    for tree, runs in builds.items():
        wall, cpu = min(w for w, _ in runs), min(c for _, c in runs)
        every = " ".join(f"{w:.1f}/{c:.1f}" for w, c in runs)
        print(f"  {tree}  wall {wall:.2f} s  CPU {cpu:.2f} s  (CPU ÷ first tree's: {cpu / first:.2f})  all: {every}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--trees", type=Path, nargs="+", default=[Path(".")])
    parser.add_argument("--cold-builds", type=int, default=0)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # in a child: the content folder
    parser.add_argument("--stages", choices=("on", "off"), default="on", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.measure is not None:
        print(f"{measure(options.measure, options.stages == 'on'):.4f}")
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.corpus import write_corpus
    from benchmarks.peers import TODAY  # the day build_bench builds the corpus on

    trees = [tree.resolve() for tree in options.trees]
    times = {(tree, stages): [] for tree in trees for stages in (True, False)}
    # A build leaves a background child finishing its cache for a moment after it exits: the
    # folder is removed once that child is done writing, not while it still writes.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
        content = write_corpus(Path(folder), options.articles)
        for _ in range(options.rounds):
            for tree, stages in times:
                times[tree, stages].append(child(tree, content, stages))
        if options.rounds:
            report_renders(options.rounds, len(list(content.rglob("*.md"))), times)
        builds: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
        for run in range(options.cold_builds):
            for number, tree in enumerate(trees):
                builds[tree].append(cold_build(tree, content, Path(folder) / f"build-{run}-{number}", TODAY))
        if options.cold_builds:
            report_builds(builds)
    for _ in range(30):
        if not Path(folder).exists():
            break
        time.sleep(1)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
