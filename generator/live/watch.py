"""`awareness build --watch`: the publishing front-end of the live-rebuild engine (engine.py), which
keeps output/ up to date while the sources change, without a build per save.

The first build is an ordinary one (the pipeline's). Then the site it published is loaded once more
into the engine, with the search index as separate rows. When an author saves articles or pages and
each edit keeps its place (its routing key, and whether it is a draft), the engine patches the routes
that show them, and here their pages, the changed rows of the search index and the manifest are
written into output/, each file atomically, so the next ordinary build trusts them.

Anything else (a new, moved or deleted file, a template, an asset, a data file, an edit that moves
an article, a file with a problem) is handed to an ordinary build, which reports every problem and
leaves output/ as it was when there is an error. The output a save leaves is the output a clean
build of the same sources makes (tests/live/test_watch.py holds the two to the same bytes).

output/.changes.txt lists every file that differs from the output/ the command started with,
whatever number of saves and builds made the changes: what the webmaster uploads after the session.
"""

from __future__ import annotations

import gc
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath

from generator.content.model import Article
from generator.live.changes import ChangeKind, absolute, classify, saved_batches
from generator.live.engine import LiveSite, Published, Saved, ordinary_build, published_site
from generator.markdown.render import RenderedBody, render_body
from generator.output import staged
from generator.output.lock import BuildLocked, output_lock
from generator.output.staged import Changes
from generator.problems import BuildFailed
from generator.rendering.templates import TemplateProblem
from generator.settings import BuildResult, BuildSettings
from generator.site import search
from generator.site.routes import Route
from generator.site.search_entries import body_texts, search_entries

PATCH_AT_MOST = 20  # saved files patched one by one; more at once are an ordinary (parallel) build


@dataclass(frozen=True)
class Update:
    """What one save did to output/."""

    written: tuple[str, ...]  # files of output/ written (a build: those it added or modified)
    seconds: float
    build: BuildResult | None = None  # set when the save was handed to an ordinary build


class _NeedsBuild(Exception):
    """The saved files cannot be patched into the published site: an ordinary build must run."""


class Watcher:
    """The published site in memory, and how one batch of saved files changes output/."""

    def __init__(self, settings: BuildSettings, today: Callable[[], date] | None = None):
        """`today`: the date now, when the build's date is the calendar's (no --today): the home page,
        scheduled articles and the plans' progress change with it, so a new day is a new build."""
        self.settings = settings
        self._today = today
        self.changes = Changes((), (), ())  # against the output/ the command started with
        self._state: Published | None = None
        self._writer = staged.InPlaceWriter(settings.output)

    def start(self, result: BuildResult | None) -> None:
        """The watch begins after `result`, the ordinary build the command ran (None: it failed, and
        the first save builds again); the changes it listed begin the watch's list."""
        if result is None:
            return
        self.changes = result.changes or Changes((), (), ())
        self._load()

    def _load(self) -> None:
        gc.unfreeze()  # the site loaded before, now garbage, is collected again
        self._state = None
        self._state = published_site(self.settings)
        # Set aside from the cyclic collector: a save makes a little garbage, and each full collection
        # walked the whole site to find it.
        gc.freeze()

    def _new_day(self) -> bool:
        """Whether the calendar's date moved on since the last build; the settings follow it."""
        if self._today is None or self._today() == self.settings.today:
            return False
        self.settings = replace(self.settings, today=self._today())
        return True

    def forget(self) -> None:
        """Drop the site in memory: the next save runs an ordinary build (after an update that failed
        half-way, output/ may hold some of its files, which that build's manifest check sees)."""
        self._state = None

    def _build(self) -> Update:
        """An ordinary build, then the site it published loaded for the saves to come. BuildFailed
        is raised as by build(); output/ then stays as it was."""
        started = time.perf_counter()
        try:
            result = ordinary_build(self.settings)
        except BuildFailed:
            # Until a build succeeds, every save builds: patching another file meanwhile would publish
            # a site that an ordinary build of these sources refuses.
            self._state = None
            raise
        if result.changes is not None and not result.replayed:
            self.changes = self.changes.then(result.changes)
            staged.write_changes(self.settings.output, self.changes)
        self._load()
        changes = result.changes or Changes((), (), ())
        return Update(changes.added + changes.modified, time.perf_counter() - started, result)

    def tick(self) -> Update | None:
        """Between saves: an ordinary build when the day changed (BuildFailed as build()), else None."""
        return self._build() if self._new_day() else None

    def apply(self, paths: Iterable[Path]) -> Update:
        """Bring output/ up to date after `paths` were saved (one batch); BuildFailed as build()."""
        started = time.perf_counter()
        kinds = {absolute(p): classify(p, self.settings) for p in paths}
        kinds = {p: k for p, k in kinds.items() if k is not None}
        if not kinds:
            return Update((), time.perf_counter() - started)
        if self._new_day() or self._state is None:
            return self._build()
        try:
            with output_lock(self.settings.output):
                written = self._patch(kinds)
        except _NeedsBuild:
            return self._build()
        return Update(written, time.perf_counter() - started)

    def _patch(self, kinds: dict[Path, ChangeKind]) -> tuple[str, ...]:
        """Write what the saved files change into output/; _NeedsBuild when they cannot be patched.
        The site in memory is changed as it goes: after _NeedsBuild the build loads it afresh."""
        saved = self._saved(kinds)
        if len(saved) > PATCH_AT_MOST:
            raise _NeedsBuild  # a branch switched or a folder copied in: the build's workers do it faster
        edits = self._reload(saved)
        if not edits:
            return ()
        state = self._state
        live = state.live
        new_bodies = {s.source: body for s, body in edits}
        files = {route.file: _rendered(live, route) for route in live.swap([s for s, _ in edits], new_bodies)}
        articles = [(s.new, body) for s, body in edits if isinstance(s.new, Article)]
        for article, body in articles:
            state.index.replace(live.site, article, body)
        pages_edited = len(articles) < len(edits)
        if pages_edited:  # a static page's words are in the index too
            state.index.replace_entries(search_entries(live.site, body_texts(live.bodies), self.settings.today))
        if articles or pages_edited:
            files[search.INDEX_PATH] = state.index.data()
        written = self._writer.write(files)
        if written is None:
            raise _NeedsBuild
        if written:
            self.changes = self.changes.then(Changes((), written, ()))
            staged.write_changes(self.settings.output, self.changes)
        return written

    def _saved(self, kinds: dict[Path, ChangeKind]) -> list[Path]:
        """The Markdown files saved; _NeedsBuild for any other change (but scratch files come and gone)."""
        content = self.settings.content
        site = self._state.live.site
        published = {*(i.source.path.as_posix() for i in (*site.articles, *site.pages)),
                     *(f.as_posix() for f in site.static_files)}
        saved = []
        for path, kind in kinds.items():
            if kind is ChangeKind.CONTENT and not path.exists():
                gone = path.relative_to(content).as_posix()
                if gone not in published and not any(p.startswith(gone + "/") for p in published):
                    continue  # made and removed within the batch: an editor's or sed's scratch file
            if kind is not ChangeKind.CONTENT or path.suffix != ".md" or not path.is_file():
                raise _NeedsBuild
            saved.append(path)
        return saved

    def _reload(self, saved: list[Path]) -> list[tuple[Saved, RenderedBody]]:
        """Each saved file with its new body; _NeedsBuild when a file is new, not published (a draft,
        dated later), moved (its routing key changed) or has any problem: the build then says why,
        and what to fix."""
        live = self._state.live
        edits = []
        for path in saved:
            loaded = live.load_saved(path)
            if loaded.new is None or loaded.problems or not live.keeps_place(loaded):
                raise _NeedsBuild
            body = render_body(loaded.new.body, PurePosixPath(loaded.source), loaded.new.source.body_line,
                               self._state.links)
            if body.problems:
                raise _NeedsBuild
            edits.append((loaded, body))
        return edits


