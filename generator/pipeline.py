"""The whole build, stage by stage: load → render Markdown → route → render pages → write.

Everything is read and checked before anything is written; pages go to a staging folder
that replaces output/ only when the build has succeeded. A page whose route key (fingerprint.py)
is in the page cache is not rendered again; the others are rendered across cores (parallel.py);
a file whose bytes did not change is linked from the previous output (staged.py). What the
link checker needs to name the line behind each reference is saved beside the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator.content import references
from generator.content.identity import current_base_url
from generator.content.load import DATA_DIR, load_site, on_disk
from generator.content.model import Site
from generator.imageproc.report import image_problems
from generator.imageproc.store import ProcessedImages, process_images, prune_cache
from generator.incremental import bytecode, template_prep, unchanged
from generator.incremental.bodies import BuildBodies
from generator.incremental.cache import BodyCache, DerivedRows, PageCache, code_digest
from generator.incremental.doccache import DocumentCache
from generator.incremental.fingerprint import RouteKeys, TemplateKeys
from generator.incremental.inputs import InputFiles
from generator.incremental.parallel import Background, RenderJob, fork_map, render_pages, worker_count
from generator.incremental.timings import Stopwatch
from generator.linkcheck.sources import (
    SOURCE_MAP,
    TemplateRecorder,
    build_source_map,
    commit_source_map,
    current_stamp,
    data_lines,
    markdown_targets,
    menu_lines,
    stage_source_map,
)
from generator.markdown import sanitize
from generator.markdown.render import LinkContext, RenderedBody, render_body
from generator.output import assets, write
from generator.output.lock import lock_path, output_lock
from generator.output.staged import Changes, StagedWriter, intact_manifest
from generator.problems import BuildFailed, Problem, Problems
from generator.rendering.templates import RenderContext, TemplateProblem, make_environment, render_route
from generator.settings import BuildResult, BuildSettings, Progress
from generator.site import routes, search
from generator.site.links import checked_base_url, content_urls, link_context

INDEX_ARTICLES_PER_CORE = 250  # below 500 articles the search index takes less time than forking for it


def build(settings: BuildSettings, progress: Progress | None = None) -> BuildResult:
    """Build the site into settings.output; raises BuildFailed with every problem found.

    Holds the output folder's lock (BuildLocked when another build has it) for the whole build.
    """
    write.check_output_target(settings.output, [settings.content, settings.templates, settings.assets],
                              settings.project)  # first: no lock file is made beside a refused folder
    with output_lock(settings.output) as notice:
        taken_over = (Problem(Problems(root=settings.project).shown(lock_path(settings.output)), None, notice,
                              severity="warning"),) if notice else ()
        clock = Stopwatch()
        files = input_files(settings)
        inputs = unchanged.inputs_digest(files, (
            str(settings.project), str(settings.content), os.path.abspath(settings.output), str(settings.templates),
            str(settings.assets), settings.today.isoformat(), settings.base_url, settings.drafts, settings.preview,
            settings.strict))
        clock.lap("đọc tệp đầu vào")
        last = unchanged.replay(settings.cache, settings.output, inputs,
                                (settings.cache / SOURCE_MAP,) if settings.cache else ())
        clock.lap("so với lần dựng trước")
        if last is not None:
            return BuildResult(last.pages, last.files, clock.total(), taken_over + last.warnings,
                               changes=Changes((), (), ()), replayed=True, stages=clock.stages,
                               drafts=last.drafts, scheduled=last.scheduled)
        result = _build(settings, files, progress, clock)
        unchanged.remember(settings.cache, settings.output, inputs,
                           unchanged.LastBuild(result.pages, result.files, result.warnings, result.drafts,
                                               result.scheduled))
        return replace(result, warnings=taken_over + result.warnings)


def input_files(settings: BuildSettings) -> InputFiles:
    """Every input's hash, kept by stat in the cache between builds (inputs.py)."""
    return InputFiles.read([settings.content, settings.templates, settings.assets],
                           settings.cache / "inputs.pickle" if settings.cache else None)


def _build(settings: BuildSettings, files: InputFiles, progress: Progress | None, clock: Stopwatch) -> BuildResult:
    problems = Problems(root=settings.project)
    documents = DocumentCache(settings.cache, files)
    documents.prefetch(settings.content, settings.workers)
    clock.lap("đọc tệp Markdown")
    template_child = template_prep.start(settings.templates, settings.cache, files.under(settings.templates),
                                         worker_count(2, settings.workers, per_worker=1))
    try:
        return _build_site(settings, files, progress, clock, problems, documents, template_child)
    except BaseException:
        template_prep.wait(template_child)
        raise


