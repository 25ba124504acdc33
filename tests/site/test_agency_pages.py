"""What a state agency's site must publish (Decree 42/2022/NĐ-CP) and an identity that changes over time:
documents and their filters, Decree 30 number and date lines, dated names, English pages, print version."""

from __future__ import annotations

import functools
import http.server
import threading
from datetime import date

import pytest

from generator.content.data import load_campaigns
from generator.problems import BuildFailed, Problems
from generator.vietnamese.text import date_admin, place_date
from tests.conftest import REPO, SITE_YAML, article, free_port

IDENTITY = """\
publisher:
  periods:
    - {name: "Sở Công Thương tỉnh Bình Thuận", short_name: "Sở Công Thương", name_en: "Binh Thuan DOIT",
       parent: "UBND tỉnh Bình Thuận", place: "Bình Thuận", until: 2025-06-30}
    - {name: "Sở Công Thương tỉnh Lâm Đồng", short_name: "Sở Công Thương", name_en: "Lam Dong DOIT",
       parent: "UBND tỉnh Lâm Đồng", place: "Lâm Đồng", from: 2025-07-01,
       basis: "Nghị quyết số 202/2025/QH15"}
partners:
  - id: bo-moi-truong
    periods:
      - {name: "Bộ Tài nguyên và Môi trường", domain: monre.gov.vn, until: 2025-02-28}
      - {name: "Bộ Nông nghiệp và Môi trường", domain: mae.gov.vn, from: 2025-03-01}
retired_domains:
  - {domain: monre.gov.vn, successor: mae.gov.vn, since: 2025-03-01}
"""

DOCUMENTS = """\
- {number: "1663/BTNMT-TTTT", type: "Công văn", issuer: "Bộ Tài nguyên và Môi trường", issued: 2023-01-16,
   summary: "Hướng dẫn hưởng ứng năm 2023"}
- {number: "05/KH-SCT", type: "Kế hoạch", issuer: "Sở Công Thương tỉnh Bình Thuận", place: "Bình Thuận",
   issued: 2023-02-05, effective: 2023-02-05, summary: "Kế hoạch năm 2023", file: "van-ban/05-KH-SCT.pdf",
   implements: ["1663/BTNMT-TTTT"]}
- {number: "12/KH-SCT", type: "Kế hoạch", issuer: "Sở Công Thương tỉnh Lâm Đồng", place: "Lâm Đồng",
   issued: 2026-03-10, summary: "Kế hoạch năm 2026"}
"""

ORGANISATION = """\
functions: {vi: "Tham mưu quản lý nhà nước về công thương.", en: "Advises on industry and trade."}
contacts:
  - {unit: van-phong-so, position: {vi: "Chánh Văn phòng Sở", en: "Chief of Office"}, phone: "0252 000 000",
     email: "vp@example.gov.vn"}
links:
  - {partner: bo-moi-truong}
  - {name: "Bộ Công Thương", url: "https://moit.gov.vn/"}
"""

DEPARTMENTS = """\
- {id: phong-quan-ly-cong-nghiep, name: "Phòng Quản lý Công nghiệp", short_name: "Phòng QLCN",
   name_en: "Industrial Management Office"}
- {id: van-phong-so, name: "Văn phòng Sở", short_name: "Văn phòng", name_en: "Department Office"}
"""

FILES = {
    "_data/identity.yaml": IDENTITY,
    "_data/documents.yaml": DOCUMENTS,
    "_data/organisation.yaml": ORGANISATION,
    "_data/departments.yaml": DEPARTMENTS,
    "van-ban/05-KH-SCT.pdf": b"%PDF-1.4\n% test\n",
    "bai-viet/2023/cu.md": article("Bài năm 2023", date="2023-03-22"),
    "bai-viet/2026/moi.md": article("Bài năm 2026", date="2026-03-22"),
}


@pytest.fixture
def agency_site(make_site):
    site = make_site(FILES)
    site.build()
    return site


# --- Decree 30/2020/NĐ-CP ----------------------------------------------------------------------

@pytest.mark.parametrize("day, expected", [
    (date(2023, 2, 5), "ngày 05 tháng 02 năm 2023"),  # day under 10 and months 1–2 padded
    (date(2023, 1, 15), "ngày 15 tháng 01 năm 2023"),
    (date(2023, 3, 21), "ngày 21 tháng 3 năm 2023"),  # other months are not
    (date(2023, 12, 9), "ngày 09 tháng 12 năm 2023"),
    (date(2023, 10, 10), "ngày 10 tháng 10 năm 2023"),
])
def test_decree_30_date_line(day, expected):
    assert date_admin(day) == expected


