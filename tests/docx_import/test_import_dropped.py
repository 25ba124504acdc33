"""Word files dropped into content/nhap-word/ become drafts: the pure function, then a real `awareness serve`."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import time
from datetime import date, datetime

from bs4 import BeautifulSoup
from conftest import REPO, article, free_port
from docx_samples import new_document, save

from generator.docx_import.dropped import import_dropped
from generator.vietnamese.text import TZ

TODAY = date(2026, 11, 24)
FOLDER = "nhap-word/ngay-nuoc-the-gioi/phong-quan-ly-nang-luong"


def word(title: str, text: str = "Nội dung từ Word."):
    document = new_document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph(text)
    return document


def test_each_dropped_file_is_imported_once_and_moved_out_of_the_site(make_site):
    site = make_site()
    dropped = save(word("Bài thả vào thư mục"), site.content / FOLDER / "bai.docx")
    [result] = import_dropped(site.content, TODAY)
    assert result.report.article == site.content / "bai-viet" / "2026" / "bai-tha-vao-thu-muc.md"
    assert not dropped.exists() and result.source == site.content / "nhap-word" / "_da-nhap" / FOLDER[10:] / "bai.docx"
    assert import_dropped(site.content, TODAY) == []  # once
    site.build(drafts=True)
    assert not list(site.output.rglob("*.docx")), "the Word file is not published"


def test_a_file_that_cannot_be_imported_stays_and_says_why(make_site):
    site = make_site()
    save(word("Trùng tên"), site.content / FOLDER / "a.docx")
    import_dropped(site.content, TODAY)
    again = save(word("Trùng tên"), site.content / FOLDER / "a.docx")
    misplaced = save(word("Không rõ chiến dịch"), site.content / "nhap-word" / "b.docx")
    results = import_dropped(site.content, TODAY)
    assert [r.source for r in results] == [misplaced, again] and all(r.report is None for r in results)
    lines = "\n".join(line for r in results for line in r.lines())
    assert "không ghi đè" in lines and "nhap-word/<mã nhiệm vụ>/" in lines
    assert again.exists() and misplaced.exists()


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        connection.close()


def test_the_preview_server_shows_a_dropped_document_at_once(make_site):
    site = make_site()
    (site.content / FOLDER).mkdir(parents=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=site.root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    try:
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        save(word("Bài duyệt ngay"), site.content / FOLDER / "duyet.docx")
        year = datetime.now(TZ).year  # the server dates the draft with its today, in Vietnam
        deadline = time.monotonic() + 30
        while (status := get(port, f"/tin-tuc/{year}/bai-duyet-ngay/"))[0] != 200:
            assert time.monotonic() < deadline, "the dropped document never appeared"
            time.sleep(0.2)
        page = BeautifulSoup(status[1], "lxml")
        assert page.find("h1").get_text(strip=True) == "Bài duyệt ngay"
        assert page.find("p", string="Nội dung từ Word.")
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert "Đã nhập duyet.docx" in err and "Traceback" not in err


def test_word_files_waiting_in_the_drop_folder_are_never_published(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước"), "nhap-word/ban-thao.docx": b"PK\x03\x04 a Word draft",
                      "nhap-word/_da-nhap/cu.docx": b"PK\x03\x04 an imported one"})
    site.build()
    assert not (site.output / "nhap-word").exists()
    assert (site.output / "tin-tuc" / "2023" / "nuoc" / "index.html").is_file()
