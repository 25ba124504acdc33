"""Articles that are not published yet (drafts, and scheduled ones before their day), and the files
under content/ that only they use: a photo for a draft is published with its article, not before.

A file is held back only when an unpublished article refers to it (as its cover or from its text) and
nothing published does: no published article or page, and no data file that names it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from generator.content.model import Article, Page
from generator.markdown.render import source_lines


def referenced_files(item: Article | Page) -> set[str]:
    """Content-relative paths that an item's cover and text refer to."""
    source = item.source.path.as_posix()
    found = {item.cover} if isinstance(item, Article) and item.cover else set()
    for target in source_lines(item.body, item.source.body_line):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path or target.startswith(("#", "/")):
            continue
        found.add(posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(parts.path))))
    return found


def files_held_back(static_files: Iterable[Path], published: Iterable[Article | Page],
                    unpublished: Iterable[Article], data_text: str) -> frozenset[Path]:
    """The static files to leave out of this build. `data_text`: the data files' text, which may name files."""
    waiting = set().union(*(referenced_files(a) for a in unpublished))
    if not waiting:
        return frozenset()
    # Only bodies that mention a waiting file's name are scanned: a build with a draft would otherwise
    # read every published body for links a second time (the Markdown stage reads them again).
    names = {posixpath.basename(w) for w in waiting}
    mentioning = [i for i in published
                  if (isinstance(i, Article) and i.cover in waiting) or "%" in i.body  # percent-encoded names
                  or any(n in i.body for n in names)]
    used = set().union(*(referenced_files(i) for i in mentioning))
    return frozenset(f for f in static_files if (name := PurePosixPath(f).as_posix()) in waiting
                     and name not in used and name not in data_text)
