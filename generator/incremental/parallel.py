"""Spread the per-item work the caches could not supply across the machine's cores.

`parallel_map(task, shared, items, workers)` applies `task(shared, item)` to every item, in order.
On Linux the workers are forked when the work is known, so each inherits `shared` (the whole site,
the rendered bodies, a Jinja environment) without anything being copied or pickled. Elsewhere
(macOS, where a forked child of a process that used Apple's frameworks may crash, and Windows,
which has no fork) they are spawned: `shared` is pickled once per worker and `task` must be a
module-level function. Small jobs stay in the calling process, where a pool would cost more than it
saves. Background children (Background) are forked only: without fork their work runs in place.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")
MIN_PAGES_PER_WORKER = 150  # below this a forked pool's start-up outweighs the rendering it shares
SPAWN_FACTOR = 10  # a spawned worker first imports the generator and unpickles `shared`: it needs more items to pay
PARENT_POLL = 0.1  # seconds between a worker's looks at whether its build is still there
ORPHAN_WAIT = 0.5  # seconds a worker's first line of stderr waits to see whether its build is dying

_job: tuple[Callable[[Any, Any], Any], Any] | None = None  # (task, shared): what this process's workers apply


def worker_count(items: int, requested: int | None = None, per_worker: int = MIN_PAGES_PER_WORKER) -> int:
    """How many processes to use: the cores we may run on, fewer for a small job, 1 when asked."""
    if requested is not None:
        return max(1, requested)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if fork_context() is None:
        per_worker *= SPAWN_FACTOR
    return max(1, min(cores, items // per_worker))


def parallel_map(task: Callable[[S, T], R], shared: S, items: Sequence[T], workers: int) -> Iterator[R]:
    """task(shared, item) for every item, in order, across `workers` processes (see the module's
    docstring for how `shared` reaches them)."""
    global _job
    context = start_context()
    if workers <= 1 or len(items) < 2:
        yield from (task(shared, item) for item in items)
        return
    forked = context.get_start_method() == "fork"
    # Many small chunks, so that the work left when one worker runs out is at most a small chunk
    # (with a few large ones, one core sat idle at the end of the Markdown stage).
    size = max(1, len(items) // (workers * 16))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    if forked:
        _job = (task, shared)
        _freeze_for_fork()
    try:
        with context.Pool(workers, initializer=_start_worker, initargs=(None if forked else (task, shared),)) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        if forked:
            _job = None
            gc.unfreeze()


@dataclass(frozen=True)
class Workers:
    """The build's worker processes: `requested` (-j), else one per core when a job is big enough."""

    requested: int | None = None

    def map(self, task: Callable[[S, T], R], shared: S, items: Sequence[T], per_worker: int) -> Iterator[R]:
        """task(shared, item) for every item, in order; `per_worker`: the items below which one more
        worker does not pay for its start."""
        return parallel_map(task, shared, items, worker_count(len(items), self.requested, per_worker))


class Background:
    """`function()` worked out in a forked child while the caller goes on; `result()` waits for it.

    For a stage that needs the whole site but nothing the pages make (the search index, the link
    checker's map): on a machine with a core to spare it no longer adds to the pages' time.
    With one core, or without fork, the function runs at once in the calling process. A child that
    dies without answering (killed, out of memory) is not an error: the work is done again here.
    """

    def __init__(self, function: Callable[[], R], workers: int):
        self._function = function
        self._process = None
        context = fork_context() if workers > 1 else None
        if context is None:
            self._outcome = _attempt(function)
            return
        self._receive, send = context.Pipe(duplex=False)
        # forked, so the function and everything it refers to are inherited, never pickled
        self._process = context.Process(target=_answer, args=(function, send), daemon=True)
        _freeze_for_fork()
        self._process.start()
        gc.unfreeze()  # the child has its own copy of the frozen heap; the parent collects as before
        send.close()

    def result(self) -> R:
        if self._process is not None:
            try:
                self._outcome = self._receive.recv()
            except (EOFError, OSError):
                self._outcome = _attempt(self._function)
            finally:
                self._receive.close()
                self._process.join()
                self._process = None
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop a child whose result is no longer wanted (the build failed): left alone, it would
        block on a full pipe that nobody reads."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._receive.close()
            self._process = None


def fork_context() -> multiprocessing.context.BaseContext | None:
    """The fork start method where it is safe (Linux), else None."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return None
    return multiprocessing.get_context("fork")


def start_context() -> multiprocessing.context.BaseContext:
    """How workers start: forked where that is safe, else spawned (Python's own default on macOS
    and Windows)."""
    return fork_context() or multiprocessing.get_context("spawn")


def _freeze_for_fork() -> None:
    """Set the heap aside from the cyclic collector before forking (what gc.freeze is for): a
    child's full collection would otherwise walk every object it inherited, writing to each one's
    header and so copying, page by page, the memory it shares with the build. The parent takes its
    objects back once a background child is forked, or once a pool's work is done (so that its own
    collections do not copy what the workers share meanwhile). The children keep theirs frozen."""
    gc.freeze()


def _leave_interrupts_to_parent() -> None:
    """Run first in every worker and child. Ctrl-C in a terminal sends SIGINT to the whole process
    group: a child that took it died printing multiprocessing's "Process ForkPoolWorker-1:" above
    the build's own message. The parent stops its children itself (a pool's exit, cancel())."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()


def exit_with_parent() -> None:
    """A worker never outlives its build. When the build is killed (kill -9 of its process, not its
    group), a worker blocked on a pipe waits for ever, or dies printing BrokenPipeError: so a
    thread watches the parent's id, which changes when the parent is gone, and ends the worker
    at once, quietly."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(0)

    threading.Thread(target=watch, name="awareness-exit-with-parent", daemon=True).start()
    sys.stderr = _OrphanQuiet(sys.stderr, parent)


class _OrphanQuiet:
    """A worker's stderr that drops what it is given once the build is gone: the pipe to a killed
    build breaks a moment before the system hands its workers to a new parent, and in that moment
    multiprocessing prints the worker's BrokenPipeError. Decided at the first write, which waits
    briefly to see whether the parent is changing; a live build's workers write through."""

    def __init__(self, stream, parent: int):
        self._stream, self._parent, self._orphan = stream, parent, None

    def write(self, text: str) -> int:
        if self._orphan is None:
            deadline = time.monotonic() + ORPHAN_WAIT
            while os.getppid() == self._parent and time.monotonic() < deadline:
                time.sleep(0.01)
            self._orphan = os.getppid() != self._parent
        return len(text) if self._orphan else self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _attempt(function: Callable[[], R]) -> tuple[bool, Any]:
    try:
        return True, function()
    except Exception as error:  # noqa: BLE001 - raised again by result(), in the caller
        return False, error


def _answer(function: Callable[[], Any], send) -> None:
    _leave_interrupts_to_parent()
    outcome = _attempt(function)
    try:
        send.send(outcome)
    except OSError:
        os._exit(0)  # the build is gone (BrokenPipeError): nobody to answer, nothing to print
    except Exception as error:  # noqa: BLE001 - the value would not pickle: say so instead
        send.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()


def _start_worker(job: tuple[Callable[[Any, Any], Any], Any] | None) -> None:
    """A worker's first step: a spawned one is handed its (task, shared); a forked one has them."""
    global _job
    _leave_interrupts_to_parent()
    if job is not None:
        _job = job


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _job is not None, "workers are started by parallel_map"
    task, shared = _job
    return [task(shared, item) for item in chunk]
