"""`awareness import`: Word's structure becomes Markdown that the real build turns into the expected HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from docx_samples import (
    add_footnotes,
    footnote_reference,
    hyperlink,
    legacy_text,
    new_document,
    picture,
    png,
    save,
)

from generator.docx_import.article import ImportFailed, ImportRequest, import_document

TODAY = date(2026, 11, 24)
NUOC = {"campaign": "ngay-nuoc-the-gioi", "department": "phong-quan-ly-nang-luong"}


def run_import(site, document, name: str = "bai.docx", **options) -> object:
    source = save(document, site.root / "word" / name)
    return import_document(ImportRequest(source, site.content, TODAY, **{**NUOC, **options}))


def built_article(site, report) -> BeautifulSoup:
    """Build with drafts (as the preview does) and parse the imported article's page."""
    site.build(drafts=True)
    page = site.output / "tin-tuc" / report.article.parent.name / report.article.stem / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def test_styles_lists_and_emphasis_become_markdown_the_build_renders(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Hưởng ứng Ngày Nước thế giới", style="Title")
    opening = document.add_paragraph("Sở Công Thương kêu gọi ")
    opening.add_run("tiết kiệm nước").bold = True
    opening.add_run(" trong ")
    opening.add_run("sản xuất").italic = True
    document.add_heading("Việc cần làm", level=1)
    document.add_paragraph("Khóa vòi khi không dùng", style="List Bullet")
    document.add_paragraph("Ở nhà", style="List Bullet 2")
    document.add_paragraph("Sửa chỗ rò rỉ", style="List Bullet")
    document.add_heading("Các bước", level=2)
    document.add_paragraph("Kiểm tra đồng hồ", style="List Number")
    document.add_paragraph("Ghi số", style="List Number")
    document.add_paragraph("1. Số thứ tự gõ tay, không phải danh sách")
    document.add_paragraph("- Gạch đầu dòng gõ tay; 1.1. mục con")
    breaks = document.add_paragraph("Dòng một")
    breaks.runs[0].add_break()
    breaks.add_run("Dòng hai")
    linked = document.add_paragraph("Xem ")
    hyperlink(linked, "trang của Bộ", "https://moit.gov.vn/tin-tuc")
    report = run_import(site, document)

    assert report.article == site.content / "bai-viet" / "2026" / "huong-ung-ngay-nuoc-the-gioi.md"
    page = built_article(site, report)
    body = page.find("article") or page
    assert page.find("h1").get_text(strip=True) == "Hưởng ứng Ngày Nước thế giới"
    headings = [("".join(h.find_all(string=True, recursive=False)).strip(), h.name)
                for h in body.find_all(["h2", "h3"])]
    assert headings[:2] == [("Việc cần làm", "h2"), ("Các bước", "h3")]
    assert body.find("strong", string="tiết kiệm nước") and body.find("em", string="sản xuất")
    bullets = body.find("ul", recursive=True)
    assert [li.find(string=True, recursive=False).strip() for li in bullets.find_all("li", recursive=False)] == \
        ["Khóa vòi khi không dùng", "Sửa chỗ rò rỉ"]
    assert bullets.find("ul").get_text(strip=True) == "Ở nhà"
    assert [li.get_text(strip=True) for li in body.find("ol").find_all("li")] == ["Kiểm tra đồng hồ", "Ghi số"]
    assert body.find("a", string="trang của Bộ")["href"] == "https://moit.gov.vn/tin-tuc"
    assert body.find("p", string="1. Số thứ tự gõ tay, không phải danh sách")
    assert body.find("p", string="- Gạch đầu dòng gõ tay; 1.1. mục con")
    line_break = body.find(string=lambda s: s and "Dòng một" in s).parent
    assert line_break.find("br") is not None and "Dòng hai" in line_break.get_text()


def test_front_matter_from_arguments_title_and_first_paragraph(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Giờ Trái đất", style="Title")
    document.add_paragraph("Tắt đèn một giờ để hưởng ứng.")
    document.add_paragraph("Đoạn thứ hai.")
    report = run_import(site, document, campaign="gio-trai-dat")
    text = report.article.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front == {"title": "Giờ Trái đất", "date": "2026-11-24", "campaign": "gio-trai-dat",
                     "department": "phong-quan-ly-nang-luong", "year": 2026,
                     "summary": "Tắt đèn một giờ để hưởng ứng.", "tags": [], "draft": True}
    assert "Giờ Trái đất" not in text.split("---", 2)[2]  # the title is not repeated in the body


def test_tables_plain_as_markdown_merged_as_html_the_sanitiser_keeps(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Bảng số liệu", style="Title")
    plain = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Đơn vị", (0, 1): "Số người", (1, 0): "Phòng A | B", (1, 1): "12"}.items():
        plain.cell(row, column).text = text
    merged = document.add_table(rows=3, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Hoạt động"
    merged.cell(0, 2).text = "Ngày"
    merged.cell(1, 0).merge(merged.cell(2, 0)).text = "Tắt đèn"
    merged.cell(1, 1).text = "Trụ sở"
    merged.cell(1, 2).text = "25/3"
    merged.cell(2, 1).text = "Kho"
    merged.cell(2, 2).text = "26/3"
    footnote_reference(merged.cell(1, 1).paragraphs[0], 1)
    add_footnotes(document, {1: "Trụ sở Sở Công Thương, Phan Thiết."})
    page = built_article(site, run_import(site, document))
    first, second = page.find_all("table")[:2]
    assert [th.get_text(strip=True) for th in first.find_all("th")] == ["Đơn vị", "Số người"]
    assert [td.get_text(strip=True) for td in first.find_all("td")] == ["Phòng A | B", "12"]
    heading = second.find("th", string="Hoạt động")
    assert heading["colspan"] == "2"
    assert second.find("td", string="Tắt đèn")["rowspan"] == "2"
    assert [len(tr.find_all(["td", "th"])) for tr in second.find_all("tr")] == [2, 3, 2]
    [office] = [td for td in second.find_all("td") if td.get_text().startswith("Trụ sở")]
    assert office.find("sup").get_text() == "1"
    notes = page.find(class_="footnote")
    assert notes and "Trụ sở Sở Công Thương, Phan Thiết." in notes.get_text()


def test_images_extracted_named_from_the_article_with_word_alt_text(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Tuyên truyền", style="Title")
    picture(document, png(colour=(10, 200, 10)), "Cán bộ treo băng rôn")
    picture(document, png(colour=(10, 10, 200)), "Học sinh vẽ tranh")
    report = run_import(site, document)
    folder = site.content / "bai-viet" / "2026" / "anh"
    assert report.images == (folder / "tuyen-truyen-1.png", folder / "tuyen-truyen-2.png")
    assert report.images[0].read_bytes() == png(colour=(10, 200, 10))
    page = built_article(site, report)
    alts = [img["alt"] for img in page.find_all("img") if "tuyen-truyen" in img["src"]]
    assert alts == ["Cán bộ treo băng rôn", "Học sinh vẽ tranh"]


def test_image_without_alt_text_is_a_todo_the_build_reports(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Ảnh chưa mô tả", style="Title")
    picture(document, png())
    report = run_import(site, document)
    assert any("chưa có lời mô tả" in note.message for note in report.notes)
    with pytest.raises(Exception) as failed:
        site.build(drafts=True)
    assert any("anh-chua-mo-ta-1.png" in p.message and "alt" in p.message for p in failed.value.problems)


def test_footnotes_become_markdown_footnotes(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Chú thích", style="Title")
    paragraph = document.add_paragraph("Lượng nước tiết kiệm được")
    footnote_reference(paragraph, 1)
    add_footnotes(document, {1: "Số liệu của Công ty Cấp thoát nước."})
    page = built_article(site, run_import(site, document))
    reference = page.find("sup")
    target = reference.find("a")["href"].lstrip("#")
    assert "Công ty Cấp thoát nước" in page.find(id=target).get_text()


@pytest.mark.parametrize(("font", "encoding"), [(".VnTime", "TCVN3"), ("VNI-Times", "VNI")])
def test_legacy_runs_are_converted_by_font_and_reported(make_site, font, encoding):
    site = make_site()
    document = new_document()
    document.add_paragraph("Chữ cũ", style="Title")
    document.add_paragraph("Đoạn Unicode bình thường.")
    run = document.add_paragraph("Tiêu đề: ").add_run(legacy_text("Ngày Nước thế giới năm nay", encoding))
    run.font.name = font
    report = run_import(site, document)
    body = report.article.read_text(encoding="utf-8")
    assert "Tiêu đề: Ngày Nước thế giới năm nay" in body
    assert [(note.paragraph, encoding in note.message) for note in report.converted] == [(3, True)]


def test_all_capitals_tcvn3_font_and_legacy_text_without_its_font(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph("Chữ cũ", style="Title")
    capitals = document.add_paragraph().add_run(legacy_text("sở công thương", "TCVN3"))
    capitals.font.name = ".VnTimeH"
    document.add_paragraph(legacy_text("Hưởng ứng Ngày Nước thế giới tại tỉnh", "TCVN3"))  # font lost by a paste
    report = run_import(site, document)
    body = report.article.read_text(encoding="utf-8")
    assert "SỞ CÔNG THƯƠNG" in body and "Hưởng ứng Ngày Nước thế giới tại tỉnh" in body
    assert [note.paragraph for note in report.converted] == [2, 3]


def test_task_fills_campaign_office_and_year_like_new_task(make_site):
    plan = Path(__file__).parent.parent.parent / "content" / "_data"
    site = make_site({"_data/plans/647-KH-SCT.yaml": (plan / "plans" / "647-KH-SCT.yaml").read_text("utf-8"),
                      "_data/campaigns.yaml": (plan / "campaigns.yaml").read_text("utf-8"),
                      "_data/departments.yaml": (plan / "departments.yaml").read_text("utf-8")})
    document = new_document()
    document.add_paragraph("Bài theo kế hoạch", style="Title")
    document.add_paragraph("Nội dung.")
    source = save(document, site.root / "bai.docx")
    task = "1.1-nuoc"
    report = import_document(ImportRequest(source, site.content, TODAY, task=task))
    front = yaml.safe_load(report.article.read_text(encoding="utf-8").split("---")[1])
    assert report.article.parent.name == "2023" and front["year"] == 2023
    assert front["plan_task"] == task and front["campaign"] == "ngay-nuoc-the-gioi" and front["draft"] is True


def test_unknown_campaign_and_unreadable_file_reported_together(make_site):
    site = make_site()
    source = site.root / "ghi-chu.docx"
    source.write_text("không phải Word", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_document(ImportRequest(source, site.content, TODAY, campaign="ngay-nuoc", department="x"))
    messages = [p.message for p in failed.value.problems]
    assert len(messages) == 2 and "chiến dịch không biết" in messages[0] and "không phải tệp Word" in messages[1]


def test_a_whole_document_typed_in_a_vntime_normal_style(make_site):
    site = make_site()
    document = new_document()
    document.styles["Normal"].font.name = ".VnTime"  # the old habit: the font set once, for every paragraph
    document.add_paragraph(legacy_text("Sở Công Thương kêu gọi tiết kiệm điện", "TCVN3"))
    document.add_paragraph(legacy_text("Tắt đèn khi ra khỏi phòng", "TCVN3"))
    report = run_import(site, document, title="Bài gõ bằng .VnTime")
    page = built_article(site, report)
    assert page.find("p", string="Sở Công Thương kêu gọi tiết kiệm điện")
    assert page.find("p", string="Tắt đèn khi ra khỏi phòng")
    assert [note.paragraph for note in report.converted] == [1, 2]


def test_without_styles_a_bold_first_line_is_the_title(make_site):
    site = make_site()
    document = new_document()
    document.add_paragraph().add_run("Tiết kiệm điện mùa nắng nóng").bold = True
    document.add_paragraph("Nội dung bài.")
    report = run_import(site, document, name="Bai viet.docx")
    assert report.article.name == "tiet-kiem-dien-mua-nang-nong.md"
    assert built_article(site, report).find("h1").get_text(strip=True) == "Tiết kiệm điện mùa nắng nóng"
