"""`awareness serve`'s front-end of the live-rebuild engine (engine.py): the preview's site kept in
memory between saves, and only the pages a change touches rendered again, into the preview's own folder.

A change is reduced to its kind (changes.py), as Zola's `rebuild` does: content (a Markdown or static
file), template, asset or data. Data changes rebuild everything. An edit that keeps an item's place is
swapped by the engine into the routes that show it; a new, deleted or moved item routes the whole site
again in memory (drafts included), and the routes whose inputs differ from what was last rendered are
rendered: an edited article reaches its page, the lists, feeds and related news that show it.

Problems are kept per source, so saving a fix clears exactly that file's problems; while a file is
broken, its last good version stays on the pages. Nothing here serves or watches: see serve.py.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.content.load import load_site
from generator.content.model import Article, Page, Site
from generator.imageproc.report import image_problems
from generator.imageproc.store import ProcessedImages, is_raster, process_images
from generator.incremental.parallel import Workers
from generator.live.changes import ChangeKind, absolute, classify, link_targets
from generator.live.engine import LiveSite, Saved
from generator.markdown.render import RenderedBody, render_body
from generator.output import write
from generator.problems import Problem, Problems
from generator.rendering.templates import RenderContext, TemplateProblem, make_environment
from generator.settings import BuildSettings
from generator.site import routes
from generator.site.links import content_urls, link_context
from generator.site.routes import Route

Announce = Callable[[tuple[str, ...]], None]


class _PlanInputChanged(Exception):
    """A plan's result entry was saved: the status it feeds is computed from the whole site."""


