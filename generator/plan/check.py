"""Checks across a plan and the content: board dates that look mistyped, and the tasks articles and
result entries name (known task, right office, campaign and year).

Schedule problems are warnings, because a signed plan may carry a slip the data corrects; a wrong
reference is an error at the author's line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.frontmatter_schema import suggest
from generator.content.model import Article, Campaign, Plan, Result, Task
from generator.problems import Problems
from generator.vietnamese.text import date_short

CAMPAIGN_WINDOW_DAYS = 45  # a slogan more than this far from its campaign's day is probably mistyped


def check_schedule(plan: Plan, path: Path, campaigns: dict[str, Campaign], problems: Problems) -> None:
    """Warn about board dates that are probably typing slips; each warning names the likely fix."""
    for slot in plan.board:
        entry = f"khẩu hiệu “{_short(slot.slogan)}”"
        if slot.end < slot.start:
            problems.warning(path, slot.line, f"{entry}: ngày kết thúc {date_short(slot.end)} trước ngày bắt đầu "
                             f"{date_short(slot.start)}", "đổi chỗ start và end, hoặc sửa năm cho đúng")
        for key, day in (("start", slot.start), ("end", slot.end)):
            if day.year != plan.year:
                fixed = _same_day(day, plan.year)
                problems.warning(path, slot.line, f"{entry}: {key} {date_short(day)} nằm ngoài năm {plan.year} của "
                                 f"kế hoạch {plan.number}",
                                 f"có phải ý bạn là {date_short(fixed)}? Sửa {key}: {fixed.isoformat()} và ghi lại "
                                 f"nguyên văn văn bản trong note")
        campaign = campaigns.get(slot.campaign)
        if campaign and slot.start.year == plan.year:
            day = campaign.day(plan.year)
            distance = min(abs((slot.start - day).days), abs((slot.end - day).days))
            if not slot.start <= day <= slot.end and distance > CAMPAIGN_WINDOW_DAYS:
                problems.warning(path, slot.line, f"{entry}: cách {campaign.name_vi} ({date_short(day)}) "
                                 f"{distance} ngày", "kiểm tra lại ngày và tháng, hoặc khóa campaign của khẩu hiệu")


def _same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29/2 in a year that has none
        return day.replace(year=year, day=28)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def find_task(plans: tuple[Plan, ...] | list[Plan], ref: str, year: int | None = None) -> list[Task]:
    """Tasks a `plan_task` names: 'PLAN/TASK' exactly, or a bare task id (the plan of `year` first)."""
    plan_id, _, task_id = ref.rpartition("/")
    found = [t for p in plans if not plan_id or p.id.casefold() == plan_id.casefold()
             if (t := p.task(task_id))]
    if len(found) > 1 and year is not None:
        same_year = [t for t in found if _plan_of(plans, t).year == year]
        found = same_year or found
    return found


def _plan_of(plans, task: Task) -> Plan:
    return next(p for p in plans if p.id == task.plan)


def check_references(articles: list[Article], results: list[Result], plans: list[Plan],
                     campaigns: list[Campaign], content_dir: Path, problems: Problems) -> None:
    """An article or result must name a known task, of its year, by an office the task names."""
    known = sorted({f"{t.id}" for p in plans for t in p.tasks})
    for item in [*articles, *results]:
        if not item.plan_task:
            continue
        file, line = content_dir / item.source.path, item.source.line_of("plan_task")
        year = item.year if isinstance(item, Article) else item.day.year
        found = find_task(plans, item.plan_task, year)
        if not found:
            problems.error(file, line, f"nhiệm vụ không có trong kế hoạch nào: {item.plan_task!r}",
                           suggest(item.plan_task, known) + " (xem content/_data/plans/)")
            continue
        if len(found) > 1:
            problems.error(file, line, f"mã nhiệm vụ {item.plan_task!r} có trong nhiều kế hoạch",
                           "ghi kèm mã kế hoạch, ví dụ plan_task: " + f"{found[0].plan}/{found[0].id}")
            continue
        _check_match(item, found[0], _plan_of(plans, found[0]), campaigns, file, problems)


def _check_match(item: Article | Result, task: Task, plan: Plan, campaigns: list[Campaign], file: Path,
                 problems: Problems) -> None:
    names = {c.id: c.name_vi for c in campaigns}
    line = item.source.line_of
    if item.department not in task.offices:
        problems.error(file, line("department") or line("plan_task"),
                       f"nhiệm vụ {task.id} của kế hoạch {plan.number} giao cho {', '.join(task.offices)}, "
                       f"không phải {item.department}",
                       "sửa department cho đúng đơn vị được giao, hoặc sửa plan_task")
    if isinstance(item, Result) and task.kind == "article":
        problems.error(file, line("plan_task"), f"nhiệm vụ {task.id} cần một bài viết, không phải mục kết quả",
                       "đăng bài viết với plan_task này; mục kết quả dành cho hoạt động, tài liệu, bảng điện tử")
    if isinstance(item, Article):
        if task.campaign and item.campaign != task.campaign:
            problems.error(file, line("campaign") or line("plan_task"),
                           f"nhiệm vụ {task.id} thuộc {names.get(task.campaign, task.campaign)}, bài viết lại "
                           f"thuộc {names.get(item.campaign, item.campaign)}",
                           f"sửa campaign: {task.campaign}, hoặc sửa plan_task")
        elif plan.campaigns and item.campaign not in plan.campaigns:
            problems.error(file, line("campaign") or line("plan_task"),
                           f"kế hoạch {plan.number} không có chiến dịch {item.campaign}",
                           "dùng một trong: " + ", ".join(plan.campaigns))
        if item.year != plan.year:
            problems.error(file, line("year") or line("date") or line("plan_task"),
                           f"bài viết năm {item.year} nhưng kế hoạch {plan.number} là của năm {plan.year}",
                           f"thêm year: {plan.year} hoặc sửa plan_task cho kế hoạch năm {item.year}")
