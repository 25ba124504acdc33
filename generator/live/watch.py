"""`awareness build --watch`: output/ kept up to date while the sources change, without a build per save.

The first build is an ordinary one (build.py). Then the site it published is loaded once more
and kept in memory: the Site, its routes, the rendered bodies, a template environment and the
search index as separate rows. When an author saves an article or a page and the edit keeps
where it appears (its routing key: URL, date, campaign, office, tags; and whether it is a draft),
only what shows it is made again, as the preview server does (changes.py): its body, the routes
that hold it, the plans' pages (their reports hold articles in a form those routes do not show),
its row of the search index. The pages whose bytes changed are written into output/ one by one,
each atomically, with the manifest, so the next ordinary build trusts them.

Anything else (a new, moved or deleted file, a template, an asset, a data file, an edit that moves
an article, a file with a problem) is handed to an ordinary build, which reports every problem and
leaves output/ as it was when there is an error. The output a save leaves is the output a clean
build of the same sources makes (tests/test_watch.py holds the two to the same bytes).

output/.changes.txt lists every file that differs from the output/ the command started with,
whatever number of saves and builds made the changes: what the webmaster uploads after the session.
"""

from __future__ import annotations

import functools
import gc
import queue
import threading
import time
from collections import ChainMap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath

import jinja2
from jinja2 import nodes

from generator.content.identity import current_base_url
from generator.content.load import load_item, load_site
from generator.content.model import Article, Page, Site
from generator.imageproc.store import process_images
from generator.incremental import search_rows
from generator.incremental.bodies import render_bodies
from generator.incremental.doccache import DocumentCache
from generator.incremental.fingerprint import template_closure
from generator.incremental.inputs import InputFiles
from generator.incremental.parallel import Workers
from generator.live.changes import ChangeKind, absolute, classify, routing_key, saved_batches, sources_in, substitute
from generator.machinery import report_image_problems
from generator.markdown.render import LinkContext, RenderedBody, render_body
from generator.output import assets, staged
from generator.output.lock import BuildLocked, output_lock
from generator.output.staged import Changes
from generator.pipeline import build
from generator.problems import BuildFailed, Problems
from generator.rendering.templates import RenderContext, TemplateProblem, make_environment, render_route
from generator.settings import BuildResult, BuildSettings
from generator.site import routes, search
from generator.site.links import checked_base_url, link_context
from generator.site.routes import Route
from generator.site.search_entries import body_texts, search_entries

PATCH_AT_MOST = 20  # saved files patched one by one; more at once are an ordinary (parallel) build


@dataclass(frozen=True)
class Update:
    """What one save did to output/."""

    written: tuple[str, ...]  # files of output/ written (a build: those it added or modified)
    seconds: float
    build: BuildResult | None = None  # set when the save was handed to an ordinary build


class _NeedsBuild(Exception):
    """The saved files cannot be patched into the published site: an ordinary build must run."""


