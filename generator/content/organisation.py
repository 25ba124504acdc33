"""What Decree 42/2022/NĐ-CP Art. 7 asks a state agency's site to publish about itself.

`content/_data/organisation.yaml` holds the functions (Vietnamese and English), the focal-point
contacts and the links to other state agencies' portals ("Liên kết website"). The Vietnamese and
the English pages are rendered from this one file, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from generator.content.data import Entry, read_yaml
from generator.content.identity import Identity
from generator.problems import Problems


@dataclass(frozen=True)
class Contact:
    unit: str  # a department id from departments.yaml
    position_vi: str
    position_en: str
    name: str = ""  # left empty until the Department Office names the official
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class WebLink:
    """A link to another agency's portal: a fixed one, or a partner whose name and domain are dated."""

    name: str = ""
    name_en: str = ""
    url: str = ""
    partner: str = ""  # an agency id of identity.yaml

    def on(self, identity: Identity, day: date) -> tuple[str, str, str]:
        """(name, English name, URL) as valid on that day."""
        agency = identity.partner(self.partner) if self.partner else None
        if agency is None:
            return self.name, self.name_en, self.url
        period = agency.on(day)
        return period.name, period.name_en, f"https://{period.domain}/" if period.domain else self.url


@dataclass(frozen=True)
class Organisation:
    functions_vi: str = ""
    functions_en: str = ""
    contacts: tuple[Contact, ...] = ()
    links: tuple[WebLink, ...] = ()


def load_organisation(path: Path, department_ids: list[str], identity: Identity,
                      problems: Problems) -> Organisation:
    if not path.is_file():
        return Organisation()
    entry = read_yaml(path, problems)
    if entry is None or not isinstance(entry.value, dict):
        return Organisation()
    functions = entry.value.get("functions") or {}
    contacts = [_contact(item, department_ids, problems) for item in _children(entry, "contacts")]
    links = [_link(item, identity, problems) for item in _children(entry, "links")]
    return Organisation(str(functions.get("vi") or ""), str(functions.get("en") or ""),
                        tuple(c for c in contacts if c), tuple(k for k in links if k))


def _children(entry: Entry, key: str) -> list[Entry]:
    child = entry.child(key)
    return child.children() if child else []


def _contact(entry: Entry, department_ids: list[str], problems: Problems) -> Contact | None:
    value = entry.value
    position = value.get("position") if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(position, dict) or not position.get("vi"):
        problems.error(entry.path, entry.line, "mỗi đầu mối liên hệ cần unit và position: {vi: …, en: …}")
        return None
    if value.get("unit") not in department_ids:
        problems.error(entry.path, entry.line_of("unit"), f"đơn vị không biết: {value.get('unit')!r}",
                       "dùng mã đơn vị trong departments.yaml: " + ", ".join(department_ids))
        return None
    return Contact(value["unit"], position["vi"], str(position.get("en") or ""), str(value.get("name") or ""),
                   str(value.get("phone") or ""), str(value.get("email") or ""))


def _link(entry: Entry, identity: Identity, problems: Problems) -> WebLink | None:
    value = entry.value
    if not isinstance(value, dict):
        problems.error(entry.path, entry.line, "mỗi liên kết cần name và url, hoặc partner")
        return None
    partner = str(value.get("partner") or "")
    if partner and identity.partner(partner) is None:
        problems.error(entry.path, entry.line_of("partner"), f"cơ quan không biết: {partner!r}",
                       "khai báo cơ quan trong identity.yaml (partners) hoặc ghi name và url")
        return None
    url = str(value.get("url") or "")
    if not partner and (not value.get("name") or urlsplit(url).scheme not in ("http", "https")):
        problems.error(entry.path, entry.line, "liên kết cần name và url đầy đủ (https://…)")
        return None
    return WebLink(str(value.get("name") or ""), str(value.get("name_en") or ""), url, partner)
