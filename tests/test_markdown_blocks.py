"""The block parser that skips processors a block cannot start gives Python-Markdown's own HTML.

Each document is rendered by two engines with the build's extensions: one with Python-Markdown's
BlockParser, one with generator.markdown.blocks'. Any difference is a bug in the skipping.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import SubElement

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor, ParagraphProcessor

from generator.markdown import blocks as markdown_blocks
from generator.markdown import render as markdown_render
from generator.markdown.blocks import SkippingBlockParser
from tests.markdown_twins import Twins, make_engine

# Every kind of block, alone, nested, and where it almost is one but is not.
DOCUMENTS = [
    "Một đoạn văn.\n\nĐoạn thứ hai\nhai dòng.",
    "# Một\n## Hai ##\n###### Sáu\n####### bảy dấu thăng\n#không cách\nVăn bản # giữa dòng",
    "Tiêu đề kiểu Setext\n===\n\nTiêu đề hai\n---\n\nKhông phải\n= =\n\nmột dòng\n-- -",
    "---\n\n* * *\n\n___\n\n- - -\n\n**\n\n--\n\nvăn bản --- gạch",
    "1. một\n2. hai\n    3. lồng\n\n10. mười\n\n1.không cách\n\n   4. ba dấu cách\n\n    5. bốn dấu cách",
    "- một\n+ hai\n* ba\n\n    - thụt lề\n\n-không cách\n\n   - ba dấu cách\n\n* sao\n    tiếp dòng",
    "- mục\n\n    đoạn trong mục\n\n        mã trong mục\n\n- mục hai\n\n1. số\n- lẫn lộn",
    "    mã thụt lề\n    dòng hai\n\n\tmã bằng tab\n\n   ba dấu cách không phải mã",
    "> trích dẫn\n> > lồng\n\n>không cách\n\n   > ba dấu cách\n\nvăn bản > giữa",
    "| a | b |\n|---|:-:|\n| 1 | 2 |\n\na|b\n-|-\n1|2\n\na | b\n--|--\n1 | 2\n\n"
    "| một cột |\n| --- |\n| x |\n\nkhông | bảng",
    "Thuật ngữ\n:   định nghĩa\n\n: định nghĩa không thuật ngữ\n\nThuật ngữ hai\n\n:   lỏng\n\nvăn: bản",
    "Chú thích[^1].\n\n[^1]: Nội dung.\n    Thụt lề tiếp.\n[^2]: Thứ hai.\n\n[^không]: trong đoạn [^ và ]:",
    "*[HTML]: Ngôn ngữ\n*[CSS]: Kiểu\n\nHTML và CSS.\n\n*[không phải]:\n\n*[x] : y",
    "[a]: https://a.vn\n[b]: <https://b.vn> \"Tiêu đề\"\n[c]:\n  https://c.vn\n  (Tiêu đề)\n\n[a] [b] [c]\n\n]: lẻ",
    "```\nmã # không phải tiêu đề\n> không phải trích\n```\n\n~~~python\nx = 1\n~~~",
    "<div>\nkhối HTML\n</div>\n\n<p>đoạn</p>\n\nvăn bản <b>đậm</b>",
    "\n\n\n   \n\nsau dòng trống\n\n\n",
    "- a\n\n    > trích trong mục\n\n    | x | y |\n    |---|---|\n    | 1 | 2 |\n\n    # tiêu đề trong mục",
    "Thuật ngữ\n:   - danh sách trong định nghĩa\n    - hai\n\n    > trích",
    "",
]


def _engine(skipping: bool) -> markdown.Markdown:
    made = make_engine(markdown_blocks.install if skipping else None)
    assert isinstance(made.parser, SkippingBlockParser) == skipping
    return made


TWINS = Twins(markdown_blocks.install)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_each_kind_of_block_gives_the_same_html(text):
    TWINS.assert_alike(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["#", "##", "=", "==", "-", "---", "_", "*", "* ", "- ", "+ ", "1. ", "2.", "|",
                                 "|---|", ":", ":   ", ">", "> ", "[^1]:", "[^1]", "*[a]:", "[a]:", "[a]",
                                 "]:", "```", "~~~", "    ", "   ", "\t", "\n", "\n\n", " ", "a", "đ",
                                 "<div>", "</div>", "https://a.vn", "\"t\""]), max_size=50).map("".join))
def test_any_mix_of_block_syntax_gives_the_same_html(text):
    TWINS.assert_alike(text)


def test_the_build_engine_uses_the_skipping_parser_and_knows_every_processor_it_has():
    markdown_render._engine.cache_clear()
    engine = markdown_render._engine()
    assert isinstance(engine.parser, SkippingBlockParser)
    unknown = [type(p).__name__ for p in engine.parser.blockprocessors if markdown_blocks._predicate(p) is None]
    # the empty block and the paragraph are every block's candidates: nothing to skip
    assert unknown == ["EmptyBlockProcessor", "ParagraphProcessor"]


def test_a_processor_it_does_not_know_is_offered_every_block():
    class Shout(BlockProcessor):
        def test(self, parent, block):
            return block.startswith("!!")

        def run(self, parent, blocks):
            element = SubElement(parent, "strong")
            element.text = blocks.pop(0)[2:]

    texts = ["!!to\n\nthường", "thường"]
    for skipping in (False, True):
        engine = _engine(skipping)
        engine.reset().convert("!!trước khi có nó")  # registered after the engine parsed a document
        engine.parser.blockprocessors.register(Shout(engine.parser), "shout", 200)
        results = [engine.reset().convert(t) for t in texts]
        assert results == ["<strong>to</strong><p>thường</p>", "<p>thường</p>"]


def test_a_block_a_processor_changed_before_turning_it_down_is_judged_anew():
    """A processor may change the first block and still say no (run returns False): the next
    ones are offered the block as it is now, as Python-Markdown's parser offers it."""
    class Rewrite(BlockProcessor):
        def test(self, parent, block):
            return block.startswith("tiêu đề:")

        def run(self, parent, blocks):
            blocks[0] = "# " + blocks[0].removeprefix("tiêu đề:")
            return False

    for skipping in (False, True):
        engine = _engine(skipping)
        engine.parser.blockprocessors.register(Rewrite(engine.parser), "rewrite", 200)
        assert engine.reset().convert("tiêu đề:Mục") == '<h1 id="muc">Mục</h1>'


def test_a_processor_whose_pattern_differs_is_offered_every_block():
    """A subclass that keeps HashHeaderProcessor.test but decides by another pattern (here headings
    marked with "%") is not judged by the "#" rule."""
    class Percent(HashHeaderProcessor):
        RE = re.compile(r"(?:^|\n)(?P<level>%{1,6})(?P<header>.*?)(?:\n|$)")

    for skipping in (False, True):
        engine = _engine(skipping)
        engine.parser.blockprocessors.register(Percent(engine.parser), "hashheader", 70)
        assert markdown_blocks._predicate(engine.parser.blockprocessors["hashheader"]) is None
        assert engine.reset().convert("%% Mục") == '<h2 id="muc">Mục</h2>'


def test_an_unknown_parser_is_left_in_place():
    class Other(BlockParser):
        pass

    made = make_engine()
    made.parser.__class__ = Other
    markdown_blocks.install(made)
    assert type(made.parser) is Other


def test_a_paragraph_is_still_every_blocks_last_candidate():
    engine = _engine(True)
    assert isinstance(list(engine.parser.blockprocessors)[-1], ParagraphProcessor)
    assert engine.reset().convert("chỉ là chữ") == "<p>chỉ là chữ</p>"
