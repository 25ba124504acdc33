"""The built site: pages present, themes shown, links resolve (also under a sub-path), feeds parse."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import unquote, urlsplit

import pytest

from generator.problems import BuildFailed
from tests.conftest import article

ATOM = "{http://www.w3.org/2005/Atom}"
FILES = {
    "bai-viet/2023/nuoc.md": article(
        "Ngày Nước thế giới 2023", date="2023-03-22", tags="[tài nguyên nước, bảo vệ môi trường]",
        summary='"Thúc đẩy sự thay đổi."', cover="anh/nuoc.svg", cover_alt='"Giọt nước"',
        body="## Vai trò của nước\n\nXem thêm [Giờ Trái đất](gio.md#tat-den).\n"),
    "bai-viet/2023/gio.md": article(
        "Giờ Trái đất 2023", date="25/03/2023", campaign="gio-trai-dat", department="phong-quan-ly-nang-luong",
        tags="[tiết kiệm năng lượng, bảo vệ môi trường]", body="## Tắt đèn\n\n[Về nước](nuoc.md).\n"),
    "bai-viet/2023/ba.md": article("Bài thứ ba", date="2023-03-23", tags="[tài nguyên nước]"),
    "bai-viet/2023/anh/nuoc.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "pages/gioi-thieu.md": "---\ntitle: Giới thiệu\nmenu: true\n---\nSở Công Thương.\n",
}


@pytest.fixture
def built(make_site):
    site = make_site(FILES)
    site.build()
    return site


def internal_targets(site, base_path: str = "/"):
    """Every internal href/src of every built HTML page, as (page, path, fragment)."""
    for page in site.output.rglob("*.html"):
        soup = site.html(page.relative_to(site.output).as_posix())
        for tag in soup.find_all(["a", "link", "img", "script"]):
            ref = tag.get("href") or tag.get("src")
            if not ref or urlsplit(ref).scheme or ref.startswith("#"):
                continue
            parts = urlsplit(ref)
            assert parts.path.startswith(base_path), f"{page}: {ref} ignores the base path"
            yield page, unquote(parts.path[len(base_path):]), parts.fragment


def assert_links_resolve(site, base_path="/"):
    checked = 0
    for page, path, fragment in internal_targets(site, base_path):
        target = site.output / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), f"{page} links to missing {path}"
        if fragment:
            ids = {t.get("id") for t in site.html(target.relative_to(site.output).as_posix()).find_all(id=True)}
            assert fragment in ids, f"{page} links to missing #{fragment} in {path}"
        checked += 1
    assert checked > 50


def test_every_kind_of_page_is_built(built):
    for path in ["index.html", "tin-tuc/index.html", "tin-tuc/trang/2/index.html",
                 "tin-tuc/2023/ngay-nuoc-the-gioi-2023/index.html", "chuyen-de/index.html",
                 "chuyen-de/ngay-nuoc-the-gioi/index.html", "chuyen-de/ngay-nuoc-the-gioi/2023/index.html",
                 "don-vi/index.html", "don-vi/phong-quan-ly-nang-luong/index.html", "the/index.html",
                 "the/tai-nguyen-nuoc/index.html", "gioi-thieu/index.html", "404.html", "atom.xml",
                 "chuyen-de/gio-trai-dat/atom.xml", "sitemap.xml", "robots.txt"]:
        assert (built.output / path).is_file(), path


def test_article_page_has_what_readers_expect(built):
    soup = built.html("tin-tuc/2023/ngay-nuoc-the-gioi-2023/")
    assert soup.html["lang"] == "vi"
    assert soup.h1.get_text(strip=True) == "Ngày Nước thế giới 2023"
    assert soup.select_one(".article-meta time").get_text() == "Thứ Tư, 22/03/2023"
    assert "Phòng Quản lý Công nghiệp" in soup.select_one(".article-meta").get_text()
    banner = soup.select_one(".theme-banner")
    assert "Thúc đẩy sự thay đổi" in banner.get_text() and "Accelerating Change" in banner.get_text()
    cover = soup.select_one(".article-cover img")
    assert cover["alt"] == "Giọt nước" and cover["src"] == "/bai-viet/2023/anh/nuoc.svg"
    assert soup.find(id="vai-tro-cua-nuoc").name == "h2"
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumb li")]
    assert crumbs == ["Trang chủ", "Ngày Nước thế giới", "Năm 2023", "Ngày Nước thế giới 2023"]
    assert [a.get_text() for a in soup.select(".article-tags a")] == ["tài nguyên nước", "bảo vệ môi trường"]
    related = [a.get_text() for a in soup.select(".related-list a")]
    assert related[0] == "Bài thứ ba"  # same campaign and a shared tag outrank a tag alone
    assert "Giờ Trái đất 2023" in related
    assert soup.select_one("a[rel=next]").get_text() == "Bài thứ ba"


def test_markdown_links_to_md_files_become_page_urls(built):
    soup = built.html("tin-tuc/2023/ngay-nuoc-the-gioi-2023/")
    link = soup.select_one(".article-body a[href*=gio-trai-dat]")
    assert link["href"] == "/tin-tuc/2023/gio-trai-dat-2023/#tat-den"


def test_campaign_pages_show_the_theme_in_both_languages(built):
    year = built.html("chuyen-de/gio-trai-dat/2023/")
    text = year.select_one(".theme-banner").get_text()
    assert "Thời khắc quan trọng cho Trái đất" in text and "The Biggest Hour for Earth" in text
    assert year.select_one(".campaign-date").get_text(strip=True).startswith("Thứ Bảy, 25/03/2023, từ 20:30")
    table = built.html("chuyen-de/gio-trai-dat/").select("table.themes tbody tr")
    assert table[0].th.get_text(strip=True) == "2023"


def test_home_shows_campaign_blocks_and_next_dates(built):
    soup = built.html("")
    blocks = soup.select(".campaign-block")
    assert len(blocks) == 2
    earth = soup.select_one(".campaign-gio-trai-dat")
    assert "Thời khắc quan trọng cho Trái đất" in earth.get_text()
    # After 24/11/2026 the next Earth Hour falls on the last Saturday of March 2027.
    assert earth.select_one(".next-date time")["datetime"] == "2027-03-27"


def test_news_is_paginated(built):
    first, second = built.html("tin-tuc/"), built.html("tin-tuc/trang/2/")
    assert len(first.select(".card")) == 2 and len(second.select(".card")) == 1
    assert first.select_one("a[rel=next]")["href"] == "/tin-tuc/trang/2/"


def test_footer_carries_decree_42_information(built):
    footer = built.html("").select_one("footer").get_text(" ", strip=True)
    for expected in ("SỞ CÔNG THƯƠNG TỈNH BÌNH THUẬN", "UBND tỉnh Bình Thuận", "Phan Thiết", "0252 000 000",
                     "sct@example.gov.vn", "Giám đốc Sở"):
        assert expected in footer


def test_internal_links_and_fragments_resolve(built):
    assert_links_resolve(built)


def test_site_works_under_a_sub_path(make_site):
    site = make_site(FILES)
    site.build(base_url="https://sct.example.gov.vn/chuyen-de-moi-truong/")
    assert_links_resolve(site, "/chuyen-de-moi-truong/")
    canonical = site.html("gioi-thieu/").find("link", rel="canonical")["href"]
    assert canonical == "https://sct.example.gov.vn/chuyen-de-moi-truong/gioi-thieu/"


def test_feeds_and_sitemap_parse(built):
    feed = ET.parse(built.output / "atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][0] == "Giờ Trái đất 2023"
    content = entries[0].findtext(f"{ATOM}content")
    assert "<h2" in content  # HTML carried escaped, readable by feed readers
    campaign_feed = ET.parse(built.output / "chuyen-de/gio-trai-dat/atom.xml").getroot()
    assert len(campaign_feed.findall(f"{ATOM}entry")) == 1
    sitemap = ET.parse(built.output / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://sct.example.gov.vn/tin-tuc/2023/gio-trai-dat-2023/" in locs
    assert not any(loc.endswith("404.html") for loc in locs)
    assert "Sitemap: https://sct.example.gov.vn/sitemap.xml" in (built.output / "robots.txt").read_text()


def test_assets_are_fingerprinted(built):
    css = built.html("").find("link", rel="stylesheet")["href"]
    assert css.startswith("/assets/css/site.") and css.endswith(".css") and css != "/assets/css/site.css"
    assert (built.output / css.lstrip("/")).is_file()


def test_failed_build_keeps_the_previous_output(make_site):
    site = make_site(FILES)
    site.build()
    before = {p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    (site.content / "bai-viet/2023/ba.md").write_text(article(department="khong-co"), encoding="utf-8")
    with pytest.raises(BuildFailed):
        site.build()
    after = {p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.root.glob(".output.staging-*")), "staging folders are cleaned up"
    assert not list(site.root.glob(".output.old-*"))


def test_refuses_to_replace_a_folder_it_did_not_make(make_site):
    site = make_site(FILES)
    site.output.mkdir()
    (site.output / "thu-cua-toi.docx").write_bytes(b"important")
    result = site.cli("build")
    assert result.returncode == 2 and "không do awareness tạo" in result.stderr
    assert (site.output / "thu-cua-toi.docx").read_bytes() == b"important"


def test_cli_exit_codes_and_messages(make_site):
    site = make_site(FILES)
    ok = site.cli("build")
    assert ok.returncode == 0 and "Đã dựng" in ok.stdout
    (site.content / "bai-viet/2023/ba.md").write_text(article(department="khong-co"), encoding="utf-8")
    bad = site.cli("build")
    assert bad.returncode == 1
    assert "content/bai-viet/2023/ba.md:5: đơn vị không biết: 'khong-co'" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = site.cli("build", "--no-such-option")
    assert usage.returncode == 2


def test_new_writes_a_draft_with_this_years_theme(make_site):
    site = make_site({})
    result = site.cli("new", "--campaign", "gio-trai-dat", "--department", "phong-quan-ly-nang-luong",
                      "--title", "Tắt đèn vì Trái đất")
    assert result.returncode == 0, result.stderr
    path = site.root / result.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert path.name == "tat-den-vi-trai-dat.md" and "draft: true" in text
    assert "campaign: gio-trai-dat" in text
    unknown = site.cli("new", "--campaign", "gio-trai-da", "--department", "x", "--title", "t")
    assert unknown.returncode == 2 and "gio-trai-dat" in unknown.stderr


def test_earth_hour_date_is_a_forecast_until_the_organiser_confirms_it(make_site):
    from datetime import date

    from tests.conftest import CAMPAIGNS_YAML
    confirmed = CAMPAIGNS_YAML.replace(
        '{year: 2023, vi: "Thời khắc quan trọng cho Trái đất", en: "The Biggest Hour for Earth"}',
        '{year: 2023, vi: "Thời khắc quan trọng cho Trái đất", en: "The Biggest Hour for Earth", date: 2023-03-25}')
    site = make_site({"_data/campaigns.yaml": confirmed})
    site.build(today=date(2023, 3, 1))
    notes = {p.get_text(" ", strip=True) for p in site.html("").select(".next-date")}
    earth_hour = next(n for n in notes if "20:30" in n)
    assert "25/03/2023" in earth_hour and "dự kiến" not in earth_hour
    assert not any("dự kiến" in n for n in notes), "fixed days (22/3, 23/3) are never forecasts"

    site.build(today=date(2023, 11, 24))  # 2024 has no confirmed day yet: the rule's date is a forecast
    notes = [p.get_text(" ", strip=True) for p in site.html("").select(".next-date")]
    assert any("30/03/2024" in n and "dự kiến" in n for n in notes)


def test_an_article_dated_after_today_is_held_back_until_its_day(make_site):
    files = {**FILES, "bai-viet/2027/hen.md": article("Bài hẹn ngày", date="2027-03-22")}
    site = make_site(files)
    site.build()
    assert not (site.output / "tin-tuc/2027").exists()
    assert "Bài hẹn ngày" not in site.html("tin-tuc/").get_text()
    site.build(today=date(2027, 3, 22))
    assert site.html("tin-tuc/2027/bai-hen-ngay/").h1.get_text(strip=True) == "Bài hẹn ngày"


def test_email_autolinks_are_left_as_mail_links(make_site):
    site = make_site({"bai-viet/a.md": article("Thư", body="Gửi về <sct@example.gov.vn>.\n")})
    site.build()
    link = site.html("tin-tuc/2023/thu/").select_one(".article-body a")
    assert link["href"] == "mailto:sct@example.gov.vn" and link.get_text() == "sct@example.gov.vn"
