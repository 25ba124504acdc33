"""The conformance tools, driven for real: the W3C Nu HTML Checker, axe-core, an HTTP server, feed checks.

The tools come from npm (`npm ci`, pinned in package-lock.json) and Java. In CI
(AWARENESS_REQUIRE_BROWSER=1, set by .ci/run) a missing tool fails the test; on a developer's
machine it skips with the command that installs it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from lxml import etree

from tests.conftest import REPO, SiteDir, free_port
from tests.image_samples import jpeg, photo

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def missing(message: str):
    """A tool is not installed: a failure in CI, a skip with the install command elsewhere."""
    if os.environ.get("AWARENESS_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require(path: Path, install: str) -> Path:
    if not path.exists():
        missing(f"{path.relative_to(REPO)} is missing ({install})")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("java is not installed (apt-get install default-jre-headless)")
    return java


# --- W3C Nu HTML Checker --------------------------------------------------------------------------
def run_vnu(files: list[Path]) -> list[dict]:
    """Every error vnu reports on the files: HTML pages as HTML, SVG images as SVG, stylesheets as CSS.

    Two runs side by side, since the JVM takes seconds to start: vnu 26.9 numbers HTML lines from 0
    when --also-check-css is given, so stylesheets get a run of their own (--css).
    """
    assert files, "nothing to validate"
    java = require_java()
    jar = str(require(VNU_JAR, "npm ci --ignore-scripts"))
    css = [str(f) for f in files if f.suffix == ".css"]
    other = [str(f) for f in files if f.suffix != ".css"]
    runs = [subprocess.Popen([java, "-jar", jar, "--errors-only", "--format", "json", *flags, *names],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for flags, names in ((["--also-check-svg"], other), (["--css"], css)) if names]
    return [message for run in runs for message in _vnu_messages(run)]


def _vnu_messages(run: subprocess.Popen) -> list[dict]:
    _, report = run.communicate(timeout=300)  # vnu writes its report to stderr
    try:
        return json.loads(report)["messages"]
    except ValueError:
        pytest.fail(f"vnu did not report JSON (exit {run.returncode}): {report[-2000:]}")


def write_canaries(folder: Path) -> dict[str, int]:
    """Files with one known error each, checked in the same vnu run as the site: (name → error line).

    They prove the checker really ran and reads each kind of file, without another JVM start.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "canary.html").write_text('<!DOCTYPE html>\n<html lang="vi"><title>x</title>\n<p><div></p>\n')
    (folder / "canary.css").write_text("a { color: red; }\n\nb { colr: red; }\n")
    (folder / "canary.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">\n<foo/>\n</svg>\n')
    return {"canary.html": 3, "canary.css": 3, "canary.svg": 2}


def describe_vnu(messages: list[dict], root: Path) -> str:
    lines = []
    for m in messages:
        path = urlsplit(m.get("url", "")).path
        with contextlib.suppress(ValueError):
            path = str(Path(path).relative_to(root))
        lines.append(f"{path}:{m.get('lastLine', '?')}: {m['message']}")
    return "\n".join(lines)


def checked_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in (".html", ".css", ".svg"))


# --- A real HTTP server over the built site -------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output readable
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/ serving the folder, for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- axe-core -------------------------------------------------------------------------------------
def run_axe(page) -> list[dict]:
    """WCAG 2.1 A and AA violations axe-core finds in the page as it stands."""
    page.add_script_tag(path=str(require(AXE_JS, "npm ci --ignore-scripts")))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def describe_axe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} → "
                     + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5]) for v in violations)


