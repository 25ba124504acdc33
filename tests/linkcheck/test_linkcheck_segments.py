"""Pages read in parts (own bytes, header, footer) give exactly the links of reading them whole.

Checked page by page on the embedded site and on hand-written pages that put a <base href>,
ids and repeated links in the header and footer, and on pages that must not be cut.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.linkcheck import pages, segments
from generator.linkcheck.check import CheckSettings, check_site
from generator.linkcheck.extract import extract_css, extract_html
from tests.test_embedded_site import build_embedded

HEAD = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
{head}<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js" defer></script>
</head>
"""
TOP = """<body><a class="skip-link" href="#noi-dung">Bỏ qua</a>
<header id="dau-trang"><a href="/"><img src="/logo.svg" alt=""></a>
<nav><ul id="menu"><li><a href="/tin-tuc/"{current}>Tin tức</a></li><li><a href="/lien-he/">Liên hệ</a></li></ul></nav>
</header>
"""
FOOT = """</main>
<footer id="chan-trang"><h2 id="lien-ket">Liên kết</h2><a href="/">Trang chủ</a> <a href="#dau-trang">Lên đầu</a>
<a href="{footer_link}">Thêm</a></footer>
</body></html>
"""


def page(title: str, main: str, head: str = "", current: str = "", footer_link: str = "/lien-he/") -> str:
    return (HEAD.format(title=title, head=head) + TOP.format(current=current)
            + f'<main id="noi-dung" tabindex="-1">\n{main}\n' + FOOT.format(footer_link=footer_link))


