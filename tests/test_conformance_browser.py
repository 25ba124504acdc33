"""Accessibility and phones, in the real headless Chromium: axe-core, scrolling, the menu, focus.

Each listed page is opened once per width (375 px phone, 1280 px desktop) over a real HTTP server;
that visit runs axe-core, takes the screenshot kept in tests/artifacts/, measures the page and
records every request it makes. The tests below then judge one aspect each.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.conformance import (
    ARTICLE_URL,
    ARTIFACTS,
    build_article_site,
    build_embedded_site,
    describe_axe,
    run_axe,
    serve,
)

pytestmark = [pytest.mark.conformance, pytest.mark.browser]

WIDTHS = (375, 1280)
SCREENSHOTS = ARTIFACTS / "screenshots"  # kept after the run (gitignored) for people to look at

# Pages of the embedded site (content/) that axe-core checks at each width: one of every page kind.
# A listed page that is not built FAILS the tests (no silent skip).
AXE_PAGES = [
    "",                                  # home
    "tin-tuc/",                          # news list
    "chuyen-de/gio-trai-dat/",           # a campaign
    "chuyen-de/gio-trai-dat/2023/",      # a campaign year
    "don-vi/phong-quan-ly-nang-luong/",  # an office
    "the/",                              # tags
    "the/bien-doi-khi-hau/",             # a tag
    "tin-tuc/2023/gio-trai-dat-2023/",   # an article
    "gioi-thieu/",                       # a static page
    "tim-kiem/",                         # search
    "bang-dien-tu/",                     # the display board
    "ke-hoach/647-kh-sct/",              # the plan as a document
    "ke-hoach/647-kh-sct/tien-do/",      # its progress
    "ke-hoach/647-kh-sct/bao-cao/",      # its results report
    "van-ban/",                          # documents
    "to-chuc/",                          # organisation
    "en/",                               # English pages
    "en/contacts/",
    "404.html",                          # not found
]

# The fixture site (tests/conformance.py ARTICLE_SITE): the page kinds the embedded site lacks in
# this branch, with covers, a table, figures, footnotes and code; the second news page has pagination.
ARTICLE_PAGES = [
    "",
    "tin-tuc/trang/2/",
    ARTICLE_URL,
    "the/tai-nguyen-nuoc/",
    "gioi-thieu/",
]

IMAGE_LAYOUT = """() => [...document.images].filter(i => i.complete && i.naturalWidth).map(i => {
  const box = i.getBoundingClientRect();
  return {src: i.getAttribute('src'), width: box.width, height: box.height,
          ratio: i.naturalWidth / i.naturalHeight, right: box.right};
})"""


@dataclass(frozen=True)
class Visit:
    site: str
    path: str
    width: int
    status: int
    violations: list
    scroll_width: int
    inner_width: int
    hosts: frozenset
    images: list

    @property
    def name(self) -> str:
        return f"[{self.site}] /{self.path} at {self.width} px"


@pytest.fixture(scope="module")
def article_site(tmp_path_factory):
    return build_article_site(tmp_path_factory)


@pytest.fixture(scope="module")
def visits(chromium, tmp_path_factory, article_site) -> list[Visit]:
    sites = [("embedded", build_embedded_site(tmp_path_factory), AXE_PAGES), ("articles", article_site, ARTICLE_PAGES)]
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pictures, none left from an older list
    SCREENSHOTS.mkdir(parents=True)
    found = []
    for label, site, pages in sites:
        with serve(site.output) as root:
            for width in WIDTHS:
                page = chromium.new_page(viewport={"width": width, "height": 900})
                try:
                    found += [_visit(page, root, label, path, width) for path in pages]
                finally:
                    page.close()
    return found


def _visit(page, root: str, label: str, path: str, width: int) -> Visit:
    hosts: set[str] = set()
    listen = lambda request: hosts.add(urlsplit(request.url).netloc)  # noqa: E731
    page.on("request", listen)
    try:
        response = page.goto(root + path, wait_until="load")
        violations = run_axe(page)
        page.screenshot(path=str(SCREENSHOTS / _screenshot_name(label, path, width)), full_page=True)
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        images = page.evaluate(IMAGE_LAYOUT)
    finally:
        page.remove_listener("request", listen)
    return Visit(label, path, width, response.status, violations, scroll_width, inner_width,
                 frozenset(hosts), images)


def _screenshot_name(label: str, path: str, width: int) -> str:
    return f"{label}-{path.strip('/').replace('/', '_').replace('.html', '') or 'home'}-{width}.png"


def test_every_listed_page_exists(visits):
    missing = [v.name for v in visits if v.status != 200]
    assert not missing, f"listed pages that were not built: {missing}"


def test_axe_core_finds_no_wcag_2_1_a_or_aa_violation(visits):
    report = [f"{v.name}:\n{describe_axe(v.violations)}" for v in visits if v.violations]
    assert not report, "\n".join(report)


def test_no_page_scrolls_sideways(visits):
    wide = [f"{v.name}: {v.scroll_width} px wide" for v in visits if v.scroll_width > v.inner_width]
    assert not wide, wide


def test_pages_load_nothing_from_another_host(visits):
    foreign = {v.name: sorted(h for h in v.hosts if not h.startswith("127.0.0.1:")) for v in visits}
    assert not any(foreign.values()), {k: h for k, h in foreign.items() if h}


def test_images_fit_the_screen_and_keep_their_shape(visits):
    seen = [(v, image) for v in visits for image in v.images]
    assert any(v.path == ARTICLE_URL and v.width == 375 for v, _ in seen)
    bad = [f"{v.name}: {i['src']} {i['width']:.0f}×{i['height']:.0f}" for v, i in seen
           if i["right"] > v.inner_width + 0.5 or abs(i["width"] / i["height"] - i["ratio"]) > 0.02 * i["ratio"]]
    assert not bad, bad


def test_screenshots_are_kept_for_each_page_and_width(visits):
    shots = {p.name: p.stat().st_size for p in SCREENSHOTS.glob("*.png")}
    assert set(shots) == {_screenshot_name(v.site, v.path, v.width) for v in visits}
    assert len(shots) == len(AXE_PAGES + ARTICLE_PAGES) * len(WIDTHS) and min(shots.values()) > 1000


def test_axe_finds_a_violation_when_there_is_one(chromium):
    """axe-core is really injected and run: an unlabelled image and a low-contrast text are caught."""
    page = chromium.new_page()
    try:
        page.set_content('<html lang="vi"><title>x</title><main><img src="data:,">'
                         '<p style="color:#bbb;background:#fff">chữ mờ</p></main></html>')
        found = {v["id"] for v in run_axe(page)}
    finally:
        page.close()
    assert {"image-alt", "color-contrast"} <= found


# --- The main menu on a phone: a button that works by keyboard and by touch ----------------------
@pytest.fixture(scope="module")
def served(article_site):
    with serve(article_site.output) as root:
        yield root


def _focused(page) -> str:
    return page.evaluate("document.activeElement.className || document.activeElement.tagName")


def test_menu_button_opens_and_closes_by_keyboard(chromium, served):
    page = chromium.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(served)
        menu, button = page.locator("#menu-chinh"), page.locator(".menu-toggle")
        assert button.is_visible() and not menu.is_visible()
        for _ in range(6):  # skip link, brand, then the button
            page.keyboard.press("Tab")
            if _focused(page) == "menu-toggle":
                break
        assert _focused(page) == "menu-toggle"
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
        page.keyboard.press("Tab")  # into the open menu
        assert page.evaluate("document.activeElement.closest('#menu-chinh') !== null")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
        page.keyboard.press("Space")
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false" and _focused(page) == "menu-toggle"
    finally:
        page.close()


def test_menu_button_opens_by_touch(chromium, served):
    context = chromium.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(served)
        page.tap(".menu-toggle")
        assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
        page.tap("#menu-chinh a >> nth=1")
        page.wait_for_url("**/tin-tuc/")
        assert page.locator("h1").inner_text().startswith("Tin tức")
    finally:
        context.close()


def test_without_javascript_the_menu_stays_open_and_the_button_is_hidden(chromium, served):
    context = chromium.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served)
        assert page.locator("#menu-chinh").is_visible() and not page.locator(".menu-toggle").is_visible()
    finally:
        context.close()


def test_desktop_shows_the_menu_without_a_button(chromium, served):
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(served)
        assert page.locator("#menu-chinh").is_visible() and not page.locator(".menu-toggle").is_visible()
    finally:
        page.close()


def test_keyboard_focus_is_visible_and_the_skip_link_reaches_main(chromium, served):
    page = chromium.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(served)
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        box = skip.bounding_box()
        assert _focused(page) == "skip-link" and box["y"] >= 0 and box["height"] > 0  # shown on focus
        for _ in range(3):  # the skip link, the brand, the menu button: every stop shows a ring
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
            assert style[0] != "none" and style[1] != "0px" or style[2] != "none", (_focused(page), style)
            page.keyboard.press("Tab")
        page.goto(served)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "noi-dung"
    finally:
        page.close()
