"""Bad input: each case gets a message naming the file (and line), a hint saying how to fix it, no traceback.

Each row of CASES is a fixture site (a dict of files, like MkDocs' tempdir) and what the author must be
told. A few cases also go through the real command, checking the exit code, stderr and that output/
stays byte-for-byte what the previous good build wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.problems import BuildFailed
from tests.conftest import CAMPAIGNS_YAML, DEPARTMENTS_YAML, REPO, SITE_YAML, article

A = "content/bai-viet/a.md"
TCVN3_TITLE = b"Ng\xb5y N\xad\xedc th\xd5 gi\xedi"  # "Ngày Nước thế giới" typed with a TCVN3 font
LINE_OF_EXTRA_KEY = 6  # article(): ---, title, date, campaign, department, then the extra key


def problems_of(site, **overrides) -> list:
    with pytest.raises(BuildFailed) as failed:
        site.build(**overrides)
    return failed.value.problems


def only(problems: list, path: str):
    found = [p for p in problems if p.path == path]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


def alias_bomb(levels: int) -> str:
    """YAML whose aliases stand for 9**levels items ("billion laughs"): quoting it must not expand it."""
    value = "[x, x, x, x, x, x, x, x, x]"
    for level in range(levels):
        value = f"[&n{level} {value}" + f", *n{level}" * 8 + "]"
    return value


# (case, files, file named, line, words in the message, words in the hint)
CASES = [
    ("unclosed front matter", {"bai-viet/a.md": '---\ntitle: "A"\ndate: 2023-03-22\n\nNội dung\n'},
     A, 1, "không có dòng --- đóng", "thêm một dòng chỉ có ---"),
    ("unclosed YAML quote", {"bai-viet/a.md": '---\ntitle: "Giờ Trái đất\ndate: 2023-03-22\n---\nx\n'},
     A, 2, "YAML sai cú pháp", "ngoặc kép"),  # the line of the opening quote, not where YAML gave up
    ("unclosed YAML list", {"bai-viet/a.md": article(tags="[nước, khí hậu")}, A, LINE_OF_EXTRA_KEY, "YAML sai cú pháp",
     "]"),
    ("front matter is a list", {"bai-viet/a.md": "---\n- title\n- date\n---\nx\n"},
     A, 2, "khóa: giá trị", 'title: "Tiêu đề"'),
    ("front matter is a string", {"bai-viet/a.md": "---\nchỉ một dòng chữ\n---\nx\n"},
     A, 2, "khóa: giá trị", 'title: "Tiêu đề"'),
    ("number for a title", {"bai-viet/a.md": article().replace('title: "Bài viết"', "title: 2023")},
     A, 2, "'title': cần một chuỗi chữ", 'title: "'),
    ("string for tags", {"bai-viet/a.md": article(tags='"nước, khí hậu"')},
     A, LINE_OF_EXTRA_KEY, "'tags': cần một danh sách", "tags: ["),
    ('"có lẽ" for draft', {"bai-viet/a.md": article(draft="có lẽ")},
     A, LINE_OF_EXTRA_KEY, "'draft': cần true hoặc false", "draft: true"),
    ("impossible day and month", {"bai-viet/a.md": article(date="32/13/2023")},
     A, 3, "ngày không hợp lệ: '32/13/2023'", "date: 2023-03-25"),
    ("impossible ISO date", {"bai-viet/a.md": article(date="2023-02-30", tags="[a, b]", updated="2023-03-40")},
     A, 3, "ngày không tồn tại", "2023-02-28"),
    ("year out of range", {"bai-viet/a.md": article(year="20233")}, A, LINE_OF_EXTRA_KEY, "năm 20233", "year: 2023"),
    ("invisible control character", {"bai-viet/a.md": article(summary='"Tóm\\vtắt"')},
     A, LINE_OF_EXTRA_KEY, "ký tự điều khiển", "gõ lại"),
    ("empty file", {"bai-viet/a.md": ""}, A, None, "tệp rỗng", "front matter"),
    ("only blank lines", {"bai-viet/a.md": "\n  \n\n"}, A, None, "tệp rỗng", "front matter"),
    ("UTF-16 from Notepad", {"bai-viet/a.md": article().encode("utf-16")},
     A, None, "UTF-16", "lưu lại với mã hóa UTF-8"),
    ("brackets nested too deep", {"bai-viet/a.md": article(tags="[" * 3000 + "]" * 3000)}, A, LINE_OF_EXTRA_KEY,
     "quá sâu", "dấu đóng"),
    ("alias bomb", {"bai-viet/a.md": article(summary=alias_bomb(8))},
     A, LINE_OF_EXTRA_KEY, "nhận được một danh sách ([[...], [...], [...], [...], ...])", "summary: "),
    ("binary file", {"bai-viet/a.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, A, None, "nhị phân", ".md"),
    ("not UTF-8 (TCVN3)", {"bai-viet/a.md": b'---\ntitle: "' + TCVN3_TITLE + b'"\n---\nx\n'},
     A, 2, "không phải UTF-8", "UTF-8"),
    ("slug with a slash", {"bai-viet/a.md": article(slug='"tin/moi"')}, A, LINE_OF_EXTRA_KEY, "slug", "tin-moi"),
    ("slug with a backslash", {"bai-viet/a.md": article(slug='"tin\\\\moi"')},
     A, LINE_OF_EXTRA_KEY, "slug", "tin-moi"),
    ("slug with ..", {"bai-viet/a.md": article(slug='"../../etc"')}, A, LINE_OF_EXTRA_KEY, "slug", "etc"),
    ("cover outside content/", {"bai-viet/a.md": article(cover="../../khong-cho.svg", cover_alt="Ảnh")},
     A, LINE_OF_EXTRA_KEY, "nằm ngoài thư mục content/", "chép ảnh vào content/"),
    ("cover missing", {"bai-viet/a.md": article(cover="anh/khong-co.svg", cover_alt="Ảnh")},
     A, LINE_OF_EXTRA_KEY, "không tìm thấy ảnh bìa", "kiểm tra tên tệp"),
    ("menu entry to a missing page",
     {"_data/site.yaml": SITE_YAML + '  - {title: "Liên hệ", href: "lien-he/"}\n', "bai-viet/a.md": article()},
     "content/_data/site.yaml", 13, "trỏ tới trang không tồn tại: /lien-he/", "content/pages/lien-he.md"),
    ("menu entry with a typo", {"_data/site.yaml": SITE_YAML.replace('href: "tin-tuc/"', 'href: "tin-tuk/"'),
                                "bai-viet/a.md": article()},
     "content/_data/site.yaml", 12, "/tin-tuk/", "'tin-tuc/'"),
    ("menu entry running a script",
     {"_data/site.yaml": SITE_YAML.replace('href: "tin-tuc/"', "href: ' JavaScript:x()'"), "bai-viet/a.md": article()},
     "content/_data/site.yaml", 12, "có địa chỉ không an toàn", "https://"),
    ("theme source that is not a web address",
     {"_data/campaigns.yaml": CAMPAIGNS_YAML.replace('en: "Accelerating Change"}',
                                                      'en: "Accelerating Change", source: "javascript:x()"}'),
      "bai-viet/a.md": article()},
     "content/_data/campaigns.yaml", 5, "không phải trang web trong chiến dịch ngay-nuoc-the-gioi", "https://"),
    ("theme date in another year",
     {"_data/campaigns.yaml": CAMPAIGNS_YAML.replace('en: "Accelerating Change"}',
                                                      'en: "Accelerating Change", date: 2024-03-22}'),
      "bai-viet/a.md": article()},
     "content/_data/campaigns.yaml", 5, "date của chủ đề năm 2023", "2023-03-23"),
    ("office without a name", {"_data/departments.yaml": DEPARTMENTS_YAML + "- {id: van-phong-so}\n",
                               "bai-viet/a.md": article()},
     "content/_data/departments.yaml", 3, "mỗi đơn vị cần id, name và short_name", "ví dụ: - {id: van-phong-so"),
    ("impossible date in a data file",
     {"_data/campaigns.yaml": CAMPAIGNS_YAML.replace('en: "Accelerating Change"}',
                                                      'en: "Accelerating Change", date: 2023-02-30}'),
      "bai-viet/a.md": article()},
     "content/_data/campaigns.yaml", 5, "ngày không tồn tại", "2024-03-23"),
]


@pytest.mark.parametrize("files, path, line, message, hint", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named_with_its_line_and_fix(make_site, files, path, line, message, hint):
    problem = only(problems_of(make_site(files)), path)
    assert (problem.line, problem.severity) == (line, "error")
    assert message in problem.message
    assert hint in problem.hint


def test_missing_required_keys_each_get_a_line_to_add(make_site):
    problems = problems_of(make_site({"bai-viet/a.md": '---\ntitle: "Chỉ có tiêu đề"\n---\nNội dung\n'}))
    hints = {p.message: p.hint for p in problems if p.path == A}
    assert hints == {
        "thiếu khóa bắt buộc 'date'": "thêm dòng date: 2023-03-25 (hoặc 25/03/2023) vào phần khai báo",
        "thiếu khóa bắt buộc 'campaign'": "thêm dòng campaign: gio-trai-dat vào phần khai báo",
        "thiếu khóa bắt buộc 'department'": "thêm dòng department: phong-quan-ly-nang-luong vào phần khai báo",
    }


def test_a_ten_megabyte_file_is_refused_without_being_read(make_site):
    site = make_site({"bai-viet/a.md": article()})
    with (site.content / "bai-viet" / "lon.md").open("wb") as big:
        big.truncate(10 * 1024 * 1024)  # sparse: no 10 MB written to the test machine's disk
    problem = only(problems_of(site), "content/bai-viet/lon.md")
    assert "quá lớn (10.0 MB" in problem.message and "tách bài" in problem.hint


def test_two_articles_with_the_same_url_are_both_named(make_site):
    site = make_site({"bai-viet/a.md": article("Giờ Trái đất"), "bai-viet/b.md": article("Giờ Trái Đất")})
    problem = only(problems_of(site), "content/bai-viet/b.md")
    assert problem.line == 2 and "content/bai-viet/a.md" in problem.message and "slug" in problem.hint


def test_a_symbolic_link_out_of_content_is_refused(make_site, tmp_path):
    secret = tmp_path / "ngoai.md"
    secret.write_text(article("Ngoài"), encoding="utf-8")
    site = make_site({"bai-viet/a.md": article()})
    (site.content / "bai-viet" / "lien-ket.md").symlink_to(secret)
    (site.content / "bai-viet" / "anh.svg").symlink_to(secret)  # a static file is no different
    (site.content / "bai-viet" / "thu-muc").symlink_to(tmp_path, target_is_directory=True)
    problems = problems_of(site)
    for path in ("content/bai-viet/lien-ket.md", "content/bai-viet/anh.svg", "content/bai-viet/thu-muc"):
        problem = only(problems, path)
        assert "ngoài thư mục content/" in problem.message and "vào content/ thay vì" in problem.hint


def copy_templates(root: Path, name: str, find: str, replace: str) -> Path:
    templates = root / "templates"
    shutil.copytree(REPO / "templates", templates)
    text = (templates / name).read_text(encoding="utf-8")
    assert find in text
    (templates / name).write_text(text.replace(find, replace, 1), encoding="utf-8")
    return templates


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_template_syntax_error_names_the_template_and_line(make_site):
    site = make_site({"bai-viet/a.md": article()})
    templates = copy_templates(site.root, "tags.html", "<h1>Thẻ</h1>", "<h1>Thẻ</h1>\n{% if tags %}")
    problem = only(problems_of(site, templates=templates), "templates/tags.html")
    assert problem.line is not None and problem.line >= line_of(templates / "tags.html", "{% if tags %}")
    assert "cú pháp" in problem.message and "thẻ đóng" in problem.hint


def test_template_undefined_variable_names_the_template_and_line(make_site):
    site = make_site({"bai-viet/a.md": article()})
    templates = copy_templates(site.root, "partials/footer.html", "</footer>", "{{ dia_chi_so }}\n</footer>")
    problems = problems_of(site, templates=templates)
    problem = only(problems, "templates/partials/footer.html")  # said once, not once per page
    assert problem.line == line_of(templates / "partials/footer.html", "dia_chi_so")
    assert "dia_chi_so" in problem.message and "tên biến" in problem.hint


SIX_BROKEN = {
    "bai-viet/1-unclosed.md": '---\ntitle: "A"\n\nNội dung\n',
    "bai-viet/2-list.md": "---\n- a\n---\nx\n",
    "bai-viet/3-type.md": article("Ba", draft="có lẽ"),
    "bai-viet/4-date.md": article("Bốn", date="32/13/2023"),
    "bai-viet/5-empty.md": "",
    "bai-viet/6-dup-a.md": article("Sáu"),
    "bai-viet/6-dup-b.md": article("Sáu"),
    "_data/site.yaml": SITE_YAML + '  - {title: "Giới thiệu", href: "gioi-thieu/"}\n',
    "bai-viet/ok.md": article("Bài tốt"),
}


def test_every_error_of_a_build_comes_in_one_run(make_site):
    problems = problems_of(make_site(SIX_BROKEN))
    named = sorted(p.path for p in problems)
    assert named == ["content/_data/site.yaml", "content/bai-viet/1-unclosed.md", "content/bai-viet/2-list.md",
                     "content/bai-viet/3-type.md", "content/bai-viet/4-date.md", "content/bai-viet/5-empty.md",
                     "content/bai-viet/6-dup-b.md"]
    assert all(p.hint for p in problems)


# --- Through the real command -----------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def published(make_site):
    """A site with a good build in output/, and that build's bytes."""
    site = make_site({"bai-viet/a.md": article("Bài tốt"), "bai-viet/b.md": article("Bài thứ hai")})
    assert site.cli("build", "--today", "2026-11-24").returncode == 0
    return site, snapshot(site.output)


