"""The YAML data files under content/_data/: the site's identity, the campaigns, the offices.

Each entry is checked with its line, and a broken entry is reported and skipped so the
rest of the build can still report its own problems.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from generator.content.frontmatter_schema import SHORT
from generator.content.model import Campaign, DateRule, Department, MenuItem, SiteConfig, Theme
from generator.content.reading import read_text
from generator.content.yaml_errors import explain, repeated_keys
from generator.problems import Problems
from generator.vietnamese.text import MAX_GIVEN_SLUG, nfc, slugify

# The shape of YAML 1.1's timestamps, which PyYAML turns into dates before anyone can check them.
YAML_TIMESTAMP = re.compile(r"\b(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d))?")
SITE_REQUIRED = ("name", "short_name", "parent", "base_url", "address", "phone", "email", "responsible")


class Entry:
    """A YAML mapping with the line of each key, so messages can point at the author's line."""

    def __init__(self, path: Path, node: yaml.Node, value: Any):
        self.path, self.node, self.value = path, node, value

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    def line_of(self, key: str) -> int:
        if isinstance(self.node, yaml.MappingNode):
            for key_node, _ in self.node.value:
                if key_node.value == key:
                    return key_node.start_mark.line + 1
        return self.line

    def children(self) -> list[Entry]:
        if isinstance(self.node, yaml.SequenceNode) and isinstance(self.value, list):
            return [Entry(self.path, n, v) for n, v in zip(self.node.value, self.value, strict=True)]
        return []

    def child(self, key: str) -> Entry | None:
        if isinstance(self.node, yaml.MappingNode) and isinstance(self.value, dict):
            for key_node, value_node in self.node.value:
                if key_node.value == key:
                    return Entry(self.path, value_node, self.value.get(key))
        return None


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the same YAML, far faster


def read_yaml(path: Path, problems: Problems) -> Entry | None:
    if not path.is_file():
        problems.error(path, None, "thiếu tệp dữ liệu", f"tạo {path.name} theo mẫu trong README")
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        loader = _LOADER(text)  # one parse gives both the nodes (for lines) and the values
        try:
            node = loader.get_single_node()
            value = _nfc(loader.construct_document(node)) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        line, message, hint = explain(error, text)
        problems.error(path, line, f"YAML sai cú pháp: {message}", hint)
        return None
    except RecursionError:
        problems.error(path, None, "dữ liệu lồng dấu ngoặc quá sâu", "kiểm tra các dấu [ ] và { }")
        return None
    except (ValueError, OverflowError) as error:  # a date that cannot exist, such as 2024-02-30
        problems.error(path, impossible_date_line(text), f"ngày không tồn tại: {error}",
                       "sửa ngày tháng, ví dụ 2024-03-23")
        return None
    if node is None:
        problems.error(path, None, "tệp dữ liệu rỗng", "viết lại nội dung tệp theo mẫu trong README")
        return None
    repeated = list(repeated_keys(node))
    for line, key, first in repeated:
        problems.error(path, line, f"khóa '{key}' khai báo hai lần trong cùng một mục (lần đầu ở dòng {first}); "
                       "YAML chỉ giữ giá trị sau", "xóa một trong hai dòng, hoặc gộp hai giá trị vào một khóa")
    return None if repeated else Entry(path, node, value)


def impossible_date_line(text: str) -> int | None:
    """PyYAML gives no position for a date it cannot construct (2023-02-30): find the line holding one.

    Line n of the text is file line n + 1 for a data file, and for front matter too, whose text
    starts with the newline that ends the opening '---'.
    """
    for number, line in enumerate(text.splitlines()):
        for match in YAML_TIMESTAMP.finditer(line):
            try:
                datetime(*(int(part) for part in match.groups() if part is not None))
            except (ValueError, OverflowError):
                return number + 1
    return None


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def load_data(folder: Path, problems: Problems):
    return (
        load_site_config(folder / "site.yaml", problems),
        load_campaigns(folder / "campaigns.yaml", problems),
        load_departments(folder / "departments.yaml", problems),
    )


def load_site_config(path: Path, problems: Problems) -> SiteConfig | None:
    entry = read_yaml(path, problems)
    if entry is None:
        return None
    if not isinstance(entry.value, dict):
        problems.error(path, entry.line, "site.yaml phải là các cặp khóa: giá trị")
        return None
    site = entry.value
    missing = [k for k in SITE_REQUIRED if not isinstance(site.get(k), str) or not site.get(k).strip()]
    for key in missing:
        problems.error(path, entry.line_of(key) if key in site else None, f"thiếu hoặc sai khóa '{key}'",
                       "Nghị định 42/2022/NĐ-CP yêu cầu trang của cơ quan nhà nước ghi rõ thông tin này")
    menu = _menu(entry, problems)
    if missing or menu is None:
        return None
    base_url = site["base_url"].strip()
    return SiteConfig(
        name=site["name"], short_name=site["short_name"], parent=site["parent"],
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        address=site["address"], phone=site["phone"], email=site["email"], responsible=site["responsible"],
        licence=site.get("licence") or "", fax=site.get("fax") or "", reuse=site.get("reuse") or "",
        description=site.get("description") or "", menu=menu,
        link_exclusions=tuple(site.get("link_exclusions") or ()),
        allowed_iframe_hosts=tuple(site.get("allowed_iframe_hosts") or ()),
        news_per_page=int(site.get("news_per_page") or 10),
    )


