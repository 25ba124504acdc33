"""What Word's style sheet and numbering definitions say, read once per document from its XML.

A run's font, boldness and a paragraph's list level are often not on the run or paragraph but inherited
from a style (a whole document typed in a "Normal" style set to .VnTime), so they are looked up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn

OFF = {"0", "false", "off", "none"}


@dataclass(frozen=True)
class Style:
    name: str
    based_on: str | None
    font: str | None
    bold: bool | None
    italic: bool | None
    num_id: str | None
    level: int | None


@dataclass(frozen=True)
class StyleSheet:
    styles: dict[str, Style]
    default_font: str | None
    numbered: dict[tuple[str, int], bool]  # (numId, level) → True for 1. 2. 3., False for bullets

    def chain(self, style_id: str | None):
        """The style and those it is based on, nearest first."""
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id].based_on

    def first(self, style_id: str | None, attribute: str):
        return next((v for s in self.chain(style_id) if (v := getattr(s, attribute)) is not None), None)


def read_styles(document: Document) -> StyleSheet:
    root = document.styles.element
    styles = {el.get(qn("w:styleId")): _style(el) for el in root.iterchildren(qn("w:style"))}
    defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return StyleSheet(styles, font_of(defaults), _numbering(document))


def _style(element) -> Style:
    name = element.find(qn("w:name"))
    based = element.find(qn("w:basedOn"))
    rpr = element.find(qn("w:rPr"))
    num = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    num_id, level = numbering_of(num)
    return Style(name.get(qn("w:val")) if name is not None else "",
                 based.get(qn("w:val")) if based is not None else None,
                 font_of(rpr), flag(rpr, "w:b"), flag(rpr, "w:i"), num_id, level)


def font_of(rpr) -> str | None:
    """The font Word draws Latin text with: ascii, else hAnsi (legacy fonts sit in either)."""
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))


def flag(rpr, tag: str) -> bool | None:
    element = rpr.find(qn(tag)) if rpr is not None else None
    if element is None:
        return None
    return element.get(qn("w:val"), "true").lower() not in OFF


def numbering_of(num_pr) -> tuple[str | None, int | None]:
    if num_pr is None:
        return None, None
    num_id, level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (num_id.get(qn("w:val")) if num_id is not None else None,
            int(level.get(qn("w:val"), "0")) if level is not None else None)


def _numbering(document: Document) -> dict[tuple[str, int], bool]:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {}
    for definition in root.iterchildren(qn("w:abstractNum")):
        levels = {}
        for lvl in definition.iterchildren(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = fmt is None or fmt.get(qn("w:val")) != "bullet"
        abstract[definition.get(qn("w:abstractNumId"))] = levels
    numbered = {}
    for num in root.iterchildren(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        for level, is_numbered in abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}).items():
            numbered[(num.get(qn("w:numId")), level)] = is_numbered
    return numbered
