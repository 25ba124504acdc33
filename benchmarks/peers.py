"""The same corpus as a site for each generator the benchmark compares: ours, Pelican and Hugo.

Each Tool knows how to lay the corpus out in its own format (front matter, internal links,
images), the command that builds it, where a given article lives (to edit it), and which
folders to remove for a cold build. The peers build equivalent page kinds: an article page
with tags and its body's resolved `.md` links, paginated news lists (10 per page), campaign
(category), office (author) and tag pages, feeds and a sitemap.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HUGO_SITE = Path(__file__).resolve().parent / "hugo_site"
PELICAN_VENV = Path("/tmp/pelican-venv")  # throwaway, reused across runs
TODAY = "2026-11-24"
MD_LINK = re.compile(r"\]\(\.\./(\d{4})/([^)#]+\.md)(#[^)]*)?\)")
IMAGE = re.compile(r"\]\(\.\./\.\./anh/")


@dataclass
class Trash:
    """Folders a run has done with, moved aside instead of deleted until its last timing is over.

    This machine's ext4 has no journal, and without one the kernel will not reuse an inode freed in
    the last 60 seconds (360 while its inode-table block is unwritten): `recently_deleted()` in
    fs/ext4/ialloc.c, called for each free inode that `find_inode_bit()` tries, from the start of
    the group, on every file or folder created. After a tree of thousands of files is deleted, each
    new file therefore scans past thousands of freed inodes (under perf, `recently_deleted` and
    `find_get_block_common` were 62 % of the time to create 3346 folders, each with an
    `index.html`), and a cold build timed minutes after the previous output was removed paid 0.9 s
    more of system time. That is the clean-up's cost, not the tool's, and no tool meets it on a
    fresh machine or a journalled file system; so nothing is deleted while the run times anything.
    """

    folder: Path
    _numbers: itertools.count = field(default_factory=itertools.count)

    AGE = 65.0  # seconds after a deletion (synced) before its inodes are free to reuse, with a margin

    @property
    def _stamp(self) -> Path:
        return self.folder.with_name(self.folder.name + "-emptied")

    def set_aside(self, path: Path) -> None:
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            path.rename(self.folder / f"{next(self._numbers)}-{path.name}")

    def empty(self) -> None:
        """Delete what was set aside, write the deletion to disk (so that 60 s, not 360, must pass) and
        note when, for the next run's wait_for_reuse."""
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            os.sync()
            self._stamp.write_text(str(time.time()), encoding="utf-8")

    def wait_for_reuse(self) -> float:
        """Sleep until the last deletion (a run's trash, maybe a stopped run's) has aged; the seconds slept."""
        self.empty()
        try:
            emptied = float(self._stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0.0
        left = max(0.0, min(self.AGE, emptied + self.AGE - time.time()))
        time.sleep(left)
        return left


@dataclass(frozen=True)
class Tool:
    name: str
    root: Path  # the tool's project folder
    command: tuple[str, ...]
    output: Path
    caches: tuple[Path, ...]
    content: Path  # where the articles are, mirroring the corpus's bai-viet/<year>/<file>.md

    def article(self, relative: str) -> Path:
        """The tool's copy of corpus article bai-viet/<year>/<file>.md."""
        return self.content / relative

    def clean(self, trash: Trash) -> None:
        for folder in (self.output, *self.caches):
            trash.set_aside(folder)


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def ours(corpus: Path, work: Path, trash: Trash, code: Path = REPO, name: str = "awareness") -> Tool:
    """`code`: another checkout of awareness (an earlier commit's worktree) to time beside this one;
    its own templates and assets come with it (theme.shipped)."""
    root = work / name
    trash.set_aside(root)
    shutil.copytree(corpus, root / "content")
    command = (sys.executable, "-m", "generator", "build", "--content", "content", "--output", "output",
               "--cache-dir", ".cache", "--today", TODAY)
    if code != REPO:
        command = ("env", f"PYTHONPATH={code}", *command)  # env execs Python: the timed process is the build
    # the spare folder (write.spare_dir) is a cache too: a cold build starts without it
    return Tool(name, root, command, root / "output", (root / ".cache", root / ".output.spare"),
                root / "content")


def pelican(corpus: Path, work: Path, trash: Trash) -> Tool | None:
    binary = PELICAN_VENV / "bin" / "pelican"
    if not binary.exists():
        print("Cài Pelican vào môi trường ảo tạm", PELICAN_VENV, file=sys.stderr)
        venv.create(PELICAN_VENV, with_pip=True)
        subprocess.run([PELICAN_VENV / "bin" / "pip", "install", "-q", "pelican", "markdown"], check=True)
    root = work / "pelican"
    trash.set_aside(root)
    content = root / "content"
    shutil.copytree(corpus / "anh", content / "anh")
    for source in sorted((corpus / "bai-viet").rglob("*.md")):
        meta, body = split(source.read_text(encoding="utf-8"))
        body = MD_LINK.sub(r"]({filename}/bai-viet/\1/\2\3)", body)
        body = IMAGE.sub("]({static}/anh/", body)
        header = [f"Title: {meta['title']}", f"Date: {meta['date']}", f"Category: {meta['campaign']}",
                  f"Author: {meta['department']}", f"Tags: {', '.join(meta.get('tags', []))}",
                  f"Slug: {meta['slug']}", f"Summary: {meta.get('summary', '')}"]
        target = content / source.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    command = (str(binary), "content", "-o", "output", "-s", "pelicanconf.py", "-q")
    return Tool("pelican", root, command, root / "output", (root / "cache",), content)


PELICAN_CONF = '''\
SITENAME = "Sở Công Thương tỉnh Bình Thuận"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["bai-viet"]
STATIC_PATHS = ["anh"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 10
ARTICLE_URL = ARTICLE_SAVE_AS = "tin-tuc/{date:%Y}/{slug}/index.html"
FEED_ALL_ATOM = "atom.xml"
CATEGORY_FEED_ATOM = "chuyen-de/{slug}/atom.xml"
# Pelican's own incremental build: reuse parsed content between runs (fair to its no-change figure).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {},
                                  "markdown.extensions.sane_lists": {}}, "output_format": "html5"}
'''


def hugo(corpus: Path, work: Path, trash: Trash) -> Tool | None:
    binary = shutil.which("hugo")
    if binary is None:
        return None
    root = work / "hugo"
    trash.set_aside(root)
    content = root / "content"
    shutil.copytree(corpus / "anh", root / "static" / "anh")
    for source in sorted((corpus / "bai-viet").rglob("*.md")):
        meta, body = split(source.read_text(encoding="utf-8"))
        body = MD_LINK.sub(r"](/bai-viet/\1/\2\3)", body)
        body = IMAGE.sub("](/anh/", body)
        front = {"title": meta["title"], "date": str(meta["date"]).replace(" ", "T") + ":00+07:00",
                 "slug": meta["slug"], "tags": meta.get("tags", []), "campaigns": [meta["campaign"]],
                 "departments": [meta["department"]], "summary": meta.get("summary", "")}
        target = content / source.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    shutil.copytree(HUGO_SITE, root, dirs_exist_ok=True)  # config.toml and a minimal theme in layouts/
    command = (binary, "--quiet", "--source", str(root), "--destination", "output", "--cacheDir",
               str(root / "cache"))
    return Tool("hugo", root, command, root / "output", (root / "cache", root / "resources"), content)
