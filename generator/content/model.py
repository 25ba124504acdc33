"""The site as plain, frozen data: what was read from content/, before any URL or HTML.

Every later stage (routes, render, write, check) receives these objects and never
changes them, so a stage can be tested without the ones before it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from generator.vietnamese.text import TZ


@dataclass(frozen=True)
class MenuItem:
    title: str
    href: str  # a site path such as "tin-tuc/" or an absolute http(s) URL
    line: int | None = field(default=None, compare=False)  # in site.yaml, for messages


@dataclass(frozen=True)
class SiteConfig:
    name: str
    short_name: str
    parent: str
    base_url: str
    address: str
    phone: str
    email: str
    responsible: str
    licence: str = ""
    fax: str = ""
    reuse: str = ""  # the re-use notice (ghi rõ nguồn khi phát hành lại thông tin)
    description: str = ""
    menu: tuple[MenuItem, ...] = ()
    link_exclusions: tuple[str, ...] = ()
    allowed_iframe_hosts: tuple[str, ...] = ()
    news_per_page: int = 10


@dataclass(frozen=True)
class Theme:
    year: int
    vi: str
    en: str
    source: str = ""
    day: date | None = None  # this year's date when it differs from the campaign's rule
    note: str = ""


@dataclass(frozen=True)
class DateRule:
    """When a campaign falls: a fixed day (22/3) or the last given weekday of a month."""

    month: int
    day: int | None = None
    weekday: int | None = None  # Monday = 0
    which: str = "last"
    start: time | None = None
    end: time | None = None

    def on(self, year: int) -> date:
        if self.day is not None:
            return date(year, self.month, self.day)
        last = calendar.monthrange(year, self.month)[1]
        candidates = [date(year, self.month, d) for d in range(1, last + 1)]
        matching = [d for d in candidates if d.weekday() == self.weekday]
        return matching[-1] if self.which == "last" else matching[0]


@dataclass(frozen=True)
class Campaign:
    id: str
    name_vi: str
    name_en: str
    rule: DateRule
    organiser: str = ""
    organiser_url: str = ""
    description: str = ""
    themes: tuple[Theme, ...] = ()

    def theme(self, year: int) -> Theme | None:
        return next((t for t in self.themes if t.year == year), None)

    def day(self, year: int) -> date:
        theme = self.theme(year)
        return theme.day if theme and theme.day else self.rule.on(year)

    def starts_at(self, year: int) -> datetime:
        """The moment the campaign starts in Vietnam (Earth Hour: 20:30 local time)."""
        return datetime.combine(self.day(year), self.rule.start or time(0), TZ)

    def is_confirmed(self, year: int) -> bool:
        """A fixed day is certain; a weekday rule is only a forecast until the organiser names the day
        (WWF has moved Earth Hour a week earlier in some years)."""
        theme = self.theme(year)
        return self.rule.day is not None or bool(theme and theme.day)

    def next_occurrence(self, today: date) -> date:
        this_year = self.day(today.year)
        return this_year if this_year >= today else self.day(today.year + 1)

    def current_theme(self, today: date) -> Theme | None:
        """The newest theme announced up to this year (themes are published ahead of the day)."""
        known = [t for t in self.themes if t.year <= today.year]
        return max(known, key=lambda t: t.year, default=None)


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    short_name: str
    description: str = ""
    order: int = 0
    name_en: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class Source:
    """Where an item came from, so every later message can point back at the author's file."""

    path: Path  # relative to the content folder
    body_line: int  # line of the file on which the Markdown body starts
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int | None:
        return dict(self.key_lines).get(key)


@dataclass(frozen=True)
class Article:
    source: Source
    title: str
    published: datetime
    campaign: str
    department: str
    year: int
    slug: str
    body: str
    theme: str = ""  # as the author wrote it; checked against the campaign's official theme
    summary: str = ""
    tags: tuple[str, ...] = ()
    cover: str = ""  # content-relative path of the cover image
    cover_alt: str = ""
    draft: bool = False
    updated: datetime | None = None
    plan_task: str = ""
    toc: bool | None = None  # a table of contents at the top; None: when it has four `##`/`###` headings or more


