"""Where each reference of the built site was written: a Markdown line or a template line.

During the build, `TemplateRecorder` notes, for every page, the URLs that the template helpers
(`url`, `asset`, …) produced and the template line that called them (read from the calling
Jinja frame), and which content files' Markdown went into the page. `stage_source_map` and
`commit_source_map` save that, with the line of every link target in the Markdown, beside the
cache (never in output/), so `awareness check` can point at the line to fix.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.linkcheck.srcset import srcset_urls
from generator.markdown.render import LinkContext, published_hrefs, source_lines
from generator.output.write import MARKER, replace_file

FORMAT = 3
SOURCE_MAP = Path("linkcheck") / "sources.json"  # under the cache folder, never in output/
SRCSET = re.compile(r"\bsrcset\s*=\s*[\"']([^\"']+)")
DATA_URL = re.compile(r"""https?://[^\s"'<>{}\[\],]+""")
TEMPLATE_LITERAL = re.compile(r"\b(?:href|src|srcset|poster|content)\s*=\s*[\"']([^\"'{]+)")


class TemplateRecorder:
    """Filled while pages render: page file → {URL produced by a helper: "templates/x.html:LINE"}."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, str]] = {}
        self.contents: dict[str, list[str]] = {}
        self._page: dict[str, str] = {}
        self._contents: list[str] = []
        self._lines: dict[int, tuple[Any, dict[int, str]]] = {}  # id(code) → (code, {offset: where})
        self._env, self._folder = None, ""  # read_templates

    def start(self, page_file: str) -> None:
        self._page = self.pages.setdefault(page_file, {})
        self._contents = self.contents.setdefault(page_file, [])

    def url_helper(self, helper: Callable[..., str]) -> Callable[..., str]:
        """The template helper, noting each URL it returns (once per page: a page names the same
        URL many times, and the test comes before any look at the calling frames)."""
        @functools.wraps(helper)
        def recorded(*args):
            value = helper(*args)
            if value not in self._page:
                where = self._caller(sys._getframe(1))
                if where is not None:
                    self._page[value] = where
            return value
        return recorded

    def body_helper(self, helper: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """The `body(item)` helper, noting that the item's Markdown is placed in the page."""
        @functools.wraps(helper)
        def recorded(item):
            self.content(item.source.path.as_posix())
            return helper(item)
        return recorded

    def read_templates(self, env: Any, template_dir: Path) -> None:
        """The environment whose templates call the helpers: a frame running code compiled from a file
        under `template_dir` is one of its templates (Jinja compiles each with its file's name)."""
        self._env, self._folder = env, os.path.join(os.path.abspath(template_dir), "")

    def _caller(self, frame) -> str | None:
        """The "templates/x.html:LINE" of the nearest compiled-template frame from `frame` outwards."""
        while frame is not None:
            filename = frame.f_code.co_filename
            if self._folder and filename.startswith(self._folder):
                # Looked up by the call's place in the compiled code rather than by frame.f_lineno:
                # Python 3.11 works a frame's line out by walking its code's line table from the
                # start, and a page template's root function is thousands of instructions long.
                # By the code object's id, not the object:
                # code objects compare equal without their file and hash all their constants. The
                # object is kept with its entries, so that its id cannot pass to another.
                code = frame.f_code
                known = self._lines.get(id(code))
                if known is None:
                    known = self._lines[id(code)] = (code, {})
                where = known[1].get(frame.f_lasti)
                if where is None:
                    name = filename[len(self._folder):].replace(os.sep, "/")
                    line = self._env.get_template(name).get_corresponding_lineno(frame.f_lineno)
                    where = known[1][frame.f_lasti] = f"templates/{name}:{line}"
                return where
            frame = frame.f_back
        return None

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
    data: dict[str, str] = field(default_factory=dict)  # URL → "content/_data/x.yaml:LINE" (menu, web addresses)
    common: dict[str, str] = field(default_factory=dict)  # URL → template file:line, same on every page

    def locate(self, page: str, url: str) -> tuple[str | None, str]:
        """(source, origin) of a reference: origin is "markdown", "template" or "" when unknown."""
        for content in self.contents.get(page, ()):
            line = self.markdown.get(content, {}).get(url)
            if line is not None:
                return f"{content}:{line}", "markdown"
        where = self.pages.get(page, {}).get(url) or self.common.get(url)
        if where is not None:  # a menu entry is fixed in site.yaml, not in the template that shows it
            return self.data.get(url, where), "template"
        if url in self.data:  # a web address from a data file, which a template prints on many pages
            return self.data[url], "template"
        prefixes = [(p, w) for p, w in self.literals if url.startswith(p)]
        if prefixes:
            return max(prefixes, key=lambda item: len(item[0]))[1], "template"
        return None, ""


