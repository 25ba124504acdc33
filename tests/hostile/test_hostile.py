"""Hostile input, round two: nothing a file holds can hang, crash or lock the build.

Each row of corpus.CASES is built as a tiny site: the author is told the file, the line and the
cause, every time, without a traceback. The Markdown attacks are also timed where they are
converted (done or refused within two seconds at 100 KB), and once through the preview server.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, SiteDir, article, free_port

from generator.live.serve import PreviewServer
from generator.markdown import guard as markdown_guard
from generator.markdown.render import LinkContext, render_body
from generator.problems import BuildFailed
from generator.vietnamese.text import MAX_SLUG
from tests.hostile.corpus import BODY, CASES, LEAD, SLOW_MARKDOWN, A
from tests.live.test_serve import get, problems_shown, wait_until


def problems_of(site: SiteDir) -> list:
    try:
        result = site.build()
    except BuildFailed as failed:
        return failed.problems
    return list(result.warnings)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_file_is_named_with_its_line(make_site, case):
    found = [p for p in problems_of(make_site(case.files)) if p.path == case.path]
    assert len(found) >= 1, f"nothing said about {case.path}"
    named = [p for p in found if case.words in p.message]
    assert named, [p.format() for p in found]
    assert (named[0].line, named[0].severity) == (case.line, case.severity), named[0].format()
    assert named[0].hint


@pytest.mark.parametrize("body", SLOW_MARKDOWN.values(), ids=SLOW_MARKDOWN.keys())
def test_slow_markdown_is_refused_within_two_seconds(body):
    started = time.perf_counter()
    rendered = render_body(LEAD + body + "\n", PurePosixPath("bai-viet/a.md"), BODY, LinkContext({}, "/"))
    assert time.perf_counter() - started < 2
    assert rendered.problems and rendered.html == ""


def test_ordinary_long_markdown_is_not_refused():
    """A long article with many links, code and quotations is far from every limit."""
    paragraph = " ".join(f"Xem [mục {n}](https://example.gov.vn/{n}) và `mã {n}` (chú thích)." for n in range(100))
    body = "\n\n".join([paragraph, "```\nif (a < b) { x[i] = y; }\n```", "> trích dẫn\n> > lồng", "- a\n    - b"] * 20)
    assert markdown_guard.check(body) == []
    rendered = render_body(body, PurePosixPath("bai-viet/a.md"), BODY, LinkContext({}, "/"))
    assert not [p for p in rendered.problems if p.severity == "error"]
    assert rendered.html.count("<a ") == 2000


def test_the_time_budget_turns_into_an_error_naming_the_file(monkeypatch):
    """What the check does not foresee (here: thousands of Setext headings in one block, quadratic in
    the block parser) is stopped by the clock and reported, not left to run."""
    monkeypatch.setattr(markdown_guard, "TIME_BUDGET", 0.05)
    body = "a\n=\n" * 5000
    assert markdown_guard.check(body) == []
    rendered = render_body(body, PurePosixPath("bai-viet/a.md"), BODY, LinkContext({}, "/"))
    (problem,) = rendered.problems
    assert (problem.path, problem.line, rendered.html) == ("bai-viet/a.md", BODY, "")
    assert "vượt quá" in problem.message
    ok = render_body("Bình thường.", PurePosixPath("bai-viet/b.md"), BODY, LinkContext({}, "/"))
    assert ok.html == "<p>Bình thường.</p>" and not ok.problems  # the engine works after being stopped


def test_a_long_title_without_slug_gets_a_short_address_on_a_word_boundary(make_site):
    site = make_site({"bai-viet/a.md": article("Hưởng ứng " * 200)})
    site.build()
    (folder,) = (site.output / "tin-tuc" / "2023").iterdir()
    assert len(folder.name) <= MAX_SLUG and folder.name.endswith("ung")
    assert site.html(f"tin-tuc/2023/{folder.name}/").find("h1").get_text(strip=True).startswith("Hưởng ứng")


def test_the_second_link_to_a_missing_page_is_reported_at_its_own_line(make_site):
    body = "[một](khong-co.md)\n\nĐoạn giữa.\n\n![ảnh](khong-co.svg)\n\n[hai](khong-co.md)\n"
    problems = problems_of(make_site({"bai-viet/a.md": article(body=body)}))
    lines = sorted(p.line for p in problems if p.path == A and "không tồn tại" in p.message)
    assert lines == [BODY, BODY + 4, BODY + 6]


@pytest.mark.parametrize("where", ["bai-viet/ngoai", "_data/plans"])
def test_a_symlinked_folder_leading_out_of_content_is_an_error(make_site, tmp_path, where):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "b.md").write_text(article("Bài ngoài"), encoding="utf-8")
    site = make_site({"bai-viet/a.md": article()})
    (site.content / where).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, site.content / where)
    (problem,) = [p for p in problems_of(site) if p.path == f"content/{where}"]
    assert "ra ngoài thư mục content/" in problem.message and problem.severity == "error"


def test_the_preview_answers_while_a_slow_article_is_saved(make_site):
    site = make_site({"bai-viet/a.md": article(body="Bình thường.")})
    settings = site.settings(output=site.root / "preview", cache=None, preview=True)
    server = PreviewServer(settings, "127.0.0.1", free_port())
    server.bind()
    server.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.ready.wait(10)
        source = site.content / "bai-viet" / "a.md"

        def edited() -> bool:  # saved again until seen: the watcher starts watching a moment after `ready`
            source.write_text(article(body="Đã sửa."), encoding="utf-8")
            time.sleep(0.3)
            return "Đã sửa." in get(server, "/tin-tuc/2023/bai-viet/")[1]

        wait_until(edited, timeout=15)
        source.write_text(article(body=SLOW_MARKDOWN["unclosed ["]), encoding="utf-8")
        saved = time.monotonic()
        wait_until(lambda: any("dấu '['" in p["message"] for p in problems_shown(server)), timeout=15)
        assert time.monotonic() - saved < 5  # the watcher's debounce, then a rebuild that refuses at once
        started = time.monotonic()
        assert get(server, "/")[0] == 200
        assert time.monotonic() - started < 1
    finally:
        server.stop()
        thread.join(10)


class _Missing(BaseHTTPRequestHandler):
    """A partner's site on 127.0.0.1 that answers 404 to everything."""

    def do_HEAD(self):  # noqa: N802 - http.server's name
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def missing_partner():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Missing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/khong-co"
    server.shutdown()


