"""Nothing changed since the last build: say so without building again.

A build whose every input hashes as the last successful one did, into an output folder still
exactly as that build left it, would produce the same bytes; `make` and Bazel stop there too. The
inputs are the bytes of every file under content/, templates/ and assets/, the build's settings
(the day included: scheduled articles and the plan's deadlines depend on it), the generator's code
and the versions of the libraries that shape the HTML. The output is checked against the manifest
the last build wrote into it (every file's size and modification time), so a file deleted or
edited by hand there sends the build down the normal path, which repairs it.

The record lives in the cache folder, is written only after a successful build, and carries the
warnings that build printed, so a second run reports them again.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.incremental.cache import code_digest
from generator.incremental.inputs import InputFiles
from generator.output.staged import Changes, output_as_written, write_changes
from generator.output.write import MARKER, replace_file
from generator.problems import Problem

RECORD = "last-build.json"
LIBRARIES = ("jinja2", "markdown", "nh3", "frontmatter", "yaml")  # modules every build imports anyway
UNIMPORTED = ("lxml",)  # needed on a rare path only (markdown_render.html_text): not imported to be named


def inputs_digest(files: InputFiles, settings: tuple) -> str:
    """The bytes of every input file, with `settings` (anything else the build reads)."""
    return hashlib.sha256(repr((code_digest(), _library_versions(), settings, files.everything())).encode()).hexdigest()


@dataclass(frozen=True)
class LastBuild:
    pages: int
    files: int
    warnings: tuple[Problem, ...]
    drafts: int = 0
    scheduled: int = 0


def replay(cache: Path | None, output: Path, inputs: str, also_needed: tuple[Path, ...] = ()) -> LastBuild | None:
    """What the last build reported, when nothing changed since; else None.

    also_needed: files that build left in the cache for others (the link checker's source map).
    """
    if cache is None or not all(path.is_file() for path in also_needed):
        return None
    try:
        record = json.loads((cache / RECORD).read_text(encoding="utf-8"))
        marker = (output / MARKER).read_bytes()
        if record["inputs"] != inputs or record["marker"] != hashlib.sha256(marker).hexdigest():
            return None
        if not output_as_written(output):
            return None
        answer = LastBuild(int(record["pages"]), int(record["files"]), tuple(Problem(**p) for p in record["warnings"]),
                           int(record.get("drafts", 0)), int(record.get("scheduled", 0)))
        write_changes(output, Changes((), (), ()))  # nothing changed since the last build
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return answer


def remember(cache: Path | None, output: Path, inputs: str, build: LastBuild) -> None:
    """Record a successful build; a record that cannot be written only costs the next build time."""
    if cache is None:
        return
    try:
        marker = hashlib.sha256((output / MARKER).read_bytes()).hexdigest()
        text = json.dumps({"inputs": inputs, "marker": marker, **asdict(build)}, ensure_ascii=False)
        replace_file(cache / RECORD, text.encode("utf-8"))
    except OSError:
        pass


def _library_versions() -> tuple[str, ...]:
    """Each library's __version__; for one without (python-frontmatter), or one a build seldom
    imports, its package file's size and mtime, which an upgrade changes. importlib.metadata would
    say the same at a cost every build would pay."""
    versions = []
    for name in LIBRARIES + UNIMPORTED:
        try:
            module = importlib.import_module(name) if name in LIBRARIES else None
            version = getattr(module, "__version__", None) or _file_stamp(name)
        except (ImportError, OSError, TypeError, AttributeError):  # not installed: said as such
            version = "?"
        versions.append(f"{name}={version}")
    return tuple(versions)


def _file_stamp(name: str) -> str:
    """The size and mtime of a package's file, found without importing it."""
    stat = os.stat(importlib.util.find_spec(name).origin)
    return f"{stat.st_size}:{stat.st_mtime_ns}"
