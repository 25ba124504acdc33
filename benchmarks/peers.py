"""The same corpus as a site for each generator the benchmark compares: ours, Pelican and Hugo.

Each Tool knows how to lay the corpus out in its own format (front matter, internal links,
images), the command that builds it, where a given article lives (to edit it), and which
folders to remove for a cold build. The peers build equivalent page kinds: an article page
with tags and its body's resolved `.md` links, paginated news lists (10 per page), campaign
(category), office (author) and tag pages, feeds and a sitemap.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
HUGO_SITE = Path(__file__).resolve().parent / "hugo_site"
PELICAN_VENV = Path("/tmp/pelican-venv")  # throwaway, reused across runs
TODAY = "2026-11-24"
MD_LINK = re.compile(r"\]\(\.\./(\d{4})/([^)#]+\.md)(#[^)]*)?\)")
IMAGE = re.compile(r"\]\(\.\./\.\./anh/")


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

    def clean(self) -> None:
        for folder in (self.output, *self.caches):
            shutil.rmtree(folder, ignore_errors=True)


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def ours(corpus: Path, work: Path) -> Tool:
    root = work / "awareness"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(corpus, root / "content")
    command = (sys.executable, "-m", "generator", "build", "--content", "content", "--output", "output",
               "--cache-dir", ".cache", "--today", TODAY)
    # the spare folder (write.spare_dir) is a cache too: a cold build starts without it
    return Tool("awareness", root, command, root / "output", (root / ".cache", root / ".output.spare"),
                root / "content")


def pelican(corpus: Path, work: Path) -> Tool | None:
    binary = PELICAN_VENV / "bin" / "pelican"
    if not binary.exists():
        print("Cài Pelican vào môi trường ảo tạm", PELICAN_VENV, file=sys.stderr)
        venv.create(PELICAN_VENV, with_pip=True)
        subprocess.run([PELICAN_VENV / "bin" / "pip", "install", "-q", "pelican", "markdown"], check=True)
    root = work / "pelican"
    shutil.rmtree(root, ignore_errors=True)
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


def hugo(corpus: Path, work: Path) -> Tool | None:
    binary = shutil.which("hugo")
    if binary is None:
        return None
    root = work / "hugo"
    shutil.rmtree(root, ignore_errors=True)
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
