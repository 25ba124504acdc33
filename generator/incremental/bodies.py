"""The rendered Markdown of one build, by source path, read from the body cache only when needed.

The bodies this build rendered are held in memory; the others stay in the cache (cache.BodyCache)
until a page that shows one is rendered, or the search index asks for every article's terms: a
one-edit build renders a handful of pages and should not decode every body. Each process (the
parent, a forked worker) reads with its own connection and keeps what it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content.model import Site
from generator.incremental.cache import BodyCache
from generator.markdown import sanitize
from generator.markdown.render import LinkContext, RenderedBody, render_body
from generator.problems import Problems
from generator.site.search import body_terms

Source = tuple[str, str, int]  # (content-relative path, Markdown, the body's first line): one body to render
# task(shared, item) for every item, in order; the int: items below which a worker does not pay (Machinery.map)
MapItems = Callable[[Callable[[Any, Any], Any], Any, Sequence[Any], int], Iterator[Any]]
BODIES_PER_WORKER = 40


class BuildBodies(Mapping[str, RenderedBody]):
    """source path → RenderedBody, for every article and page of the site.

    `render` makes a body again when its cached row cannot be read (damaged since the build
    started reading the cache): the page then shows what a clean build would.
    """

    def __init__(self, keys: Mapping[str, str], rendered: Mapping[str, tuple[RenderedBody, str]], cache: BodyCache,
                 sources: Mapping[str, Source], links: LinkContext):
        self.cache_keys = dict(keys)  # source → the body's cache key, which names everything its HTML is made from
        self._held = {source: body for source, (body, _terms) in rendered.items()}
        self._terms = {source: terms for source, (_body, terms) in rendered.items()}
        self._cache = cache
        self._sources, self._links = sources, links

    def _render(self, source: str) -> RenderedBody:
        return render_source(self._links, self._sources[source])[0]

    def __reduce__(self):
        """A spawned worker is sent every body (it has no connection to the cache)."""
        return dict, (dict(self.items()),)

    def __getitem__(self, source: str) -> RenderedBody:
        body = self._held.get(source)
        if body is None:
            key = self.cache_keys[source]  # KeyError for a source the site does not have, as a dict would
            body = self._cache.fetch(key) or self._render(source)
            self._held[source] = body
        return body

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache_keys)

    def __len__(self) -> int:
        return len(self.cache_keys)

    def __contains__(self, source: object) -> bool:
        return source in self.cache_keys

    def close(self) -> None:
        """The build is over: release the cache's file (those read stay readable)."""
        self._cache.close()

    def terms(self, sources: list[str]) -> dict[str, str]:
        """The search terms of each source's body: those not in memory are read in one pass over
        the cache's terms column (a few MB at 2000 articles), not body by body."""
        stored = self._cache.terms([self.cache_keys[s] for s in sources if s not in self._terms])
        found = {}
        for source in sources:
            terms = self._terms.get(source, stored.get(self.cache_keys[source]))
            found[source] = terms if terms is not None else body_terms(self[source])
        return found


def render_source(links: LinkContext, source: Source) -> tuple[RenderedBody, str]:
    """One body rendered, with its search terms (so that the workers and the cache carry their
    cost); module-level, so that a spawned worker can be handed it."""
    path, markdown, first_line = source
    body = render_body(markdown, PurePosixPath(path), first_line, links)
    return body, body_terms(body)


def render_bodies(site: Site, links: LinkContext, cache_dir: Path | None, problems: Problems,
                  map_items: MapItems) -> BuildBodies:
    """Every article's and page's Markdown as HTML: rendered (by `map_items`, across cores) when the
    cache does not hold it, else left in the cache until a page needs it; with each body's cache key,
    which names everything its HTML is made from (page keys use it). Every body's problems are
    reported, from the cache or from rendering."""
    cache = BodyCache(cache_dir, BodyCache.context(links.base_path, links.urls, sorted(links.sizes.items()),
                                                   sanitize.POLICY_ID, links.iframe_hosts,
                                                   repr(sorted(links.images.items()))))
    sources = {item.source.path.as_posix(): (item.source.path.as_posix(), item.body, item.source.body_line)
               for item in (*site.articles, *site.pages)}
    keys = {path: cache.key(path, markdown, line) for path, markdown, line in sources.values()}
    found = dict(zip(sources, cache.problems(list(keys.values())), strict=True))
    missing = [path for path, stored in found.items() if stored is None]
    rendered = {}
    for path, (body, terms) in zip(missing, map_items(render_source, links, [sources[p] for p in missing],
                                                      BODIES_PER_WORKER), strict=True):
        rendered[path] = body, terms
        found[path] = body.problems
        cache.put(keys[path], body, terms)
    cache.save()
    for reported in found.values():
        for problem in reported:
            problems.add_relative(site.content_dir, problem)
    return BuildBodies(keys, rendered, cache, sources, links)
