"""Files as LibreOffice saves them (tests/fixtures/word/): .docx directly, .doc and .odt through LibreOffice
when it is installed, and the message that says to save as .docx when it is not."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.docx_import.article import ImportFailed, ImportRequest, import_document

FIXTURES = Path(__file__).parent.parent / "fixtures" / "word"
TODAY = date(2026, 11, 24)
NUOC = {"campaign": "ngay-nuoc-the-gioi", "department": "phong-quan-ly-nang-luong"}
needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")


def imported_page(site, name: str) -> BeautifulSoup:
    report = import_document(ImportRequest(FIXTURES / name, site.content, TODAY, **NUOC))
    site.build(drafts=True)
    page = site.output / "tin-tuc" / "2026" / report.article.stem / "index.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def assert_sample(page: BeautifulSoup) -> None:
    assert page.find("h1").get_text(strip=True) == "Ngày Khí tượng thế giới"
    assert page.find("strong", string="Ngày Khí tượng thế giới")
    assert page.find("em", string="Tương lai của thời tiết")
    nested = page.find("li", string=lambda s: s and "Tại trụ sở" in s)
    assert nested and nested.find_parent("ul").find_parent("li")
    numbered = page.find("li", string="Lập kế hoạch").find_parent("ol")
    assert [li.get_text(strip=True) for li in numbered.find_all("li")] == ["Lập kế hoạch", "Báo cáo kết quả"]
    assert page.find("th", string="Đơn vị")["colspan"] == "2"
    assert page.find("td", string="Phòng")["rowspan"] == "2"
    assert page.find("a", string="trang WMO")["href"] == "https://wmo.int/"


def test_docx_saved_by_libreoffice(make_site):
    assert_sample(imported_page(make_site(), "libreoffice.docx"))


@needs_libreoffice
@pytest.mark.parametrize("name", ["word97.doc", "opendocument.odt"])
def test_doc_and_odt_through_libreoffice(make_site, name):
    assert_sample(imported_page(make_site(), name))


@pytest.mark.parametrize("name", ["word97.doc", "opendocument.odt"])
def test_without_libreoffice_the_message_says_save_as_docx(make_site, monkeypatch, tmp_path, name):
    site = make_site()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    with pytest.raises(ImportFailed) as failed:
        import_document(ImportRequest(FIXTURES / name, site.content, TODAY, **NUOC))
    [problem] = failed.value.problems
    assert "LibreOffice" in problem.message and "Word Document (*.docx)" in problem.hint
    assert not (site.content / "bai-viet").exists()


def test_password_protected_docx_is_named_as_such(make_site):
    site = make_site()
    with pytest.raises(ImportFailed) as failed:
        import_document(ImportRequest(FIXTURES / "mat-khau.docx", site.content, TODAY, **NUOC))
    [problem] = failed.value.problems
    assert "mật khẩu" in problem.message and "xóa mật khẩu" in problem.hint
    assert not (site.content / "bai-viet").exists()


def test_the_departments_own_plan_document_imports_and_builds(make_site):
    data = Path(__file__).parent.parent.parent / "content" / "_data"
    site = make_site({f"_data/{p.relative_to(data).as_posix()}": p.read_text("utf-8")
                      for p in [data / "campaigns.yaml", data / "departments.yaml", *data.glob("plans/*.yaml")]})
    plan = Path(__file__).parent.parent.parent / "content" / "van-ban" / "647-KH-SCT.docx"
    report = import_document(ImportRequest(plan, site.content, TODAY, task="1.1-nuoc", title="Kế hoạch 647"))
    site.build(drafts=True)
    page = BeautifulSoup((site.output / "tin-tuc" / "2023" / "ke-hoach-647" / "index.html").read_text("utf-8"), "lxml")
    assert page.find("strong", string=lambda s: s and "Tổ chức hưởng ứng Ngày Nước thế giới" in s)
    assert page.find("p", string=lambda s: s and s.startswith("1. Nhân mạnh vai trò của nước"))
    assert report.notes == ()
