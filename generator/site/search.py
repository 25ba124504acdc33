"""The search index: what the static search page (/tim-kiem/) searches, built once per build.

Readers type Vietnamese with or without marks and in either tone placement, so the index keeps
each word in its *marked* form (NFC, lowercase, tone placement made traditional by
`text.tone_normalise`); the page's script (assets/js/search.js) folds those words itself to match
a query typed without marks, and still sees the marks to rank an exact match ("đường") above a
word that only folds the same ("dương"). Python and the script must fold alike: the tests run the
same strings through both.

Besides the articles, the index holds every other page the site publishes (documents, plans,
static pages, the organisation and English pages: generator/site/search_entries.py), after them.

Format of search/index.json (lists rather than objects, to keep it small):
    {"v": 2, "terms": [word, …],
     "docs": [[url, title, date, iso date, office, campaign, text, title term ids, body term ids], …,
              [url, title, date, iso date, issuer, type, text, title term ids, body term ids,
               number-symbol term ids, kind, language], …]}
An article's row has no kind (it is "bai-viet") and is in Vietnamese. Term ids are sorted and
delta-encoded (each number is the gap from the previous one). The text is the summary and the
article's plain text, for snippets. URLs are site paths without the base
path; the page adds it, so the same index serves a site under a sub-path.
"""

from __future__ import annotations

import json
import operator
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from itertools import chain

from generator.content.model import Article, Site
from generator.markdown.render import RenderedBody
from generator.site import routes
from generator.site.search_entries import SearchEntry, body_texts, search_entries
from generator.vietnamese.text import date_long, distinct_index_terms, nfc
from generator.vietnamese.text import index_terms as terms  # noqa: F401  (the tests and the script's twin use it here)

INDEX_PATH = routes.SEARCH_INDEX
FORMAT_VERSION = 2


@dataclass(frozen=True)
class SearchDocument:
    """One article as the search page shows and matches it."""

    url: str
    title: str
    date: str  # as shown: "Thứ Bảy, 25/03/2023"
    iso: str
    office: str
    campaign: str
    text: str  # summary and plain body text, for snippets


def _document(site: Site, article: Article, body: RenderedBody) -> SearchDocument:
    text = " ".join(part for part in (article.summary, body.text) if part)
    return SearchDocument(
        url=routes.article_url(article), title=article.title, date=date_long(article.published),
        iso=article.published.date().isoformat(), office=site.department(article.department).short_name,
        campaign=site.campaign(article.campaign).name_vi, text=nfc(text),
    )


def body_terms(body: RenderedBody) -> str:
    """A body's distinct search terms, sorted, one space between: one object per body rather than
    hundreds, which a 10000-article build holds at once."""
    return " ".join(sorted(distinct_index_terms(body.text)))


def _term_sets(article: Article, body_terms: str) -> tuple[set[str], set[str]]:
    """The terms of the title, and of the summary and body together. The body's come with it from
    the Markdown stage (and its cache), so only the summary's words are found here; the words of
    "summary body" are those of each, as a space keeps every word whole."""
    return distinct_index_terms(article.title), distinct_index_terms(article.summary).union(body_terms.split())


def index_json(site: Site, bodies: Mapping[str, RenderedBody], body_terms: Mapping[str, str],
               rows: MutableMapping[str, str], keys: list[str], entries: tuple[SearchEntry, ...] = ()) -> bytes:
    """search/index.json, as UTF-8; terms numbered most frequent first, so gaps stay small.

    `body_terms`: each article's body terms by source (body_terms), which every build
    that makes the index needs; `bodies` is asked only for the text of rows not in `rows`.
    `rows`: the start of each article's row (its fields as JSON: most of the index's bytes and half
    its time) by _row_key's digest of those fields, as earlier builds wrote them; this build's
    are added to it. `keys`: those digests, in the order of site.articles. `entries`: the other pages.
    """
    return SearchIndex(site, bodies, body_terms, rows, keys, entries).data()


