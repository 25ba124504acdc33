"""A site's own copy of the templates made before the header, footer and cards were plain macro
calls still says `fragment("card", cards.card, item, card_level)`: it builds the same pages."""

from __future__ import annotations

import shutil

from bs4 import BeautifulSoup
from conftest import REPO, article

CALLS = {
    "base.html": [('{{ header_part.header(menu_state(route.url), route.url != routes.SEARCH_URL, page_lang) }}',
                   '{{ fragment("header", header_part.header, menu_state(route.url), '
                   'route.url != routes.SEARCH_URL, page_lang) }}'),
                  ('{{ footer_part.footer(page_lang) }}', '{{ fragment("footer", footer_part.footer, page_lang) }}')],
    "partials/article_list.html": [('{{ cards.card(item, card_level) }}',
                                    '{{ fragment("card", cards.card, item, card_level) }}')],
}


def test_templates_calling_fragment_build_the_same_pages(make_site, tmp_path):
    old = tmp_path / "old-templates"
    shutil.copytree(REPO / "templates", old)
    for name, calls in CALLS.items():
        text = (old / name).read_text(encoding="utf-8")
        for today, before in calls:
            assert today in text, f"{name} no longer holds {today}"
            text = text.replace(today, before)
        (old / name).write_text(text, encoding="utf-8")
    site = make_site({"bai-viet/2023/a.md": article("Bài A", tags="[nước]"), "bai-viet/2023/b.md": article("Bài B")})
    site.build(output=tmp_path / "new", cache=None)
    site.build(output=tmp_path / "old", templates=old, cache=None)
    new_pages = sorted(p.relative_to(tmp_path / "new") for p in (tmp_path / "new").rglob("*.html"))
    assert len(new_pages) > 10
    for page in new_pages:
        assert (tmp_path / "old" / page).read_bytes() == (tmp_path / "new" / page).read_bytes(), page
    news = BeautifulSoup((tmp_path / "old" / "tin-tuc" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert [a.get_text() for a in news.select(".card-title a")] == ["Bài B", "Bài A"]
    assert news.select_one("header.site-header .brand") and news.select_one("footer.site-footer")
