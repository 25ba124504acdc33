"""Internal references of built fixture sites: planted mistakes found at their Markdown or template line."""

from __future__ import annotations

import shutil
import unicodedata
from urllib.parse import quote

import pytest

from generator.linkcheck.check import check_site
from generator.linkcheck.config import SOURCE_MAP, check_settings
from tests.conftest import REPO, SITE_YAML, article

NUOC = "bai-viet/2023/nuoc.md"
PHOTO = "ảnh-đẹp.svg"  # Vietnamese file name: percent-encoding and NFC matter
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
BODY = f"""\
## Vai trò của nước

Đọc [Giờ Trái đất](gio.md#tat-den) và [trang chủ](https://sct.example.gov.vn/).

Sai: [trang không có](/tin-tuc/khong-co/) ở đây.

![Ảnh mất](/anh/mat.png)

<img src="/bai-viet/2023/anh/{PHOTO}" srcset="/bai-viet/2023/anh/{PHOTO} 1x, /anh/khong-co-2x.svg 2x" alt="Ảnh đẹp"
 width="16" height="16">

Mục sai: [tắt đèn](gio.md#tat-dem), [cùng trang](#vai-tro-cua-nuocc), [hoa thường](/Tin-Tuc/).

Đúng: [thư mục](/tin-tuc), [ảnh]({quote("/bai-viet/2023/anh/" + PHOTO)}), [đầu trang](#top).

NFD: [ảnh]({quote("/bai-viet/2023/anh/" + unicodedata.normalize("NFD", PHOTO))}).

Liên hệ: [thư](mailto:khong-hop-le), [gọi](tel:0252-3822-455), [thư đúng](mailto:a@b.vn).
"""
FILES = {
    NUOC: article("Ngày Nước thế giới 2023", body=BODY),
    "bai-viet/2023/gio.md": article("Giờ Trái đất 2023", campaign="gio-trai-dat", date="2023-03-25",
                                    department="phong-quan-ly-nang-luong", body="## Tắt đèn\n\n[Về](nuoc.md).\n"),
    f"bai-viet/2023/anh/{PHOTO}": SVG,
    "css/them.css": "/* url(bo-qua.png) */ .a { background: url('../bai-viet/2023/anh/khong.png') }\n"
                    f".b {{ background: url(\"/bai-viet/2023/anh/{PHOTO}\") }}\n",
}


def line_of(site, relative: str, text: str) -> str:
    lines = (site.content / relative).read_text(encoding="utf-8").splitlines()
    return f"content/{relative}:{next(n for n, line in enumerate(lines, 1) if text in line)}"


def run_check(site, **options):
    settings = check_settings(site.output, site.content, site.root / ".cache", offline=True, **options)
    return check_site(settings, site.root / ".cache" / SOURCE_MAP)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    from tests.conftest import SiteDir

    site = SiteDir(tmp_path_factory.mktemp("planted"), FILES)
    site.build()
    result = run_check(site)
    return site, result, {(f.url, f.page): f for f in result.findings}


def finding(checked, url: str, page: str = "tin-tuc/2023/ngay-nuoc-the-gioi-2023/index.html"):
    found = checked[2].get((url, page))
    assert found is not None, f"{url} not reported; got {sorted(checked[2])}"
    return found


@pytest.mark.parametrize("url, written", [
    ("/tin-tuc/khong-co/", "[trang không có]"),
    ("/anh/mat.png", "![Ảnh mất]"),
    ("/anh/khong-co-2x.svg", "srcset="),
    ("/tin-tuc/2023/gio-trai-dat-2023/#tat-dem", "[tắt đèn]"),
    ("#vai-tro-cua-nuocc", "[cùng trang]"),
    ("/Tin-Tuc/", "[hoa thường]"),
    ("mailto:khong-hop-le", "[thư]"),
])
def test_planted_mistake_is_found_at_its_markdown_line(checked, url, written):
    found = finding(checked, url)
    assert found.status == "broken"
    assert found.source == line_of(checked[0], NUOC, written)


def test_broken_fragment_suggests_the_closest_id(checked):
    assert "#tat-den" in finding(checked, "/tin-tuc/2023/gio-trai-dat-2023/#tat-dem").reason
    assert "#vai-tro-cua-nuoc?" in finding(checked, "#vai-tro-cua-nuocc").reason


def test_case_and_unicode_form_matter_as_on_the_server(checked):
    assert "hoa/thường" in finding(checked, "/Tin-Tuc/").reason
    nfd = quote("/bai-viet/2023/anh/" + unicodedata.normalize("NFD", PHOTO))
    assert "NFC" in finding(checked, nfd).reason


def test_correct_references_are_not_reported(checked):
    reported = {url for url, _page in checked[2]}
    for good in ["/tin-tuc", quote("/bai-viet/2023/anh/" + PHOTO), "#top", "tel:0252-3822-455", "mailto:a@b.vn",
                 "/tin-tuc/2023/gio-trai-dat-2023/#tat-den", f"/bai-viet/2023/anh/{PHOTO}",
                 "https://sct.example.gov.vn/"]:
        assert good not in reported
    assert checked[1].summary["broken"] == len(checked[1].findings) == 9


