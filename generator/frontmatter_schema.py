"""What each front-matter key may hold, and the checks that turn raw YAML into typed values.

Kept apart from the reader so the rules an author must follow can be read in one place
(the README's front-matter reference mirrors this table).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Callable

from generator.text import TZ, parse_vn_date


class FieldError(ValueError):
    """A value of the wrong kind; the message says what was expected, in Vietnamese."""


def as_text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise FieldError(f"cần một chuỗi chữ, nhận được {describe(value)}")


def as_optional_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    raise FieldError(f"cần một chuỗi chữ, nhận được {describe(value)}")


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(f"cần true hoặc false, nhận được {describe(value)}")


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
        raise FieldError(
            f"cần một danh sách, nhận được {describe(value)}; viết: tags: [tài nguyên nước, tiết kiệm năng lượng]"
        )
    tags = []
    for item in value:
        if not isinstance(item, (str, int)) or not str(item).strip():
            raise FieldError(f"mỗi thẻ phải là một chuỗi chữ, nhận được {describe(item)}")
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
        return f"chuỗi {value!r}"
    return f"{kinds.get(type(value), type(value).__name__)} ({value!r})"


@dataclass(frozen=True)
class Field:
    convert: Callable[[Any], Any]
    required: bool = False


ARTICLE_FIELDS: dict[str, Field] = {
    "title": Field(as_text, required=True),
    "date": Field(as_moment, required=True),
    "campaign": Field(as_text, required=True),
    "department": Field(as_text, required=True),
    "year": Field(as_int),
    "theme": Field(as_optional_text),
    "summary": Field(as_optional_text),
    "tags": Field(as_tags),
    "cover": Field(as_optional_text),
    "cover_alt": Field(as_optional_text),
    "draft": Field(as_bool),
    "slug": Field(as_optional_text),
    "updated": Field(as_moment),
    "plan_task": Field(as_optional_text),
}

PAGE_FIELDS: dict[str, Field] = {
    "title": Field(as_text, required=True),
    "summary": Field(as_optional_text),
    "slug": Field(as_optional_text),
    "menu": Field(as_bool),
    "order": Field(as_int),
}


def suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"có phải ý bạn là '{close[0]}'?" if close else "các khóa hợp lệ: " + ", ".join(known)
