"""markdown_render.source_lines: the first file line of each link target written in a body.

It skips the lines that hold none of the strings a target needs; it must find what the pattern
finds on every line, which the reference below does without skipping anything."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown.render import LINK_TARGET, source_lines


def reference(body: str, first_line: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for offset, text in enumerate(body.splitlines()):
        for match in LINK_TARGET.finditer(text):
            found.setdefault(next(g for g in match.groups() if g), first_line + offset)
    return found


def test_each_kind_of_target_is_found_on_its_line():
    body = ("Mở đầu\n[Bộ TN&MT](https://monre.gov.vn)\n\n![ảnh](anh/a.png)\n"
            '<a href="ke-hoach.md">kế hoạch</a>\n<img alt="b" src=\'anh/b.png\'>\n<https://sct.binhthuan.gov.vn>\n'
            "[lại](https://monre.gov.vn)\n")
    assert source_lines(body, 5) == {"https://monre.gov.vn": 6, "anh/a.png": 8, "ke-hoach.md": 9,
                                     "anh/b.png": 10, "https://sct.binhthuan.gov.vn": 11}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["](", "]", "(", " ", "<", ">", "<http", "https://a.vn", "http://", "href", "src",
                                 "=", "\"", "'", "x.md", "đ", "\n", "\r\n", "\r", "\u2028", "\x0c", "HREF", ")"]),
                max_size=40).map("".join), st.integers(1, 50))
def test_any_text_gives_what_the_pattern_finds_line_by_line(body, first_line):
    assert source_lines(body, first_line) == reference(body, first_line)
