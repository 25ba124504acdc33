"""Pages from the page cache when their route key is known, the rest rendered across cores.

A page whose key (fingerprint.py) names bytes the cache holds is linked into staging as it is;
the others are rendered by workers (parallel.py), each staging its page and keeping its bytes in
the cache, so that a page's result is only its hash. The link checker's record of a page (which
template line made each reference) travels with it, from the cache or from the worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from generator.incremental.cache import PageCache
from generator.output.staged import StagedWriter
from generator.problems import Problem
from generator.rendering.templates import TemplateProblem, make_environment, render_route
from generator.site.routes import Route


@dataclass(frozen=True)
class Rendered:
    number: int  # index into PageJob.routes
    sha: str = ""
    same: bool = False  # the previous build had exactly these bytes
    problem: Problem | None = None
    recorded: tuple | None = None  # the page's references and their template lines (TemplateRecorder.take)


class PageJob:
    """What every page worker shares. A forked worker inherits it whole, environment included; a
    spawned one is sent it without the environment (a Jinja environment does not pickle) and makes
    its own from the same templates and compiled bytecode."""

    def __init__(self, env: jinja2.Environment, templates: Path, context, routes: Sequence[Route],
                 writer: StagedWriter, cache: PageCache, compiled: jinja2.BytecodeCache | None):
        self.env, self.templates, self.context, self.routes = env, templates, context, tuple(routes)
        self.writer, self.cache, self.compiled = writer, cache, compiled

    def __getstate__(self) -> dict:
        recorder = self.context.recorder
        context = replace(self.context, recorder=type(recorder)() if recorder is not None else None)
        return {**self.__dict__, "env": None, "context": context}

    def environment(self) -> jinja2.Environment:
        if self.env is None:
            self.env = make_environment(self.templates, self.context, one_build=True, bytecode_cache=self.compiled)
        return self.env


def place_cached(keys: list[str], job: PageJob, progress: Callable[[], None]) -> list[int]:
    """Stage every page whose key the cache holds; returns the numbers of the routes left to render.
    A page is rendered again when its bytes are gone, or when the link checker's record of it is
    needed and missing."""
    recorder, pages, missing = job.context.recorder, job.cache, []
    for number, route in enumerate(job.routes):
        sha = pages.lookup(keys[number])
        recorded = pages.recorded(keys[number]) if recorder is not None else None
        if sha is None or (recorder is not None and recorded is None) \
                or job.writer.place(route.file, sha, lambda sha=sha: pages.blob(sha)) is None:
            missing.append(number)
            continue
        if recorded is not None:  # the same key: the same templates made the same references
            recorder.restore(route.file, recorded)
        pages.remember(keys[number], sha, recorded)
        pages.hits += 1
        progress()
    return missing


def render_missing(job: PageJob, numbers: list[int], map_items: Callable) -> Iterator[Rendered]:
    """Render and stage the given routes (by `map_items`, across cores); one result per route."""
    return map_items(render_page, job, numbers, PAGES_PER_WORKER)


PAGES_PER_WORKER = 150  # below this a worker's start-up outweighs the rendering it shares


def render_page(job: PageJob, number: int) -> Rendered:
    """One page rendered, staged and kept in the cache: module-level, so a spawned worker can run it."""
    route, recorder = job.routes[number], job.context.recorder
    if recorder is not None:
        recorder.start(route.file)
    try:
        text = render_route(job.environment(), route)
    except TemplateProblem as error:
        return Rendered(number, problem=error.problem)
    finally:
        recorded = recorder.take(route.file) if recorder is not None else None
    sha, same = job.writer.write(route.file, text)
    job.cache.store(sha, job.writer.staging / route.file)
    return Rendered(number, sha, same, recorded=recorded)