class SearchIndex:
    """The index as rows kept apart, so that one article's row can be replaced (`build --watch`)
    without numbering and writing every row again.

    The rows are kept as UTF-8: the index is written as bytes, and an edited row is encoded alone
    instead of the whole index.

    Made in two passes over the articles (newest first, the order of site.articles): one counts
    the terms and keeps each article's as tuples of interned strings, the other writes the rows.
    Interned, a word is held once however many articles use it, not once per article.
    """

    def __init__(self, site: Site, bodies: Mapping[str, RenderedBody], body_terms: Mapping[str, str],
                 rows: MutableMapping[str, str], keys: list[str], entries: tuple[SearchEntry, ...] = ()):
        self._frequency: Counter = Counter()
        self._kept: list[Kept] = []
        for article in site.articles:
            kept = _interned(article, body_terms[article.source.path.as_posix()])
            self._count(kept, 1)
            self._kept.append(kept)
        entry_kept = [_entry_interned(entry) for entry in entries]
        for kept in entry_kept:
            self._count(kept, 1)
        self._vocabulary = _vocabulary(self._frequency)
        self._number = {term: index for index, term in enumerate(self._vocabulary)}
        self._rows: list[bytes] = []  # each row as JSON, and where its term ids begin
        self._cut: list[int] = []
        self._tails: list[bytes] = []  # what follows the term ids: an entry's kind and language
        for article, key, kept in zip(site.articles, keys, self._kept, strict=True):
            start = rows.get(key)
            if start is None:
                start = rows[key] = _row_start(site, article, bodies[article.source.path.as_posix()])
            self._set_row(len(self._rows), start.encode(), kept)
        self._articles = len(self._rows)
        self._set_entries(entries, entry_kept)

    def data(self) -> bytes:
        """search/index.json, as UTF-8."""
        head = f'{{"v":{FORMAT_VERSION},"terms":{_json(self._vocabulary)},"docs":['.encode()
        return b"".join((head, b",".join(self._rows), b"]}"))

    def replace(self, site: Site, article: Article, body: RenderedBody) -> None:
        """Article `article` (at its old place in site.articles: an edit that moved it is a new build)
        was edited; `site` holds it. Rows whose terms were numbered differently are written again."""
        position = next(i for i, a in enumerate(site.articles) if a is article)
        self._count(self._kept[position], -1)
        kept = self._kept[position] = _interned(article, body_terms(body))
        self._count(kept, 1)
        renumbered = self._renumber()
        self._set_row(position, _row_start(site, article, body).encode(), kept)
        self._rewrite(renumbered, skip={position})

    def replace_entries(self, entries: tuple[SearchEntry, ...]) -> None:
        """The pages other than articles, made again (a page was edited under build --watch)."""
        for kept in self._kept[self._articles:]:
            self._count(kept, -1)
        entry_kept = [_entry_interned(entry) for entry in entries]
        for kept in entry_kept:
            self._count(kept, 1)
        renumbered = self._renumber()
        del self._kept[self._articles:], self._rows[self._articles:], self._cut[self._articles:]
        del self._tails[self._articles:]
        self._set_entries(entries, entry_kept)
        self._rewrite(renumbered, skip=set(range(self._articles, len(self._rows))))

    def _set_entries(self, entries: tuple[SearchEntry, ...], entry_kept: list[Kept]) -> None:
        for entry, kept in zip(entries, entry_kept, strict=True):
            self._kept.append(kept)
            self._set_row(len(self._rows), _entry_start(entry).encode(), kept, _json([entry.kind, entry.lang])[1:-1])

    def _count(self, kept: Kept, sign: int) -> None:
        for words in kept:
            (self._frequency.update if sign > 0 else self._frequency.subtract)(words)
        if sign < 0:
            for term in {*kept[0], *kept[1], *kept[2]}:
                if self._frequency[term] <= 0:
                    del self._frequency[term]

    def _renumber(self) -> set[str]:
        """Numbers the vocabulary again after a change of counts; the terms whose number changed."""
        vocabulary = _vocabulary(self._frequency)
        if vocabulary == self._vocabulary:
            return set()
        number = {term: index for index, term in enumerate(vocabulary)}
        renumbered = {term for term, index in number.items() if self._number.get(term) != index}
        self._vocabulary, self._number = vocabulary, number
        return renumbered

    def _rewrite(self, renumbered: set[str], skip: set[int]) -> None:
        """Writes again the rows holding a renumbered term."""
        for index, kept in enumerate(self._kept):
            if index not in skip and not all(renumbered.isdisjoint(words) for words in kept):
                self._set_row(index, self._rows[index][:self._cut[index]], kept, self._tails[index].decode())

    def _set_row(self, index: int, start: bytes, kept: Kept, tail: str = "") -> None:
        """Row `index` (appended when it is the next one): its fields' JSON, its term ids, and for an
        entry other than an article its number-symbol's term ids, kind and language."""
        number = self._number.__getitem__
        ids = f",{_gaps(map(number, kept[0]))},{_gaps(map(number, kept[1]))}"
        if tail:
            ids += f",{_gaps(map(number, kept[2]))},{tail}"
        row = b"".join((start, ids.encode(), b"]"))
        if index == len(self._rows):
            self._rows.append(row)
            self._cut.append(len(start))
            self._tails.append(tail.encode())
        else:
            self._rows[index], self._cut[index], self._tails[index] = row, len(start), tail.encode()


Kept = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # title, body and number-symbol terms


def _interned(article: Article, body_terms: str) -> Kept:
    titles, words = _term_sets(article, body_terms)
    return tuple(map(sys.intern, titles)), tuple(map(sys.intern, words)), ()


def _entry_interned(entry: SearchEntry) -> Kept:
    titles, words, number = entry.terms()
    return tuple(map(sys.intern, titles)), tuple(map(sys.intern, words)), tuple(map(sys.intern, number))


def _vocabulary(frequency: Counter) -> list[str]:
    return sorted(frequency, key=lambda term: (-frequency[term], term))


def _row_start(site: Site, article: Article, body: RenderedBody) -> str:
    """An article's row without its term ids and closing bracket: its fields as JSON."""
    doc = _document(site, article, body)
    return _json([doc.url, doc.title, doc.date, doc.iso, doc.office, doc.campaign, doc.text])[:-1]


def _entry_start(entry: SearchEntry) -> str:
    """A page's row without its term ids: the fields an article's row has, the issuer in the office's
    place and the document's type in the campaign's."""
    return _json([entry.url, entry.title, entry.date, entry.iso, entry.issuer, entry.label, entry.text])[:-1]


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder for every row


def _gaps(ids: Iterable[int]) -> str:
    """[3, 17, 4] → "[3,1,13]": sorted, then each id as its distance from the one before, as JSON.
    Joined by hand: the JSON encoder writes an int as str() does, but costs more per call (a row
    has two lists, and one edit under build --watch may encode thousands of rows again)."""
    ordered = sorted(ids)
    return f"[{','.join(map(str, map(operator.sub, ordered, chain((0,), ordered))))}]"


def index_bytes(site: Site, bodies: Mapping[str, RenderedBody], today: date) -> bytes:
    """The index made from the bodies alone, every row afresh (incremental/search_rows.py keeps
    rows between builds and writes the same bytes)."""
    sources = [article.source.path.as_posix() for article in site.articles]
    entries = search_entries(site, body_texts(bodies), today)
    return index_json(site, bodies, {s: body_terms(bodies[s]) for s in sources}, {}, sources, entries)
