"""write.replace_file, the one way every module writes a file someone may be reading."""

from __future__ import annotations

import os

import pytest

from generator.output.write import replace_file


def test_the_new_bytes_replace_the_old_and_a_hard_link_keeps_the_old(tmp_path):
    target = tmp_path / "trang" / "index.html"
    replace_file(target, b"cu")
    shared = tmp_path / "spare.html"
    os.link(target, shared)
    replace_file(target, b"moi")
    assert target.read_bytes() == b"moi"
    assert shared.read_bytes() == b"cu"  # the spare folder's copy is not written through
    assert sorted(p.name for p in target.parent.iterdir()) == ["index.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "record.json"
    replace_file(target, b"{}")
    with pytest.raises(TypeError):
        replace_file(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_keep_mode_keeps_the_authors_permissions(tmp_path):
    target = tmp_path / "bai.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    replace_file(target, b"new", keep_mode=True)
    assert target.stat().st_mode & 0o777 == 0o640 and target.read_bytes() == b"new"
