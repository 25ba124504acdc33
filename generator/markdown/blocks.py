"""Python-Markdown's block parser, made to skip the block processors a block cannot start.

For every block of a document (a paragraph, a heading, a list…) Python-Markdown asks each of its
sixteen block processors in turn whether the block is theirs, until one takes it. A paragraph,
the most common block, is everyone's last choice: fifteen questions first, and four of them
(footnote, abbreviation and link-reference definitions, definition lists) answer by cutting the
block out, searching it and putting it back; and the parser walked its registry of processors
again for every block.

Each processor below cannot take a block without a given string in it (a "#" for a heading, a
"|" for a table) or at its start (an indent for a code block): a block without it is not offered
to that processor. Skipping changes nothing: the processor's test would have said no, or its run
would have put the block back and said no (which the parser treats as the same), and neither
leaves anything behind that another block reads. A processor is recognised by the very functions
that decide (its class's `test` or `run`, not a subclass's) and, where a regular expression
decides, by that expression's text, so a processor this module does not know, or one a later
Python-Markdown writes differently, is asked as before.

tests/test_markdown_blocks.py (every kind of block, random mixes) and test_markdown_stages.py (the
embedded site, a corpus) render the same documents with this parser and with Python-Markdown's
own and require the same HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from markdown import blockprocessors
from markdown.blockparser import BlockParser

Predicate = Callable[[str], bool]  # False: the processor cannot take this block
Processor = blockprocessors.BlockProcessor


@dataclass(frozen=True)
class _Rule:
    owner: type  # the class whose method decides
    method: str  # "test", or "run" when test always says yes and run says no by putting the block back
    predicate: Callable[[Processor], Predicate]  # made for one processor (some depend on its tab length)
    regex: str | None = None  # the attribute holding the regular expression it decides by, if any
    expected: str | Callable[[Processor], str] | None = None  # that expression's text


def _containing(*needles: str) -> Callable[[Processor], Predicate]:
    if len(needles) == 1:  # most rules: one `in`
        (needle,) = needles
        return lambda _processor: lambda block: needle in block
    search = re.compile("|".join(map(re.escape, needles))).search  # one scan in C for all of them
    return lambda _processor: lambda block: search(block) is not None


def _indented(processor: Processor) -> Predicate:
    indent = " " * processor.tab_length
    return lambda block: block.startswith(indent)


def _starting(allowed: Callable[[str], bool]) -> Callable[[Processor], Predicate]:
    """The block's first character after its leading spaces passes `allowed` (a list item's
    marker; the patterns allow three spaces before it, and four make a code block)."""
    return lambda _processor: lambda block: allowed(block.lstrip(" ")[:1])


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    from markdown.extensions import abbr, def_list, footnotes, tables

    bp = blockprocessors
    return (
        _Rule(bp.ListIndentProcessor, "test", _indented),
        _Rule(bp.CodeBlockProcessor, "test", _indented),
        _Rule(tables.TableProcessor, "test", _containing("|")),  # a row without a pipe has one column
        _Rule(bp.HashHeaderProcessor, "test", _containing("#"), "RE",
              r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"),
        _Rule(bp.SetextHeaderProcessor, "test", _containing("\n=", "\n-"), "RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)"),
        _Rule(bp.HRProcessor, "test", _containing("-", "_", "*"), "SEARCH_RE",
              r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
              r"(?P=atomicgroup)[ ]*$"),
        # ordered and unordered lists share OListProcessor.test, told apart by their pattern
        _Rule(bp.OListProcessor, "test", _starting(str.isdigit), "RE",
              lambda processor: rf"^[ ]{{0,{processor.tab_length - 1}}}\d+\.[ ]+(.*)"),
        _Rule(bp.OListProcessor, "test", _starting(lambda first: first in ("*", "+", "-")), "RE",
              lambda processor: rf"^[ ]{{0,{processor.tab_length - 1}}}[*+-][ ]+(.*)"),
        _Rule(def_list.DefListProcessor, "test", _containing(": "), "RE", r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)"),
        _Rule(bp.BlockQuoteProcessor, "test", _containing(">"), "RE", r"(^|\n)[ ]{0,3}>[ ]?(.*)"),
        _Rule(footnotes.FootnoteBlockProcessor, "run", _containing("[^"), "RE",
              r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$"),
        _Rule(abbr.AbbrBlockprocessor, "run", _containing("*["), "RE",
              r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$"),
        _Rule(bp.ReferenceProcessor, "run", _containing("]:"), "RE",
              r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$'),
    )


def _predicate(processor: Processor) -> Predicate | None:
    """What `processor` cannot take a block without, or None when it is not one this module knows."""
    kind = type(processor)
    for rule in _rules():
        if getattr(kind, rule.method, None) is not getattr(rule.owner, rule.method):
            continue
        if rule.method == "run" and kind.test is not rule.owner.test:
            continue  # a test of its own, which this module has not read
        if rule.regex is not None:
            compiled = getattr(processor, rule.regex, None)
            expected = rule.expected(processor) if callable(rule.expected) else rule.expected
            if getattr(compiled, "pattern", None) != expected:
                continue
        return rule.predicate(processor)
    return None


class SkippingBlockParser(BlockParser):
    """BlockParser that offers a block only to the processors that can take it."""

    _registered: list[Processor] | None = None
    _offers: list[tuple[Processor, Predicate | None]]

    def parseDocument(self, lines):  # noqa: N802 - Python-Markdown's name
        self._refresh()  # once per document: an extension may register a processor after the engine is made
        return super().parseDocument(lines)

    def _refresh(self) -> None:
        registered = list(self.blockprocessors)  # in priority order
        if registered != self._registered:
            self._registered = registered
            self._offers = [(processor, _predicate(processor)) for processor in registered]

    def parseBlocks(self, parent, blocks: list[str]) -> None:  # noqa: N802
        if self._registered is None:
            self._refresh()  # called without parseDocument, as an extension may
        offers = self._offers
        while blocks:
            block = blocks[0]
            for processor, can_take in offers:
                if can_take is not None and not can_take(block):
                    continue
                if processor.test(parent, block):
                    if processor.run(parent, blocks) is not False:
                        break  # run returns True or None when it took the block
                    block = blocks[0]  # as Python-Markdown: the next one is offered what is first now


def install(engine: markdown.Markdown) -> None:
    """Put the skipping parser in place of Python-Markdown's own (the same state and processors)."""
    if type(engine.parser) is BlockParser:
        engine.parser.__class__ = SkippingBlockParser