def _menu(entry: Entry, problems: Problems) -> tuple[MenuItem, ...] | None:
    menu_entry = entry.child("menu")
    if menu_entry is None:
        return ()
    items = []
    for item in menu_entry.children():
        value = item.value
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("title", "href")):
            problems.error(entry.path, item.line, "mục menu cần title và href",
                           "ví dụ: - {title: Tin tức, href: tin-tuc/}")
            return None
        items.append(MenuItem(value["title"], value["href"], item.line))
    return tuple(items)


def load_departments(path: Path, problems: Problems) -> list[Department]:
    entry = read_yaml(path, problems)
    departments: list[Department] = []
    for order, item in enumerate(entry.children() if entry else []):
        value = item.value
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("id", "name", "short_name")):
            problems.error(path, item.line, "mỗi đơn vị cần id, name và short_name",
                           'ví dụ: - {id: van-phong-so, name: "Văn phòng Sở", short_name: "Văn phòng"}')
            continue
        if not valid_id(item, problems):
            continue
        departments.append(Department(value["id"], value["name"], value["short_name"],
                                      value.get("description") or "", order,
                                      value.get("name_en") or "", value.get("description_en") or ""))
    return departments


def valid_id(item: Entry, problems: Problems) -> bool:
    """An id is part of addresses (don-vi/<id>/): lowercase letters without marks, digits and hyphens
    only, so no invisible or direction-changing character can hide in one."""
    given = item.value["id"]
    if slugify(given, None) == given and len(given) <= MAX_GIVEN_SLUG:
        return True
    problems.error(item.path, item.line_of("id"),
                   f"id {SHORT.repr(given)} không hợp lệ (tối đa {MAX_GIVEN_SLUG} ký tự)",
                   f"chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ: {slugify(given) or 'phong-ke-hoach'}")
    return False


def load_campaigns(path: Path, problems: Problems) -> list[Campaign]:
    entry = read_yaml(path, problems)
    campaigns = []
    for item in entry.children() if entry else []:
        campaign = _campaign(item, problems)
        if campaign:
            campaigns.append(campaign)
    return campaigns


def _campaign(item: Entry, problems: Problems) -> Campaign | None:
    value = item.value
    name = value.get("name") if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not isinstance(name, dict):
        problems.error(item.path, item.line, "mỗi chiến dịch cần id và name: {vi: …, en: …}",
                       'ví dụ: - id: gio-trai-dat\n      name: {vi: "Chiến dịch Giờ Trái đất", en: "Earth Hour"}')
        return None
    if not valid_id(item, problems):
        return None
    rule = _date_rule(item, problems)
    themes = [_theme(t, problems) for t in (item.child("themes").children() if item.child("themes") else [])]
    if rule is None or None in themes:
        return None
    organiser = value.get("organiser") or {}
    return Campaign(
        id=value["id"], name_vi=name.get("vi", ""), name_en=name.get("en", ""), rule=rule,
        organiser=organiser.get("name", ""), organiser_url=organiser.get("url", ""),
        description=value.get("description") or "", themes=tuple(sorted(themes, key=lambda t: t.year)),
    )


def _date_rule(item: Entry, problems: Problems) -> DateRule | None:
    rule = item.value.get("date_rule")
    line = item.line_of("date_rule")
    try:
        return DateRule(
            month=int(rule["month"]), day=int(rule["day"]) if "day" in rule else None,
            weekday=int(rule["weekday"]) if "weekday" in rule else None, which=rule.get("which", "last"),
            start=time.fromisoformat(rule["start"]) if "start" in rule else None,
            end=time.fromisoformat(rule["end"]) if "end" in rule else None,
        )
    except (TypeError, KeyError, ValueError):
        problems.error(item.path, line, "date_rule không hợp lệ",
                       "viết {month: 3, day: 22} hoặc "
                       "{month: 3, weekday: 5, which: last, start: \"20:30\", end: \"21:30\"}")
        return None


def _theme(item: Entry, problems: Problems) -> Theme | None:
    value = item.value
    if not isinstance(value, dict) or not isinstance(value.get("year"), int) \
            or not isinstance(value.get("vi"), str) or not isinstance(value.get("en"), str):
        problems.error(item.path, item.line, "mỗi chủ đề cần year (số), vi và en (chuỗi chữ)",
                       'ví dụ: - {year: 2023, vi: "Thúc đẩy sự thay đổi", en: "Accelerating Change"}')
        return None
    day = value.get("date")
    if day is not None and (not isinstance(day, date) or day.year != value["year"]):
        problems.error(item.path, item.line_of("date"), f"date của chủ đề năm {value['year']} không hợp lệ: {day!r}",
                       f"viết ngày của chính năm đó, dạng {value['year']}-03-23")
        return None
    return Theme(value["year"], value["vi"], value["en"], value.get("source") or "", day, value.get("note") or "")
