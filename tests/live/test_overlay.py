"""The preview's error overlay in a real Chromium: it comes with a broken save, goes with the fix
however fast the saves follow each other, and its text is legible (axe's colour-contrast rule)."""

from __future__ import annotations

import pytest
from conftest import SiteDir, article, running_preview, socket_connected

from tests.conformance import AXE_JS, require

GOOD = "campaign: ngay-nuoc-the-gioi"
BROKEN = "campaign: ngay-nuoc-the-gioii"
# seconds between the broken save and its fix: from "before the broken rebuild has even finished" to
# "long after the overlay showed"
PAUSES = [0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.6, 1.0]


@pytest.fixture
def preview(tmp_path):
    site = SiteDir(tmp_path, {"bai-viet/nuoc.md": article("Nước là sự sống", body="Lần sửa đầu."),
                              "bai-viet/khac.md": article("Bài khác", date="2023-03-20")})
    with running_preview(site) as server:
        yield server, site.content / "bai-viet" / "nuoc.md"


@pytest.mark.browser
def test_thirty_break_then_fix_cycles_never_leave_the_overlay_behind(preview, chromium):
    server, source = preview
    original = source.read_text(encoding="utf-8")
    page = chromium.new_page()
    page.goto(server.url + "tin-tuc/2023/nuoc-la-su-song/")
    socket_connected(page)
    for cycle in range(30):
        pause = PAUSES[cycle % len(PAUSES)]
        broken = original.replace(GOOD, BROKEN).replace("Lần sửa đầu.", f"Bản hỏng {cycle}.")
        source.write_text(broken, encoding="utf-8")
        if pause:
            page.wait_for_timeout(pause * 1000)
        source.write_text(original.replace("Lần sửa đầu.", f"Lần sửa {cycle}."), encoding="utf-8")
        page.wait_for_function("t => { var m = document.querySelector('main'); return m && m.innerText.includes(t)"
                               " && !document.getElementById('awareness-overlay'); }",
                               arg=f"Lần sửa {cycle}.", timeout=10_000)
        # and it stays so: a reload still in flight must not bring the overlay back
        page.wait_for_timeout(150)
        socket_connected(page)
        assert page.query_selector("#awareness-overlay") is None, f"cycle {cycle} (pause {pause} s)"
        assert f"Lần sửa {cycle}." in page.inner_text("main")
    page.close()


@pytest.mark.browser
def test_the_overlay_passes_axes_colour_contrast(preview, chromium):
    server, source = preview
    original = source.read_text(encoding="utf-8")
    page = chromium.new_page()
    page.goto(server.url + "tin-tuc/2023/nuoc-la-su-song/")
    socket_connected(page)
    source.write_text(original.replace(GOOD, BROKEN), encoding="utf-8")
    try:
        page.wait_for_selector("#awareness-overlay", timeout=10_000)
        page.add_script_tag(path=str(require(AXE_JS, "npm ci --ignore-scripts")))
        result = page.evaluate("() => axe.run({include: [['#awareness-overlay']]},"
                               " {runOnly: {type: 'rule', values: ['color-contrast']}})")
        assert result["passes"], "axe checked no text of the overlay"
        assert result["violations"] == [], result["violations"]
        heading = page.eval_on_selector("#awareness-overlay h2", "e => getComputedStyle(e).color")
        assert heading == "rgb(255, 255, 255)"
    finally:
        source.write_text(original, encoding="utf-8")
        page.close()
