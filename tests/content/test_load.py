"""Validation of content: every problem reported at once, each with its file, line and a hint."""

from __future__ import annotations

import pytest

from generator.problems import BuildFailed
from tests.conftest import article


def problems_of(site) -> list:
    with pytest.raises(BuildFailed) as failed:
        site.build()
    return failed.value.problems


def test_every_problem_of_a_build_is_reported_together(make_site):
    site = make_site({
        "bai-viet/a.md": article("A", department="phong-khong-co"),
        "bai-viet/b.md": article("B", campaign="gio-trai-dat", titel="x"),
        "bai-viet/c.md": article("C", date="32/13/2023"),
    })
    found = {(p.path, p.line) for p in problems_of(site)}
    assert ("content/bai-viet/a.md", 5) in found  # department: line 5
    assert ("content/bai-viet/b.md", 6) in found  # the misspelt key's own line
    assert ("content/bai-viet/c.md", 3) in found  # date: line 3


def test_unknown_department_lists_the_valid_ids(make_site):
    [problem] = problems_of(make_site({"bai-viet/a.md": article(department="phong-quan-ly-nang-luongg")}))
    assert "phong-quan-ly-nang-luongg" in problem.message
    assert "phong-quan-ly-nang-luong" in problem.hint


def test_misspelt_key_gets_did_you_mean(make_site):
    [problem] = problems_of(make_site({"bai-viet/a.md": article(sumary='"Tóm tắt"')}))
    assert problem.line == 6
    assert "'summary'" in problem.hint


@pytest.mark.parametrize("key, value, expected", [
    ("tags", '"nước, khí hậu"', "danh sách"),
    ("draft", "có lẽ", "true hoặc false"),
    ("year", "hai nghìn", "số nguyên"),
])
def test_wrong_types_name_the_expected_type(make_site, key, value, expected):
    [problem] = problems_of(make_site({"bai-viet/a.md": article(**{key: value})}))
    assert problem.line == 6 and key in problem.message and expected in problem.message


def test_number_as_title_is_rejected(make_site):
    text = article().replace('title: "Bài viết"', "title: 2023")
    [problem] = problems_of(make_site({"bai-viet/a.md": text}))
    assert (problem.line, "title") == (2, problem.message.split("'")[1])


def test_missing_required_keys_are_each_named(make_site):
    text = "---\ntitle: \"Chỉ có tiêu đề\"\n---\nNội dung\n"
    messages = " ".join(p.message for p in problems_of(make_site({"bai-viet/a.md": text})))
    for key in ("date", "campaign", "department"):
        assert f"'{key}'" in messages


def test_unclosed_front_matter_and_bad_yaml(make_site):
    site = make_site({
        "bai-viet/unclosed.md": "---\ntitle: \"A\"\ndate: 2023-03-22\n\nNội dung không có dòng đóng\n",
        "bai-viet/badyaml.md": "---\ntitle: \"A\ndate: [2023\n---\nx\n",
        "bai-viet/list.md": "---\n- a\n- b\n---\nx\n",
    })
    by_file = {p.path: p for p in problems_of(site)}
    assert "không có dòng --- đóng" in by_file["content/bai-viet/unclosed.md"].message
    assert "YAML" in by_file["content/bai-viet/badyaml.md"].message
    assert by_file["content/bai-viet/badyaml.md"].line is not None
    assert "khóa: giá trị" in by_file["content/bai-viet/list.md"].message


def test_empty_and_binary_files(make_site):
    site = make_site({"bai-viet/empty.md": "", "bai-viet/binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00"})
    by_file = {p.path: p.message for p in problems_of(site)}
    assert "rỗng" in by_file["content/bai-viet/empty.md"]
    assert "nhị phân" in by_file["content/bai-viet/binary.md"]


def test_cover_needs_alt_text_and_an_existing_file_inside_content(make_site):
    site = make_site({
        "bai-viet/no-alt.md": article("A", cover="anh/a.svg"),
        "bai-viet/missing.md": article("B", cover="anh/khong-co.svg", cover_alt="Ảnh"),
        "bai-viet/outside.md": article("C", cover="../../../etc/passwd", cover_alt="Ảnh"),
        "bai-viet/anh/a.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    by_file = {p.path: p for p in problems_of(site)}
    assert "cover_alt" in by_file["content/bai-viet/no-alt.md"].message
    assert "không tìm thấy" in by_file["content/bai-viet/missing.md"].message
    assert "ngoài thư mục content" in by_file["content/bai-viet/outside.md"].message
    assert all(p.line == 6 for p in by_file.values())


def test_two_articles_with_the_same_url_are_both_named(make_site):
    site = make_site({"bai-viet/a.md": article("Giờ Trái đất"), "bai-viet/b.md": article("Giờ Trái Đất")})
    [problem] = problems_of(site)
    assert problem.path == "content/bai-viet/b.md" and problem.line == 2
    assert "content/bai-viet/a.md" in problem.message and "/tin-tuc/2023/gio-trai-dat/" in problem.message


def test_slug_with_path_characters_is_refused(make_site):
    [problem] = problems_of(make_site({"bai-viet/a.md": article(slug='"../../etc"')}))
    assert "slug" in problem.message and problem.line == 6


def test_link_to_missing_markdown_file_names_its_line(make_site):
    body = "Đoạn một.\n\nXem [bài khác](khong-co.md#muc).\n"
    [problem] = problems_of(make_site({"bai-viet/a.md": article(body=body)}))
    assert problem.path == "content/bai-viet/a.md" and problem.line == 9  # ---, 4 keys, ---, 2 lines
    assert "khong-co.md" in problem.message


def test_theme_must_be_the_official_one(make_site):
    [problem] = problems_of(make_site({"bai-viet/a.md": article(theme='"Nước cho hòa bình"')}))
    assert "Thúc đẩy sự thay đổi" in problem.hint and problem.line == 6


def test_image_without_alt_is_an_error(make_site):
    site = make_site({"bai-viet/a.md": article(body="![](anh/x.svg)\n"), "bai-viet/anh/x.svg": "<svg/>"})
    [problem] = problems_of(site)
    assert "alt" in problem.message and problem.line == 7  # the first body line


def test_symlink_pointing_outside_content_is_refused(make_site, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(article("Bí mật"), encoding="utf-8")
    site = make_site({"bai-viet/a.md": article("A")})
    (site.content / "bai-viet" / "link.md").symlink_to(outside)
    [problem] = problems_of(site)
    assert problem.path == "content/bai-viet/link.md" and "ngoài" in problem.message


def test_drafts_are_left_out_unless_asked(make_site):
    site = make_site({"bai-viet/a.md": article("Đã đăng"), "bai-viet/b.md": article("Nháp", draft="true")})
    site.build()
    assert not (site.output / "tin-tuc/2023/nhap/index.html").exists()
    site.build(drafts=True)
    assert (site.output / "tin-tuc/2023/nhap/index.html").exists()