def test_stylesheet_urls_are_checked(checked):
    found = finding(checked, "../bai-viet/2023/anh/khong.png", page="css/them.css")
    assert found.kind == "css[url]" and found.status == "broken"


def test_own_absolute_url_counts_as_internal(make_site):
    site = make_site({NUOC: article("Nước", body="[Sai](https://sct.example.gov.vn/tin-tuc/khong/)\n")})
    site.build()
    result = run_check(site)
    assert [f.url for f in result.findings] == ["https://sct.example.gov.vn/tin-tuc/khong/"]
    assert result.summary["external_urls"] == 0


def test_sub_path_site_checks_clean_and_flags_paths_outside_it(make_site):
    site = make_site({NUOC: article("Nước", body="[Ra ngoài](/tin-tuc/)\n")})
    site.build(base_url="https://sct.example.gov.vn/chuyen-de-moi-truong/")
    result = run_check(site)
    assert [(f.url, f.source) for f in result.findings] == [("/tin-tuc/", line_of(site, NUOC, "[Ra ngoài]"))]
    assert "ngoài địa chỉ gốc" in result.findings[0].reason


def test_template_mistake_is_reported_once_with_pages_affected(make_site, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    footer = templates / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(
        "</footer>", '<a href="{{ url(\'khong-co/\') }}">x</a>\n<a href="#khong-co-id">y</a>\n</footer>'),
        encoding="utf-8")
    site = make_site({NUOC: article("Nước")})
    site.build(templates=templates)
    result = run_check(site)
    pages = len([p for p in site.output.rglob("*.html")])
    last = next(n for n, row in enumerate(footer.read_text(encoding="utf-8").splitlines(), 1) if "khong-co-id" in row)
    by_url = {f.url: f for f in result.findings}
    assert len(result.findings) == 2
    assert by_url["/khong-co/"].source == f"templates/partials/footer.html:{last - 1}"
    assert by_url["#khong-co-id"].source == f"templates/partials/footer.html:{last}"
    assert by_url["/khong-co/"].pages == by_url["#khong-co-id"].pages == pages


def test_exclusions_from_site_yaml(make_site):
    yaml = SITE_YAML + 'link_exclusions: ["^/tin-tuc/khong-co/", "example\\\\.org"]\n'
    site = make_site({"_data/site.yaml": yaml,
                      NUOC: article("Nước", body="[a](/tin-tuc/khong-co/) [b](/tin-tuc/cung-khong/)\n")})
    site.build()
    result = run_check(site)
    assert [f.url for f in result.findings] == ["/tin-tuc/cung-khong/"]
    assert result.summary["excluded"] == 1


def test_without_source_map_pages_are_still_checked(make_site):
    site = make_site({NUOC: article("Nước", body="[a](/tin-tuc/khong-co/)\n")})
    site.build(cache=None)
    result = run_check(site)
    assert [(f.url, f.page, f.source) for f in result.findings] == \
        [("/tin-tuc/khong-co/", "tin-tuc/2023/nuoc/index.html", "")]


def test_unchanged_pages_are_not_parsed_again(make_site):
    site = make_site({NUOC: article("Nước", body="[a](/tin-tuc/khong-co/)\n"),
                      "bai-viet/2023/ba.md": article("Ba")})
    site.build()
    first = run_check(site)
    assert first.summary["reused_pages"] == 0
    assert run_check(site).summary["reused_pages"] == first.summary["pages"]
    page = site.output / "tin-tuc/2023/ba/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", '<a href="/mat/">m</a></main>'),
                    encoding="utf-8")
    again = run_check(site)
    assert again.summary["reused_pages"] == first.summary["pages"] - 1
    assert {f.url for f in again.findings} == {"/tin-tuc/khong-co/", "/mat/"}


def test_unchanged_page_is_resolved_again_when_its_target_lost_an_anchor(make_site):
    site = make_site({NUOC: article("Nước", body="[Mục](ba.md#muc-hai)\n"),
                      "bai-viet/2023/ba.md": article("Ba", body="## Mục hai\n")})
    site.build()
    assert run_check(site).findings == ()
    target = site.output / "tin-tuc/2023/ba/index.html"
    target.write_text(target.read_text(encoding="utf-8").replace('id="muc-hai"', 'id="muc-2"'), encoding="utf-8")
    again = run_check(site)
    # nuoc.md's page did not change, yet its link is broken now; so is ba's own heading permalink
    assert {(f.url, f.page) for f in again.findings} == {("/tin-tuc/2023/ba/#muc-hai", "tin-tuc/2023/nuoc/index.html"),
                                                         ("#muc-hai", "tin-tuc/2023/ba/index.html")}
    assert again.summary["reused_pages"] == again.summary["pages"] - 1


