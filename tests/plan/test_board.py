"""The electronic board page in a real headless Chromium: the right slogan for the day, none, cycling."""

from __future__ import annotations

import functools
import re
import threading
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import SiteDir, free_port
from tests.plan.test_plan import PLAN_YAML

pytestmark = pytest.mark.browser

BOARD_PLAN = PLAN_YAML.replace("{start}", "2023-03-20")  # the water slogan runs 20/3–15/4, over Earth Hour
ENERGY = "Tiết kiệm năng lượng vì Trái đất."
WATER = "Bảo vệ tài nguyên nước."


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def board_url(tmp_path_factory):
    """The built fixture site served on 127.0.0.1; yields the board page's URL."""
    site = SiteDir(tmp_path_factory.mktemp("board"), {"_data/plans/9-KH-SCT.yaml": BOARD_PLAN})
    site.build()
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(site.output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/bang-dien-tu/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def slogan(page) -> str:
    return page.locator("#khau-hieu").inner_text()


def test_single_slogan_on_its_day(page, board_url):
    page.goto(board_url + "?date=2023-04-10")
    assert slogan(page) == WATER
    assert page.locator("#ngay-hien-thi").inner_text() == "Thứ Hai, 10/04/2023"
    assert page.locator("#thu-tu").inner_text() == ""


def test_a_day_without_slogan_says_so(page, board_url):
    page.goto(board_url + "?date=2023-05-01")
    assert slogan(page) == "Hôm nay không có khẩu hiệu theo lịch."
    assert "board-none" in page.locator("#bang").get_attribute("class")


def test_two_slogans_on_one_day_take_turns(page, board_url):
    page.clock.install(time=datetime.fromisoformat("2023-03-25T09:00:00+07:00"))
    page.goto(board_url)  # no ?date: the page reads the (fixed) clock, in Vietnam time
    first = slogan(page)
    assert page.locator("#thu-tu").inner_text() == "(1/2)"
    page.clock.run_for(12_000)
    second = slogan(page)
    assert {first, second} == {ENERGY, WATER}
    assert page.locator("#thu-tu").inner_text() == "(2/2)"
    page.clock.run_for(12_000)
    assert slogan(page) == first


def test_the_day_follows_vietnam_time_not_utc(page, board_url):
    # 17:30 UTC on 24/3 is already 00:30 on Earth Hour day in Bình Thuận.
    page.clock.install(time=datetime.fromisoformat("2023-03-24T17:30:00+00:00"))
    page.goto(board_url)
    assert page.locator("#bang").get_attribute("data-date") == "2023-03-25"


def test_the_schedule_is_plain_html_without_scripts(chromium, board_url):
    context = chromium.new_context(java_script_enabled=False)
    try:
        quiet = context.new_page()
        quiet.goto(board_url)
        rows = quiet.locator(".board-schedule tbody tr").all_inner_texts()
        assert len(rows) == 2 and WATER in rows[0] and ENERGY in rows[1]  # in date order
        assert "Từ 20/03/2023 đến 15/04/2023" in rows[0] and "Ngày 25/03/2023" in rows[1]
    finally:
        context.close()


def test_once_loaded_the_board_needs_no_network(page, board_url):
    page.clock.install(time=datetime.fromisoformat("2023-04-14T23:59:50+07:00"))
    page.goto(board_url)
    assert slogan(page) == WATER
    page.context.set_offline(True)
    page.clock.fast_forward("24:00:00")  # a day later, offline: the next day's schedule still applies
    assert page.locator("#bang").get_attribute("data-date") == "2023-04-15"
    assert slogan(page) == WATER
    page.clock.fast_forward("24:00:00")
    assert slogan(page) == "Hôm nay không có khẩu hiệu theo lịch."


def test_plan_document_prints_on_a4_without_the_site_chrome(page, board_url):
    page.goto(board_url.replace("bang-dien-tu/", "ke-hoach/9-kh-sct/"))
    page.emulate_media(media="print")
    assert not page.locator(".plan-nav").is_visible()
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".task-tag").first.is_visible()
    assert page.locator(".doc-signer").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    # Each page's size in points: A4 is 595.3 × 841.9 (Chromium rounds to whole pixels); without the
    # stylesheet's @page rule Playwright would print on US Letter, 612 × 792.
    sizes = {(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert sizes and all(abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 for w, h in sizes), sizes
