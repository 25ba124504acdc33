"""The one seam between the build's stages and its speed machinery.

The pipeline (pipeline.py) is handed a Machinery and asks it for everything that a cache, a worker
process or a background child can make faster: the Markdown files already read, images processed,
bodies rendered, pages rendered, the search index made beside the pages, and whether the build can
be skipped altogether. `Plain` does all of it in one process with no cache, the obvious way;
`incremental.machinery.Incremental` does it with caches and cores. Both write the same bytes
(tests hold them to it): the stages never know which one they were given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

import jinja2

from generator.content.model import Site
from generator.imageproc.report import image_problems
from generator.imageproc.store import ProcessedImages, process_images
from generator.incremental.bodies import BuildBodies, render_bodies
from generator.incremental.parallel import Background
from generator.incremental.timings import Stopwatch
from generator.markdown.render import LinkContext
from generator.output.staged import StagedWriter
from generator.problems import Problems
from generator.rendering.templates import RenderContext, TemplateProblem, make_environment, render_route
from generator.settings import BuildResult, BuildSettings, Progress
from generator.site import search
from generator.site.routes import Route

R = TypeVar("R")


class Pending(Protocol, Generic[R]):
    """Work going on beside the build."""

    def result(self) -> R: ...

    def cancel(self) -> None: ...


class Machinery(Protocol):
    """What the pipeline asks of its machinery, in the order it asks. A Machinery serves one build:
    `with machinery:` around it, so that whatever it started is stopped when the build fails."""

    clock: Stopwatch  # the stages' times (build --timings)
    reused: int  # pages taken as they were instead of rendered

    def __enter__(self) -> Machinery: ...

    def __exit__(self, *exc: object) -> None: ...

    def replay(self) -> BuildResult | None:
        """The last build's result when nothing changed since (output/ is as it left it), else None."""

    def remember(self, result: BuildResult) -> None:
        """The build succeeded: what replay() needs next time."""

    def documents(self) -> Any:
        """What load_site reads Markdown files through (its doc_cache), or None for the files themselves."""

    def process_images(self, site: Site, problems: Problems) -> ProcessedImages: ...

    def render_bodies(self, site: Site, links: LinkContext, problems: Problems) -> BuildBodies: ...

    def search_index(self, site: Site, bodies: BuildBodies, today: date) -> Pending[bytes]:
        """The search index's bytes (site/search.py), made while the build goes on or at once."""

    def recorder(self) -> Any:
        """A linkcheck.sources.TemplateRecorder when the link checker's source map is kept, else None."""

    def environment(self, context: RenderContext) -> jinja2.Environment:
        """The build's template environment (one per build)."""

    def render_pages(self, context: RenderContext, page_routes: Sequence[Route], writer: StagedWriter,
                     problems: Problems, progress: Progress | None) -> int:
        """Every route's page staged through `writer`; returns how many were rendered."""

    def pages_written(self, context: RenderContext, problems: Problems) -> None:
        """Every page and the sitemap are staged."""

    def published(self, images: ProcessedImages) -> None:
        """output/ holds the new build."""


def serial_map(task: Callable[[Any, Any], R], shared: Any, items: Sequence[Any], _per_worker: int) -> Iterator[R]:
    return (task(shared, item) for item in items)


class Plain:
    """Every stage done in this process, from the files, with no cache: the reference the
    incremental machinery must match byte for byte."""

    def __init__(self, settings: BuildSettings):
        self.settings = settings
        self.clock = Stopwatch()
        self.reused = 0
        self._env: jinja2.Environment | None = None

    def __enter__(self) -> Plain:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def replay(self) -> BuildResult | None:
        return None

    def remember(self, result: BuildResult) -> None:
        pass

    def documents(self) -> None:
        return None

    def process_images(self, site: Site, problems: Problems) -> ProcessedImages:
        images = process_images(site.content_dir, [f.as_posix() for f in site.static_files], None, serial_map)
        report_image_problems(site, images, problems)
        return images

    def render_bodies(self, site: Site, links: LinkContext, problems: Problems) -> BuildBodies:
        return render_bodies(site, links, None, problems, serial_map)

    def search_index(self, site: Site, bodies: BuildBodies, today: date) -> Pending[bytes]:
        return Background(lambda: search.index_bytes(site, bodies, today), workers=1)  # made at once, here

    def recorder(self) -> None:
        return None

    def environment(self, context: RenderContext) -> jinja2.Environment:
        if self._env is None:
            self._env = make_environment(self.settings.templates, context, one_build=True)
        return self._env

    def render_pages(self, context: RenderContext, page_routes: Sequence[Route], writer: StagedWriter,
                     problems: Problems, progress: Progress | None) -> int:
        env, reported = self.environment(context), set()
        for number, route in enumerate(page_routes, 1):
            try:
                writer.write(route.file, render_route(env, route))
            except TemplateProblem as error:
                if (error.problem.path, error.problem.line) not in reported:  # once, not once per page
                    reported.add((error.problem.path, error.problem.line))
                    problems.items.append(error.problem)
            if progress:
                progress(number, len(page_routes) + 1)
        return len(page_routes)

    def pages_written(self, context: RenderContext, problems: Problems) -> None:
        pass

    def published(self, images: ProcessedImages) -> None:
        pass


def report_image_problems(site: Site, images: ProcessedImages, problems: Problems) -> None:
    for problem in image_problems(site, images.faults):
        problems.add_relative(site.content_dir, problem)