def test_place_date_line():
    assert place_date("Bình Thuận", date(2023, 2, 5)) == "Bình Thuận, ngày 05 tháng 02 năm 2023"


@pytest.mark.parametrize("number", ["647/kh-sct", "647 /KH-SCT", "KH-SCT/647", "647/KH_SCT", "Số 647/KH-SCT"])
def test_malformed_number_symbol_is_an_error_naming_the_file_and_line(make_site, number):
    documents = f'- {{type: "Kế hoạch", issuer: "Sở", issued: 2023-03-21, summary: "x"}}\n' \
                f'- type: "Kế hoạch"\n  number: "{number}"\n  issuer: "Sở"\n  issued: 2023-03-21\n  summary: "y"\n'
    site = make_site({"_data/documents.yaml": documents})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    problems = [p for p in failed.value.problems if "ký hiệu" in p.message]
    assert problems and problems[0].path == "content/_data/documents.yaml" and problems[0].line == 3
    assert "647/KH-SCT" in problems[0].hint
    # the first entry lacks its number: reported in the same run
    assert any("'number'" in p.message for p in failed.value.problems)


def test_reference_to_an_undeclared_document_is_an_error(make_site):
    documents = '- {number: "647/KH-SCT", type: "Kế hoạch", issuer: "Sở", issued: 2023-03-21, summary: "x",\n' \
                '   implements: ["1663/BTNMT-TTT"]}\n'
    with pytest.raises(BuildFailed) as failed:
        make_site({"_data/documents.yaml": documents}).build()
    assert any("1663/BTNMT-TTT" in p.message and p.line == 2 for p in failed.value.problems)


# --- Documents section ------------------------------------------------------------------------

def test_documents_table_has_the_fields_decree_42_asks_for(agency_site):
    soup = agency_site.html("van-ban/")
    headers = [th.get_text(strip=True) for th in soup.select("table.documents thead th")]
    assert headers == ["Số, ký hiệu", "Ngày ban hành", "Loại", "Cơ quan ban hành", "Trích yếu", "Tệp"]
    rows = soup.select("table.documents tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["12/KH-SCT", "05/KH-SCT", "1663/BTNMT-TTTT"]
    download = rows[1].select_one("a[download]")
    assert download["href"] == "/van-ban/05-KH-SCT.pdf"
    assert (agency_site.output / "van-ban/05-KH-SCT.pdf").is_file()


def test_document_page_links_both_ways(agency_site):
    plan = agency_site.html("van-ban/05-kh-sct/")
    fields = dict(zip([dt.get_text(strip=True) for dt in plan.select(".document-fields dt")],
                      [dd.get_text(" ", strip=True) for dd in plan.select(".document-fields dd")], strict=True))
    assert fields["Số, ký hiệu"] == "Số: 05/KH-SCT"
    assert fields["Ngày ban hành"] == "Bình Thuận, ngày 05 tháng 02 năm 2023"
    assert fields["Ngày có hiệu lực"] == "05/02/2023"
    assert plan.select_one("#thuc-hien + ul a")["href"] == "/van-ban/1663-btnmt-tttt/"
    guidance = agency_site.html("van-ban/1663-btnmt-tttt/")
    assert guidance.select_one("#duoc-trien-khai + ul a")["href"] == "/van-ban/05-kh-sct/"


@pytest.fixture
def served(agency_site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(agency_site.output))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.browser
def test_documents_filter_by_type_year_and_issuer_in_the_browser(chromium, served):
    page = chromium.new_page()
    try:
        page.goto(served + "van-ban/")
        visible = "Array.from(document.querySelectorAll('table.documents tbody tr')).filter(r => !r.hidden)" \
                  ".map(r => r.cells[0].textContent.trim())"
        assert page.is_visible("[data-document-filters]")
        assert page.evaluate(visible) == ["12/KH-SCT", "05/KH-SCT", "1663/BTNMT-TTTT"]
        page.select_option("#loc-loai", "Kế hoạch")
        assert page.evaluate(visible) == ["12/KH-SCT", "05/KH-SCT"]
        page.select_option("#loc-nam", "2023")
        assert page.evaluate(visible) == ["05/KH-SCT"]
        assert page.text_content("[data-document-count]") == "1 văn bản"
        page.select_option("#loc-loai", "")
        page.select_option("#loc-co-quan", "Bộ Tài nguyên và Môi trường")
        assert page.evaluate(visible) == ["1663/BTNMT-TTTT"]
        # the filter is in the address, so it can be shared and survives a reload
        page.reload()
        assert page.evaluate(visible) == ["1663/BTNMT-TTTT"]
        assert page.input_value("#loc-nam") == "2023"
    finally:
        page.close()


def test_without_scripts_the_filters_stay_hidden_and_every_row_shows(agency_site):
    soup = agency_site.html("van-ban/")
    assert soup.select_one("[data-document-filters]").has_attr("hidden")
    assert not any(row.has_attr("hidden") for row in soup.select("table.documents tbody tr"))


# --- Dated identity ---------------------------------------------------------------------------

def test_header_and_footer_show_the_current_identity(agency_site):
    for page in ("", "tin-tuc/2023/bai-nam-2023/", "tin-tuc/2026/bai-nam-2026/"):
        soup = agency_site.html(page)
        assert soup.select_one(".brand-name").get_text(strip=True) == "SỞ CÔNG THƯƠNG TỈNH LÂM ĐỒNG"
        assert "UBND tỉnh Lâm Đồng" in soup.select_one(".footer-agency").get_text()


def test_content_published_under_a_former_identity_says_so(agency_site):
    note = agency_site.html("tin-tuc/2023/bai-nam-2023/").select_one(".former-identity")
    assert note is not None
    text = note.get_text(" ", strip=True)
    assert "Sở Công Thương tỉnh Bình Thuận" in text and "01/07/2025" in text and "202/2025/QH15" in text
    assert agency_site.html("tin-tuc/2026/bai-nam-2026/").select_one(".former-identity") is None


def test_before_the_merger_the_site_shows_the_name_of_that_time(agency_site):
    agency_site.build(today=date(2024, 5, 1))
    soup = agency_site.html("tin-tuc/2023/bai-nam-2023/")
    assert soup.select_one(".brand-name").get_text(strip=True) == "SỞ CÔNG THƯƠNG TỈNH BÌNH THUẬN"
    assert soup.select_one(".former-identity") is None
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".footer-weblinks a")}
    assert links["Bộ Tài nguyên và Môi trường"] == "https://monre.gov.vn/"