def build_stamp(output: Path | str) -> list[int] | None:
    """Identifies one build of `output`: every build writes its marker file anew, so a map of an older
    build (made with another cache folder, say) is never taken for this one."""
    try:
        marker = os.stat(Path(output) / MARKER)
    except OSError:
        return None
    return [marker.st_ino, marker.st_mtime_ns]


def _stamp_file(path: Path) -> Path:
    """Beside the map, the small file that ties it to one build of the output (see build_stamp)."""
    return path.with_name(path.stem + ".stamp.json")


def _write_json(path: Path, data: dict) -> None:
    # one C-encoded string: far quicker than json.dump
    replace_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def stage_source_map(path: Path, source_map: SourceMap, inputs: str) -> None:
    """Write the map beside its place (commit_source_map puts it there): a build can make it in a
    child process before its output is swapped in, and a build that fails after that leaves the
    last map and stamp as they were."""
    data = {"format": FORMAT, "inputs": inputs, "base_url": source_map.base_url, "output": source_map.output,
            "pages": source_map.pages, "common": source_map.common, "contents": source_map.contents,
            "markdown": source_map.markdown,
            "literals": source_map.literals, "data": source_map.data}
    _write_json(_staged_file(path), data)


def commit_source_map(path: Path, output: Path, inputs: str, base_url: str | None, staged: bool) -> None:
    """Tie the map to this build of `output` with its stamp, after putting the staged one in place
    (`staged`), or keeping the saved one, made from the same inputs (see current_stamp)."""
    if staged:
        os.replace(_staged_file(path), path)  # the map first: a stamp never names a map a killed build did not finish
    _write_json(_stamp_file(path), {"inputs": inputs, "stamp": build_stamp(output), "base_url": base_url})


def _staged_file(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def current_stamp(path: Path, inputs: str) -> dict | None:
    """The saved map's stamp when that map was made from `inputs`: a rebuild that changed nothing it
    is made from then writes one small stamp, not a new map."""
    try:
        stored = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    current = isinstance(stored, dict) and bool(inputs) and stored.get("inputs") == inputs and path.is_file()
    return stored if current else None


def source_map_base_url(path: Path, output: Path) -> str | None:
    """The base URL the last build into `output` used, from the map's small stamp file when it says
    (reading the whole map of a big site only for this would cost a re-check a tenth of its time)."""
    try:
        stamp = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
        if stamp.get("stamp") == build_stamp(output) and isinstance(stamp.get("base_url"), str):
            return stamp["base_url"]
    except (OSError, ValueError, AttributeError):
        return None
    source_map = read_source_map(path, output)
    return source_map.base_url if source_map else None


def read_source_map(path: Path, output: Path) -> SourceMap | None:
    """The map of the last build into `output`; None when missing, damaged, or about another folder or build."""
    try:
        stamp = json.loads(_stamp_file(path).read_text(encoding="utf-8"))
        if stamp.get("stamp") != build_stamp(output):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data["output"] != os.path.abspath(output) \
                or data.get("inputs") != stamp.get("inputs"):
            return None
        return SourceMap(data["base_url"], data["output"], data["pages"], data["contents"], data["markdown"],
                         [tuple(item) for item in data["literals"]], data["data"], data["common"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


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


def data_lines(data_dir: Path, shown: Callable[[Path], str]) -> dict[str, str]:
    """URL → "content/_data/x.yaml:LINE" for each web address written in a data file: templates print
    them (a partner's link in the footer) on every page, and the data line is where one is fixed."""
    found: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.y*ml")) if data_dir.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the build has said what is wrong with it
        for number, line in enumerate(text.splitlines(), 1):
            if "://" in line:
                for match in DATA_URL.finditer(line):
                    found.setdefault(match.group().rstrip(".;)"), f"{shown(path)}:{number}")
    return found


def build_source_map(recorder: TemplateRecorder, markdown: dict[str, dict[str, int]], shown: Callable[[str], str],
                     base_url: str, output: Path, template_dir: Path, data: dict[str, str]) -> SourceMap:
    """`markdown`: each Markdown source's link targets with their lines (markdown_targets), by its
    name for people, which `shown` gives for a content-relative source."""
    contents = {page: [shown(c) for c in found] for page, found in recorder.contents.items() if found}
    common, pages = _factor(recorder.pages)
    return SourceMap(base_url, os.path.abspath(output), pages, contents, markdown,
                     template_literals(template_dir) if template_dir.is_dir() else [], data or {}, common)


def _factor(pages: dict[str, dict[str, str]]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """URLs made by one template line wherever they appear (menu, footer, assets) are kept once,
    not once per page: this keeps the map of a 2000-article site small and quick to write."""
    origins: dict[str, set[str]] = {}
    for urls in pages.values():
        for url, where in urls.items():
            origins.setdefault(url, set()).add(where)
    common = {url: next(iter(found)) for url, found in origins.items() if len(found) == 1}
    rest = {page: {u: w for u, w in urls.items() if u not in common} for page, urls in pages.items()}
    return common, {page: urls for page, urls in rest.items() if urls}
