"""`awareness fix-encoding`: real Vietnamese sentences saved in TCVN3, VNI and Windows-1258, or pasted
from such documents into UTF-8, come back as UTF-8 NFC; the original is kept; exit codes 0/1/2.
"""

from __future__ import annotations

import unicodedata

import pytest

from generator.vietnamese.fix_encoding import CLEAN, FAILED, FIXED, backup_path, fix_file
from generator.vietnamese.text import detect_mojibake, encode_legacy, repair_mojibake
from tests.conftest import SiteDir, article

ARTICLE = """\
---
title: "Hưởng ứng Ngày Nước thế giới năm 2023"
summary: "Sở Công Thương tỉnh Bình Thuận kêu gọi tiết kiệm nước."
---
Chủ đề năm nay là “Thúc đẩy sự thay đổi”. Người dân Khánh Hòa, Thanh Hóa giữ gìn nguồn nước,
thuỷ lợi được quan tâm; mỗi hành động nhỏ đều góp phần bảo vệ môi trường.
"""
ENCODINGS = {"TCVN3": "TCVN3", "VNI": "VNI", "cp1258": "Windows-1258"}


def _legacy_article(encoding: str) -> tuple[str, bytes]:
    """The article as it should read, and its bytes in `encoding`."""
    text = ARTICLE
    if encoding == "TCVN3":  # TCVN3 has no toned capitals (ABC users switched to an all-caps font)
        for word in ("Người", "Ngày", "Hưởng", "Chủ", "Sở", "Hòa", "Hóa", "Bình", "Thuận", "Thúc"):
            text = text.replace(word, word.lower())
    return text, encode_legacy(text, encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_legacy_file_becomes_utf8_nfc_with_a_backup(tmp_path, encoding: str) -> None:
    path = tmp_path / "bai.md"
    expected, original = _legacy_article(encoding)
    path.write_bytes(original)
    result = fix_file(path)
    assert (result.status, result.encoding) == (FIXED, ENCODINGS[encoding])
    fixed = path.read_bytes().decode("utf-8")
    assert fixed == expected and unicodedata.is_normalized("NFC", fixed)
    assert result.backup == tmp_path / "bai.md.bak" and result.backup.read_bytes() == original
    assert "bản gốc lưu ở bai.md.bak" in result.message


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_pasted_mojibake_is_repaired_and_correct_lines_kept(tmp_path, encoding: str) -> None:
    pasted = "mỗi giọt nước đều quý, người dân tiết kiệm điện và nước sạch"
    mojibake = encode_legacy(pasted, encoding).decode("cp1252")
    path = tmp_path / "bai.md"
    path.write_text(f"---\ntitle: \"Ngày Nước thế giới\"\n---\nKhánh Hòa\n{mojibake}\n", encoding="utf-8")
    result = fix_file(path)
    assert (result.status, result.encoding) == (FIXED, encoding)
    assert path.read_text(encoding="utf-8") == f"---\ntitle: \"Ngày Nước thế giới\"\n---\nKhánh Hòa\n{pasted}\n"
    assert detect_mojibake(path.read_text(encoding="utf-8")) is None


def test_mixed_line_keeps_its_unicode_words() -> None:
    line = "Người dân Khánh Hòa: " + encode_legacy("ngày nước thế giới", "TCVN3").decode("cp1252")
    assert repair_mojibake(line, "TCVN3") == "Người dân Khánh Hòa: ngày nước thế giới"


def test_clean_utf8_is_left_alone(tmp_path) -> None:
    path = tmp_path / "bai.md"
    path.write_text(ARTICLE, encoding="utf-8")
    result = fix_file(path)
    assert result.status == CLEAN and "không cần sửa" in result.message
    assert path.read_text(encoding="utf-8") == ARTICLE
    assert list(tmp_path.iterdir()) == [path] and backup_path(path) == tmp_path / "bai.md.bak"


def test_an_earlier_backup_is_never_overwritten(tmp_path) -> None:
    path = tmp_path / "bai.md"
    (tmp_path / "bai.md.bak").write_bytes(b"earlier")
    path.write_bytes(_legacy_article("VNI")[1])
    result = fix_file(path)
    assert result.backup == tmp_path / "bai.md.2.bak"
    assert (tmp_path / "bai.md.bak").read_bytes() == b"earlier"


def test_binary_file_is_refused(tmp_path) -> None:
    path = tmp_path / "anh.md"
    path.write_bytes(b"\x89PNG\r\n\x00\x00")
    assert fix_file(path).status == FAILED
    assert path.read_bytes() == b"\x89PNG\r\n\x00\x00"


def test_build_names_the_command_and_then_accepts_the_fixed_file(make_site) -> None:
    site: SiteDir = make_site({"bai-viet/a.md": article("Ngày Nước", body="Xin chào.\n").encode("utf-8")  # lines 1-7
                               + encode_legacy("Người dân Khánh Hòa tiết kiệm nước.\n", "cp1258")})
    failed = site.cli("build")
    assert failed.returncode == 1
    assert "content/bai-viet/a.md:8: tệp không phải UTF-8; có vẻ mã hóa Windows-1258" in failed.stderr
    assert "awareness fix-encoding content/bai-viet/a.md" in failed.stderr
    fixed = site.cli("fix-encoding", "content/bai-viet/a.md")
    assert fixed.returncode == 0 and "đã chuyển từ Windows-1258" in fixed.stdout
    built = site.cli("build")
    assert built.returncode == 0, built.stderr
    assert "Người dân Khánh Hòa" in site.html("tin-tuc/2023/ngay-nuoc/").find("div", class_="article-body").text
    assert not (site.output / "bai-viet/a.md.bak").exists()  # the backup is not published


def test_cli_exit_codes(make_site) -> None:
    site: SiteDir = make_site({"bai-viet/a.md": article("Ngày Nước"), "anh.md": b"\x00\x01"})
    clean = site.cli("fix-encoding", "content/bai-viet/a.md")
    assert clean.returncode == 0 and "đã là UTF-8 chuẩn" in clean.stdout
    assert site.cli("fix-encoding", "content/anh.md").returncode == 1
    assert site.cli("fix-encoding").returncode == 2
    assert site.cli("fix-encoding", "content/khong-co.md").returncode == 2
    assert site.cli("fix-encoding", "--encoding", "koi8", "content/bai-viet/a.md").returncode == 2
