"""Every list of articles is cut into pages of site.yaml's news_per_page: news, campaign, campaign year, office, tag."""

from __future__ import annotations

import pytest

from tests.conftest import article

ARTICLES = 5  # news_per_page is 2 in the fixture site.yaml: three pages of 2, 2 and 1
LISTS = ["tin-tuc/", "chuyen-de/ngay-nuoc-the-gioi/", "chuyen-de/ngay-nuoc-the-gioi/2023/",
         "don-vi/phong-quan-ly-cong-nghiep/", "the/tiet-kiem-nuoc/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import SiteDir

    files = {f"bai-viet/2023/bai-{n}.md": article(f"Bài số {n}", date=f"2023-03-{10 + n}", tags="[tiết kiệm nước]")
             for n in range(ARTICLES)}
    site = SiteDir(tmp_path_factory.mktemp("pagination"), files)
    site.build()
    return site


def _page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}trang/{number}/"


@pytest.mark.parametrize("base", LISTS)
def test_each_list_has_three_pages_holding_every_article_once_newest_first(site, base):
    titles = []
    for number in (1, 2, 3):
        page = site.html(_page_url(base, number))
        titles += [a.get_text(strip=True) for a in page.select(".card-title a")]
        nav = page.select_one("nav.pagination")
        assert nav is not None
        assert nav.select_one('[aria-current="page"]').get_text() == str(number)
        links = {a.get_text(): a["href"] for a in nav.select("a")}
        for other in {1, 2, 3} - {number}:
            assert links[str(other)] == "/" + _page_url(base, other)
        assert ("Trang trước" in links) == (number > 1) and ("Trang sau" in links) == (number < 3)
    assert titles == [f"Bài số {n}" for n in reversed(range(ARTICLES))]
    assert not (site.output / base / "trang" / "4").exists()


@pytest.mark.parametrize("base", LISTS)
def test_later_pages_say_their_number_in_title_and_heading(site, base):
    first, second = site.html(base), site.html(_page_url(base, 2))
    assert "trang" not in first.title.get_text()
    assert "trang 2" in second.title.get_text() and "trang 2/3" in second.h1.get_text()


def test_the_themes_table_is_on_the_campaigns_first_page_only(site):
    assert site.html("chuyen-de/ngay-nuoc-the-gioi/").select_one("table.themes") is not None
    assert site.html("chuyen-de/ngay-nuoc-the-gioi/trang/2/").select_one("table.themes") is None


def test_every_page_of_every_list_is_in_the_sitemap(site):
    from bs4 import BeautifulSoup

    sitemap = BeautifulSoup((site.output / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    listed = {loc.get_text() for loc in sitemap.find_all("loc")}
    for base in LISTS:
        for number in (1, 2, 3):
            assert f"https://sct.example.gov.vn/{_page_url(base, number)}" in listed


def test_a_list_that_fits_on_one_page_has_no_pagination(make_site):
    site = make_site({"bai-viet/2023/mot.md": article("Một bài", tags="[nước]")})
    site.build()
    for base in ["tin-tuc/", "chuyen-de/ngay-nuoc-the-gioi/", "the/nuoc/"]:
        assert site.html(base).select_one("nav.pagination") is None
    assert not (site.output / "the" / "nuoc" / "trang").exists()


def test_a_long_list_links_the_ends_and_the_neighbours_not_every_page(make_site):
    files = {f"bai-viet/2023/bai-{n:02}.md": article(f"Bài {n}", date=f"2023-03-{1 + n % 28:02}") for n in range(30)}
    site = make_site(files)  # 15 news pages of 2
    site.build()
    nav = site.html("tin-tuc/trang/8/").select_one("nav.pagination")
    items = [li.get_text(strip=True) for li in nav.select("li")]
    assert items == ["Trang trước", "1", "…", "6", "7", "8", "9", "10", "…", "15", "Trang sau"]
    assert all(li.get("aria-hidden") == "true" for li in nav.select("li.gap"))
    first = [li.get_text(strip=True) for li in site.html("tin-tuc/").select("nav.pagination li")]
    assert first == ["1", "2", "3", "…", "15", "Trang sau"]
    fourth = [li.get_text(strip=True) for li in site.html("tin-tuc/trang/4/").select("nav.pagination li")]
    assert fourth == ["Trang trước", "1", "2", "3", "4", "5", "6", "…", "15", "Trang sau"]  # no "…" for one page
