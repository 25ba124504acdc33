"""The inline stage given only the patterns a document can match gives Python-Markdown's own HTML.

Each document is rendered by two engines with the build's extensions: one with Python-Markdown's
InlineProcessor, one with generator.markdown.inline's. Any difference is a bug in the narrowing,
and fails.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from xml.etree.ElementTree import Element

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from generator.markdown import inline as markdown_inline
from generator.markdown import render as markdown_render
from generator.markdown.inline import NarrowingInlineProcessor
from tests.markdown_twins import Twins, make_engine

# Every inline pattern, alone, nested, next to each other and where it must not match.
DOCUMENTS = [
    "Chữ thường, không có gì đặc biệt.",
    "*nghiêng* **đậm** ***cả hai*** _gạch_ __đôi__ ___ba___ snake_case_word 2*3*4",
    "**đậm có *nghiêng* bên trong** và *nghiêng có **đậm** bên trong* rồi `mã *không* nghiêng`",
    "Mã ``có `dấu` huyền`` và \\`thoát\\` và \\\\`mã sau hai gạch`",
    "Thoát \\*sao\\* \\_gạch\\_ \\[ngoặc\\] \\<thẻ\\> \\&amp; \\\\",
    "[liên kết](https://monre.gov.vn \"tiêu đề\") [*nghiêng* trong](a.md) [rỗng]() [[lồng]](b.md)",
    "![ảnh](anh/a.png \"t\") [![ảnh trong liên kết](anh/b.png)](c.md) !không phải ảnh [x](y)",
    "[tham chiếu][1] [ngắn] ![ảnh tham chiếu][2] ![ngắn ảnh]\n\n[1]: https://a.vn\n[2]: anh/c.png\n"
    "[ngắn]: https://b.vn\n[ngắn ảnh]: anh/d.png",
    "<https://monre.gov.vn/x?y=1&z=2> <thu@sct.gov.vn> <không phải> < khoảng >",
    "Thẻ <span class=\"x\">giữa</span> dòng, <!-- chú thích --> và <?xử lý?> và <![CDATA[x]]>",
    "Thực thể &amp; &#1234; &#x1F4A7; &copy; và & lẻ loi, &không;",
    "Ngắt dòng  \nsau hai dấu cách  \n và một dấu cách \nthôi",
    "Chú thích[^1] và [^hai].\n\n[^1]: Nội dung *một*.\n[^hai]: Nội dung `hai`.",
    "*ABBR* trong câu.\n\n*[ABBR]: Viết tắt",
    "# Tiêu đề *nghiêng* và `mã`\n\n## [Liên kết](a.md) trong tiêu đề",
    "| a | *b* |\n|---|---|\n| `c` | [d](e.md) |\n| f  \ng | &amp; |",
    "Thuật ngữ\n:   Định nghĩa có **đậm** và <em>thẻ</em>",
    "- *một*\n- **hai**\n    - `ba` [bốn](b.md)\n\n1. <kbd>Ctrl</kbd>\n2. &lt;x&gt;",
    "> Trích *dẫn* với [liên kết](x.md) và ![ảnh](y.png)",
    "**không đóng *và _lẫn lộn** cả* hai_",
    "a*b*c _d_e_ f__g__h **i** `j` k\\*l\\* m",
]


def _engine(narrowing: bool) -> markdown.Markdown:
    made = make_engine(markdown_inline.install if narrowing else None)
    assert isinstance(made.treeprocessors["inline"], NarrowingInlineProcessor) == narrowing
    return made


TWINS = Twins(markdown_inline.install)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_each_pattern_gives_the_same_html(text):
    TWINS.assert_alike(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "![", "[^1]", "<",
                                 ">", "&", "&amp;", ";", "#", "  \n", "\n", "\n\n", " ", "a", "đ", "x.md",
                                 "https://a.vn", "@", "<b>", "</b>", "!", "^", ":", "\"", "- ", "1. ",
                                 "[^1]: ", "*[a]: ", "[a]: b"]), max_size=40).map("".join))
def test_any_mix_of_inline_syntax_gives_the_same_html(text):
    TWINS.assert_alike(text)


def test_the_build_engine_uses_the_narrowing_stage_and_knows_every_pattern():
    markdown_render._engine.cache_clear()
    engine = markdown_render._engine()
    stage = engine.treeprocessors["inline"]
    assert isinstance(stage, NarrowingInlineProcessor)
    # where Python-Markdown runs its inline stage, among the other tree processors
    stock = make_engine().treeprocessors
    assert engine.treeprocessors.get_index_for_name("inline") == stock.get_index_for_name("inline")
    markdown_render.render_body("chữ", PurePosixPath("a.md"), 1, markdown_render.LinkContext({}, "/"))
    assert len(stage.known) == len(engine.inlinePatterns)  # a later Python-Markdown's new pattern fails this


def test_a_plain_document_is_given_no_pattern_and_the_engine_keeps_them_all():
    engine = _engine(True)
    stage = engine.treeprocessors["inline"]
    assert engine.reset().convert("Chữ thường.\n\n    mã <b> & *") == \
        "<p>Chữ thường.</p>\n<pre><code>mã &lt;b&gt; &amp; *\n</code></pre>"
    assert [len(registry) for registry in stage.narrowed.values()] == [0]  # code is not inline text
    assert stage.inlinePatterns is engine.inlinePatterns and len(engine.inlinePatterns) == 15


def test_an_unknown_inline_stage_is_left_in_place():
    class Other(InlineProcessor):
        pass

    made = make_engine()
    made.treeprocessors.register(Other(made), "inline", 20)
    assert not markdown_inline.install(made)
    assert type(made.treeprocessors["inline"]) is Other


def test_a_pattern_it_does_not_know_is_tried_on_every_text():
    class Shout(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):
            element = Element("strong")
            element.text = m.group(1)
            return element, m.start(0), m.end(0)

    texts = ["rất !!to!! và *nghiêng*", "!!to!!", "không có gì"]
    for narrowing in (False, True):
        engine = _engine(narrowing)
        engine.reset().convert("trước khi có nó")  # registered after the engine converted a document
        engine.inlinePatterns.register(Shout(r"!!(\w+)!!"), "shout", 175)
        results = [engine.reset().convert(t) for t in texts]
        assert results == ["<p>rất <strong>to</strong> và <em>nghiêng</em></p>", "<p><strong>to</strong></p>",
                           "<p>không có gì</p>"]


def test_a_pattern_of_another_class_under_a_known_name_is_tried_on_every_text():
    """Registered as "entity", whose Python-Markdown pattern needs a "&": this one needs none."""
    class Shout(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):
            element = Element("strong")
            element.text = m.group(1)
            return element, m.start(0), m.end(0)

    for narrowing in (False, True):
        engine = make_engine()
        engine.inlinePatterns.register(Shout(r"!!(\w+)!!"), "entity", 80)
        if narrowing:
            assert markdown_inline.install(engine)
        assert engine.reset().convert("rất !!to!!") == "<p>rất <strong>to</strong></p>"