@dataclass(frozen=True)
class Page:
    source: Source
    title: str
    slug: str
    body: str
    summary: str = ""
    menu: bool = False
    order: int = 0


@dataclass(frozen=True)
class Reference:
    """A document a plan implements ('công văn số 1663/BTNMT-TTTT ngày 16/3/2023')."""

    number: str
    issued: date
    issuer: str
    subject: str = ""


@dataclass(frozen=True)
class Material:
    title: str
    url: str


@dataclass(frozen=True)
class Task:
    """One assignment of a plan: who delivers what (kind: article, materials, activity, board)."""

    id: str
    plan: str  # the plan's id
    title: str
    kind: str
    lead: str  # department id
    line: int  # in the plan file, so messages can point at the task
    text: str = ""  # the plan's own wording of the item, when it is a bullet of its own
    section: str = ""  # the number of the paragraph of section II that assigns it ("1.1")
    support: tuple[str, ...] = ()
    campaign: str = ""  # the campaign the deliverable belongs to; "" for the whole plan
    assignment: str = ""  # the signed text's "Phân công: …" sentence
    due: date | None = None  # the plan's report deadline unless the task names its own
    materials: tuple[Material, ...] = ()

    @property
    def offices(self) -> tuple[str, ...]:
        return (self.lead, *self.support)


@dataclass(frozen=True)
class PlanItem:
    """A numbered paragraph of section II, as the signed document lays it out."""

    number: str
    text: str
    items: tuple[PlanItem, ...] = ()
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class BoardSlot:
    """A slogan on the electronic board at the headquarters, shown from start to end inclusive."""

    slogan: str
    start: date
    end: date
    line: int
    campaign: str = ""
    task: str = ""
    note: str = ""

    def applies(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Plan:
    id: str  # "647-KH-SCT": the file name and the URL
    number: str  # "647/KH-SCT", as printed after "Số:"
    kind: str
    issued: date
    place: str
    issuer: str
    issuer_parent: str
    title: str
    year: int
    source: Path  # relative to the content folder
    campaigns: tuple[str, ...] = ()
    implements: tuple[Reference, ...] = ()
    preamble: str = ""
    objectives: tuple[str, ...] = ()
    content: tuple[PlanItem, ...] = ()
    board: tuple[BoardSlot, ...] = ()
    report_deadline: date | None = None
    report_to: str = ""  # the department that consolidates the results
    report_forward_to: str = ""
    report_text: str = ""
    followup: str = ""
    recipients: tuple[str, ...] = ()
    signer_title: tuple[str, ...] = ()
    signer: str = ""

    @property
    def tasks(self) -> tuple[Task, ...]:
        def walk(items: tuple[PlanItem, ...]):
            for item in items:
                yield from item.tasks
                yield from walk(item.items)
        return tuple(walk(self.content))

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)


@dataclass(frozen=True)
class Result:
    """An office's record of work that is not an article (activities held, figures, materials sent)."""

    source: Source
    plan_task: str
    department: str
    day: date
    title: str
    body: str = ""
    figures: tuple[tuple[str, str], ...] = ()  # (label, value) in the author's order


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    campaigns: tuple[Campaign, ...]
    departments: tuple[Department, ...]
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    static_files: tuple[Path, ...] = ()  # content-relative files copied as they are
    content_dir: Path = field(default=Path("content"))
    # Dated names, documents and the Art. 7 data (generator.content.identity / documents / organisation);
    # typed loosely here so the model does not import the loaders.
    identity: Any = None
    documents: tuple = ()
    organisation: Any = None
    plans: tuple[Plan, ...] = ()
    results: tuple[Result, ...] = ()
    held_back: tuple[Article, ...] = ()  # drafts and scheduled articles this build leaves out

    def campaign(self, campaign_id: str) -> Campaign:
        return next(c for c in self.campaigns if c.id == campaign_id)

    def department(self, department_id: str) -> Department:
        return next(d for d in self.departments if d.id == department_id)
