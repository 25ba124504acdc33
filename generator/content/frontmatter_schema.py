"""What each front-matter key may hold, and the checks that turn raw YAML into typed values.

Kept apart from the reader so the rules an author must follow can be read in one place
(the README's front-matter reference mirrors this table).
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from generator.vietnamese.text import TZ, parse_vn_date, slug_fits


class FieldError(ValueError):
    """A value of the wrong kind; the message says what was expected, in Vietnamese."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint  # when set, says more than the field's example can


# C0/C1 control characters (other than tab and newline) come from pasting out of word processors;
# they are invisible in an editor and make the Atom feed invalid XML, so they are refused.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TAG = 100  # characters; a tag is a few words
# Zero-width and bidirectional controls: invisible, and U+202E or U+2066-2069 make a title read
# differently from what it holds ("Trojan Source"). Warned about in text, refused in slugs and ids.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the campaigns' plausible span; outside it a year is a typo
SHORT = reprlib.Repr()  # a value quoted in a message stays short, however deep YAML aliases nest it
SHORT.maxlevel, SHORT.maxlist, SHORT.maxdict, SHORT.maxstring, SHORT.maxother = 1, 4, 4, 60, 60


def as_text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return _printable(value.strip())
    raise FieldError(f"cần một chuỗi chữ, nhận được {describe(value)}")


def as_optional_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _printable(value.strip())
    raise FieldError(f"cần một chuỗi chữ, nhận được {describe(value)}")


def _printable(text: str) -> str:
    found = CONTROL.search(text)
    if found:
        raise FieldError(f"chứa ký tự điều khiển vô hình U+{ord(found.group()):04X} (thường do dán từ Word)",
                         "gõ lại giá trị này bằng bàn phím thay vì dán")
    return text


def invisible(value: Any) -> str | None:
    """The first zero-width or bidirectional control in a text (or list of texts), as U+XXXX."""
    for text in value if isinstance(value, (list, tuple)) else [value]:
        found = INVISIBLE.search(text) if isinstance(text, str) else None
        if found:
            return f"U+{ord(found.group()):04X}"
    return None


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(f"cần true hoặc false, nhận được {describe(value)}")


def as_year(value: Any) -> int:
    year = as_int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FieldError(f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    return year


def as_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise FieldError(f"cần một số nguyên, nhận được {describe(value)}")


def as_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FieldError(f"cần một danh sách, nhận được {describe(value)}")
    tags = []
    for item in value:
        if not isinstance(item, (str, int)) or not str(item).strip():
            raise FieldError(f"mỗi thẻ phải là một chuỗi chữ, nhận được {describe(item)}")
        if len(str(item)) > MAX_TAG or not slug_fits(str(item)):  # each tag names a page's address
            raise FieldError(f"thẻ {SHORT.repr(str(item))} dài {len(str(item))} ký tự, quá giới hạn {MAX_TAG}",
                             "thẻ là vài từ ngắn, ví dụ tags: [tài nguyên nước, tiết kiệm năng lượng]")
        tags.append(str(item).strip())
    return tuple(dict.fromkeys(tags))  # keep the author's order, drop repeats


def as_moment(value: Any) -> datetime:
    """A date or date-time in the author's time zone (Asia/Ho_Chi_Minh)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, date):
        return datetime.combine(value, time(0), TZ)
    if isinstance(value, str):
        text = value.strip()
        day_part, _, time_part = text.partition(" ")
        try:
            day = parse_vn_date(day_part)
        except ValueError as error:
            raise FieldError(f"ngày không hợp lệ: {text!r} ({error}); viết 2023-03-25 hoặc 25/03/2023") from None
        at = time(0)
        if time_part:
            try:
                at = time.fromisoformat(time_part.strip())
            except ValueError:
                raise FieldError(f"giờ không hợp lệ: {time_part!r}; viết dạng 08:30") from None
        return datetime.combine(day, at, TZ)
    raise FieldError(f"cần một ngày (2023-03-25 hoặc 25/03/2023), nhận được {describe(value)}")


def describe(value: Any) -> str:
    kinds = {bool: "giá trị đúng/sai", int: "một số", float: "một số", list: "một danh sách", dict: "một bảng khóa"}
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, str):
        return f"chuỗi {SHORT.repr(value)}"
    return f"{kinds.get(type(value), type(value).__name__)} ({SHORT.repr(value)})"


@dataclass(frozen=True)
class Field:
    convert: Callable[[Any], Any]
    required: bool = False
    example: str = ""  # a correct value, shown in the hint when the author's value is refused

    def hint(self, key: str) -> str:
        return f"viết ví dụ: {key}: {self.example}" if self.example else ""


ARTICLE_FIELDS: dict[str, Field] = {
    "title": Field(as_text, required=True, example='"Hưởng ứng Giờ Trái đất năm 2023"'),
    "date": Field(as_moment, required=True, example="2023-03-25 (hoặc 25/03/2023)"),
    "campaign": Field(as_text, required=True, example="gio-trai-dat"),
    "department": Field(as_text, required=True, example="phong-quan-ly-nang-luong"),
    "year": Field(as_year, example="2023"),
    "theme": Field(as_optional_text, example='"Thúc đẩy sự thay đổi"'),
    "summary": Field(as_optional_text, example='"Một hai câu tóm tắt bài."'),
    "tags": Field(as_tags, example="[tài nguyên nước, tiết kiệm năng lượng]"),
    "cover": Field(as_optional_text, example="anh/gio-trai-dat-2023.svg"),
    "cover_alt": Field(as_optional_text, example='"Mô tả ngắn nội dung ảnh"'),
    "draft": Field(as_bool, example="true (bản nháp) hoặc false"),
    "slug": Field(as_optional_text, example="gio-trai-dat-2023"),
    "updated": Field(as_moment, example="2023-03-28"),
    "plan_task": Field(as_optional_text, example="1.1-nuoc"),
    "toc": Field(as_bool, example="true (có mục lục) hoặc false (không có)"),
}

PAGE_FIELDS: dict[str, Field] = {
    "title": Field(as_text, required=True, example='"Giới thiệu"'),
    "summary": Field(as_optional_text, example='"Một câu giới thiệu trang."'),
    "slug": Field(as_optional_text, example="gioi-thieu"),
    "menu": Field(as_bool, example="true"),
    "order": Field(as_int, example="2"),
}


def suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"có phải ý bạn là '{close[0]}'?" if close else "các khóa hợp lệ: " + ", ".join(known)
