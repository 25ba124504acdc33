"""The preview server, for real: a fixture site served on 127.0.0.1, edited on disk, watched in Chromium.

One server serves the whole module (each test edits its own file and puts it back). The project's
templates and assets are copied beside the fixture content so the tests may change them.
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, SiteDir, article, free_port

from generator.live.serve import PreviewServer, describe

FILES = {
    "bai-viet/nuoc.md": article("Nước là sự sống", body="Đoạn mở đầu về nước."),
    "bai-viet/khi-tuong.md": article("Khí tượng và khí hậu", date="2023-03-23", body="Thời tiết hôm nay."),
    "bai-viet/lien-ket.md": article("Bài có liên kết", date="2023-03-20", body="Xem [bài nước](nuoc.md)."),
    "bai-viet/nhap.md": article("Bài còn nháp", date="2023-03-19", draft="true"),
    "bai-viet/hen-ngay.md": article("Bài hẹn ngày đăng", date="2026-12-20"),
    "bai-viet/dot-ghi.md": article("Bài lưu nhiều lần", date="2023-03-18"),
}
SECRET = "bí mật ngoài thư mục dựng"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    site = SiteDir(root, FILES)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    settings = site.settings(output=root / ".cache" / "preview", templates=root / "templates",
                             assets=root / "assets", cache=None, preview=True)
    server = PreviewServer(settings, "127.0.0.1", free_port())
    server.bind()
    server.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert server.ready.wait(10)
    yield server, site
    server.stop()
    thread.join(10)


def get(server: PreviewServer, path: str) -> tuple[int, str]:
    """A raw request: http.client sends the path exactly as written (no '..' clean-up)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def problems_shown(server: PreviewServer, path: str = "/") -> list[dict]:
    soup = BeautifulSoup(get(server, path)[1], "lxml")
    data = soup.find("script", id="awareness-problems")
    return json.loads(data.string) if data else []


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def open_page(server: PreviewServer, chromium, path: str):
    page = chromium.new_page()
    clients = server.clients
    page.goto(server.url + path)
    wait_until(lambda: server.clients > clients)  # livereload's websocket is up: saves will reach the page
    return page


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


# --- what is built --------------------------------------------------------------------------------

def test_drafts_and_future_articles_are_built_with_their_banners(served):
    server, site = served
    for url, banner in (("/tin-tuc/2023/bai-con-nhap/", "BẢN NHÁP"), ("/tin-tuc/2026/bai-hen-ngay-dang/", "CHƯA ĐĂNG")):
        status, body = get(server, url)
        assert status == 200
        banners = [p.get_text() for p in BeautifulSoup(body, "lxml").select(".preview-banner")]
        assert any(banner in text for text in banners), banners
    assert not site.output.exists()  # the published build is never touched


def test_every_page_gets_the_livereload_client(served):
    server, _ = served
    soup = BeautifulSoup(get(server, "/tin-tuc/")[1], "lxml")
    assert any("livereload.js" in (s.string or "") for s in soup.find_all("script"))
    status, script = get(server, "/livereload.js")
    assert status == 200 and "LiveReload" in script


# --- safety -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/..%2f..%2fsecret.txt",
                                  "/%2e%2e%2f%2e%2e%2fsecret.txt", "/tin-tuc/../../../secret.txt",
                                  "/%2E%2E/%2E%2E/secret.txt", "/..\\..\\secret.txt", "/secret.txt%00.html"])
def test_no_path_leaves_the_build_folder(served, path):
    server, _ = served
    status, body = get(server, path)
    assert status in (403, 404)
    assert SECRET not in body


def test_a_symlink_inside_the_build_folder_is_not_followed_outside(served):
    server, site = served
    link = site.root / ".cache" / "preview" / "lo-ri.txt"
    link.symlink_to(site.root / "secret.txt")
    try:
        status, body = get(server, "/lo-ri.txt")
    finally:
        link.unlink()
    assert status in (403, 404)
    assert SECRET not in body


def test_a_missing_page_gets_the_sites_404_page(served):
    server, _ = served
    status, body = get(server, "/khong-co-trang-nay/")
    assert status == 404
    soup = BeautifulSoup(body, "lxml")
    assert "Không tìm thấy" in soup.title.get_text()


