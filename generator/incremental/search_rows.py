"""The search index kept between builds: its bytes while nothing it is made of changed, else each
article's row (and each static page's text) from the rows of the last build when its fields did not
change, so that one edit reads one body whole. The rows are site/search.py's; only keeping them is here.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from generator.content.model import Article, Site
from generator.incremental.bodies import BuildBodies
from generator.incremental.cache import DerivedRows, DerivedText, code_digest
from generator.site import routes
from generator.site.search import SearchIndex
from generator.site.search_entries import body_texts, search_entries


def index_data(site: Site, bodies: BuildBodies, today: date, cache_dir: Path | None = None) -> bytes:
    """The index's bytes (written to INDEX_PATH by the build).

    Building the index reads every article's terms, so it is kept in the cache with the digest of what it is made of and
    reused while none of that changed; when something did, the rows of the articles that did not are
    taken from the cache too, and only the new rows' bodies are read whole. The other pages' entries
    are few and made again whenever the index is; the digest names them by what they are made of.
    `today`: the build's date.
    """
    stored = DerivedText(cache_dir, "search-index.json")
    keys = _row_keys(site, bodies)
    named = search_entries(site, bodies.cache_keys.__getitem__, today)  # what the entries are made of
    key = hashlib.sha256("\0".join([*keys, *map(repr, named)]).encode()).hexdigest()
    data = stored.get_data(key)
    if data is None:
        data = search_index(site, bodies, today, cache_dir, keys).data()
        stored.put_data(key, data)
    return data


def search_index(site: Site, bodies: BuildBodies, today: date, cache_dir: Path | None = None,
                 keys: list[str] | None = None) -> SearchIndex:
    """The index as rows (index_data writes it; build --watch keeps it to replace rows), each row's
    fields taken from the cache's rows when its key is there, and so are the static pages' texts.
    `keys`: _row_keys(), when known."""
    keys = keys or _row_keys(site, bodies)
    rows = DerivedRows(cache_dir, "search-rows.pickle")
    known = rows.load()
    text_keys = {page.source.path.as_posix(): _text_key(bodies.cache_keys[page.source.path.as_posix()])
                 for page in site.pages}

    def page_text(source: str) -> str:
        """A page's text from the cache's rows: after an article's edit, no page's body is read whole."""
        key = text_keys[source]
        if key not in known:
            known[key] = body_texts(bodies)(source)
        return known[key]

    entries = search_entries(site, page_text, today)
    body_terms = bodies.terms([article.source.path.as_posix() for article in site.articles])
    index = SearchIndex(site, bodies, body_terms, known, keys, entries)
    rows.save({k: known[k] for k in [*keys, *text_keys.values()]})  # only this build's: the file does not grow
    return index


def _text_key(body: str) -> str:
    """The rows' key of a static page's text: `body` (its body's cache key) names it."""
    return hashlib.sha256(f"page text\0{body}".encode()).hexdigest()


def _row_keys(site: Site, bodies: BuildBodies) -> list[str]:
    return [_row_key(site, article, bodies.cache_keys[article.source.path.as_posix()]) for article in site.articles]


def _row_key(site: Site, article: Article, body: str) -> str:
    """A digest of everything an article's row is made from: URL, title, date, office, campaign,
    summary and `body`, which names its body's text (the body's cache key, which names the Markdown
    and all the text is made from), with the code that writes them."""
    office, campaign = site.department(article.department), site.campaign(article.campaign)
    fields = (code_digest(), routes.article_url(article), article.title, article.published.isoformat(),
              office.short_name, campaign.name_vi, article.summary, body)
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()

