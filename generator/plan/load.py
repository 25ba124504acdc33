"""Read the plans (content/_data/plans/*.yaml) and the offices' result entries into the model.

Each plan is checked entry by entry with its line: unknown offices and campaigns, repeated task ids
and unreadable dates are errors; a board schedule that looks wrong (ends before it starts, outside the
plan's year, far from its campaign) is a warning, because a signed plan may hold a typing slip that
the data corrects (see the note in 647-KH-SCT.yaml).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from generator.content.data import Entry, read_yaml
from generator.content.frontmatter_schema import (
    Field,
    FieldError,
    as_bool,
    as_int,
    as_moment,
    as_optional_text,
    as_text,
    suggest,
)
from generator.content.model import BoardSlot, Campaign, Material, Plan, PlanItem, Reference, Result, Source, Task
from generator.plan import check as plan_check
from generator.problems import Problems

PLANS_DIR = "plans"
TASK_KINDS = ("article", "materials", "activity", "board")
PLAN_REQUIRED = ("id", "number", "date", "place", "issuer", "title", "year")


def as_figures(value: Any) -> tuple[tuple[str, str], ...]:
    """`figures:` is a mapping of label → number or text: {"Điện năng tiết kiệm (kWh)": 120}."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(v, (str, int, float)) for v in value.values()):
        raise FieldError("cần các cặp nhãn: giá trị, ví dụ figures: {\"Số đèn đã tắt\": 40}")
    return tuple((str(k), str(v)) for k, v in value.items())


RESULT_FIELDS: dict[str, Field] = {
    "kind": Field(as_text, required=True),
    "plan_task": Field(as_text, required=True),
    "department": Field(as_text, required=True),
    "date": Field(as_moment, required=True),
    "title": Field(as_text, required=True),
    "figures": Field(as_figures),
    "year": Field(as_int),
    "summary": Field(as_optional_text),
    "draft": Field(as_bool),
}


def is_result(meta: dict[str, Any]) -> bool:
    return meta.get("kind") == "result"


def result_from(source: Source, body: str, values: dict[str, Any]) -> Result:
    return Result(source=source, plan_task=values["plan_task"], department=values["department"],
                  day=values["date"].date(), title=values["title"], body=body.strip(),
                  figures=values.get("figures", ()))


class _Reader:
    """Reads one plan file; `ok` turns false at the first error so a broken plan is left out."""

    def __init__(self, entry: Entry, problems: Problems, campaigns: dict[str, Campaign], offices: list[str]):
        self.entry, self.problems, self.campaigns, self.offices = entry, problems, campaigns, offices
        self.ok = True
        self.plan_id = ""
        self.task_ids: set[str] = set()

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.problems.error(self.entry.path, line, message, hint)
        self.ok = False

    def text(self, item: Entry, key: str, required: bool = True) -> str:
        value = item.value.get(key) if isinstance(item.value, dict) else None
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if required or value is not None:
            self.error(item.line_of(key), f"thiếu hoặc sai khóa '{key}' (cần một chuỗi chữ)")
        return ""

    def day(self, item: Entry, key: str, required: bool = True) -> date | None:
        value = item.value.get(key) if isinstance(item.value, dict) else None
        if isinstance(value, date):
            return value
        if value is None and not required:
            return None
        self.error(item.line_of(key), f"'{key}' phải là một ngày", "viết dạng 2023-03-21")
        return None

    def texts(self, item: Entry, key: str) -> tuple[str, ...]:
        """A list of strings (objectives, recipients…); anything else is reported."""
        value = item.value.get(key) if isinstance(item.value, dict) else None
        if value is None:
            return ()
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(" ".join(v.split()) for v in value)
        self.error(item.line_of(key), f"'{key}' phải là một danh sách chuỗi chữ", f"ví dụ {key}: [\"…\", \"…\"]")
        return ()

    def office(self, item: Entry, key: str, value: Any) -> str:
        if value not in self.offices:
            self.error(item.line_of(key), f"đơn vị không biết: {value!r}",
                       suggest(str(value), self.offices) + " (khai báo trong content/_data/departments.yaml)")
        return str(value)

    def campaign(self, item: Entry, value: Any) -> str:
        if value not in self.campaigns:
            self.error(item.line_of("campaign"), f"chiến dịch không biết: {value!r}",
                       suggest(str(value), list(self.campaigns)) + " (khai báo trong content/_data/campaigns.yaml)")
        return str(value)


def load_plans(folder: Path, problems: Problems, campaigns: list[Campaign], offices: list[str],
               content_dir: Path) -> list[Plan]:
    """Every plan under content/_data/plans/, sorted newest first; broken ones are reported and left out."""
    if not folder.is_dir():
        return []
    plans = []
    by_id = {c.id: c for c in campaigns}
    for path in sorted(folder.glob("*.y*ml")):
        entry = read_yaml(path, problems)
        if entry is None:
            continue
        if not isinstance(entry.value, dict):
            problems.error(path, entry.line, "tệp kế hoạch phải là các cặp khóa: giá trị", "xem mẫu 647-KH-SCT.yaml")
            continue
        plan = _read_plan(_Reader(entry, problems, by_id, offices), path.relative_to(content_dir))
        if plan is not None:
            if any(p.id == plan.id for p in plans):
                problems.error(path, entry.line_of("id"), f"hai kế hoạch cùng id {plan.id!r}", "đặt id khác")
                continue
            plan_check.check_schedule(plan, entry.path, by_id, problems)
            plans.append(plan)
    return sorted(plans, key=lambda p: (p.issued, p.id), reverse=True)


