"""Hostile HTML in an article never reaches the site: removed with a warning at its line, or refused with --strict."""

from __future__ import annotations

import contextlib
import json
import sqlite3

import pytest

from generator.problems import BuildFailed
from tests.conftest import SITE_YAML, article

FIRST_BODY_LINE = 7  # article(): ---, four keys, ---, then the body

HOSTILE = """\
Mở đầu.

<script>alert("x")</script>

<style>body { display: none }</style>

<p onclick="steal()" style="color: red">Đoạn có thuộc tính sự kiện.</p>

[Bấm vào](javascript:alert(1)) và [cũng vậy](  JaVa&#x09;ScRiPt:alert(2)) và [trang](data:text/html,<b>x</b>)

<iframe src="https://tracker.example/embed"></iframe>

<img src="x.svg" alt="Ảnh" width="40" height="20" onerror="alert(3)">

<object data="x.swf"></object><form action="https://evil.example/"><input name="mat-khau"></form>
"""

SAFE = """\
<figure id="hinh-1"><img src="data:image/svg+xml;base64,PHN2Zy8+" alt="Biểu đồ" width="40" height="20">
<figcaption>Hình 1</figcaption></figure>

<table><caption>Lượng mưa</caption><thead><tr><th scope="col" colspan="2">Tháng 3</th></tr></thead>
<tbody><tr><td rowspan="1">12</td><td>mm</td></tr></tbody></table>

| Cột trái | Cột phải |
|:---------|---------:|
| 1 | 2 |

<abbr title="Sở Công Thương">SCT</abbr> <a id="muc-1" href="https://sct.gov.vn/" title="Cổng" rel="external">Cổng</a>
H<sub>2</sub>O, m<sup>3</sup><br>

<details><summary>Xem thêm</summary><div class="ghi-chu"><span class="nhan">Ghi chú</span></div></details>

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video Giờ Trái đất" width="560" height="315"></iframe>
"""

EXPECTED_WARNINGS = [  # (line, what the warning names)
    (9, "thẻ <script>"),
    (11, "thẻ <style>"),
    (13, "onclick"),
    (13, "thuộc tính style"),
    (15, "'javascript:alert(1)'"),
    (15, "ScRiPt:alert(2)"),
    (15, "'data:text/html,<b>x</b>'"),
    (17, "<iframe> từ tracker.example"),
    (19, "onerror"),
    (21, "thẻ <object>"),
    (21, "thẻ <form>"),  # its action attribute goes with it: one warning per removed tag
    (21, "thẻ <input>"),
]

IFRAME_SITE_YAML = SITE_YAML + "allowed_iframe_hosts: [www.youtube-nocookie.com]\n"


@pytest.fixture
def hostile_site(make_site):
    site = make_site({"bai-viet/a.md": article("Bài có HTML dán", body=HOSTILE),
                      "bai-viet/b.md": article("Bài an toàn", body=SAFE), "_data/site.yaml": IFRAME_SITE_YAML})
    return site


def body_of(site, slug: str):
    return site.html(f"tin-tuc/2023/{slug}/").select_one(".article-body")


def test_hostile_html_is_removed_with_a_warning_at_its_line(hostile_site):
    result = hostile_site.build()
    found = [(w.line, w.message) for w in result.warnings if w.path == "content/bai-viet/a.md"]
    assert len(found) == len(EXPECTED_WARNINGS), found
    for (line, message), (expected_line, words) in zip(found, EXPECTED_WARNINGS, strict=True):
        assert line == expected_line and words in message, (line, message)
    assert all(w.hint and w.severity == "warning" for w in result.warnings)
    body = body_of(hostile_site, "bai-co-html-dan")
    assert not body.find_all(["script", "style", "iframe", "object", "form", "input"])
    assert not [a for el in body.find_all(True) for a in el.attrs if a.startswith("on") or a == "style"]
    hrefs = [a.get("href") for a in body.find_all("a")]
    assert hrefs == [None, None, None]  # the links' text stays, their unsafe targets go
    assert "Đoạn có thuộc tính sự kiện." in body.get_text() and 'alert("x")' not in body.get_text()


