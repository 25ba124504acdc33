"""Accessible article markup: images need alt text and local files (build errors), get their width and
height from the file; tables scroll inside a named, focusable region."""

from __future__ import annotations

import pytest
from image_samples import png
from PIL import Image

from generator.markdown.images import intrinsic_size
from generator.problems import BuildFailed
from tests.conftest import article

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"/>'
SVG_VIEWBOX = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450"/>'
# A real 3×2 PNG: the build decodes photos now (generator/imageproc/), and a header alone is a broken file.
PNG = png(Image.new("RGB", (3, 2), (0, 90, 160)))


def problems_of(site) -> list:
    with pytest.raises(BuildFailed) as failed:
        site.build()
    return failed.value.problems


def test_raw_html_image_without_alt_is_an_error_at_its_line(make_site):
    body = "Đoạn mở đầu.\n\n<p>Sơ đồ:</p>\n<img src=\"anh/a.svg\" width=\"640\" height=\"360\">\n"
    site = make_site({"bai-viet/a.md": article("A", body=body), "bai-viet/anh/a.svg": SVG})
    [problem] = problems_of(site)
    assert problem.path == "content/bai-viet/a.md"
    assert problem.line == 10  # the front matter takes lines 1–6; the <img> is the body's fourth line
    assert "thiếu lời mô tả (alt)" in problem.message and "alt=" in problem.hint


def test_raw_html_image_from_another_host_and_without_size_is_refused(make_site):
    body = 'Ảnh: <img src="https://example.com/a.png" alt="Ảnh ngoài">\n'
    [*messages] = [p.message for p in problems_of(make_site({"bai-viet/a.md": article("A", body=body)}))]
    assert any("máy chủ khác" in m for m in messages) and any("thiếu width và height" in m for m in messages)


def test_html_inside_a_code_block_is_not_checked(make_site):
    body = "```html\n<img src=\"x.png\">\n```\n"
    site = make_site({"bai-viet/a.md": article("A", body=body)})
    site.build()
    assert site.html("tin-tuc/2023/a/").select_one(".article-body pre code").get_text() == '<img src="x.png">\n'


def test_markdown_image_from_another_host_is_an_error(make_site):
    site = make_site({"bai-viet/a.md": article("A", body="Dòng một.\n\n![Biểu đồ](https://example.com/a.png)\n")})
    [problem] = problems_of(site)
    assert (problem.line, "máy chủ khác" in problem.message) == (9, True)


def test_markdown_images_and_covers_get_the_file_size(make_site):
    site = make_site({
        "bai-viet/a.md": article("A", cover="anh/bia.png", cover_alt='"Bìa"',
                                 body="![Biểu đồ](anh/bieu-do.svg)\n\n![Sơ đồ](anh/so-do.svg)\n"),
        "bai-viet/anh/bieu-do.svg": SVG, "bai-viet/anh/so-do.svg": SVG_VIEWBOX, "bai-viet/anh/bia.png": PNG,
    })
    site.build()
    page = site.html("tin-tuc/2023/a/")
    sizes = [(img["width"], img["height"]) for img in page.select(".article-body img")]
    assert sizes == [("640", "360"), ("800", "450")]
    cover = page.select_one(".article-cover img")
    assert (cover["width"], cover["height"]) == ("3", "2")
    card = site.html("tin-tuc/").select_one(".card-cover img")
    assert (card["width"], card["height"]) == ("3", "2")


def test_intrinsic_size_of_unreadable_files_is_none(tmp_path):
    (tmp_path / "broken.svg").write_text("<svg")
    (tmp_path / "empty.png").write_bytes(b"")
    assert intrinsic_size(tmp_path / "broken.svg") is None
    assert intrinsic_size(tmp_path / "empty.png") is None


def test_tables_are_wrapped_in_a_named_focusable_region(make_site):
    body = "| A | B |\n|---|---|\n| 1 | 2 |\n\nGiữa hai bảng.\n\n| C |\n|---|\n| 3 |\n"
    site = make_site({"bai-viet/a.md": article("A", body=body)})
    site.build()
    regions = site.html("tin-tuc/2023/a/").select(".article-body > .table-scroll")
    assert [(r["role"], r["aria-label"], r["tabindex"]) for r in regions] == [("region", "Bảng 1", "0"),
                                                                             ("region", "Bảng 2", "0")]
    assert [r.table.th.get_text() for r in regions] == ["A", "C"]


def test_missing_cover_alt_names_the_cover_line(make_site):
    site = make_site({"bai-viet/a.md": article("A", cover="anh/a.svg"), "bai-viet/anh/a.svg": SVG})
    [problem] = problems_of(site)
    assert (problem.path, problem.line, "cover_alt" in problem.message) == ("content/bai-viet/a.md", 6, True)


def test_every_missing_image_alt_of_the_bodies_is_reported_at_once_with_its_line(make_site):
    site = make_site({
        "bai-viet/b.md": article("B", body="![](anh/a.svg)\n\n<img src=\"anh/a.svg\" width=\"1\" height=\"1\">\n"),
        "bai-viet/c.md": article("C", body="Mở đầu.\n\n![ ](anh/a.svg)\n"),
        "bai-viet/anh/a.svg": SVG,
    })
    found = {(p.path, p.line) for p in problems_of(site) if "(alt)" in p.message}
    assert found == {("content/bai-viet/b.md", 7), ("content/bai-viet/b.md", 9), ("content/bai-viet/c.md", 9)}


def test_a_replaced_image_gets_its_new_size(tmp_path):
    image = tmp_path / "a.svg"
    image.write_text(SVG)
    assert intrinsic_size(image) == (640, 360)
    image.write_text(SVG_VIEWBOX + "    ")  # another length, so the change shows even within one mtime tick
    assert intrinsic_size(image) == (800, 450)
