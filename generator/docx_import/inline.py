"""A Word paragraph's content as spans: text with bold/italic/link, line breaks, footnote marks, images.

Everything in a paragraph that is not text (text boxes, comments, tracked changes, embedded objects,
equations, images linked from the internet) becomes a note in the reading's report instead of vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.opc.part import Part

from generator.docx_import import legacy
from generator.docx_import.report import Note
from generator.docx_import.styles import StyleSheet, flag, font_of

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
WEB_IMAGES = {"png", "jpg", "jpeg", "gif", "webp", "svg", "bmp"}


def tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


W = {name: tag("w", name) for name in (
    "r", "t", "tab", "br", "cr", "drawing", "pict", "object", "footnoteReference", "endnoteReference",
    "commentReference", "hyperlink", "ins", "del", "moveTo", "moveFrom", "fldSimple", "smartTag", "customXml",
    "sdt", "sdtContent", "commentRangeStart", "rPr", "rStyle", "noBreakHyphen", "txbxContent", "pPr", "pStyle",
    "delText", "p", "id", "anchor", "val")}
ALTERNATE = tag("mc", "AlternateContent")
R_ID, R_EMBED, R_LINK = tag("r", "id"), tag("r", "embed"), tag("r", "link")


@dataclass(frozen=True)
class Span:
    # "text", "break", "footnote" (target: the note's key), "image" (target: index in images); while a
    # paragraph is read, a text span's target names the legacy encoding its text was converted from
    kind: str
    text: str = ""
    bold: bool = False
    italic: bool = False
    href: str | None = None
    target: str = ""


@dataclass(frozen=True)
class Image:
    data: bytes
    extension: str
    alt: str


@dataclass
class Reading:
    """What reading one document collects as it goes; `blocks` turns it into the article's parts."""

    document: Document
    sheet: StyleSheet
    images: list[Image] = field(default_factory=list)
    image_index: dict[str, int] = field(default_factory=dict)  # image part name → index, one file per image
    notes: list[Note] = field(default_factory=list)
    converted: list[Note] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # comment id → its text, for the report
    seen_comments: set[str | None] = field(default_factory=set)
    paragraph: int = 0  # number of the paragraph being read

    def note(self, message: str, hint: str = "") -> None:
        self.notes.append(Note(self.paragraph or None, message, hint))


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    href: str | None = None
    font: str | None = None


def paragraph_spans(p, reading: Reading, part: Part) -> list[Span]:
    """The spans of a w:p element; `part` resolves its relationship ids (document, footnotes…)."""
    style_id = _value(p.find(f"{W['pPr']}/{W['pStyle']}"))
    base = Format(font=reading.sheet.first(style_id, "font") or reading.sheet.default_font)
    spans: list[Span] = []
    for child in p:
        _content(child, base, reading, part, spans)
    return _repair_legacy(spans, reading)


def plain_text(spans: list[Span]) -> str:
    return "".join(s.text if s.kind == "text" else " " if s.kind == "break" else "" for s in spans).strip()


def _content(element, fmt: Format, reading: Reading, part: Part, spans: list[Span]) -> None:
    name = element.tag
    if not isinstance(name, str):
        return  # an XML comment or processing instruction: nothing Word shows
    if name == W["r"]:
        _run(element, fmt, reading, part, spans)
    elif name == W["hyperlink"]:
        href = _link_target(element, part)
        for child in element:
            _content(child, Format(fmt.bold, fmt.italic, href, fmt.font), reading, part, spans)
    elif name in (W["ins"], W["moveTo"]):
        reading.note(f"sửa đổi chưa chấp nhận (thêm): “{_excerpt(_text_of(element))}”; bài lấy bản đã sửa",
                     "kiểm tra lại đoạn này, hoặc trong Word chọn Xem lại → Chấp nhận tất cả rồi nhập lại")
        for child in element:
            _content(child, fmt, reading, part, spans)
    elif name in (W["del"], W["moveFrom"]):
        reading.note(f"sửa đổi chưa chấp nhận (xóa): “{_excerpt(_text_of(element, W['delText']))}” không đưa vào bài",
                     "kiểm tra lại đoạn này, hoặc trong Word chọn Xem lại → Chấp nhận tất cả rồi nhập lại")
    elif name == W["commentRangeStart"]:
        _comment(element.get(W["id"]), reading)
    elif name in (W["fldSimple"], W["smartTag"], W["customXml"], W["sdt"], W["sdtContent"]):
        for child in element:
            _content(child, fmt, reading, part, spans)
    elif name.startswith(f"{{{NS['m']}}}"):
        reading.note("công thức toán (Equation) không chuyển được", "gõ lại công thức thành chữ, hoặc chụp thành ảnh")


def _run(r, fmt: Format, reading: Reading, part: Part, spans: list[Span]) -> None:
    rpr = r.find(W["rPr"])
    char_style = _value(rpr.find(W["rStyle"])) if rpr is not None else None
    sheet = reading.sheet
    bold = _pick(flag(rpr, "w:b"), sheet.first(char_style, "bold"), fmt.bold)
    italic = _pick(flag(rpr, "w:i"), sheet.first(char_style, "italic"), fmt.italic)
    font = font_of(rpr) or sheet.first(char_style, "font") or fmt.font
    text: list[str] = []

    def flush() -> None:
        if text:
            converted, encoding = legacy.convert_run("".join(text), font)
            spans.append(Span("text", converted, bold, italic, fmt.href, encoding or ""))
            text.clear()

    for child in r:
        name = child.tag
        if name == W["t"]:
            text.append((child.text or "").replace("\n", " "))  # one span, one line: see _repair_legacy
        elif name == W["tab"]:
            text.append(" ")
        elif name == W["noBreakHyphen"]:
            text.append("-")
        elif name in (W["br"], W["cr"]):
            if child.get(tag("w", "type")) not in ("page", "column"):
                flush()
                spans.append(Span("break"))
        elif name in (W["footnoteReference"], W["endnoteReference"]):
            flush()
            kind = "footnote" if name == W["footnoteReference"] else "endnote"
            spans.append(Span("footnote", target=f"{kind}:{child.get(W['id'])}"))
        elif name == W["commentReference"]:
            _comment(child.get(W["id"]), reading)
        elif name in (W["drawing"], W["pict"], ALTERNATE, W["object"]):
            flush()
            _graphic(child, reading, part, spans)
    flush()


