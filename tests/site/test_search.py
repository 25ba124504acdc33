"""The search index and the search page: built from a small fixture site, searched in real Chromium.

The site is built twice per module, at the domain root and under a sub-path, and served by a real
HTTP server on 127.0.0.1, as a web host would serve it.
"""

from __future__ import annotations

import functools
import http.server
import json
import random
import string
import threading
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.site.search import terms
from generator.vietnamese.legacy_encodings import VIETNAMESE_LETTERS
from generator.vietnamese.text import fold
from tests.conftest import SiteDir, article, free_port

FILES = {
    # "đường" only in the body: it must still rank above a title holding "dương".
    "bai-viet/2023/nuoc-sach.md": article(
        "Tiết kiệm nước sạch", date="2023-03-22", tags="[tài nguyên nước]",
        summary='"Mỗi giọt nước đều quý."',
        body="## Con đường tiết kiệm\n\nMở vòi vừa đủ trên con đường đến trường, gìn giữ hoà bình.\n"),
    "bai-viet/2023/dai-duong.md": article(
        "Đại dương xanh", date="2023-03-23", department="phong-quan-ly-nang-luong",
        body="Biển và đại dương điều hòa khí hậu của Trái Đất.\n"),
    "bai-viet/2023/gio-trai-dat.md": article(
        "Hưởng ứng Giờ Trái đất 2023", date="2023-03-25", campaign="gio-trai-dat",
        body="Tắt đèn từ 20:30 đến 21:30. Người dân Khánh Hòa cùng tham gia.\n"),
}
SUB_PATH = "/chuyen-trang/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SiteDir:
    built = SiteDir(tmp_path_factory.mktemp("search"), FILES)
    built.build()
    built.build(output=built.root / "www" / SUB_PATH.strip("/"), base_url="https://sct.example.gov.vn" + SUB_PATH)
    return built


@pytest.fixture(scope="module")
def server(site):
    """Base URLs of the two builds: the root build at /, the sub-path build at /chuyen-trang/."""
    servers = []
    for folder in (site.output, site.root / "www"):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    root, sub = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    yield {"root": root + "/", "sub": sub + SUB_PATH}
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def _index(site: SiteDir) -> dict:
    return json.loads((site.output / "search/index.json").read_text(encoding="utf-8"))


def _decode(gaps: list[int], vocabulary: list[str]) -> set[str]:
    ids, total = [], 0
    for gap in gaps:
        total += gap
        ids.append(total)
    return {vocabulary[i] for i in ids}


# --- The index ----------------------------------------------------------------------------------


def test_index_holds_every_article_with_what_results_show(site) -> None:
    index = _index(site)
    rows = {row[1]: row for row in index["docs"]}
    assert set(rows) == {"Tiết kiệm nước sạch", "Đại dương xanh", "Hưởng ứng Giờ Trái đất 2023"}
    url, title, shown, iso, office, campaign, text, _, _ = rows["Hưởng ứng Giờ Trái đất 2023"]
    assert (url, shown, iso) == ("tin-tuc/2023/huong-ung-gio-trai-dat-2023/", "Thứ Bảy, 25/03/2023", "2023-03-25")
    assert (office, campaign) == ("Phòng QLCN", "Chiến dịch Giờ Trái đất")
    assert text == "Tắt đèn từ 20:30 đến 21:30. Người dân Khánh Hòa cùng tham gia."
    summary_first = rows["Tiết kiệm nước sạch"][6]
    assert summary_first.startswith("Mỗi giọt nước đều quý. Con đường tiết kiệm")  # no permalink '#'


def test_index_terms_are_marked_lowercase_nfc_and_one_tone_placement(site) -> None:
    index = _index(site)
    vocabulary = index["terms"]
    assert all(unicodedata.is_normalized("NFC", term) and term == term.lower() for term in vocabulary)
    assert "hòa" in vocabulary and "hoà" not in vocabulary  # "hoà bình" is stored as "hòa"
    assert {"đường", "dương", "nước", "đất"} <= set(vocabulary)
    for row in index["docs"]:
        assert _decode(row[7], vocabulary) == set(terms(row[1]))
        assert _decode(row[8], vocabulary) == set(terms(row[6]))


def test_terms_keep_marks_and_fold_removes_them() -> None:
    assert terms("Hoà BÌNH, thuỷ lợi — Đường 2023") == ["hòa", "bình", "thủy", "lợi", "đường", "2023"]
    assert [fold(t) for t in terms("Trái Đất")] == ["trai", "dat"]


