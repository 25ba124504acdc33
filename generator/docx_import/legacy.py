"""Legacy Vietnamese inside Word: text in TCVN3 (.VnTime…) or VNI (VNI-Times…) fonts becomes Unicode NFC.

A .docx made from an old document still holds, in such runs, the cp1252 characters of the legacy bytes
("Ngµy N­íc"): the font drew them as Vietnamese. The run's font names the encoding; text in other fonts
is checked by content with the build's own detector. The tables are generator.vietnamese.legacy_encodings'.
"""

from __future__ import annotations

from generator.vietnamese.legacy_encodings import TCVN3, VNI
from generator.vietnamese.text import convert_legacy, detect_mojibake, nfc, repair_mojibake


def font_encoding(font: str | None) -> str | None:
    """TCVN3 for the ABC fonts (.VnTime, .VnArialH…), VNI for VNI-Times and its family, else None."""
    name = (font or "").strip().lower()
    if name.startswith(".vn"):
        return TCVN3
    if name.startswith("vni"):
        return VNI
    return None


def capitals_font(font: str | None) -> bool:
    """.VnTimeH, .VnArialH…: the all-capitals ABC fonts draw lowercase codes as capitals."""
    name = (font or "").strip()
    return name.lower().startswith(".vn") and name.endswith("H")


def convert_run(text: str, font: str | None) -> tuple[str, str | None]:
    """The run's text as Unicode, and the encoding it was in (None when it was not legacy)."""
    encoding = font_encoding(font)
    if not encoding or not _legacy_characters(text) or text.isascii() and encoding == TCVN3:
        return text, None
    converted = convert_legacy(text, encoding)
    if converted == nfc(text):
        return text, None
    return (converted.upper() if capitals_font(font) else converted), encoding


def repair_paragraph(text: str) -> tuple[str, str | None]:
    """Legacy text left in a Unicode font (pasted without its font): repaired when the detector is sure."""
    found = detect_mojibake(text)
    if not found:
        return text, None
    return repair_mojibake(text, found[0]), found[0]


def _legacy_characters(text: str) -> bool:
    """Only cp1252 characters can be legacy bytes: a run typed in Unicode under an old font is left alone."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
