"""The table of contents of long articles (issue 33): which articles get one, its nesting and
markup, the front matter's `toc`, its absence from feeds, and in Chromium its links landing on their
headings and its place in the print version."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.markdown.toc import TocEntry, table_of_contents
from generator.problems import BuildFailed
from tests.conformance import serve
from tests.conftest import SiteDir, article

FILLER = "\n\n".join(["Đoạn văn đủ dài để trang phải cuộn, như một bài viết thật của Sở Công Thương."] * 12)
LONG_BODY = "\n\n".join([
    "Mở đầu bài viết.", "## Nước là nguồn sống", FILLER, "### Tại gia đình", FILLER, "### Tại công sở & trường học",
    FILLER, "#### Chi tiết không vào mục lục", FILLER, "## Năng lượng tái tạo", FILLER, "## Kết luận", FILLER,
]) + "\n"
FILES = {
    "bai-viet/2023/dai.md": article("Bài dài", date="2023-03-22", body=LONG_BODY),
    "bai-viet/2023/ngan.md": article("Bài ngắn", date="2023-03-23",
                                     body="## Một\n\nA.\n\n## Hai\n\nB.\n\n### Ba\n\nC.\n"),
    "bai-viet/2023/ep-co.md": article("Bài ép có mục lục", date="2023-03-24", toc="true",
                                      body="## Một\n\nA.\n\n## Hai\n\nB.\n"),
    "bai-viet/2023/ep-khong.md": article("Bài ép không mục lục", date="2023-03-25", toc="false", body=LONG_BODY),
}
LONG, SHORT, FORCED, REFUSED = (f"tin-tuc/2023/{slug}/" for slug in ("bai-dai", "bai-ngan", "bai-ep-co-muc-luc",
                                                                     "bai-ep-khong-muc-luc"))

# --- Which headings, nested how -------------------------------------------------------------------


def test_four_or_more_headings_of_level_two_and_three_make_a_table_of_contents() -> None:
    three = [(2, "a", "A"), (3, "b", "B"), (2, "c", "C")]
    assert table_of_contents(three, None) == ()
    assert table_of_contents([*three, (4, "d", "D")], None) == ()  # #### is not counted
    assert table_of_contents([*three, (3, "d", "D")], None) == (
        TocEntry("a", "A", (TocEntry("b", "B"),)), TocEntry("c", "C", (TocEntry("d", "D"),)))


def test_the_front_matter_decides_when_it_says() -> None:
    many = [(2, str(n), str(n)) for n in range(6)]
    assert table_of_contents(many, False) == ()
    assert table_of_contents([(2, "a", "A")], True) == (TocEntry("a", "A"),)
    assert table_of_contents([], True) == ()


def test_a_level_three_heading_before_any_level_two_stands_at_the_top_and_text_is_unescaped() -> None:
    headings = [(3, "a", "A &amp; B"), (3, "b", "x &lt; y"), (2, "c", "C"), (3, "d", "D")]
    assert table_of_contents(headings, None) == (
        TocEntry("a", "A & B"), TocEntry("b", "x < y"), TocEntry("c", "C", (TocEntry("d", "D"),)))


# --- In the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SiteDir:
    built = SiteDir(tmp_path_factory.mktemp("toc"), FILES)
    built.build()
    return built


def _toc(site: SiteDir, url: str):
    return site.html(url).select_one("main nav.toc")


def test_a_long_article_gets_a_labelled_nested_list_of_its_headings(site) -> None:
    page = site.html(LONG)
    nav = page.select_one("main nav.toc")
    assert nav["aria-label"] == "Mục lục bài viết" and nav.find("h2").get_text(strip=True) == "Mục lục"
    top = nav.find("ol").find_all("li", recursive=False)
    assert [li.a.get_text() for li in top] == ["Nước là nguồn sống", "Năng lượng tái tạo", "Kết luận"]
    nested = top[0].find("ol").find_all("a")
    assert [a.get_text() for a in nested] == ["Tại gia đình", "Tại công sở & trường học"]
    body_ids = {h["id"] for h in page.select(".article-body h2, .article-body h3")}
    assert {a["href"] for a in nav.find_all("a")} == {"#" + i for i in body_ids}
    assert nav.find_next_sibling("div", class_="article-body") is not None  # at the top of the body


def test_short_articles_have_none_unless_the_front_matter_asks(site) -> None:
    assert _toc(site, SHORT) is None
    assert [a["href"] for a in _toc(site, FORCED).find_all("a")] == ["#mot", "#hai"]
    assert _toc(site, REFUSED) is None


def test_feeds_carry_the_body_without_the_table_of_contents(site) -> None:
    feed = BeautifulSoup((site.output / "atom.xml").read_text(encoding="utf-8"), "xml")
    long_entry = next(e for e in feed.find_all("entry") if e.title.get_text() == "Bài dài")
    content = BeautifulSoup(long_entry.content.get_text(), "lxml")
    assert content.find("h2", id="nuoc-la-nguon-song") is not None  # the body is there
    assert content.find("nav") is None and "Mục lục" not in content.get_text()


def test_a_toc_value_that_is_not_true_or_false_is_an_error_naming_the_file_and_line(make_site) -> None:
    site = make_site({"bai-viet/2023/x.md": article("X", toc='"có"')})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    problem = next(p for p in failed.value.problems if "toc" in p.message)
    assert problem.path.endswith("bai-viet/2023/x.md") and problem.line == 6
    assert "true" in problem.hint and "false" in problem.hint


# --- In Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(site):
    with serve(site.output) as root:
        yield root


@pytest.mark.browser
def test_each_link_lands_on_its_heading(chromium, base) -> None:
    page = chromium.new_page(viewport={"width": 800, "height": 600})
    try:
        page.goto(base + LONG)
        links = page.eval_on_selector_all("nav.toc a", "links => links.map(a => a.getAttribute('href'))")
        assert len(links) == 5
        for href in links:
            page.goto(base + LONG)
            page.click(f"nav.toc a[href='{href}']")
            page.wait_for_function("h => location.hash === h", arg=href)
            top, seen = page.evaluate("""id => {
                const box = document.getElementById(id).getBoundingClientRect();
                const there = document.elementFromPoint(box.left + 2, box.top + box.height / 2);
                return [box.top, there && there.closest('h2, h3') ? there.closest('h2, h3').id : null];
            }""", href[1:])
            assert abs(top) < 5, (href, top)  # scrolled to the heading, at the top of the window
            assert seen == href[1:]  # and nothing (a sticky header) covers it
            assert page.evaluate("() => window.scrollY") > 0
    finally:
        page.close()


@pytest.mark.browser
def test_the_print_version_prints_the_table_of_contents(chromium, base) -> None:
    page = chromium.new_page()
    try:
        page.goto(base + LONG)
        page.emulate_media(media="print")
        assert page.is_visible("nav.toc") and page.is_visible("nav.toc ol ol a")
        assert not page.is_visible(".article-body .heading-anchor")  # print.css does apply
    finally:
        page.close()
