"""What the link checker needs to name the Markdown or template line behind each reference of the
built site (linkcheck/sources.py), kept beside the cache and made again only when its inputs change.

Made by a background child once the pages are staged, staged beside its place, and tied to the
output/ it describes once that is swapped in (commit_map).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from generator.content.load import DATA_DIR
from generator.incremental.cache import DerivedRows, PageCache, code_digest
from generator.incremental.inputs import InputFiles
from generator.linkcheck.sources import (
    SOURCE_MAP,
    build_source_map,
    commit_source_map,
    current_stamp,
    data_lines,
    markdown_targets,
    menu_lines,
)
from generator.linkcheck.sources import stage_source_map as stage_map_file
from generator.markdown.render import LinkContext
from generator.problems import Problems
from generator.rendering.templates import RenderContext
from generator.settings import BuildSettings
from generator.site.links import content_urls


def stage_source_map(settings: BuildSettings, files: InputFiles, context: RenderContext, pages: PageCache,
                     problems: Problems) -> tuple[str, str | None, bool] | None:
    """What the link checker needs to name the Markdown or template line behind each reference,
    written beside its place; returns (inputs, base URL, whether a new map was staged) for
    commit_map, or None when it could not be written.

    Made again only when its inputs changed: every page's cache key (which covers what the page's
    templates recorded), every Markdown source with its first line, the templates, site.yaml's menu.
    """
    site, base_url, bodies = context.site, context.base_url, context.bodies
    body_keys = bodies.cache_keys
    urls = content_urls(site)
    links = LinkContext(urls, urlsplit(base_url).path or "/")
    items = [(i.source.path.as_posix(), i.body, i.source.body_line) for i in (*site.articles, *site.pages)]
    site_yaml = settings.content / "_data" / "site.yaml"
    inputs = source_map_inputs(settings, files, base_url, pages, urls, items, body_keys)
    target = settings.cache / SOURCE_MAP
    stored = current_stamp(target, inputs)
    if stored is not None:
        return inputs, stored.get("base_url"), False
    data = {**data_lines(settings.content / DATA_DIR, problems.shown),
            **menu_lines(site_yaml, [m.href for m in site.config.menu], links.base_path, problems.shown(site_yaml))}
    folder = problems.shown(settings.content)  # once, not once per article: the names only differ after it
    known = DerivedRows(settings.cache, "linkcheck-targets.pickle")
    stored_targets, made = known.load(), {}

    def targets(item: tuple) -> dict[str, int]:
        """An item's published link targets with their lines, from the cache by the body's key: it
        names everything they are made from (source, text, first line, the content URLs, the base
        path). After one edit, working them out again for every article was half of this map."""
        key = body_keys[item[0]]
        text = stored_targets.get(key)
        if text is None:
            written = bodies[item[0]].links  # read from the body cache only here, for the items edited
            text = json.dumps(list(markdown_targets(item[1], item[2], PurePosixPath(item[0]), links, written).items()),
                              ensure_ascii=False)
        made[key] = text
        return dict(json.loads(text))

    def shown(source: str) -> str:
        return source if folder == "." else f"{folder}/{source}"

    source_map = build_source_map(context.recorder, {shown(item[0]): targets(item) for item in items}, shown,
                                  base_url, settings.output, settings.templates, data)
    if made != stored_targets:
        known.save(made)  # only this build's items: the file does not grow
    try:
        stage_map_file(target, source_map, inputs)
    except OSError:
        return None  # the checker then reports pages without their source lines
    return inputs, base_url, True


def commit_map(settings: BuildSettings, staged: tuple[str, str | None, bool] | None) -> None:
    """Tie the map to the output just swapped in: the stamp names that build's marker file."""
    if staged is None:
        return
    try:
        commit_source_map(settings.cache / SOURCE_MAP, settings.output, *staged)
    except OSError:
        pass  # the checker then reports pages without their source lines


def source_map_inputs(settings: BuildSettings, files: InputFiles, base_url: str, pages: PageCache,
                       urls: dict[str, str], items: list[tuple], body_keys: dict[str, str]) -> str:
    """Each item counts by its body's cache key, which names its source, first line and Markdown
    (and so the links written in it) with the content URLs and base path they are published against."""
    blob = hashlib.sha256(repr((code_digest(), base_url, os.path.abspath(settings.output), str(settings.content),
                                sorted(pages.live.items()), sorted(urls.items()),
                                [body_keys[item[0]] for item in items])).encode())
    blob.update(files.under(settings.templates).encode())
    blob.update(files.under(settings.content / DATA_DIR).encode())  # the menu's lines, the data's web addresses
    return blob.hexdigest()
