"""Who the publisher and its partners were on a given day: dated names, places and domains.

Agencies are renamed and merged (in 2025 the Ministry of Natural Resources and Environment became
part of the Ministry of Agriculture and Environment; Bình Thuận province became part of Lâm Đồng).
A page must show the identity valid on its own date, the header and footer the current one, and
the link checker must know which domains were retired for which successor. All of that is data in
`content/_data/identity.yaml`; this module loads it and answers "who was it on that day?".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from generator.content.data import Entry, read_yaml
from generator.problems import Problems


@dataclass(frozen=True)
class Period:
    """One name of an agency and the days it held it (open-ended at either side)."""

    name: str
    valid_from: date | None = None
    valid_until: date | None = None
    short_name: str = ""
    name_en: str = ""
    parent: str = ""
    parent_en: str = ""
    place: str = ""  # the place name of the place-date line of its documents ("Bình Thuận")
    domain: str = ""
    basis: str = ""  # the legal act that gave this name, shown in the former-identity note

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Agency:
    id: str
    periods: tuple[Period, ...]

    def on(self, day: date) -> Period:
        """The name held on that day; before the first period, the first; after the last, the last."""
        for period in self.periods:
            if period.covers(day):
                return period
        first = self.periods[0]
        return first if first.valid_from and day < first.valid_from else self.periods[-1]


@dataclass(frozen=True)
class RetiredDomain:
    domain: str
    successor: str
    since: date
    note: str = ""

    def matches(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host == self.domain or host.endswith("." + self.domain)


@dataclass(frozen=True)
class Identity:
    publisher: Agency | None = None
    partners: tuple[Agency, ...] = ()
    retired_domains: tuple[RetiredDomain, ...] = ()

    def publisher_on(self, day: date) -> Period | None:
        return self.publisher.on(day) if self.publisher else None

    def partner(self, partner_id: str) -> Agency | None:
        return next((p for p in self.partners if p.id == partner_id), None)

    def retired(self, host: str) -> RetiredDomain | None:
        return next((r for r in self.retired_domains if r.matches(host)), None)


def load_identity(path: Path, problems: Problems) -> Identity:
    """The dated identity; an empty one when the site has no identity.yaml (names come from site.yaml)."""
    if not path.is_file():
        return Identity()
    entry = read_yaml(path, problems)
    if entry is None or not isinstance(entry.value, dict):
        if entry is not None:
            problems.error(path, entry.line, "identity.yaml phải có các khóa publisher, partners, retired_domains")
        return Identity()
    publisher = _agency(entry.child("publisher"), "publisher", problems) if entry.child("publisher") else None
    partners = [_agency(item, None, problems) for item in _children(entry, "partners")]
    retired = [_retired(item, problems) for item in _children(entry, "retired_domains")]
    return Identity(publisher, tuple(p for p in partners if p), tuple(r for r in retired if r))


def _children(entry: Entry, key: str) -> list[Entry]:
    child = entry.child(key)
    return child.children() if child else []


def _agency(entry: Entry, fixed_id: str | None, problems: Problems) -> Agency | None:
    value = entry.value
    if not isinstance(value, dict) or not isinstance(value.get("id", fixed_id), str):
        problems.error(entry.path, entry.line, "mỗi cơ quan cần id và periods",
                       "ví dụ: {id: bo-moi-truong, periods: [...]}")
        return None
    periods = [_period(item, problems) for item in _children(entry, "periods")]
    if not periods or None in periods:
        if not periods:
            problems.error(entry.path, entry.line, f"cơ quan {value.get('id', fixed_id)!r} chưa có periods",
                           "thêm ít nhất một mục {name: …, from: …, until: …}")
        return None
    periods.sort(key=lambda p: p.valid_from or date.min)
    for earlier, later in itertools.pairwise(periods):
        if earlier.valid_until is None or later.valid_from is None or earlier.valid_until >= later.valid_from:
            problems.error(entry.path, entry.line, f"các giai đoạn của {value.get('id', fixed_id)!r} chồng lên nhau "
                           f"({earlier.name} / {later.name})",
                           "mỗi giai đoạn trừ giai đoạn cuối cần until, và until phải trước from của giai đoạn sau")
            return None
    return Agency(value.get("id", fixed_id), tuple(periods))


def _period(entry: Entry, problems: Problems) -> Period | None:
    value = entry.value
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        problems.error(entry.path, entry.line, "mỗi giai đoạn cần name (tên cơ quan)")
        return None
    for key in ("from", "until"):
        if value.get(key) is not None and not isinstance(value.get(key), date):
            problems.error(entry.path, entry.line_of(key), f"{key} phải là một ngày dạng 2025-07-01")
            return None
    text = {k: str(value.get(k) or "") for k in ("short_name", "name_en", "parent", "parent_en", "place", "domain",
                                                   "basis")}
    return Period(value["name"], value.get("from"), value.get("until"), **text)


def _retired(entry: Entry, problems: Problems) -> RetiredDomain | None:
    value = entry.value
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("domain", "successor")) \
            or not isinstance(value.get("since"), date):
        problems.error(entry.path, entry.line, "mỗi tên miền cũ cần domain, successor và since (ngày)",
                       "ví dụ: {domain: monre.gov.vn, successor: mae.gov.vn, since: 2025-03-01}")
        return None
    return RetiredDomain(value["domain"].lower(), value["successor"].lower(), value["since"], value.get("note") or "")


def current_base_url(identity: Identity | None, configured: str, day: date) -> str:
    """The site's address on `day`: site.yaml's base_url moved to the domain the publisher holds that day,
    so that a build without --base-url never writes a retired domain into canonical URLs, the sitemap,
    the feeds or robots.txt. site.yaml's own address when identity.yaml gives no current domain."""
    period = identity.publisher_on(day) if identity is not None else None
    if period is None or not period.domain or identity.retired(period.domain):
        return configured
    parts = urlsplit(configured)
    return urlunsplit(("https", period.domain, parts.path or "/", "", ""))