@pytest.mark.parametrize("name, data, shown", [
    ("b.md", article("Bài thứ hai", draft="có lẽ"), "content/bai-viet/b.md:6: 'draft': cần true hoặc false"),
    ("b.md", b'---\ntitle: "' + TCVN3_TITLE + b'"\n---\n', "content/bai-viet/b.md:2: tệp không phải UTF-8"),
    ("b.md", b"\x00\x01\x02binary", "content/bai-viet/b.md: đây là tệp nhị phân"),
    ("c.md", article("Bài tốt"), "content/bai-viet/c.md:2: trùng địa chỉ /tin-tuc/2023/bai-tot/"),
])
def test_cli_reports_bad_input_and_keeps_output(published, name, data, shown):
    site, before = published
    target = site.content / "bai-viet" / name
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = site.cli("build", "--today", "2026-11-24")
    assert result.returncode == 1
    assert shown in result.stderr and "    → " in result.stderr
    assert "Dựng thất bại: 1 lỗi. Thư mục output/ được giữ nguyên." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site.output) == before


def test_cli_reports_a_broken_template_and_keeps_output(published):
    site, before = published
    templates = copy_templates(site.root, "article.html", "{% block content %}", "{% block content %}{% for %}")
    result = site.cli("build", "--today", "2026-11-24")
    assert result.returncode == 1
    assert f"templates/article.html:{line_of(templates / 'article.html', '{% for %}')}: lỗi cú pháp" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(site.output) == before
