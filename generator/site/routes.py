"""Every item's URL, and the listings built from the articles (news, campaign, office, tag pages).

This is the only module that knows the URL scheme; templates and the Markdown link rewriter
ask it. URLs here are site paths without the base path ("tin-tuc/2023/gio-trai-dat/"), so the
same routes serve a site at the domain root or under a sub-path.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from generator.content.documents import Document
from generator.content.model import Article, Campaign, Department, Page, Plan, Site, Source
from generator.plan import status as plans
from generator.problems import Problems
from generator.site.related import RelatedIndex
from generator.vietnamese.text import slugify, sort_key

SEARCH_URL = "tim-kiem/"
SEARCH_INDEX = "search/index.json"  # made by site/search.py, read by the search page


def article_url(article: Article) -> str:
    return f"tin-tuc/{article.year}/{article.slug}/"


def campaign_url(campaign: Campaign | str) -> str:
    return f"chuyen-de/{getattr(campaign, 'id', campaign)}/"


def campaign_year_url(campaign: Campaign | str, year: int) -> str:
    return f"{campaign_url(campaign)}{year}/"


def department_url(department: Department | str) -> str:
    return f"don-vi/{getattr(department, 'id', department)}/"


def tag_url(tag: Tag | str) -> str:
    return f"the/{tag.slug if isinstance(tag, Tag) else slugify(tag)}/"


def page_url(page: Page) -> str:
    return f"{page.slug}/"


def document_url(document: Document) -> str:
    return f"van-ban/{document.slug}/"


def paged_url(base: str, number: int) -> str:
    """Page `number` of the list at `base`: the first is the list's own address, then base/trang/N/."""
    return base if number == 1 else f"{base}trang/{number}/"


def news_url(number: int) -> str:
    return paged_url("tin-tuc/", number)


def plan_url(plan: Plan) -> str:
    return f"ke-hoach/{slugify(plan.id)}/"


def plan_progress_url(plan: Plan) -> str:
    return plan_url(plan) + "tien-do/"


def plan_report_url(plan: Plan) -> str:
    return plan_url(plan) + "bao-cao/"


BOARD_URL = "bang-dien-tu/"


def url_of(item: Any) -> str:
    """The one entry point templates use: the site path of any model item."""
    for kind, make in ((Article, article_url), (Campaign, campaign_url), (Department, department_url),
                       (Page, page_url), (Tag, tag_url), (Document, document_url), (Plan, plan_url)):
        if isinstance(item, kind):
            return make(item)
    raise TypeError(f"no URL for {type(item).__name__}")