def _read_plan(reader: _Reader, source: Path) -> Plan | None:
    entry = reader.entry
    fields = {key: reader.text(entry, key) for key in ("id", "number", "place", "issuer", "title")}
    reader.plan_id = fields["id"]
    issued = reader.day(entry, "date")
    year = entry.value.get("year")
    if not isinstance(year, int):
        reader.error(entry.line_of("year"), "'year' phải là năm của kế hoạch, ví dụ 2023")
    campaigns = tuple(reader.campaign(entry, c) for c in reader.texts(entry, "campaigns"))
    objectives, recipients = reader.texts(entry, "objectives"), reader.texts(entry, "recipients")
    implements = tuple(_references(reader))
    content = tuple(_item(reader, child) for child in _children(entry, "content"))
    board = tuple(slot for child in _children(entry, "board") if (slot := _slot(reader, child)))
    report = entry.child("report")
    deadline, report_to = None, ""
    if report is not None and isinstance(report.value, dict):
        deadline = reader.day(report, "deadline")
        report_to = reader.office(report, "to", report.value.get("to"))
    signer = entry.child("signer")
    signer_title = reader.texts(signer, "title") if signer else ()
    signer_name = reader.text(signer, "name", False) if signer else ""
    if not reader.ok or issued is None:
        return None
    return Plan(
        id=fields["id"], number=fields["number"], kind=reader.text(entry, "kind", False) or "Kế hoạch",
        issued=issued, place=fields["place"], issuer=fields["issuer"],
        issuer_parent=reader.text(entry, "issuer_parent", False), title=fields["title"], year=year,
        source=source, campaigns=campaigns, implements=implements,
        preamble=reader.text(entry, "preamble", False),
        objectives=objectives,
        content=content, board=board, report_deadline=deadline, report_to=report_to,
        report_forward_to=reader.text(report, "forward_to", False) if report else "",
        report_text=reader.text(report, "text", False) if report else "",
        followup=reader.text(report, "followup", False) if report else "",
        recipients=recipients, signer_title=signer_title, signer=signer_name,
    )


def _children(entry: Entry | None, key: str) -> list[Entry]:
    child = entry.child(key) if entry is not None else None
    return child.children() if child is not None else []


def _references(reader: _Reader) -> list[Reference]:
    refs = []
    for item in _children(reader.entry, "implements"):
        issued = reader.day(item, "date")
        number = reader.text(item, "number")
        if issued and number:
            refs.append(Reference(number, issued, reader.text(item, "issuer"), reader.text(item, "subject", False)))
    return refs


def _item(reader: _Reader, item: Entry) -> PlanItem:
    if not isinstance(item.value, dict):
        reader.error(item.line, "mỗi mục nội dung cần number và text")
        return PlanItem("", "")
    number = str(item.value.get("number", ""))
    return PlanItem(
        number=number, text=reader.text(item, "text"),
        items=tuple(_item(reader, child) for child in _children(item, "items")),
        tasks=tuple(_task(reader, child, number) for child in _children(item, "tasks")),
    )


def _task(reader: _Reader, item: Entry, section: str) -> Task:
    value = item.value if isinstance(item.value, dict) else {}
    task_id = reader.text(item, "id")
    if task_id in reader.task_ids:
        reader.error(item.line_of("id"), f"mã nhiệm vụ {task_id!r} lặp lại", "mỗi nhiệm vụ cần một id riêng")
    reader.task_ids.add(task_id)
    kind = value.get("kind")
    if kind not in TASK_KINDS:
        reader.error(item.line_of("kind"), f"loại nhiệm vụ không biết: {kind!r}", "dùng: " + ", ".join(TASK_KINDS))
    campaign = reader.campaign(item, value["campaign"]) if value.get("campaign") else ""
    if kind == "article" and not campaign:
        reader.error(item.line, f"nhiệm vụ viết bài {task_id!r} cần khóa campaign", "ví dụ campaign: gio-trai-dat")
    support = reader.texts(item, "support")
    materials = [Material(str(m.get("title", "")), str(m.get("url", ""))) for m in value.get("materials") or ()
                 if isinstance(m, dict)]
    return Task(
        id=task_id, plan=reader.plan_id, title=reader.text(item, "title"), kind=str(kind),
        lead=reader.office(item, "lead", value.get("lead")), line=item.line, text=reader.text(item, "text", False),
        section=section,
        support=tuple(reader.office(item, "support", s) for s in support), campaign=campaign,
        assignment=reader.text(item, "assignment", False), due=reader.day(item, "due", required=False),
        materials=tuple(materials),
    )


def _slot(reader: _Reader, item: Entry) -> BoardSlot | None:
    if not isinstance(item.value, dict):
        reader.error(item.line, "mỗi khẩu hiệu cần slogan và start", "ví dụ - {slogan: \"…\", start: 2023-03-25}")
        return None
    slogan, start = reader.text(item, "slogan"), reader.day(item, "start")
    end = reader.day(item, "end", required=False) or start
    campaign = reader.campaign(item, item.value["campaign"]) if item.value.get("campaign") else ""
    if not slogan or start is None:
        return None
    return BoardSlot(slogan, start, end, item.line, campaign, str(item.value.get("task") or ""),
                     reader.text(item, "note", False))
