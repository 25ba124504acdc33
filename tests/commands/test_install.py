"""Installed as a tool: a wheel built from the repository, in a fresh virtual environment.

Not an editable install: the wheel must carry the default theme and the example site itself
(setup.py copies them in), and `awareness init` then `awareness build` must work from it, in a
folder far from the repository. Needs the package index (or pip's cache) for the dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.install


def run(*args: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([os.fspath(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_carries_the_theme_and_the_example_site(installed_tool):
    names = zipfile.ZipFile(installed_tool.wheel).namelist()
    for name in ("templates/base.html", "assets/css/site.css", "content/_data/site.yaml"):
        assert f"generator/bundled/{name}" in names


def test_the_installed_tool_makes_a_new_site_and_builds_it(installed_tool, tmp_path):
    installed = installed_tool.bin
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


def test_the_installed_tool_builds_with_its_own_theme_where_the_site_has_none(installed_tool, tmp_path):
    installed = installed_tool.bin
    env = {"PATH": f"{installed}{os.pathsep}/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": os.fspath(tmp_path)}
    run("awareness", "init", "mau", cwd=tmp_path, env=env)
    site = tmp_path / "mau"
    for name in ("templates", "assets"):  # a site that keeps only its content uses the packaged theme
        shutil.rmtree(site / name)
    run("awareness", "build", cwd=site, env=env)
    page = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("link", rel="stylesheet")["href"].startswith("/assets/css/site.")
