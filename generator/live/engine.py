"""The one live-rebuild engine behind `awareness serve` and `awareness build --watch`.

It owns a site kept in memory between saves: the Site, the rendered bodies, the routes by the file
each one renders, the template environment, and ONE index of which routes show each source file.
A saved Markdown file is loaded again (load_saved). When it keeps its place (its routing key), the
new item is swapped into the site and into the routes that hold it (swap), and only those routes
are rendered again; an edit of the text alone, only where a template places the text.

What a front-end does with the rest is its own policy:
- the preview (rebuild.py): drafts shown, its own folder, a broken file's last good version kept,
  and a change of place handled here in memory by routing the whole site again (set_routes);
- the publisher (watch.py): output/ written atomically with the manifest and the changes list,
  and anything that is not a kept-place edit handed to an ordinary build.

The build pipeline is called from one place only, the two functions at the end of this module.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from generator.content.identity import current_base_url
from generator.content.load import load_item, load_site
from generator.content.model import Article, Page, Site
from generator.incremental import search_rows
from generator.incremental.doccache import DocumentCache
from generator.incremental.fingerprint import template_closure
from generator.incremental.machinery import Incremental
from generator.incremental.template_reads import reads
from generator.live.changes import routing_key, sources_in, substitute
from generator.markdown.render import LinkContext, RenderedBody
from generator.output import assets
from generator.pipeline import build
from generator.problems import BuildFailed, Problem, Problems
from generator.rendering.templates import RenderContext, make_environment, render_route
from generator.settings import BuildResult, BuildSettings
from generator.site import routes, search
from generator.site.links import checked_base_url, link_context
from generator.site.routes import Route

Item = Article | Page


@dataclass(frozen=True)
class Saved:
    """A saved Markdown file as it is now: `new` is None when it was deleted or is too broken to load;
    `new` may be another kind of item than an article or a page (a plan's result entry)."""

    source: str  # content-relative path
    old: Item | None  # the version the site in memory holds
    new: object | None
    problems: tuple[Problem, ...]


class LiveSite:
    """A site in memory and what each of its routes shows; a save changes it in place."""

    def __init__(self, settings: BuildSettings, site: Site, bodies: MutableMapping[str, RenderedBody],
                 env: jinja2.Environment, drafts_move: bool):
        """`bodies`: the mapping the environment's render context reads. `drafts_move`: whether a draft
        that becomes an article (or back) moves, as in a published site, which leaves drafts out."""
        self.settings, self.site, self.bodies, self.env = settings, site, bodies, env
        self.drafts_move = drafts_move
        self.routes: dict[str, Route] = {}
        self._holders: dict[str, set[str]] | None = None  # source → files of the routes that show it
        self._closure: dict[str, frozenset[str]] = {}  # template → it and what it extends, includes, imports
        self._names: dict[str, frozenset[str]] = {}  # template → the names its closure reads
        self._plans_place_text: bool | None = None

    # --- the site and its routes ------------------------------------------------------------------

    def set_site(self, site: Site) -> None:
        self.site = site
        self.env.globals["site"] = site  # the templates that read the site itself (the plans)

    def set_items(self, items: Iterable[Item], static: Iterable[Path]) -> None:
        """The site with these articles, pages and static files, in the order load_site gives them."""
        items = list(items)
        articles = sorted((i for i in items if isinstance(i, Article)), key=lambda a: (a.published, a.slug),
                          reverse=True)
        pages = sorted((i for i in items if isinstance(i, Page)), key=lambda p: (p.order, p.slug))
        self.set_site(replace(self.site, articles=tuple(articles), pages=tuple(pages),
                              static_files=tuple(sorted(static))))

    def all_routes(self) -> list[Route]:
        """Every route of the site in memory, the sitemap last (it lists the others)."""
        page_routes = list(routes.build_routes(self.site, self.settings.today))
        return [*page_routes, routes.sitemap_route(page_routes)]

    def set_routes(self, new: Iterable[Route]) -> tuple[list[Route], list[Route]]:
        """Make `new` the routes: returns those that differ from the ones they replace (or are new),
        and the old routes whose files no longer have one."""
        fresh, changed = {}, []
        for route in new:
            old = self.routes.get(route.file)
            if old is None or (old is not route and old != route):
                changed.append(route)
            fresh[route.file] = route
        gone = [route for file, route in self.routes.items() if file not in fresh]
        self.routes = fresh
        self._holders, self._plans_place_text = None, None
        return changed, gone

    def showing(self, sources: Iterable[str]) -> set[str]:
        """The files of the routes whose context holds any of these sources."""
        if self._holders is None:
            holders: dict[str, set[str]] = {}
            for file, route in self.routes.items():  # the key: one string per route, however many hold it
                for source in sources_in(route.context):
                    holders.setdefault(source, set()).add(file)
            self._holders = holders
        return set().union(*(self._holders.get(source, ()) for source in sources))

    def index(self) -> None:
        """Build the index of what each route shows now, so that the next save does not wait for it."""
        self.showing(())

    def items(self) -> dict[str, Item]:
        return {i.source.path.as_posix(): i for i in (*self.site.articles, *self.site.pages)}

    # --- saves ------------------------------------------------------------------------------------

    def load_saved(self, path: Path) -> Saved:
        """What a saved Markdown file holds now, beside the version in memory."""
        source = path.relative_to(self.settings.content).as_posix()
        problems = Problems(root=self.settings.project)
        new = None
        if path.is_file():
            new = load_item(path, self.settings.content, self.site.campaigns,
                            [d.id for d in self.site.departments], problems)
        return Saved(source, self.items().get(source), new, tuple(problems.items))

    def keeps_place(self, saved: Saved) -> bool:
        """Whether the new version appears exactly where the old one did, so routes can be patched."""
        old, new = saved.old, saved.new
        return old is not None and type(new) is type(old) and self._place(new) == self._place(old)

    def _place(self, item: Item) -> tuple:
        if self.drafts_move and isinstance(item, Article):
            return (*routing_key(item), item.draft)
        return routing_key(item)

    def swap(self, saved: list[Saved], bodies: Mapping[str, RenderedBody]) -> list[Route]:
        """Put the new versions of `saved` (each keeping its place) into the site and into the routes
        that show them, with their new `bodies`; returns the routes to render again."""
        if not saved:
            return []
        swap = {id(s.old): s.new for s in saved}
        site = self.site
        self.set_site(replace(site, articles=tuple(swap.get(id(a), a) for a in site.articles),
                              pages=tuple(swap.get(id(p), p) for p in site.pages)))
        self.bodies.update(bodies)
        # An edit of the text alone shows only where the text is placed (the item's page, the feeds):
        # its cards, lists and related news are made of the fields it did not change.
        text_only = all(replace(s.new, body=s.old.body, source=s.old.source) == s.old for s in saved)
        done: dict = {}  # shared: a tag's articles are substituted once, not once per page of its list
        render = {}
        for file in self.showing(s.source for s in saved):
            old = self.routes[file]
            route = replace(old, context=substitute(old.context, swap, done))
            self.routes[file] = route  # what each route shows stays the same: the index holds
            if route != old:
                render[file] = route
        if not text_only or self._plans_place_text_now():
            render.update((r.file, r) for r in self._fresh_plans())
        return [r for r in render.values() if not text_only or self.places_text(r.template)]

    def _fresh_plans(self) -> list[Route]:
        """The plans' routes made again from the site: their reports hold the articles that answer them
        in objects that substitute() does not look into, and their templates read the site itself."""
        fresh = [r for r in routes.plan_routes(self.site, self.settings.today) if r.file in self.routes]
        self.routes.update((r.file, r) for r in fresh)
        return fresh

    def _plans_place_text_now(self) -> bool:
        if self._plans_place_text is None:
            planned = {r.file for r in routes.plan_routes(self.site, self.settings.today)}
            self._plans_place_text = any(self.places_text(r.template) for r in self.routes.values()
                                         if r.file in planned)
        return self._plans_place_text

    # --- templates --------------------------------------------------------------------------------

    def render(self, route: Route) -> str:
        """The route's page; TemplateProblem when a template fails."""
        return render_route(self.env, route)

    def templates_changed(self) -> None:
        """Forget what was read from the templates: an include may have come or gone."""
        self._closure, self._names, self._plans_place_text = {}, {}, None

    def templates_of(self, name: str) -> frozenset[str]:
        """The template and every template it extends, includes or imports."""
        if name not in self._closure:
            self._closure[name] = template_closure(self.env, name)
        return self._closure[name]

    def places_text(self, template: str) -> bool:
        """Whether the template places a body's text (calls the body() or headings() helper)."""
        return bool(_TEXT_HELPERS & self._names_used(template))

    def _names_used(self, template: str) -> frozenset[str]:
        names = self._names.get(template)
        if names is None:
            try:
                names = frozenset().union(*(reads(self.env.loader.get_source(self.env, name)[0]).names
                                            for name in self.templates_of(template)))
            except jinja2.TemplateError:  # a template that does not parse: assume it places the text
                names = _TEXT_HELPERS
            self._names[template] = names
        return names

    def warm(self) -> None:
        """Compile the routes' templates and read their names now, not on the first save."""
        for name in {route.template for route in self.routes.values()}:
            try:
                self.env.get_template(name)
            except jinja2.TemplateError:
                pass  # saved broken meanwhile: the next render reports it with its line
            self._names_used(name)
        self._plans_place_text_now()
        self.index()


_TEXT_HELPERS = frozenset({"body", "headings"})




# --- the build pipeline: the engine's only calls into it --------------------------------------------

@dataclass(frozen=True)
class Published:
    """The site the last ordinary build published, in memory, with what patching it needs besides."""

    live: LiveSite
    links: LinkContext  # how a body's links resolve in the published site
    index: search.SearchIndex


def published_site(settings: BuildSettings) -> Published:
    """The site the build just published, loaded again from its caches (nothing is rendered);
    BuildFailed when it cannot be loaded."""
    problems, machinery = Problems(root=settings.project), Incremental(settings)
    site = load_site(settings.content, problems, include_drafts=settings.drafts or settings.preview,
                     published_by=None if settings.preview else settings.today,
                     doc_cache=DocumentCache(settings.cache, machinery.files))
    if site is None:
        raise BuildFailed(problems.items)
    base_url = checked_base_url(settings.base_url
                                or current_base_url(site.identity, site.config.base_url, settings.today))
    # images and bodies from the caches the build just filled
    images = machinery.process_images(site, problems)
    built = machinery.render_bodies(site, link_context(site, base_url, images), problems)
    bodies = ChainMap({}, built)  # the build's bodies stay as they are: a save's go in front of them
    asset_names = assets.fingerprint(settings.assets) if settings.assets.is_dir() else {}
    context = RenderContext(site, base_url, asset_names, bodies, settings.today, settings.preview,
                            images=images.images)
    links = link_context(site, base_url, images)
    index = search_rows.search_index(site, built, settings.today, settings.cache)
    live = LiveSite(settings, site, bodies, make_environment(settings.templates, context), drafts_move=True)
    live.set_routes(live.all_routes())
    live.warm()
    return Published(live, links, index)


def ordinary_build(settings: BuildSettings) -> BuildResult:
    """The pipeline's whole build (BuildFailed, BuildLocked, … as it raises them)."""
    return build(settings)
