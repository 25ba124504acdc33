"""The persistent cache and write-if-changed never change what a build produces.

Each kind of change (an edited article, a template, a data file, a deleted article) is built
incrementally over a previous build and compared, byte for byte, with a clean build of the same
sources; files that did not change keep their inode and mtime, and output/.changes.txt names
exactly the files that differ. A damaged cache, a build killed mid-render and a parallel build
all give the same bytes too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from generator.incremental.cache import BodyCache
from generator.output.staged import CHANGES
from generator.output.write import MARKER
from generator.pipeline import build
from generator.settings import BuildSettings
from tests.conftest import REPO, TODAY, article


def settings(root: Path, output: str = "output", cache: str | None = ".cache", **extra) -> BuildSettings:
    return BuildSettings(project=root, content=root / "content", output=root / output, templates=root / "templates",
                         assets=REPO / "assets", cache=root / cache if cache else None, today=TODAY, **extra)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes by its path, leaving out our bookkeeping files (they hold mtimes)."""
    files = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in (MARKER, CHANGES):
            files[relative] = path.read_bytes()
    return files


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def listed_changes(output: Path) -> set[tuple[str, str]]:
    lines = (output / CHANGES).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    return {tuple(line.split(" ", 1)) for line in lines[1:]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_corpus(tmp_path, 24, seed=7)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


def some_article(root: Path) -> Path:
    return sorted((root / "content" / "bai-viet").rglob("*.md"))[3]


def edit_article(root: Path) -> None:
    path = some_article(root)
    path.write_text(path.read_text(encoding="utf-8") + "\n## Cập nhật mới\n\nĐơn vị đã bổ sung số liệu.\n",
                    encoding="utf-8")


def edit_template(root: Path) -> None:
    path = root / "templates" / "tag.html"
    path.write_text(path.read_text(encoding="utf-8").replace("{% block content %}",
                                                             "{% block content %}<p>Chủ đề theo thẻ</p>"),
                    encoding="utf-8")


def edit_card(root: Path) -> None:
    """A macro imported by the lists (and made once per build): every list must follow it."""
    path = root / "templates" / "partials" / "card.html"
    path.write_text(path.read_text(encoding="utf-8").replace('class="card-body"', 'class="card-body the-moi"'),
                    encoding="utf-8")


def edit_data(root: Path) -> None:
    path = root / "content" / "_data" / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0252 3822 455", "0252 3822 456"), encoding="utf-8")


def delete_article(root: Path) -> None:
    """Delete an article no other article links to (a link to it would rightly fail the build)."""
    articles = sorted((root / "content" / "bai-viet").rglob("*.md"))
    text = "".join(a.read_text(encoding="utf-8") for a in articles)
    next(a for a in articles if f"/{a.name}" not in text).unlink()


@pytest.mark.parametrize("change", [edit_article, edit_template, edit_card, edit_data, delete_article])
def test_incremental_build_equals_a_clean_build(project: Path, change):
    build(settings(project))
    output = project / "output"
    before, before_stats = tree(output), stats(output)
    change(project)
    result = build(settings(project))
    build(settings(project, output="clean", cache=None))
    after = tree(output)
    assert after == tree(project / "clean")
    expected = {("A", p) for p in after.keys() - before.keys()} | \
        {("M", p) for p in after.keys() & before.keys() if after[p] != before[p]} | \
        {("D", p) for p in before.keys() - after.keys()}
    assert expected, "the change must show in the output"
    assert listed_changes(output) == expected
    assert result.changes is not None and len(result.changes.lines()) == len(expected)
    after_stats = stats(output)
    unchanged = [p for p in after if before.get(p) == after[p]]
    assert unchanged
    assert all(after_stats[p] == before_stats[p] for p in unchanged)


def test_edit_and_template_change_rerender_only_the_pages_that_need_it(project: Path):
    first = build(settings(project))
    assert first.rendered == first.pages - 1 and first.cache_hits == 0  # the sitemap is not cached
    unchanged = build(settings(project))
    assert unchanged.rendered == 0 and listed_changes(project / "output") == set()
    edit_article(project)
    edited = build(settings(project))
    assert 1 <= edited.rendered <= 3  # the article, and the Atom feeds that carry its text
    edit_template(project)
    retemplated = build(settings(project))
    tag_pages = len(list((project / "output" / "the").glob("*/index.html")))
    assert retemplated.rendered == tag_pages


def test_damaged_cache_entries_are_ignored(project: Path):
    build(settings(project))
    cache = project / ".cache"
    blobs = sorted(p for p in (cache / "pages").rglob("*") if p.is_file() and p.name != "index.json")
    blobs[0].write_bytes(b"garbage")  # a hard link to the output file: output/ is damaged too
    with open(blobs[1], "r+b") as f:
        f.truncate(10)
    for shard in sorted((cache / "documents").glob("*.pickle"))[:3]:  # three of the shards, truncated
        shard.write_bytes(shard.read_bytes()[:100])
    with contextlib.closing(sqlite3.connect(cache / "markdown.sqlite")) as db, db:
        # each column of a stored body damaged in another row: the HTML (read when a page needs it),
        # the problems (read by every build) and the search terms (read when the index is made)
        keys = [key for (key,) in db.execute("SELECT key FROM rendered ORDER BY key")]
        assert len(keys) >= 3
        db.execute("""UPDATE rendered SET rest = '{"html": ' WHERE key = ?""", (keys[0],))
        db.execute("UPDATE rendered SET problems = '[{' WHERE key = ?", (keys[1],))
        db.execute("UPDATE rendered SET terms = x'ff' WHERE key = ?", (keys[2],))  # bytes, not text
    shutil.rmtree(project / "output")
    edit_article(project)
    build(settings(project))
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")
    (cache / "pages" / "index.json").write_text("[not an index", encoding="utf-8")
    build(settings(project))
    assert tree(project / "output") == tree(project / "clean")
    (cache / "markdown.sqlite").write_bytes(b"not a database" * 100)
    shutil.rmtree(project / "output")
    build(settings(project))
    assert tree(project / "output") == tree(project / "clean")
    with contextlib.closing(sqlite3.connect(cache / "markdown.sqlite")) as db:  # made anew, whole
        assert db.execute("SELECT count(*) FROM rendered").fetchone()[0] > 0


def test_one_edit_writes_again_only_the_document_shards_it_changed(project: Path):
    build(settings(project))
    shards = project / ".cache" / "documents"
    before = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.pickle")}
    assert len(before) >= 8, "24 documents fall into most of the sixteen shards"
    time.sleep(0.01)
    edit_article(project)
    build(settings(project))
    after = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.pickle")}
    rewritten = [name for name in after if after[name] != before.get(name)]
    assert 1 <= len(rewritten) <= 2, "the shard losing the old version, and the one gaining the new"
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")


def _damage_bodies(cache: Path, column: str, value: object) -> int:
    with contextlib.closing(sqlite3.connect(cache / "markdown.sqlite")) as db, db:
        return db.execute(f"UPDATE rendered SET {column} = ?", (value,)).rowcount


def test_bodies_are_read_from_the_cache_only_when_needed_and_made_again_when_unreadable(project: Path,
                                                                                        monkeypatch):
    """A rebuild reads a stored body's HTML only for the pages it renders, and the search terms of
    all only when the index is made again; a column damaged after the build checked the cache is
    met there, and the body rendered again, giving the bytes of a clean build."""
    build(settings(project))
    cache = project / ".cache"
    read: list[str] = []
    terms_read: list[int] = []
    real_fetch, real_terms = BodyCache.fetch, BodyCache.terms

    def fetch(self, key):
        read.append(key)
        return real_fetch(self, key)

    def terms(self, keys):
        terms_read.append(len(keys))
        return real_terms(self, keys)

    monkeypatch.setattr(BodyCache, "fetch", fetch)
    monkeypatch.setattr(BodyCache, "terms", terms)
    edit_template(project)  # the tag pages: they show no article's body
    retemplated = build(settings(project, workers=1))  # one process: every read is counted here
    assert retemplated.rendered > 0
    assert read == [] and terms_read == [], "no page rendered shows a body, and the search index is unchanged"
    edit_article(project)
    build(settings(project, workers=1))
    assert terms_read == [23], "the search index is made again: the terms of every body but the edited one are read"
    assert len(read) < 24, "the feeds show the edited article: they read the bodies they show, the edited one excepted"
    monkeypatch.undo()
    # Every row's HTML damaged, then every article page rendered again (its template changed):
    # each page reads its body from the cache, finds it damaged and renders the Markdown.
    assert _damage_bodies(cache, "rest", '{"html": ') >= 24
    article_template = project / "templates" / "article.html"
    article_template.write_text(article_template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<p>Bài viết</p>", 1), encoding="utf-8")
    rebuilt = build(settings(project))
    assert rebuilt.rendered >= 24
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")
    # Every row's search terms damaged, then one article edited: the index is made again from every
    # article's terms, and for the damaged ones their bodies are rendered again.
    assert _damage_bodies(cache, "terms", b"\xff") >= 24
    edit_article(project)
    build(settings(project))
    shutil.rmtree(project / "clean")
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")
    # Every row's problems damaged: every body is rendered again, and the output does not change.
    assert _damage_bodies(cache, "problems", "[{") >= 24
    edit_article(project)
    again = build(settings(project))
    shutil.rmtree(project / "clean")
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")
    assert again.warnings == build(settings(project, output="clean", cache=None)).warnings


def test_damaged_derived_entries_are_ignored(project: Path):
    """The caches added for rebuild speed: Jinja's compiled templates, the template keys, the search
    index's rows and the page records. Truncated or garbage, each is ignored and made again."""
    build(settings(project))
    cache = project / ".cache"
    compiled = sorted((cache / "jinja").rglob("*.cache"))
    assert compiled
    compiled[0].write_bytes(compiled[0].read_bytes()[:40])
    for other in compiled[1:3]:
        other.write_bytes(b"garbage")
    (cache / "derived" / "template-keys.json").write_text("{not json", encoding="utf-8")
    (cache / "derived" / "search-rows.pickle").write_bytes(b"\x80\x05garbage")
    (cache / "pages" / "sources.pickle").write_bytes(b"")
    shutil.rmtree(cache / "pages" / next(p.name for p in (cache / "pages").iterdir() if p.is_dir()))
    edit_article(project)
    edit_template(project)  # every page using tag.html is rendered again, from damaged bytecode too
    build(settings(project))
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")


@pytest.mark.parametrize("damage", ["undecodable", "edited", "truncated"])
def test_a_stored_search_index_with_damaged_text_is_made_again(project: Path, damage: str):
    """The search index is kept under the digest of its inputs, with the digest of its bytes; bytes
    damaged behind a matching key (a disk error, an edit by hand) are made again, not published."""
    build(settings(project))
    stored = project / ".cache" / "derived" / "search-index.json"
    key_line, _, data = stored.read_bytes().partition(b"\n")
    damaged = {"undecodable": b"\xff\xfe{", "edited": data.replace(b'"v":', b'"v":9', 1),
               "truncated": data[: len(data) // 2]}[damage]
    assert damaged != data
    stored.write_bytes(key_line + b"\n" + damaged)
    edit_template(project)  # a build with something to do, the index's inputs unchanged
    build(settings(project))
    build(settings(project, output="clean", cache=None))
    assert tree(project / "output") == tree(project / "clean")


def test_parallel_and_serial_builds_are_identical(project: Path):
    serial = build(settings(project, output="serial", cache=None, workers=1))
    parallel = build(settings(project, output="parallel", cache=None, workers=2))
    assert serial.rendered == parallel.rendered > 0
    assert tree(project / "serial") == tree(project / "parallel")


def test_the_builds_environment_renders_every_page_as_the_preview_servers_does(project: Path):
    """A build's environment hands templates their globals as one dict and checks no template file
    again; the preview server's keeps Jinja's ChainMap and checks."""
    from generator.content.load import load_site
    from generator.incremental.bodies import render_bodies
    from generator.machinery import serial_map
    from generator.output import assets
    from generator.problems import Problems
    from generator.rendering import templates as render
    from generator.site import routes
    from generator.site.links import link_context

    problems = Problems(root=project)
    site = load_site(project / "content", problems, published_by=TODAY)
    bodies = render_bodies(site, link_context(site, site.config.base_url), None, problems, serial_map)
    context = render.RenderContext(site, site.config.base_url, assets.fingerprint(REPO / "assets"), bodies, TODAY)
    pages = routes.build_routes(site, TODAY)
    environments = [render.make_environment(project / "templates", context, one_build=one) for one in (True, False)]
    assert type(environments[0].get_template("base.html").globals) is dict
    rendered = [[render.render_route(env, route) for route in pages] for env in environments]
    assert len(pages) > 40 and rendered[0] == rendered[1]


def test_the_link_checkers_map_made_in_a_child_is_the_one_made_in_process(project: Path):
    """With two workers the map is made in a forked child while the output is swapped in, and put in
    place and stamped after; it must say what the serial build's says, and be tied to its build."""
    from generator.linkcheck.sources import SOURCE_MAP, read_source_map

    maps = {}
    for workers in (1, 2):
        build(settings(project, output=f"out{workers}", cache=f".cache{workers}", workers=workers))
        maps[workers] = read_source_map(project / f".cache{workers}" / SOURCE_MAP, project / f"out{workers}")
        assert maps[workers] is not None, "no map tied to this build"
        assert not list((project / f".cache{workers}").rglob("*.new")), "a staged map was left behind"
    serial, forked = maps[1], maps[2]
    assert (forked.pages, forked.common, forked.markdown) == (serial.pages, serial.common, serial.markdown)
    assert forked.markdown and forked.pages
    edit_article(project)  # a changed body: a new map, committed again over the old one
    build(settings(project, output="out2", cache=".cache2", workers=2))
    again = read_source_map(project / ".cache2" / SOURCE_MAP, project / "out2")
    assert again is not None and again.pages == forked.pages


def test_the_link_checkers_map_after_an_edit_is_the_one_a_clean_build_makes(project: Path):
    """The map's Markdown part (each link target's line) is kept per body in the cache, by the
    body's key; after an edit that moves one article's links down and adds one, the map names the
    new lines, as a clean build's does, and no other article's targets are worked out again."""
    from generator.linkcheck.sources import SOURCE_MAP, read_source_map

    build(settings(project))
    stored = project / ".cache" / "derived" / "linkcheck-targets.pickle"
    assert stored.is_file()
    path = some_article(project)
    front, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
    path.write_text(f"---\n{front}---\nMở đầu.\n\nXem [báo cáo](https://monre.gov.vn/bao-cao-moi).\n{body}",
                    encoding="utf-8")
    build(settings(project))
    build(settings(project, output="clean", cache=".clean-cache"))
    incremental = read_source_map(project / ".cache" / SOURCE_MAP, project / "output")
    clean = read_source_map(project / ".clean-cache" / SOURCE_MAP, project / "clean")
    assert incremental is not None and clean is not None
    assert incremental.markdown == clean.markdown
    edited = next(targets for name, targets in incremental.markdown.items() if name.endswith(path.name))
    assert edited["https://monre.gov.vn/bao-cao-moi"] == _line_of(path, "báo cáo")
    moved = [url for url, line in edited.items() if url != "https://monre.gov.vn/bao-cao-moi"]
    assert moved, "the corpus article links elsewhere too"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_templates_compiled_by_an_earlier_build_render_the_same_pages_and_map(project: Path):
    """Jinja's bytecode cache (.cache/jinja/): every page rendered again from compiled templates
    equals a clean build, and the link checker still learns each reference's template line."""
    from generator.linkcheck.sources import SOURCE_MAP, read_source_map

    build(settings(project))
    assert list((project / ".cache" / "jinja").rglob("*.cache"))
    shutil.rmtree(project / ".cache" / "pages")  # every page must be rendered again…
    (project / ".cache" / "last-build.json").unlink()
    edit_article(project)  # …by a build that has something to do
    assert build(settings(project)).cache_hits == 0
    build(settings(project, output="clean", cache=".clean-cache"))
    assert tree(project / "output") == tree(project / "clean")
    compiled = read_source_map(project / ".cache" / SOURCE_MAP, project / "output")
    fresh = read_source_map(project / ".clean-cache" / SOURCE_MAP, project / "clean")
    assert compiled is not None and fresh is not None
    assert (compiled.pages, compiled.common) == (fresh.pages, fresh.common) and compiled.common


def test_a_build_that_fails_leaves_no_child_process_behind(project: Path, monkeypatch):
    """The search index is made by a forked child from the moment the bodies are rendered; a build
    that fails before taking it (here: keying the pages raises) stops the child instead of leaving
    it blocked on a pipe nobody reads."""
    import multiprocessing

    import generator.incremental.machinery
    from generator.incremental import search_rows

    def slow_index(*_args):
        time.sleep(60)
        return b""

    def broken_key(*_args):
        raise RuntimeError("keying failed")

    monkeypatch.setattr(search_rows, "index_data", slow_index)
    monkeypatch.setattr(generator.incremental.machinery.RouteKeys, "key", broken_key)
    before = set(multiprocessing.active_children())
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="keying failed"):
        build(settings(project, workers=2))
    assert set(multiprocessing.active_children()) == before
    assert time.monotonic() - started < 30, "the build waited for the child"
    assert not (project / "output").exists()


def test_a_killed_build_leaves_output_untouched_and_the_next_build_succeeds(tmp_path: Path):
    write_corpus(tmp_path, 150, seed=3)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    build(settings(tmp_path))
    output = tmp_path / "output"
    before = tree(output)
    edit_data(tmp_path)  # every page must be rendered again
    command = [sys.executable, "-m", "generator", "build", "--today", TODAY.isoformat()]
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".output.staging-*/tin-tuc/*/*/index.html")):  # rendering has begun
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the build and any render workers
    process.wait()
    assert tree(output) == before
    finished = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    build(settings(tmp_path, output="clean", cache=None))
    assert tree(output) == tree(tmp_path / "clean")
    assert not list(tmp_path.glob(".output.staging-*"))


def test_first_build_lists_every_file_as_added_and_an_old_marker_still_links(make_site):
    site = make_site({"bai-viet/a.md": article("Bài một"), "bai-viet/b.md": article("Bài hai", date="2023-03-23")})
    site.build()
    files = set(tree(site.output))
    assert listed_changes(site.output) == {("A", p) for p in files}
    before = stats(site.output)
    (site.output / MARKER).write_text("built by awareness\n", encoding="utf-8")  # a build by an older version
    shutil.rmtree(site.root / ".cache")
    result = site.build()
    assert result.rendered > 0 and listed_changes(site.output) == set()
    after = stats(site.output)
    assert all(after[p] == before[p] for p in files)


def test_nothing_changed_is_answered_without_building_and_anything_else_builds(project: Path):
    """The whole-build shortcut (unchanged.py): only the very same inputs and output are answered from the record."""
    hostile = some_article(project)
    pasted = '\n<span onclick="x()">Đoạn dán</span>\n'
    hostile.write_text(hostile.read_text(encoding="utf-8") + pasted, encoding="utf-8")
    first = build(settings(project))
    assert first.warnings and not first.replayed
    output = project / "output"
    clean, before = tree(output), stats(output)
    again = build(settings(project))
    assert again.replayed and again.rendered == 0
    assert again.warnings == first.warnings  # the author still hears about the pasted HTML
    assert (again.pages, again.files) == (first.pages, first.files)
    assert {p: s for p, s in stats(output).items() if p != CHANGES} == {p: s for p, s in before.items() if p != CHANGES}
    assert listed_changes(output) == set()

    assert not build(dataclasses.replace(settings(project), today=TODAY + timedelta(days=1))).replayed
    assert not build(settings(project)).replayed  # and back: the day is an input

    page = sorted(output.rglob("index.html"))[5]
    page.unlink()  # a page removed by hand from output/ …
    other = sorted(output.rglob("index.html"))[9]
    other.write_bytes(other.read_bytes().replace(b"</main>", "<p>sửa tay</p></main>".encode()))  # … one edited by hand
    repaired = build(settings(project))
    assert not repaired.replayed and tree(output) == clean
    assert build(settings(project)).replayed

    (project / "templates" / "tag.html").touch()  # the same bytes: still nothing to do
    assert build(settings(project)).replayed
    edit_template(project)
    assert not build(settings(project)).replayed


def test_the_cli_says_when_nothing_changed(project: Path):
    command = [sys.executable, "-m", "generator", "build", "--content", "content", "--output", "output",
               "--cache-dir", ".cache", "--today", TODAY.isoformat()]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, check=True)
    second = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, check=True)
    assert "Đã dựng" in first.stdout and "Không có gì thay đổi" not in first.stdout
    assert "Không có gì thay đổi kể từ lần dựng trước" in second.stdout
