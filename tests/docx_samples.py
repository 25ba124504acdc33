"""Word documents for the import tests, made with python-docx, plus the few pieces of XML it cannot write
(footnotes, text boxes, tracked changes, linked images), inserted through its public element API."""

from __future__ import annotations

import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm

from generator.docx_import.inline import NS
from generator.vietnamese.legacy_encodings import encode_legacy

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def png(width: int = 4, height: int = 3, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG of one colour: python-docx reads its size, the build reads its header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def legacy_text(text: str, encoding: str) -> str:
    """Vietnamese as a .VnTime/VNI-Times run holds it inside a .docx: the legacy bytes read as cp1252."""
    return encode_legacy(text, encoding).decode("cp1252")


def picture(document, data: bytes, alt: str = "", width_cm: float = 4):
    document.add_picture(BytesIO(data), width=Cm(width_cm))
    if alt:
        inline = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
        inline.set("descr", alt)


def add_footnotes(document, texts: dict[int, str]) -> None:
    """A footnotes part (python-docx has no API for it) holding `texts` by id."""
    notes = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:footnote>'
                    for i, t in texts.items())
    xml = (f'<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
           f'</w:p></w:footnote>{notes}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def footnote_reference(paragraph, note_id: int) -> None:
    paragraph._p.append(parse_xml(f'<w:r {W_NS}><w:footnoteReference w:id="{note_id}"/></w:r>'))


def append_xml(paragraph, xml: str) -> None:
    """Append Word XML (w:, r:, a:, wp:, v:, mc: prefixes) to a paragraph, its namespaces declared for it."""
    paragraph._p.append(parse_xml(re.sub(r"^<([\w:]+)", rf"<\1 {NAMESPACES}", xml, count=1)))


def hyperlink(paragraph, text: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(f'<w:hyperlink {W_NS} xmlns:r="http://schemas.openxmlformats.org/'
                                  f'officeDocument/2006/relationships" r:id="{rel}"><w:r><w:t>{text}</w:t></w:r>'
                                  f'</w:hyperlink>'))


def save(document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def new_document():
    return docx.Document()
