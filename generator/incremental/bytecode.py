"""Jinja's bytecode cache in the build's cache folder: where it lives and which entries stay valid.

Rendering takes a ready `jinja2.BytecodeCache` (or none) and knows nothing of this folder; the
build and the template-preparing child make one here, so that a rebuild loads its templates
compiled instead of compiling them again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

from generator.incremental.cache import code_digest


def compiled_dir(cache_dir: Path) -> Path:
    """Jinja's bytecode cache within the build's cache folder."""
    return cache_dir / "jinja"


def in_cache(cache_dir: Path | None) -> jinja2.BytecodeCache | None:
    """The bytecode cache of a build's cache folder; None without one (templates compile in memory)."""
    return None if cache_dir is None else bytecode_cache(compiled_dir(cache_dir))


def bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """A bytecode cache in a subfolder of `folder` named by the generator's code digest.

    Jinja keys an entry by the template's name and source, not by the environment's options or
    the filters compiled into it, which are the generator's code: another code gets other entries,
    and the older ones, never read again, are removed."""
    current = folder / code_digest()[:16]
    try:
        current.mkdir(parents=True, exist_ok=True)
        for other in folder.iterdir():
            if other != current and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        return None  # compiled in memory, as without a cache
    return _BytecodeCache(str(current))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's own, but an entry that cannot be read is compiled again: Jinja checks the magic
    bytes and catches a bad code object, but a truncated checksum (pickled) raised out of the render."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - any damage: the template is compiled from its source
            bucket.reset()
