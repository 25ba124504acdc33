"""Put a finished build in place without ever leaving output/ half-written.

Pages go to a fresh staging folder beside output/; only when every page is written is the
staging folder swapped in, with one atomic rename(2) exchange on Linux. A build that fails or is
killed leaves the previous output/ untouched; the next build clears any staging leftovers.

Unchanged files keep their inode and modification time: the staging writer (staged.py) hard-links
a file of the previous build when the new bytes are the same, and lists what changed.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

MARKER = ".awareness-build"  # proves a folder was made by us, so we may replace it
RENAME_EXCHANGE = 2
SWAP_PATIENCE = 5.0  # seconds a rename is retried while another program holds the folder (Windows)


class OutputRefused(Exception):
    """The output folder is something we must not replace (the content folder, a home folder…)."""


def staging_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"


def spare_dir(output: Path) -> Path:
    """The build before last, kept beside output/ to become the next staging folder: bringing its few
    changed files up to date costs far less than making thousands of page folders again (on ext4,
    making the folders was most of a one-article rebuild). Its unchanged pages are hard links to
    output/'s, so it takes the room of its folders and changed pages only."""
    return output.parent / f".{output.name}.spare"


def take_spare(output: Path, intact_manifest: Callable[[Path], dict | None]) -> tuple[Path, dict] | None:
    """Move the spare folder to this build's staging path when `intact_manifest` gives its manifest
    (it is exactly as recorded); returns that path and manifest. A spare that is not intact is
    removed (in the background). None: start afresh."""
    spare, staging = spare_dir(output), staging_dir(output)
    if not spare.is_dir():
        return None
    try:
        manifest = intact_manifest(spare)
        if manifest is not None:
            os.rename(spare, staging)
            return staging, manifest
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(spare, old)
        remove_in_background(old)
    except OSError:
        pass
    return None


def check_output_target(output: Path, sources: list[Path], project: Path) -> None:
    """Refuse an output folder whose replacement would destroy the author's files."""
    resolved = output.resolve()
    for other in sources:
        other = other.resolve()
        if resolved == other or resolved in other.parents or other in resolved.parents:
            raise OutputRefused(f"thư mục xuất {output} trùng, chứa hoặc nằm trong {other}")
    project = project.resolve()
    if resolved == project or resolved in project.parents:
        raise OutputRefused(f"thư mục xuất {output} chứa cả dự án {project}")
    if resolved == Path.home().resolve() or resolved == Path(resolved.anchor):
        raise OutputRefused(f"không ghi đè thư mục {output}")
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise OutputRefused(f"{output} đã có tệp không do awareness tạo; chọn thư mục khác hoặc xóa nó trước")


def clear_leftovers(output: Path) -> None:
    """Remove staging/old folders left by a build that was killed."""
    for leftover in output.parent.glob(f".{output.name}.staging-*"):
        _remove_if_dead(leftover)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        _remove_if_dead(leftover)
    for leftover in output.parent.glob(f".{output.name}.cloning-*"):
        _remove_if_dead(leftover)


def _remove_if_dead(folder: Path) -> None:
    pid = folder.name.rsplit("-", 1)[-1]
    if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
        return  # another build is still using it
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether a process with this id runs. psutil, not os.kill(pid, 0): on Windows that call
    terminates the process it names."""
    return psutil.pid_exists(pid)


def replace_file(target: Path, data: bytes, keep_mode: bool = False) -> None:
    """Write `target` as a new file renamed over the old, the project's one way of writing a file that
    someone may be reading: a reader (the preview server, a web server serving output/, the next
    build reading a cache) sees the old bytes or the new, never half, and the old file, which may be a
    hard link shared with the spare folder or the page cache, is left as it was. `keep_mode`: the new
    file gets the old one's permissions (an author's file rewritten in place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # hidden and unique: never published, and two processes writing one file never share a temporary
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
                                     delete=False) as handle:
        temporary = handle.name
        try:
            handle.write(data)
        except BaseException:
            handle.close()
            os.unlink(temporary)
            raise
    try:
        if keep_mode:
            shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_file(root: Path, relative: str, data: bytes | str) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def swap_in(staging: Path, output: Path) -> bool:
    """Make staging the new output/ in one step; the old build is removed afterwards. True when
    there was no old build to keep as the spare: the caller then starts clone_in_background, once
    its own work is done (the clone's thousands of folders and links would take a core from the
    end of the build)."""
    if not (staging / MARKER).exists():
        (staging / MARKER).write_text("built by awareness\n", encoding="utf-8")
    if output.exists() and _exchange(staging, output):
        _keep_as_spare(staging, output)  # it now holds the previous build
        return False
    if output.exists():
        # Two renames where there is no exchange (Windows, macOS, some file systems). On Windows a
        # rename fails while a program holds a file inside (Explorer, an antivirus scan, a web
        # server), so each is retried for a while; output/ is put back if the second one fails.
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        _rename_patiently(output, old, output)
        try:
            _rename_patiently(staging, output, output)
        except OutputHeld:
            _rename_patiently(old, output, output)
            raise
        _keep_as_spare(old, output)
        return False
    _rename_patiently(staging, output, output)
    return True