def test_search_page_and_header_forms_work_without_javascript(site) -> None:
    page = site.html("tim-kiem/")
    form = page.find("form", id="search-form")
    assert form["role"] == "search" and form["method"] == "get" and form["action"] == "/tim-kiem/"
    field = form.find("input", attrs={"name": "q"})
    assert page.find("label", attrs={"for": field["id"]}).get_text(strip=True)
    assert page.find(id="search-status").find_parent(attrs={"aria-live": "polite"}) is not None
    assert page.select_one("main noscript a")["href"] == "/tin-tuc/"
    header_form = site.html("tin-tuc/").select_one("header form[role=search]")
    assert header_form["action"] == "/tim-kiem/" and header_form.find("input")["name"] == "q"
    assert site.html("tin-tuc/").find("label", attrs={"for": header_form.find("input")["id"]}) is not None


# --- In Chromium ----------------------------------------------------------------------------------

FOLD_SAMPLES = [
    "Ngày Nước thế giới năm 2023: Thúc đẩy sự thay đổi",
    "Khánh Hoà, Thanh Hóa, THUỶ LỢI, khoẻ, quý, khuya, ngoài, thuở, hoàng, Quỳnh",
    unicodedata.normalize("NFD", "Đường Trái Đất – Biển Đông dương"),
    "ĐẮK LẮK, Krông Pắc, Ê-đê, café, µm, 20:30–21:30",
]


def _random_texts(count: int) -> list[str]:
    """Words of Vietnamese letters, ASCII, both tone placements, NFC and NFD: what folding must agree on."""
    rng = random.Random(6)
    alphabet = "".join(VIETNAMESE_LETTERS) + string.ascii_letters + string.digits + "oauy" * 8 + "qđĐ"
    texts = []
    for _ in range(count):
        words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(1, 6))]
        text = rng.choice([" ", ", ", " – ", "\n"]).join(words)
        texts.append(unicodedata.normalize(rng.choice(["NFC", "NFD"]), text))
    return texts


@pytest.fixture(scope="module")
def browser_page(chromium, server):
    page = chromium.new_page()
    yield page
    page.close()


def _open(page, base: str, query: str = "") -> None:
    page.goto(base + "tim-kiem/" + (f"?q={query}" if query else ""))
    page.wait_for_selector("#search-form[data-ready=true]")


def _results(page) -> list[dict]:
    return page.eval_on_selector_all("#search-results li", """items => items.map(li => ({
        title: li.querySelector('h2 a').textContent, href: li.querySelector('h2 a').getAttribute('href'),
        date: li.querySelector('time').textContent, meta: li.querySelector('.search-meta').textContent,
        snippet: li.querySelector('.search-snippet').textContent,
        marks: Array.from(li.querySelectorAll('.search-snippet mark, h2 mark')).map(m => m.textContent)}))""")


@pytest.mark.browser
def test_javascript_folds_exactly_like_python(browser_page, server) -> None:
    _open(browser_page, server["root"])
    js = browser_page.evaluate("s => s.map(x => [AwarenessSearch.fold(x), AwarenessSearch.terms(x)])", FOLD_SAMPLES)
    assert js == [[fold(sample), terms(sample)] for sample in FOLD_SAMPLES]
    many = _random_texts(400)
    js = browser_page.evaluate("s => s.map(x => [AwarenessSearch.fold(x), AwarenessSearch.terms(x)])", many)
    assert js == [[fold(sample), terms(sample)] for sample in many]


@pytest.mark.browser
def test_query_without_marks_finds_text_with_marks(browser_page, server) -> None:
    _open(browser_page, server["root"], "nuoc")
    found = _results(browser_page)
    assert [r["title"] for r in found] == ["Tiết kiệm nước sạch"]
    assert found[0]["date"] == "Thứ Tư, 22/03/2023"
    assert "Phòng QLCN" in found[0]["meta"] and "Ngày Nước thế giới" in found[0]["meta"]
    assert "nước" in found[0]["marks"] and "nước" in found[0]["snippet"]


@pytest.mark.browser
def test_search_as_you_type_matches_several_words(browser_page, server) -> None:
    _open(browser_page, server["root"])
    browser_page.fill("#search-input", "trai dat")  # typing, no submit
    browser_page.wait_for_function("document.querySelectorAll('#search-results li').length === 2")
    found = _results(browser_page)
    assert {r["title"] for r in found} == {"Hưởng ứng Giờ Trái đất 2023", "Đại dương xanh"}
    assert found[0]["title"] == "Hưởng ứng Giờ Trái đất 2023"  # in the title: ranks first
    assert {"Trái", "đất"} <= set(found[0]["marks"])
    assert "q=trai+dat" in browser_page.url


