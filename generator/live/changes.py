"""What a change is and what it reaches, as pure functions the preview's rebuild is made of.

A changed file is reduced to a ChangeKind, as Zola's `rebuild` does. An edited Markdown file whose
routing key is unchanged can be patched into the routes that already show it (substitute), instead of
routing the whole site again; sources_in and link_targets tell which routes and bodies depend on which
source files.
"""

from __future__ import annotations

import operator
import os
import posixpath
from collections.abc import Iterator
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.content.load import DATA_DIR
from generator.content.model import Article, Page
from generator.markdown.render import RenderedBody
from generator.settings import BuildSettings
from generator.site import routes


class ChangeKind(Enum):
    CONTENT = "content"
    TEMPLATE = "template"
    ASSET = "asset"
    DATA = "data"


def classify(path: Path, settings: BuildSettings) -> ChangeKind | None:
    """What a changed file is to the site; None for files the site does not read (editor scratch files)."""
    path = absolute(path)
    for root, kind in ((settings.content / DATA_DIR, ChangeKind.DATA), (settings.content, ChangeKind.CONTENT),
                       (settings.templates, ChangeKind.TEMPLATE), (settings.assets, ChangeKind.ASSET)):
        if root in path.parents:
            parts = path.relative_to(root).parts
            hidden = any(p.startswith((".", "_")) for p in parts[:-1]) or parts[-1].startswith((".", "~", "#"))
            scratch = parts[-1].endswith(("~", ".swp", ".swx", ".tmp")) or parts[-1].isdigit()  # vim writes '4913'
            return None if hidden or scratch else kind
    return None


BATCH_QUIET_MS = 50  # an editor's writes of one save come closer together than this: one batch


def saved_batches(settings: BuildSettings, stop) -> Iterator[list[Path]]:
    """The files the site reads, in batches as they are saved under content/, templates/ and assets/,
    until `stop` (a threading.Event) is set or Ctrl-C (the preview server and build --watch)."""
    import watchfiles  # here: only the commands that watch need it

    roots = [p for p in (settings.content, settings.templates, settings.assets) if p.is_dir()]
    for batch in watchfiles.watch(*roots, step=BATCH_QUIET_MS, stop_event=stop, rust_timeout=500,
                                  raise_interrupt=False):
        paths = [Path(path) for _change, path in batch if classify(Path(path), settings)]
        if paths:
            yield paths


def absolute(path: Path) -> Path:
    """Absolute and normalised ('..' removed) without resolving links, as the watcher reports paths."""
    return Path(os.path.abspath(path))


def routing_key(item: Article | Page) -> tuple:
    """What decides where an item appears; an edit that keeps it lets routes be patched instead of rebuilt."""
    if isinstance(item, Page):
        return ("page", routes.page_url(item), item.order)
    return ("article", routes.article_url(item), item.published, item.campaign, item.department, item.tags)


def substitute(value: Any, swap: dict[int, Any], done: dict[int, tuple[Any, Any]] | None = None) -> Any:
    """`value` with every item in `swap` (keyed by the old item's id) replaced by its new version.

    `done`, shared by the calls for one set of routes, keeps what each tuple, page or tag became:
    a tag's articles are held by every page of the tag's list (at 10000 articles, thousands of
    items on each of hundreds of pages), and are gone through once instead of once per page.
    """
    if isinstance(value, (Article, Page)):
        return swap.get(id(value), value)
    if not isinstance(value, (tuple, routes.Pagination, routes.Tag)):
        return value
    if done is None:
        done = {}
    known = done.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    if isinstance(value, tuple):
        # A list page's tuple holds hundreds of items: an item is swapped here without a call each
        new = tuple(swap.get(id(v), v) if isinstance(v, (Article, Page)) else substitute(v, swap, done)
                    for v in value)
        result = value if all(map(operator.is_, new, value)) else new
    elif isinstance(value, routes.Pagination):
        items = substitute(value.items, swap, done)
        result = value if items is value.items else replace(value, items=items)
    else:
        articles = substitute(value.articles, swap, done)
        result = value if articles is value.articles else replace(value, articles=articles)
    done[id(value)] = (value, result)  # the value is held with its id, so the id cannot be reused meanwhile
    return result


def sources_in(value: Any) -> set[str]:
    if isinstance(value, (Article, Page)):
        return {value.source.path.as_posix()}
    if isinstance(value, tuple):
        return set().union(*(sources_in(v) for v in value)) if value else set()
    if isinstance(value, routes.Pagination):
        return sources_in(value.items)
    if isinstance(value, routes.Tag):
        return sources_in(value.articles)
    return set()


def link_targets(source: str, body: RenderedBody | None) -> set[str]:
    """Content paths a body links to, resolved the way markdown_render resolves them."""
    targets = set()
    for target, _line in body.links if body else ():
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("#", "/")) or not parts.path:
            continue
        targets.add(posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path))))
    return targets
