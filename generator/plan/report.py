"""The results report, the task table and the staff digest as text, Markdown and stand-alone HTML.

Everything here formats a `plan.Report`; nothing is computed twice. The HTML forms use the same
Jinja templates as the site (`partials/plan_report_body.html`, `digest.html`) with absolute links,
so a file sent by email or printed on its own reads like the published page.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin

from generator.content.load import load_site
from generator.content.model import Article, Material, Site
from generator.plan.status import DONE, Report, build_report, find_plan
from generator.problems import BuildFailed, Problem, Problems
from generator.rendering import templates as render
from generator.rendering.templates import RenderContext
from generator.site import routes
from generator.vietnamese.text import date_admin, date_short


class UnknownPlan(Exception):
    """The --plan named no plan under content/_data/plans/ (a usage error)."""


def open_report(content: Path, project: Path, plan_id: str | None, today) -> tuple[Site, Report, list[Problem]]:
    """Load the content and compute one plan's report; BuildFailed when the content has errors.

    Returns the warnings too (schedule slips), for the command to show.
    """
    problems = Problems(root=project)
    site = load_site(content, problems)
    if site is None or problems.errors:
        raise BuildFailed(problems.items)
    plan = find_plan(site, plan_id)
    if plan is None:
        known = ", ".join(p.id for p in site.plans) or "chưa có kế hoạch nào trong content/_data/plans/"
        raise UnknownPlan(f"không có kế hoạch {plan_id!r}; các kế hoạch: {known}")
    return site, build_report(site, plan, today), problems.warnings


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str
    sender: str = ""

    def eml(self) -> bytes:
        """One message with both parts, which mail programs open as a draft ready to address and send
        (X-Unsent makes Outlook open it for editing)."""
        message = EmailMessage()
        message["Subject"] = self.subject
        if self.sender:
            message["From"] = self.sender
        message["X-Unsent"] = "1"
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return bytes(message)


def article_link(site: Site, article: Article) -> str:
    return site.config.base_url + routes.article_url(article)


def _office(site: Site, office_id: str, short: bool = False) -> str:
    office = site.department(office_id)
    return office.short_name if short else office.name


def _title_tail(report: Report) -> str:
    plan = report.plan
    return f"{plan.kind} số {plan.number} {date_admin(plan.issued)} về việc {plan.title[:1].lower()}{plan.title[1:]}"


def report_lines(site: Site, report: Report, markdown: bool = False) -> list[str]:
    """The report as lines; `markdown` adds headings and list markers, the text form indents instead."""
    plan = report.plan
    h1, h2, h3, item = ("# ", "## ", "### ", "- ") if markdown else ("", "", "", "   - ")
    lines = [f"{plan.issuer.upper()}", f"Số:      /BC-{plan.number.rsplit('-', 1)[-1]}",
             f"{plan.place}, {date_admin(report.today)}", "",
             f"{h1}BÁO CÁO", f"Kết quả thực hiện {_title_tail(report)}", "",
             f"Thực hiện {_title_tail(report)}, {plan.issuer} báo cáo kết quả thực hiện như sau:", "",
             f"{h2}I. Kết quả thực hiện", "",
             f"Tính đến {date_admin(report.today)}, đã thực hiện {report.count(DONE)}/{len(report.statuses)} "
             f"nhiệm vụ của Kế hoạch.", ""]
    for number, status in enumerate(report.statuses, 1):
        task = status.task
        offices = ", ".join(_office(site, o) for o in task.offices)
        lines += [f"{h3}{number}. {task.title} (mục II.{task.section})",
                  f"{'' if markdown else '   '}Đơn vị thực hiện: {offices}. Kết quả: {status.label}.", ""]
        for article in status.articles:
            lines.append(f"{item}Bài viết: {article.title} ({_office(site, article.department, True)}, "
                         f"{date_short(article.published)}): {article_link(site, article)}")
        for result in status.results:
            body = f": {' '.join(result.body.split())}" if result.body else ""
            lines.append(f"{item}{result.title} ({_office(site, result.department, True)}, "
                         f"{date_short(result.day)}){body}")
            lines += [f"{'  ' if markdown else '      '}- {label}: {value}" for label, value in result.figures]
        if task.kind == "board":
            lines += [f"{item}{_when(slot.start, slot.end)}: “{slot.slogan}”" for slot in plan.board
                      if not slot.task or slot.task == task.id]
        if status.articles or status.results or task.kind == "board":
            lines.append("")
    lines += [f"{h2}II. Nhiệm vụ chưa có kết quả", ""]
    unfinished = [f"{item}{s.task.title} ({_office(site, s.task.lead)}): {s.label.lower()}"
                  + (f", hạn trước {date_short(s.due)}." if s.due else ".") for s in report.unfinished]
    lines += unfinished or ["Các nhiệm vụ của Kế hoạch đều đã thực hiện."]
    forward = f", kính gửi {plan.report_forward_to} tổng hợp" if plan.report_forward_to else ""
    lines += ["", f"Trên đây là báo cáo kết quả thực hiện {plan.kind} số {plan.number} của {plan.issuer}{forward}./.",
              "", "Nơi nhận:"]
    if plan.report_forward_to:
        lines.append(f"- {plan.report_forward_to};")
    lines.append(f"- Lưu: VT, {_office(site, plan.report_to, True)}." if plan.report_to else "- Lưu: VT.")
    lines += ["", *[line for line in plan.signer_title], ""]
    return lines


def _when(start, end) -> str:
    return f"Ngày {date_short(start)}" if start == end else f"Từ ngày {date_short(start)} đến ngày {date_short(end)}"


def _environment(site: Site, report: Report, templates: Path):
    context = RenderContext(site, site.config.base_url, {}, {}, report.today)
    return render.make_environment(templates, context)


def report_html(site: Site, report: Report, templates: Path, assets: Path) -> str:
    """A stand-alone, printable HTML file: styles inline, every link absolute."""
    env = _environment(site, report, templates)
    css = (assets / "css" / "plan.css").read_text(encoding="utf-8") if (assets / "css" / "plan.css").is_file() else ""
    route = routes.Route(routes.plan_report_url(report.plan), "plan_report_standalone.html",
                         (("plan", report.plan), ("report", report), ("plan_css", css)))
    return render.render_route(env, route)


def format_report(site: Site, report: Report, fmt: str, templates: Path, assets: Path) -> str:
    if fmt == "html":
        return report_html(site, report, templates, assets)
    return "\n".join(report_lines(site, report, markdown=fmt == "md")).rstrip() + "\n"


def task_table(site: Site, report: Report) -> str:
    """`awareness plan`: one line per task, columns padded for a terminal."""
    header = ("Mã", "Mục", "Nhiệm vụ", "Chủ trì", "Hạn (trước)", "Trạng thái", "Kết quả")
    rows = [header]
    for s in report.statuses:
        title = s.task.title if len(s.task.title) <= 48 else s.task.title[:47] + "…"
        rows.append((s.task.id, s.task.section, title, _office(site, s.task.lead, True),
                     date_short(s.due) if s.due else "", s.label, str(len(s.articles) + len(s.results))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    plan = report.plan
    lines.insert(0, f"{plan.kind} số {plan.number} – tính đến {date_short(report.today)}: "
                    f"{report.count(DONE)}/{len(report.statuses)} nhiệm vụ đã thực hiện")
    return "\n".join(lines) + "\n"


# --- The staff digest (task 1.2) -----------------------------------------------------------


def digest_materials(site: Site, report: Report) -> tuple[tuple[Material, ...], list[str]]:
    """The links to send staff: the plan's materials, then each campaign's official page for the year.

    A site path among the materials is kept only if the site publishes it, and named in the second
    value otherwise, so no one mails a dead link.
    """
    plan, missing = report.plan, []
    page_urls = {routes.page_url(p) for p in site.pages}
    links: list[Material] = []
    for task in plan.tasks:
        for material in task.materials:
            if material.url.startswith(("http://", "https://")):
                links.append(material)
            elif material.url in page_urls:
                links.append(Material(material.title, urljoin(site.config.base_url, material.url)))
            else:
                missing.append(material.url)
    for campaign_id in plan.campaigns:
        campaign = site.campaign(campaign_id)
        theme = campaign.theme(plan.year)
        if theme and theme.source:
            links.append(Material(f"{campaign.name_vi} {plan.year} – chủ đề “{theme.vi}” ({campaign.organiser})",
                                  theme.source))
    return tuple(links), missing


def digest_subject(report: Report, site: Site) -> str:
    plan = report.plan
    return f"[{site.config.short_name}] Tài liệu tuyên truyền: {plan.title[:1].lower()}{plan.title[1:]}"


def digest(site: Site, report: Report, templates: Path) -> tuple[Digest, list[str]]:
    materials, missing = digest_materials(site, report)
    subject = digest_subject(report, site)
    plan = report.plan
    text = [f"Tiêu đề: {subject}", "",
            "Kính gửi: Toàn thể công chức, viên chức, người lao động của cơ quan, đơn vị.", "",
            f"Thực hiện {plan.kind} số {plan.number} {date_admin(plan.issued)} của {plan.issuer}, "
            f"Văn phòng Sở gửi thông tin, tài liệu tuyên truyền {plan.title[:1].lower()}{plan.title[1:]}:", ""]
    text += [f"- {m.title}: {m.url}" for m in materials]
    if report.articles:
        text += ["", f"Bài viết đã đăng trên Website của {plan.issuer}:", ""]
        text += [f"- {a.title} ({date_short(a.published)}): {article_link(site, a)}" for a in report.articles]
    text += ["", f"Toàn văn kế hoạch: {site.config.base_url + routes.plan_url(plan)}", "", site.config.name, ""]
    env = _environment(site, report, templates)
    route = routes.Route(routes.plan_url(plan), "digest.html", (
        ("plan", plan), ("report", report), ("subject", subject), ("materials", materials)))
    return Digest(subject, "\n".join(text), render.render_route(env, route), site.config.email), missing