class Watcher:
    """The published site in memory, and how one batch of saved files changes output/."""

    def __init__(self, settings: BuildSettings, today: Callable[[], date] | None = None):
        """`today`: the date now, when the build's date is the calendar's (no --today): the home page,
        scheduled articles and the plans' progress change with it, so a new day is a new build."""
        self.settings = settings
        self._today = today
        self.changes = Changes((), (), ())  # against the output/ the command started with
        self._state: _Published | None = None
        self._writer = staged.InPlaceWriter(settings.output)

    def start(self, result: BuildResult | None) -> None:
        """The watch begins after `result`, the ordinary build the command ran (None: it failed, and
        the first save builds again); the changes it listed begin the watch's list."""
        if result is None:
            return
        self.changes = result.changes or Changes((), (), ())
        self._load()

    def _load(self) -> None:
        gc.unfreeze()  # the site loaded before, now garbage, is collected again
        self._state = None
        self._state = _Published.load(self.settings)
        # Set aside from the cyclic collector: a save makes a little garbage, and each full collection
        # walked the whole site to find it.
        gc.freeze()

    def _new_day(self) -> bool:
        """Whether the calendar's date moved on since the last build; the settings follow it."""
        if self._today is None or self._today() == self.settings.today:
            return False
        self.settings = replace(self.settings, today=self._today())
        return True

    def forget(self) -> None:
        """Drop the site in memory: the next save runs an ordinary build (after an update that failed
        half-way, output/ may hold some of its files, which that build's manifest check sees)."""
        self._state = None

    def _build(self) -> Update:
        """An ordinary build, then the site it published loaded for the saves to come. BuildFailed
        is raised as by build(); output/ then stays as it was."""
        started = time.perf_counter()
        try:
            result = build(self.settings)
        except BuildFailed:
            # Until a build succeeds, every save builds: patching another file meanwhile would publish
            # a site that an ordinary build of these sources refuses.
            self._state = None
            raise
        if result.changes is not None and not result.replayed:
            self.changes = self.changes.then(result.changes)
            staged.write_changes(self.settings.output, self.changes)
        self._load()
        changes = result.changes or Changes((), (), ())
        return Update(changes.added + changes.modified, time.perf_counter() - started, result)

    def tick(self) -> Update | None:
        """Between saves: an ordinary build when the day changed (BuildFailed as build()), else None."""
        return self._build() if self._new_day() else None

    def apply(self, paths: Iterable[Path]) -> Update:
        """Bring output/ up to date after `paths` were saved (one batch); BuildFailed as build()."""
        started = time.perf_counter()
        kinds = {absolute(p): classify(p, self.settings) for p in paths}
        kinds = {p: k for p, k in kinds.items() if k is not None}
        if not kinds:
            return Update((), time.perf_counter() - started)
        if self._new_day() or self._state is None:
            return self._build()
        try:
            with output_lock(self.settings.output):
                written = self._patch(kinds)
        except _NeedsBuild:
            return self._build()
        return Update(written, time.perf_counter() - started)

    def _patch(self, kinds: dict[Path, ChangeKind]) -> tuple[str, ...]:
        """Write what the saved files change into output/; _NeedsBuild when they cannot be patched."""
        saved = self._saved(kinds)
        if len(saved) > PATCH_AT_MOST:
            raise _NeedsBuild  # a branch switched or a folder copied in: the build's workers do it faster
        edits = self._reload(saved)
        if not edits:
            return ()
        swap = {id(old): new for old, new, _body in edits}
        new_bodies = {new.source.path.as_posix(): body for _old, new, body in edits}
        # An edit of the text alone shows only where the text is placed (the item's page, the
        # feeds): its cards, lists and related news are made of the fields it did not change.
        text_only = all(replace(new, body=old.body, source=old.source) == old for old, new, _body in edits)
        state = self._state.with_items(swap, new_bodies)
        # The plans' pages are made again from the site: their reports hold the articles that answer
        # them in objects that substitute() does not look into.
        fresh = state.plan_routes() if not text_only or state.plans_place_text else {}
        for number, route in fresh.items():
            state.routes[number] = route
        files = {state.routes[number].file: state.render(number)
                 for number in sorted(state.showing(new_bodies) | fresh.keys())
                 if not text_only or state.places_text(number)}
        articles = [(new, body) for _old, new, body in edits if isinstance(new, Article)]
        for article, body in articles:
            state.index.replace(state.site, article, body)
        pages_edited = len(articles) < len(edits)
        if pages_edited:  # a static page's words are in the index too
            state.index.replace_entries(search_entries(state.site, body_texts(state.bodies), self.settings.today))
        if articles or pages_edited:
            files[search.INDEX_PATH] = state.index.data()
        written = self._writer.write(files)
        if written is None:
            raise _NeedsBuild
        self._state = state
        if written:
            self.changes = self.changes.then(Changes((), written, ()))
            staged.write_changes(self.settings.output, self.changes)
        return written

    def _saved(self, kinds: dict[Path, ChangeKind]) -> list[Path]:
        """The Markdown files saved; _NeedsBuild for any other change (but scratch files come and gone)."""
        content = self.settings.content
        site = self._state.site
        published = {*(i.source.path.as_posix() for i in (*site.articles, *site.pages)),
                     *(f.as_posix() for f in site.static_files)}
        saved = []
        for path, kind in kinds.items():
            if kind is ChangeKind.CONTENT and not path.exists():
                gone = path.relative_to(content).as_posix()
                if gone not in published and not any(p.startswith(gone + "/") for p in published):
                    continue  # made and removed within the batch: an editor's or sed's scratch file
            if kind is not ChangeKind.CONTENT or path.suffix != ".md" or not path.is_file():
                raise _NeedsBuild
            saved.append(path)
        return saved

    def _reload(self, saved: list[Path]) -> list[tuple[Article | Page, Article | Page, RenderedBody]]:
        """(old item, new item, new body) for each saved file; _NeedsBuild when a file is new, not
        published (a draft, dated later), moved (its routing key changed) or has any problem: the
        build then says why, and what to fix."""
        content = self.settings.content
        site = self._state.site
        items = {i.source.path.as_posix(): i for i in (*site.articles, *site.pages)}
        edits = []
        for path in saved:
            source = path.relative_to(content).as_posix()
            old = items.get(source)
            problems = Problems(root=self.settings.project)
            new = load_item(path, content, site.campaigns, [d.id for d in site.departments], problems)
            if old is None or new is None or problems.items or type(new) is not type(old) \
                    or routing_key(new) != routing_key(old) \
                    or (isinstance(new, Article) and new.draft != old.draft):
                raise _NeedsBuild
            body = render_body(new.body, PurePosixPath(source), new.source.body_line, self._state.links)
            if body.problems:
                raise _NeedsBuild
            edits.append((old, new, body))
        return edits


