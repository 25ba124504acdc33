"""Where each reference of the built site was written: a Markdown line or a template line.

While a page renders, `TemplateRecorder` notes the URLs that the template helpers (`url`, `asset`,
…) produced and the template line that called them (read from the calling Jinja frame), and which
content files' Markdown went into the page. The build does not record: it notes how it was made
(`record_build`), and when a check finds broken references, `origins.source_map` renders the pages
that hold them again with a recorder and makes a `SourceMap` of them, with the line of every link
target in their Markdown, so `awareness check` can point at the line to fix.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.linkcheck.srcset import srcset_urls
from generator.markdown_render import LinkContext, published_hrefs, source_lines
from generator.write import MARKER

FORMAT = 4
BUILD_RECORD = Path("linkcheck") / "build.json"  # under the cache folder, never in output/
SRCSET = re.compile(r"\bsrcset\s*=\s*[\"']([^\"']+)")
TEMPLATE_LITERAL = re.compile(r"\b(?:href|src|srcset|poster|content)\s*=\s*[\"']([^\"'{]+)")


class TemplateRecorder:
    """Filled while pages render: page file → {URL produced by a helper: "templates/x.html:LINE"}."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, str]] = {}
        self.contents: dict[str, list[str]] = {}
        self._page: dict[str, str] = {}
        self._contents: list[str] = []
        self._lines: dict[tuple, str] = {}

    def start(self, page_file: str) -> None:
        self._page = self.pages.setdefault(page_file, {})
        self._contents = self.contents.setdefault(page_file, [])

    def url_helper(self, helper: Callable[..., str]) -> Callable[..., str]:
        """The template helper, noting each URL it returns."""
        @functools.wraps(helper)
        def recorded(*args):
            value = helper(*args)
            self.note(value)
            return value
        return recorded

    def body_helper(self, helper: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """The `body(item)` helper, noting that the item's Markdown is placed in the page."""
        @functools.wraps(helper)
        def recorded(item):
            self.content(item.source.path.as_posix())
            return helper(item)
        return recorded

    def note(self, value: str) -> None:
        """Remember which template line asked for this URL (the nearest compiled-template frame)."""
        if value in self._page:
            return
        frame = sys._getframe(1)
        while frame is not None:
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                # By template name, not code object: code objects compare equal without their file,
                # so two templates with the same block on the same line would share one entry.
                key = (template.name, frame.f_lineno)
                where = self._lines.get(key)
                if where is None:
                    where = self._lines[key] = f"templates/{template.name}:" \
                                               f"{template.get_corresponding_lineno(frame.f_lineno)}"
                self._page[value] = where
                return
            frame = frame.f_back

    @contextlib.contextmanager
    def fragment(self) -> Iterator[tuple[dict[str, str], list[str]]]:
        """Notes made while a fragment renders, kept apart to be replayed on the pages it goes to,
        and given to the current page as if it had rendered the fragment itself."""
        page, contents = self._page, self._contents
        notes: tuple[dict[str, str], list[str]] = ({}, [])
        self._page, self._contents = notes
        try:
            yield notes
        finally:
            self._page, self._contents = page, contents
        self.replay(notes)

    def replay(self, notes: tuple[dict[str, str], list[str]]) -> None:
        refs, contents = notes
        for value, where in refs.items():
            self._page.setdefault(value, where)  # the first line that made a URL is the one named
        for source in contents:
            self.content(source)

    def take(self, page_file: str) -> tuple[dict[str, str], list[str]]:
        """What was recorded for one page, removed from here: a render worker sends it back to the build,
        and the page cache keeps it for the next build that reuses the page."""
        return self.pages.pop(page_file, {}), self.contents.pop(page_file, [])

    def restore(self, page_file: str, recorded: tuple[dict[str, str], list[str]] | list) -> None:
        refs, contents = recorded
        self.pages[page_file], self.contents[page_file] = dict(refs), list(contents)

    def content(self, source: str) -> None:
        """A content file's Markdown was placed in the current page."""
        if source not in self._contents:
            self._contents.append(source)


def markdown_targets(body: str, first_line: int, source: PurePosixPath, links: LinkContext,
                     written: Iterable[tuple[str, int]] | None = None) -> dict[str, int]:
    """Each href/src the build publishes for this Markdown, with the file line it was written on.

    `written` is RenderedBody.links when the build has it (the targets as written, with their lines)."""
    lines = dict(written if written is not None else source_lines(body, first_line).items())
    if "srcset" in body:  # srcset entries of raw HTML, one target each
        for offset, text in enumerate(body.splitlines()):
            for match in SRCSET.finditer(text):
                for url in srcset_urls(match.group(1)):
                    lines.setdefault(url, first_line + offset)
    return dict(zip(published_hrefs(lines, source, links), lines.values(), strict=True))


def template_literals(template_dir: Path) -> list[tuple[str, str]]:
    """URLs written literally in templates (href="#noi-dung", "mailto:{{ … }}"), as (prefix, "file:line")."""
    found = []
    for path in sorted(template_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(template_dir).as_posix()
        for number, text in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [(m.group(1), f"templates/{name}:{number}") for m in TEMPLATE_LITERAL.finditer(text)]
    return found


@dataclass(frozen=True)
class SourceMap:
    base_url: str
    output: str  # absolute path of the output folder it describes
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # page → URL → template file:line
    contents: dict[str, list[str]] = field(default_factory=dict)  # page → content files shown in it
    markdown: dict[str, dict[str, int]] = field(default_factory=dict)  # content file → URL → line
    literals: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)  # URL → "content/_data/site.yaml:LINE" (the menu)

    def locate(self, page: str, url: str) -> tuple[str | None, str]:
        """(source, origin) of a reference: origin is "markdown", "template" or "" when unknown."""
        for content in self.contents.get(page, ()):
            line = self.markdown.get(content, {}).get(url)
            if line is not None:
                return f"{content}:{line}", "markdown"
        where = self.pages.get(page, {}).get(url)
        if where is not None:  # a menu entry is fixed in site.yaml, not in the template that shows it
            return self.data.get(url, where), "template"
        prefixes = [(p, w) for p, w in self.literals if url.startswith(p)]
        if prefixes:
            return max(prefixes, key=lambda item: len(item[0]))[1], "template"
        return None, ""


def build_stamp(output: Path | str) -> list[int] | None:
    """Identifies one build of `output`: every build writes its marker file anew, so the record of an
    older build (made with another cache folder, say) is never taken for this one."""
    try:
        marker = os.stat(Path(output) / MARKER)
    except OSError:
        return None
    return [marker.st_ino, marker.st_mtime_ns]


def record_build(path: Path, output: Path, build: dict[str, Any]) -> None:
    """Note beside the cache how `output` was just built: what `origins.source_map` needs to render
    its pages again (folders, date, base URL, drafts), tied to this build by the marker's stamp."""
    data = {"format": FORMAT, "stamp": build_stamp(output), "output": os.path.abspath(output), "build": build}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False))
    os.replace(f.name, path)