# --- Feeds and sitemap ----------------------------------------------------------------------------
def atom_problems(path: Path) -> list[str]:
    """What RFC 4287 requires of a feed and its entries that this feed lacks (after it parses)."""
    feed = etree.parse(str(path)).getroot()  # raises on XML that is not well-formed
    problems = [] if feed.tag == f"{ATOM}feed" else [f"root is {feed.tag}, not atom:feed"]
    problems += [f"feed lacks atom:{name}" for name in ("id", "title", "updated") if feed.find(ATOM + name) is None]
    if feed.find(f"{ATOM}link[@rel='self']") is None:
        problems.append("feed lacks a rel=self link")
    feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    for number, entry in enumerate(feed.iterfind(f"{ATOM}entry"), 1):
        problems += [f"entry {number} lacks atom:{name}" for name in ("id", "title", "updated")
                     if not (entry.findtext(ATOM + name) or "").strip()]
        if entry.find(f"{ATOM}link[@rel='alternate']") is None and entry.find(f"{ATOM}content") is None:
            problems.append(f"entry {number} has neither an alternate link nor content")
        if not feed_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"entry {number} has no author and the feed has none")
        problems += [f"entry {number}: {u!r} is not absolute" for u in _urls(entry) if not urlsplit(u).scheme]
    problems += [f"{d.tag[len(ATOM):]} {d.text!r} is not an RFC 3339 date-time" for d in feed.iter()
                 if d.tag in (f"{ATOM}updated", f"{ATOM}published") and not _rfc3339(d.text or "")]
    return problems + [f"feed: {u!r} is not absolute" for u in _urls(feed) if not urlsplit(u).scheme]


def _rfc3339(value: str) -> bool:
    """RFC 3339 as Atom wants it: a full date and time with a zone ('Z' or ±hh:mm)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and moment.tzinfo is not None


def _urls(element) -> list[str]:
    own = [element.findtext(f"{ATOM}id") or ""]
    return own + [link.get("href", "") for link in element.findall(f"{ATOM}link")]


def sitemap_problems(path: Path, base_url: str, output: Path) -> list[str]:
    """The sitemap protocol: urlset namespace, absolute <loc> under the site, each naming a built page."""
    urlset = etree.parse(str(path)).getroot()
    if urlset.tag != f"{SITEMAP}urlset":
        return [f"root is {urlset.tag}, not sitemap:urlset"]
    locs = [(u.findtext(f"{SITEMAP}loc") or "").strip() for u in urlset.iterfind(f"{SITEMAP}url")]
    problems = [] if locs else ["no <url> in the sitemap"]
    problems += [f"duplicate loc {loc}" for loc in set(locs) if locs.count(loc) > 1]
    for loc in locs:
        if not loc.startswith(base_url) or len(loc) > 2048:
            problems.append(f"{loc!r} is not an absolute URL under {base_url}")
            continue
        target = output / unquote(loc[len(base_url):])
        if not (target / "index.html" if loc.endswith("/") else target).is_file():
            problems.append(f"{loc} names no built page")
    return problems


# --- A small site with every kind of article content the templates must handle ------------------
def _svg(width: int, height: int, colour: str, *, sized: bool = True) -> str:
    size = f' width="{width}" height="{height}"' if sized else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg"{size} viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="{colour}"/></svg>')


ARTICLE_BODY = """\
Năm 2023, Liên hợp quốc kêu gọi **thúc đẩy sự thay đổi** để giải quyết khủng hoảng nước[^1].

![Biểu đồ lượng nước tiêu thụ theo tháng](anh/bieu-do.svg)

## Vai trò của nước

