"""The whole build, stage by stage: load → bodies → routes → pages → write.

Everything is read and checked before anything is written; pages go to a staging folder that
replaces output/ only when the build has succeeded. The speed machinery (caches, worker processes,
background children, the no-change replay) is handed in as one Machinery (machinery.py): with
Plain the same stages do the same work in one process and write the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.content import references
from generator.content.identity import current_base_url
from generator.content.load import load_site, on_disk
from generator.content.model import Site
from generator.imageproc.store import ProcessedImages
from generator.incremental.bodies import BuildBodies
from generator.incremental.machinery import Incremental
from generator.machinery import Machinery, Pending
from generator.output import assets, write
from generator.output.lock import lock_path, output_lock
from generator.output.staged import StagedWriter, staged_output
from generator.problems import BuildFailed, Problem, Problems
from generator.rendering.templates import RenderContext, TemplateProblem, render_route
from generator.settings import BuildResult, BuildSettings, Progress
from generator.site import routes, search
from generator.site.links import checked_base_url, link_context


@dataclass(frozen=True)
class Loaded:
    """The checked site with what its pages are made from, passed from the reading stages to writing."""

    site: Site
    base_url: str
    images: ProcessedImages
    bodies: BuildBodies
    routes: tuple[routes.Route, ...]
    index: Pending[bytes]  # the search index, made beside the pages


def build(settings: BuildSettings, progress: Progress | None = None, machinery: Machinery | None = None) -> BuildResult:
    """Build the site into settings.output; raises BuildFailed with every problem found.

    Holds the output folder's lock (BuildLocked when another build has it) for the whole build.
    `machinery`: by default the caches and workers of incremental/ (the Plain one does without)."""
    write.check_output_target(settings.output, [settings.content, settings.templates, settings.assets],
                              settings.project)  # first: no lock file is made beside a refused folder
    with output_lock(settings.output) as notice:
        taken_over = (Problem(Problems(root=settings.project).shown(lock_path(settings.output)), None, notice,
                              severity="warning"),) if notice else ()
        if machinery is None:
            machinery = Incremental(settings)
        with machinery:
            result = machinery.replay()
            if result is None:
                problems = Problems(root=settings.project)
                result = _write(settings, machinery, _read(settings, machinery, problems), problems, progress)
                machinery.remember(result)
        return replace(result, warnings=taken_over + result.warnings, stages=machinery.clock.stages)


def _read(settings: BuildSettings, machinery: Machinery, problems: Problems) -> Loaded:
    """Load and check the content, process its images, render its Markdown and route it: every
    problem of the site is found here, before anything is written."""
    clock = machinery.clock
    site = load_site(settings.content, problems, include_drafts=settings.drafts or settings.preview,
                     published_by=None if settings.preview else settings.today, doc_cache=machinery.documents())
    clock.lap("nạp và kiểm tra nội dung")
    if site is None:
        raise BuildFailed(problems.items)
    images = machinery.process_images(site, problems)
    clock.lap("xử lý ảnh")
    routes.check_unique_urls(site, problems)
    if problems.errors:  # the menu is checked too, so that every mistake is reported at once
        references.check(site, routes.build_routes(site, settings.today), problems)
        raise BuildFailed(problems.items)
    base_url = checked_base_url(settings.base_url
                                or current_base_url(site.identity, site.config.base_url, settings.today))
    bodies = machinery.render_bodies(site, link_context(site, base_url, images), problems)
    clock.lap("Markdown")
    index = machinery.search_index(site, bodies, settings.today)
    page_routes = routes.build_routes(site, settings.today)
    references.check(site, page_routes, problems)
    if settings.strict:
        problems.promote_warnings()
    if problems.errors:
        raise BuildFailed(problems.items)
    clock.lap("định tuyến")
    return Loaded(site, base_url, images, bodies, page_routes, index)


def _write(settings: BuildSettings, machinery: Machinery, loaded: Loaded, problems: Problems,
           progress: Progress | None) -> BuildResult:
    """Every file of the site into a staging folder that replaces output/ once all are there."""
    site, clock = loaded.site, machinery.clock
    asset_names = assets.fingerprint(settings.assets) if settings.assets.is_dir() else {}
    context = RenderContext(site, loaded.base_url, asset_names, loaded.bodies, settings.today, settings.preview,
                            machinery.recorder(), loaded.images.images)
    with staged_output(settings.output) as writer:
        clock.lap("thư mục tạm và bộ đệm trang")
        rendered = machinery.render_pages(context, loaded.routes, writer, problems, progress)
        _write_sitemap(machinery, context, loaded.routes, writer, problems)
        clock.lap("dựng trang")
        machinery.pages_written(context, problems)
        writer.write(search.INDEX_PATH, loaded.index.result())
        clock.lap("chờ chỉ mục tìm kiếm")
        for relative in site.static_files:  # the name on disk may be NFD
            if relative.as_posix() not in context.images:  # else published in its processed form
                writer.write(relative.as_posix(), on_disk(settings.content, relative).read_bytes())
        if settings.assets.is_dir():
            assets.copy_assets(settings.assets, context.assets, writer.write)
        clock.lap("tệp tĩnh")
        for path, data in loaded.images.files():
            writer.write(path, data)
        clock.lap("ghi ảnh")
        if problems.errors:
            raise BuildFailed(problems.items)
    clock.lap("danh sách tệp và hoán đổi output/")
    machinery.published(loaded.images)
    drafts = sum(1 for a in site.held_back if a.draft)
    return BuildResult(len(loaded.routes) + 1, len(writer.files), clock.total(), tuple(problems.warnings),
                       machinery.reused, rendered, writer.changes, drafts=drafts,
                       scheduled=len(site.held_back) - drafts, images_encoded=loaded.images.encoded)


def _write_sitemap(machinery: Machinery, context: RenderContext, page_routes: tuple[routes.Route, ...],
                   writer: StagedWriter, problems: Problems) -> None:
    if context.recorder is not None:
        context.recorder.start("sitemap.xml")
    try:
        writer.write("sitemap.xml", render_route(machinery.environment(context), routes.sitemap_route(page_routes)))
    except TemplateProblem as error:
        problems.items.append(error.problem)
