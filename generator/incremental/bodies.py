"""The rendered Markdown of one build, by source path, read from the body cache only when needed.

The bodies this build rendered are held in memory; the others stay in the cache (cache.BodyCache)
until a page that shows one is rendered, or the search index asks for every article's terms: a
one-edit build renders a handful of pages and should not decode every body. Each process (the
parent, a forked worker) reads with its own connection and keeps what it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from generator.incremental.cache import BodyCache
from generator.markdown.render import RenderedBody


class BuildBodies(Mapping[str, RenderedBody]):
    """source path → RenderedBody, for every article and page of the site.

    `render` makes a body again when its cached row cannot be read (damaged since the build
    started reading the cache): the page then shows what a clean build would.
    """

    def __init__(self, keys: Mapping[str, str], rendered: Mapping[str, RenderedBody], cache: BodyCache,
                 render: Callable[[str], RenderedBody]):
        self.cache_keys = dict(keys)  # source → the body's cache key, which names everything its HTML is made from
        self._held = dict(rendered)
        self._cache = cache
        self._render = render

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
        stored = self._cache.terms([self.cache_keys[s] for s in sources if s not in self._held])
        found = {}
        for source in sources:
            held = self._held.get(source)
            terms = held.terms if held is not None else stored.get(self.cache_keys[source])
            found[source] = terms if terms is not None else self[source].terms
        return found