def test_partner_links_follow_the_partner_s_current_name_and_domain(agency_site):
    links = {a.get_text(strip=True): a["href"] for a in agency_site.html("").select(".footer-weblinks a")}
    assert links == {"Bộ Nông nghiệp và Môi trường": "https://mae.gov.vn/", "Bộ Công Thương": "https://moit.gov.vn/"}


def test_identity_periods_that_overlap_are_an_error(make_site):
    broken = IDENTITY.replace("until: 2025-06-30", "until: 2025-07-15")
    with pytest.raises(BuildFailed) as failed:
        make_site({**FILES, "_data/identity.yaml": broken}).build()
    assert any(p.path == "content/_data/identity.yaml" and "chồng lên nhau" in p.message
               for p in failed.value.problems)


# --- English pages, footer, print version -------------------------------------------------------

def test_english_pages_are_present_linked_and_in_english(agency_site):
    home = agency_site.html("")
    english = home.select_one(".footer-links a[hreflang=en]")
    assert english["href"] == "/en/"
    about = agency_site.html("en/")
    assert about.html["lang"] == "en"
    assert about.select_one(".site-header")["lang"] == "vi"  # the Vietnamese chrome is marked as such
    assert about.h1.get_text(strip=True) == "Lam Dong DOIT"
    assert "Advises on industry and trade." in about.main.get_text()
    assert [li.strong.get_text() for li in about.select("ul.units li")] == \
        ["Industrial Management Office", "Department Office"]
    assert about.select_one("a[href='/en/contacts/']") is not None
    contacts = agency_site.html("en/contacts/")
    assert contacts.html["lang"] == "en"
    row = [td.get_text(strip=True) for td in contacts.select("table.contacts tbody tr td")]
    assert row[1:] == ["Chief of Office", "Department Office", "0252 000 000", "vp@example.gov.vn"]
    # the Vietnamese page comes from the same data
    vi_row = [td.get_text(strip=True) for td in agency_site.html("to-chuc/").select("table.contacts tbody td")]
    assert vi_row[1:] == ["Chánh Văn phòng Sở", "Văn phòng Sở", "0252 000 000", "vp@example.gov.vn"]


