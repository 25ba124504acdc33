"""Cross-references in the data files: menu entries lead to pages the site has, and links in the data are web links.

Articles' campaign and department ids are checked where they are read (load.py); this module checks
what can only be known once the site is modelled: the set of pages the build will write.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.content.model import Site
from generator.markdown import sanitize
from generator.problems import Problems
from generator.site import routes

SITE_YAML = Path("_data") / "site.yaml"
CAMPAIGNS_YAML = Path("_data") / "campaigns.yaml"
WEB = ("http", "https")


def check(site: Site, page_routes: Iterable[routes.Route], problems: Problems) -> None:
    """`page_routes`: the routes the build will render (built once, by the build)."""
    check_menu(site, page_routes, problems)
    check_campaign_links(site, problems)


def site_paths(site: Site, page_routes: Iterable[routes.Route]) -> set[str]:
    """Every site path the build will publish, plus the pages whose source exists but failed to load.

    A page with a front-matter error is missing from the model; counting its file's name keeps the
    menu check from adding a second, misleading message about the same mistake.
    """
    paths = {route.url for route in page_routes}
    paths |= {f.as_posix() for f in site.static_files}
    pages = site.content_dir / "pages"
    paths |= {f"{source.stem}/" for source in pages.glob("*.md")} if pages.is_dir() else set()
    return paths


def check_menu(site: Site, page_routes: Iterable[routes.Route], problems: Problems) -> None:
    """A menu entry pointing nowhere is a broken link on every page: report it at its line in site.yaml."""
    known = site_paths(site, page_routes)
    for item in site.config.menu:
        parts = urlsplit(item.href)
        scheme = sanitize.scheme(item.href)
        if scheme and scheme not in sanitize.SCHEMES:
            problems.error(site.content_dir / SITE_YAML, item.line, f"mục menu '{item.title}' có địa chỉ không an toàn",
                           "chỉ dùng đường dẫn trong trang (tin-tuc/) hoặc địa chỉ https://")
            continue
        if scheme or parts.netloc or item.href.startswith("#"):
            continue  # outside links are the link checker's business
        path = unquote(parts.path).lstrip("/")
        if path in known or f"{path}/" in known:
            continue
        close = difflib.get_close_matches(path, sorted(known), n=1, cutoff=0.6)
        page = path.strip("/") if path.strip("/").count("/") == 0 else "<tên>"
        hint = f"có phải ý bạn là '{close[0]}'?" if close else \
            f"tạo trang content/pages/{page}.md, hoặc sửa href thành đường dẫn của một trang có thật"
        problems.error(site.content_dir / SITE_YAML, item.line,
                       f"mục menu '{item.title}' trỏ tới trang không tồn tại: /{path}", hint)


def check_campaign_links(site: Site, problems: Problems) -> None:
    """The organiser's address and each theme's source are printed as links: they must be web addresses."""
    path = site.content_dir / CAMPAIGNS_YAML
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    for campaign in site.campaigns:
        for url in (campaign.organiser_url, *(theme.source for theme in campaign.themes)):
            if url and urlsplit(url.strip()).scheme not in WEB:
                line = next((n for n, text in enumerate(lines, 1) if url in text), None)
                problems.error(path, line, f"địa chỉ không phải trang web trong chiến dịch {campaign.id}: {url!r}",
                               "viết địa chỉ đầy đủ bắt đầu bằng https://")
