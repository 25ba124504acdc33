"""Input files' hashes kept between builds by their stat (generator/incremental/inputs.py), as git's index does.

A kept hash is used only while the file's inode, size, modification and change times are all as
they were; a file touched in the last two seconds before a build is never kept. The tests that
need a hash kept at once set that margin to zero (a file made by a test is always that young).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest
from conftest import article

from generator.incremental import inputs
from generator.incremental.inputs import InputFiles


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "bai-viet").mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md"):
        (root / "bai-viet" / name).write_text(f"Bài {name}\n", encoding="utf-8")
    return root


def sha(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def test_a_file_rewritten_with_its_old_size_and_modification_time_is_hashed_again(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    memo = tmp_path / "inputs.pickle"
    target = folder / "bai-viet" / "b.md"
    InputFiles.read([folder], memo)
    before = target.stat()
    target.write_text("Bài b.mX\n", encoding="utf-8")  # the same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a copy or an unpacked archive keeps it
    assert target.stat().st_mtime_ns == before.st_mtime_ns and target.stat().st_size == before.st_size
    assert InputFiles.read([folder], memo).of(target) == sha(target), "its change time gives it away"


def test_unchanged_files_are_not_read_again_and_a_changed_one_is(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    memo = tmp_path / "inputs.pickle"
    first = InputFiles.read([folder], memo)
    opened: list[str] = []
    real_open = open

    def spy(path, *args, **kwargs):
        if Path(path).is_relative_to(folder):  # not the memo itself
            opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(inputs, "open", spy, raising=False)  # found before the builtin
    assert InputFiles.read([folder], memo) == first
    assert opened == []
    edited = folder / "bai-viet" / "a.md"
    edited.write_text("Bài a, sửa lại\n", encoding="utf-8")
    again = InputFiles.read([folder], memo)
    assert opened == [os.fspath(edited)]
    assert again.of(edited) == sha(edited) and again.digests.keys() == first.digests.keys()


def test_a_file_touched_just_before_the_build_is_never_kept(folder, tmp_path):
    memo = tmp_path / "inputs.pickle"
    files = InputFiles.read([folder], memo)
    assert {Path(p).name for p in files.digests} == {"a.md", "b.md", "c.md"}
    kept = pickle.loads(memo.read_bytes()) if memo.exists() else {}
    assert kept == {}, "made a moment ago: a second write in the same clock tick would look the same"


def test_a_damaged_memo_is_ignored(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    memo = tmp_path / "inputs.pickle"
    InputFiles.read([folder], memo)
    memo.write_bytes(b"\x80\x05 not a pickle")
    files = InputFiles.read([folder], memo)
    assert all(files.of(p) == sha(p) for p in (folder / "bai-viet").iterdir())
    memo.write_bytes(pickle.dumps({os.fspath(folder / "bai-viet" / "a.md"): "not a stat and hash"}))
    assert InputFiles.read([folder], memo).of(folder / "bai-viet" / "a.md") == sha(folder / "bai-viet" / "a.md")


def test_a_build_publishes_an_edit_that_kept_the_files_size_and_modification_time(make_site, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    site = make_site({"bai-viet/a.md": article("Bài A", body="Nội dung cũ.")})
    site.build()
    assert "Nội dung cũ." in site.html("tin-tuc/2023/bai-a/").get_text()
    source = site.content / "bai-viet" / "a.md"
    before = source.stat()
    source.write_text(source.read_text(encoding="utf-8").replace("cũ.", "cũ!"), encoding="utf-8")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_size == before.st_size
    site.build()
    assert "Nội dung cũ!" in site.html("tin-tuc/2023/bai-a/").get_text()