class _ImageReplaced(Exception):
    """A photo was saved over another: its new files have new names on every page and card showing it."""


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, and what the browser should reload."""

    written: tuple[str, ...]  # files of the build folder rendered or copied
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]  # every problem the site has now, not only the new ones
    reload: tuple[str, ...]  # site paths to reload ("/tin-tuc/", a stylesheet's is swapped in place); "*": all
    seconds: float

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class _ContentUpdate:
    """What saved content files did to the site in memory."""

    copied: list[str]  # static files written
    changed: list[Route]  # routes whose context changed, to render
    gone: list[Route]  # routes whose page no longer exists
    relinked: set[str]  # sources whose bodies were rendered again because a link target came, went or moved
    own: frozenset[str]  # the saved files' own URLs, rendered first


class Preview:
    """The site of the preview server, kept in memory; settings.output is the preview's own folder."""

    def __init__(self, settings: BuildSettings):
        write.check_output_target(settings.output, [settings.content, settings.templates, settings.assets],
                                  settings.project)
        self.settings = settings
        self.out = settings.output
        self.rebuilds = 0
        self.live: LiveSite | None = None
        self.assets: dict[str, str] = {}
        self.failed: set[str] = set()  # route files whose last render failed: always rendered again
        # by where they come from: a file's path (loading), "body:<source>", "render:<file>", "urls", "data"
        self._problems: dict[str, tuple[Problem, ...]] = {}
        self.images = ProcessedImages({}, {})  # kept between saves: a photo is processed once
        self.image_sets: dict = {}  # the render context's view of self.images, updated in place

    @property
    def site(self) -> Site | None:
        return self.live.site if self.live is not None else None

    @property
    def problems(self) -> tuple[Problem, ...]:
        seen, unique = set(), []
        for problem in (p for group in self._problems.values() for p in group):
            if (problem.path, problem.line, problem.severity) not in seen:  # a template error repeats per page
                seen.add((problem.path, problem.line, problem.severity))
                unique.append(problem)
        return tuple(sorted(unique, key=lambda p: (p.path, p.line or 0)))

    # --- the whole site ---------------------------------------------------------------------------

    def full(self) -> Outcome:
        """Load and render everything (the first build, and after a change of the data files)."""
        started = time.perf_counter()
        self.rebuilds += 1
        collector = Problems(root=self.settings.project)
        site = load_site(self.settings.content, collector, include_drafts=True)
        if site is None:  # data files too broken to go on: keep the last good site on screen
            self._problems = {"data": tuple(collector.items)}
            return self._outcome(started, [], [], ("*",))
        if self.live is None:
            self._clear_folder()
        previous = set(self.live.routes) if self.live is not None else set()
        self._problems = {}
        for problem in collector.items:
            self._problems[problem.path] = (*self._problems.get(problem.path, ()), problem)
        self.assets = {p.relative_to(self.settings.assets).as_posix(): "assets/" + p.relative_to(
            self.settings.assets).as_posix() for p in _files(self.settings.assets)}
        bodies: dict[str, RenderedBody] = {}
        context = RenderContext(site, self._base_url(), self.assets, bodies, self.settings.today, True,
                                images=self.image_sets)
        self.live = LiveSite(self.settings, site, bodies, make_environment(self.settings.templates, context),
                             drafts_move=False)  # drafts are shown: a draft is where its article would be
        self._check_urls()
        self._process_images([f.as_posix() for f in site.static_files], replace_all=True)
        bodies.update(self._render_bodies([*site.articles, *site.pages]))
        self.failed = set()
        written = [*self._copy_static(site.static_files), *self._copy_assets(self.assets)]
        changed, _gone = self.live.set_routes(self.live.all_routes())
        written += self._render_routes(changed, [])[0]
        removed = sorted(previous - set(self.live.routes))
        for file in removed:  # pages that a data change took away (a campaign, an office)
            (self.out / file).unlink(missing_ok=True)
        outcome = self._outcome(started, written, removed, ("*",))
        self.live.warm()  # after the outcome is timed: the first save does not read the templates' names
        return outcome

    # --- one batch of changed files ---------------------------------------------------------------

    def apply(self, paths: Iterable[Path], early: Announce | None = None) -> Outcome:
        """Bring the preview up to date after `paths` changed (a debounced batch of saves).

        `early`, if given, is told the site paths of the saved files' own pages as soon as they are written.
        """
        paths = sorted({absolute(p) for p in paths})
        kinds = {p: classify(p, self.settings) for p in paths}
        if self.live is None or ChangeKind.DATA in kinds.values() or any(map(self._is_folder, paths)):
            return self.full()  # a folder moved or removed reports itself, not the files it held
        started = time.perf_counter()
        self.rebuilds += 1
        written, removed = [], []
        templates = {p.relative_to(self.settings.templates).as_posix()
                     for p, k in kinds.items() if k is ChangeKind.TEMPLATE}
        if templates:
            self.live.templates_changed()  # includes may have changed too
        assets = [p for p, k in kinds.items() if k is ChangeKind.ASSET]
        written += self._update_assets(assets, removed)
        content = [p for p, k in kinds.items() if k is ChangeKind.CONTENT]
        update = _ContentUpdate([], [], [], set(), frozenset())
        if content:
            try:
                update = self._update_content(content, removed)
            except (_PlanInputChanged, _ImageReplaced):  # the plan's status pages, or a photo's pages
                self.rebuilds -= 1
                return self.full()
            written += update.copied
        reload: tuple[str, ...] = tuple("/" + f for f in update.copied)  # an image: swapped in place where it can be
        if content or templates:
            dirty = self._dirty(update.changed, templates, update.relinked)
            pages, urls = self._render_routes(dirty, update.gone, removed, update.own, early)
            written += pages
            reload += tuple(urls)
        if assets:
            swap_css = not removed and all(p.suffix == ".css" for p in assets)
            reload = ("*",) if not swap_css else (*reload, *(
                "/" + self.assets[p.relative_to(self.settings.assets).as_posix()] for p in assets))
        outcome = self._outcome(started, written, removed, reload)
        self.live.index()  # after the outcome is timed: ready for the next save
        return outcome

    def _update_content(self, paths: list[Path], removed: list[str]) -> _ContentUpdate:
        """Reload the changed files into the site in memory."""
        live = self.live
        site, content = live.site, self.settings.content
        items = live.items()
        static = set(site.static_files)
        written: list[str] = []
        loaded: list[Saved] = []
        for path in paths:
            relative = path.relative_to(content)
            source = relative.as_posix()
            if path.suffix != ".md":
                written += self._update_static(path, relative, static, removed)
                continue
            if source in {r.source.path.as_posix() for r in site.results}:
                raise _PlanInputChanged(source)
            shown = Problems(root=self.settings.project).shown(path)
            if not path.is_file():
                items.pop(source, None)
                live.bodies.pop(source, None)
                self._problems.pop(shown, None)
                self._problems.pop(f"body:{source}", None)
                continue
            saved = live.load_saved(path)
            self._problems[shown] = saved.problems
            if saved.new is not None and not isinstance(saved.new, (Article, Page)):
                raise _PlanInputChanged(source)
            if saved.new is not None:  # else the last good version stays on the pages
                items[source] = saved.new
                loaded.append(saved)
        own = frozenset(routes.url_of(s.new) for s in loaded)
        structural = items.keys() != live.items().keys() or static != set(site.static_files) or \
            not all(map(live.keeps_place, loaded))
        if not structural:  # only kept-place edits, or broken files whose last good versions stay
            changed = live.swap(loaded, self._render_bodies([s.new for s in loaded]))
            return _ContentUpdate(written, changed, [], set(), own)
        # URLs, dates, tags or the set of files changed: link and route everything again
        live.set_items(items.values(), static)
        live.bodies.update(self._render_bodies([s.new for s in loaded]))
        self._check_urls()
        relinked = self._relink(content_urls(site), content_urls(live.site))
        changed, gone = live.set_routes(live.all_routes())
        return _ContentUpdate(written, changed, gone, relinked, own)

    def _update_static(self, path: Path, relative: Path, static: set[Path], removed: list[str]) -> list[str]:
        """A saved file that is not Markdown: copied, or its processed image files written."""
        source = relative.as_posix()
        if path.is_file() and is_raster(source) and self._process_images([source]):
            raise _ImageReplaced(source)
        if path.is_file():
            static.add(relative)
            return self._copy_static([relative])
        if source in self.images.images:  # deleted: its files go, its pages and cards change
            for published, _ in self.images.files([source]):
                (self.out / published).unlink(missing_ok=True)
            raise _ImageReplaced(source)
        if relative in static:
            static.discard(relative)
            removed.append(source)
            (self.out / relative).unlink(missing_ok=True)
        return []

    # --- rendering ------------------------------------------------------------------------------

    def _check_urls(self) -> None:
        collector = Problems(root=self.settings.project)
        routes.check_unique_urls(self.live.site, collector)
        self._problems["urls"] = tuple(collector.items)

    def _render_bodies(self, items: Iterable[Article | Page]) -> dict[str, RenderedBody]:
        """The items' bodies rendered, their problems kept by source."""
        items = list(items)
        if not items:
            return {}
        links = link_context(self.live.site, self._base_url(), self.images)  # the preview is served at its root
        bodies = {}
        for item in items:
            source = item.source.path.as_posix()
            body = render_body(item.body, PurePosixPath(source), item.source.body_line, links)
            bodies[source] = body
            collector = Problems(root=self.settings.project)
            for problem in body.problems:
                collector.add_relative(self.settings.content, problem)
            self._problems[f"body:{source}"] = tuple(collector.items)
        return bodies

    def _relink(self, old: dict[str, str], new: dict[str, str]) -> set[str]:
        """Render again the bodies whose links point at a file that appeared, vanished or moved."""
        moved = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        if not moved:
            return set()
        bodies = self.live.bodies
        stale = [i for s, i in self.live.items().items() if link_targets(s, bodies.get(s)) & moved]
        before = {i.source.path.as_posix(): bodies.get(i.source.path.as_posix()) for i in stale}
        bodies.update(self._render_bodies(stale))
        return {s for s, body in before.items() if bodies.get(s) != body}

    def _dirty(self, changed: list[Route], templates: set[str], relinked: set[str]) -> list[Route]:
        """The routes to render: those whose context changed, those that failed last time, those using a
        saved template and those showing a body rendered again, in the site's order."""
        live = self.live
        files = {r.file for r in changed} | self.failed | live.showing(relinked)
        if templates:
            files |= {f for f, r in live.routes.items() if live.templates_of(r.template) & templates}
        return [r for f, r in live.routes.items() if f in files]

    def _render_routes(self, dirty: list[Route], gone: list[Route], removed: list[str] | None = None,
                       first: frozenset[str] = frozenset(), early: Announce | None = None) \
            -> tuple[list[str], list[str]]:
        """Render `dirty` and delete the pages of `gone`: the files written and the site paths to reload.

        The saved files' own pages (`first`) are rendered first and announced through `early`, so the
        author's page reloads before the long lists that also show it are done.
        """
        head, tail = [r for r in dirty if r.url in first], [r for r in dirty if r.url not in first]
        written = [r for r in head if self._render(r)]
        if early and written:
            early(tuple("/" + r.url for r in written))
        late = [r for r in tail if self._render(r)]
        reload = ["/" + r.url for r in (late if early else written + late)] + ["/" + r.url for r in gone]
        for route in gone:
            self.failed.discard(route.file)
            self._problems.pop(f"render:{route.file}", None)
            (self.out / route.file).unlink(missing_ok=True)
            if removed is not None:
                removed.append(route.file)
        return [r.file for r in written + late], reload

    def _render(self, route: Route) -> bool:
        try:
            html = self.live.render(route)
        except TemplateProblem as error:  # keep the page's last good version
            self.failed.add(route.file)
            self._problems[f"render:{route.file}"] = (error.problem,)
            return False
        self.failed.discard(route.file)
        self._problems.pop(f"render:{route.file}", None)
        write.replace_file(self.out / route.file, html.encode("utf-8"))
        return True

    def render_page(self, route: Route) -> str:
        """A page the preview serves without writing it (the reviewers' page); TemplateProblem on error."""
        return self.live.render(route)

    # --- files ---------------------------------------------------------------------------------

    def _copy_static(self, files: Iterable[Path]) -> list[str]:
        copied = []
        for relative in files:
            processed = self.images.images.get(Path(relative).as_posix())
            if processed is not None:  # its processed files, never the original with its GPS position
                copied += self._write_image(Path(relative).as_posix())
                continue
            write.replace_file(self.out / relative, (self.settings.content / relative).read_bytes())
            copied.append(Path(relative).as_posix())
        return copied

    def _process_images(self, sources: list[str], replace_all: bool = False) -> bool:
        """Process the raster images among `sources` (each only once while its bytes stay the same);
        True when one of them was already shown with other files."""
        # across cores, as the build does: the preview's first load may meet a folder of phone photos
        found = process_images(self.settings.content, sources, self.settings.cache, Workers(self.settings.workers).map,
                               previous=self.images)
        replaced = any(self.images.images.get(s) not in (None, found.images.get(s)) for s in found.keys)
        self.images = found if replace_all else self.images.merged(found)
        self.image_sets.clear()
        self.image_sets.update(self.images.images)
        collector = Problems(root=self.settings.project)
        for problem in image_problems(self.site, self.images.faults):
            collector.add_relative(self.settings.content, problem)
        self._problems["images"] = tuple(collector.items)
        return replaced

    def _write_image(self, source: str) -> list[str]:
        written = []
        for path, data in self.images.files([source]):
            write.replace_file(self.out / path, data)
            written.append(path)
        return written

    def _copy_assets(self, names: dict[str, str]) -> list[str]:
        for logical, published in names.items():
            write.replace_file(self.out / published, (self.settings.assets / logical).read_bytes())
        return list(names.values())

    def _update_assets(self, paths: list[Path], removed: list[str]) -> list[str]:
        """Assets keep their plain names in preview, so a stylesheet can be swapped without a page reload."""
        written = []
        for path in paths:
            logical = path.relative_to(self.settings.assets).as_posix()
            if path.is_file():
                self.assets[logical] = f"assets/{logical}"
                written += self._copy_assets({logical: self.assets[logical]})
            elif logical in self.assets:
                (self.out / self.assets.pop(logical)).unlink(missing_ok=True)
                removed.append(f"assets/{logical}")
        return written

    def _clear_folder(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for child in self.out.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        (self.out / write.MARKER).write_text("built by awareness serve\n", encoding="utf-8")

    def _base_url(self) -> str:
        return self.settings.base_url or "http://127.0.0.1/"

    def _is_folder(self, path: Path) -> bool:
        if path.is_dir():
            return True
        try:
            prefix = path.relative_to(self.settings.content).as_posix() + "/"
        except ValueError:
            return False
        live = self.live
        known = (*live.bodies, *(f.as_posix() for f in live.site.static_files)) if live is not None else ()
        return any(source.startswith(prefix) for source in known)

    def _outcome(self, started: float, written: list[str], removed: list[str], reload: tuple[str, ...]) -> Outcome:
        return Outcome(tuple(written), tuple(removed), self.problems, reload, time.perf_counter() - started)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")) \
        if folder.is_dir() else []
