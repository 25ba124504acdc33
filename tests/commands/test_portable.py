"""What runs on Windows and macOS, tested on Linux by taking away what those systems lack.

tests/forced_portable.py runs the real command without fcntl, termios and resource, without fork,
renameat2 and hard links, and with an event loop that has no signal handlers.
"""

from __future__ import annotations

import http.client
import os
import pkgutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from bs4 import BeautifulSoup

import generator
from generator.output import write
from generator.output.lock import lock_path, output_lock
from generator.output.staged import CHANGES
from generator.problems import BuildFailed
from tests.conftest import REPO, SiteDir, article, free_port
from tests.live.test_serve import get_raw

ENV = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def forced(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.forced_portable", *args], cwd=site.root, env=ENV,
                          capture_output=True, text=True, timeout=120)


def published(folder: Path) -> dict[str, bytes]:
    """Every file of a built folder but the bookkeeping (its manifest records modification times)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name not in (write.MARKER, CHANGES)}


def test_every_module_imports_without_posix_only_modules():
    modules = sorted(m.name for m in pkgutil.walk_packages(generator.__path__, "generator."))
    script = ("import tests.forced_portable as f, importlib, sys; f.install()\n"
              f"for name in {modules!r}: importlib.import_module(name)\n"
              "print(sorted(set(f.BLOCKED) & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert len(modules) > 40  # walk_packages found the whole package, linkcheck/ included


def test_a_build_without_fork_renameat2_or_hard_links_writes_the_same_bytes(make_site):
    files = {f"bai-viet/bai-{n}.md": article(f"Bài {n}", body=f"Nội dung {n}. ![Ảnh](anh/a.svg)\n")
             for n in range(40)}
    site = make_site({**files, "bai-viet/anh/a.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'})
    normal = site.cli("build", "--output", "binh-thuong", "--cache-dir", ".c1", "--jobs", "2")
    assert normal.returncode == 0, normal.stderr
    first = forced(site, "build", "--output", "output", "--cache-dir", ".c2", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert published(site.output) == published(site.root / "binh-thuong")
    (site.content / "bai-viet/bai-3.md").write_text(article("Bài 3", body="Đã sửa."), encoding="utf-8")
    again = forced(site, "build", "--output", "output", "--cache-dir", ".c2", "--jobs", "2")  # the two-rename swap
    assert again.returncode == 0, again.stderr
    site.cli("build", "--output", "binh-thuong", "--cache-dir", ".c1", "--jobs", "2")
    assert published(site.output) == published(site.root / "binh-thuong")
    assert "Đã sửa." in site.html("tin-tuc/2023/bai-3/").find("main").get_text()
    assert "Traceback" not in first.stderr + again.stderr


def preview_session(root: Path, port: int, module: str) -> str:
    """Run `serve` in `root` until its article is served, then Ctrl-C; returns the article's HTML."""
    process = subprocess.Popen([sys.executable, "-m", module, "serve", "--port", str(port)],
                               cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in process.stdout.readline()
        status, page = get_raw(port, "/tin-tuc/2023/nuoc-sach/")
        process.send_signal(signal.SIGINT)  # without signal handlers, a KeyboardInterrupt, as on Windows
        try:  # one request wakes the loop, as any request or the watcher's next look would
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
        except OSError:
            pass  # already stopped
        _, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert status == 200 and process.returncode == 0, err
    assert "Traceback" not in err and "Đã dừng" in err
    return page


def test_a_preview_session_without_signal_handlers_serves_the_same_bytes_and_stops_on_ctrl_c(tmp_path):
    files = {"bai-viet/nuoc.md": article("Nước sạch"), "bai-viet/ban-nhap.md": article("Bản nháp", draft="true")}
    normal, portable = SiteDir(tmp_path / "a", files), SiteDir(tmp_path / "b", files)
    port = free_port()  # the same for both: the preview's pages carry its address
    page = preview_session(portable.root, port, "tests.forced_portable")
    assert BeautifulSoup(page, "lxml").h1.get_text(strip=True) == "Nước sạch"
    assert page == preview_session(normal.root, port, "generator")
    preview = Path(".cache/preview")
    assert published(portable.root / preview) == published(normal.root / preview)
    assert (portable.root / preview / "tin-tuc/2023/ban-nhap/index.html").is_file()  # the preview has drafts


def test_junk_files_from_windows_macos_and_word_are_not_published(make_site):
    site = make_site({"bai-viet/a.md": article("Bài một"), "bai-viet/anh/hinh.svg": "<svg/>",
                      "bai-viet/anh/Thumbs.db": b"\0", "bai-viet/anh/desktop.ini": "[x]",
                      "bai-viet/anh/.DS_Store": b"\0", "bai-viet/~$bai-mot.docx": b"\0",
                      "bai-viet/anh/Desktop.INI": "[x]"})
    site.build()
    names = {p.name for p in site.output.rglob("*")}
    assert "hinh.svg" in names
    assert not names & {"Thumbs.db", "desktop.ini", "Desktop.INI", ".DS_Store", "~$bai-mot.docx"}


def test_a_link_differing_from_the_file_name_only_in_case_is_an_error_at_its_line(make_site):
    body = "Mở đầu.\n\nXem ![Ảnh](Anh/Hinh.SVG \"ảnh\").\n"
    site = make_site({"bai-viet/a.md": article("Bài một", body=body), "bai-viet/anh/hinh.svg": "<svg/>"})
    with pytest.raises(BuildFailed) as failed:
        site.build()
    [problem] = failed.value.problems
    assert problem.path == "content/bai-viet/a.md" and problem.line == 9
    assert "tên tệp khác chữ hoa/thường" in problem.message and "bai-viet/anh/hinh.svg" in problem.message
    assert problem.hint.endswith("anh/hinh.svg")


def test_a_windows_backslash_path_is_understood(make_site):
    site = make_site({"bai-viet/a.md": article("Bài một", body="![Ảnh đập nước](anh\\hinh.svg)\n"),
                      "bai-viet/anh/hinh.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>'})
    site.build()
    image = site.html("tin-tuc/2023/bai-mot/").find("img", alt="Ảnh đập nước")
    assert image["src"] == "/bai-viet/anh/hinh.svg" and image["width"] == "4"


def test_a_held_folder_is_retried_then_the_swap_goes_through(make_site, monkeypatch):
    site = make_site({"bai-viet/a.md": article("Bài một")})
    site.build()
    monkeypatch.setattr(write, "_renameat2", lambda: None)  # the two-rename swap, as on Windows
    real, refusals = os.rename, []

    def held_twice(source, target):
        if Path(source) == site.output and len(refusals) < 2:
            refusals.append(source)
            raise PermissionError(13, "The process cannot access the file", str(source))
        real(source, target)

    monkeypatch.setattr(write.os, "rename", held_twice)
    (site.content / "bai-viet/a.md").write_text(article("Bài một", body="Bản sửa."), encoding="utf-8")
    site.build()
    assert len(refusals) == 2
    assert "Bản sửa." in site.html("tin-tuc/2023/bai-mot/").find("main").get_text()


def test_a_folder_held_for_good_is_reported_and_output_keeps_the_previous_build(make_site, monkeypatch):
    site = make_site({"bai-viet/a.md": article("Bài một")})
    site.build()
    before = published(site.output)
    monkeypatch.setattr(write, "_renameat2", lambda: None)
    monkeypatch.setattr(write, "SWAP_PATIENCE", 0.3)
    real = os.rename

    def staging_held(source, target):
        if ".staging-" in str(source):
            raise PermissionError(13, "The process cannot access the file", str(source))
        real(source, target)

    monkeypatch.setattr(write.os, "rename", staging_held)
    (site.content / "bai-viet/a.md").write_text(article("Bài một, bản sửa"), encoding="utf-8")
    with pytest.raises(write.OutputHeld, match="đóng cửa sổ File Explorer"):
        site.build()
    assert published(site.output) == before  # put back whole, never half-swapped
    assert not list(site.root.glob(".output.old-*"))


def test_a_held_folder_reaches_the_user_as_a_message_not_a_traceback(make_site):
    site = make_site({"bai-viet/a.md": article("Bài một")})
    script = ("import os, sys, runpy\nfrom generator.output import write\nwrite._renameat2 = lambda: None\n"
              "write.SWAP_PATIENCE = 0.2\nreal = os.rename\n"
              "def held(a, b):\n    if '.staging-' in str(a):\n"
              "        raise PermissionError(13, 'in use', str(a))\n    real(a, b)\n"
              "write.os.rename = held\nsys.argv = ['awareness', 'build']\n"
              "runpy.run_module('generator', run_name='__main__')")
    first = site.cli("build")
    assert first.returncode == 0
    (site.content / "bai-viet/a.md").write_text(article("Bài một", body="Bản sửa."), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script], cwd=site.root, env=ENV, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "chưa đưa vào output/" in result.stderr and "vẫn giữ bản dựng trước" in result.stderr


def test_a_lock_left_by_a_killed_build_is_taken_over_with_a_notice(make_site):
    site = make_site({"bai-viet/a.md": article("Bài một")})
    lock_path(site.output).write_text("\n999999999\n", encoding="ascii")  # no such process: it was killed
    result = site.build()
    [notice] = [w for w in result.warnings if "bị dừng giữa chừng" in w.message]
    assert "999999999" in notice.message
    assert lock_path(site.output).read_bytes() == b""  # let go cleanly: the next build has nothing to say
    with output_lock(site.output, wait=0) as again:
        assert again is None
    lock_path(site.output).write_text("4242\n", encoding="ascii")  # what earlier versions left after every build
    with output_lock(site.output, wait=0) as after_upgrade:
        assert after_upgrade is None


def test_messages_print_through_a_redirected_windows_code_page(make_site):
    """On Windows a redirected stdout is cp1252, which has no 'ự': the first message would fail."""
    site = make_site({"bai-viet/a.md": article("Bài một")})
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site.root, capture_output=True,
                            env={**ENV, "PYTHONIOENCODING": "cp1252"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").startswith("Đã dựng")


def test_only_the_process_that_took_the_lock_holds_it_not_its_forked_children(tmp_path):
    script = ("import os, sys, time\nfrom pathlib import Path\nfrom generator.output.lock import output_lock\n"
              "with output_lock(Path(sys.argv[1])):\n"
              "    child = os.fork()\n"
              "    if child == 0:\n        null = os.open(os.devnull, os.O_WRONLY)\n"
              "        os.dup2(null, 1)\n        os.dup2(null, 2)  # not to keep the test waiting on the pipes\n"
              "        time.sleep(30)\n        os._exit(0)\n"
              "    print(child, flush=True)\n    os._exit(0)  # killed while holding it: no release\n")
    process = subprocess.run([sys.executable, "-c", script, os.fspath(tmp_path / "output")], env=ENV,
                             capture_output=True, text=True, timeout=60)
    child = int(process.stdout)
    try:
        assert psutil.pid_exists(child)  # the forked child lives on, as an orphaned worker did
        with output_lock(tmp_path / "output", wait=1) as notice:
            assert notice is not None and "bị dừng giữa chừng" in notice
    finally:
        os.kill(child, signal.SIGKILL)
