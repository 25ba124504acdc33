"""`kill -9` of a build's main process, not its group, never locks the output folder for good.

Before, a forked worker could outlive the build blocked on a pipe, holding the lock, so every later
build was refused naming a dead process; others printed BrokenPipeError tracebacks into the
terminal. A build of 800 articles is killed at 20 points spread over its run; each time the lock
must be free within 5 s, the next build succeed and publish what a clean build does, no process of
the killed build remain, and nothing print a traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from benchmarks.corpus import write_corpus
from generator.output.lock import output_lock
from generator.output.staged import CHANGES
from generator.output.write import MARKER
from tests.conftest import REPO

ARTICLES = 800
KILLS = 20
ENV = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def build(root: Path, cache: str, output: str = "output", stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--today", "2026-11-24", "--cache-dir",
                             cache, "--output", output], cwd=root, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=stderr, text=True)


def published(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name not in (MARKER, CHANGES)}


def builds_left(root: Path) -> list[psutil.Process]:
    """Processes of a build (or its workers) still running in the project folder."""
    found = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        with_info = process.info
        if with_info["cwd"] == str(root) and "generator" in (with_info["cmdline"] or []):
            found.append(process)
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, dict[str, bytes], float]:
    """An 800-article project, what a clean build publishes from it, and how long that build took."""
    root = tmp_path_factory.mktemp("kill")
    write_corpus(root, ARTICLES)
    started = time.monotonic()
    clean = build(root, ".cache-sach", "sach")
    _, err = clean.communicate(timeout=120)
    assert clean.returncode == 0, err
    return root, published(root / "sach"), time.monotonic() - started


def test_a_build_killed_at_any_point_leaves_nothing_that_stops_the_next(project):
    root, clean, seconds = project
    for point in range(KILLS):
        log = root / f"killed-{point}.log"
        with open(log, "w", encoding="utf-8") as stderr:
            # a cache of its own, so that every killed build does the whole work, as a first build does
            victim = build(root, f".cache-{point}", stderr=stderr)
            time.sleep(seconds * (point + 0.5) / KILLS)
            os.kill(victim.pid, signal.SIGKILL)  # the main process only: its workers get no signal
            victim.wait()
        started = time.monotonic()
        with output_lock(root / "output", wait=5):  # free, or freed, within 5 s: never held by an orphan
            freed = time.monotonic() - started
        # One cache for all the next builds, warm after the first: a cold build's own time under a shared
        # machine's load is not what is tested (test_interrupt covers a cache a killed build left).
        after = build(root, ".cache")
        _, err = after.communicate(timeout=60)
        assert freed < 5, f"after a kill at {point}/{KILLS} the lock was held {freed:.1f} s"
        assert after.returncode == 0, f"after a kill at {point}/{KILLS}: {err}"
        assert "Traceback" not in err
        assert published(root / "output") == clean
        deadline = time.monotonic() + 2
        while builds_left(root) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert builds_left(root) == [], f"a worker of the build killed at {point}/{KILLS} is still running"
        shutil.rmtree(root / f".cache-{point}", ignore_errors=True)  # may not be made yet
        killed_said = log.read_text(encoding="utf-8")
        assert "Traceback" not in killed_said and "Error" not in killed_said, killed_said
