"""The spare folder: the build before last, brought up to date as the next staging folder.

Recycling must never show: every build equals a clean build byte for byte, unchanged pages keep
their inode and mtime, the previous output is never written through a hard link it shares, and a
spare that was touched by hand is thrown away rather than trusted.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import write_corpus
from generator.output import write
from generator.output.write import spare_dir
from generator.pipeline import build
from tests.conftest import REPO
from tests.incremental.test_incremental import (
    delete_article,
    edit_article,
    edit_card,
    edit_data,
    edit_template,
    listed_changes,
    settings,
    stats,
    tree,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_corpus(tmp_path, 24, seed=11)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


def wait_for_spare(output: Path, seconds: float = 30) -> Path:
    spare = spare_dir(output)
    deadline = time.monotonic() + seconds
    while not spare.is_dir():
        assert time.monotonic() < deadline, "the first build's spare was never made"
        time.sleep(0.05)
    return spare


def test_first_build_leaves_a_spare_of_hard_links(project: Path):
    build(settings(project))
    output = project / "output"
    spare = wait_for_spare(output)
    assert tree(spare) == tree(output)
    # links, not copies: the spare costs its folders only
    out_files = {p.relative_to(output): p.stat().st_ino for p in output.rglob("*") if p.is_file()}
    assert out_files == {p.relative_to(spare): p.stat().st_ino for p in spare.rglob("*") if p.is_file()}


def test_recycled_builds_equal_clean_builds_change_after_change(project: Path):
    output = project / "output"
    build(settings(project))
    wait_for_spare(output)
    for number, change in enumerate([edit_article, edit_template, delete_article, edit_card, edit_article,
                                     edit_data]):
        spare = spare_dir(output)
        spare_inode = spare.stat().st_ino
        before, before_stats = tree(output), stats(output)
        change(project)
        build(settings(project))
        assert output.stat().st_ino == spare_inode, f"step {number}: the spare became the output"
        clean = project / f"clean-{number}"
        build(settings(project, output=clean.name, cache=None))
        after = tree(output)
        assert after == tree(clean), f"step {number}: {change.__name__} differs from a clean build"
        # the previous output is now the spare, as it was: nothing was written through a shared link
        assert tree(spare) == before
        expected = {("A", p) for p in after.keys() - before.keys()} | \
            {("M", p) for p in after.keys() & before.keys() if after[p] != before[p]} | \
            {("D", p) for p in before.keys() - after.keys()}
        assert listed_changes(output) == expected
        after_stats = stats(output)
        unchanged = [p for p in after if before.get(p) == after[p]]
        assert unchanged and all(after_stats[p] == before_stats[p] for p in unchanged), step_message(number)


def step_message(number: int) -> str:
    return f"step {number}: an unchanged page lost its inode or mtime"


def test_a_page_reverted_to_older_bytes_is_right_and_unchanged_pages_keep_their_inode(project: Path):
    """The spare holds bytes two builds old: an edit that is undone brings them back, and they must
    match a clean build while the pages untouched by either build keep output/'s inode."""
    output = project / "output"
    build(settings(project))
    wait_for_spare(output)
    path = sorted((project / "content" / "bai-viet").rglob("*.md"))[2]
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\nMột câu thêm vào rồi bỏ đi.\n", encoding="utf-8")
    build(settings(project))
    before, before_stats = tree(output), stats(output)
    path.write_text(original, encoding="utf-8")
    build(settings(project))
    build(settings(project, output="clean", cache=None))
    after = tree(output)
    assert after == tree(project / "clean")
    after_stats = stats(output)
    assert all(after_stats[p] == before_stats[p] for p in after if before.get(p) == after[p])


def test_a_spare_touched_by_hand_is_not_used(project: Path):
    output = project / "output"
    build(settings(project))
    spare = wait_for_spare(output)
    page = next(p for p in spare.rglob("index.html") if p.parent != spare)
    page.unlink()  # the spare's copy only: output/ keeps its own link
    page.write_text("sửa tay", encoding="utf-8")
    (spare / "la.txt").write_text("tệp lạ", encoding="utf-8")
    spare_inode = spare.stat().st_ino
    edit_article(project)
    build(settings(project))
    assert output.stat().st_ino != spare_inode, "a spare that differs from its manifest is not recycled"
    build(settings(project, output="clean", cache=None))
    assert tree(output) == tree(project / "clean")


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_output_and_staging_are_exchanged_in_one_step(tmp_path: Path) -> None:
    """On Linux the new build replaces output/ with renameat2(RENAME_EXCHANGE), found among the
    interpreter's own symbols: the old folder is never missing, not even between two renames."""
    new, old = tmp_path / "staging", tmp_path / "output"
    new.mkdir()
    old.mkdir()
    (new / "which").write_text("new")
    (old / "which").write_text("old")
    assert write._exchange(new, old)
    assert (old / "which").read_text() == "new"
    assert (new / "which").read_text() == "old"