Xem thêm [Giờ Trái đất](gio.md#tat-den) và trang của [Liên hợp quốc](https://www.un.org/en/observances/water-day).
Địa chỉ dài không được làm vỡ trang trên điện thoại:
https://www.unwater.org/news/un-2023-water-conference-accelerating-change-to-solve-the-water-and-sanitation-crisis

### Số liệu

| Tháng | Lượng nước (m³) | Ghi chú |
|---|---:|---|
| 1 | 1.250 | Mùa khô, lượng tiêu thụ tăng mạnh ở các khu công nghiệp |
| 2 | 1.180 | Tiết kiệm nhờ tuần hoàn nước làm mát |

Kết quả theo đơn vị (bảng rộng, cuộn ngang trong khung của nó trên điện thoại):

| Đơn vị | Nhiệm vụ | Thời hạn | Kết quả | Số người tham gia | Kinh phí (đồng) | Ghi chú |
|---|---|---|---|---:|---:|---|
| Phòng Quản lý Công nghiệp | Viết bài Ngày Nước | 22/03/2023 | Hoàn thành | 45 | 12.500.000 | Đăng bài |
| Phòng Quản lý Năng lượng | Tắt đèn Giờ Trái đất | 25/03/2023 | Hoàn thành | 120 | 0 | Toàn cơ quan |

> Nước là nguồn sống của muôn loài.

```
awareness build --base-url https://sct.binhthuan.gov.vn/chuyen-de-moi-truong/ --output output --cache-dir .cache
```

[^1]: Theo thông báo của UN-Water.
"""

ARTICLE_SITE = {
    "bai-viet/2023/nuoc.md": (
        '---\ntitle: "Ngày Nước thế giới 2023: Thúc đẩy sự thay đổi"\ndate: 2023-03-22 08:30\n'
        "campaign: ngay-nuoc-the-gioi\ndepartment: phong-quan-ly-cong-nghiep\n"
        "tags: [tài nguyên nước, bảo vệ môi trường]\nupdated: 2023-03-24\n"
        'summary: "Sở Công Thương hưởng ứng Ngày Nước thế giới với chủ đề Thúc đẩy sự thay đổi."\n'
        'cover: anh/nuoc.svg\ncover_alt: "Giọt nước xanh trên nền trắng"\n---\n' + ARTICLE_BODY),
    "bai-viet/2023/gio.md": (
        '---\ntitle: "Giờ Trái đất 2023"\ndate: 25/03/2023\ncampaign: gio-trai-dat\n'
        "department: phong-quan-ly-nang-luong\ntags: [tiết kiệm năng lượng, bảo vệ môi trường]\n"
        'cover: anh/gio.jpg\ncover_alt: "Bóng đèn tắt lúc 20 giờ 30"\n---\n'
        "## Tắt đèn\n\nTắt đèn và thiết bị không cần thiết trong một giờ. [Về Ngày Nước](nuoc.md).\n\n"
        "![Trụ sở Sở tắt đèn](anh/gio.jpg)\n"),
    "bai-viet/2023/ba.md": (
        '---\ntitle: "Tuyên truyền tiết kiệm nước tại khu công nghiệp"\ndate: 2023-03-23\n'
        "campaign: ngay-nuoc-the-gioi\ndepartment: phong-quan-ly-cong-nghiep\ntags: [tài nguyên nước]\n"
        "---\nCác doanh nghiệp cam kết giảm lượng nước tiêu thụ.\n"),
    "bai-viet/2023/anh/nuoc.svg": _svg(1200, 630, "#0e6aa8"),
    "bai-viet/2023/anh/gio.svg": _svg(1200, 630, "#3d3d8f"),
    # a photo, published as <picture> (imageproc/); in the cards' 1200:630 shape, which the shape check expects
    "bai-viet/2023/anh/gio.jpg": jpeg(photo(1600, 840)),
    "bai-viet/2023/anh/bieu-do.svg": _svg(640, 360, "#2d6a4f", sized=False),
    "pages/gioi-thieu.md": ("---\ntitle: Giới thiệu\nsummary: Về chuyên trang.\nmenu: true\n---\n"
                            "## Nhiệm vụ\n\nSở Công Thương tuyên truyền tiết kiệm nước và năng lượng.\n"),
}
ARTICLE_URL = "tin-tuc/2023/ngay-nuoc-the-gioi-2023-thuc-day-su-thay-doi/"


# --- The two sites every conformance test looks at (each test module builds them once) -----------
def build_embedded_site(tmp_path_factory) -> SiteDir:
    """The Department's site as shipped in content/."""
    from tests.test_embedded_site import build_embedded

    return build_embedded(tmp_path_factory.mktemp("embedded"))


def build_article_site(tmp_path_factory) -> SiteDir:
    """A small site whose articles carry covers, tags, headings, a table, images, links and code."""
    site = SiteDir(tmp_path_factory.mktemp("articles"), ARTICLE_SITE)
    site.build()
    return site


def base_url(site: SiteDir) -> str:
    return yaml.safe_load((site.content / "_data" / "site.yaml").read_text(encoding="utf-8"))["base_url"]


@functools.cache
def parsed(site: SiteDir, name: str):
    """A built page parsed once for all the checks of a test run (the pages do not change)."""
    return site.html(name)


def built_pages(site: SiteDir) -> list[str]:
    """Every HTML page of the built site, as its path under output/."""
    return sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html"))
