"""Put a finished build in place without ever leaving output/ half-written.

Pages go to a fresh staging folder beside output/; only when every page is written is the
staging folder swapped in, with one atomic rename(2) exchange on Linux. A build that fails or is
killed leaves the previous output/ untouched; the next build clears any staging leftovers.

Unchanged files keep their inode and modification time: the staging writer (staged.py) hard-links
a file of the previous build when the new bytes are the same, and lists what changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

MARKER = ".awareness-build"  # proves a folder was made by us, so we may replace it
RENAME_EXCHANGE = 2


class OutputRefused(Exception):
    """The output folder is something we must not replace (the content folder, a home folder…)."""


def staging_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.staging-{os.getpid()}"


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


def _remove_if_dead(folder: Path) -> None:
    pid = folder.name.rsplit("-", 1)[-1]
    if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
        return  # another build is still using it
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_file(root: Path, relative: str, data: bytes | str) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def swap_in(staging: Path, output: Path) -> None:
    """Make staging the new output/ in one step; the old build is removed afterwards."""
    if not (staging / MARKER).exists():
        (staging / MARKER).write_text("built by awareness\n", encoding="utf-8")
    if output.exists() and _exchange(staging, output):
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(staging, old)  # it now holds the previous build
        remove_in_background(old)
        return
    if output.exists():
        old = output.parent / f".{output.name}.old-{os.getpid()}"
        os.rename(output, old)
        os.rename(staging, output)
        shutil.rmtree(old)
    else:
        os.rename(staging, output)


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
    libc_name = ctypes.util.find_library("c")
    if os.name != "posix" or not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
