"""Opening a Word file safely: what kind of file it is, refusing what must not be read, then python-docx.

python-docx reads .docx; it was chosen over mammoth because the import needs what mammoth hides: each
run's font (TCVN3 and VNI text is recognised by it), the XML of text boxes, comments and tracked changes
(to report them), and the numbering definitions. Everything refused here is refused before any part is
inflated: a zip bomb by the sizes its directory declares, a password-protected file by its OLE stream names.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from lxml import etree

from generator.docx_import.report import ImportFailed
from generator.problems import Problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97 files, and Office's encrypted packages
MAX_INFLATED = 256 * 1024 * 1024  # all parts together; phone photos are a few MB each
MAX_RATIO = 400  # Word XML stays well under 1:100; a deflate bomb reaches 1:1000
MAX_PARTS = 5000
MAX_XML = 64 * 1024 * 1024  # python-docx holds each XML part as a tree, many times its size
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONVERTED_BY_LIBREOFFICE = {".doc", ".odt", ".rtf"}
SAVE_AS_HINT = ("mở tệp trong Word hoặc LibreOffice, chọn Lưu thành (Save As) → Word Document (*.docx), "
                "rồi nhập tệp .docx")


def open_document(path: Path) -> Document:
    """The document python-docx reads from `path`, or ImportFailed saying why not and what to do."""
    try:
        head = path.read_bytes()[:8] if path.is_file() else b""
    except OSError as error:
        raise _failed(path, f"không đọc được tệp: {error.strerror}", "kiểm tra tên và quyền đọc tệp") from None
    if not path.is_file():
        raise _failed(path, "không có tệp này", "kiểm tra tên tệp và thư mục")
    if path.stat().st_size > MAX_INFLATED:
        raise _failed(path, f"tệp quá lớn ({path.stat().st_size // (1024 * 1024)} MB) cho một bài viết",
                      "mở trong Word, nén ảnh (Tệp → Nén ảnh) và lưu lại")
    if head.startswith(OLE_MAGIC):
        return _open_ole(path)
    if path.suffix.lower() in CONVERTED_BY_LIBREOFFICE:
        return _open_docx(_libreoffice(path), path)
    if not head.startswith(b"PK"):
        raise _failed(path, "không phải tệp Word (.docx)", SAVE_AS_HINT)
    return _open_docx(path.read_bytes(), path)


def _failed(path: Path, message: str, hint: str) -> ImportFailed:
    return ImportFailed([Problem(path.as_posix(), None, message, hint)])


def _open_ole(path: Path) -> Document:
    """Word 97 (.doc) and password-protected .docx share the OLE container; the stream names tell them apart."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _failed(path, "tệp Word có mật khẩu, chương trình không mở được",
                      "mở trong Word, vào Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu, "
                      "lưu lại rồi nhập")
    return _open_docx(_libreoffice(path), path)


def _libreoffice(path: Path) -> bytes:
    """A .doc/.odt converted to .docx by LibreOffice, in a temporary folder (the user's files untouched)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise _failed(path, f"tệp {path.suffix or 'Word 97'} cần LibreOffice để chuyển, máy này chưa cài", SAVE_AS_HINT)
    with tempfile.TemporaryDirectory(prefix="awareness-import-") as folder:
        # A private profile: a LibreOffice the user has open would otherwise take the job and exit at once.
        profile = Path(folder, "profile").as_uri()
        try:
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                            "--outdir", folder, str(path.resolve())],
                           capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            raise _failed(path, "LibreOffice chuyển tệp quá lâu (hơn 3 phút)", SAVE_AS_HINT) from None
        converted = Path(folder, path.stem + ".docx")
        if not converted.is_file():
            raise _failed(path, "LibreOffice không chuyển được tệp này (tệp hỏng hoặc không phải văn bản)",
                          SAVE_AS_HINT)
        return converted.read_bytes()


def _open_docx(data: bytes, path: Path) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _refuse_bombs(archive, path)
        content_types = archive.read("[Content_Types].xml")
        if b"word/document.xml" not in content_types and "word/document.xml" not in archive.namelist():
            raise _failed(path, "tệp nén này không phải văn bản Word (không có word/document.xml)", SAVE_AS_HINT)
        if MACRO_TYPE.encode() in content_types:
            data = _without_macros(archive)
        return docx.Document(io.BytesIO(data))
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, KeyError, EOFError, ValueError, etree.XMLSyntaxError, zipfile.LargeZipFile,
            NotImplementedError, OSError):
        raise _failed(path, "tệp Word bị hỏng hoặc chưa chép hết",
                      "mở tệp trong Word: nếu Word sửa được, lưu lại thành tệp mới rồi nhập; "
                      "nếu tệp tải về hoặc chép từ USB, chép lại") from None


def _refuse_bombs(archive: zipfile.ZipFile, path: Path) -> None:
    """Judge the sizes the zip directory declares, before inflating anything; python-docx reads every part."""
    entries = archive.infolist()
    inflated = sum(entry.file_size for entry in entries)
    suspicious = [e for e in entries if e.file_size > 1024 * 1024 and e.file_size > MAX_RATIO * max(e.compress_size, 1)
                  or e.filename.endswith(".xml") and e.file_size > MAX_XML]
    if len(entries) > MAX_PARTS or inflated > MAX_INFLATED or suspicious:
        raise _failed(path, f"tệp Word bung ra quá lớn ({inflated // (1024 * 1024)} MB trong {len(entries)} phần), "
                            "có thể là tệp độc hại; không mở",
                      "nếu tệp đúng là văn bản của cơ quan, mở trong Word, nén ảnh (Tệp → Nén ảnh) và lưu lại")


def _without_macros(archive: zipfile.ZipFile) -> bytes:
    """A .docm as a plain .docx: the macro parts are left out unread, and nothing refers to them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as plain:
        for entry in archive.infolist():
            name = entry.filename
            if "vbaproject" in name.lower() or "vbadata" in name.lower():
                continue
            data = archive.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(MACRO_TYPE.encode(), DOCX_TYPE.encode())
            elif name.endswith(".rels"):
                data = _drop_macro_relationships(data)
            plain.writestr(entry, data)
    return out.getvalue()


def _drop_macro_relationships(data: bytes) -> bytes:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for relationship in list(root):
        if "vba" in relationship.get("Target", "").lower():
            root.remove(relationship)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
