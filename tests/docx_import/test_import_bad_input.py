"""What cannot be carried over is reported with its paragraph; bad files get a Vietnamese message and
nothing is written; an existing article is never overwritten."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from datetime import date

import pytest
from docx.oxml import parse_xml
from docx_samples import NAMESPACES, append_xml, new_document, picture, png, save
from lxml import etree

from generator.docx_import.article import ImportFailed, ImportRequest, import_document

TODAY = date(2026, 11, 24)
NUOC = {"campaign": "ngay-nuoc-the-gioi", "department": "phong-quan-ly-nang-luong"}


def request(site, source, **options) -> ImportRequest:
    return ImportRequest(source, site.content, TODAY, **{**NUOC, **options})


def refused(site, source) -> str:
    with pytest.raises(ImportFailed) as failed:
        import_document(request(site, source))
    assert not (site.content / "bai-viet").exists(), "nothing is written on failure"
    [problem] = failed.value.problems
    return problem.message + " → " + problem.hint


def titled(text: str = "Bài thử"):
    document = new_document()
    document.add_paragraph(text, style="Title")
    return document


def test_what_cannot_be_carried_over_is_listed_with_its_paragraph(make_site):
    site = make_site()
    document = titled()
    document.add_paragraph("Đoạn một.")  # paragraph 2 (the title is 1)
    box = document.add_paragraph("Có hộp chữ ")  # 3
    append_xml(box, '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:docPr id="9" '
                    'name="Text Box 1"/><a:graphic><a:graphicData><w:txbxContent><w:p><w:r><w:t>Khẩu hiệu trong '
                    'hộp</w:t></w:r></w:p></w:txbxContent></a:graphicData></a:graphic></wp:inline></w:drawing>'
                    '</mc:Choice></mc:AlternateContent></w:r>')
    tracked = document.add_paragraph("Đã sửa: ")  # 4
    append_xml(tracked, '<w:ins w:id="1" w:author="A"><w:r><w:t>chữ thêm</w:t></w:r></w:ins>')
    append_xml(tracked, '<w:del w:id="2" w:author="A"><w:r><w:delText>chữ bỏ</w:delText></w:r></w:del>')
    commented = document.add_paragraph("Đoạn có góp ý")  # 5
    document.add_comment(commented.runs, text="Sửa số liệu", author="Trưởng phòng")
    embedded = document.add_paragraph("Bảng Excel: ")  # 6
    append_xml(embedded, '<w:r><w:object><v:shape id="o1"/></w:object></w:r>')
    linked = document.add_paragraph()  # 7
    append_xml(linked, '<w:r><w:drawing><wp:inline><wp:docPr id="3" name="Ảnh" descr="Biểu đồ"/><a:graphic>'
                       '<a:graphicData><a:blip r:link="rIdWeb"/></a:graphicData></a:graphic></wp:inline>'
                       '</w:drawing></w:r>')
    rel = document.part.relate_to("http://127.0.0.1:9/anh.jpg", "http://schemas.openxmlformats.org/"
                                  "officeDocument/2006/relationships/image", is_external=True)
    linked._p.xpath(".//a:blip")[0].set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link",
                                        rel)
    section = document.sections[0]
    section.header.paragraphs[0].text = "SỞ CÔNG THƯƠNG TỈNH BÌNH THUẬN"
    append_xml(section.footer.paragraphs[0], '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    report = import_document(request(site, save(document, site.root / "bai.docx")))

    notes = {(note.paragraph, note.message.split(":")[0].split(" (")[0]) for note in report.notes}
    assert notes >= {(3, "hộp văn bản"), (4, "sửa đổi chưa chấp nhận"), (5, "ghi chú"),
                     (6, "đối tượng nhúng"), (7, "ảnh liên kết từ Internet không tải về"),
                     (None, "đầu trang không đưa vào bài"), (None, "số trang ở chân trang không đưa lên trang web")}
    messages = " ".join(note.message for note in report.notes)
    assert "Khẩu hiệu trong hộp" in messages and "Sửa số liệu" in messages and "http://127.0.0.1:9/anh.jpg" in messages
    body = report.article.read_text(encoding="utf-8")
    assert "Đã sửa: chữ thêm" in body and "chữ bỏ" not in body
    site.build(drafts=True)  # what was carried over builds


@pytest.mark.parametrize(("data", "expected"), [
    (b"%PDF-1.7 not a word file", "không phải tệp Word"),
    (b"PK\x03\x04 truncated", "bị hỏng hoặc chưa chép hết"),
])
def test_not_word_or_broken(make_site, data, expected):
    site = make_site()
    source = site.root / "bai.docx"
    source.write_bytes(data)
    assert expected in refused(site, source)


def test_truncated_docx(make_site):
    site = make_site()
    whole = save(titled(), site.root / "whole.docx").read_bytes()
    source = site.root / "bai.docx"
    source.write_bytes(whole[: len(whole) // 2])
    assert "bị hỏng hoặc chưa chép hết" in refused(site, source)


def test_zip_bomb_refused_from_its_declared_sizes(make_site):
    site = make_site()
    buffer = io.BytesIO(save(titled(), site.root / "whole.docx").read_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/bomb.xml", b"\0" * (64 * 1024 * 1024))
    source = site.root / "bai.docx"
    source.write_bytes(buffer.getvalue())
    started = time.perf_counter()
    assert "quá lớn" in refused(site, source)
    assert time.perf_counter() - started < 1, "refused before inflating 64 MB"


def test_macro_enabled_docm_imports_its_text_without_the_macros(make_site):
    site = make_site()
    document = titled("Bài có macro")
    document.add_paragraph("Nội dung thật.")
    plain = save(document, site.root / "plain.docx").read_bytes()
    docm = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(docm, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main",
                                    b"application/vnd.ms-word.document.macroEnabled.main")
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                                 b'vnd.ms-office.vbaProject"/></Types>')
            elif entry.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.'
                                    b'com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            target.writestr(entry, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    source = site.root / "bai.docm"
    source.write_bytes(docm.getvalue())
    report = import_document(request(site, source))
    assert "Nội dung thật." in report.article.read_text(encoding="utf-8")
    assert sorted(p.name for p in report.article.parent.rglob("*")) == ["bai-co-macro.md"]


def test_a_300_page_document_is_refused_with_what_to_do(make_site):
    site = make_site()
    document = titled("Báo cáo dài")
    words = "nội dung báo cáo tổng kết công tác năm của sở công thương tỉnh bình thuận điện nước xăng dầu".split()
    chosen = random.Random(30)
    for _ in range(300):  # a page of varied words: repeated text would compress like a zip bomb
        document.add_paragraph(" ".join(chosen.choice(words) for _ in range(700)))
    message = refused(site, save(document, site.root / "bai.docx"))
    assert "trang" in message and "tách thành nhiều bài" in message


def test_an_existing_article_or_image_is_never_overwritten(make_site):
    site = make_site()
    document = titled("Bài trùng tên")
    picture(document, png(), "Ảnh")
    source = save(document, site.root / "bai.docx")
    first = import_document(request(site, source))
    first.article.write_text("đã sửa tay", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_document(request(site, source))
    assert {p.message for p in failed.value.problems} == {"tệp đã có, không ghi đè"}
    assert len(failed.value.problems) == 2  # the article and its image, both named
    assert first.article.read_text(encoding="utf-8") == "đã sửa tay"
    first.article.unlink()
    with pytest.raises(ImportFailed):  # the image alone is there: still nothing written
        import_document(request(site, source))
    assert not first.article.exists()


def test_command_prints_the_path_and_the_report(make_site):
    site = make_site()
    document = titled("Bài từ Word")
    document.add_paragraph("Mở đầu.")
    document.sections[0].footer.paragraphs[0].text = "Chân trang"
    save(document, site.root / "bai.docx")
    result = site.cli("import", "bai.docx", "--campaign", "ngay-nuoc-the-gioi",
                      "--department", "phong-quan-ly-nang-luong")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("content/bai-viet/") and result.stdout.strip().endswith("bai-tu-word.md")
    assert "chân trang không đưa vào bài" in result.stderr
    again = site.cli("import", "bai.docx", "--campaign", "ngay-nuoc-the-gioi",
                     "--department", "phong-quan-ly-nang-luong")
    assert again.returncode == 1 and "không ghi đè" in again.stderr and "Traceback" not in again.stderr
    assert site.cli("import", "bai.docx").returncode == 2  # as `new`: a usage error names what is missing
    missing = site.cli("import", "khong-co.docx", "--task", "x")
    assert missing.returncode == 1 and "không có tệp này" in missing.stderr and "Traceback" not in missing.stderr


def test_xml_comments_inside_a_paragraph_are_ignored(make_site):
    site = make_site()
    document = titled("Bài có chú thích XML")
    paragraph = document.add_paragraph("Trước ")
    paragraph._p.append(etree.Comment(" do công cụ khác để lại "))
    paragraph.add_run("sau.")
    report = import_document(request(site, save(document, site.root / "bai.docx")))
    assert "Trước sau." in report.article.read_text(encoding="utf-8")


def test_content_controls_around_paragraphs_and_in_cells_are_read(make_site):
    site = make_site()
    document = titled("Bài có ô điều khiển")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Tiêu đề cột"
    cell = table.cell(1, 0)._tc
    cell.remove(cell.find(cell.p_lst[0].tag))
    control = '<w:sdt><w:sdtContent><w:p><w:r><w:t>Trong ô có điều khiển</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    namespaced = re.sub(r"^<([\w:]+)", rf"<\1 {NAMESPACES}", control, count=1)
    cell.append(parse_xml(namespaced))
    document.element.body.insert(1, parse_xml(namespaced.replace("Trong ô có điều khiển", "Đoạn trong điều khiển")))
    body = import_document(request(site, save(document, site.root / "bai.docx"))).article.read_text("utf-8")
    assert "Đoạn trong điều khiển" in body and "| Trong ô có điều khiển |" in body


def test_a_part_not_as_word_writes_it_is_a_message_not_a_crash(make_site):
    site = make_site()
    document = titled("Bài hỏng một phần")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0)._tc.get_or_add_tcPr().append(parse_xml(f'<w:gridSpan {NAMESPACES} w:val="hai"/>'))
    assert "có phần không đọc được" in refused(site, save(document, site.root / "bai.docx"))
