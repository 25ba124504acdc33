"""Shared helpers: tiny sites written from a dict of files, built in a temporary folder.

The project's real templates and assets are used, so a fixture site exercises the same
pipeline as the Department's site; only content/ differs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.pipeline import build
from generator.settings import BuildSettings

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)

SITE_YAML = """\
name: "Sở Công Thương tỉnh Bình Thuận"
short_name: "Sở Công Thương"
parent: "UBND tỉnh Bình Thuận"
base_url: "https://sct.example.gov.vn/"
address: "Phan Thiết, Bình Thuận"
phone: "0252 000 000"
email: "sct@example.gov.vn"
responsible: "Giám đốc Sở"
news_per_page: 2
menu:
  - {title: "Trang chủ", href: ""}
  - {title: "Tin tức", href: "tin-tuc/"}
"""

CAMPAIGNS_YAML = """\
- id: ngay-nuoc-the-gioi
  name: {vi: "Ngày Nước thế giới", en: "World Water Day"}
  date_rule: {month: 3, day: 22}
  themes:
    - {year: 2023, vi: "Thúc đẩy sự thay đổi", en: "Accelerating Change"}
- id: gio-trai-dat
  name: {vi: "Chiến dịch Giờ Trái đất", en: "Earth Hour"}
  date_rule: {month: 3, weekday: 5, which: last, start: "20:30", end: "21:30"}
  themes:
    - {year: 2023, vi: "Thời khắc quan trọng cho Trái đất", en: "The Biggest Hour for Earth"}
"""

DEPARTMENTS_YAML = """\
- {id: phong-quan-ly-cong-nghiep, name: "Phòng Quản lý Công nghiệp", short_name: "Phòng QLCN"}
- {id: phong-quan-ly-nang-luong, name: "Phòng Quản lý Năng lượng", short_name: "Phòng QLNL"}
"""

DEFAULT_DATA = {
    "_data/site.yaml": SITE_YAML,
    "_data/campaigns.yaml": CAMPAIGNS_YAML,
    "_data/departments.yaml": DEPARTMENTS_YAML,
}


def article(title: str = "Bài viết", *, date: str = "2023-03-22", campaign: str = "ngay-nuoc-the-gioi",
            department: str = "phong-quan-ly-cong-nghiep", body: str = "Nội dung bài.", **extra: str) -> str:
    """Markdown with front matter; extra keys are written as given (YAML)."""
    lines = [f'title: "{title}"', f"date: {date}", f"campaign: {campaign}", f"department: {department}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body).lstrip("\n")


class SiteDir:
    """A project folder holding content/ (from a dict of files) and, after build(), output/."""

    def __init__(self, root: Path, files: dict[str, str | bytes]):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        for relative, data in {**DEFAULT_DATA, **files}.items():
            path = self.content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    def settings(self, **overrides) -> BuildSettings:
        values = dict(project=self.root, content=self.content, output=self.output,
                      templates=REPO / "templates", assets=REPO / "assets", cache=self.root / ".cache",
                      today=TODAY)
        values.update(overrides)
        return BuildSettings(**values)

    def build(self, **overrides):
        return build(self.settings(**overrides))

    def html(self, relative: str) -> BeautifulSoup:
        path = self.output / relative
        if path.is_dir() or relative.endswith("/") or relative == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run the real command in this folder, as an author would."""
        return subprocess.run([sys.executable, "-m", "generator", *args], cwd=self.root, capture_output=True,
                              text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                              timeout=120)


@pytest.fixture
def make_site(tmp_path):
    def make(files: dict[str, str | bytes] | None = None) -> SiteDir:
        return SiteDir(tmp_path, files or {})
    return make


# --- Real headless Chromium, shared by every browser test --------------------------------------
# Debian's chromium driven through Playwright. Without the background-networking flags Chromium
# keeps trying to reach Google's hosts, which a closed network refuses. In CI
# (AWARENESS_REQUIRE_BROWSER=1) a missing browser is a failure, never a quiet skip.
CHROMIUM = Path(os.environ.get("AWARENESS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    """A launched Playwright Browser; tests open their own pages (browser.new_page())."""
    required = os.environ.get("AWARENESS_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The preview server, running in a thread of the test process ---------------------------------

@contextlib.contextmanager
def running_preview(site: SiteDir, host: str = "127.0.0.1"):
    """A PreviewServer of `site` (drafts included, output in .cache/preview), serving until the block ends."""
    from generator.live.serve import PreviewServer

    settings = site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True)
    server = PreviewServer(settings, host, free_port())
    server.bind()
    server.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert server.ready.wait(10)
    try:
        yield server
    finally:
        server.stop()
        thread.join(10)


def socket_connected(page) -> None:
    """Wait until the page's live-reload socket is up, so a save reaches it."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector"
                           " && window.LiveReload.connector._isSocketConnected()", timeout=10_000)

# --- The package as users install it: a wheel in a fresh virtual environment (test_install, test_guides) ---
@dataclass(frozen=True)
class InstalledTool:
    wheel: Path
    bin: Path  # the environment's bin (Scripts on Windows) folder: python, awareness

    @property
    def python(self) -> Path:
        return self.bin / "python"


@pytest.fixture(scope="session")
def installed_tool(tmp_path_factory) -> InstalledTool:
    """`pip wheel` of the repository, installed (not editable) into a new virtual environment."""
    work = tmp_path_factory.mktemp("wheel")

    def run(*args) -> None:
        result = subprocess.run([os.fspath(a) for a in args], cwd=work, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"

    # From a copy: setuptools builds in the tree's build/ folder, where modules an earlier build left
    # (renamed or moved since) would be packed too.
    source = work / "source"
    built = {".git", ".venv", "build", "dist", "node_modules", "output", ".cache"}  # at the top only

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == REPO
        return {n for n in names if (top and (n in built or n.startswith(".output")))
                or n == "__pycache__" or n.endswith(".egg-info")}

    shutil.copytree(REPO, source, ignore=ignore)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", source, "-w", work / "dist")
    [wheel] = (work / "dist").glob("awareness_site-*.whl")
    run(sys.executable, "-m", "venv", work / "venv")
    tool = InstalledTool(wheel, work / "venv" / ("Scripts" if os.name == "nt" else "bin"))
    run(tool.python, "-m", "pip", "install", "-q", wheel)
    return tool
