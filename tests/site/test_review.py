"""What is not published yet: the build says how many drafts and scheduled articles it left out, holds
back the files only they use, and the preview lists them for reviewers at /_duyet/."""

from __future__ import annotations

import http.client
import os
import time

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, SiteDir, article, running_preview

PHOTO = b"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'><rect width='4' height='3'/></svg>"

FILES = {
    "bai-viet/da-dang.md": article("Bài đã đăng", body="![Ảnh chung](anh/chung.svg)"),
    "bai-viet/nhap.md": article("Bài còn nháp", date="2023-03-21", draft="true",
                                body="Một hai ba bốn năm.\n\n![Ảnh nháp](anh/chi-nhap.svg)\n\n"
                                     "![Ảnh chung](anh/chung.svg)"),
    "bai-viet/hen.md": article("Bài hẹn ngày", date="2026-12-20", cover="anh/bia-hen.svg",
                               cover_alt="Bìa", body="Đăng sau."),
    "bai-viet/anh/chung.svg": PHOTO,
    "bai-viet/anh/chi-nhap.svg": PHOTO,
    "bai-viet/anh/bia-hen.svg": PHOTO,
    "bai-viet/anh/khong-ai-dung.svg": PHOTO,
}


def test_files_only_unpublished_articles_use_wait_with_them(make_site):
    site = make_site(FILES)
    result = site.build()
    photos = site.output / "bai-viet" / "anh"
    assert (photos / "chung.svg").is_file()  # a published article uses it too
    assert (photos / "khong-ai-dung.svg").is_file()  # nobody's: published as before
    assert not (photos / "chi-nhap.svg").exists()
    assert not (photos / "bia-hen.svg").exists()
    assert (result.drafts, result.scheduled) == (1, 1)
    listed = (site.output / ".changes.txt").read_text(encoding="utf-8")
    assert "chi-nhap.svg" not in listed and "bia-hen.svg" not in listed


def test_a_draft_published_brings_its_photo(make_site):
    site = make_site(FILES)
    site.build()
    draft = site.content / "bai-viet" / "nhap.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = site.build()
    assert (site.output / "bai-viet" / "anh" / "chi-nhap.svg").is_file()
    assert (result.drafts, result.scheduled) == (0, 1)


def test_the_build_says_what_it_left_out_and_where_to_see_it(make_site):
    site = make_site(FILES)
    result = site.cli("build", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "Chưa đăng: 1 bản nháp và 1 bài hẹn ngày đăng" in result.stdout
    assert "awareness serve" in result.stdout and "/_duyet/" in result.stdout
    again = site.cli("build", "--today", TODAY.isoformat())  # nothing changed: the same summary
    assert "Chưa đăng: 1 bản nháp và 1 bài hẹn ngày đăng" in again.stdout


@pytest.fixture
def preview(tmp_path):
    files = {**FILES, "bai-viet/nhap-loi.md": article("Nháp có lỗi", date="2023-03-10", draft="true",
                                                       plan_task="1.1-nuoc", body="Xem [bài mất](khong-co.md).")}
    site = SiteDir(tmp_path, files)
    older = time.time() - 3600
    os.utime(site.content / "bai-viet" / "hen.md", (older, older))  # the draft is the newest change
    with running_preview(site) as server:
        yield server, site


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8")


def test_the_review_page_lists_drafts_and_scheduled_articles_newest_change_first(preview):
    server, site = preview
    status, body = get(server.port, "/_duyet/")
    assert status == 200
    soup = BeautifulSoup(body, "lxml")
    rows = soup.select("tr.review-row")
    titles = [row.a.get_text(strip=True) for row in rows]
    assert set(titles) == {"Bài còn nháp", "Bài hẹn ngày", "Nháp có lỗi"}
    assert titles[-1] == "Bài hẹn ngày"  # saved an hour earlier
    cells = {row.a.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows}
    draft = cells["Bài còn nháp"]
    assert draft[1] == "nháp" and draft[2] == "Phòng Quản lý Công nghiệp" and "Ngày Nước thế giới" in draft[3]
    assert draft[6] == "—" and int(draft[5]) >= 5
    assert cells["Nháp có lỗi"][6] == "1.1-nuoc"
    assert cells["Bài hẹn ngày"][1] == "hẹn đăng"
    assert "khong-co.md" in cells["Nháp có lỗi"][7]  # its problem, at its line
    links = {row.a.get_text(strip=True): row.a["href"] for row in rows}
    assert get(server.port, links["Bài còn nháp"])[0] == 200
    assert soup.find("script", src=lambda s: s and "livereload" in s) or "livereload.js" in body


def test_the_review_page_never_reaches_output(make_site):
    site = make_site(FILES)
    site.build()
    assert not (site.output / "_duyet").exists()
    assert "_duyet" not in (site.output / "sitemap.xml").read_text(encoding="utf-8")


def test_saving_a_draft_renders_no_published_page(make_site):
    site = make_site(FILES)
    site.build()
    draft = site.content / "bai-viet" / "nhap.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Một hai ba", "Một hai ba sửa"), encoding="utf-8")
    result = site.build()
    assert result.rendered == 0 and not result.changes.lines()
