"""Python-Markdown's inline stage, given only the patterns a document can match.

Python-Markdown tries every inline pattern (code spans, escapes, links, images, autolinks, raw
HTML, entities, line breaks, emphasis, footnote references) on every piece of text, one Python
call per pattern even when the document holds none of the characters the pattern starts with.

Each pattern below can only match where a given string appears ("[" for a link, "<" for raw
HTML). Before the inline stage runs on a tree, the tree's text is searched once for those
strings, and the stage is given a registry without the patterns whose string is absent (an
InlineProcessor reads its patterns from its `inlinePatterns` registry, which Python-Markdown's own
smarty extension sets in the same way). Leaving them out changes nothing: such a pattern would
have found no match, and a pattern does nothing (not even to its own state) without one. Matching
only takes text out (what matched becomes a placeholder "\\x02klzzwxh:0000\\x03"), so a string
absent from the tree stays absent from every text the stage looks at.

Only Python-Markdown's public extension API is used: patterns are found by the name the library
registers them under and known by their class (a pattern another extension put under that name is
always tried), the smaller registries are slices of the engine's with names deregistered, and the
stage goes in only where it keeps the inline stage's place (registries.py).

tests/markdown/test_markdown_inline.py renders the same documents with this stage and with Python-Markdown's
own and requires the same HTML.
"""

from __future__ import annotations

import functools
from xml.etree.ElementTree import Element

import markdown
from markdown import inlinepatterns, treeprocessors, util
from markdown.extensions import footnotes

from generator.markdown.registries import replace_in_place

INLINE = "inline"  # the name and priority under which Python-Markdown registers its inline stage
INLINE_PRIORITY = 20


@functools.cache
def required() -> dict[str, tuple[tuple[type, ...], str | None]]:
    """Pattern name → (the classes it is known as, the string it cannot match without; None: one of
    the delimiters the pattern holds, for emphasis)."""
    ip = inlinepatterns
    return {
        "backtick": ((ip.BacktickInlineProcessor,), "`"),
        "escape": ((ip.EscapeInlineProcessor,), "\\"),
        "footnote": ((footnotes.FootnoteInlineProcessor,), "[^"),
        "reference": ((ip.ReferenceInlineProcessor,), "["),
        "link": ((ip.LinkInlineProcessor,), "["),
        "image_link": ((ip.ImageInlineProcessor,), "!["),
        "image_reference": ((ip.ImageReferenceInlineProcessor,), "!["),
        "short_reference": ((ip.ShortReferenceInlineProcessor,), "["),
        "short_image_ref": ((ip.ShortImageReferenceInlineProcessor,), "!["),
        "autolink": ((ip.AutolinkInlineProcessor,), "<"),
        "automail": ((ip.AutomailInlineProcessor,), "<"),
        "linebreak": ((ip.SubstituteTagInlineProcessor,), "  \n"),
        "html": ((ip.HtmlInlineProcessor,), "<"),
        "entity": ((ip.HtmlInlineProcessor,), "&"),
        # "*" and "_"; DelimiterProcessor is Python-Markdown 3.11's, older ones emphasise otherwise
        "em_strong": (tuple(filter(None, [getattr(ip, "DelimiterProcessor", None)])), None),
    }


class NarrowingInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline stage, run on each tree with only the patterns its text can match."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.every_pattern = self.inlinePatterns
        # (name, the strings one of which it needs) of every pattern that may be left out
        self.known: list[tuple[str, tuple[str, ...]]] = []
        self.seen: list | None = None  # the registry's items when `known` was made
        self.narrowed: dict[frozenset[str], util.Registry] = {}  # left-out names → smaller registry

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        self._refresh()
        text = "".join(_texts(tree))
        absent = frozenset(name for name, needles in self.known if not any(n in text for n in needles))
        self.inlinePatterns = self._without(absent)
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = self.every_pattern

    def _refresh(self) -> None:
        """Looked at per tree, since an extension may register patterns after the engine is made."""
        current = list(self.every_pattern)
        if current == self.seen:
            return
        self.seen, self.narrowed = current, {}
        self.known = []
        for name, (classes, needle) in required().items():
            if name in self.every_pattern and type(pattern := self.every_pattern[name]) in classes:
                self.known.append((name, (needle,) if needle is not None else tuple(pattern.tokens)))

    def _without(self, absent: frozenset[str]) -> util.Registry:
        if not absent:
            return self.every_pattern
        registry = self.narrowed.get(absent)
        if registry is None:
            registry = self.every_pattern[:]  # the same names and priorities
            for name in absent:
                registry.deregister(name)
            self.narrowed[absent] = registry
        return registry


def _texts(tree: Element):
    """Every text the inline stage reads: texts and tails, but not an AtomicString's text (code),
    which the stage leaves as it is."""
    for element in tree.iter():
        if element.text and not isinstance(element.text, util.AtomicString):
            yield element.text
        if element.tail:
            yield element.tail


def install(engine: markdown.Markdown) -> bool:
    """Put the narrowing stage in place of Python-Markdown's own, where it was (what an extension's
    extendMarkdown does); False when another extension's inline stage is there, left as it is."""
    registry = engine.treeprocessors
    if INLINE not in registry or type(registry[INLINE]) is not treeprocessors.InlineProcessor:
        return False
    return replace_in_place(registry, INLINE, NarrowingInlineProcessor(engine), INLINE_PRIORITY)
