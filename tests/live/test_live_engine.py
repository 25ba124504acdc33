"""The live-rebuild engine that the preview and build --watch share (generator/live/engine.py): what a
saved file is to the site in memory, whether it keeps its place, which routes a swap renders, and what
routing the site again reports. The front-ends' own behaviour: test_rebuild.py and test_watch.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import article

from generator.live.engine import LiveSite, published_site
from generator.live.rebuild import Preview
from generator.site.routes import article_url

KHI_HAU = "bai-viet/khi-hau.md"
FILES = {
    "bai-viet/nuoc.md": article("Nước là sự sống", tags="[tài nguyên nước]"),
    KHI_HAU: article("Khí hậu đổi thay", date="2023-03-21", tags="[khí hậu]"),
}
PAGE = "tin-tuc/2023/khi-hau-doi-thay/index.html"
TAG = "the/khi-hau/index.html"


@pytest.fixture
def site(make_site):
    site = make_site(FILES)
    site.build()
    return site


@pytest.fixture
def published(site) -> LiveSite:
    return published_site(site.settings()).live


@pytest.fixture
def preview(site) -> LiveSite:
    preview = Preview(site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True))
    assert not preview.full().errors
    return preview.live


def save(site, **fields: str) -> None:
    (site.content / KHI_HAU).write_text(article("Khí hậu đổi thay", **{"date": "2023-03-21", "tags": "[khí hậu]",
                                                                      **fields}), encoding="utf-8")


def test_a_saved_file_is_loaded_beside_the_version_in_memory(site, published):
    save(site, summary="Tóm tắt mới.")
    saved = published.load_saved(site.content / KHI_HAU)
    assert saved.source == KHI_HAU and not saved.problems
    assert (saved.old.summary, saved.new.summary) == ("", "Tóm tắt mới.")
    assert published.keeps_place(saved)


def test_a_broken_or_deleted_file_has_no_new_version(site, published):
    (site.content / KHI_HAU).write_text("---\ntitle: [không đóng\n---\n", encoding="utf-8")
    broken = published.load_saved(site.content / KHI_HAU)
    assert broken.new is None and broken.problems and broken.problems[0].path.endswith("khi-hau.md")
    (site.content / KHI_HAU).unlink()
    gone = published.load_saved(site.content / KHI_HAU)
    assert gone.new is None and gone.old is not None and not published.keeps_place(gone)


@pytest.mark.parametrize("fields", [{"tags": "[nước]"}, {"date": "2023-03-20"},
                                    {"department": "phong-quan-ly-nang-luong"}])
def test_a_new_tag_date_or_office_moves_the_article_in_both_front_ends(site, published, preview, fields):
    save(site, **fields)
    assert not published.keeps_place(published.load_saved(site.content / KHI_HAU))
    assert not preview.keeps_place(preview.load_saved(site.content / KHI_HAU))


def test_a_draft_moves_out_of_the_published_site_but_stays_in_the_preview(site, published, preview):
    save(site, draft="true")
    assert not published.keeps_place(published.load_saved(site.content / KHI_HAU))
    assert preview.keeps_place(preview.load_saved(site.content / KHI_HAU))


def test_a_field_edit_renders_every_route_showing_the_article_with_the_new_version(site, published):
    save(site, summary="Tóm tắt mới.")
    saved = published.load_saved(site.content / KHI_HAU)
    files = {r.file for r in published.swap([saved], {})}
    assert {PAGE, TAG, "index.html", "atom.xml"} <= files
    assert "the/tai-nguyen-nuoc/index.html" not in files
    assert published.site.articles[-1] is saved.new
    shown = dict(published.routes[TAG].context)["pagination"].items
    assert [a.summary for a in shown] == ["Tóm tắt mới."]


def test_a_text_edit_renders_only_the_routes_whose_templates_place_the_text(site, published):
    save(site, body="Nội dung mới hoàn toàn.")
    saved = published.load_saved(site.content / KHI_HAU)
    files = {r.file for r in published.swap([saved], {})}
    assert PAGE in files and TAG not in files and "index.html" not in files
    assert published.places_text("article.html") and not published.places_text("tag.html")


def test_routing_again_reports_the_routes_that_changed_and_those_gone(published):
    assert published.set_routes(published.all_routes()) == ([], [])
    khi_hau = next(a for a in published.site.articles if a.source.path.as_posix() == KHI_HAU)
    published.set_site(replace(published.site, articles=tuple(a for a in published.site.articles
                                                                if a is not khi_hau)))
    changed, gone = published.set_routes(published.all_routes())
    assert PAGE in {r.file for r in gone} and TAG in {r.file for r in gone}
    assert "index.html" in {r.file for r in changed}
    assert article_url(khi_hau) not in {r.url for r in published.routes.values()}
    assert published.showing([KHI_HAU]) == set()
