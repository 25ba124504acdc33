"""Render the pages the cache could not supply, across the machine's cores.

Worker processes are forked after the site is loaded, so each inherits the whole site, the
rendered bodies and a Jinja environment without anything being copied or pickled: a task is
only a list of route numbers, and a result only a hash. Each worker writes its pages straight
into the staging folder and the page cache. Small jobs stay in the calling process, where a
pool would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from generator.cache import PageCache
from generator.problems import Problem
from generator.render import TemplateProblem, render_route
from generator.routes import Route
from generator.staged import StagedWriter

MIN_PAGES_PER_WORKER = 150  # below this a forked pool's start-up outweighs the rendering it shares


@dataclass(frozen=True)
class RenderJob:
    env: jinja2.Environment
    routes: tuple[Route, ...]
    writer: StagedWriter
    cache: PageCache


@dataclass(frozen=True)
class Rendered:
    number: int  # index into RenderJob.routes
    sha: str = ""
    same: bool = False  # the previous build had exactly these bytes
    problem: Problem | None = None


_job: RenderJob | None = None  # set before forking; the workers' copy of the job


def worker_count(pages: int, requested: int | None = None) -> int:
    """How many processes to use: the cores we may run on, fewer for a small job, 1 when asked."""
    if requested is not None:
        return max(1, requested)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, pages // MIN_PAGES_PER_WORKER))


def render_pages(job: RenderJob, numbers: list[int], workers: int) -> Iterator[Rendered]:
    """Render and stage the given routes; yields one result per route, in no particular order."""
    global _job
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for number in numbers:
            yield _render(job, number)
        return
    for route in {job.routes[n].template for n in numbers}:
        try:  # compile once here, so the workers inherit compiled templates instead of each compiling
            job.env.get_template(route)
        except jinja2.TemplateError:
            pass  # reported with its line when the page is rendered
    _job = job
    try:
        size = max(1, len(numbers) // (workers * 4))  # a few chunks each, so a slow chunk does not idle a core
        chunks = [numbers[i:i + size] for i in range(0, len(numbers), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap_unordered(_render_chunk, chunks):
                yield from results
    finally:
        _job = None


def _render_chunk(numbers: list[int]) -> list[Rendered]:
    assert _job is not None, "render workers are forked from render_pages"
    return [_render(_job, n) for n in numbers]


def _render(job: RenderJob, number: int) -> Rendered:
    route = job.routes[number]
    try:
        text = render_route(job.env, route)
    except TemplateProblem as error:
        return Rendered(number, problem=error.problem)
    sha, same = job.writer.write(route.file, text)
    job.cache.store(sha, job.writer.staging / route.file)
    return Rendered(number, sha, same)
