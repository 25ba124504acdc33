"""Vietnamese text through a whole build: NFD input (macOS) gives NFC pages, NFC URLs and working
links; one title in two tone placements is one slug; lists follow Vietnamese order.
"""

from __future__ import annotations

import unicodedata

import pytest

from generator.content.load import load_site
from generator.problems import BuildFailed, Problems
from tests.conftest import DEFAULT_DATA, SiteDir, article


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><title>nước</title></svg>'


@pytest.fixture(scope="module")
def nfd_site(tmp_path_factory) -> SiteDir:
    """Everything decomposed, as macOS saves it: file and folder names, front matter, body, data files."""
    files = {nfd(name): nfd(text) for name, text in DEFAULT_DATA.items()}
    files.update({
        nfd("bài-viết/2023/ngày-nước.md"): nfd(article(
            "Ngày Nước thế giới", tags="[tài nguyên nước, Hoà bình]", cover="ảnh/giọt-nước.svg",
            cover_alt="Giọt nước", summary='"Tiết kiệm nước sạch."',
            body="Xem [Giờ Trái đất](giờ-trái-đất.md) và ![Giọt nước](ảnh/giọt-nước.svg).\n")),
        nfd("bài-viết/2023/giờ-trái-đất.md"): nfd(article(
            "Giờ Trái đất", date="2023-03-25", campaign="gio-trai-dat", tags="[hòa bình]",
            body="Xem lại [Ngày Nước](ngày-nước.md).\n")),
        nfd("bài-viết/2023/ảnh/giọt-nước.svg"): SVG,
    })
    site = SiteDir(tmp_path_factory.mktemp("nfd"), files)
    site.build()
    return site


def test_every_built_file_is_nfc(nfd_site) -> None:
    texts = [p for p in nfd_site.output.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt", ".svg")]
    assert len(texts) > 15
    for path in texts:
        relative = path.relative_to(nfd_site.output).as_posix()
        assert unicodedata.is_normalized("NFC", relative), relative
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), relative
    page = nfd_site.html("tin-tuc/2023/ngay-nuoc-the-gioi/")
    assert page.find("h1").get_text(strip=True) == "Ngày Nước thế giới"


def test_nfd_file_names_publish_under_nfc_names_and_links_resolve(nfd_site) -> None:
    assert (nfd_site.output / "bài-viết/2023/ảnh/giọt-nước.svg").read_text(encoding="utf-8") == SVG
    page = nfd_site.html("tin-tuc/2023/ngay-nuoc-the-gioi/")
    body = page.find("div", class_="article-body")
    assert body.find("a", string="Giờ Trái đất")["href"] == "/tin-tuc/2023/gio-trai-dat/"
    assert body.find("img")["src"] == "/bài-viết/2023/ảnh/giọt-nước.svg"
    assert page.select_one(".article-cover img")["src"] == "/bài-viết/2023/ảnh/giọt-nước.svg"
    back = nfd_site.html("tin-tuc/2023/gio-trai-dat/").find("div", class_="article-body").find("a")
    assert back["href"] == "/tin-tuc/2023/ngay-nuoc-the-gioi/"


def test_tone_placements_of_a_tag_are_one_tag(nfd_site) -> None:
    tags = nfd_site.html("the/").select(".tag-list a")
    assert [a["href"] for a in tags] == ["/the/hoa-binh/", "/the/tai-nguyen-nuoc/"]
    assert len(nfd_site.html("the/hoa-binh/").select(".card")) == 2


def test_same_name_in_nfc_and_nfd_is_an_error_naming_both(make_site) -> None:
    site = make_site({"bai-viet/nước.md": article("Một"), nfd("bai-viet/nước.md"): article("Hai")})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    (problem,) = failed.value.problems
    shown = [problem.path, problem.message.split()[4].rstrip(":")]
    assert [unicodedata.normalize("NFC", name) for name in shown] == ["content/bai-viet/nước.md"] * 2
    assert sorted(unicodedata.is_normalized("NFC", name) for name in shown) == [False, True]  # both files
    assert "đổi tên" in problem.hint


def test_one_title_in_two_tone_placements_clashes_naming_both_files(make_site) -> None:
    site = make_site({"bai-viet/a.md": article("Hòa bình xanh"), "bai-viet/b.md": article("Hoà bình xanh")})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    (problem,) = failed.value.problems
    named = {problem.path.rsplit("/", 1)[-1]} | {word.rsplit("/", 1)[-1] for word in problem.message.split()}
    assert {"a.md", "b.md"} <= named
    assert "/tin-tuc/2023/hoa-binh-xanh/" in problem.message


def test_tags_are_listed_in_vietnamese_order(make_site) -> None:
    names = ["điện", "dầu", "ăn uống", "an toàn", "bảo vệ", "ánh sáng", "ấm áp", "Ô nhiễm", "ơn", "ong", "ưu tiên",
             "uống"]
    site = make_site({"bai-viet/a.md": article("Bài", tags="[" + ", ".join(names) + "]")})
    site.build()
    shown = [a.get_text() for a in site.html("the/").select(".tag-list a")]
    assert shown == ["an toàn", "ánh sáng", "ăn uống", "ấm áp", "bảo vệ", "dầu", "điện", "ong", "Ô nhiễm", "ơn",
                     "uống", "ưu tiên"]


def test_dates_are_vietnamese(nfd_site) -> None:
    time = nfd_site.html("tin-tuc/2023/gio-trai-dat/").find("time")
    assert time.get_text(strip=True) == "Thứ Bảy, 25/03/2023" and time["datetime"].startswith("2023-03-25")


def test_offices_and_pages_are_listed_in_vietnamese_order(make_site) -> None:
    departments = DEFAULT_DATA["_data/departments.yaml"] + (
        '- {id: van-phong-so, name: "Văn phòng Sở", short_name: "Văn phòng"}\n'
        '- {id: doi-quan-ly, name: "Đội Quản lý thị trường", short_name: "Đội QLTT"}\n'
        '- {id: dich-vu, name: "Dịch vụ công", short_name: "Dịch vụ"}\n')
    site = make_site({"_data/departments.yaml": departments, "bai-viet/a.md": article("Bài"),
                      "pages/de-an.md": '---\ntitle: "Đề án"\n---\nA\n',
                      "pages/dich-vu.md": '---\ntitle: "Dịch vụ"\n---\nB\n'})
    site.build()
    offices = [h.get_text(strip=True) for h in site.html("don-vi/").select(".office h2")]
    assert offices == ["Dịch vụ công", "Đội Quản lý thị trường", "Phòng Quản lý Công nghiệp",
                       "Phòng Quản lý Năng lượng", "Văn phòng Sở"]
    loaded = load_site(site.content, Problems(root=site.root))
    assert [page.title for page in loaded.pages] == ["Dịch vụ", "Đề án"]  # d before đ; slugs say de < dich