def test_the_safe_list_survives_untouched(hostile_site):
    result = hostile_site.build()
    assert not [w for w in result.warnings if w.path == "content/bai-viet/b.md"]
    body = body_of(hostile_site, "bai-an-toan")
    assert body.select_one("figure#hinh-1 img")["src"].startswith("data:image/svg+xml")
    assert body.select_one("figure figcaption").get_text() == "Hình 1"
    assert body.select_one("th")["scope"] == "col" and body.select_one("th")["colspan"] == "2"
    assert [th.get("style") for th in body.select("table")[1].select("th")] == ["text-align:left", "text-align:right"]
    assert body.select_one("abbr")["title"] == "Sở Công Thương"
    link = body.select_one("a#muc-1")
    assert (link["href"], link["title"], link["rel"]) == ("https://sct.gov.vn/", "Cổng", ["external"])
    assert body.select_one("sub").get_text() == "2" and body.select_one("details summary")
    assert body.select_one("div.ghi-chu span.nhan")
    assert body.select_one("iframe")["src"] == "https://www.youtube-nocookie.com/embed/abc"


def test_an_iframe_host_not_listed_in_site_yaml_is_removed(make_site):
    site = make_site({"bai-viet/b.md": article("Bài an toàn", body=SAFE)})  # no allowed_iframe_hosts
    [warning] = site.build().warnings
    assert (warning.line, warning.message) == (FIRST_BODY_LINE + 15, "đã bỏ khung nhúng <iframe> từ "
                                               "www.youtube-nocookie.com")
    assert "allowed_iframe_hosts" in warning.hint
    assert not body_of(site, "bai-an-toan").find("iframe")


def test_a_marked_section_python_cannot_parse_does_not_fail_the_build(make_site):
    """'<![ảnh](…)' (an image typed after '<') made Python's HTML parser give up, and the build with
    it; it is read as browsers read it, a bogus comment up to the next '>', and the page is built."""
    body = "<!-- ghi chú --><![ảnh](anh/x.svg \"t>u\") và chữ sau\n\n<iframe src=\"https://evil.example/\"></iframe>"
    site = make_site({"bai-viet/b.md": article("Bài lỗi gõ", body=body)})
    warnings = site.build().warnings
    assert [w.message for w in warnings] == ["đã bỏ khung nhúng <iframe> từ evil.example"]
    page = body_of(site, "bai-loi-go")
    assert "và chữ sau" in page.get_text() and not page.find("iframe") and "<![" not in str(page)


def test_warnings_replay_from_the_cache(hostile_site):
    first = hostile_site.build()
    with contextlib.closing(sqlite3.connect(hostile_site.root / ".cache" / "markdown.sqlite")) as db:
        cached = [json.loads(problems) for (problems,) in db.execute("SELECT problems FROM rendered")]
    assert any(p["severity"] == "warning" and "onclick" in p["message"] for entry in cached for p in entry)
    second = hostile_site.build()
    assert second.warnings == first.warnings


def test_strict_turns_removals_into_errors(hostile_site):
    with pytest.raises(BuildFailed) as failed:
        hostile_site.build(strict=True)
    assert len(failed.value.problems) == len(EXPECTED_WARNINGS)
    assert all(p.severity == "error" for p in failed.value.problems)


def test_cli_warns_or_refuses_with_strict(hostile_site):
    warned = hostile_site.cli("build")
    assert warned.returncode == 0
    assert "cảnh báo: content/bai-viet/a.md:9: đã bỏ thẻ <script>" in warned.stderr
    before = {p: p.read_bytes() for p in hostile_site.output.rglob("*") if p.is_file()}
    refused = hostile_site.cli("build", "--strict")
    assert refused.returncode == 1
    assert "content/bai-viet/a.md:13: đã bỏ thuộc tính sự kiện onclick của thẻ <p>" in refused.stderr
    assert f"Dựng thất bại: {len(EXPECTED_WARNINGS)} lỗi." in refused.stderr
    assert "Traceback" not in refused.stderr
    assert {p: p.read_bytes() for p in hostile_site.output.rglob("*") if p.is_file()} == before