def test_a_broken_link_in_a_data_file_is_reported_once_at_its_line(make_site, missing_partner):
    """organisation.yaml's partner link is printed in the footer of every page: one finding at the
    data file's line with the page count, in text, JSON and SARIF, right after a build."""
    organisation = f'links:\n  - {{name: "Cổng đối tác", url: "{missing_partner}"}}\n'
    site = make_site({"bai-viet/a.md": article(), "bai-viet/b.md": article("Bài hai"),
                      "_data/organisation.yaml": organisation})
    assert site.cli("build", "--today", TODAY.isoformat()).returncode == 0
    pages = [p for p in site.output.rglob("*.html")
             if BeautifulSoup(p.read_text(encoding="utf-8"), "lxml").find("a", href=missing_partner)]
    assert len(pages) > 10
    run = site.cli("check", "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    (finding,) = [f for f in json.loads(run.stdout)["findings"] if f["url"] == missing_partner]
    assert (finding["source"], finding["pages"], finding["status"]) == \
        ("content/_data/organisation.yaml:2", len(pages), "broken")
    text = site.cli("check").stdout.splitlines()
    at = text.index("content/_data/organisation.yaml")
    assert text[at + 1].startswith("  2: hỏng: " + missing_partner) and f"{len(pages)} trang" in text[at + 1]
    assert not any("không rõ nguồn" in line for line in text)
    sarif = json.loads(site.cli("check", "--format", "sarif").stdout)
    (result,) = [r for r in sarif["runs"][0]["results"] if missing_partner in r["message"]["text"]]
    location = result["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == \
        ("content/_data/organisation.yaml", 2)
    assert result["properties"]["pages"] == len(pages)
