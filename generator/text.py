"""Vietnamese text: Unicode normalisation, slugs, and Vietnamese date forms.

One slug function and one date formatter for the whole generator, so a title
always gives the same URL and a date always reads the same way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def nfc(text: str) -> str:
    """Compose text to NFC: macOS and some editors save decomposed (NFD) Vietnamese."""
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Remove every Vietnamese diacritic, keeping the base letters (đ → d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: 'Giờ Trái đất 2023' → 'gio-trai-dat-2023'."""
    ascii_text = strip_marks(nfc(text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def date_long(value: date | datetime) -> str:
    """'Thứ Bảy, 25/03/2023', the form Vietnamese news sites print under a title."""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


def date_admin(value: date | datetime) -> str:
    """'ngày 21 tháng 3 năm 2023', the form of administrative documents."""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"