# Every construct of the Markdown extensions the site enables, without a tag written by the author.
MARKDOWN_ONLY = """\
# Tiêu đề có *nhấn mạnh* và `mã`

Đoạn có [liên kết](https://monre.gov.vn "Bộ") và ![Ảnh](anh/x.svg "tựa ảnh"), <https://wmo.int>,
<lien-he@example.vn>, &amp; &copy; &#273; và chú thích[^1]. Cụm HTML sẽ được viết tắt.

*[HTML]: HyperText Markup Language

| Trái | Giữa | Phải |
|:-----|:----:|-----:|
| 1    | 2    | 3    |

Thuật ngữ
:   Định nghĩa của thuật ngữ.

```python
print("<script>vẫn là chữ</script>")
```

1. một
2. hai

> trích dẫn

---

[^1]: Nội dung chú thích.
"""

WITH_BAD_URLS = "[Bấm](javascript:alert(1)) và ![Ảnh](data:text/html,x) và [mail](mailto:a@b.vn)\n"


def _both_paths(body: str, monkeypatch) -> tuple:
    """render_body as the build runs it, and with the report-only parse forced on every body."""
    from pathlib import PurePosixPath

    from generator.markdown import render as markdown_render
    from generator.markdown import sanitize
    links = markdown_render.LinkContext({"bai-viet/anh/x.svg": "bai-viet/anh/x.svg"}, "/")
    parses = []
    parse = sanitize.parse
    monkeypatch.setattr(sanitize, "parse", lambda *args: parses.append(1) or parse(*args))
    fast = markdown_render.render_body(body, PurePosixPath("bai-viet/a.md"), 7, links)
    fast_parsed = bool(parses)
    full_clean = sanitize.clean
    monkeypatch.setattr(sanitize, "clean", lambda *args, **kw: full_clean(*args, **{**kw, "written_urls": None}))
    full = markdown_render.render_body(body, PurePosixPath("bai-viet/a.md"), 7, links)
    return fast, full, fast_parsed


@pytest.mark.parametrize(("body", "parsed"),
                         [(MARKDOWN_ONLY, False), (WITH_BAD_URLS, True), (HOSTILE, True), (SAFE, True)],
                         ids=["markdown", "urls", "hostile", "safe"])
def test_skipping_the_report_parse_changes_neither_html_nor_warnings(body, parsed, monkeypatch):
    fast, full, fast_parsed = _both_paths(body, monkeypatch)
    assert fast_parsed == parsed  # only a body with raw HTML or a refused URL is parsed to report
    assert fast.html == full.html
    assert fast.problems == full.problems


def test_markdown_alone_makes_only_allowed_tags_and_attributes():
    """The premise of skipping the parse: what the enabled extensions write is all on the safe list."""
    from pathlib import PurePosixPath

    from bs4 import BeautifulSoup

    from generator.markdown import render as markdown_render
    from generator.markdown import sanitize
    links = markdown_render.LinkContext({"bai-viet/anh/x.svg": "bai-viet/anh/x.svg"}, "/")
    body = markdown_render.render_body(MARKDOWN_ONLY, PurePosixPath("bai-viet/a.md"), 7, links)
    soup = BeautifulSoup(body.html, "html.parser")
    names = {tag.name for tag in soup.find_all(True)}
    assert {"table", "sup", "abbr", "dl", "pre", "blockquote", "hr", "img", "a"} <= names  # the constructs were made
    assert list(sanitize._removals(soup, frozenset())) == []
    assert [p for p in body.problems if p.severity == "warning"] == []