def output_file(url: str) -> str:
    """Pretty URLs: a directory path is served from its index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    articles: tuple[Article, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Pagination:
    """One page of a list of articles (news, a campaign, a campaign's year, an office, a tag)."""

    number: int
    total: int
    items: tuple[Article, ...]
    base: str = "tin-tuc/"  # the list's own URL, which is its first page

    @property
    def previous_url(self) -> str | None:
        return paged_url(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return paged_url(self.base, self.number + 1) if self.number < self.total else None

    @property
    def pages(self) -> list[tuple[int | None, str | None]]:
        """The numbers the navigation links: the first, the last and two either side of this page,
        with (None, None) where numbers are left out. Listing all 200 pages of a big site's news on
        each of them would make the navigation longer than the list, and the site quadratic."""
        shown = sorted({1, self.total, *range(max(1, self.number - 2), min(self.total, self.number + 2) + 1)})
        numbers: list[tuple[int | None, str | None]] = []
        for before, number in zip([0, *shown], shown, strict=False):
            if number - before == 2:  # a gap of one page: its number takes no more room than "…"
                numbers.append((before + 1, paged_url(self.base, before + 1)))
            elif number - before > 2:
                numbers.append((None, None))
            numbers.append((number, paged_url(self.base, number)))
        return numbers


def paginate(base: str, articles: tuple[Article, ...], per_page: int) -> list[Pagination]:
    """A list cut into pages of `per_page` (site.yaml's news_per_page): thousands of articles on
    one page would make a campaign's page megabytes long on a phone. An empty list has one page."""
    total = max(1, -(-len(articles) // per_page))
    return [Pagination(n, total, articles[(n - 1) * per_page: n * per_page], base) for n in range(1, total + 1)]


@dataclass(frozen=True)
class Route:
    """One page to render: where it goes, which template, and what the template gets."""

    url: str
    template: str
    context: tuple[tuple[str, Any], ...] = ()

    @property
    def file(self) -> str:
        return output_file(self.url)


def collect_tags(articles: tuple[Article, ...]) -> tuple[Tag, ...]:
    """Tags merged by slug (old and new tone placement are one tag), in Vietnamese order.

    The name shown is the spelling most authors used.
    """
    by_slug: dict[str, list[tuple[str, Article]]] = defaultdict(list)
    for article in articles:
        for name in article.tags:
            by_slug[slugify(name)].append((name, article))
    tags = []
    for slug, uses in by_slug.items():
        name = Counter(n for n, _ in uses).most_common(1)[0][0]
        tags.append(Tag(name, slug, tuple(dict.fromkeys(a for _, a in uses))))
    return tuple(sorted(tags, key=lambda t: sort_key(t.name)))


def related(article: Article, articles: tuple[Article, ...], limit: int = 4) -> tuple[Article, ...]:
    """'Tin liên quan': same campaign weighs most, then each shared tag; newest first on ties."""
    tags = set(article.tags)

    def score(other: Article) -> int:
        return 3 * (other.campaign == article.campaign) + len(tags & set(other.tags))

    candidates = [a for a in articles if a is not article and score(a) > 0]
    candidates.sort(key=lambda a: (score(a), a.published), reverse=True)
    return tuple(candidates[:limit])


def check_unique_urls(site: Site, problems: Problems) -> None:
    """Two sources that would write the same page: name both so the author can pick a new slug."""
    owners: dict[str, Source] = {}
    reserved = {"tin-tuc/", "chuyen-de/", "don-vi/", "the/", SEARCH_URL, "van-ban/", "to-chuc/", "en/", "ke-hoach/",
                BOARD_URL}
    items = [(article_url(a), a.source) for a in site.articles] + [(page_url(p), p.source) for p in site.pages]
    for url, source in items:
        if url in reserved:
            problems.error(site.content_dir / source.path, source.line_of("slug") or source.line_of("title"),
                           f"địa chỉ /{url} trùng với một trang của hệ thống", "đặt slug khác")
        elif url in owners:
            problems.error(site.content_dir / source.path, source.line_of("slug") or source.line_of("title"),
                           f"trùng địa chỉ /{url} với {problems.shown(site.content_dir / owners[url].path)}",
                           "đặt slug khác cho một trong hai bài")
        else:
            owners[url] = source  # named only on a clash: shown() costs a path resolution
    _check_files_against_pages(site, owners, problems)


def _check_files_against_pages(site: Site, owners: dict[str, Source], problems: Problems) -> None:
    """A file under content/ where a page needs its folder ('tin-tuc/2023/nuoc' beside the article at
    /tin-tuc/2023/nuoc/), or where a page's index.html goes: the build could write neither."""
    folders: dict[str, Source] = {}
    for url, source in owners.items():
        parts = url.rstrip("/").split("/")
        for end in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:end]), source)
    for file in site.static_files:
        name = PurePosixPath(file).as_posix()
        source = folders.get(name) or owners.get(name.removesuffix("index.html"))
        if source is None:
            continue
        page = problems.shown(site.content_dir / source.path)
        line = source.line_of("slug") or source.line_of("title")
        problems.error(site.content_dir / file, None,
                       f"tệp trùng chỗ với trang của {page}" + (f":{line}" if line else ""),
                       "đổi tên hoặc chuyển tệp này vào thư mục khác (ví dụ anh/), hoặc đặt slug khác cho bài")


def sitemap_route(page_routes: Iterable[Route]) -> Route:
    """sitemap.xml, listing every HTML page of `page_routes` but the 404 page (made after them)."""
    return Route("sitemap.xml", "sitemap.xml",
                 (("urls", tuple(r.url for r in page_routes if r.file.endswith(".html") and r.url != "404.html")),))


def build_routes(site: Site, today: date) -> tuple[Route, ...]:
    articles = site.articles
    routes = [Route("", "home.html", (("latest", articles[:6]), ("today", today)))]
    per_page = site.config.news_per_page
    routes += _list_routes(news_url(1), "news.html", (), articles, per_page)
    related_index = RelatedIndex(articles)  # the same answers as related(), without scoring every pair
    for index, article in enumerate(articles):
        newer = articles[index - 1] if index > 0 else None
        older = articles[index + 1] if index + 1 < len(articles) else None
        routes.append(Route(article_url(article), "article.html", (
            ("article", article), ("related", related_index.related(article)), ("newer", newer), ("older", older))))
    routes += _campaign_routes(site)
    routes.append(Route("don-vi/", "departments.html", ()))
    for department in site.departments:
        mine = tuple(a for a in articles if a.department == department.id)
        routes += _list_routes(department_url(department), "department.html", (("department", department),), mine,
                               per_page)
    tags = collect_tags(articles)
    routes.append(Route("the/", "tags.html", (("tags", tags),)))
    for tag in tags:
        routes += _list_routes(tag_url(tag), "tag.html", (("tag", tag),), tag.articles, per_page)
    routes += [Route(page_url(p), "page.html", (("page", p),)) for p in site.pages]
    routes += _agency_routes(site)
    routes.append(Route(SEARCH_URL, "search.html", (("index_path", SEARCH_INDEX),)))
    routes += plan_routes(site, today)
    routes.append(Route("404.html", "404.html", ()))
    routes.append(Route("atom.xml", "atom.xml", (("feed_articles", articles[:30]), ("feed_title", site.config.name),
                                                 ("feed_url", "atom.xml"), ("feed_home", ""))))
    routes.append(Route("robots.txt", "robots.txt", ()))
    return tuple(routes)


def _list_routes(base: str, template: str, context: tuple[tuple[str, Any], ...], articles: tuple[Article, ...],
                 per_page: int) -> list[Route]:
    """The pages of one list: each gets the list's context, its articles and its pagination."""
    return [Route(paged_url(base, page.number), template, (*context, ("articles", page.items), ("pagination", page)))
            for page in paginate(base, articles, per_page)]


def _campaign_routes(site: Site) -> list[Route]:
    routes = [Route("chuyen-de/", "campaigns.html", ())]
    per_page = site.config.news_per_page
    for campaign in site.campaigns:
        mine = tuple(a for a in site.articles if a.campaign == campaign.id)
        years = sorted({t.year for t in campaign.themes} | {a.year for a in mine}, reverse=True)
        routes += _list_routes(campaign_url(campaign), "campaign.html",
                               (("campaign", campaign), ("years", tuple(years))), mine, per_page)
        for year in years:
            routes += _list_routes(campaign_year_url(campaign, year), "campaign_year.html",
                                   (("campaign", campaign), ("year", year), ("theme", campaign.theme(year))),
                                   tuple(a for a in mine if a.year == year), per_page)
        routes.append(Route(f"{campaign_url(campaign)}atom.xml", "atom.xml", (
            ("feed_articles", mine[:30]), ("feed_title", f"{campaign.name_vi} – {site.config.short_name}"),
            ("feed_url", f"{campaign_url(campaign)}atom.xml"), ("feed_home", campaign_url(campaign)))))
    return routes


def _agency_routes(site: Site) -> list[Route]:
    """What Decree 42/2022/NĐ-CP asks a state agency's site to publish: documents, organisation, English."""
    routes = []
    if site.documents:
        routes.append(Route("van-ban/", "documents.html", (("documents", site.documents),)))
        routes += [Route(document_url(d), "document.html", (("document", d),)) for d in site.documents]
    if has_organisation_pages(site):
        routes.append(Route("to-chuc/", "organisation.html", (("lang", "vi"),)))
        routes.append(Route("en/", "organisation.html", (("lang", "en"),)))
        routes.append(Route("en/contacts/", "contacts_en.html", ()))
    return routes


def has_organisation_pages(site: Site) -> bool:
    """Whether the site has the organisation page (to-chuc/) and the English pages (en/)."""
    return bool(site.organisation and (site.organisation.functions_vi or site.organisation.contacts))


def plan_routes(site: Site, today: date) -> list[Route]:
    """The plans as documents, their progress and results report (as of `today`), and the board."""
    if not site.plans:
        return []
    routes = [Route("ke-hoach/", "plan_list.html", (("plans", site.plans),))]
    for plan in site.plans:
        report = plans.build_report(site, plan, today)
        context = (("plan", plan), ("report", report))
        routes += [Route(plan_url(plan), "plan.html", context),
                   Route(plan_progress_url(plan), "plan_progress.html", context),
                   Route(plan_report_url(plan), "plan_report.html", context)]
    slots = plans.board_schedule(site)
    routes.append(Route(BOARD_URL, "board.html", (("slots", slots), ("slots_json", plans.board_json(site, slots)))))
    return routes