def read_build_record(path: Path, output: Path) -> dict[str, Any] | None:
    """How the last build into `output` was made (record_build's `build`); None when missing,
    damaged, or about another folder or another build of it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("stamp") != build_stamp(output) \
                or data.get("output") != os.path.abspath(output) or not isinstance(data.get("build"), dict):
            return None
        return data["build"]
    except (OSError, ValueError, AttributeError):
        return None


def source_map_base_url(path: Path, output: Path) -> str | None:
    """The base URL the last build into `output` used (it may have overridden site.yaml's)."""
    record = read_build_record(path, output)
    base_url = record.get("base_url") if record else None
    return base_url if isinstance(base_url, str) else None


def menu_lines(site_yaml: Path, hrefs: Iterable[str], base_path: str, shown: str) -> dict[str, str]:
    """URL of each menu entry → the site.yaml line that declares it."""
    try:
        lines = site_yaml.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    found = {}
    for href in hrefs:
        pattern = re.compile(r"\bhref:\s*[\"']?" + re.escape(href) + r"[\"']?\s*[,}]?\s*(#.*)?$")
        line = next((n for n, text in enumerate(lines, 1) if pattern.search(text)), None)
        if line is not None and not href.startswith(("http://", "https://")):
            found[base_path + href] = f"{shown}:{line}"
    return found


def build_source_map(recorder: TemplateRecorder, items: Iterable[tuple], links: LinkContext,
                     base_url: str, output: Path, shown: Callable[[str], str], template_dir: Path,
                     data: dict[str, str] | None = None) -> SourceMap:
    """items: (content-relative source, Markdown body, its first line) of the content placed in the
    recorded pages; `shown` names a source for people."""
    names = {item[0]: shown(item[0]) for item in items}
    markdown = {names[item[0]]: markdown_targets(item[1], item[2], PurePosixPath(item[0]), links) for item in items}
    contents = {page: [names.get(c) or shown(c) for c in found] for page, found in recorder.contents.items() if found}
    pages = {page: urls for page, urls in recorder.pages.items() if urls}
    return SourceMap(base_url, os.path.abspath(output), pages, contents, markdown,
                     template_literals(template_dir) if template_dir.is_dir() else [], data or {})