def _build_site(settings: BuildSettings, files: InputFiles, progress: Progress | None, clock: Stopwatch,
                problems: Problems, documents: DocumentCache, template_child: Background | None) -> BuildResult:
    site = load_site(settings.content, problems, include_drafts=settings.drafts or settings.preview,
                     published_by=None if settings.preview else settings.today, doc_cache=documents)
    clock.lap("nạp và kiểm tra nội dung")
    if site is None:
        raise BuildFailed(problems.items)
    images = content_images(settings, files, site, problems)
    clock.lap("xử lý ảnh")
    routes.check_unique_urls(site, problems)
    if problems.errors:  # the menu is checked too, so that every mistake is reported at once
        references.check(site, routes.build_routes(site, settings.today), problems)
        raise BuildFailed(problems.items)
    base_url = checked_base_url(settings.base_url
                                or current_base_url(site.identity, site.config.base_url, settings.today))
    bodies, body_keys = render_bodies(site, base_url, settings.cache, problems, settings.workers, images)
    clock.lap("Markdown")
    # The search index needs every article and its body, but no route or page: on a spare core it
    # is made from here on, while the parent routes the site, takes the spare folder, keys and
    # renders the pages.
    index = Background(lambda: search.index_data(site, bodies, settings.today, settings.cache),
                       worker_count(len(site.articles), settings.workers, INDEX_ARTICLES_PER_CORE))
    try:
        page_routes = routes.build_routes(site, settings.today)
        references.check(site, page_routes, problems)
        if settings.strict:
            problems.promote_warnings()
        if problems.errors:
            raise BuildFailed(problems.items)
        clock.lap("định tuyến")
        return _write_and_swap(settings, files, site, page_routes, base_url, bodies, body_keys, index, problems,
                               documents, template_child, clock, progress, images)
    finally:
        index.cancel()  # a failed build does not leave the child behind
        bodies.close()


def _write_and_swap(settings: BuildSettings, files: InputFiles, site: Site, page_routes: tuple[routes.Route, ...],
                    base_url: str, bodies: BuildBodies, body_keys: dict[str, str], index: Background,
                    problems: Problems, documents: DocumentCache, template_child: Background | None, clock: Stopwatch,
                    progress: Progress | None, images: ProcessedImages) -> BuildResult:
    asset_names = assets.fingerprint(settings.assets) if settings.assets.is_dir() else {}
    recorder = TemplateRecorder() if settings.cache is not None else None
    context = RenderContext(site, base_url, asset_names, bodies, settings.today, settings.preview, recorder,
                            images.images)
    write.clear_leftovers(settings.output)
    staging, held = write.take_spare(settings.output, intact_manifest) or (write.staging_dir(settings.output), None)
    pages = PageCache(settings.cache)
    source_map = None
    clock.lap("thư mục tạm và bộ đệm trang")

    def pages_recorded() -> None:
        """The link checker's map needs only what the pages recorded: a spare core makes it from
        here on, while the search index is finished and the output is put in place and the caches
        saved."""
        nonlocal source_map
        if recorder is not None and not problems.errors:
            source_map = Background(
                lambda: _stage_source_map(settings, files, site, base_url, recorder, bodies, body_keys, pages,
                                          problems),
                worker_count(len(site.articles), settings.workers, INDEX_ARTICLES_PER_CORE))

    try:
        writer = StagedWriter(staging, settings.output, held)
        written, rendered = _write_all(settings, site, context, page_routes, writer, pages, problems,
                                       files.under(settings.content / DATA_DIR), files.under(settings.templates),
                                       body_keys, index, template_child, progress, pages_recorded, clock)
        for path, data in images.files():
            writer.write(path, data)
            written += 1
        clock.lap("ghi ảnh")
        if problems.errors:
            raise BuildFailed(problems.items)
        changes = writer.finish()
        first_output = write.swap_in(staging, settings.output)
        clock.lap("danh sách tệp và hoán đổi output/")
    except BaseException:
        if source_map is not None:
            source_map.cancel()  # its map would name pages that were not published
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        pages.save()
        documents.save()
        prune_cache(settings.cache, images)
        clock.lap("lưu bộ đệm")
        if source_map is not None:
            _commit_source_map(settings, source_map.result())
            clock.lap("chờ bản đồ nguồn của trình kiểm tra liên kết")
    finally:
        if first_output:
            write.clone_in_background(settings.output)
    drafts = sum(1 for a in site.held_back if a.draft)
    return BuildResult(len(page_routes) + 1, written, clock.total(), tuple(problems.warnings), pages.hits,
                       rendered, changes, stages=clock.stages, drafts=drafts, scheduled=len(site.held_back) - drafts,
                       images_encoded=images.encoded)


