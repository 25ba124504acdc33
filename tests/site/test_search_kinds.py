"""Search over every page kind the site publishes (issue 33): articles, documents, plans, static
pages, the organisation page and the English pages; found in real Chromium by queries typed with
and without marks, documents by their number-symbol however it is typed, narrowed to one kind.

The site holds the project's own documents, plan 647/KH-SCT, organisation and identity (read from
content/_data/), with articles and a page of its own.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from generator.content.load import load_site
from generator.incremental.bodies import render_bodies
from generator.machinery import serial_map
from generator.problems import Problems
from generator.site import search
from generator.site.links import checked_base_url, link_context
from generator.site.search_entries import PAGE, SearchEntry, body_texts, search_entries
from tests.conformance import describe_axe, run_axe, serve
from tests.conftest import REPO, TODAY, SiteDir, article

REAL_DATA = REPO / "content" / "_data"
FILES: dict[str, str | bytes] = {
    **{f"_data/{name}": (REAL_DATA / name).read_text(encoding="utf-8")
       for name in ("campaigns.yaml", "departments.yaml", "documents.yaml", "identity.yaml", "organisation.yaml",
                    "plans/647-KH-SCT.yaml")},
    "van-ban/647-KH-SCT.docx": (REPO / "content" / "van-ban" / "647-KH-SCT.docx").read_bytes(),
    "bai-viet/2023/nuoc-sach.md": article("Tiết kiệm nước sạch", body="Mở vòi vừa đủ, gìn giữ nguồn nước.\n"),
    # Names the plan's number-symbol in its title: the plan and its document must still come first.
    "bai-viet/2023/trien-khai.md": article(
        "Triển khai Kế hoạch 647/KH-SCT tại Phòng Quản lý Công nghiệp", date="2023-03-24",
        body="Phòng triển khai kế hoạch số 647/KH-SCT của Sở.\n"),
    "pages/khau-hieu.md": "---\ntitle: \"Khẩu hiệu tuyên truyền\"\nsummary: \"Các khẩu hiệu năm 2023.\"\n---\n"
                          "Nước là nguồn sống; hãy dùng nước tiết kiệm.\n",
}
PLAN, PLAN_DOCUMENT = "ke-hoach/647-kh-sct/", "van-ban/647-kh-sct/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SiteDir:
    built = SiteDir(tmp_path_factory.mktemp("search-kinds"), FILES)
    built.build()
    return built


@pytest.fixture(scope="module")
def base(site):
    with serve(site.output) as root:
        yield root


@pytest.fixture(scope="module")
def page(chromium, base):
    opened = chromium.new_page()
    yield opened
    opened.close()


def _search(page, base: str, query: str, kind: str = "") -> list[dict]:
    """The results the page shows for `query` typed into the box (and `kind` chosen), in order."""
    page.goto(base + "tim-kiem/")
    page.wait_for_selector("#search-form[data-ready=true]")
    page.select_option("#search-kind", kind)
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('”')")
    return page.eval_on_selector_all("#search-results li", """items => items.map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'), title: li.querySelector('h2 a').textContent,
        kind: li.querySelector('.search-kind').textContent, lang: li.lang,
        english: li.querySelector('.search-lang') ? li.querySelector('.search-lang').textContent : null}))""")


# --- The index ----------------------------------------------------------------------------------


def _rows(site: SiteDir) -> dict[str, list]:
    return {row[0]: row for row in json.loads((site.output / "search/index.json").read_bytes())["docs"]}


def test_the_index_holds_every_published_page_kind_with_its_kind_and_language(site) -> None:
    rows = _rows(site)
    kinds = {url: (row[10], row[11]) if len(row) > 9 else ("bai-viet", "vi") for url, row in rows.items()}
    assert kinds == {
        "tin-tuc/2023/tiet-kiem-nuoc-sach/": ("bai-viet", "vi"),
        "tin-tuc/2023/trien-khai-ke-hoach-647-kh-sct-tai-phong-quan-ly-cong-nghiep/": ("bai-viet", "vi"),
        PLAN: ("ke-hoach", "vi"), PLAN_DOCUMENT: ("van-ban", "vi"),
        "van-ban/1663-btnmt-tttt/": ("van-ban", "vi"), "van-ban/1017-stnmt-tnnks/": ("van-ban", "vi"),
        "khau-hieu/": ("trang", "vi"), "to-chuc/": ("trang", "vi"),
        "en/": ("trang", "en"), "en/contacts/": ("trang", "en"),
    }
    document = rows["van-ban/1663-btnmt-tttt/"]
    assert (document[1], document[3], document[4], document[5]) == (
        "Công văn số 1663/BTNMT-TTTT", "2023-03-16", "Bộ Tài nguyên và Môi trường", "Công văn")
    assert document[6].startswith("Về việc hướng dẫn tổ chức")  # the trích yếu, for snippets


def test_english_words_are_not_given_vietnamese_tone_placement() -> None:
    english = SearchEntry("en/", "Hoà Khoẻ", PAGE, "", lang="en")
    vietnamese = replace(english, lang="vi")
    assert english.terms()[0] == {"hoà", "khoẻ"}
    assert vietnamese.terms()[0] == {"hòa", "khỏe"}


def test_a_page_edited_under_watch_gives_the_index_a_fresh_build_gives(site) -> None:
    """SearchIndex.replace_entries (build --watch, a static page saved) against the index made afresh."""
    loaded = load_site(site.content, Problems(root=site.root), published_by=TODAY)
    bodies = render_bodies(loaded, link_context(loaded, checked_base_url(loaded.config.base_url)), None,
                           Problems(root=site.root), serial_map)
    sources = [a.source.path.as_posix() for a in loaded.articles]
    terms = {s: search.body_terms(bodies[s]) for s in sources}
    entries = search_entries(loaded, body_texts(bodies), TODAY)
    index = search.SearchIndex(loaded, bodies, terms, {}, list(sources), entries)
    edited = tuple(replace(e, text=e.text + " zzqx mới") if e.kind == PAGE and e.lang == "vi" else e for e in entries)
    index.replace_entries(edited)
    assert index.data() == search.index_json(loaded, bodies, terms, {}, list(sources), edited)
    assert "zzqx" in json.loads(index.data())["terms"]


# --- In Chromium ----------------------------------------------------------------------------------

EVERY_KIND = [  # (with marks, without marks, the page it must find, its kind as shown)
    ("Tiết kiệm nước sạch", "tiet kiem nuoc sach", "tin-tuc/2023/tiet-kiem-nuoc-sach/", "Bài viết"),
    ("khủng hoảng về nước", "khung hoang ve nuoc", PLAN, "Kế hoạch"),
    ("Công văn Bộ Tài nguyên", "cong van bo tai nguyen", "van-ban/1663-btnmt-tttt/", "Văn bản"),
    ("Khẩu hiệu", "khau hieu", "khau-hieu/", "Trang"),
    ("Cơ cấu tổ chức", "co cau to chuc", "to-chuc/", "Trang"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("marked", "unmarked", "url", "kind"), EVERY_KIND)
def test_each_page_kind_is_found_typed_with_and_without_marks(page, base, marked, unmarked, url, kind) -> None:
    for query in (marked, unmarked):
        found = _search(page, base, query)
        assert "/" + url in [r["href"] for r in found], query
        assert next(r for r in found if r["href"] == "/" + url)["kind"] == kind


@pytest.mark.browser
@pytest.mark.parametrize("query", ["Consumer protection", "consumer PROTECTION", "industrial extension"])
def test_english_pages_are_found_in_english_and_marked_as_such(page, base, query) -> None:
    found = _search(page, base, query)
    assert [r["href"] for r in found] == ["/en/"]
    assert (found[0]["lang"], found[0]["english"], found[0]["kind"]) == ("en", "Tiếng Anh", "Trang")
    contacts = _search(page, base, "Chief of the Department Office")
    assert [r["href"] for r in contacts] == ["/en/contacts/"] and contacts[0]["lang"] == "en"


@pytest.mark.browser
@pytest.mark.parametrize("query", ["647/KH-SCT", "647 KH-SCT", "647-kh-sct", "647", "so 647/kh-sct"])
def test_every_way_of_typing_the_number_symbol_finds_plan_647_first(page, base, query) -> None:
    found = [r["href"] for r in _search(page, base, query)]
    assert found[:2] == ["/" + PLAN, "/" + PLAN_DOCUMENT]
    assert "/tin-tuc/2023/trien-khai-ke-hoach-647-kh-sct-tai-phong-quan-ly-cong-nghiep/" in found[2:]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "first"), [
    ("hướng dẫn tổ chức các hoạt động", "/van-ban/1663-btnmt-tttt/"),  # trích yếu
    ("so tai nguyen va moi truong tinh binh thuan", "/van-ban/1017-stnmt-tnnks/"),  # issuer
])
def test_documents_are_found_by_summary_and_issuer(page, base, query, first) -> None:
    found = _search(page, base, query, kind="van-ban")
    assert found[0]["href"] == first and {r["kind"] for r in found} == {"Văn bản"}


@pytest.mark.browser
def test_documents_are_found_by_type_and_results_narrow_to_one_kind(page, base) -> None:
    found = _search(page, base, "cong van", kind="van-ban")
    assert [r["href"] for r in found] == ["/van-ban/1663-btnmt-tttt/", "/van-ban/1017-stnmt-tnnks/"]
    everything = {r["kind"] for r in _search(page, base, "nuoc")}
    assert {"Bài viết", "Kế hoạch", "Văn bản", "Trang"} <= everything
    assert {r["kind"] for r in _search(page, base, "nuoc", kind="trang")} == {"Trang"}
    assert "loai=trang" in page.url
    page.goto(base + "tim-kiem/?q=nuoc&loai=ke-hoach")  # a shared link keeps the kind
    page.wait_for_selector("#search-form[data-ready=true]")
    assert page.input_value("#search-kind") == "ke-hoach"
    hrefs = page.eval_on_selector_all("#search-results li h2 a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/" + PLAN]
    assert "trong mục Kế hoạch" in page.text_content("#search-status")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_results_of_every_kind_are_accessible_and_fit_a_phone(chromium, base, width) -> None:
    """axe-core (WCAG 2.1 A/AA) on the results as the script draws them: the conformance suite
    checks the search page before anything is typed."""
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(base + "tim-kiem/?q=s")  # a word being typed: "Sở", "số", "state"… every kind, English too
        page.wait_for_selector("#search-form[data-ready=true]")
        kinds = set(page.eval_on_selector_all("#search-results li", "items => items.map(li => li.dataset.kind)"))
        assert kinds == {"bai-viet", "van-ban", "ke-hoach", "trang"}
        assert page.locator("#search-results li[lang=en] .search-lang").count() > 0
        violations = run_axe(page)
        assert not violations, describe_axe(violations)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        page.close()