def test_every_article_has_a_print_version(agency_site):
    soup = agency_site.html("tin-tuc/2023/bai-nam-2023/")
    assert soup.select_one("a.print-link").get_text(strip=True) == "Bản in"
    printed = [link for link in soup.select("link[rel=stylesheet]") if link.get("media") == "print"]
    assert len(printed) == 1
    css = (agency_site.output / printed[0]["href"].lstrip("/")).read_text(encoding="utf-8")
    assert "@page" in css and "A4" in css
    assert soup.select_one("script[src*='print']") is not None


def test_footer_identity_block(make_site):
    site = make_site({"_data/site.yaml": SITE_YAML + 'fax: "0252 111 111"\nreuse: "Ghi rõ nguồn khi đăng lại."\n'})
    site.build()
    footer = site.html("").select_one(".site-footer")
    labels = [dt.get_text(strip=True) for dt in footer.select("dt")]
    assert labels == ["Địa chỉ", "Điện thoại", "Fax", "Thư điện tử", "Chịu trách nhiệm nội dung"]
    assert footer.select_one(".footer-reuse").get_text(strip=True) == "Ghi rõ nguồn khi đăng lại."
    assert "Cơ quan chủ quản" in footer.select_one(".footer-agency").get_text()


# --- Campaign years 2023–2026, stored ----------------------------------------------------------

def test_embedded_campaign_data_carries_2023_to_2026_with_earth_hour_dates_stored():
    problems = Problems(root=REPO)
    campaigns = {c.id: c for c in load_campaigns(REPO / "content/_data/campaigns.yaml", problems)}
    assert not problems.items
    for campaign in campaigns.values():
        assert {t.year for t in campaign.themes} >= {2023, 2024, 2025, 2026}, campaign.id
        assert all(t.en for t in campaign.themes)
    earth = campaigns["gio-trai-dat"]
    stored = {t.year: t.day for t in earth.themes}
    assert stored[2023] == date(2023, 3, 25) and stored[2024] == date(2024, 3, 23)
    assert stored[2025] == date(2025, 3, 22) and stored[2026] == date(2026, 3, 28)
    assert all(earth.is_confirmed(year) for year in (2023, 2024, 2025, 2026))


@pytest.mark.parametrize("today, expected", [
    (date(2024, 3, 1), "2024-03-23"),  # WWF moved it a week earlier: not the last Saturday (30/3)
    (date(2025, 1, 10), "2025-03-22"),
    (date(2025, 3, 23), "2026-03-28"),  # the day after: next year's
])
def test_upcoming_earth_hour_uses_the_stored_date_of_each_year(make_site, today, expected):
    campaigns = (REPO / "content/_data/campaigns.yaml").read_text(encoding="utf-8")
    site = make_site({"_data/campaigns.yaml": campaigns})
    site.build(today=today)
    block = site.html("").select_one(".campaign-gio-trai-dat")
    assert block.select_one(".next-date time")["datetime"] == expected
    assert block.select_one(".forecast") is None  # stored, so not marked as a forecast


def test_link_checker_names_the_successor_of_a_retired_domain(make_site):
    from generator.linkcheck.check import check_site
    from generator.linkcheck.config import check_settings
    from generator.linkcheck.sources import SOURCE_MAP

    body = "Tài liệu tại [Cổng Bộ](http://www.monre.gov.vn/tai-lieu?nam=2023) và [Bộ Công Thương](https://moit.gov.vn/).\n"
    site = make_site({**FILES, "bai-viet/2023/cu.md": article("Bài năm 2023", date="2023-03-22", body=body)})
    site.build()
    settings = check_settings(site.output, site.content, site.root / ".cache", offline=True)
    result = check_site(settings, site.root / ".cache" / SOURCE_MAP)
    (finding,) = [f for f in result.findings if f.status == "retired"]
    assert finding.url == "http://www.monre.gov.vn/tai-lieu?nam=2023"
    assert finding.new_url == "http://www.mae.gov.vn/tai-lieu?nam=2023"
    assert finding.source == "content/bai-viet/2023/cu.md:7" and "mae.gov.vn" in finding.reason
    assert not result.failed() and result.failed(strict=True)  # a warning, an error with --strict
