"""The Department's real 2023 campaign, as shipped in content/: builds clean, facts in place."""

from __future__ import annotations

import re

import pytest

from generator.pipeline import build
from generator.settings import BuildSettings
from tests.conftest import REPO, TODAY, SiteDir
from tests.site.test_site import assert_links_resolve

ESSAYS = {
    "ngay-nuoc-the-gioi": ("phong-quan-ly-cong-nghiep", "Thúc đẩy sự thay đổi", "Accelerating Change"),
    "ngay-khi-tuong-the-gioi": ("phong-quan-ly-cong-nghiep",
                                "Thông tin thời tiết, khí hậu và tài nguyên nước góp phần phát triển kinh tế - xã "
                                "hội bền vững cho hôm nay và mai sau",
                                "The Future of Weather, Climate and Water across Generations"),
    "gio-trai-dat": ("phong-quan-ly-nang-luong", "Thời khắc quan trọng cho Trái đất", "The Biggest Hour for Earth"),
}


class EmbeddedSite(SiteDir):
    def __init__(self, root):  # noqa: D107 - reuse the real content/ instead of writing one
        self.root, self.content, self.output = root, REPO / "content", root / "output"


def build_embedded(tmp_path, **overrides) -> EmbeddedSite:
    site = EmbeddedSite(tmp_path)
    settings = dict(project=REPO, content=site.content, output=site.output, templates=REPO / "templates",
                    assets=REPO / "assets", cache=tmp_path / "cache", today=TODAY)
    settings.update(overrides)
    build(BuildSettings(**settings))
    return site


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return build_embedded(tmp_path_factory.mktemp("embedded"))


@pytest.mark.parametrize("campaign", sorted(ESSAYS))
def test_each_2023_theme_has_its_essay_by_the_assigned_office(embedded, campaign):
    office, theme_vi, theme_en = ESSAYS[campaign]
    year_page = embedded.html(f"chuyen-de/{campaign}/2023/")
    banner = year_page.select_one(".theme-banner").get_text(" ", strip=True)
    assert theme_vi in banner and theme_en in banner
    essays = [a["href"] for a in year_page.select(".card-title a")]
    assert essays, f"no 2023 article for {campaign}"
    offices = []
    for href in essays:
        page = embedded.html(href.lstrip("/"))
        offices.append(page.select_one(".article-meta a")["href"])
        words = len(re.findall(r"\w+", page.select_one(".article-body").get_text(" ")))
        if f"/don-vi/{office}/" == offices[-1]:
            assert words >= 600, f"{href} has {words} words; the plan asks for an essay"
    assert f"/don-vi/{office}/" in offices


def test_earth_hour_2023_date_and_hour(embedded):
    text = embedded.html("chuyen-de/gio-trai-dat/2023/").select_one(".campaign-date").get_text(" ", strip=True)
    assert text.startswith("Thứ Bảy, 25/03/2023") and "20:30" in text and "21:30" in text


def test_about_and_materials_pages(embedded):
    about = embedded.html("gioi-thieu/")
    assert "Sở Công Thương" in about.select_one(".article-body").get_text()
    materials = embedded.html("tai-lieu-tuyen-truyen/")
    assert any("monre.gov.vn" in a["href"] for a in materials.select(".article-body a[href]"))


def test_every_office_has_a_page_listing_its_articles(embedded):
    for office in ("phong-quan-ly-cong-nghiep", "phong-quan-ly-nang-luong", "van-phong-so", "trung-tam-khuyen-cong"):
        assert embedded.html(f"don-vi/{office}/").h1.get_text(strip=True)


def test_no_placeholder_text(embedded):
    for page in embedded.output.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        assert "lorem" not in text and "ipsum" not in text, page


def test_embedded_links_resolve(embedded):
    assert_links_resolve(embedded)


def test_embedded_site_under_a_sub_path(tmp_path):
    site = build_embedded(tmp_path, base_url="https://sct.binhthuan.gov.vn/chuyen-de-moi-truong/")
    assert_links_resolve(site, "/chuyen-de-moi-truong/")