class _Published:
    """What output/ was made from, as the last build or save left it."""

    def __init__(self, settings: BuildSettings, site: Site, page_routes: list[Route], bodies: ChainMap,
                 links: LinkContext, context: RenderContext, index: search.SearchIndex,
                 earlier: _Published | None = None):
        """`earlier`: the state this one follows, whose environment and index of holders it keeps (an
        edit that keeps every routing key changes neither)."""
        self.settings, self.site, self.routes, self.bodies = settings, site, page_routes, bodies
        self.links, self.context, self.index = links, context, index
        if earlier is not None:
            self.env, self._holders, self._names = earlier.env, earlier._holders, earlier._names
            self.plans_place_text = earlier.plans_place_text
            self.env.globals["site"] = site  # the templates that read the site itself (the plans)
            return
        self.env = make_environment(settings.templates, context)
        self._names: dict[str, frozenset[str]] = {}  # template → the names it and what it includes use
        for name in {route.template for route in page_routes}:
            try:
                self.env.get_template(name)  # compiled and read now, not on the first save
            except jinja2.TemplateError:
                pass  # saved broken since the build: the save's build reports it with its line
            self._names_used(name)
        self._holders: dict[str, set[int]] = {}  # source → the routes whose context holds it
        for number, route in enumerate(page_routes):
            for source in sources_in(route.context):
                self._holders.setdefault(source, set()).add(number)
        planned = {r.file for r in routes.plan_routes(site, settings.today)}
        self.plans_place_text = any(self.places_text(n) for n, r in enumerate(page_routes) if r.file in planned)

    @classmethod
    def load(cls, settings: BuildSettings) -> _Published:
        """The site the build just published, loaded again from its caches (nothing is rendered)."""
        problems = Problems(root=settings.project)
        files = InputFiles.read([settings.content, settings.templates, settings.assets],
                                settings.cache / "inputs.pickle" if settings.cache else None)
        workers = Workers(settings.workers)
        site = load_site(settings.content, problems, include_drafts=settings.drafts or settings.preview,
                         published_by=None if settings.preview else settings.today,
                         doc_cache=DocumentCache(settings.cache, files))
        if site is None:
            raise BuildFailed(problems.items)
        base_url = checked_base_url(settings.base_url
                                    or current_base_url(site.identity, site.config.base_url, settings.today))
        # from the image and body caches the build just filled
        images = process_images(site.content_dir, [f.as_posix() for f in site.static_files], settings.cache,
                                files.of, map_items=workers.map)
        report_image_problems(site, images, problems)
        links = link_context(site, base_url, images)
        built = render_bodies(site, links, settings.cache, problems, workers.map)
        page_routes = list(routes.build_routes(site, settings.today))
        page_routes.append(routes.sitemap_route(page_routes))
        bodies = ChainMap({}, built)
        asset_names = assets.fingerprint(settings.assets) if settings.assets.is_dir() else {}
        context = RenderContext(site, base_url, asset_names, bodies, settings.today, settings.preview,
                                images=images.images)
        index = search_rows.search_index(site, built, settings.today, settings.cache)
        return cls(settings, site, page_routes, bodies, links, context, index)

    def with_items(self, swap: dict[int, Article | Page], new_bodies: dict[str, RenderedBody]) -> _Published:
        """This site with the edited items in place of the old ones, in the site and in every route."""
        site = self.site
        site = replace(site, articles=tuple(swap.get(id(a), a) for a in site.articles),
                       pages=tuple(swap.get(id(p), p) for p in site.pages))
        changed = self.showing(new_bodies)
        done: dict = {}  # shared: a tag's articles are substituted once, not once per page of its list
        page_routes = [replace(r, context=substitute(r.context, swap, done)) if n in changed else r
                       for n, r in enumerate(self.routes)]
        self.bodies.maps[0].update(new_bodies)
        return _Published(self.settings, site, page_routes, self.bodies, self.links,
                          replace(self.context, site=site), self.index, earlier=self)

    def showing(self, sources: Iterable[str]) -> set[int]:
        """The numbers of the routes whose context holds any of these sources."""
        return set().union(*(self._holders.get(source, ()) for source in sources))

    def plan_routes(self) -> dict[int, Route]:
        """The plans' routes made again, by their numbers."""
        fresh = {r.file: r for r in routes.plan_routes(self.site, self.settings.today)}
        return {n: fresh[r.file] for n, r in enumerate(self.routes) if r.file in fresh}

    def places_text(self, number: int) -> bool:
        """Whether the route's templates place a body's text (the body() or headings() helper)."""
        return bool(_TEXT_HELPERS & self._names_used(self.routes[number].template))

    def _names_used(self, template: str) -> frozenset[str]:
        names = self._names.get(template)
        if names is None:
            try:
                names = frozenset().union(*(_names(self.env.loader.get_source(self.env, name)[0])
                                            for name in template_closure(self.env, template)))
            except jinja2.TemplateError:  # a template that does not parse: assume it places the text
                names = _TEXT_HELPERS
            self._names[template] = names
        return names

    def render(self, number: int) -> bytes:
        try:
            return render_route(self.env, self.routes[number]).encode("utf-8")
        except TemplateProblem:
            raise _NeedsBuild from None  # the build reports it with the template's line


