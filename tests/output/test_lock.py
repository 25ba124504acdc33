"""Two builds at once into one output folder: the second waits briefly, then stops with a clear message."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator.output.lock import BuildLocked, lock_path, output_lock
from generator.problems import BuildFailed
from tests.conftest import article


@pytest.fixture
def site(make_site):
    return make_site({"bai-viet/a.md": article("Bài một")})


def test_a_second_build_is_refused_naming_the_lock_and_the_other_process(site):
    site.build()
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    with output_lock(site.output):  # this test process plays the build already running
        result = site.cli("build")
    assert result.returncode == 1
    assert f"tiến trình {os.getpid()}" in result.stderr and ".output-build.lock" in result.stderr
    assert "Thư mục output/ được giữ nguyên." in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()} == before


def test_a_second_build_waits_for_a_short_one_to_finish(site):
    holding = threading.Event()

    def short_build():
        with output_lock(site.output):
            holding.set()
            time.sleep(0.5)

    other = threading.Thread(target=short_build)
    other.start()
    holding.wait(5)
    site.build()  # waits up to two seconds for the lock rather than failing at once
    other.join()
    assert (site.output / "tin-tuc/2023/bai-mot/index.html").is_file()


def test_builds_into_different_folders_do_not_block_each_other(site):
    with output_lock(site.output):
        site.build(output=site.root / "xem-truoc")  # what the preview server does
    assert (site.root / "xem-truoc/index.html").is_file()
    assert lock_path(site.root / "xem-truoc") != lock_path(site.output)


def test_the_lock_is_released_when_a_build_fails(site):
    (site.content / "bai-viet" / "hong.md").write_text("", encoding="utf-8")
    with pytest.raises(BuildFailed):
        site.build()
    with output_lock(site.output, wait=0):
        pass  # free at once


def test_waiting_gives_up_with_buildlocked(site):
    with output_lock(site.output):
        started = time.monotonic()
        with pytest.raises(BuildLocked, match="đang ghi vào thư mục này"):
            with output_lock(site.output, wait=0.3):
                pass
        assert 0.3 <= time.monotonic() - started < 5  # waited, then gave up (generous bound: CI is shared)
