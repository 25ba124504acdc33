"""The commands exactly as the README writes them: `make site`, `make check`, `make serve`, `make watch`,
run from the project root with no flags, and `awareness serve` from another folder with a relative
--content. The project is a copy of this repository's content, templates, assets and Makefile; its
.venv holds a stand-in `awareness` that runs the generator under test, so make's own rules run as
written (the install stamp is newer than pyproject.toml, so nothing is installed).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, socket_connected

ARTICLE = Path("content/bai-viet/2023/gio-trai-dat-2023.md")
ARTICLE_URL = "tin-tuc/2023/gio-trai-dat-2023/"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}
ENV.pop("MAKEFLAGS", None)


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "du-an"
    root.mkdir()
    for folder in ("content", "templates", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)  # copy2: pyproject keeps its older time
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    awareness = bin_dir / "awareness"
    awareness.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n', encoding="utf-8")
    awareness.chmod(0o755)
    (root / ".venv" / ".installed").touch()
    return root


def make(project: Path, target: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", target], cwd=project, env=ENV, capture_output=True, text=True, timeout=300)


def start(command: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> tuple[str, str]:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    try:
        return process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def preview_url(process: subprocess.Popen) -> str:
    """The URL the command prints once its first build is served."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"Xem trước tại (http://\S+)", line)
        if match:
            return match.group(1)
        assert line or process.poll() is None, process.stderr.read()
    raise AssertionError("the preview never printed its URL")


def save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_make_site_then_make_check_from_the_project_root(project):
    built = make(project, "site")
    assert built.returncode == 0, built.stderr
    assert "Đã dựng" in built.stdout and "Traceback" not in built.stderr
    soup = BeautifulSoup((project / "output" / ARTICLE_URL / "index.html").read_text(encoding="utf-8"), "lxml")
    assert soup.h1.get_text(strip=True).startswith("Chiến dịch Giờ Trái đất năm 2023")
    checked = make(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr


def browser_sees(page, text: str, timeout_ms: int = 15_000) -> None:
    page.wait_for_function("t => document.querySelector('main') && document.querySelector('main').innerText"
                           ".includes(t)", arg=text, timeout=timeout_ms)


def save_shows_in_browser(command: list[str], cwd: Path, project: Path, chromium, sentence: str) -> None:
    """Run a preview command, open an article in Chromium, save it: the new sentence must appear."""
    server = start(command, cwd)
    page = chromium.new_page()
    try:
        page.goto(preview_url(server) + ARTICLE_URL)
        socket_connected(page)
        save(project / ARTICLE, "## ", f"{sentence}\n\n## ")
        browser_sees(page, sentence)
    finally:
        page.close()
        out, err = stop(server)
    assert "lỗi không mong đợi" not in err and "Traceback" not in err, err


@pytest.mark.browser
def test_make_serve_updates_the_page_on_save(project, chromium):
    save_shows_in_browser(["make", "serve"], project, project, chromium, "Câu mới lưu khi xem trước.")


@pytest.mark.browser
def test_serve_from_another_folder_with_a_relative_content(project, chromium, tmp_path):
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    relative = os.path.relpath(project / "content", elsewhere)
    save_shows_in_browser([sys.executable, "-m", "generator", "serve", "--content", relative, "--port", "0"],
                          elsewhere, project, chromium, "Lưu từ thư mục khác.")


def wait_for_file(path: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never held {text!r}")


@pytest.mark.browser
def test_make_watch_updates_output_on_save(project, chromium):
    from tests.conformance import serve as serve_folder

    watcher = start(["make", "watch"], project)
    try:
        deadline = time.monotonic() + 60
        while "Đang theo dõi" not in (line := watcher.stderr.readline()):
            assert line and time.monotonic() < deadline, watcher.stdout.read()
        save(project / ARTICLE, "## ", "Câu mới khi dựng và theo dõi.\n\n## ")
        wait_for_file(project / "output" / ARTICLE_URL / "index.html", "Câu mới khi dựng và theo dõi.")
        with serve_folder(project / "output") as base:
            page = chromium.new_page()
            page.goto(base + ARTICLE_URL)
            assert "Câu mới khi dựng và theo dõi." in page.inner_text("main")
            page.close()
    finally:
        out, err = stop(watcher)
    assert "lỗi không mong đợi" not in err and "Traceback" not in err, err


def test_build_watch_from_another_folder_with_a_relative_content(project, tmp_path):
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    relative = os.path.relpath(project / "content", elsewhere)
    watcher = start([sys.executable, "-m", "generator", "build", "--watch", "--content", relative], elsewhere)
    try:
        deadline = time.monotonic() + 60
        while "Đang theo dõi" not in (line := watcher.stderr.readline()):
            assert line and time.monotonic() < deadline, watcher.stdout.read()
        save(project / ARTICLE, "## ", "Câu lưu khi theo dõi từ nơi khác.\n\n## ")
        wait_for_file(elsewhere / "output" / ARTICLE_URL / "index.html", "Câu lưu khi theo dõi từ nơi khác.")
    finally:
        out, err = stop(watcher)
    assert "lỗi không mong đợi" not in err and "Traceback" not in err, err