# --- errors ------------------------------------------------------------------------------------------

def test_a_bad_link_target_is_shown_then_cleared(served):
    server, site = served
    source = site.content / "bai-viet" / "lien-ket.md"
    original = edit(source, "(nuoc.md)", "(khong-co.md)")
    wait_until(lambda: problems_shown(server))
    (problem,) = problems_shown(server)
    assert problem["where"] == "content/bai-viet/lien-ket.md:7"
    assert "khong-co.md" in problem["message"]
    source.write_text(original, encoding="utf-8")
    wait_until(lambda: not problems_shown(server))


def test_a_template_error_keeps_the_last_good_pages_and_names_the_template(served):
    server, site = served
    template = site.root / "templates" / "news.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("{% block content %}", "{% block content %}{{ khong_co_bien }}", 1),
                        encoding="utf-8")
    wait_until(lambda: problems_shown(server, "/tin-tuc/"))
    (problem,) = problems_shown(server, "/tin-tuc/")
    assert problem["where"].startswith("templates/news.html:")
    assert "khong_co_bien" in problem["message"]
    assert get(server, "/tin-tuc/")[0] == 200  # the last good page is still served
    template.write_text(original, encoding="utf-8")
    wait_until(lambda: not problems_shown(server, "/tin-tuc/"))


def test_a_burst_of_writes_makes_one_rebuild(served):
    server, site = served
    source = site.content / "bai-viet" / "dot-ghi.md"
    text = source.read_text(encoding="utf-8")
    before = server.rebuilds
    for n in range(5):  # editors write a file several times per save, within a few milliseconds
        source.write_text(text + f"\nLần ghi {n}.\n", encoding="utf-8")
    wait_until(lambda: server.rebuilds > before)
    time.sleep(0.5)  # room for a second rebuild, if the burst were split
    assert server.rebuilds == before + 1
    soup = BeautifulSoup(get(server, "/tin-tuc/2023/bai-luu-nhieu-lan/")[1], "lxml")
    assert "Lần ghi 4." in soup.find("main").get_text()


# --- in the browser ----------------------------------------------------------------------------------

@pytest.mark.browser
def test_saved_text_appears_without_a_manual_reload(served, chromium):
    server, site = served
    page = open_page(server, chromium, "tin-tuc/2023/khi-tuong-va-khi-hau/")
    unrelated = open_page(server, chromium, "the/")  # the tag index does not show article text
    unrelated.evaluate("window.awarenessMarker = 'not reloaded'")
    source = site.content / "bai-viet" / "khi-tuong.md"
    original = edit(source, "Thời tiết hôm nay.", "Dự báo mới: mưa rào.")
    try:
        page.wait_for_function("document.querySelector('main')?.innerText.includes('Dự báo mới: mưa rào.')",
                               timeout=10_000)
        assert "Thời tiết hôm nay." not in page.inner_text("main")
        assert unrelated.evaluate("window.awarenessMarker") == "not reloaded"
    finally:
        source.write_text(original, encoding="utf-8")
        page.close()
        unrelated.close()


@pytest.mark.browser
def test_broken_front_matter_shows_the_overlay_and_the_fix_restores_the_page(served, chromium):
    server, site = served
    page = open_page(server, chromium, "tin-tuc/2023/nuoc-la-su-song/")
    source = site.content / "bai-viet" / "nuoc.md"
    original = edit(source, "campaign: ngay-nuoc-the-gioi", "campaign: ngay-nuoc-the-gioii")
    try:
        overlay = page.wait_for_selector("#awareness-overlay", timeout=10_000)
        assert "content/bai-viet/nuoc.md:4" in overlay.inner_text()
        assert "Nước là sự sống" in page.inner_text("main")  # the last good page stays under the overlay
    finally:
        source.write_text(original, encoding="utf-8")
    page.wait_for_selector("#awareness-overlay", state="detached", timeout=10_000)
    assert "Đoạn mở đầu về nước." in page.inner_text("main")
    page.close()


