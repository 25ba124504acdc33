"""What the search page finds besides the articles: the documents of /van-ban/, the plans, the static
pages, the organisation page and the English pages (Decree 42/2022/NĐ-CP, Art. 7(1): search over
everything the site publishes).

Each is a SearchEntry made from the model and the bodies the build already rendered: no page is
read back from output/, so the index stays inside the one pass over the site. They are a few dozen
against thousands of articles, so they are made again on every build rather than cached row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from generator.content.model import PlanItem, Site
from generator.markdown.render import RenderedBody
from generator.site import routes
from generator.vietnamese.text import date_long, distinct_index_terms, nfc

# The kinds a result can be, as search.js names and labels them; an article row carries none.
ARTICLE, DOCUMENT, PLAN, PAGE = "bai-viet", "van-ban", "ke-hoach", "trang"
_WORD = re.compile(r"[^\W_]+")  # the tokeniser of text.index_terms, without its Vietnamese tone placement


@dataclass(frozen=True)
class SearchEntry:
    """One page other than an article, as the search page shows and matches it."""

    url: str
    title: str
    kind: str  # DOCUMENT, PLAN or PAGE
    text: str  # what snippets are cut from
    date: str = ""  # as shown; "" for an undated page
    iso: str = ""
    issuer: str = ""  # shown where an article shows its office
    label: str = ""  # shown where an article shows its campaign: the document's type
    lang: str = "vi"
    number: str = ""  # number-symbol ("647/KH-SCT"), which outranks every other match

    def terms(self) -> tuple[set[str], set[str], set[str]]:
        """The words of the title, of the rest, and of the number-symbol. English is kept as typed
        (lowercase): Vietnamese tone placement would rewrite words that only look Vietnamese."""
        words = distinct_index_terms if self.lang == "vi" else _plain_terms
        rest = " ".join((self.text, self.issuer, self.label))
        return words(self.title), words(rest), distinct_index_terms(self.number)


def _plain_terms(text: str) -> set[str]:
    return set(_WORD.findall(nfc(text).lower()))


def search_entries(site: Site, page_text: Callable[[str], str], today: date) -> tuple[SearchEntry, ...]:
    """Every published page but the articles and the lists, in a fixed order: on equal scores the
    search page keeps it, so a plan's page comes before the document entry of the same plan.

    `page_text`: a static page's body text by its source path (`body_texts`). The cache passes the
    body's cache key instead, which names that text, to learn whether the index changed without
    reading any body. `today`: the build's date, which names the Department on its English page."""
    return (*_plans(site), *_documents(site), *_pages(site, page_text), *_organisation(site, today))


def body_texts(bodies: Mapping[str, RenderedBody]) -> Callable[[str], str]:
    """search_entries' `page_text` from the build's bodies."""
    return lambda source: bodies[source].text


def _plans(site: Site) -> Iterator[SearchEntry]:
    for plan in site.plans:
        parts = [plan.preamble, *plan.objectives, *_items_text(plan.content), plan.report_text, plan.followup]
        yield SearchEntry(routes.plan_url(plan), f"{plan.kind} số {plan.number}: {plan.title}", PLAN,
                          nfc(" ".join(p for p in parts if p)), date_long(plan.issued), plan.issued.isoformat(),
                          plan.issuer, number=plan.number)  # its type is its kind: shown once


def _items_text(items: tuple[PlanItem, ...]) -> Iterator[str]:
    for item in items:
        yield item.text
        yield from (task.title for task in item.tasks)
        yield from _items_text(item.items)


def _documents(site: Site) -> Iterator[SearchEntry]:
    for document in site.documents:
        signed = f"{document.signer_title} {document.signer}".strip()
        text = " ".join(p for p in (document.summary, document.place, signed) if p)
        yield SearchEntry(routes.document_url(document), f"{document.kind} số {document.number}", DOCUMENT,
                          nfc(text), date_long(document.issued), document.issued.isoformat(), document.issuer,
                          document.kind, number=document.number)


def _pages(site: Site, page_text: Callable[[str], str]) -> Iterator[SearchEntry]:
    for page in site.pages:
        text = " ".join(p for p in (page.summary, page_text(page.source.path.as_posix())) if p)
        yield SearchEntry(routes.page_url(page), page.title, PAGE, nfc(text))


def _organisation(site: Site, today: date) -> Iterator[SearchEntry]:
    """The organisation page and its English twin with the English contacts, as routes makes them."""
    if not routes.has_organisation_pages(site):
        return
    org, config = site.organisation, site.config
    publisher = site.identity.publisher_on(today) if site.identity else None
    units_vi = [f"{d.name} {d.description}" for d in site.departments]
    contacts_vi = [f"{c.position_vi} {c.name} {c.phone} {c.email}" for c in org.contacts]
    yield SearchEntry("to-chuc/", "Cơ cấu tổ chức", PAGE, nfc(" ".join(
        [f"{config.name} trực thuộc {config.parent}.", org.functions_vi, *units_vi, *contacts_vi])))
    name_en = publisher.name_en if publisher and publisher.name_en else config.name
    units_en = [f"{d.name_en or d.name} {d.description_en}" for d in site.departments]
    yield SearchEntry("en/", name_en, PAGE, nfc(" ".join([org.functions_en, *units_en, config.address])), lang="en")
    contacts_en = [f"{c.position_en} {c.name} {c.phone} {c.email}" for c in org.contacts]
    yield SearchEntry("en/contacts/", "Contacts", PAGE, nfc(" ".join([config.address, *contacts_en])), lang="en")