def _pick(*values: bool | None) -> bool:
    return next((value for value in values if value is not None), False)


def _value(element) -> str | None:
    return element.get(W["val"]) if element is not None else None


def _link_target(element, part: Part) -> str | None:
    rel_id = element.get(R_ID)
    if rel_id and rel_id in part.rels and part.rels[rel_id].is_external:
        return part.rels[rel_id].target_ref
    return None  # a link to a bookmark inside the document has no page to point to: its text is kept


def _comment(comment_id: str | None, reading: Reading) -> None:
    if comment_id in reading.seen_comments:
        return  # the range start and the reference name the same comment
    reading.seen_comments.add(comment_id)
    said = reading.comments.get(comment_id or "", "")
    reading.note(f"ghi chú (comment) của người duyệt không đưa vào bài: “{_excerpt(said)}”",
                 "nếu ghi chú yêu cầu sửa, sửa trong bài .md")


def _graphic(element, reading: Reading, part: Part, spans: list[Span]) -> None:
    if element.tag == W["object"]:
        reading.note("đối tượng nhúng (bảng Excel, tệp đính kèm…) không chuyển được",
                     "chụp lại thành ảnh rồi chèn vào bài, hoặc chép số liệu thành bảng")
        return  # its picture is only a preview of the object
    if element.tag == ALTERNATE:
        choice = element.find(tag("mc", "Choice"))
        element = choice if choice is not None else element
    boxes = list(element.iter(W["txbxContent"]))
    for box in boxes:
        reading.note(f"hộp văn bản (text box) không chuyển được: “{_excerpt(_text_of(box))}”",
                     "chép nội dung hộp văn bản vào bài nếu cần")
    blips = list(element.iter(tag("a", "blip"), tag("v", "imagedata")))
    for blip in blips:
        _image(blip, element, reading, part, spans)
    if not blips and not boxes:
        reading.note("hình vẽ, biểu đồ hoặc SmartArt không chuyển được",
                     "lưu thành ảnh (chuột phải → Lưu thành ảnh) và chèn ảnh vào bài")


def _image(blip, graphic, reading: Reading, part: Part, spans: list[Span]) -> None:
    alt = _alt_text(graphic, blip)
    linked = blip.get(R_LINK)
    rel_id = blip.get(R_EMBED) or blip.get(R_ID)
    if linked and not rel_id:
        url = part.rels[linked].target_ref if linked in part.rels else linked
        reading.note(f"ảnh liên kết từ Internet không tải về: {url}",
                     "tải ảnh về máy, chèn vào Word (Chèn → Ảnh → Thiết bị này) rồi nhập lại")
        return
    if not rel_id or rel_id not in part.rels or part.rels[rel_id].is_external:
        reading.note("ảnh không có dữ liệu trong tệp Word, bỏ qua", "chèn lại ảnh vào Word rồi nhập lại")
        return
    image_part = part.rels[rel_id].target_part
    extension = image_part.partname.ext.lower()
    if extension not in WEB_IMAGES:
        reading.note(f"ảnh dạng {extension.upper()} không hiển thị được trên web, bỏ qua",
                     "mở ảnh trong Word, chuột phải → Lưu thành ảnh (PNG) rồi chèn ảnh PNG vào bài")
        return
    key = str(image_part.partname)
    if key not in reading.image_index:
        reading.image_index[key] = len(reading.images)
        reading.images.append(Image(image_part.blob, "jpg" if extension == "jpeg" else extension, alt))
    spans.append(Span("image", text=alt, target=str(reading.image_index[key])))


def _alt_text(graphic, blip) -> str:
    for properties in graphic.iter(tag("wp", "docPr")):
        return " ".join((properties.get("descr") or properties.get("title") or "").split())
    for shape in graphic.iter(tag("v", "shape")):
        return " ".join((shape.get("alt") or "").split())
    return ""


def _text_of(element, text_tag: str = W["t"]) -> str:
    return "".join(t.text or "" for t in element.iter(text_tag))


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _repair_legacy(spans: list[Span], reading: Reading) -> list[Span]:
    """Record the paragraph's conversions; legacy text in a Unicode font is repaired by content."""
    encodings = {s.target for s in spans if s.kind == "text" and s.target}
    plain = [i for i, s in enumerate(spans) if s.kind == "text" and not s.target]
    text, found = legacy.repair_paragraph("\n".join(spans[i].text for i in plain))
    if found:
        encodings.add(found)
        for i, repaired in zip(plain, text.split("\n"), strict=True):
            spans[i] = Span("text", repaired, spans[i].bold, spans[i].italic, spans[i].href)
    if encodings:
        shown = " và ".join(sorted(encodings))
        reading.converted.append(Note(reading.paragraph or None,
                                      f"chữ mã {shown} đã chuyển sang Unicode: “{_excerpt(plain_text(spans))}”",
                                      "đọc lại đoạn này cho chắc"))
    return [Span(s.kind, s.text, s.bold, s.italic, s.href, "" if s.kind == "text" else s.target) for s in spans]
