"""What a page's bytes depend on, as one hash per route: the key of the persistent page cache.

A page depends on its route (URL, template, context), the template and every template it
includes, imports or extends, the site-wide data every template may read (site.yaml,
campaigns, offices, base URL, today's date, preview mode, asset names) and the generator's
code. Articles in a context count by their digest: their fields, plus their rendered body (by
its Markdown cache key) when the page's templates show that item's body. article.html calls
body(article), so only its own article's text counts, not the neighbours' or related articles';
atom.xml calls body(a) on a loop variable, so every entry's text counts; listings of cards show
none. Editing an article's text thus re-renders its page and the feeds that carry it, and nothing
else. What a template shows is read from Jinja's parse tree (template_reads.py); a name passed to
body() that any template of the closure also assigns (with `set`, a loop, a macro's argument) may
be another item than the context's, so then every item's body counts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import jinja2

from generator.content.model import Article, Page
from generator.incremental.cache import DerivedText, code_digest
from generator.incremental.template_reads import reads
from generator.rendering.templates import RenderContext
from generator.site.routes import Route


def template_closure(env: jinja2.Environment, name: str) -> frozenset[str]:
    """The template and every template it extends, includes or imports; a name computed at render
    time could be any template, so then every one. A missing or broken template is left for the
    render to report with its line."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            referenced = reads(env.loader.get_source(env, current)[0]).templates
        except jinja2.TemplateError:
            continue
        if None in referenced:
            return frozenset(env.list_templates())
        todo += referenced
    return frozenset(seen)


class TemplateKeys:
    """One hash per template name covering it and everything it pulls in.

    Finding what a template includes means parsing it, so the keys are
    kept in the cache folder under the digest of the whole template folder (`folder_digest`) and
    reused by every build until a template changes; `save()` writes the ones this build computed.
    """

    def __init__(self, template_dir: Path, cache_dir: Path | None = None, folder_digest: str = ""):
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir))
        self.sources: dict[str, str] = {}
        self.keys: dict[str, tuple[str, frozenset[str] | None, bool]] = {}
        self._stored = DerivedText(cache_dir if folder_digest else None, "template-keys.json")
        self._digest = hashlib.sha256(f"{code_digest()}\0{folder_digest}".encode()).hexdigest()
        self._loaded = 0
        try:
            for name, (key, shown, everything) in json.loads(self._stored.get(self._digest) or "{}").items():
                self.keys[name] = (key, None if shown is None else frozenset(shown), everything)
            self._loaded = len(self.keys)
        except (ValueError, TypeError):
            self.keys = {}  # a damaged entry is computed again

    @property
    def stored(self) -> bool:
        """Whether the cache held this template folder's keys (a build has keyed these templates)."""
        return self._loaded > 0

    def save(self) -> None:
        if len(self.keys) > self._loaded:
            self._stored.put(self._digest, json.dumps(
                {name: (key, None if shown is None else sorted(shown), everything)
                 for name, (key, shown, everything) in self.keys.items()}))

    def key(self, name: str) -> tuple[str, frozenset[str] | None, bool]:
        """(hash, whose bodies it shows, reads the whole article list) for a template and its closure.

        Whose bodies: the context names passed to body()/headings() ("article" for article.html);
        None when it may show any item's body (a loop variable, as in atom.xml, or `.body`).
        """
        if name not in self.keys:
            names = sorted(self._closure(name))
            text = "\0".join(f"{n}\0{self._source(n)}" for n in names)
            shown, everything = self._reads([self._source(n) for n in names])
            self.keys[name] = (hashlib.sha256(text.encode()).hexdigest(), shown, everything)
        return self.keys[name]

    @staticmethod
    def _reads(sources: list[str]) -> tuple[frozenset[str] | None, bool]:
        """(whose bodies, reads every item) for a closure's templates; a template that does not
        parse may show anything (the render reports its error)."""
        try:
            found = [reads(source) for source in sources]
        except jinja2.TemplateSyntaxError:
            return None, True
        everything = any(r.all_items for r in found)
        if any(r.bodies is None for r in found):
            return None, everything
        shown = frozenset().union(*(r.bodies for r in found))
        bound = frozenset().union(*(r.bound for r in found))
        return (None if shown & bound else shown), everything

    def _closure(self, name: str) -> set[str]:
        return set(template_closure(self.env, name))

    def _source(self, name: str) -> str:
        if name not in self.sources:
            try:
                self.sources[name] = self.env.loader.get_source(self.env, name)[0]
            except jinja2.TemplateNotFound:
                self.sources[name] = ""  # rendering reports the missing template
        return self.sources[name]