def _rendered(live: LiveSite, route: Route) -> bytes:
    try:
        return live.render(route).encode("utf-8")
    except TemplateProblem:
        raise _NeedsBuild from None  # the build reports it with the template's line


class Saves:
    """The files saved under the sources, in batches, from a thread started at once: started before
    the first build, it catches what an author saves while that build runs."""

    def __init__(self, settings: BuildSettings):
        self._stop = threading.Event()
        self._batches: queue.Queue[list[Path]] = queue.Queue()

        def run() -> None:
            for paths in saved_batches(settings, self._stop):
                self._batches.put(paths)

        self._thread = threading.Thread(target=run, name="awareness-watch", daemon=True)
        self._thread.start()

    def next(self, timeout: float) -> list[Path] | None:
        """The next batch (with any that came after it, as one), or None after `timeout` seconds."""
        try:
            paths = self._batches.get(timeout=timeout)
        except queue.Empty:
            return None
        while not self._batches.empty():
            paths += self._batches.get_nowait()
        return paths

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def watch(watcher: Watcher, saves: Saves, report: Callable[[Update | BuildFailed | str], None]) -> None:
    """Apply each batch of saves until Ctrl-C. Nothing a save does ends the watch: a failed build is
    reported and the next save builds again."""
    try:
        while True:
            paths = saves.next(timeout=0.2)
            try:
                if paths is not None:
                    report(watcher.apply(paths))
                elif (update := watcher.tick()) is not None:
                    report(update)
            except BuildFailed as failed:
                report(failed)
            except BuildLocked as locked:
                report(f"không cập nhật được: {locked}; lần lưu sau sẽ thử lại")
                watcher.forget()
            except Exception as error:  # noqa: BLE001 - the watch outlives any one update
                report(f"lỗi không mong đợi khi cập nhật: {type(error).__name__}: {error}; lần lưu sau sẽ "
                       "dựng lại toàn bộ")
                watcher.forget()
    except KeyboardInterrupt:
        pass  # Ctrl-C: what the last update wrote is complete (each file and the manifest atomically)
    finally:
        saves.close()
