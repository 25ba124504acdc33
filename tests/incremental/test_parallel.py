"""The forked workers (generator/incremental/parallel.py): results in order, and the heap frozen for them only.

Before forking, the parent's objects are set aside from the cyclic collector (gc.freeze), so a
worker's full collection does not walk, and copy page by page, the site it inherited. The parent
must get them back afterwards: the preview server and a test session run many builds in one
process, and frozen garbage would never be freed.
"""

from __future__ import annotations

import gc

import pytest
from click.testing import CliRunner
from conftest import article

import generator.incremental.parallel
import generator.pipeline
from generator.cli import main
from generator.incremental.parallel import Background, parallel_map
from generator.output.write import MARKER

pytestmark = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                                reason="the workers are forked")


def frozen_in_worker(_shared: None, item: int) -> tuple[int, int]:
    return item * item, gc.get_freeze_count()


def test_workers_inherit_a_frozen_heap_and_the_parent_gets_it_back():
    held = [object() for _ in range(1000)]  # something for the parent to own before the fork
    assert gc.get_freeze_count() == 0
    results = list(parallel_map(frozen_in_worker, None, list(range(40)), 2))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert all(frozen > len(held) for _, frozen in results), "the workers' collections walk the inherited heap"
    assert gc.get_freeze_count() == 0, "the parent's objects are left out of its own collections"


def test_a_background_child_inherits_a_frozen_heap_and_the_parent_gets_it_back():
    child = Background(gc.get_freeze_count, 2)
    assert gc.get_freeze_count() == 0, "the parent's objects are left out of its own collections"
    assert child.result() > 1000


def test_serial_work_freezes_nothing():
    assert [square for square, frozen in parallel_map(frozen_in_worker, None, [1, 2, 3], 1)] == [1, 4, 9]
    assert gc.get_freeze_count() == 0


# --- The command's -j/--jobs ----------------------------------------------------------------------

def _built_with(site, monkeypatch, *options: str) -> tuple[set[int], dict[str, bytes]]:
    """Run `awareness build` in this process (click's runner) with the options; returns the worker
    counts the build asked parallel_map for and the bytes published (without the manifest, which holds
    modification times)."""
    asked: set[int] = set()

    def counting(task, shared, items, workers):
        asked.add(workers)
        return parallel_map(task, shared, items, workers)  # the real one, imported before any test patched it

    monkeypatch.setattr(generator.incremental.parallel, "parallel_map", counting)
    monkeypatch.chdir(site.root)
    result = CliRunner().invoke(main, ["build", "--today", "2026-11-24", "--cache-dir", ".cache-" + "-".join(options),
                                       "--output", "out-" + "-".join(options), *options])
    assert result.exit_code == 0, result.output
    folder = site.root / ("out-" + "-".join(options))
    return asked, {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                   if p.is_file() and p.name != MARKER}


def test_jobs_sets_the_number_of_build_processes_and_changes_no_byte(make_site, monkeypatch):
    site = make_site({f"bai-viet/bai-{n}.md": article(f"Bài số {n}", tags=["nước", f"thẻ {n % 3}"])
                      for n in range(6)})
    serial, one = _built_with(site, monkeypatch, "--jobs", "1")
    parallel, two = _built_with(site, monkeypatch, "-j", "2")
    assert serial == {1}
    assert parallel == {2}, "six articles alone would be built in one process: the option decides"
    assert one.keys() == two.keys() and len(one) > 20
    assert one == two


def test_jobs_below_one_is_refused_before_anything_is_built(make_site):
    site = make_site({"bai-viet/a.md": article("Bài A")})
    result = site.cli("build", "--jobs", "0")
    assert result.returncode == 2
    assert "--jobs" in result.stderr and "0" in result.stderr
    assert not site.output.exists()
