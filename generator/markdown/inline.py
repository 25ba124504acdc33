"""Python-Markdown's inline stage, made to skip the patterns a text cannot match.

Python-Markdown tries every inline pattern (code spans, escapes, links, images, autolinks, raw
HTML, entities, line breaks, emphasis) on every piece of text, one Python call per pattern even
when the text holds none of the characters the pattern starts with: most calls find nothing.

Each pattern below can only match where a given string appears ("[" for a link, "<" for raw
HTML): the text is searched for those strings once, and a pattern whose string is absent is not
tried. Skipping changes nothing: the pattern's regular expression would have found no match, and
a pattern does nothing (not even to its own state) without a match. Matching only takes text out
(what matched becomes a placeholder "\\x02klzzwxh:0000\\x03"), so a string absent at the start
stays absent. Patterns are recognised by their regular expression, so a pattern this module does
not know, or one a later Python-Markdown writes differently, is tried as before.

tests/test_markdown_inline.py renders the same documents with this stage and with Python-Markdown's
own and requires the same HTML.
"""

from __future__ import annotations

import re

import markdown
from markdown import inlinepatterns, util
from markdown.treeprocessors import InlineProcessor

# Regular expression (as Python-Markdown writes it) → strings one of which it cannot match without.
_REQUIRED: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also the reference and short reference links
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also the image references
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # the footnotes extension's reference
    r"\*|_": ("*", "_"),  # emphasis and strong (DelimiterProcessor)
}


def _required(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """What `pattern` cannot match without, or None when it is not one this module knows."""
    compiled = pattern.getCompiledRegExp()
    if compiled.flags & re.IGNORECASE:
        return None
    return _REQUIRED.get(compiled.pattern)


class SkippingInlineProcessor(InlineProcessor):
    """InlineProcessor that tries on a text only the patterns whose required string it holds."""

    _registered: list | None = None

    def run(self, tree, ancestors=None):
        # The registry in priority order, as InlineProcessor indexes it; looked at per document,
        # since an extension may register patterns after the engine is made.
        registered = list(self.inlinePatterns)
        if registered != self._registered:
            self._registered = registered
            self._patterns = [(pattern, _required(pattern)) for pattern in registered]
            self._needles = tuple({needle for _, needed in self._patterns if needed for needle in needed})
        return super().run(tree, ancestors)

    # InlineProcessor calls its private __handleInline on every text and tail, and again on what
    # a match encloses; this name overrides it there (Python's name mangling).
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        present = {needle for needle in self._needles if needle in data}
        apply = self._InlineProcessor__applyPattern
        for index in range(patternIndex, len(self._patterns)):
            pattern, needed = self._patterns[index]
            if needed is not None and present.isdisjoint(needed):
                continue
            # As InlineProcessor does: the same pattern again after each match, from past it.
            matched, start = True, 0
            while matched:
                data, matched, start = apply(pattern, data, index, start)
        return data


def supported() -> bool:
    """Whether this Python-Markdown has the private methods the processor relies on."""
    return all(hasattr(InlineProcessor, name)
               for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"))


def install(engine: markdown.Markdown) -> None:
    """Put the skipping processor in place of Python-Markdown's own, at the same priority."""
    if not supported() or type(engine.treeprocessors["inline"]) is not InlineProcessor:
        return  # an unknown Python-Markdown or another extension's inline stage: leave it as it is
    priority = next(item.priority for item in engine.treeprocessors._priority if item.name == "inline")
    engine.treeprocessors.register(SkippingInlineProcessor(engine), "inline", priority)
