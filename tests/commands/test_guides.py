"""The Vietnamese guides under docs/ cannot go stale: every command they show is run here.

Each ```powershell block of a guide is run line by line, in order, with the installed tool (a
wheel in a fresh virtual environment, as the webmaster installs it): `py` is that environment's
python, `cd` changes folder, Windows' backslashes become slashes, and `serve` is started, asked
for its home page and stopped. A line the test cannot run is a failure, so a guide only shows
commands that work. The writer's and reviewer's guides run in a site that `init` made.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO, InstalledTool, free_port
from tests.live.test_serve import get_raw

pytestmark = pytest.mark.install
DOCS = REPO / "docs"
BLOCK = re.compile(r"^```powershell\n(.*?)^```", re.MULTILINE | re.DOTALL)


def commands(guide: str) -> list[str]:
    text = (DOCS / guide).read_text(encoding="utf-8")
    return [line.strip() for block in BLOCK.findall(text) for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def follow(guide: str, tool: InstalledTool, folder: Path) -> list[str]:
    """Run the guide's commands in `folder`; returns what each printed."""
    env = {"PATH": f"{tool.bin}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.fspath(folder)}
    said = []
    for line in commands(guide):
        words = shlex.split(line)
        if words[0] == "cd":
            folder = folder / words[1].replace("\\", "/")
            continue
        assert words[0] == "py", f"{guide}: `{line}` is not a command this test can run"
        args = [os.fspath(tool.python), *(w.replace("\\", "/") for w in words[1:])]
        if words[1:4] == ["-m", "generator", "serve"]:
            said.append(preview(args, folder, env))
            continue
        result = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{guide}: `{line}` failed:\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        said.append(result.stdout + result.stderr)
    return said


def preview(args: list[str], folder: Path, env: dict) -> str:
    port = free_port()
    process = subprocess.Popen([*args, "--port", str(port)], cwd=folder, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        status, page = get_raw(port, "/")
        assert status == 200 and BeautifulSoup(page, "lxml").find("main") is not None
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0 and "Traceback" not in err
    return first


@pytest.fixture
def site(installed_tool, tmp_path) -> Path:
    subprocess.run([os.fspath(installed_tool.python), "-m", "generator", "init", "trang-chuyen-de"], cwd=tmp_path,
                   check=True, capture_output=True, timeout=60)
    return tmp_path / "trang-chuyen-de"


def test_the_webmasters_guide_installs_makes_builds_and_checks(installed_tool, tmp_path):
    shutil.copy(installed_tool.wheel, tmp_path)  # the file the guide says the team sends
    said = follow("huong-dan-quan-tri.md", installed_tool, tmp_path)
    site = tmp_path / "trang-chuyen-de"
    assert any("Đã dựng" in text for text in said)
    home = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "lxml")
    assert home.find("link", rel="canonical")["href"].startswith("https://sct.binhthuan.gov.vn/chuyen-de/")


def test_the_writers_guide_makes_previews_and_checks_an_article(installed_tool, site):
    said = follow("huong-dan-viet-bai.md", installed_tool, site)
    [made] = [Path(text.strip()) for text in said if text.strip().endswith(".md")]
    assert (site / made).is_file() and "draft: true" in (site / made).read_text(encoding="utf-8")
    slug = made.stem
    assert any(p.parent.name == slug for p in (site / "output").rglob("index.html"))  # built with --drafts


def test_the_reviewers_guide_previews_and_checks_every_link(installed_tool, site):
    said = follow("huong-dan-duyet.md", installed_tool, site)
    assert len(said) == len(commands("huong-dan-duyet.md")) and (site / "output/index.html").is_file()
