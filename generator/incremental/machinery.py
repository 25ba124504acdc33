"""The build's speed machinery behind machinery.Machinery: caches, worker processes, background
children and the no-change replay, for one build.

- replay: every input hashes as the last build's and output/ is as it left it: nothing is built (unchanged.py);
- Markdown files read ahead across cores and kept parsed in the cache (doccache.py);
- images, bodies and pages from their caches, the rest made across cores (parallel.py);
- templates keyed and compiled by a child while the content loads (template_prep.py);
- the search index and the link checker's source map made by children beside the pages.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import date

import jinja2

from generator.content.load import DATA_DIR
from generator.content.model import Site
from generator.imageproc.store import ProcessedImages, process_images, prune_cache
from generator.incremental import bytecode, search_rows, source_map, template_prep, unchanged
from generator.incremental.bodies import BuildBodies, render_bodies
from generator.incremental.cache import PageCache
from generator.incremental.doccache import DocumentCache
from generator.incremental.fingerprint import RouteKeys, TemplateKeys
from generator.incremental.inputs import InputFiles
from generator.incremental.pages import PageJob, place_cached, render_missing
from generator.incremental.parallel import Background, Workers, fork_context, worker_count
from generator.incremental.timings import Stopwatch
from generator.linkcheck.sources import SOURCE_MAP, TemplateRecorder
from generator.machinery import Pending, report_image_problems
from generator.markdown.render import LinkContext
from generator.output.staged import Changes, StagedWriter
from generator.problems import Problems
from generator.rendering.templates import TEMPLATE_EXTENSIONS, RenderContext, make_environment
from generator.settings import BuildResult, BuildSettings, Progress
from generator.site.routes import Route

INDEX_ARTICLES_PER_CORE = 250  # below 500 articles the search index takes less time than forking for it


class Incremental:
    """One build's caches (under settings.cache; none when it is None) and worker processes."""

    def __init__(self, settings: BuildSettings):
        self.settings = settings
        self.clock = Stopwatch()
        self.reused = 0
        self.workers = Workers(settings.workers)
        self._files: InputFiles | None = None
        self._inputs = ""
        self._documents: DocumentCache | None = None
        self._template_child: Background | None = None
        self._children: list[Background] = []
        self._bodies: BuildBodies | None = None
        self._pages = PageCache(settings.cache)
        self._env: jinja2.Environment | None = None
        self._source_map: Background | None = None
        self._bytecode: jinja2.BytecodeCache | None = None

    def __enter__(self) -> Incremental:
        return self

    def __exit__(self, error_type: object, *exc: object) -> None:
        if error_type is not None:
            for child in self._children:
                child.cancel()  # a failed build does not leave a child behind, nor a map of pages not published
        template_prep.wait(self._template_child)  # never stopped halfway through a file it writes
        if self._bodies is not None:
            self._bodies.close()

    # --- before anything is read ---------------------------------------------------------------

    @property
    def files(self) -> InputFiles:
        """Every input file's hash, read once per build (kept by stat in the cache between builds)."""
        if self._files is None:
            settings = self.settings
            self._files = InputFiles.read([settings.content, settings.templates, settings.assets],
                                          settings.cache / "inputs.pickle" if settings.cache else None)
        return self._files

    def replay(self) -> BuildResult | None:
        settings = self.settings
        self._inputs = unchanged.inputs_digest(self.files, (
            str(settings.project), str(settings.content), os.path.abspath(settings.output), str(settings.templates),
            str(settings.assets), settings.today.isoformat(), settings.base_url, settings.drafts, settings.preview,
            settings.strict))
        self.clock.lap("đọc tệp đầu vào")
        last = unchanged.replay(settings.cache, settings.output, self._inputs,
                                (settings.cache / SOURCE_MAP,) if settings.cache else ())
        self.clock.lap("so với lần dựng trước")
        if last is None:
            return None
        return BuildResult(last.pages, last.files, self.clock.total(), last.warnings, changes=Changes((), (), ()),
                           replayed=True, drafts=last.drafts, scheduled=last.scheduled)

    def remember(self, result: BuildResult) -> None:
        unchanged.remember(self.settings.cache, self.settings.output, self._inputs,
                           unchanged.LastBuild(result.pages, result.files, result.warnings, result.drafts,
                                               result.scheduled))

    # --- reading ----------------------------------------------------------------------------------

    def documents(self) -> DocumentCache:
        """The Markdown files read ahead across cores; then the child preparing the templates is
        started, to work while the parent loads and checks the site."""
        self._documents = DocumentCache(self.settings.cache, self.files)
        self._documents.prefetch(self.settings.content, self.workers.map)
        self.clock.lap("đọc tệp Markdown")
        self._template_child = template_prep.start(self.settings.templates, self.settings.cache,
                                                   self.files.under(self.settings.templates),
                                                   worker_count(2, self.settings.workers, per_worker=1))
        return self._documents

    def process_images(self, site: Site, problems: Problems) -> ProcessedImages:
        images = process_images(site.content_dir, [f.as_posix() for f in site.static_files], self.settings.cache,
                                self.workers.map, self.files.of)
        report_image_problems(site, images, problems)
        return images

    def render_bodies(self, site: Site, links: LinkContext, problems: Problems) -> BuildBodies:
        self._bodies = render_bodies(site, links, self.settings.cache, problems, self.workers.map)
        return self._bodies

    def search_index(self, site: Site, bodies: BuildBodies, today: date) -> Pending[bytes]:
        """Made by a forked child while the parent routes and renders, when a core is free and the
        site big enough to pay for it; its rows are kept in the cache."""
        child = Background(lambda: search_rows.index_data(site, bodies, today, self.settings.cache),
                           worker_count(len(site.articles), self.settings.workers, INDEX_ARTICLES_PER_CORE))
        self._children.append(child)
        return child

    # --- writing ----------------------------------------------------------------------------------

    def recorder(self) -> TemplateRecorder | None:
        return TemplateRecorder() if self.settings.cache is not None else None

    def environment(self, context: RenderContext) -> jinja2.Environment:
        if self._env is None:
            template_prep.wait(self._template_child)  # its keys and bytecode are read from the cache
            self._env = make_environment(self.settings.templates, context, one_build=True,
                                         bytecode_cache=self._compiled())
        return self._env

    def render_pages(self, context: RenderContext, page_routes: Sequence[Route], writer: StagedWriter,
                     problems: Problems, progress: Progress | None) -> int:
        env, total, done = self.environment(context), len(page_routes) + 1, 0

        def advance() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        # every data file counts: a template may read data the model does not carry (yet)
        templates = TemplateKeys(self.settings.templates, self.settings.cache,
                                 self.files.under(self.settings.templates))
        route_keys = RouteKeys(context, templates, context.bodies.cache_keys,
                               self.files.under(self.settings.content / DATA_DIR))
        keys = [route_keys.key(route) for route in page_routes]
        templates.save()
        self.clock.lap("khóa của từng trang")
        job = PageJob(env, self.settings.templates, context, page_routes, writer, self._pages, self._compiled())
        missing = place_cached(keys, job, advance)
        self.reused = self._pages.hits
        self.clock.lap("đặt các trang không đổi")
        if len(missing) > 1 and fork_context() is not None:
            _compile_all(env)  # once here, so that the forked workers inherit them instead of each compiling
        reported: set[tuple] = set()
        for result in render_missing(job, missing, self.workers.map):
            if result.problem is not None:
                where = (result.problem.path, result.problem.line)
                if where not in reported:  # a template error repeats on every page using it: say it once
                    reported.add(where)
                    problems.items.append(result.problem)
            else:
                writer.record(page_routes[result.number].file, result.sha, result.same)
                if context.recorder is not None and result.recorded is not None:
                    context.recorder.restore(page_routes[result.number].file, result.recorded)
                self._pages.remember(keys[result.number], result.sha, result.recorded)
            advance()
        return len(missing)

    def pages_written(self, context: RenderContext, problems: Problems) -> None:
        """The link checker's map needs only what the pages recorded: a spare core makes it from
        here on, while the search index is finished and the output is put in place."""
        if context.recorder is not None and not problems.errors:
            self._source_map = Background(
                lambda: source_map.stage_source_map(self.settings, self.files, context, self._pages, problems),
                worker_count(len(context.site.articles), self.settings.workers, INDEX_ARTICLES_PER_CORE))
            self._children.append(self._source_map)

    def published(self, images: ProcessedImages) -> None:
        self._pages.save()
        self._documents.save()
        prune_cache(self.settings.cache, images)
        self.clock.lap("lưu bộ đệm")
        if self._source_map is not None:
            source_map.commit_map(self.settings, self._source_map.result())
            self.clock.lap("chờ bản đồ nguồn của trình kiểm tra liên kết")

    def _compiled(self) -> jinja2.BytecodeCache | None:
        if self._bytecode is None and self.settings.cache is not None:
            self._bytecode = bytecode.in_cache(self.settings.cache)
        return self._bytecode


def _compile_all(env: jinja2.Environment) -> None:
    """Every template of templates/, not only the pages' closures: finding those means parsing every
    template, which a build whose template keys are cached skips. In a build with a cache folder,
    template_prep's child has compiled them already: they load."""
    for name in env.list_templates(extensions=TEMPLATE_EXTENSIONS):
        with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError):
            env.get_template(name)  # a broken one is reported with its line when a page using it renders
