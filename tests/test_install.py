"""Installed as a tool: a wheel built from the repository, in a fresh virtual environment.

Not an editable install: the wheel must carry the default theme and the example site itself
(setup.py copies them in), and `awareness init` then `awareness build` must work from it, in a
folder far from the repository. Needs the package index (or pip's cache) for the dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO

pytestmark = pytest.mark.install


def run(*args: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([os.fspath(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment with the wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", REPO, "-w", work / "dist", cwd=work)
    [wheel] = (work / "dist").glob("awareness_site-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/bundled/templates/base.html" in names and "generator/bundled/assets/css/site.css" in names
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=work)
    return bin_dir


def test_the_installed_tool_makes_a_new_site_and_builds_it(installed, tmp_path):
    env = {"PATH": f"{installed}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.fspath(tmp_path)}
    made = run("awareness", "init", "trang-moi", cwd=tmp_path, env=env)
    assert "trang-moi/content/" in made.stdout
    site = tmp_path / "trang-moi"
    campaigns = {line.split(":", 1)[1].strip() for path in (site / "content/bai-viet").rglob("*.md")
                 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("campaign:")}
    assert {"ngay-nuoc-the-gioi", "ngay-khi-tuong-the-gioi", "gio-trai-dat"} <= campaigns
    assert (site / "templates/base.html").is_file() and (site / "content/_data/site.yaml").is_file()
    built = run("awareness", "build", cwd=site, env=env)
    assert "Đã dựng" in built.stdout
    home = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "lxml")
    assert home.find("html")["lang"] == "vi" and home.find("link", rel="stylesheet")
    run("awareness", "build", "--check", "--offline", cwd=site, env=env)


def test_the_installed_tool_builds_with_its_own_theme_where_the_site_has_none(installed, tmp_path):
    env = {"PATH": f"{installed}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.fspath(tmp_path)}
    run("awareness", "init", "mau", cwd=tmp_path, env=env)
    site = tmp_path / "mau"
    for name in ("templates", "assets"):  # a site that keeps only its content uses the packaged theme
        shutil.rmtree(site / name)
    run("awareness", "build", cwd=site, env=env)
    page = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("link", rel="stylesheet")["href"].startswith("/assets/css/site.")