class OutputHeld(Exception):
    """A folder could not be renamed: another program holds it or a file in it. The message says
    which and what to close; output/ holds the previous build, whole."""


def _rename_patiently(source: Path, target: Path, output: Path, patience: float | None = None) -> None:
    deadline = time.monotonic() + (SWAP_PATIENCE if patience is None else patience)
    pause = 0.05
    while True:
        try:
            os.rename(source, target)
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise OutputHeld(
                    f"không thay được thư mục {source}: một chương trình khác đang mở nó hoặc một tệp trong đó; "
                    f"đóng cửa sổ File Explorer, trình xem ảnh hay máy chủ web đang mở {output}, chờ trình diệt "
                    f"virus quét xong rồi chạy lại. Thư mục {output} vẫn giữ bản dựng trước") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def _keep_as_spare(previous: Path, output: Path) -> None:
    try:
        os.rename(previous, spare_dir(output))
    except OSError:  # a spare is there already (a clone finished meanwhile): one is enough
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        try:
            if previous != old:
                os.rename(previous, old)
        except OSError:
            return  # held (Windows): the next build's clear_leftovers removes it
        remove_in_background(old)


_CLONE = """
import os, shutil, sys
output, spare, prefix = sys.argv[1:4]
work = prefix + str(os.getpid())  # its own pid: clear_leftovers spares it while it runs
try:
    for folder, _dirs, names in os.walk(output):
        relative = os.path.relpath(folder, output)
        inside = work if relative == "." else os.path.join(work, relative)
        os.mkdir(inside)  # never makedirs: if the project folder is removed meanwhile, stop, not re-make it
        for name in names:
            os.link(os.path.join(folder, name), os.path.join(inside, name))
    os.rename(work, spare)
except OSError:
    shutil.rmtree(work, ignore_errors=True)
"""


def clone_in_background(output: Path) -> None:
    """After a first build, make its spare (spare_dir) from a detached process: folders and hard links,
    ready for the next build. If output/ changes meanwhile, the next build finds the copy out of step
    with its manifest and does not use it; if the process dies, clear_leftovers removes its work."""
    prefix = output.parent / f".{output.name}.cloning-"
    try:
        subprocess.Popen([sys.executable, "-c", _CLONE, os.fspath(output), os.fspath(spare_dir(output)),
                          os.fspath(prefix)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        pass  # the next build makes its folders itself


def remove_in_background(folder: Path) -> None:
    """Delete a folder from a detached process: the new site is already in place, and removing
    thousands of page folders would otherwise be a large part of a small rebuild. If the process
    dies, the next build's clear_leftovers() finishes the job.

    A new small interpreter rather than a fork: a forked copy of a build holding a big site counts
    (and, page by page, costs) as much memory as the build itself."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          os.fspath(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): swap two folders atomically. False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0


@functools.cache
def _renameat2():
    """libc's renameat2, or None. Looked up among the symbols the interpreter has loaded already
    (dlopen of NULL): ctypes.util.find_library would run `ldconfig -p` in a subprocess, a fork
    of a build holding the whole site, on every build."""
    if os.name != "posix":
        return None
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None
