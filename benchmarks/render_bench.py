"""Page rendering alone: every route of the generated corpus rendered once, serially, with the
build's environment and the link checker's recorder (as a build with a cache has), timed by the
process's CPU clock, so that a change to rendering is seen without the rest of the build's noise.

    python benchmarks/render_bench.py --articles 2000 --rounds 3 [--baseline /tmp/base-commit]

Each measurement is a child process; with --baseline, one on another checkout of awareness (an
earlier commit's worktree, put first on PYTHONPATH) alternates with one on this tree, round by
round. Prints each tree's minimum and median and the ratio of the medians. The templates are
compiled before the clock starts; loading the site and its Markdown is not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve()
TODAY = date(2026, 11, 24)


def measure(content: Path) -> dict[str, float]:
    """Run in the child: whichever `generator` PYTHONPATH names renders the site in `content`."""
    from generator.content.load import load_site
    from generator.linkcheck.sources import TemplateRecorder
    from generator.output import assets
    from generator.problems import Problems
    from generator.rendering import templates
    from generator.site import routes
    from generator.theme import shipped

    problems = Problems(root=content.parent)
    site = load_site(content, problems, published_by=TODAY)
    try:  # the tree measured may be from before the pipeline's machinery seam (issue 27)
        from generator.incremental.bodies import render_bodies
        from generator.machinery import serial_map
        from generator.site.links import link_context

        bodies = render_bodies(site, link_context(site, site.config.base_url), None, problems, serial_map)
    except ImportError:
        from generator.pipeline import render_bodies

        bodies, _keys = render_bodies(site, site.config.base_url, None, problems, workers=1)
    recorder = TemplateRecorder()
    context = templates.RenderContext(site, site.config.base_url, assets.fingerprint(shipped("assets")), bodies,
                                      TODAY, recorder=recorder)
    pages = routes.build_routes(site, TODAY)
    env = templates.make_environment(shipped("templates"), context, one_build=True)
    for name in {route.template for route in pages}:
        env.get_template(name)
    started = time.process_time()
    for route in pages:
        recorder.start(route.file)
        templates.render_route(env, route)
    return {"seconds": time.process_time() - started, "pages": len(pages), "code": str(shipped("templates").parent)}


def child(tree: Path, content: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(HERE), "--measure", str(content)], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's part
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sys.path.insert(0, str(HERE.parent.parent))
    from benchmarks.corpus import write_corpus

    trees = [HERE.parent.parent] + ([args.baseline.resolve()] if args.baseline else [])
    times: dict[Path, list[float]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory() as folder:
        content = write_corpus(Path(folder), args.articles)
        print(f"máy: {os.cpu_count()} lõi, tải trung bình {os.getloadavg()[0]:.1f}", flush=True)
        for number in range(args.rounds):
            for tree in trees if number % 2 == 0 else trees[::-1]:
                result = child(tree, content)
                times[tree].append(result["seconds"])
                print(f"  round {number + 1} {tree}: {result['pages']} pages in {result['seconds']:.2f} s CPU",
                      flush=True)
    for tree, seconds in times.items():
        print(f"{tree}: min {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s")
    if args.baseline:
        ours, base = (statistics.median(times[tree]) for tree in trees)
        print(f"this tree ÷ baseline (medians): {ours / base:.3f}; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
