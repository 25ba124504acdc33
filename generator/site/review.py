"""The reviewers' page of the preview (/_duyet/): every article that is not published yet.

Drafts and scheduled articles are what a reviewer is asked to look at; this page lists them, newest
change first, with their office, campaign, length, plan task and the problems the build found in
them, each linking to its preview. The preview server renders it on request; the build never does,
so nothing of it reaches output/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.content.model import Article, Site
from generator.problems import Problem
from generator.site import routes
from generator.vietnamese.text import TZ  # the reviewers' clock, whatever the server's

REVIEW_URL = "_duyet/"


@dataclass(frozen=True)
class ReviewRow:
    article: Article
    state: str  # "nháp" or "hẹn đăng"
    url: str  # the article's preview page
    words: int
    changed: datetime  # when the file was last saved
    problems: tuple[Problem, ...]  # errors and warnings of its file


def unpublished(article: Article, today: date) -> str | None:
    """Why an article is not on the published site, or None when it is."""
    if article.draft:
        return "nháp"
    if article.published.date() > today:
        return "hẹn đăng"
    return None


def review_rows(site: Site, problems: tuple[Problem, ...], content: Path, shown: str, today: date) \
        -> tuple[ReviewRow, ...]:
    """The drafts and scheduled articles of `site`, newest change first.

    `shown` is the content folder as problems name it (for example "content"), so each row gets the
    problems of its own file.
    """
    rows = []
    for article in site.articles:
        state = unpublished(article, today)
        if state is None:
            continue
        source = article.source.path.as_posix()
        name = source if shown in ("", ".") else f"{shown}/{source}"
        path = content / article.source.path
        changed = datetime.fromtimestamp(path.stat().st_mtime, TZ) if path.exists() else article.published
        rows.append(ReviewRow(article, state, routes.article_url(article), len(article.body.split()),
                              changed, tuple(p for p in problems if p.path == name)))
    return tuple(sorted(rows, key=lambda row: row.changed, reverse=True))


def review_route(rows: tuple[ReviewRow, ...]) -> routes.Route:
    return routes.Route(REVIEW_URL, "review.html", (("rows", rows),))
