"""The gates in front of Python-Markdown's block processors give Python-Markdown's own HTML.

Each document is rendered by two engines with the build's extensions: one with Python-Markdown's
processors as it registers them, one with generator.markdown.blocks' gates in front of them. Any
difference is a bug in a gate, and fails.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import SubElement

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.blockprocessors import BlockProcessor, BlockQuoteProcessor, HashHeaderProcessor, ParagraphProcessor
from markdown.util import Registry

from generator.markdown import blocks as markdown_blocks
from generator.markdown import render as markdown_render
from generator.markdown.blocks import Gate
from generator.markdown.registries import replace_in_place
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


def _engine(gated: bool) -> markdown.Markdown:
    made = make_engine(markdown_blocks.install if gated else None)
    assert isinstance(made.parser.blockprocessors["hashheader"], Gate) == gated
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


def test_the_build_engine_gates_every_processor_but_two_and_keeps_their_order():
    markdown_render._engine.cache_clear()
    engine = markdown_render._engine()
    ours = list(engine.parser.blockprocessors)
    # the empty block and the paragraph are every block's candidates: nothing to gate
    assert [type(p).__name__ for p in ours if not isinstance(p, Gate)] == ["EmptyBlockProcessor", "ParagraphProcessor"]
    # A later Python-Markdown registering a processor at another priority leaves it ungated (and
    # this fails); one gated is where Python-Markdown put the processor it stands for.
    stock = [type(p) for p in make_engine().parser.blockprocessors]
    assert [type(p.inner if isinstance(p, Gate) else p) for p in ours] == stock


def test_a_processor_it_does_not_know_is_offered_every_block():
    class Shout(BlockProcessor):
        def test(self, parent, block):
            return block.startswith("!!")

        def run(self, parent, blocks):
            element = SubElement(parent, "strong")
            element.text = blocks.pop(0)[2:]

    texts = ["!!to\n\nthường", "thường"]
    for gated in (False, True):
        engine = _engine(gated)
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

    for gated in (False, True):
        engine = _engine(gated)
        engine.parser.blockprocessors.register(Rewrite(engine.parser), "rewrite", 200)
        assert engine.reset().convert("tiêu đề:Mục") == '<h1 id="muc">Mục</h1>'


def test_a_processor_another_extension_put_under_a_known_name_is_not_gated():
    """A subclass of HashHeaderProcessor deciding by another pattern (headings marked with "%"),
    registered as "hashheader", is asked about every block: the "#" gate is not put in front of it."""
    class Percent(HashHeaderProcessor):
        RE = re.compile(r"(?:^|\n)(?P<level>%{1,6})(?P<header>.*?)(?:\n|$)")

    made = make_engine()
    made.parser.blockprocessors.register(Percent(made.parser), "hashheader", 70)
    gated = markdown_blocks.install(made)
    assert "hashheader" not in gated and "quote" in gated
    assert type(made.parser.blockprocessors["hashheader"]) is Percent
    assert made.reset().convert("%% Mục") == '<h2 id="muc">Mục</h2>'


def test_a_processor_registered_elsewhere_is_not_moved_by_its_gate():
    """Block quotes registered before the headings (as a later Python-Markdown might): the gate,
    which names the priority Python-Markdown uses today, would move them, so it is not put in."""
    made = make_engine()
    made.parser.blockprocessors.register(BlockQuoteProcessor(made.parser), "quote", 65)
    before = list(made.parser.blockprocessors)
    gated = markdown_blocks.install(made)
    assert "quote" not in gated and "hashheader" in gated
    after = list(made.parser.blockprocessors)
    assert [p.inner if isinstance(p, Gate) else p for p in after] == before
    assert made.reset().convert("> trích\n\n# Mục") == \
        '<blockquote>\n<p>trích</p>\n</blockquote>\n<h1 id="muc">Mục</h1>'


def test_replace_in_place_refuses_a_tie_that_would_reorder():
    registry = Registry()
    for name, priority in (("a", 30), ("b", 20), ("c", 20), ("d", 10)):
        registry.register(name, name, priority)
    assert not replace_in_place(registry, "b", "B", 20)  # equal priorities: it would come after "c"
    assert list(registry) == ["a", "b", "c", "d"]
    assert replace_in_place(registry, "c", "C", 20)
    assert list(registry) == ["a", "b", "C", "d"]
    assert not replace_in_place(registry, "e", "E", 5)
    assert list(registry) == ["a", "b", "C", "d"]


def test_a_paragraph_is_still_every_blocks_last_candidate():
    engine = _engine(True)
    assert isinstance(list(engine.parser.blockprocessors)[-1], ParagraphProcessor)
    assert engine.reset().convert("chỉ là chữ") == "<p>chỉ là chữ</p>"
