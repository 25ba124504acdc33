"""The forked workers (generator/parallel.py): results in order, and the heap frozen for them only.

Before forking, the parent's objects are set aside from the cyclic collector (gc.freeze), so a
worker's full collection does not walk, and copy page by page, the site it inherited. The parent
must get them back afterwards: the preview server and a test session run many builds in one
process, and frozen garbage would never be freed.
"""

from __future__ import annotations

import gc

import pytest

from generator.parallel import Background, fork_map

pytestmark = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                                reason="the workers are forked")


def frozen_in_worker(item: int) -> tuple[int, int]:
    return item * item, gc.get_freeze_count()


def test_workers_inherit_a_frozen_heap_and_the_parent_gets_it_back():
    held = [object() for _ in range(1000)]  # something for the parent to own before the fork
    assert gc.get_freeze_count() == 0
    results = list(fork_map(frozen_in_worker, list(range(40)), 2))
    assert [square for square, _ in results] == [n * n for n in range(40)]
    assert all(frozen > len(held) for _, frozen in results), "the workers' collections walk the inherited heap"
    assert gc.get_freeze_count() == 0, "the parent's objects are left out of its own collections"


def test_a_background_child_inherits_a_frozen_heap_and_the_parent_gets_it_back():
    child = Background(gc.get_freeze_count, 2)
    assert gc.get_freeze_count() == 0, "the parent's objects are left out of its own collections"
    assert child.result() > 1000


def test_serial_work_freezes_nothing():
    assert [square for square, frozen in fork_map(frozen_in_worker, [1, 2, 3], 1)] == [1, 4, 9]
    assert gc.get_freeze_count() == 0
