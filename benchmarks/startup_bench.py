"""How long the `awareness` command takes to start: `--help`, `build --help` and a no-change
`build` of the embedded site, for this tree's code beside another checkout's (--against), e.g. main
before the commands moved into generator/commands/. Also counts the modules each command line imports
(from the interpreter's -X importtime record).

Both run the real command in a subprocess, alternated round by round so that load from elsewhere falls
on both alike. Prints the medians side by side with their ratio.

    .venv/bin/python -m benchmarks.startup_bench --against /tmp/base --rounds 15
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

REPO = Path(__file__).resolve().parent.parent
LINES = (("--help",), ("build", "--help"), ("build", "--today", "2026-11-24"))


def command(args: tuple[str, ...], importtime: bool = False) -> list[str]:
    return [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "generator", *args]


def environment(code: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def timed(code: Path, site: Path, args: tuple[str, ...]) -> float:
    started = time.perf_counter()
    subprocess.run(command(args), cwd=site, env=environment(code), check=True, capture_output=True)
    return time.perf_counter() - started


def modules(code: Path, site: Path, args: tuple[str, ...]) -> int:
    run = subprocess.run(command(args, importtime=True), cwd=site, env=environment(code), check=True,
                         capture_output=True, text=True)
    return sum(1 for line in run.stderr.splitlines() if line.startswith("import time:")) - 1  # the header


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, help="another checkout's root, e.g. main's")
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    codes = {"this tree": REPO, "against": options.against.resolve()}
    root = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    try:
        sites = {}
        for name, code in codes.items():  # one site each: a build's cache is keyed by its code
            sites[name] = root / name.replace(" ", "-")
            shutil.copytree(REPO / "content", sites[name] / "content")
            timed(code, sites[name], LINES[-1])  # the first build; the rounds measure the no-change one
        times: dict[str, dict[tuple[str, ...], list[float]]] = {name: {a: [] for a in LINES} for name in codes}
        for _ in range(options.rounds):
            for args in LINES:
                for name, code in codes.items():
                    times[name][args].append(timed(code, sites[name], args))
        print(f"{options.rounds} rounds, median seconds of the whole command (modules imported):")
        print(f"{'':28} {'this tree':>16} {'against':>16} {'ratio':>6}")
        for args in LINES:
            mine, theirs = (statistics.median(times[name][args]) for name in codes)
            counts = [modules(code, sites[name], args) for name, code in codes.items()]
            print(f"{' '.join(args):28} {mine:9.3f} ({counts[0]:4}) {theirs:9.3f} ({counts[1]:4}) "
                  f"{mine / theirs:6.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
