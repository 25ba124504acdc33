"""A build's rendered bodies (generator/incremental/bodies.py): a mapping like a dict of every body, whichever
of them were rendered now and whichever are still in the cache."""

from __future__ import annotations

from conftest import article

from generator.content.load import load_site
from generator.incremental.bodies import render_bodies
from generator.machinery import serial_map
from generator.problems import Problems
from generator.site.links import link_context
from generator.site.search import body_terms

BODY = "## Mục một\n\nNước sạch cho [mọi người](b.md) và ![ảnh](../anh/a.svg).\n"


def _bodies(site):
    problems = Problems(root=site.root)
    loaded = load_site(site.content, problems, published_by=site.settings().today)
    bodies = render_bodies(loaded, link_context(loaded, "https://example.org/"), site.root / ".cache", problems,
                           serial_map)
    return loaded, bodies, bodies.cache_keys


def test_bodies_read_from_the_cache_are_the_bodies_rendered(make_site):
    site = make_site({"bai-viet/a.md": article("Bài A", body=BODY), "bai-viet/b.md": article("Bài B"),
                      "anh/a.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'})
    loaded, rendered, keys = _bodies(site)  # a cold cache: every body rendered now, held in memory
    _, cached, again = _bodies(site)  # every body in the cache, read when asked for
    assert again == keys == cached.cache_keys
    sources = {item.source.path.as_posix() for item in (*loaded.articles, *loaded.pages)}
    assert set(cached.keys()) == set(cached) == sources and len(cached) == len(sources)
    assert "bai-viet/a.md" in cached and "bai-viet/khong-co.md" not in cached
    assert dict(cached.items()) == dict(rendered.items())
    assert cached.terms(sorted(sources)) == {source: body_terms(rendered[source]) for source in sorted(sources)}
    cached.close()
