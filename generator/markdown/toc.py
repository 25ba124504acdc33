"""The table of contents at the top of a long article: which articles get one, and how it nests.

It lists the `##` and `###` headings of the body with the ids the Markdown stage gave them
(RenderedBody.headings), so its links land where the headings' own permalinks do.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, replace

MIN_HEADINGS = 4  # fewer than this, a reader sees them all on a screen or two without help
LEVELS = (2, 3)  # `##` and `###`; deeper headings would make the list longer than it helps


@dataclass(frozen=True)
class TocEntry:
    id: str
    text: str
    children: tuple[TocEntry, ...] = ()


def table_of_contents(headings: Iterable[tuple[int, str, str]], wanted: bool | None) -> tuple[TocEntry, ...]:
    """The entries for an article whose body has `headings` ((level, id, text) as the Markdown stage
    gives them); `wanted` is the front matter's `toc` (None when the author did not say): without it,
    an article with MIN_HEADINGS or more `##`/`###` headings gets one. () means no table of contents."""
    listed = [(level, id_, html.unescape(text)) for level, id_, text in headings if level in LEVELS]
    if not (len(listed) >= MIN_HEADINGS if wanted is None else wanted):
        return ()
    return _nested(listed)


def _nested(listed: list[tuple[int, str, str]]) -> tuple[TocEntry, ...]:
    """Each `###` under the `##` before it; one with no `##` before it stands at the top level."""
    top: list[tuple[int, TocEntry, list[TocEntry]]] = []  # (level, entry, its children)
    for level, id_, text in listed:
        if level != LEVELS[0] and top and top[-1][0] == LEVELS[0]:
            top[-1][2].append(TocEntry(id_, text))
        else:
            top.append((level, TocEntry(id_, text), []))
    return tuple(replace(entry, children=tuple(children)) for _level, entry, children in top)