FIXTURE = {
    "index.html": page("Trang chủ", '<h1 id="tieu-de">Trang chủ</h1><a href="/tin-tuc/#tin-1">Tin 1</a>'
                       '<a href="/">Trang chủ</a><a href="lien-he/#lien-ket">Liên kết ở chân trang</a>'),
    "tin-tuc/index.html": page("Tin tức", '<h1>Tin</h1><article id="tin-1"><a href="/lien-he/">Liên hệ</a>'
                               '<img src="/logo.svg" srcset="/logo.svg 1x, /logo@2x.svg 2x" alt=""></article>'
                               '<a href="#chan-trang">Chân trang</a><a href="#menu">Menu</a>',
                               current=' aria-current="page"'),
    "lien-he/index.html": page("Liên hệ", '<h1 id="lien-he">Liên hệ</h1><a href="anh/ban-do.png">Bản đồ</a>',
                               head='<base href="/tai-lieu/">', footer_link="#lien-he"),
    # with <base href>, "#x" on the contact page points at this page: its chrome has the ids too
    "tai-lieu/index.html": page("Tài liệu", '<h1 id="lien-he">Tài liệu liên hệ</h1>'),
    "tai-lieu/anh/ban-do.png": "",
    "lien-he/anh/ban-do.png": "",
    "logo.svg": "", "logo@2x.svg": "",
    "assets/site.css": "body { background: url(/logo.svg) }", "assets/site.js": "",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def whole(output: Path, name: str):
    data = (output / name).read_bytes()
    return extract_css(data.decode("utf-8")) if name.endswith(".css") else extract_html(data)


def assert_as_whole(output: Path, read: pages.ReadPages) -> None:
    assert read.links, "no page was read"
    for name, links in read.links.items():
        assert links == whole(output, name), name


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    return build_embedded(tmp_path_factory.mktemp("embedded"))


def test_every_embedded_page_cuts_and_reads_as_whole(embedded):
    files = pages.published_files(embedded.output)
    html = [n for n in files if n.endswith(".html")]
    assert all(segments.cut((embedded.output / n).read_bytes()) is not None for n in html)
    read = pages.read_pages(embedded.output, files, None, workers=1)
    assert_as_whole(embedded.output, read)
    css = sum(n.endswith(".css") for n in files)
    # each page's own part, plus a header per menu section and one footer (or a few): far fewer than a page each
    assert len(html) + css < read.parsed < len(html) + css + len(html) // 2


def test_fixture_pages_with_base_and_chrome_ids_read_as_whole(tmp_path):
    output = write(tmp_path / "output", FIXTURE)
    read = pages.read_pages(output, pages.published_files(output), None, workers=1)
    assert_as_whole(output, read)
    contact = read.links["lien-he/index.html"]
    assert contact.base == "/tai-lieu/"
    assert {"dau-trang", "menu", "noi-dung", "lien-he", "chan-trang", "lien-ket"} <= contact.anchors
    # first use only, in document order across the parts: "/" is the header's, "#lien-he" the footer's
    assert contact.references.index(("base[href]", "/tai-lieu/")) < contact.references.index(("a[href]", "/"))
    assert contact.references[-1] == ("a[href]", "#lien-he")
    # four pages: four own parts, two headers (one marks the current section), two footers, one stylesheet
    assert read.parsed == 4 + 2 + 2 + 1


def test_fragments_into_the_header_and_footer_resolve(tmp_path):
    output = write(tmp_path / "output", FIXTURE)
    result = check_site(CheckSettings(output, "https://sct.example.gov.vn/", offline=True, workers=1))
    assert result.findings == ()
    broken = dict(FIXTURE, **{"index.html": FIXTURE["index.html"].replace("#lien-ket", "#lien-kett")})
    output = write(tmp_path / "broken", broken)
    result = check_site(CheckSettings(output, "https://sct.example.gov.vn/", offline=True, workers=1))
    assert [(f.url, f.status) for f in result.findings] == [("lien-he/#lien-kett", "broken")]
    assert "#lien-ket?" in result.findings[0].reason


@pytest.mark.parametrize("html", [
    "<html><body><p>no main</p></body></html>",
    "<html><main><a href='/a/'>no body</a></main></html>",
    "<html><body><main><a href='/a/'>main twice</a></main><MAIN id='x'></MAIN></body></html>",
    "<html><body></main><main><a href='/a/'>end before start</a></body></html>",
    "<html><head><body><main><a href='/a/'>no end</a></body></html>",
])
def test_pages_that_do_not_cut_cleanly_are_read_whole(html):
    assert segments.cut(html.encode()) is None


@pytest.mark.parametrize(("text", "closed"), [
    ("<head><title>a</title><script>x()</script><!-- c --></head>", True),
    ("<head><title>a</title><!-- an open comment", False),
    ("<header><script>var s = '</header>", False),
    ("<main><STYLE>p {}</STYLE><p>text &lt; more", True),
    ("<main><textarea>", False),
    ("<!-- <script> -->", False),  # when unsure, read the page whole
    ("<main><p>a tag <a href='/x/'", False),
    ("<!-- a <script></script> and the comment never ends", False),
])
def test_closed_tells_whether_a_cut_may_follow(text, closed):
    assert segments.closed(text.encode()) is closed


def test_something_left_open_before_a_cut_reads_the_page_whole(tmp_path):
    comment = page("Chú thích", '<a href="/trong-chu-thich/">x</a>').replace('<nav>', '<!-- <nav>', 1)
    script = page("Mã", '<script>document.write("</main><a href=\'/trong-ma/\'>")</script>').replace(
        "</script>\n</main>", "</script>\n")
    output = write(tmp_path / "output", {"a/index.html": comment, "b/index.html": script})
    assert segments.cut((output / "b/index.html").read_bytes()) is not None  # the only </main is in the script
    read = pages.read_pages(output, pages.published_files(output), None, workers=1)
    assert_as_whole(output, read)
    assert ("a[href]", "/trong-chu-thich/") not in read.links["a/index.html"].references
    assert ("a[href]", "/trong-ma/") not in read.links["b/index.html"].references


def test_a_changed_part_is_parsed_again_and_the_others_reused(tmp_path):
    output = write(tmp_path / "output", FIXTURE)
    cache = tmp_path / "cache"
    files = pages.published_files(output)
    assert pages.read_pages(output, files, cache, workers=1).parsed == 9
    # the footer changes on every page (a menu or footer edit): only the new footers are parsed
    for name in ("index.html", "tin-tuc/index.html", "lien-he/index.html", "tai-lieu/index.html"):
        path = output / name
        path.write_text(path.read_text(encoding="utf-8").replace("Lên đầu</a>", 'Lên đầu</a><a href="/moi/">Mới</a>'),
                        encoding="utf-8")
    read = pages.read_pages(output, files, cache, workers=1)
    assert (read.reused, read.parsed) == (1, 2)  # the stylesheet; the two footers
    assert_as_whole(output, read)
    assert ("a[href]", "/moi/") in read.links["tin-tuc/index.html"].references
    # one page's own text changes: its own part only
    path = output / "tin-tuc/index.html"
    path.write_text(path.read_text(encoding="utf-8").replace("<h1>Tin</h1>", '<h1 id="tin">Tin</h1>'),
                    encoding="utf-8")
    read = pages.read_pages(output, files, cache, workers=1)
    assert (read.reused, read.parsed) == (4, 1)
    assert_as_whole(output, read)
    assert "tin" in read.links["tin-tuc/index.html"].anchors
    again = pages.read_pages(output, files, cache, workers=1)
    assert (again.reused, again.parsed) == (5, 0)
    assert again.links == read.links


def test_the_pool_reads_as_the_single_process(tmp_path):
    files = {f"tin-tuc/{i}/index.html": page(f"Tin {i}", f'<h1 id="t{i}">Tin</h1><a href="/tin-tuc/{i + 1}/">Sau</a>',
                                             current=' aria-current="page"' if i % 2 else "")
             for i in range(pages.POOL_FROM)}
    output = write(tmp_path / "output", files)
    read = pages.read_pages(output, pages.published_files(output), None, workers=2)
    assert read.parsed == pages.POOL_FROM + 2 + 1
    assert_as_whole(output, read)


def test_a_cache_of_another_layout_is_ignored(tmp_path):
    output = write(tmp_path / "output", FIXTURE)
    cache = tmp_path / "cache"
    files = pages.published_files(output)
    digest = pages._digest((output / "index.html").read_bytes(), b"h")
    pages.save(cache / "linkcheck" / "pages.pickle", {digest: "the layout before parts"})
    read = pages.read_pages(output, files, cache, workers=1)
    assert (read.reused, read.parsed) == (0, 9)
    assert_as_whole(output, read)
