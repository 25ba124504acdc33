"""Spread the per-item work the caches could not supply across the machine's cores.

Worker processes are forked when the work is known, so each inherits the whole site, the
rendered bodies and a Jinja environment without anything being copied or pickled: a task is
only a list of items (file paths, route numbers), and a result only what the item produced.
Pages are written by the worker straight into the staging folder and the page cache, so a
page's result is only its hash. Small jobs stay in the calling process, where a pool would cost
more than it saves. Used for reading files, Markdown and pages (in that order in a build).
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

import jinja2

from generator.incremental.cache import PageCache
from generator.output.staged import StagedWriter
from generator.problems import Problem
from generator.rendering.templates import TEMPLATE_EXTENSIONS, TemplateProblem, render_route
from generator.site.routes import Route

T = TypeVar("T")
R = TypeVar("R")
MIN_PAGES_PER_WORKER = 150  # below this a forked pool's start-up outweighs the rendering it shares
PARENT_POLL = 0.1  # seconds between a worker's looks at whether its build is still there
ORPHAN_WAIT = 0.5  # seconds a worker's first line of stderr waits to see whether its build is dying


@dataclass(frozen=True)
class RenderJob:
    env: jinja2.Environment
    routes: tuple[Route, ...]
    writer: StagedWriter
    cache: PageCache
    recorder: Any = None  # linkcheck.sources.TemplateRecorder, when the build keeps a source map


@dataclass(frozen=True)
class Rendered:
    number: int  # index into RenderJob.routes
    sha: str = ""
    same: bool = False  # the previous build had exactly these bytes
    problem: Problem | None = None
    recorded: tuple | None = None  # the page's references and their template lines (TemplateRecorder.take)


_task: Callable[[Any], Any] | None = None  # set before forking; what the workers apply


def worker_count(items: int, requested: int | None = None, per_worker: int = MIN_PAGES_PER_WORKER) -> int:
    """How many processes to use: the cores we may run on, fewer for a small job, 1 when asked."""
    if requested is not None:
        return max(1, requested)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, items // per_worker))


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """function(item) for every item, in order, in forked workers that inherit `function` and
    everything it refers to (nothing but the items and results crosses a pipe)."""
    global _task
    context = fork_context()
    if workers <= 1 or len(items) < 2 or context is None:
        yield from map(function, items)
        return
    _task = function
    try:
        # Many small chunks, so that the work left when one worker runs out is at most a small chunk
        # (with a few large ones, one core sat idle at the end of the Markdown stage).
        size = max(1, len(items) // (workers * 16))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        _freeze_for_fork()
        with context.Pool(workers, initializer=_leave_interrupts_to_parent) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        _task = None
        gc.unfreeze()


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
        context = fork_context()
        if workers <= 1 or context is None:
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
    """The fork start method where it is safe, else None (the work stays in the calling process).

    Only on Linux: Windows has no fork, and on macOS a forked child of a process that has used
    Apple's system frameworks may crash (which is why Python's default there is spawn). Spawned
    workers would each import the generator and be sent the whole site, which costs more than the
    parallel work saves at this site's sizes."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return None
    return multiprocessing.get_context("fork")


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


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _task is not None, "workers are forked from fork_map"
    return [_task(item) for item in chunk]


def render_pages(job: RenderJob, numbers: list[int], workers: int) -> Iterator[Rendered]:
    """Render and stage the given routes; yields one result per route."""
    if workers > 1:
        # Every template compiled here (or loaded from the bytecode cache), so that the workers
        # inherit them instead of each compiling the partials its pages include. All of templates/,
        # not the pages' closures: finding those means parsing every template, which a build whose
        # template keys are cached skips.
        # In a build with a cache folder, template_prep's child has compiled them already: they load.
        for name in job.env.list_templates(extensions=TEMPLATE_EXTENSIONS):
            try:
                job.env.get_template(name)
            except (jinja2.TemplateError, UnicodeDecodeError):
                pass  # reported with its line when a page using it is rendered
    yield from fork_map(lambda number: _render(job, number), numbers, workers)


def _render(job: RenderJob, number: int) -> Rendered:
    route = job.routes[number]
    if job.recorder is not None:
        job.recorder.start(route.file)
    try:
        text = render_route(job.env, route)
    except TemplateProblem as error:
        return Rendered(number, problem=error.problem)
    finally:
        recorded = job.recorder.take(route.file) if job.recorder is not None else None
    sha, same = job.writer.write(route.file, text)
    job.cache.store(sha, job.writer.staging / route.file)
    return Rendered(number, sha, same, recorded=recorded)
