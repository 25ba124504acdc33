"""Cutting a built page where the templates' chrome begins and ends, so shared chrome is parsed once.

Every page the templates write is `<head>`, then `<body …>` with the site header and menu, then
`<main …>`, then `</main>` followed by the footer. The header differs only by section (the menu
marks the current one) and the footer not at all, so of 2276 pages' header and footer bytes only
a handful are distinct: parsing each distinct one once, and each page's own bytes (head and main)
once, reads a quarter fewer elements than parsing every page whole. The references of the parts,
put back in document order, are those of the whole page (tests assert it page by page).

A cut is only made where it cannot change what the parser sees: `<body`, `<main` and `</main>`
each occur exactly once, in that order, and no part before a cut leaves a comment, a raw-text
element (script, style, …) or a tag open, checked for each part as it is parsed. A page that
does not cut cleanly is parsed whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

from generator.linkcheck.extract import PageLinks

BODY = re.compile(rb"<body[\s/>]", re.I)
MAIN = re.compile(rb"<main[\s/>]", re.I)
MAIN_END = re.compile(rb"</main[\s/>]", re.I)
# What the HTML parser reads as text up to a closing sequence: a cut inside one would read that text as markup.
RAW_TEXT = (b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript",
            b"plaintext")
OPENING = re.compile(rb"<(!--|(?:" + b"|".join(RAW_TEXT) + rb")(?=[\s/>]))", re.I)
CLOSING = {b"!--": re.compile(rb"-->"),
           **{name: re.compile(rb"</" + name + rb"[\s/>]", re.I) for name in RAW_TEXT}}


@dataclass(frozen=True)
class Cut:
    """A page in three parts: its own bytes (head, then main) and the two pieces of chrome around main."""

    own: bytes  # from the start to <body, then from <main to </main
    head_length: int  # where main begins in `own`
    top: bytes  # <body …> up to <main: header and menu
    foot: bytes  # </main> to the end: the footer


@dataclass(frozen=True)
class Part:
    """What one part of a page holds; `main_at` is where the references of main begin (own part only)."""

    links: PageLinks
    main_at: int
    closed: bool  # nothing is left open at the end of the part (the head and main of an own part)


def cut(data: bytes) -> Cut | None:
    """The page's parts, or None when it must be parsed whole."""
    body, main, end = _only(BODY, data), _only(MAIN, data), _only(MAIN_END, data)
    if body is None or main is None or end is None or not body < main < end:
        return None
    return Cut(data[:body] + data[main:end], body, data[body:main], data[end:])


def _only(pattern: re.Pattern, data: bytes) -> int | None:
    found = pattern.finditer(data)
    first = next(found, None)
    return first.start() if first is not None and next(found, None) is None else None


def closed(data: bytes, start: int = 0, end: int | None = None) -> bool:
    """Nothing is left open at the end of data[start:end]: no comment, raw-text element or tag.

    For each kind, its last opening must be followed by its closing: were an earlier opening still
    open, everything after it, that last opening included, would be its text.
    """
    end = len(data) if end is None else end
    last: dict[bytes, int] = {}
    for opening in OPENING.finditer(data, start, end):
        last[opening.group(1).lower()] = opening.end()
    if any(CLOSING[kind].search(data, position, end) is None for kind, position in last.items()):
        return False
    lt = data.rfind(b"<", start, end)
    return lt < 0 or data.find(b">", lt, end) >= 0


def join(own: Part, top: Part, foot: Part) -> PageLinks:
    """The page's links from its parts: references in document order, first use only, as parsing it whole."""
    references = own.links.references
    ordered = tuple(dict.fromkeys(chain(references[:own.main_at], top.links.references,
                                        references[own.main_at:], foot.links.references)))
    base = next((url for kind, url in ordered if kind == "base[href]"), None)
    return PageLinks(ordered, own.links.anchors | top.links.anchors | foot.links.anchors, base)
