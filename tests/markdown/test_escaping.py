"""Front-matter values are data, never markup: escaped in the page, its attributes, its JSON-LD and the feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import SiteDir, article

HOSTILE = """<script>alert("x")</script> & 'q' "dq" ]]> </script><b>"""
ATOM = "{http://www.w3.org/2005/Atom}"


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("escaping"), {"bai-viet/a.md": article(
        "placeholder", summary=yaml_quoted("Tóm tắt " + HOSTILE), tags=f"[{yaml_quoted('thẻ ' + HOSTILE)}]",
        slug="bai-nguy-hiem").replace('"placeholder"', yaml_quoted(HOSTILE))})
    site.build()
    return site


def test_the_page_shows_the_exact_text_and_runs_nothing(built):
    page = built.html("tin-tuc/2023/bai-nguy-hiem/")
    assert page.select_one("main h1").get_text() == HOSTILE
    assert not page.select("main script, main b")
    scripts = page.find_all("script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)  # none from the article
    assert page.title.get_text().startswith(HOSTILE)


@pytest.mark.parametrize("selector, expected", [
    ('meta[name="description"]', "Tóm tắt " + HOSTILE),
    ('meta[property="og:title"]', HOSTILE),
    ('meta[property="og:description"]', "Tóm tắt " + HOSTILE),
    ('meta[name="twitter:title"]', HOSTILE),
    ('meta[property="article:tag"]', "thẻ " + HOSTILE),
])
def test_attributes_hold_the_exact_text(built, selector, expected):
    assert built.html("tin-tuc/2023/bai-nguy-hiem/").select_one(selector)["content"] == expected


def test_json_ld_gives_back_the_exact_text_and_cannot_close_its_script(built):
    raw = (built.output / "tin-tuc/2023/bai-nguy-hiem/index.html").read_text(encoding="utf-8")
    [script] = built.html("tin-tuc/2023/bai-nguy-hiem/").select('script[type="application/ld+json"]')
    text = script.string
    assert "</script" not in text.lower() and "<" not in text and "]]>" not in text
    assert text in raw  # what was parsed is what was written: the script element was not cut short
    data = json.loads(text)
    assert (data["headline"], data["description"], data["keywords"]) == (HOSTILE, "Tóm tắt " + HOSTILE,
                                                                         "thẻ " + HOSTILE)


@pytest.mark.parametrize("feed", ["atom.xml", "chuyen-de/ngay-nuoc-the-gioi/atom.xml"])
def test_feeds_are_well_formed_and_give_back_the_exact_text(built, feed):
    root = ET.parse(built.output / feed).getroot()
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == HOSTILE
    assert entry.findtext(f"{ATOM}summary") == "Tóm tắt " + HOSTILE
    assert "thẻ " + HOSTILE in [c.get("label") for c in entry.findall(f"{ATOM}category")]


def test_listings_and_tag_pages_escape_too(built):
    for page in ("", "tin-tuc/", "the/"):
        soup = built.html(page)
        assert not soup.select("main script, main b"), page
    assert HOSTILE in built.html("tin-tuc/").select_one("main").get_text()
