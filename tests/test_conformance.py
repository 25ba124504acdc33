"""Conformance of the built pages without a browser: W3C validity, feeds, sharing tags, weight, hosts.

Every check runs on two sites: the embedded one (content/) and a small site whose articles carry
covers, tags, tables, images and code (the embedded articles are written in another branch).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conformance import (
    ARTICLE_URL,
    atom_problems,
    base_url,
    build_article_site,
    build_embedded_site,
    built_pages,
    checked_files,
    describe_vnu,
    parsed,
    run_vnu,
    sitemap_problems,
    write_canaries,
)

pytestmark = pytest.mark.conformance

CSS_JS_BUDGET = 100 * 1024  # bytes, uncompressed, per page
LOADING_ATTRIBUTES = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src",
                      "video": "src", "audio": "src", "embed": "src", "object": "data"}
SITES = ["embedded_site", "article_site"]


@pytest.fixture(scope="module")
def embedded_site(tmp_path_factory):
    return build_embedded_site(tmp_path_factory)


@pytest.fixture(scope="module")
def article_site(tmp_path_factory):
    return build_article_site(tmp_path_factory)


@pytest.fixture(params=SITES)
def site(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def vnu_report(embedded_site, article_site, tmp_path_factory):
    """One vnu run over both sites (HTML as HTML, CSS as CSS, SVG as SVG) and the canary files."""
    canaries = tmp_path_factory.mktemp("canaries")
    expected = write_canaries(canaries)
    files = checked_files(embedded_site.output) + checked_files(article_site.output) + checked_files(canaries)
    assert sum(f.suffix == ".html" for f in files) > 40
    return run_vnu(files), canaries, expected


def test_the_nu_html_checker_reports_each_canary_at_its_line(vnu_report):
    messages, canaries, expected = vnu_report
    found = {(Path(urlsplit(m["url"]).path).name, m.get("lastLine")) for m in messages if str(canaries) in m["url"]}
    assert set(expected.items()) <= found, found


def test_every_page_stylesheet_and_svg_passes_the_nu_html_checker(vnu_report, embedded_site, article_site):
    messages, canaries, _ = vnu_report
    # everything but the canaries counts, including messages about no file (vnu's own I/O errors)
    found = [m for m in messages if str(canaries) not in m.get("url", "")]
    report = describe_vnu(found, embedded_site.output.parent.parent)
    assert not found, f"{len(found)} vnu errors:\n{report}"


def test_atom_feeds_are_well_formed_with_the_elements_rfc_4287_requires(site):
    feeds = sorted(site.output.rglob("atom.xml"))
    assert len(feeds) >= 2  # the site's feed and one per campaign
    problems = {feed.relative_to(site.output).as_posix(): atom_problems(feed) for feed in feeds}
    assert not any(problems.values()), problems


def test_atom_check_catches_a_feed_missing_required_elements(tmp_path):
    feed = tmp_path / "atom.xml"
    feed.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
                    "<entry><title>y</title><updated>2023-03-22</updated>"
                    "<link rel=\"alternate\" href=\"/a/\"/></entry></feed>")
    problems = atom_problems(feed)
    assert {"feed lacks atom:id", "feed lacks atom:updated", "entry 1 lacks atom:id", "entry 1: '/a/' is not absolute",
            "entry 1 has no author and the feed has none", "updated '2023-03-22' is not an RFC 3339 date-time",
            } <= set(problems)


def test_sitemap_follows_the_protocol_and_names_every_built_page(site):
    problems = sitemap_problems(site.output / "sitemap.xml", base_url(site), site.output)
    assert not problems, problems


def test_every_page_is_in_vietnamese_with_a_skip_link_and_landmarks(site):
    for name in built_pages(site):
        soup = parsed(site, name)
        # The English pages (Decree 42 Art. 7) say so; their Vietnamese header and footer carry lang="vi".
        expected = "en" if name.startswith("en/") else "vi"
        assert soup.html.get("lang") == expected, name
        if expected != "vi":
            assert soup.select_one("body > header")["lang"] == "vi" == soup.select_one("body > footer")["lang"], name
        if name == "bang-dien-tu/index.html":
            # The display board is a full-screen kiosk page: one <main>, no menu to skip (axe checks it too).
            assert len(soup.select("main")) == 1 and not soup.select("nav"), name
            continue
        skip = soup.body.find(True)
        main = soup.select("main")
        assert len(main) == 1 and skip.name == "a" and skip["href"] == f"#{main[0]['id']}", f"{name}: skip link"
        assert len(soup.select("body > header")) == 1 and len(soup.select("body > footer")) == 1, name
        named = [nav.get("aria-label") or soup.find(id=nav.get("aria-labelledby")) for nav in soup.select("nav")]
        assert all(named), f"{name}: a nav without a name"


def test_headings_start_at_one_h1_and_never_skip_a_level(site):
    for name in built_pages(site):
        # the display board's screen is all <main>; its heading names the schedule below the screen
        scope = "body" if name == "bang-dien-tu/index.html" else "main"
        levels = [int(h.name[1]) for h in parsed(site, name).select(", ".join(f"{scope} h{n}" for n in range(1, 7)))]
        assert levels.count(1) == 1 and levels[0] == 1, f"{name}: headings {levels}"
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not skips, f"{name}: heading level jumps {skips} in {levels}"


def test_every_image_has_alt_width_and_height(site):
    checked = 0
    for name in built_pages(site):
        for img in parsed(site, name).select("img"):
            assert img.has_attr("alt"), f"{name}: {img}"
            assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), f"{name}: {img}"
            checked += 1
    assert checked >= len(built_pages(site))  # at least the logo on every page


def test_nothing_is_loaded_from_another_host(site):
    own = urlsplit(base_url(site)).netloc
    for name in built_pages(site):
        for tag, attribute in LOADING_ATTRIBUTES.items():
            for element in parsed(site, name).select(f"{tag}[{attribute}]"):
                host = urlsplit(element[attribute]).netloc
                assert host in ("", own), f"{name}: <{tag} {attribute}={element[attribute]!r}> loads from {host}"


def test_stylesheets_and_scripts_of_each_page_weigh_at_most_100_kb(site):
    for name in built_pages(site):
        soup = parsed(site, name)
        linked = [link["href"] for link in soup.select('link[rel~="stylesheet"]')]
        linked += [script["src"] for script in soup.select("script[src]")]
        assert linked, name
        weight = sum(_local_file(site.output, name, href).stat().st_size for href in linked)
        assert weight <= CSS_JS_BUDGET, f"{name}: {weight} bytes of CSS and JS"


def _local_file(output: Path, page: str, href: str) -> Path:
    path = urlsplit(urljoin("/" + page, href)).path.lstrip("/")
    return output / path


def test_every_page_has_a_description_a_canonical_url_and_feed_discovery(site):
    root = base_url(site)
    for name in built_pages(site):
        soup = parsed(site, name)
        assert soup.select_one('meta[name="description"]')["content"].strip(), name
        feeds = soup.select('head link[rel="alternate"][type="application/atom+xml"]')
        assert feeds and all(_local_file(site.output, name, f["href"]).is_file() for f in feeds), name
        if name == "404.html":  # served for every missing address: not indexed, not canonical
            assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
            assert soup.select_one('link[rel="canonical"]') is None
            continue
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        expected = root + name.removesuffix("index.html")
        assert canonical == expected, name
        if name == "bang-dien-tu/index.html":  # the office's display board: not indexed, not shared
            assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
            continue
        assert soup.select_one('meta[property="og:url"]')["content"] == canonical, name
        assert soup.select_one('meta[property="og:title"]')["content"].strip(), name
        assert soup.select_one('meta[name="twitter:card"]')["content"] in ("summary", "summary_large_image"), name


def _articles(site) -> list[str]:
    return [n for n in built_pages(site) if n.startswith("tin-tuc/") and n.count("/") == 3
            and not n.startswith("tin-tuc/trang/")]


def test_articles_carry_sharing_tags_and_news_article_json_ld(embedded_site, article_site):
    checked = 0
    for site in (embedded_site, article_site):
        for name in _articles(site):
            _assert_article_sharing(site, name)
            checked += 1
    assert checked >= 3


def _assert_article_sharing(site, name: str) -> None:
    soup = parsed(site, name)
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")}
    title = soup.h1.get_text(strip=True)
    summary = soup.select_one(".article-summary")
    assert meta["description"] == (summary.get_text(strip=True) if summary else title), name
    assert meta["og:type"] == "article" and meta["og:title"] == title and meta["twitter:title"] == title, name
    assert meta["og:description"] == meta["description"] == meta["twitter:description"], name
    cover = soup.select_one(".article-cover img")
    if cover:
        # a photo's og:image is its 1200-px JPEG, one of the cover's files (imageproc/)
        files = [cover["src"], *(c.split()[0] for c in cover.get("srcset", "").split(",") if c.strip())]
        assert meta["og:image"] == meta["twitter:image"], name
        assert meta["og:image"] in [urljoin(base_url(site), f.lstrip("/")) for f in files], name
        assert meta["og:image:alt"] == cover["alt"] and meta["twitter:card"] == "summary_large_image", name
    [script] = soup.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "NewsArticle" and data["headline"] == title, name
    published = soup.select_one(".article-meta time")["datetime"]
    assert data["datePublished"] == published == meta["article:published_time"], name
    assert data["dateModified"] >= data["datePublished"], name
    office = soup.select_one(".article-meta a")
    assert data["author"]["name"] == office.get_text(strip=True), name
    assert data["author"]["url"] == urljoin(base_url(site), office["href"].lstrip("/")), name
    assert data["publisher"]["name"] and data["publisher"]["logo"]["url"].startswith(base_url(site)), name
    assert data["mainEntityOfPage"] == soup.select_one('link[rel="canonical"]')["href"], name
    if cover:
        assert data["image"] == [meta["og:image"]], name


def test_the_fixture_article_shares_its_summary_cover_and_update(article_site):
    """The concrete values, so the generic checks above cannot pass on a wrongly wired template."""
    soup = article_site.html(ARTICLE_URL)
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")}
    assert meta["description"] == "Sở Công Thương hưởng ứng Ngày Nước thế giới với chủ đề Thúc đẩy sự thay đổi."
    assert meta["og:image"] == "https://sct.example.gov.vn/bai-viet/2023/anh/nuoc.svg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert (data["datePublished"], data["dateModified"]) == ("2023-03-22T08:30:00+07:00", "2023-03-24T00:00:00+07:00")
    assert data["author"]["name"] == "Phòng Quản lý Công nghiệp"
    assert data["publisher"]["name"] == "Sở Công Thương tỉnh Bình Thuận"