def test_missing_menu_page_points_at_its_site_yaml_line(make_site):
    yaml = SITE_YAML + '  - {title: "Giới thiệu", href: "gioi-thieu/"}\n'
    site = make_site({"_data/site.yaml": yaml, NUOC: article("Nước"),
                      "pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nSở.\n"})
    site.build()  # a menu entry to no page at all is a build error (references.py); here the page
    shutil.rmtree(site.output / "gioi-thieu")  # goes missing from the built folder afterwards
    (menu_entry,) = run_check(site).findings
    assert menu_entry.url == "/gioi-thieu/"
    assert menu_entry.source == f"content/_data/site.yaml:{len(yaml.splitlines())}"
    assert menu_entry.pages == len(list(site.output.rglob("*.html")))


def test_source_map_of_an_older_build_is_not_used(make_site, tmp_path):
    site = make_site({NUOC: article("Nước", body="[a](/tin-tuc/khong-co/)\n")})
    site.build()
    site.build(cache=tmp_path / "other-cache")  # a newer build whose map is elsewhere
    (finding_,) = run_check(site).findings
    assert finding_.source == "" and run_check(site).summary["source_map"] is False


def test_sources_are_still_named_when_pages_come_from_the_page_cache(make_site):
    yaml = SITE_YAML + '  - {title: "Giới thiệu", href: "gioi-thieu/"}\n'
    site = make_site({"_data/site.yaml": yaml, NUOC: article("Nước", body="Xem [trang mất](/khong-co/).\n"),
                      "pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nSở.\n"})
    site.build()
    saved = site.root / ".cache" / SOURCE_MAP
    made = saved.stat().st_mtime_ns
    (site.output / "gioi-thieu" / "index.html").unlink()  # so the build cannot answer from its record (unchanged.py)
    second = site.build()  # nothing changed: every page is taken from the page cache, none rendered
    assert second.rendered == 0 and second.cache_hits > 0
    assert saved.stat().st_mtime_ns == made  # the map is kept, only tied to the new build
    shutil.rmtree(site.output / "gioi-thieu")
    found = {f.url: f.source for f in run_check(site).findings}
    assert found["/khong-co/"] == line_of(site, NUOC, "trang mất")
    assert found["/gioi-thieu/"] == f"content/_data/site.yaml:{len(yaml.splitlines())}"


def test_a_moved_link_line_makes_the_map_again(make_site):
    site = make_site({NUOC: article("Nước", body="Xem [trang mất](/khong-co/).\n")})
    site.build()
    source = site.content / NUOC
    source.write_text(source.read_text(encoding="utf-8").replace("Xem", "Mở đầu.\n\nXem"), encoding="utf-8")
    site.build()
    (finding,) = run_check(site).findings
    assert finding.source == line_of(site, NUOC, "trang mất")


def test_a_cards_link_is_traced_to_its_template_line_on_every_list(make_site, tmp_path):
    """One card macro is placed on many lists; the link checker must see each list's card links as
    written by card.html, on every such page."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    card = templates / "partials" / "card.html"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace('<div class="card-body">',
                                 '<div class="card-body"><a href="{{ url(\'khong-co-the/\') }}">x</a>'),
                    encoding="utf-8")
    line = next(n for n, row in enumerate(card.read_text(encoding="utf-8").splitlines(), 1) if "khong-co-the" in row)
    site = make_site({NUOC: article("Nước", tags="[nước]"), "bai-viet/2023/hai.md": article("Hai", tags="[nước]")})
    site.build(templates=templates)
    (finding,) = run_check(site).findings
    lists = [p for p in site.output.rglob("*.html")
             if site.html(p.relative_to(site.output).as_posix()).select('a[href$="/khong-co-the/"]')]
    assert finding.url == "/khong-co-the/"
    assert finding.source == f"templates/partials/card.html:{line}"
    assert finding.pages == len(lists) >= 4  # the news, campaign, office and tag lists at least


def test_two_templates_with_the_same_block_on_the_same_line_are_each_named(tmp_path):
    """Compiled, the two blocks are equal code objects (their file is not compared): the recorder
    named the second template's line after the first's when it keyed its memo by code object."""
    import jinja2

    from generator.linkcheck.sources import TemplateRecorder

    recorder = TemplateRecorder()
    block = "{% block head %}<link href=\"{{ asset('css/plan.css') }}\">{% endblock %}\n"
    for name, text in {"base.html": "<head>{% block head %}{% endblock %}</head>",
                       "progress.html": "{% extends 'base.html' %}\n" + block,
                       "report.html": "{% extends 'base.html' %}\n" + block}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
    recorder.read_templates(env, tmp_path)
    env.globals["asset"] = recorder.url_helper(lambda name: "/assets/" + name)
    for name in ("progress.html", "report.html"):
        recorder.start(name)
        env.get_template(name).render()
    assert recorder.pages == {"progress.html": {"/assets/css/plan.css": "templates/progress.html:2"},
                              "report.html": {"/assets/css/plan.css": "templates/report.html:2"}}
