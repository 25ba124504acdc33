"""A plan's progress and its results report, as data computed from what was published.

A task is done when what it asks for exists by the reference date: an article for an essay task;
an article or a result entry for the materials task; an office's result entry for activities and
the board. Otherwise it is pending until its deadline and overdue from the deadline on (the plan
says "trước ngày 18/4/2023": the 18th is already late). Pages, the CLI and the digest all read the
`Report` made here, so they never disagree on a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.content.model import Article, BoardSlot, Department, Plan, Result, Site, Task
from generator.vietnamese.text import slugify

DONE, PENDING, OVERDUE = "done", "pending", "overdue"
STATE_LABELS = {DONE: "Đã thực hiện", PENDING: "Chưa thực hiện", OVERDUE: "Quá hạn"}
KIND_LABELS = {"article": "Bài viết theo chủ đề", "materials": "Gửi tài liệu tuyên truyền",
               "activity": "Hoạt động và báo cáo", "board": "Khẩu hiệu bảng điện tử"}
NEEDS_RESULT = ("activity", "board")  # work that leaves no article: only an office's result entry proves it

FORMATS = ("text", "md", "html")  # what `awareness plan report --format` writes (plan_report.py)


@dataclass(frozen=True)
class TaskStatus:
    task: Task
    state: str
    due: date | None
    articles: tuple[Article, ...] = ()
    results: tuple[Result, ...] = ()

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.task.kind, self.task.kind)


@dataclass(frozen=True)
class Report:
    """Everything the progress page, the results report and the digest show for one plan."""

    plan: Plan
    today: date
    statuses: tuple[TaskStatus, ...]

    def count(self, state: str) -> int:
        return sum(1 for s in self.statuses if s.state == state)

    @property
    def unfinished(self) -> tuple[TaskStatus, ...]:
        return tuple(s for s in self.statuses if s.state != DONE)

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every published article of the plan, oldest first, each once."""
        seen = dict.fromkeys(a for s in self.statuses for a in s.articles)
        return tuple(sorted(seen, key=lambda a: a.published))

    @property
    def days_left(self) -> int | None:
        deadline = self.plan.report_deadline
        return (deadline - self.today).days if deadline else None

    def by_office(self, departments: tuple[Department, ...]) -> list[tuple[Department, list[TaskStatus]]]:
        """Each office with the tasks it leads or supports, in the order of departments.yaml."""
        table = []
        for office in departments:
            mine = [s for s in self.statuses if office.id in s.task.offices]
            if mine:
                table.append((office, mine))
        return table


def find_plan(site: Site, plan_id: str | None) -> Plan | None:
    """The plan named (case-insensitively, by id or number), or the newest one when none is named."""
    if plan_id is None:
        return site.plans[0] if site.plans else None
    wanted = slugify(plan_id)
    return next((p for p in site.plans if slugify(p.id) == wanted or slugify(p.number) == wanted), None)


def published(site: Site, today: date) -> tuple[Article, ...]:
    return tuple(a for a in site.articles if not a.draft and a.published.date() <= today)


def task_status(task: Task, plan: Plan, articles: tuple[Article, ...], results: tuple[Result, ...],
                today: date) -> TaskStatus:
    mine = tuple(sorted((a for a in articles if _names(a.plan_task, a.year, task, plan)), key=lambda a: a.published))
    done_work = tuple(r for r in results if _names(r.plan_task, r.day.year, task, plan) and r.day <= today)
    due = task.due or plan.report_deadline
    if (done_work and task.kind != "article") or (mine and task.kind not in NEEDS_RESULT):
        state = DONE
    elif due is not None and today >= due:
        state = OVERDUE
    else:
        state = PENDING
    return TaskStatus(task, state, due, mine, done_work)


def _names(ref: str, year: int, task: Task, plan: Plan) -> bool:
    """Whether a plan_task value names this task: 'PLAN/ID', or a bare id from the plan's year
    (the same task id may come back in next year's plan)."""
    plan_id, _, task_id = ref.rpartition("/")
    if plan_id:
        return task_id == task.id and plan_id.casefold() == plan.id.casefold()
    return task_id == task.id and year == plan.year


def build_report(site: Site, plan: Plan, today: date) -> Report:
    articles = published(site, today)
    statuses = tuple(task_status(t, plan, articles, site.results, today) for t in plan.tasks)
    return Report(plan, today, statuses)


def board_schedule(site: Site) -> tuple[BoardSlot, ...]:
    """Every plan's slogans for the board at the headquarters, in date order."""
    return tuple(sorted((s for p in site.plans for s in p.board), key=lambda s: (s.start, s.end, s.slogan)))


def board_json(site: Site, slots: tuple[BoardSlot, ...]) -> list[dict[str, str]]:
    """The schedule as board.js reads it: ISO dates compare as strings in the browser."""
    number = {id(s): p.number for p in site.plans for s in p.board}
    return [{"slogan": s.slogan, "start": s.start.isoformat(), "end": s.end.isoformat(), "plan": number[id(s)]}
            for s in slots]
