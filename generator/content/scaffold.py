"""`awareness new`: a new article (or, for a plan task, a result entry) with its front matter filled in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from generator.content.data import load_campaigns, load_departments
from generator.content.frontmatter_schema import suggest
from generator.content.model import Campaign, Plan, Task
from generator.plan.check import find_task
from generator.plan.load import PLANS_DIR, load_plans
from generator.problems import Problems
from generator.vietnamese.text import slugify


class ScaffoldError(Exception):
    pass


def new_article(content: Path, campaign_id: str, department_id: str, title: str, today: date) -> Path:
    campaign = known_campaign(content, campaign_id, department_id)
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("tiêu đề không tạo được tên tệp; dùng chữ hoặc số")
    path = content / "bai-viet" / str(today.year) / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"tệp {path} đã có; chọn tiêu đề khác")
    theme = campaign.theme(today.year)
    front = {"title": title, "date": today.isoformat(), "campaign": campaign_id, "department": department_id,
             "year": today.year}
    if theme:
        front["theme"] = theme.vi
    front.update({"summary": "", "tags": [], "draft": True})
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" \
        + "Viết nội dung bài ở đây.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def new_for_task(content: Path, task_ref: str, today: date, title: str | None = None) -> Path:
    """The file a plan task asks for: an article for writing and materials tasks, a result entry
    (content/ket-qua/) for activities and the board, with the task's campaign, office and year filled in."""
    task, plan, campaign = plan_task(content, task_ref)
    title = title or (f"Hưởng ứng {campaign.name_vi} năm {plan.year}" if task.kind == "article" else task.title)
    slug = slugify(title)
    result = task.kind in ("activity", "board")
    folder = content / ("ket-qua" if result else "bai-viet") / str(plan.year)
    path = folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"tệp {path} đã có; chọn tiêu đề khác (--title)")
    if result:
        front = {"kind": "result", "plan_task": task.id, "department": task.lead, "date": today.isoformat(),
                 "title": title, "figures": {}, "draft": True}
        body = "Mô tả việc đã làm (hoạt động, số người tham gia, thiết bị đã tắt…); ghi số liệu vào figures.\n"
    else:
        front = {"title": title, "date": today.isoformat(), "campaign": campaign.id, "department": task.lead,
                 "year": plan.year, "plan_task": task.id}
        theme = campaign.theme(plan.year)
        if theme and task.kind == "article":
            front["theme"] = theme.vi
        front.update({"summary": "", "tags": [], "draft": True})
        body = f"Viết nội dung bài ở đây ({task.title}, kế hoạch {plan.number}).\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body,
                    encoding="utf-8")
    return path


def known_campaign(content: Path, campaign_id: str, department_id: str) -> Campaign:
    """The campaign named, after checking both ids against content/_data (also for `awareness import`)."""
    problems = Problems()
    campaigns = {c.id: c for c in load_campaigns(content / "_data" / "campaigns.yaml", problems)}
    departments = [d.id for d in load_departments(content / "_data" / "departments.yaml", problems)]
    if campaign_id not in campaigns:
        raise ScaffoldError(f"chiến dịch không biết: {campaign_id!r}; {suggest(campaign_id, list(campaigns))}")
    if department_id not in departments:
        raise ScaffoldError(f"đơn vị không biết: {department_id!r}; {suggest(department_id, departments)}")
    return campaigns[campaign_id]


def plan_task(content: Path, task_ref: str) -> tuple[Task, Plan, Campaign]:
    """The task a reference names, its plan and its campaign (also for `awareness import --task`)."""
    problems = Problems()
    campaigns = load_campaigns(content / "_data" / "campaigns.yaml", problems)
    offices = [d.id for d in load_departments(content / "_data" / "departments.yaml", problems)]
    plans = load_plans(content / "_data" / PLANS_DIR, problems, campaigns, offices, content)
    found = find_task(plans, task_ref)
    if len(found) != 1:
        known = [f"{t.plan}/{t.id}" for p in plans for t in p.tasks]
        reason = "có trong nhiều kế hoạch; ghi kèm mã kế hoạch" if found else suggest(task_ref, known)
        raise ScaffoldError(f"nhiệm vụ {task_ref!r}: {reason}")
    task = found[0]
    plan = next(p for p in plans if p.id == task.plan)
    return task, plan, {c.id: c for c in campaigns}[task.campaign or plan.campaigns[0]]
