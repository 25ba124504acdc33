"""What a page's bytes depend on, as one hash per route: the key of the persistent page cache.

A page depends on its route (URL, template, context), the template and every template it
includes, imports or extends, the site-wide data every template may read (site.yaml,
campaigns, offices, base URL, today's date, preview mode, asset names) and the generator's
code. Articles in a context count by their digest: their fields, plus their rendered body (by
its Markdown cache key) when the page's templates show that item's body. article.html calls
body(article), so only its own article's text counts, not the neighbours' or related articles';
atom.xml calls body(a) on a loop variable, so every entry's text counts; listings of cards show
none. Editing an article's text thus re-renders its page and the feeds that carry it, and nothing
else. (A template that binds a context name to another item with `set` and shows its body would
defeat this; none does.)
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from generator.content.model import Article, Page
from generator.incremental.cache import DerivedText, code_digest
from generator.rendering.templates import RenderContext
from generator.site.routes import Route

BODY_CALL = re.compile(r"\b(?:body|headings)\(\s*([^)]*?)\s*\)")
RAW_BODY = re.compile(r"\.body\b")
READS_ALL_ARTICLES = re.compile(r"\bsite\.(articles|pages)\b")


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
            referenced = _referenced(env.loader.get_source(env, current)[0])
        except jinja2.TemplateError:
            continue
        if None in referenced:
            return frozenset(env.list_templates())
        todo += referenced
    return frozenset(seen)


@functools.lru_cache(maxsize=512)
def _referenced(source: str) -> tuple[str | None, ...]:
    """The templates a template's text names. Parsing is the cost, and a build asks for the
    closure of each of its templates, which share their includes; keyed by the text, so an
    edited template is parsed again."""
    return tuple(meta.find_referenced_templates(_PARSER.parse(source)))


_PARSER = jinja2.Environment()  # the references do not depend on the rendering settings


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
            names = self._closure(name)
            text = "\0".join(f"{n}\0{self._source(n)}" for n in sorted(names))
            shown: frozenset[str] | None = frozenset(BODY_CALL.findall(text))
            if RAW_BODY.search(text):
                shown = None
            self.keys[name] = (hashlib.sha256(text.encode()).hexdigest(), shown,
                               bool(READS_ALL_ARTICLES.search(text)))
        return self.keys[name]

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
