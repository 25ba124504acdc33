"""The document's body as blocks: title, headings, paragraphs, list items, tables; and its footnotes.

Also what lies outside the body and is not carried over (headers, footers, page numbers), as notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

from generator.docx_import.inline import Reading, Span, W, paragraph_spans, plain_text, tag
from generator.docx_import.styles import numbering_of, read_styles

HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)
WRAPPERS = (W["sdt"], W["sdtContent"], W["customXml"])  # content controls and custom XML: their content shows
LIST_STYLE = re.compile(r"^list (bullet|number)(?: (\d))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "paragraph", "item", "table"
    spans: tuple[Span, ...] = ()
    level: int = 0  # heading 1–3 / list nesting from 0
    ordered: bool = False
    rows: tuple[tuple[Cell, ...], ...] = ()
    header_rows: int = 1


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[tuple[Span, ...], ...]
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Body:
    blocks: tuple[Block, ...]
    footnotes: dict[str, tuple[tuple[Span, ...], ...]]  # "footnote:2" → its paragraphs


def read_body(document: Document) -> tuple[Body, Reading]:
    reading = Reading(document, read_styles(document))
    reading.comments = _notes_text(document, RT.COMMENTS, "comment")
    blocks = list(_blocks(document.element.body, reading))
    footnotes = {}
    for kind, rel in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        footnotes.update(_footnotes(document, rel, kind, reading))
    _outside_body(document, reading)
    return Body(tuple(blocks), footnotes), reading


def _blocks(container, reading: Reading):
    for child in container:
        if child.tag == W["p"]:
            reading.paragraph += 1
            block = _paragraph(child, reading)
            if block:
                yield block
        elif child.tag == tag("w", "tbl"):
            yield _table(child, reading)
        elif child.tag in WRAPPERS:
            yield from _blocks(child, reading)
        elif child.tag == tag("w", "altChunk"):
            reading.note("nội dung nhúng từ tệp khác (altChunk) không chuyển được",
                         "chép nội dung vào Word rồi nhập lại")


def _paragraph(p, reading: Reading) -> Block | None:
    spans = tuple(paragraph_spans(p, reading, reading.document.part))
    if not any(s.kind == "image" or s.kind == "footnote" or s.text.strip() for s in spans):
        return None
    style_id = p.find(f"{W['pPr']}/{W['pStyle']}")
    style_id = style_id.get(W["val"]) if style_id is not None else None
    name = next((s.name for s in reading.sheet.chain(style_id)), "") if style_id else ""
    if name.lower() == "title":
        return Block("title", spans)
    if heading := HEADING.match(name):
        return Block("heading", spans, level=int(heading.group(1)))
    item = _list_item(p, style_id, name, reading)
    return Block("item", spans, level=item[1], ordered=item[0]) if item else Block("paragraph", spans)


def _list_item(p, style_id: str | None, name: str, reading: Reading) -> tuple[bool, int] | None:
    """(numbered?, level) for a list paragraph, from its own numbering, else its style's."""
    num_id, level = numbering_of(p.find(f"{W['pPr']}/{tag('w', 'numPr')}"))
    named = LIST_STYLE.match(name)
    num_id = num_id or reading.sheet.first(style_id, "num_id")
    if num_id in (None, "0") and not named:
        return None
    if level is None:
        level = int(named.group(2)) - 1 if named and named.group(2) else reading.sheet.first(style_id, "level") or 0
    numbered = reading.sheet.numbered.get((num_id or "", level))
    if numbered is None:
        numbered = bool(named and named.group(1).lower() == "number")
    return numbered, min(level, 5)


