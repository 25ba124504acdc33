"""Name the line that uses a faulty image: the article's `cover:` line, or the first line of the
body that links to it. An image no article uses is reported on its own file."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from generator.content.model import Site
from generator.imageproc.probe import Fault
from generator.markdown.render import source_lines
from generator.problems import Problem


def image_problems(site: Site, faults: Mapping[str, tuple[Fault, ...]]) -> list[Problem]:
    """Problems for every image fault, their paths relative to the content folder."""
    if not faults:
        return []
    used: dict[str, list[tuple[str, int | None]]] = {}
    for item in (*site.articles, *site.pages):
        file = item.source.path.as_posix()
        folder = item.source.path.parent.as_posix()
        cover = getattr(item, "cover", "")
        if cover in faults:
            used.setdefault(cover, []).append((file, item.source.line_of("cover")))
        for target, line in source_lines(item.body, item.source.body_line).items():
            path = posixpath.normpath(posixpath.join(folder, unquote(urlsplit(target).path)))
            if path in faults:
                used.setdefault(path, []).append((file, line))
    problems = []
    for image, found in sorted(faults.items()):
        for file, line in used.get(image, [(image, None)]):
            named = f"ảnh {image.rsplit('/', 1)[-1]!r}: "
            problems += [Problem(file, line, named + f.message, f.hint, f.severity) for f in found]
    return problems
