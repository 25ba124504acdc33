"""The generated web server configuration: the same headers in nginx, Apache and IIS form, and a
Content-Security-Policy that the site's own pages satisfy, the search and the board included, in Chromium."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from xml.dom import minidom

import pytest

from generator.publish import serverconfig
from tests.conftest import SiteDir, article, free_port
from tests.plan.test_plan import PLAN_YAML

WATCH_FOR_VIOLATIONS = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


class HeadersHandler(SimpleHTTPRequestHandler):
    """Serves the built site with the headers the generated configuration sends."""

    sent: tuple[tuple[str, str], ...] = ()

    def end_headers(self) -> None:
        for name, value in self.sent:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("csp"), {
        "_data/plans/9-KH-SCT.yaml": PLAN_YAML.replace("{start}", "2023-03-20"),
        "bai/nuoc.md": article("Tiết kiệm nước sạch", body="Mỗi giọt nước đều quý."),
        "bai/gio.md": article("Giờ Trái đất 2023", campaign="gio-trai-dat", date="2023-03-25"),
    })
    site.build()
    return site


def serve(site: SiteDir, headers: tuple[tuple[str, str], ...]):
    handler = functools.partial(type("Handler", (HeadersHandler,), {"sent": headers}), directory=str(site.output))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    context.add_init_script(WATCH_FOR_VIOLATIONS)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_the_search_and_the_board_work_under_the_generated_policy(site, page):
    headers = serverconfig.site_headers(site.output, "https://sct.example.gov.vn/")
    server = serve(site, headers.headers)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        response = page.goto(base + "tim-kiem/?q=tiet+kiem+nuoc")
        assert response.headers["content-security-policy"] == dict(headers.headers)["Content-Security-Policy"]
        page.wait_for_selector("#search-form[data-ready=true]")
        page.wait_for_selector("#search-results li")
        assert "Tiết kiệm nước sạch" in page.locator("#search-results").inner_text()
        assert page.evaluate("window.__violations") == []

        page.goto(base + "bang-dien-tu/?date=2023-04-10")
        page.wait_for_function("document.querySelector('#khau-hieu').textContent.trim() !== ''")
        assert page.evaluate("window.__violations") == []
        for path in ("", "tin-tuc/", "404.html"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__violations") == [], path
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_a_policy_the_site_breaks_is_caught(site, page):
    """The watch above can fail: forbid the site's own scripts and the violation is seen."""
    server = serve(site, (("Content-Security-Policy", "default-src 'self'; script-src 'none'"),))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/tim-kiem/")
        page.wait_for_function("window.__violations.length > 0")
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
    finally:
        server.shutdown()
        server.server_close()


def test_nginx_apache_and_iis_say_the_same(site, tmp_path):
    headers = serverconfig.site_headers(site.output, "https://sct.example.gov.vn/chuyen-de/", ("www.youtube.com",))
    policy = dict(headers.headers)["Content-Security-Policy"]
    assert "frame-src https://www.youtube.com" in policy and "'sha256-" in policy  # the no-JavaScript menu style
    written = {path.name: path.read_text(encoding="utf-8") for path in serverconfig.write_all(headers, tmp_path)}
    assert set(written) == {"nginx.conf", ".htaccess", "web.config"}
    assert f'add_header Content-Security-Policy "{policy}" always;' in written["nginx.conf"]
    assert "error_page 404 /chuyen-de/404.html;" in written["nginx.conf"]
    assert f'Header always set Content-Security-Policy "{policy}"' in written[".htaccess"]
    assert "ErrorDocument 404 /chuyen-de/404.html" in written[".htaccess"]
    document = minidom.parseString(written["web.config"])
    custom = {e.getAttribute("name"): e.getAttribute("value") for e in document.getElementsByTagName("add")
              if e.parentNode.tagName == "customHeaders"}
    assert custom == dict(headers.headers)
    assert [e.getAttribute("path") for e in document.getElementsByTagName("error")] == ["/chuyen-de/404.html"]
    mimes = {e.getAttribute("fileExtension"): e.getAttribute("mimeType")
             for e in document.getElementsByTagName("mimeMap")}
    assert mimes[".webp"] == "image/webp" and mimes[".avif"] == "image/avif"