@pytest.mark.browser
def test_exact_marks_rank_first(browser_page, server) -> None:
    _open(browser_page, server["root"], "đường")
    assert [r["title"] for r in _results(browser_page)] == ["Tiết kiệm nước sạch", "Đại dương xanh"]
    _open(browser_page, server["root"], "dương")
    assert [r["title"] for r in _results(browser_page)] == ["Đại dương xanh", "Tiết kiệm nước sạch"]


@pytest.mark.browser
def test_old_and_new_tone_placement_find_each_other(browser_page, server) -> None:
    _open(browser_page, server["root"], "hoà")  # old placement finds "Khánh Hòa" and "điều hòa"
    assert {r["title"] for r in _results(browser_page)} == {
        "Tiết kiệm nước sạch", "Đại dương xanh", "Hưởng ứng Giờ Trái đất 2023"}
    _open(browser_page, server["root"], "HÒA BÌNH")  # new placement and capitals find "hoà bình"
    found = _results(browser_page)
    assert [r["title"] for r in found] == ["Tiết kiệm nước sạch"]
    assert "hoà" in found[0]["marks"]


@pytest.mark.browser
def test_nothing_found_is_said(browser_page, server) -> None:
    _open(browser_page, server["root"], "khongcotu")
    assert _results(browser_page) == []
    assert "Không tìm thấy" in browser_page.text_content("#search-status")


@pytest.mark.browser
def test_search_works_under_a_sub_path(browser_page, server) -> None:
    _open(browser_page, server["sub"], "gio trai dat")
    found = _results(browser_page)
    assert [r["href"] for r in found] == [SUB_PATH + "tin-tuc/2023/huong-ung-gio-trai-dat-2023/"]
    browser_page.click("#search-results a")
    browser_page.wait_for_load_state()
    assert browser_page.title().startswith("Hưởng ứng Giờ Trái đất 2023")


def test_sub_path_build_points_forms_at_the_sub_path(site) -> None:
    page = BeautifulSoup((site.root / "www/chuyen-trang/tim-kiem/index.html").read_text(encoding="utf-8"), "lxml")
    form = page.find("form", id="search-form")
    assert (form["action"], form["data-index"], form["data-base"]) == (
        SUB_PATH + "tim-kiem/", SUB_PATH + "search/index.json", SUB_PATH)
    assert Path(site.root / "www/chuyen-trang/search/index.json").is_file()


def test_the_index_is_reused_while_its_inputs_stay_and_rebuilt_when_an_article_changes(make_site) -> None:
    site = make_site(FILES)
    site.build()
    stored = next((site.root / ".cache" / "derived").glob("search-index*"))
    first = stored.stat().st_mtime_ns
    site.build()  # nothing changed: the stored index is taken as it is
    assert stored.stat().st_mtime_ns == first
    assert "sạch" in _index(site)["terms"]
    page = site.content / "bai-viet/2023/dai-duong.md"
    page.write_text(page.read_text(encoding="utf-8").replace("điều hòa", "san hô"), encoding="utf-8")
    site.build()
    vocabulary = _index(site)["terms"]
    assert "san" in vocabulary and "hô" in vocabulary


def test_rows_from_the_cache_give_the_index_a_clean_build_gives(make_site, tmp_path_factory) -> None:
    """The unchanged articles' rows come from derived/search-rows.pickle: after an edit, and with
    that file damaged, the index is byte for byte the one a build without any cache writes."""
    site = make_site(FILES)
    site.build()
    rows = site.root / ".cache" / "derived" / "search-rows.pickle"
    assert rows.is_file()
    page = site.content / "bai-viet/2023/dai-duong.md"
    page.write_text(page.read_text(encoding="utf-8").replace("điều hòa", "san hô"), encoding="utf-8")

    def clean_index() -> bytes:
        fresh = tmp_path_factory.mktemp("fresh")
        site.build(output=fresh / "output", cache=None)
        return (fresh / "output" / "search" / "index.json").read_bytes()

    site.build()
    edited = (site.output / "search" / "index.json").read_bytes()
    assert edited == clean_index()
    assert any("san hô" in doc[6] for doc in json.loads(edited)["docs"])  # the edited row, not the stored one
    rows.write_bytes(b"not a pickle")
    page.write_text(page.read_text(encoding="utf-8").replace("san hô", "rạn san hô"), encoding="utf-8")
    site.build()
    assert (site.output / "search" / "index.json").read_bytes() == clean_index()
