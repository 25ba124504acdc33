"""Python-Markdown's block processors, each asked only about the blocks it could take.

For every block of a document (a paragraph, a heading, a list…) Python-Markdown's parser asks each
of its sixteen block processors in turn whether the block is theirs, until one takes it. A
paragraph, the most common block, is everyone's last choice: fifteen questions first, and four of
them (footnote, abbreviation and link-reference definitions) answer by cutting the block out,
searching it and putting it back.

Each processor below cannot take a block without a given string in it (a "#" for a heading, a
"|" for a table) or at its start (an indent for a code block). It is replaced in the parser's
registry, under the same name and at the same place, by a gate: a block processor whose `test`
first looks for that string, and only then asks the processor it stands for, whose `run` it calls.
Gating changes nothing: without the string the processor's test would have said no, or its run
would have put the block back and said no (which the parser treats as the same), and neither
leaves anything behind that another block reads.

Only Python-Markdown's public extension API is used: processors are found by the name the library
registers them under and known by their class (a processor another extension put under that name
is left alone), and a gate goes in only where it keeps the processor's place (registries.py).

tests/markdown/test_markdown_blocks.py (every kind of block, random mixes) and test_markdown_stages.py (the
embedded site, a corpus) render the same documents with gates and with Python-Markdown's own
processors and require the same HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import markdown
from markdown.blockprocessors import BlockProcessor

from generator.markdown.registries import replace_in_place


class Gate(BlockProcessor):
    """Stands for `inner` in the parser's registry. Each subclass's `test` turns away the blocks
    `inner` cannot take and asks `inner` about the others: one Python call for a block turned
    away, as the processor's own test was."""

    def __init__(self, inner: BlockProcessor):
        super().__init__(inner.parser)
        self.inner = inner

    def run(self, parent: Element, blocks: list[str]) -> bool | None:
        return self.inner.run(parent, blocks)


class Containing(Gate):
    """The block holds `needle` somewhere."""

    def __init__(self, inner: BlockProcessor, needle: str):
        super().__init__(inner)
        self.needle = needle

    def test(self, parent: Element, block: str) -> bool:
        return self.needle in block and self.inner.test(parent, block)


class ContainingAny(Gate):
    """The block holds one of `needles` (one scan in C for all of them)."""

    def __init__(self, inner: BlockProcessor, *needles: str):
        super().__init__(inner)
        self.search = re.compile("|".join(map(re.escape, needles))).search

    def test(self, parent: Element, block: str) -> bool:
        return self.search(block) is not None and self.inner.test(parent, block)


class Indented(Gate):
    """The block starts with a whole indent (the processor's tab length in spaces)."""

    def test(self, parent: Element, block: str) -> bool:
        return block.startswith(" " * self.inner.tab_length) and self.inner.test(parent, block)


class Starting(Gate):
    """The block's first character after its leading spaces passes `allowed` (a list item's
    marker: the patterns allow up to three spaces before it, and four make a code block)."""

    def __init__(self, inner: BlockProcessor, allowed: Callable[[str], bool]):
        super().__init__(inner)
        self.allowed = allowed

    def test(self, parent: Element, block: str) -> bool:
        return self.allowed(block.lstrip(" ")[:1]) and self.inner.test(parent, block)


@dataclass(frozen=True)
class Rule:
    name: str  # under which Python-Markdown (or its extension) registers the processor
    priority: float  # with which it does
    classes: tuple[type, ...]  # the processors whose test and run the gate was written for
    gate: Callable[[BlockProcessor], Gate]


@functools.cache
def rules() -> tuple[Rule, ...]:
    """One rule per processor this module knows, in the parser's order."""
    from markdown import blockprocessors as bp
    from markdown.extensions import abbr, def_list, footnotes, sane_lists, tables

    def containing(*needles: str) -> Callable[[BlockProcessor], Gate]:
        if len(needles) == 1:
            return lambda inner: Containing(inner, needles[0])
        return lambda inner: ContainingAny(inner, *needles)

    return (
        Rule("indent", 90, (bp.ListIndentProcessor,), Indented),
        Rule("defindent", 85, (def_list.DefListIndentProcessor,), Indented),
        Rule("code", 80, (bp.CodeBlockProcessor,), Indented),
        Rule("table", 75, (tables.TableProcessor,), containing("|")),  # a row without a pipe has one column
        Rule("hashheader", 70, (bp.HashHeaderProcessor,), containing("#")),
        Rule("setextheader", 60, (bp.SetextHeaderProcessor,), containing("\n=", "\n-")),
        Rule("hr", 50, (bp.HRProcessor,), containing("-", "_", "*")),
        Rule("olist", 40, (bp.OListProcessor, sane_lists.SaneOListProcessor),
             lambda inner: Starting(inner, str.isdigit)),
        Rule("ulist", 30, (bp.UListProcessor, sane_lists.SaneUListProcessor),
             lambda inner: Starting(inner, lambda first: first in ("*", "+", "-"))),
        Rule("deflist", 25, (def_list.DefListProcessor,), containing(": ")),
        Rule("quote", 20, (bp.BlockQuoteProcessor,), containing(">")),
        # the three below say yes to every block in test and no in run, after searching it
        Rule("footnote", 17, (footnotes.FootnoteBlockProcessor,), containing("[^")),
        Rule("abbr", 16, (abbr.AbbrBlockprocessor,), containing("*[")),
        Rule("reference", 15, (bp.ReferenceProcessor,), containing("]:")),
    )


def install(engine: markdown.Markdown) -> list[str]:
    """Put a gate in front of every processor of `engine` this module knows (what an extension's
    extendMarkdown does); the names of those gated. Called once the engine's extensions have
    registered their processors."""
    registry = engine.parser.blockprocessors
    gated = []
    for rule in rules():
        if rule.name in registry and type(registry[rule.name]) in rule.classes:
            if replace_in_place(registry, rule.name, rule.gate(registry[rule.name]), rule.priority):
                gated.append(rule.name)
    return gated
