"""What a build is asked to do (BuildSettings) and what it did (BuildResult): the values every
stage of the pipeline, the live rebuild and the commands pass between them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.output.staged import Changes
from generator.problems import Problem


@dataclass(frozen=True)
class BuildSettings:
    project: Path  # the folder messages are relative to
    content: Path
    output: Path
    templates: Path
    assets: Path
    cache: Path | None
    today: date
    base_url: str | None = None  # overrides site.yaml's base_url
    drafts: bool = False
    preview: bool = False
    strict: bool = False  # removed HTML (and every other warning) fails the build
    workers: int | None = None  # render processes; None: one per core when the site is big enough

    def __post_init__(self) -> None:
        # Paths enter here, from the command line or a test, relative to the folder the command ran in;
        # every later stage (the watcher reports absolute paths) sees them absolute and normalised.
        # Links are not resolved: the author's names for folders are the ones messages show.
        for name in ("project", "content", "output", "templates", "assets", "cache"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(os.path.abspath(value)))


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...]
    cache_hits: int = 0  # pages taken from the page cache instead of being rendered
    rendered: int = 0  # pages rendered by this build
    changes: Changes | None = None  # what differs from the previous output/ (also in output/.changes.txt)
    replayed: bool = False  # nothing changed since the last build (unchanged.py): nothing was built
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds) in the order they ran (timings.py)
    drafts: int = 0  # drafts left out of the site (the preview shows them)
    scheduled: int = 0  # articles dated after today, left out until their day
    images_encoded: int = 0  # images this build encoded rather than took from the image cache


Progress = Callable[[int, int], None]