_TEXT_HELPERS = frozenset({"body", "headings"})


@functools.lru_cache(maxsize=128)
def _names(source: str) -> frozenset[str]:
    """Every name a template's text reads: the helpers it calls among them. A local variable of the
    same name counts too, which can only make a page be rendered again when it need not be."""
    return frozenset(node.name for node in _PARSER.parse(source).find_all(nodes.Name))


_PARSER = jinja2.Environment()  # parses only: the site's filters and options play no part in which names are read


class Saves:
    """The files saved under the sources, in batches, from a thread started at once: started before
    the first build, it catches what an author saves while that build runs."""

    def __init__(self, settings: BuildSettings):
        self._stop = threading.Event()
        self._batches: queue.Queue[list[Path]] = queue.Queue()

        def run() -> None:
            for paths in saved_batches(settings, self._stop):
                self._batches.put(paths)

        self._thread = threading.Thread(target=run, name="awareness-watch", daemon=True)
        self._thread.start()

    def next(self, timeout: float) -> list[Path] | None:
        """The next batch (with any that came after it, as one), or None after `timeout` seconds."""
        try:
            paths = self._batches.get(timeout=timeout)
        except queue.Empty:
            return None
        while not self._batches.empty():
            paths += self._batches.get_nowait()
        return paths

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def watch(watcher: Watcher, saves: Saves, report: Callable[[Update | BuildFailed | str], None]) -> None:
    """Apply each batch of saves until Ctrl-C. Nothing a save does ends the watch: a failed build is
    reported and the next save builds again."""
    try:
        while True:
            paths = saves.next(timeout=0.2)
            try:
                if paths is not None:
                    report(watcher.apply(paths))
                elif (update := watcher.tick()) is not None:
                    report(update)
            except BuildFailed as failed:
                report(failed)
            except BuildLocked as locked:
                report(f"không cập nhật được: {locked}; lần lưu sau sẽ thử lại")
                watcher.forget()
            except Exception as error:  # noqa: BLE001 - the watch outlives any one update
                report(f"lỗi không mong đợi khi cập nhật: {type(error).__name__}: {error}; lần lưu sau sẽ "
                       "dựng lại toàn bộ")
                watcher.forget()
    except KeyboardInterrupt:
        pass  # Ctrl-C: what the last update wrote is complete (each file and the manifest atomically)
    finally:
        saves.close()