def content_images(settings: BuildSettings, files: InputFiles, site: Site, problems: Problems) -> ProcessedImages:
    """Every raster image of the content, processed or taken from the image cache (imageproc/)."""
    images = process_images(site.content_dir, [f.as_posix() for f in site.static_files], settings.cache,
                            settings.workers, files.of)
    for problem in image_problems(site, images.faults):
        problems.add_relative(site.content_dir, problem)
    return images


def render_bodies(site: Site, base_url: str, cache_dir: Path | None, problems: Problems, workers: int | None = None,
                  images: ProcessedImages | None = None) -> tuple[BuildBodies, dict[str, str]]:
    """Every article's and page's Markdown as HTML: rendered across cores when the cache does not
    hold it, else left in the cache until a page needs it (bodies.py); with each body's cache key,
    which names everything its HTML is made from (page keys use it). Every body's problems are
    reported, from the cache or from rendering."""
    links = link_context(site, base_url, images)
    cache = BodyCache(cache_dir, BodyCache.context(links.base_path, links.urls, sorted(links.sizes.items()),
                                                   sanitize.POLICY_ID, links.iframe_hosts,
                                                   repr(sorted(links.images.items()))))
    items = {item.source.path.as_posix(): item for item in (*site.articles, *site.pages)}
    keys = {source: cache.key(source, item.body, item.source.body_line) for source, item in items.items()}
    found = dict(zip(items, cache.problems(list(keys.values())), strict=True))
    missing = [source for source, stored in found.items() if stored is None]

    def render(source: str) -> RenderedBody:
        item = items[source]
        return render_body(item.body, PurePosixPath(source), item.source.body_line, links)

    rendered = {}
    for source, body in zip(missing, fork_map(render, missing, worker_count(len(missing), workers, 40)),
                            strict=True):
        rendered[source] = body
        found[source] = body.problems
        cache.put(keys[source], body)
    cache.save()
    for reported in found.values():
        for problem in reported:
            problems.add_relative(site.content_dir, problem)
    return BuildBodies(keys, rendered, cache, render), keys


def _stage_source_map(settings: BuildSettings, files: InputFiles, site: Site, base_url: str,
                      recorder: TemplateRecorder, bodies: BuildBodies, body_keys: dict[str, str],
                      pages: PageCache, problems: Problems) -> tuple[str, str | None, bool] | None:
    """What the link checker needs to name the Markdown or template line behind each reference,
    written beside its place; returns (inputs, base URL, whether a new map was staged) for
    _commit_source_map, or None when it could not be written.

    Made again only when its inputs changed: every page's cache key (which covers what the page's
    templates recorded), every Markdown source with its first line, the templates, site.yaml's menu.
    """
    urls = content_urls(site)
    links = LinkContext(urls, urlsplit(base_url).path or "/")
    items = [(i.source.path.as_posix(), i.body, i.source.body_line) for i in (*site.articles, *site.pages)]
    site_yaml = settings.content / "_data" / "site.yaml"
    inputs = _source_map_inputs(settings, files, base_url, pages, urls, items, body_keys)
    target = settings.cache / SOURCE_MAP
    stored = current_stamp(target, inputs)
    if stored is not None:
        return inputs, stored.get("base_url"), False
    data = {**data_lines(settings.content / DATA_DIR, problems.shown),
            **menu_lines(site_yaml, [m.href for m in site.config.menu], links.base_path, problems.shown(site_yaml))}
    folder = problems.shown(settings.content)  # once, not once per article: the names only differ after it
    known = DerivedRows(settings.cache, "linkcheck-targets.pickle")
    stored_targets, made = known.load(), {}

    def targets(item: tuple) -> dict[str, int]:
        """An item's published link targets with their lines, from the cache by the body's key: it
        names everything they are made from (source, text, first line, the content URLs, the base
        path). After one edit, working them out again for every article was half of this map."""
        key = body_keys[item[0]]
        text = stored_targets.get(key)
        if text is None:
            written = bodies[item[0]].links  # read from the body cache only here, for the items edited
            text = json.dumps(list(markdown_targets(item[1], item[2], PurePosixPath(item[0]), links, written).items()),
                              ensure_ascii=False)
        made[key] = text
        return dict(json.loads(text))

    source_map = build_source_map(recorder, items, links, base_url, settings.output,
                                  lambda source: source if folder == "." else f"{folder}/{source}", settings.templates,
                                  data, targets)
    if made != stored_targets:
        known.save(made)  # only this build's items: the file does not grow
    try:
        stage_source_map(target, source_map, inputs)
    except OSError:
        return None  # the checker then reports pages without their source lines
    return inputs, base_url, True