def _table(tbl, reading: Reading) -> Block:
    rows: list[list[Cell]] = []
    starts: dict[int, tuple[int, int]] = {}  # grid column → (row, cell index) of the merge it continues
    header_rows = 0
    for row_number, tr in enumerate(tbl.iterchildren(tag("w", "tr"))):
        if tr.find(f"{tag('w', 'trPr')}/{tag('w', 'tblHeader')}") is not None and header_rows == row_number:
            header_rows += 1
        row: list[Cell] = []
        column = 0
        for tc in tr.iterchildren(tag("w", "tc")):
            span = int(_property(tc, "gridSpan") or 1)
            merge = tc.find(f"{tag('w', 'tcPr')}/{tag('w', 'vMerge')}")
            if merge is not None and merge.get(W["val"], "continue") == "continue" and column in starts:
                r, i = starts[column]
                above = rows[r][i]
                rows[r][i] = Cell(above.paragraphs, above.colspan, above.rowspan + 1)
            else:
                starts[column] = (row_number, len(row))
                row.append(Cell(_cell_paragraphs(tc, reading), span))
            column += span
        rows.append(row)
    return Block("table", rows=tuple(tuple(r) for r in rows), header_rows=max(header_rows, 1))


def _unwrapped(container):
    """The children of a cell, with content controls and custom XML opened: what Word shows."""
    for child in container:
        if child.tag in WRAPPERS:
            yield from _unwrapped(child)
        else:
            yield child


def _property(tc, name: str) -> str | None:
    element = tc.find(f"{tag('w', 'tcPr')}/{tag('w', name)}")
    return element.get(W["val"]) if element is not None else None


def _cell_paragraphs(tc, reading: Reading) -> tuple[tuple[Span, ...], ...]:
    paragraphs = []
    for child in _unwrapped(tc):
        if child.tag == W["p"]:
            reading.paragraph += 1
            spans = tuple(paragraph_spans(child, reading, reading.document.part))
            if plain_text(list(spans)) or any(s.kind != "text" for s in spans):
                paragraphs.append(spans)
        elif child.tag == tag("w", "tbl"):
            reading.note("bảng lồng trong ô bảng không chuyển được", "tách bảng con ra ngoài bảng lớn")
    return tuple(paragraphs)


def _related(document: Document, reltype: str):
    return next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == reltype and not rel.is_external), None)


def _notes_text(document: Document, reltype: str, element: str) -> dict[str, str]:
    part = _related(document, reltype)
    if part is None:
        return {}
    root = parse_xml(part.blob)
    return {note.get(W["id"]): "".join(t.text or "" for t in note.iter(W["t"]))
            for note in root.iterchildren(tag("w", element))}


def _footnotes(document: Document, reltype: str, kind: str, reading: Reading):
    part = _related(document, reltype)
    if part is None:
        return {}
    notes = {}
    for note in parse_xml(part.blob).iterchildren(tag("w", kind)):
        if note.get(tag("w", "type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = [tuple(s for s in paragraph_spans(p, reading, part) if s.kind != "footnote")
                      for p in note.iterchildren(W["p"])]
        notes[f"{kind}:{note.get(W['id'])}"] = tuple(p for p in paragraphs if plain_text(list(p)))
    return notes


def _outside_body(document: Document, reading: Reading) -> None:
    """Headers and footers belong to the printed page: named in the report, once each."""
    seen: set[str] = set()
    reading.paragraph = 0
    for section in document.sections:
        for label, part in (("đầu trang", section.header), ("đầu trang", section.first_page_header),
                            ("đầu trang", section.even_page_header), ("chân trang", section.footer),
                            ("chân trang", section.first_page_footer), ("chân trang", section.even_page_footer)):
            if part.is_linked_to_previous:
                continue
            element = part.part.element
            text = " ".join("".join(t.text or "" for t in element.iter(W["t"])).split())
            instructions = " ".join(i.text or "" for i in element.iter(tag("w", "instrText")))
            instructions += " ".join(f.get(tag("w", "instr"), "") for f in element.iter(tag("w", "fldSimple")))
            if "PAGE" in instructions.upper() and "số trang" not in seen:
                seen.add("số trang")
                reading.note(f"số trang ở {label} không đưa lên trang web (trang web không chia trang)")
            if text and text not in seen and not text.replace(" ", "").isdigit():  # digits: the page number
                seen.add(text)
                reading.note(f"{label} không đưa vào bài: “{text[:60]}”", "nếu cần, chép nội dung vào bài")

