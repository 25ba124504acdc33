"""A build killed at any moment (SIGKILL, or SIGINT from Ctrl+C) leaves output/ exactly as it was.

A real `awareness build` of a few hundred articles runs in a subprocess and is killed at different
points: while starting, once the Markdown is rendered (its cache is being saved), early and late in
writing the staging folder. Afterwards output/ must hold the previous build byte for byte, and the
next build must succeed (lock released, cache and leftovers no obstacle) and publish the new site.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SiteDir, article

ARTICLES = 120  # about 250 files: long enough to strike while writing, even on a fast machine


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A published one-article site whose content/ now holds a few hundred more articles."""
    site = SiteDir(tmp_path_factory.mktemp("interrupt"), {"bai-viet/dau-tien.md": article("Bài đầu tiên")})
    site.build()
    site.before = snapshot(site.output)
    body = "## Mục một\n\n" + "Tiết kiệm nước và năng lượng. " * 60
    for n in range(ARTICLES):
        path = site.content / "bai-viet" / f"bai-{n:03}.md"
        path.write_text(article(f"Bài số {n}", tags=f"[thẻ {n % 9}, nước]", body=body), encoding="utf-8")
    return site


def start_build(site: SiteDir, cache: str) -> subprocess.Popen:
    # SIGINT restored to its default so Python turns it into KeyboardInterrupt even when the test
    # runner was started in the background with SIGINT ignored. A session of its own, so that the
    # build and its workers are a process group, as in a terminal.
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--today", "2026-11-24", "--cache-dir", cache],
        cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), start_new_session=True)


def staged_files(site: SiteDir, pid: int) -> int:
    """Files in this build's staging folder (those left by builds killed before are not its progress)."""
    return sum(len(files) for _, _, files in os.walk(site.root / f".output.staging-{pid}"))


def saving_bodies(site: SiteDir, cache: str) -> bool:
    """The rendered Markdown is being stored: its SQLite file (or the file's journal) has appeared."""
    return any((site.root / cache / name).exists() for name in ("markdown.sqlite", "markdown.sqlite-journal"))


MOMENTS = {  # when to strike: a condition seen from outside the build
    "starting": lambda site, cache, build, started: time.monotonic() - started > 0.3,
    "rendering Markdown": lambda site, cache, build, started: saving_bodies(site, cache),
    "writing pages": lambda site, cache, build, started: staged_files(site, build.pid) >= 20,
    "late in writing": lambda site, cache, build, started: staged_files(site, build.pid) >= 150,
}


def interrupt(site: SiteDir, moment: str, signum: int, cache: str,
              group: bool = False) -> tuple[subprocess.Popen, str]:
    """Strike the build at `moment` (with `group`, every process of it, as Ctrl+C in a terminal
    does); the ended process and what it printed (stdout + stderr)."""
    process = start_build(site, cache)
    started = time.monotonic()
    while not MOMENTS[moment](site, cache, process, started):
        assert process.poll() is None, f"the build ended before '{moment}': make the fixture larger"
        assert time.monotonic() - started < 60
        time.sleep(0.01)
    if group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    return process, stdout + stderr


@pytest.mark.parametrize("moment", ["starting", "rendering Markdown", "late in writing"])
def test_sigkill_leaves_output_as_it_was(site, moment):
    build, _ = interrupt(site, moment, signal.SIGKILL, ".cache-kill")
    assert build.returncode == -signal.SIGKILL
    assert snapshot(site.output) == site.before


@pytest.mark.parametrize("group", [False, True], ids=["the build", "its process group"])
@pytest.mark.parametrize("moment", ["rendering Markdown", "writing pages"])
def test_sigint_stops_cleanly_and_leaves_output_as_it_was(site, moment, group):
    """Sent to the build alone, or to the build and its workers and children, as a terminal's
    Ctrl+C is: a worker that took it printed multiprocessing's "Process ForkPoolWorker-1:"."""
    # Striking while writing can start from the cache the killed builds filled; rendering needs an empty one.
    cache = ".cache-kill" if moment == "writing pages" else f".cache-int-{group}"
    build, printed = interrupt(site, moment, signal.SIGINT, cache, group)
    assert (build.returncode, printed) == (130, "Đã dừng.\n")  # no traceback, nothing else
    assert snapshot(site.output) == site.before
    assert not (site.root / f".output.staging-{build.pid}").exists(), "Ctrl+C cleans its own staging folder"


def test_the_next_build_succeeds_and_publishes_the_new_site(site):
    # Runs after the kills above (pytest keeps file order): their lock, leftovers and cache are in place.
    bodies = site.root / ".cache-kill" / "markdown.sqlite"
    assert bodies.exists(), "the killed builds had started filling the cache"
    with contextlib.closing(sqlite3.connect(bodies)) as db:  # a transaction cut short is rolled back
        for problems, rest in db.execute("SELECT problems, rest FROM rendered"):
            json.loads(problems), json.loads(rest)  # every entry is whole
    result = site.cli("build", "--today", "2026-11-24", "--cache-dir", ".cache-kill")
    assert result.returncode == 0, result.stderr
    assert (site.output / "tin-tuc/2023/bai-so-119/index.html").is_file()
    assert (site.output / "tin-tuc/2023/bai-dau-tien/index.html").is_file()
    assert not list(site.root.glob(".output.staging-*")) and not list(site.root.glob(".output.old-*"))
