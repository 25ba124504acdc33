"""The preview's incremental rebuild, without a server: which files a change rewrites, and what it keeps."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, article

from generator.live.changes import ChangeKind, classify
from generator.live.rebuild import Preview

FILES = {
    "bai-viet/nuoc.md": article("Nước là sự sống", tags="[tài nguyên nước]", body="Xem [bài kia](khi-hau.md)."),
    "bai-viet/khi-hau.md": article("Khí hậu đổi thay", date="2023-03-21", tags="[khí hậu]"),
    "bai-viet/gio.md": article("Tắt đèn một giờ", date="2023-03-25", campaign="gio-trai-dat",
                               department="phong-quan-ly-nang-luong"),
    "pages/gioi-thieu.md": '---\ntitle: "Giới thiệu"\n---\nTrang giới thiệu.\n',
}


@pytest.fixture
def preview(make_site):
    site = make_site(FILES)
    shutil.copytree(REPO / "templates", site.root / "templates")
    shutil.copytree(REPO / "assets", site.root / "assets")
    settings = site.settings(output=site.root / ".cache" / "preview", templates=site.root / "templates",
                             assets=site.root / "assets", cache=None, preview=True)
    preview = Preview(settings)
    assert not preview.full().errors
    return preview


def test_changes_are_sorted_into_kinds(preview):
    settings = preview.settings
    assert classify(settings.content / "bai-viet" / "nuoc.md", settings) is ChangeKind.CONTENT
    assert classify(settings.content / "_data" / "site.yaml", settings) is ChangeKind.DATA
    assert classify(settings.templates / "partials" / "card.html", settings) is ChangeKind.TEMPLATE
    assert classify(settings.assets / "css" / "site.css", settings) is ChangeKind.ASSET
    assert classify(settings.content / "bai-viet" / ".nuoc.md.swp", settings) is None
    assert classify(settings.content / "bai-viet" / "4913", settings) is None  # vim's write test
    assert classify(settings.project / "README.md", settings) is None


SHOWING_KHI_HAU = {"tin-tuc/2023/khi-hau-doi-thay/index.html", "tin-tuc/trang/2/index.html", "index.html",
                   "chuyen-de/ngay-nuoc-the-gioi/index.html", "chuyen-de/ngay-nuoc-the-gioi/2023/index.html",
                   "the/khi-hau/index.html", "don-vi/phong-quan-ly-cong-nghiep/index.html", "atom.xml",
                   "tin-tuc/2023/nuoc-la-su-song/index.html"}  # the last one lists it as related news
NOT_SHOWING_KHI_HAU = {"chuyen-de/gio-trai-dat/index.html", "the/tai-nguyen-nuoc/index.html", "tin-tuc/index.html",
                       "don-vi/phong-quan-ly-nang-luong/index.html", "gioi-thieu/index.html"}


def test_an_edited_field_rewrites_the_article_s_page_and_the_pages_that_show_it_only(preview):
    source = preview.settings.content / "bai-viet" / "khi-hau.md"
    source.write_text(source.read_text(encoding="utf-8").replace("---\n", "---\nsummary: Tóm tắt mới.\n", 1),
                      encoding="utf-8")
    outcome = preview.apply([source])
    written = set(outcome.written)
    assert SHOWING_KHI_HAU <= written
    assert not written & NOT_SHOWING_KHI_HAU
    tag = BeautifulSoup((preview.out / "the/khi-hau/index.html").read_text(encoding="utf-8"), "lxml")
    assert [p.get_text() for p in tag.select(".card-summary")] == ["Tóm tắt mới."]


def test_an_edit_of_the_text_alone_rewrites_only_the_pages_that_place_the_text(preview):
    source = preview.settings.content / "bai-viet" / "khi-hau.md"
    lists = {file: (preview.out / file).read_bytes() for file in SHOWING_KHI_HAU - {"atom.xml"}
             if "khi-hau-doi-thay" not in file and "nuoc-la-su-song" not in file}
    source.write_text(source.read_text(encoding="utf-8") + "\n\nĐoạn mới.\n", encoding="utf-8")
    written = set(preview.apply([source]).written)
    assert {"tin-tuc/2023/khi-hau-doi-thay/index.html", "atom.xml"} <= written
    assert not written & (NOT_SHOWING_KHI_HAU | lists.keys())  # cards and lists: made of the fields alone
    assert {file: (preview.out / file).read_bytes() for file in lists} == lists
    page = BeautifulSoup((preview.out / "tin-tuc/2023/khi-hau-doi-thay/index.html").read_text(encoding="utf-8"),
                         "lxml")
    assert "Đoạn mới." in [p.get_text() for p in page.select("p")]
    assert _tree(preview.out) == _tree(_fresh(preview))  # what was not rendered again is what a full build makes


def _fresh(preview: Preview) -> Path:
    """The same sources rendered by a new preview into another folder."""
    other = Preview(dataclasses.replace(preview.settings, output=preview.out.with_name("fresh")))
    assert not other.full().errors
    return other.out


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_broken_file_keeps_its_last_good_page_and_the_fix_clears_the_problem(preview):
    source = preview.settings.content / "bai-viet" / "gio.md"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("department: phong-quan-ly-nang-luong", "department: phong-khong-co"),
                      encoding="utf-8")
    broken = preview.apply([source])
    (problem,) = broken.errors
    assert (problem.path, problem.line) == ("content/bai-viet/gio.md", 5)
    assert broken.written == ()
    assert (preview.out / "tin-tuc/2023/tat-den-mot-gio/index.html").is_file()
    source.write_text(good, encoding="utf-8")
    assert preview.apply([source]).errors == ()


def test_a_renamed_target_relinks_the_articles_that_point_at_it(preview):
    target = preview.settings.content / "bai-viet" / "khi-hau.md"
    target.rename(target.with_name("khi-hau-moi.md"))
    outcome = preview.apply([target, target.with_name("khi-hau-moi.md")])
    (problem,) = outcome.errors
    assert problem.path == "content/bai-viet/nuoc.md" and "khi-hau.md" in problem.message
    assert "tin-tuc/2023/nuoc-la-su-song/index.html" in outcome.written


def test_a_deleted_article_takes_its_page_away(preview):
    source = preview.settings.content / "bai-viet" / "gio.md"
    source.unlink()
    outcome = preview.apply([source])
    assert "tin-tuc/2023/tat-den-mot-gio/index.html" in outcome.removed
    assert not (preview.out / "tin-tuc/2023/tat-den-mot-gio/index.html").exists()


def test_a_template_change_rewrites_the_pages_that_use_it(preview):
    template = preview.settings.templates / "page.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert preview.apply([template]).written == ("gioi-thieu/index.html",)
    card = preview.settings.templates / "partials" / "card.html"
    card.write_text(card.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    written = set(preview.apply([card]).written)
    assert "tin-tuc/index.html" in written and "gioi-thieu/index.html" not in written


def test_a_stylesheet_change_is_copied_and_swapped_not_reloaded(preview):
    stylesheet = preview.settings.assets / "css" / "site.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\nmain { color: red; }\n", encoding="utf-8")
    outcome = preview.apply([stylesheet])
    assert outcome.written == ("assets/css/site.css",) and outcome.reload == ("/assets/css/site.css",)
    assert "color: red" in (preview.out / "assets/css/site.css").read_text(encoding="utf-8")


def test_a_data_change_rebuilds_everything(preview):
    data = preview.settings.content / "_data" / "site.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("news_per_page: 2", "news_per_page: 1"),
                    encoding="utf-8")
    outcome = preview.apply([data])
    assert "tin-tuc/trang/3/index.html" in outcome.written  # three articles, one per page now
    assert len(outcome.written) > 20


def test_a_new_article_gets_its_page_and_joins_the_lists(preview):
    source = preview.settings.content / "bai-viet" / "moi.md"
    source.write_text(article("Bài mới toanh", date="2023-03-26"), encoding="utf-8")
    outcome = preview.apply([source])
    assert {"tin-tuc/2023/bai-moi-toanh/index.html", "tin-tuc/index.html", "sitemap.xml"} <= set(outcome.written)
    assert "Bài mới toanh" in (preview.out / "tin-tuc/index.html").read_text(encoding="utf-8")


def test_broken_data_files_keep_the_pages_and_report_the_line(preview):
    data = preview.settings.content / "_data" / "site.yaml"
    good = data.read_text(encoding="utf-8")
    data.write_text(good.replace("news_per_page: 2", "news_per_page: [2"), encoding="utf-8")
    broken = preview.apply([data])
    assert broken.errors and all(p.path == "content/_data/site.yaml" and p.line for p in broken.errors)
    assert (preview.out / "tin-tuc/2023/nuoc-la-su-song/index.html").is_file()
    data.write_text(good, encoding="utf-8")
    assert preview.apply([data]).errors == ()


def test_a_moved_folder_is_seen_through_its_files(preview):
    folder = preview.settings.content / "bai-viet"
    folder.rename(folder.with_name("tin"))
    outcome = preview.apply([folder, folder.with_name("tin")])  # all inotify reports for a folder rename
    assert not outcome.errors
    assert (preview.out / "tin-tuc/2023/nuoc-la-su-song/index.html").is_file()
    assert preview.site.articles[0].source.path.parts[0] == "tin"


def test_a_changed_image_is_copied_and_reloaded_in_place(preview):
    image = preview.settings.content / "bai-viet" / "anh" / "hinh.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG first")
    preview.apply([image])
    image.write_bytes(b"\x89PNG second")
    outcome = preview.apply([image])
    assert outcome.written == ("bai-viet/anh/hinh.png",) and outcome.reload == ("/bai-viet/anh/hinh.png",)
    assert (preview.out / "bai-viet/anh/hinh.png").read_bytes() == b"\x89PNG second"


def test_a_saved_result_entry_updates_the_plan_s_progress_page(make_site):
    from tests.plan.test_plan import RESULT, plan_files

    site = make_site(plan_files())
    preview = Preview(site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True))
    assert not preview.full().errors
    progress = preview.out / "ke-hoach/9-kh-sct/tien-do/index.html"

    def status() -> str:
        return BeautifulSoup(progress.read_text(encoding="utf-8"), "lxml").select_one("#nv-t-hoat-dong .status").text

    assert status() == "Quá hạn"
    entry = site.content / "ket-qua" / "gio.md"
    entry.parent.mkdir()
    entry.write_text(RESULT, encoding="utf-8")
    outcome = preview.apply([entry])
    assert not outcome.errors and "ke-hoach/9-kh-sct/tien-do/index.html" in outcome.written
    assert status() == "Đã thực hiện"
    entry.unlink()
    preview.apply([entry])
    assert status() == "Quá hạn"
