"""YAML's mistakes told in Vietnamese at the line where the author made them, and repeated keys.

PyYAML reports where it gave up, which for an unclosed quote or bracket is the end of the file,
in English. Its error also carries where the construct it was reading began (`context_mark`):
for the common mistakes that is the author's line. Front matter and the data files under
content/_data/ both use `explain` and `repeated_keys`, so they read the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

_QUOTE_HINT = 'thêm dấu ngoặc kép đóng ở cuối giá trị, ví dụ title: "Giờ Trái đất"'
_INDENT_HINT = "các khóa cùng cấp phải thẳng hàng; thụt lề bằng dấu cách, không dùng Tab"


def explain(error: yaml.YAMLError, text: str) -> tuple[int | None, str, str]:
    """(line of the text, counted from 1; what is wrong, with PyYAML's words in brackets; how to fix)."""
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    mark, start = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else None
    opened = start.line + 1 if start else line
    words = f"({problem}{', ' + context if context else ''})"
    if mark and (quoted := _closed_late(text, mark.line)) is not None:
        return quoted + 1, f"dấu ngoặc kép mở ở dòng này chưa được đóng {words}", _QUOTE_HINT
    if "quoted scalar" in context:
        return opened, f"dấu ngoặc kép mở ở dòng này chưa được đóng {words}", _QUOTE_HINT
    if "flow sequence" in context or "flow mapping" in context:
        pair = "[ ]" if "sequence" in context else "{ }"
        return opened, f"dấu ngoặc {pair[0]} mở ở dòng này chưa được đóng bằng {pair[2]} {words}", \
            f"thêm dấu {pair[2]} sau phần tử cuối, ví dụ tags: [nước, khí hậu]"
    if "simple key" in context:
        return opened, f"thiếu dấu hai chấm sau khóa, hoặc thiếu dấu cách sau dấu hai chấm {words}", \
            'viết khóa: giá trị, có một dấu cách sau dấu hai chấm (ví dụ date: 2023-03-22)'
    if ("tab character" in problem or "cannot start any token" in problem) and mark \
            and "\t" in _line(text, mark.line):
        return line, f"dòng thụt lề bằng phím Tab; YAML chỉ nhận dấu cách {words}", _INDENT_HINT
    if "mapping values are not allowed" in problem:
        return line, f"dấu ':' ở chỗ không được phép: giá trị có dấu ':' hoặc dòng thụt lề thừa {words}", \
            'đặt giá trị trong ngoặc kép (title: "Giờ Trái đất: 60 phút") hoặc bỏ dấu cách thừa ở đầu dòng'
    if "expected key" in problem or "indicator" in problem or "block end" in problem:
        return line, f"thụt lề không đúng hoặc có ký tự thừa {words}", _INDENT_HINT
    return line, f"sai cú pháp {words}", "kiểm tra dấu hai chấm, dấu ngoặc kép và thụt lề; giá trị có dấu ':' " \
                                        "phải đặt trong ngoặc kép"


_OPENS_QUOTE = re.compile(r"""^[^#"']*:[ \t]+("(?:[^"\\\n]|\\.)*|'(?:[^'\n]|'')*)$""")


def _closed_late(text: str, error_line: int) -> int | None:
    """The line (from 0) of a value whose quote is left open, when its string ends on the line where
    YAML gave up: 'name: "Sở' then 'short_name: "Sở"' reads as one string closed by the second line's
    first quote, and the error is reported there."""
    lines = text.splitlines()
    for index in range(min(error_line, len(lines)) - 1, -1, -1):
        opened = _OPENS_QUOTE.match(lines[index])
        if opened is None:
            continue
        quote = opened.group(1)[0]
        between = "\n".join(lines[index + 1:error_line])
        return index if quote not in between and quote in _line(text, error_line) else None
    return None


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def repeated_keys(node: yaml.Node | None) -> Iterator[tuple[int, str, int]]:
    """(line, key, line of its first use) for every key written twice in one mapping, at any depth:
    YAML keeps the last silently, so the author's first value would vanish."""
    stack, visited = ([node] if node is not None else []), set()
    while stack:  # a loop, not recursion: nesting is as deep as the file says
        current = stack.pop()
        if id(current) in visited:  # an alias shares its node: once, or an alias bomb explodes here
            continue
        visited.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        yield key.start_mark.line + 1, key.value, seen[key.value]
                    seen.setdefault(key.value, key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
