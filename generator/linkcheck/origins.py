"""The source lines behind the references of some built pages, found by rendering them again.

A build used to record, for every page it rendered, which template line made each URL: a tenth of a
cold build's time (the frame walk behind every URL helper, the records sent back from the workers,
kept in the page cache and written out as a map), for a map read only when a check finds something
broken. Now the build only notes how it was made (sources.record_build), and a check with findings
renders just the pages that hold them, as that build did, with a TemplateRecorder.

A page whose sources changed since the build renders to other bytes than the published page's: its
lines would be guesses, so it gets none (the check names the page and the URL, and the lines again
after the next build).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from generator.linkcheck.sources import SourceMap, TemplateRecorder, build_source_map, menu_lines


def source_map(record: dict, output: Path, cache_dir: Path | None, pages: Iterable[str]) -> SourceMap | None:
    """The map of `pages` (output-relative files) as built by the build `record` describes; None
    when the build cannot be made again here."""
    try:
        return _source_map(record, output, cache_dir, set(pages))
    except Exception:  # noqa: BLE001 - a source deleted or broken since the build, a record from
        return None    # another version, an unreadable cache: the check still reports every finding


def _source_map(record: dict, output: Path, cache_dir: Path | None, pages: set[str]) -> SourceMap | None:
    from generator import assets, routes  # here: a check that finds nothing broken never needs the build
    from generator.build import BuildSettings, content_urls, input_files, render_bodies
    from generator.doccache import DocumentCache
    from generator.load import DATA_DIR, load_site
    from generator.markdown_render import LinkContext
    from generator.problems import Problems
    from generator.render import RenderContext, TemplateProblem, make_environment, render_route

    settings = BuildSettings(
        project=Path(record["project"]), content=Path(record["content"]), output=output,
        templates=Path(record["templates"]), assets=Path(record["assets"]), cache=cache_dir,
        today=date.fromisoformat(record["today"]), base_url=record["base_url"], drafts=bool(record["drafts"]),
        preview=bool(record["preview"]))
    problems = Problems(root=settings.project)
    site = load_site(settings.content, problems, include_drafts=settings.drafts or settings.preview,
                     published_by=None if settings.preview else settings.today,
                     doc_cache=DocumentCache(settings.cache, input_files(settings)))
    if site is None:
        return None
    base_url = settings.base_url
    bodies, _keys = render_bodies(site, base_url, settings.cache, Problems(root=settings.project))
    try:
        page_routes = routes.build_routes(site, settings.today)
        wanted = [r for r in (*page_routes, routes.sitemap_route(page_routes)) if r.file in pages]
        recorder = TemplateRecorder()
        asset_names = assets.fingerprint(settings.assets) if settings.assets.is_dir() else {}
        context = RenderContext(site, base_url, asset_names, bodies, settings.today, settings.preview, recorder)
        env = make_environment(settings.templates, context, one_build=True)
        for route in wanted:
            recorder.start(route.file)
            try:
                same = _digest(render_route(env, route).encode()) == _digest((output / route.file).read_bytes())
            except (TemplateProblem, OSError):
                same = False
            if not same:
                recorder.take(route.file)  # changed since the build: no lines rather than wrong ones
        links = LinkContext(content_urls(site), urlsplit(base_url).path or "/")
        placed = {source for found in recorder.contents.values() for source in found}
        items = [(i.source.path.as_posix(), i.body, i.source.body_line) for i in (*site.articles, *site.pages)
                 if i.source.path.as_posix() in placed]
        folder = problems.shown(settings.content)
        site_yaml = settings.content / DATA_DIR / "site.yaml"
        menu = menu_lines(site_yaml, [m.href for m in site.config.menu], links.base_path, problems.shown(site_yaml))
        return build_source_map(recorder, items, links, base_url, output,
                                lambda source: source if folder == "." else f"{folder}/{source}",
                                settings.templates, menu)
    finally:
        bodies.close()


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