class RouteKeys:
    """Cache keys for the routes of one build."""

    def __init__(self, ctx: RenderContext, templates: TemplateKeys, body_keys: dict[str, str], extra: str = ""):
        """`body_keys`: each body's Markdown cache key, which names everything its HTML is made from
        (hashing every body's HTML again would cost each build); `extra`: anything else every page
        depends on (the build passes a hash of content/_data/)."""
        self.ctx, self.templates, self.body_keys = ctx, templates, body_keys
        site = ctx.site
        # Every field of the build's context and of the site except the per-item ones, so a field
        # added later (a plan, a search setting) is covered without anyone remembering this line.
        # (the link checker's recorder only watches the rendering: it changes no page)
        shared = [(f.name, getattr(ctx, f.name)) for f in dataclasses.fields(ctx)
                  if f.name not in ("site", "bodies", "recorder")]
        # (drafts and scheduled articles held back are shown by no page: saving a draft renders nothing)
        shared += [(f.name, getattr(site, f.name)) for f in dataclasses.fields(site)
                   if f.name not in ("articles", "pages", "held_back")]
        self.site_key = _hash(repr((code_digest(), sorted(ctx.assets.items()), shared, extra)))
        self.meta: dict[int, str] = {}
        self.full: dict[int, str] = {}
        # other dataclasses (a campaign, a page of a list), which many routes share
        self.values: dict[tuple[int, bool], str] = {}
        self._fields: dict[int, str] = {}  # an item's fields but its body, as _item reads them
        self._all_articles: str | None = None

    def key(self, route: Route) -> str:
        template_key, shown, everything = self.templates.key(route.template)
        parts = [self.site_key, template_key, route.url, route.template]
        if everything:
            parts.append(self.all_articles())
        names = {name for name, _ in route.context}
        any_body = shown is None or bool(shown - names)  # a body shown through a name not in the context
        for name, value in route.context:
            bodies = any_body or name in shown
            parts.append(name)
            self._add(parts, value, bodies, self.full if bodies else self.meta)
        return _hash("\0".join(parts))

    def all_articles(self) -> str:
        if self._all_articles is None:
            site = self.ctx.site
            self._all_articles = _hash("\0".join(self._item(i, True) for i in (*site.articles, *site.pages)))
        return self._all_articles

    def _add(self, parts: list[str], value: Any, bodies: bool, digests: dict[int, str]) -> None:
        # A list's articles are taken without a call each, and plain values before the dataclass
        # test: keying every route walks tens of thousands of values.
        if isinstance(value, (Article, Page)):
            parts.append(digests.get(id(value)) or self._item(value, bodies))
        elif isinstance(value, (tuple, list)):
            parts.append(f"[{len(value)}")
            for item in value:
                if isinstance(item, (Article, Page)):
                    parts.append(digests.get(id(item)) or self._item(item, bodies))
                else:
                    self._add(parts, item, bodies, digests)
        elif isinstance(value, (str, int)) or value is None:
            parts.append(repr(value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Hashed once per build and object: the model is frozen, and every object outlives the build.
            memo = (id(value), bodies)
            if memo not in self.values:
                inner = [type(value).__name__]
                for f in dataclasses.fields(value):
                    self._add(inner, getattr(value, f.name), bodies, digests)
                self.values[memo] = _hash("\0".join(inner))
            parts.append(self.values[memo])
        else:
            parts.append(repr(value))

    def _item(self, item: Article | Page, with_body: bool) -> str:
        """An article's or page's digest; its rendered body counts only for templates that show it.
        Both digests are made from one reading of its fields, as most items are asked for both."""
        digests = self.full if with_body else self.meta
        if id(item) not in digests:
            # The Markdown source counts only through the rendered body, so a listing of cards
            # does not change when an article's text does.
            text = self._fields.get(id(item))
            if text is None:
                text = self._fields[id(item)] = repr([getattr(item, f.name) for f in dataclasses.fields(item)
                                                       if f.name != "body"])
            if with_body:
                text += "\0body " + self.body_keys[item.source.path.as_posix()]
            digests[id(item)] = _hash(text)
        return digests[id(item)]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
