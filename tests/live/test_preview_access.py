"""Who may see the preview: Host names, WebSocket origins and the office network's access token,
checked with real HTTP requests and real WebSocket handshakes against a running preview server."""

from __future__ import annotations

import http.client
import threading

import pytest
from conftest import REPO, SiteDir, article, running_preview
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect

from generator.live.preview_access import Access


@pytest.fixture
def local(tmp_path):
    with running_preview(SiteDir(tmp_path, {"bai-viet/nuoc.md": article("Nước là sự sống")})) as server:
        yield server


@pytest.fixture
def office(tmp_path):
    with running_preview(SiteDir(tmp_path, {"bai-viet/nuoc.md": article("Nước là sự sống")}), "0.0.0.0") as server:
        yield server


def request(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read().decode("utf-8", "replace")
    connection.close()
    return response


def websocket_status(port: int, headers: dict) -> int:
    """101 when the handshake succeeds, else the HTTP status the server answered with."""
    async def attempt() -> int:
        try:
            connection = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers))
        except HTTPClientError as error:
            return error.code
        connection.close()
        return 101
    # in a thread of its own: Playwright's sync API keeps an event loop running in the test's thread
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(IOLoop(make_current=False).run_sync(attempt)))
    worker.start()
    worker.join(15)
    return result[0]


def test_local_preview_answers_to_local_names_only(local):
    assert request(local.port, "/").status == 200
    assert request(local.port, "/", {"Host": f"localhost:{local.port}"}).status == 200
    rebinding = request(local.port, "/", {"Host": f"attacker.example:{local.port}"})
    assert rebinding.status == 403 and "tên miền" in rebinding.body
    assert request(local.port, "/livereload.js", {"Host": "attacker.example"}).status == 403


def test_websocket_only_from_the_previews_own_pages(local):
    own = f"127.0.0.1:{local.port}"
    assert websocket_status(local.port, {"Origin": f"http://{own}"}) == 101
    assert websocket_status(local.port, {"Origin": "http://attacker.example"}) == 403
    assert websocket_status(local.port, {"Origin": f"http://attacker.example:{local.port}",
                                         "Host": f"attacker.example:{local.port}"}) == 403


def test_office_network_preview_needs_the_printed_token(office):
    token = office.access.token
    assert token and len(token) >= 16
    assert all(f"?token={token}" in url for url in office.shared_urls)
    refused = request(office.port, "/")
    assert refused.status == 403 and "mã truy cập" in refused.body
    assert request(office.port, "/?token=wrong").status == 403
    first = request(office.port, f"/?token={token}")
    assert first.status == 200
    cookie = first.getheader("Set-Cookie")
    assert cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    later = request(office.port, "/tin-tuc/", {"Cookie": cookie.split(";")[0]})
    assert later.status == 200 and "Nước là sự sống" in later.body
    # the socket needs the token too, and the page's own origin
    own = f"http://127.0.0.1:{office.port}"
    assert websocket_status(office.port, {"Origin": own}) == 403
    assert websocket_status(office.port, {"Origin": own, "Cookie": cookie.split(";")[0]}) == 101


def test_office_network_accepts_addresses_and_this_machines_names_not_others():
    access = Access.for_host("0.0.0.0")
    assert access.allows_host("192.168.1.20:8000") and access.allows_host("[::1]:8000")
    assert not access.allows_host("attacker.example:8000")
    assert Access.for_host("127.0.0.1").token is None
    assert not Access.for_host("127.0.0.1").allows_host("192.168.1.20:8000")


def test_the_command_prints_working_addresses_with_the_token(tmp_path):
    import re
    import signal
    import subprocess
    import sys

    site = SiteDir(tmp_path, {"bai-viet/nuoc.md": article("Nước là sự sống")})
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--host", "0.0.0.0", "--port", "0"],
                               cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    try:
        local = re.search(r"Xem trước tại (\S+)", process.stdout.readline()).group(1)
        review = re.search(r"Bài chờ duyệt: (\S+)", process.stdout.readline()).group(1)
        assert "Đồng nghiệp" in process.stdout.readline()
        shared = process.stdout.readline().strip()
        port = int(re.search(r":(\d+)/", local).group(1))
        token = re.search(r"token=(\S+)", local).group(1)
        assert shared.endswith(f"?token={token}") and review.endswith(f"/_duyet/?token={token}")
        assert request(port, local.split(str(port), 1)[1]).status == 200
        assert request(port, review.split(str(port), 1)[1]).status == 200
        assert request(port, "/").status == 403
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert "Traceback" not in err and "cảnh báo" in err