def _commit_source_map(settings: BuildSettings, staged: tuple[str, str | None, bool] | None) -> None:
    """Tie the map to the output just swapped in: the stamp names that build's marker file."""
    if staged is None:
        return
    try:
        commit_source_map(settings.cache / SOURCE_MAP, settings.output, *staged)
    except OSError:
        pass  # the checker then reports pages without their source lines


def _source_map_inputs(settings: BuildSettings, files: InputFiles, base_url: str, pages: PageCache,
                       urls: dict[str, str], items: list[tuple], body_keys: dict[str, str]) -> str:
    """Each item counts by its body's cache key, which names its source, first line and Markdown
    (and so the links written in it) with the content URLs and base path they are published against."""
    blob = hashlib.sha256(repr((code_digest(), base_url, os.path.abspath(settings.output), str(settings.content),
                                sorted(pages.live.items()), sorted(urls.items()),
                                [body_keys[item[0]] for item in items])).encode())
    blob.update(files.under(settings.templates).encode())
    blob.update(files.under(settings.content / DATA_DIR).encode())  # the menu's lines, the data's web addresses
    return blob.hexdigest()


def _write_all(settings: BuildSettings, site: Site, context: RenderContext, page_routes: tuple[routes.Route, ...],
               writer: StagedWriter, pages: PageCache, problems: Problems, data_digest: str,
               template_digest: str, body_keys: dict[str, str], index: Background, template_child: Background | None,
               progress: Progress | None, pages_recorded: Callable[[], None], clock: Stopwatch) -> tuple[int, int]:
    """Stage every file of the site (the search index as `index` makes it); returns (files, pages
    rendered). `pages_recorded` is called once every page and the sitemap are staged, before the
    wait for the search index."""
    template_prep.wait(template_child)  # its keys and bytecode are read from the cache below
    env = make_environment(settings.templates, context, one_build=True,
                           bytecode_cache=bytecode.in_cache(settings.cache))
    # every data file counts: a template may read data the model does not carry (yet)
    templates = TemplateKeys(settings.templates, settings.cache, template_digest)
    keys = RouteKeys(context, templates, body_keys, data_digest)
    total, done = len(page_routes) + 1, 0
    route_keys = [keys.key(route) for route in page_routes]
    templates.save()
    clock.lap("khóa của từng trang")
    missing = []
    for number, route in enumerate(page_routes):
        sha = pages.lookup(route_keys[number])
        recorded = pages.recorded(route_keys[number]) if context.recorder is not None else None
        if sha is None or (context.recorder is not None and recorded is None) \
                or writer.place(route.file, sha, lambda sha=sha: pages.blob(sha)) is None:
            missing.append(number)
            continue
        if recorded is not None:  # the same key: the same templates made the same references
            context.recorder.restore(route.file, recorded)
        pages.remember(route_keys[number], sha, recorded)
        pages.hits += 1
        done += 1
        if progress:
            progress(done, total)
    clock.lap("đặt các trang không đổi")
    job = RenderJob(env, page_routes, writer, pages, context.recorder)
    reported: set[tuple] = set()
    for result in render_pages(job, missing, worker_count(len(missing), settings.workers)):
        if result.problem is not None:
            where = (result.problem.path, result.problem.line)
            if where not in reported:  # a template error repeats on every page using it: say it once
                reported.add(where)
                problems.items.append(result.problem)
        else:
            writer.record(page_routes[result.number].file, result.sha, result.same)
            if context.recorder is not None and result.recorded is not None:
                context.recorder.restore(page_routes[result.number].file, result.recorded)
            pages.remember(route_keys[result.number], result.sha, result.recorded)
        done += 1
        if progress:
            progress(done, total)
    if context.recorder is not None:
        context.recorder.start("sitemap.xml")
    try:
        writer.write("sitemap.xml", render_route(env, routes.sitemap_route(page_routes)))
    except TemplateProblem as error:
        problems.items.append(error.problem)
    clock.lap("dựng trang")
    pages_recorded()
    writer.write(search.INDEX_PATH, index.result())
    clock.lap("chờ chỉ mục tìm kiếm")
    for relative in site.static_files:  # the name on disk may be NFD
        if relative.as_posix() in context.images:
            continue  # published in its processed form (imageproc/)
        writer.write(relative.as_posix(), on_disk(settings.content, relative).read_bytes())
    copied = assets.copy_assets(settings.assets, context.assets, writer.write) if settings.assets.is_dir() else 0
    clock.lap("tệp tĩnh")
    return total + 1 + len(site.static_files) - len(context.images) + copied, len(missing)