@pytest.mark.browser
def test_a_stylesheet_change_applies_without_a_page_reload(served, chromium):
    server, site = served
    page = open_page(server, chromium, "tin-tuc/")
    page.evaluate("window.awarenessMarker = 'still the same page'")
    stylesheet = site.root / "assets" / "css" / "site.css"
    original = stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(original + "\n:root { --awareness-test: 7px; }\n", encoding="utf-8")
    try:
        page.wait_for_function(
            "getComputedStyle(document.documentElement).getPropertyValue('--awareness-test').trim() === '7px'",
            timeout=10_000)
        assert page.evaluate("window.awarenessMarker") == "still the same page"
    finally:
        stylesheet.write_text(original, encoding="utf-8")
        page.close()


# --- the command --------------------------------------------------------------------------------------

def test_the_command_prints_the_url_and_stops_cleanly_on_ctrl_c(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước")})
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=site.root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        assert get_raw(port, "/tin-tuc/2023/nuoc/")[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err and "Đã dừng" in err
    assert not site.output.exists()


STOP_SCRIPT = """
import signal, sys, threading, time
from pathlib import Path
from generator.settings import BuildSettings
from generator.live.serve import PreviewServer
from tests.conftest import TODAY

root, repo = Path(sys.argv[1]), Path(sys.argv[2])
settings = BuildSettings(project=root, content=root / "content", output=root / ".cache" / "preview",
                         templates=repo / "templates", assets=repo / "assets", cache=None, today=TODAY, preview=True)
server = PreviewServer(settings, "127.0.0.1", int(sys.argv[3]))
server.bind()
server.build()

def interrupt():
    server.ready.wait(10)
    time.sleep(0.3)  # the loop is idle in epoll by now
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # to this thread, not the main one
    time.sleep(5)
    server.stop()  # the loop never woke: let the script end, and the test fail

threading.Thread(target=interrupt, daemon=True).start()
started = time.monotonic()
server.serve_forever()  # in the main thread, as `awareness serve` runs it
print(f"{time.monotonic() - started - 0.3:.2f}")
"""


def test_ctrl_c_received_by_another_thread_stops_the_server_at_once(make_site):
    """The kernel gives a process's SIGINT to any of its threads. Received by the watcher (or any
    thread but the main one), it must still wake the main thread's loop: before, the server went on
    until something else woke it (a CI run waited over 15 s). Its own process: the server's loop
    must be the main thread's, which pytest's may not be."""
    site = make_site({"bai-viet/nuoc.md": article("Nước")})
    result = subprocess.run([sys.executable, "-c", STOP_SCRIPT, str(site.root), str(REPO), str(free_port())],
                            capture_output=True, text=True, timeout=60, cwd=REPO,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    elapsed = float(result.stdout.split()[-1])
    assert elapsed < 2, f"the server went on {elapsed:.1f} s after Ctrl-C"


def test_a_port_in_use_is_a_clear_usage_error(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước")})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = site.cli("serve", "--port", str(port))
        remote = site.cli("serve", "--host", "0.0.0.0", "--port", str(port))  # refused too: no network reached
    assert result.returncode == 2
    assert f"cổng {port}" in result.stderr and "--port" in result.stderr and "Traceback" not in result.stderr
    assert remote.returncode == 2 and "cảnh báo" in remote.stderr and "0.0.0.0" in remote.stderr


def test_only_loopback_hosts_go_without_a_warning():
    assert describe("127.0.0.1") is None and describe("localhost") is None and describe("::1") is None
    assert "bản nháp" in describe("0.0.0.0") and "bản nháp" in describe("192.168.1.5")


def get_raw(port: int, path: str) -> tuple[int, str]:
    deadline = time.monotonic() + 10
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except ConnectionRefusedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)




def test_a_site_that_never_built_shows_its_errors_until_fixed(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước")})
    data = site.content / "_data" / "site.yaml"
    good = data.read_text(encoding="utf-8")
    data.write_text(good.replace('name: "Sở Công Thương tỉnh Bình Thuận"\n', ""), encoding="utf-8")
    server = PreviewServer(site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True),
                           "127.0.0.1", free_port())
    server.bind()
    assert server.build().errors
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.ready.wait(10)
        status, _ = get(server, "/")
        assert status == 404
        assert any(p["where"].startswith("content/_data/site.yaml") for p in problems_shown(server))
        data.write_text(good, encoding="utf-8")
        wait_until(lambda: not problems_shown(server))
        assert get(server, "/")[0] == 200
    finally:
        server.stop()
        thread.join(10)
