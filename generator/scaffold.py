"""`awareness new`: a new article file with its front matter filled in from the data files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from generator.data import load_campaigns, load_departments
from generator.frontmatter_schema import suggest
from generator.problems import Problems
from generator.text import slugify


class ScaffoldError(Exception):
    pass


def new_article(content: Path, campaign_id: str, department_id: str, title: str, today: date) -> Path:
    problems = Problems()
    campaigns = {c.id: c for c in load_campaigns(content / "_data" / "campaigns.yaml", problems)}
    departments = [d.id for d in load_departments(content / "_data" / "departments.yaml", problems)]
    if campaign_id not in campaigns:
        raise ScaffoldError(f"chiến dịch không biết: {campaign_id!r}; {suggest(campaign_id, list(campaigns))}")
    if department_id not in departments:
        raise ScaffoldError(f"đơn vị không biết: {department_id!r}; {suggest(department_id, departments)}")
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("tiêu đề không tạo được tên tệp; dùng chữ hoặc số")
    path = content / "bai-viet" / str(today.year) / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"tệp {path} đã có; chọn tiêu đề khác")
    theme = campaigns[campaign_id].theme(today.year)
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
