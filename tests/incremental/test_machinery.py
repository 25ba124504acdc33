"""The pipeline with its speed machinery and without it writes the same bytes (generator/machinery.py).

Plain does every stage in one process with no cache; Incremental (generator/incremental/machinery.py)
takes what it can from its caches and renders the rest in worker processes, forked on Linux and
spawned where fork is unsafe or missing (macOS, Windows). Whatever it reused, a build's output/
must be what Plain makes from the same sources: clean, after a no-change run and after each kind of
edit. Bookkeeping files (the manifest, the changes list) are left out: they hold times.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator.incremental.parallel as parallel
from benchmarks.corpus import write_corpus
from generator.machinery import Plain
from generator.output.staged import CHANGES
from generator.output.write import MARKER
from generator.pipeline import build
from generator.settings import BuildSettings
from tests.conftest import REPO, TODAY, article

EDITS = {
    "an article's text": lambda root: _append(_article(root, 3), "\n## Cập nhật\n\nĐơn vị bổ sung số liệu.\n"),
    "an article's tags": lambda root: _replace(_article(root, 5), "tags: [", "tags: [thẻ mới, "),
    "a template": lambda root: _replace(root / "templates" / "base.html", "</body>", "<!-- sửa --></body>"),
    "a data file": lambda root: _replace(root / "content" / "_data" / "site.yaml", "title:", "title: Mới -"),
    "a new article": lambda root: _new(root).write_text(
        article("Bài mới về tiết kiệm nước", tags="[nước]"), encoding="utf-8"),
    "an article made a draft": lambda root: _replace(_new(root), "---\n", "---\ndraft: true\n", count=1),
    "a deleted article": lambda root: _new(root).unlink(),
}


def _article(root: Path, number: int) -> Path:
    return sorted((root / "content" / "bai-viet").rglob("*.md"))[number]


def _new(root: Path) -> Path:
    return root / "content" / "bai-viet" / "bai-moi.md"  # no other article links to it


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def published(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (MARKER, CHANGES)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_corpus(tmp_path, 30, seed=11)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


def _settings(root: Path, output: str, cache: str | None, workers: int | None = None) -> BuildSettings:
    return BuildSettings(project=root, content=root / "content", output=root / output, templates=root / "templates",
                         assets=REPO / "assets", cache=root / cache if cache else None, today=TODAY, workers=workers)


def _plain(root: Path) -> dict[str, bytes]:
    shutil.rmtree(root / "plain", ignore_errors=True)
    settings = _settings(root, "plain", None)
    build(settings, machinery=Plain(settings))
    return published(root / "plain")


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_plain_and_incremental_builds_write_the_same_bytes_after_every_kind_of_edit(project, monkeypatch, start):
    if start == "spawn":  # as on macOS and Windows: the workers are spawned, and sent what they share
        monkeypatch.setattr(parallel, "fork_context", lambda: None)
    elif parallel.fork_context() is None:
        pytest.skip("fork is Linux's only")
    incremental = _settings(project, "output", ".cache", workers=2)  # two workers even for a small site
    first = build(incremental)
    assert first.rendered > 30 and published(project / "output") == _plain(project)
    again = build(incremental)
    assert again.replayed and published(project / "output") == _plain(project)
    for edit, make in EDITS.items():
        make(project)
        result = build(incremental)
        assert not result.replayed
        assert published(project / "output") == _plain(project), f"after {edit}"
    assert result.cache_hits > 0, "the last builds took unchanged pages from the cache"


def test_a_plain_build_uses_no_cache_and_no_other_process(project, monkeypatch):
    def no_workers(*_args, **_kwargs):
        raise AssertionError("a plain build starts no process")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_workers)
    settings = _settings(project, "plain", None)
    result = build(settings, machinery=Plain(settings))
    assert result.pages > 30 and not result.replayed and result.cache_hits == 0
    assert not (project / ".cache").exists()
