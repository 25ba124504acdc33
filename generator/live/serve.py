"""The preview server: serves the preview's own build folder, watches the sources, rebuilds, reloads.

It owns the HTTP side and the watching only; what a change rebuilds is rebuild.py's (on engine.py). Tornado serves
the files (through a handler that refuses anything outside the build folder, symbolic links
included), livereload supplies the browser script and its websocket protocol (a stylesheet is swapped
in place, anything else reloads the page), and watchfiles turns an editor's burst of writes into one
batch. While the site has errors, every HTML page carries an overlay naming file, line and message.
"""

from __future__ import annotations

import asyncio
import errno
import html
import http
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from generator.docx_import import DROP_FOLDER
from generator.live.changes import saved_batches
from generator.live.preview_access import COOKIE, Access, is_loopback
from generator.live.rebuild import Outcome, Preview
from generator.problems import Problem, Problems
from generator.rendering.templates import TemplateProblem
from generator.settings import BuildSettings
from generator.site import review

HEAD_END = b"</head>"
ANNOUNCE_PAUSE = 0.15  # seconds: time for the browser to fetch the saved page before the lists are rendered

# Shown over the page while the site has errors; built with textContent so no message can inject markup.
OVERLAY_SCRIPT = """<script>(function () {
  var problems = JSON.parse(document.getElementById("awareness-problems").textContent);
  function show() {
    var box = document.createElement("div");
    box.id = "awareness-overlay"; box.setAttribute("role", "alert"); box.lang = "vi";
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
      "color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem";
    var title = document.createElement("h2");
    title.style.cssText = "color:#fff;margin:0 0 1rem;font-size:1.4rem";
    title.textContent = "Lỗi khi dựng trang (" + problems.length + ") – sửa tệp rồi lưu, trang sẽ tự tải lại";
    box.appendChild(title);
    problems.forEach(function (p) {
      var item = document.createElement("pre");
      item.className = "awareness-problem";
      item.style.cssText = "white-space:pre-wrap;color:#fff;background:#3a0d0d;border-left:4px solid #ff6b6b;" +
        "padding:.75rem;font:15px/1.5 ui-monospace,monospace";
      item.textContent = p.where + ": " + p.message + (p.hint ? "\\n    → " + p.hint : "");
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
  if (document.body) { show(); } else { document.addEventListener("DOMContentLoaded", show); }
})();</script>"""

# A livereload.js plugin (it picks up window.LiveReloadPlugin* when it starts): a page reloads only when
# the rebuild rewrote it, so the other tabs an author keeps open stay as they are. Its analyze() tells
# the server, in livereload's own "info" message, which page it is and after which reload it was served:
# a reload sent while the page was still loading (no socket yet) is then made up when its socket connects.
PAGES_PREFIX = "awareness-pages:"
PAGE_ENDINGS = ("/", ".html", ".xml", ".txt")
RELOAD_PLUGIN = """<script>window.LiveReloadPluginAwareness = (function () {
  function Plugin(window) { this.window = window; }
  Plugin.identifier = "awareness"; Plugin.version = "1.0";
  Plugin.prototype.analyze = function () {
    return {generation: GENERATION, path: decodeURI(this.window.location.pathname.replace(/index\\.html$/, ""))};
  };
  Plugin.prototype.reload = function (path) {
    if (path.indexOf("PREFIX") !== 0) { return false; }
    var here = this.window.location.pathname.replace(/index\\.html$/, "");
    if (JSON.parse(path.slice(PREFIX_LENGTH)).indexOf(decodeURI(here)) >= 0) { this.window.location.reload(); }
    return true;
  };
  return Plugin;
})();</script>""".replace("PREFIX_LENGTH", str(len(PAGES_PREFIX))).replace("PREFIX", PAGES_PREFIX)

# livereload's own loader snippet: the client script comes from the server the page came from.
LIVERELOAD_SCRIPT = RELOAD_PLUGIN + (
    '<script>(function(){var s=document.createElement("script");var port=window.location.port||80;'
    's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    'document.head.appendChild(s);})();</script>')


class PortInUse(Exception):
    """The port is taken by another program: a message for the author, not a traceback."""


FORBIDDEN = {
    "host": "Máy chủ xem trước không phục vụ tên miền này. Mở đúng địa chỉ mà lệnh awareness serve đã in ra.",
    "token": "Cần mã truy cập: mở đường dẫn có ?token=… mà lệnh awareness serve in ra khi khởi động "
             "(hỏi người chạy máy chủ xem trước).",
}


class Guarded:
    """Checks every request against the server's Access before it is served (tornado calls prepare first)."""

    def prepare(self) -> None:
        access: Access = self.application.settings["access"]
        if not access.allows_host(self.request.host):
            raise web.HTTPError(403, reason="host")
        if access.token is None:
            return
        given = self.get_query_argument("token", None)
        if given is not None and access.accepts(given):
            self.set_cookie(COOKIE, given, httponly=True, samesite="Lax")
        elif not access.accepts(self.get_cookie(COOKIE)):
            raise web.HTTPError(403, reason="token")

    def forbidden_page(self, status_code: int, exc_info=None) -> str | None:
        """The page that says why a request was refused (the reason its HTTPError carries)."""
        error = exc_info[1] if exc_info else None
        reason = FORBIDDEN.get(getattr(error, "reason", None) or "") if status_code == 403 else None
        if reason is None:
            return None
        return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Không được phép</title>'
                f"</head><body><h1>403: không được phép</h1><p>{html.escape(reason)}</p></body></html>")


class SiteFileHandler(Guarded, web.StaticFileHandler):
    """Tornado's file handler, refusing every path whose real location is outside the build folder.

    Tornado normalises '..' (encoded or not) against the root; only from 6.6 on does it also check
    where a symbolic link leads, and livereload accepts any tornado, so both sides are resolved here
    first. A missing page gets the site's own 404 page.
    """

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        real_root = os.path.realpath(root)
        if "\x00" in absolute_path:
            raise web.HTTPError(404)
        real = os.path.realpath(absolute_path)
        if real != real_root and not real.startswith(real_root + os.sep):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")  # a preview must never show yesterday's page

    def should_return_304(self) -> bool:
        return False

    def write_error(self, status_code: int, **kwargs) -> None:
        page = Path(self.root) / "404.html"
        self.clear_header("Content-Disposition")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        forbidden = self.forbidden_page(status_code, kwargs.get("exc_info"))
        if forbidden:
            self.finish(forbidden)
        elif status_code == 404 and page.is_file():
            self.finish(page.read_bytes())
        else:  # still HTML, so the overlay shows when not even the first build succeeded
            self.finish(f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{status_code}</title>'
                        f"</head><body><h1>{status_code}: {_phrase(status_code)}</h1></body></html>")


def _phrase(status_code: int) -> str:
    try:
        return http.HTTPStatus(status_code).phrase
    except ValueError:
        return ""


class ClientScript(Guarded, LiveReloadJSHandler):
    """livereload's browser script, behind the same checks as the pages."""


class PreviewSocket(Guarded, LiveReloadHandler):
    """livereload's WebSocket, opened only by the preview's own pages; it reloads a page that was served
    before the last rebuild finished and connected after the reload was sent (the reload was lost)."""

    def check_origin(self, origin: str) -> bool:
        return self.application.settings["access"].allows_origin(origin, self.request.host)

    def on_message(self, message) -> None:
        super().on_message(message)
        try:
            data = json.loads(message)
            page = data["plugins"]["awareness"] if data.get("command") == "info" else None
            stale = page is not None and self.application.settings["preview"].missed(page["path"], page["generation"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        if stale:
            self.send_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})


class ReviewHandler(Guarded, web.RequestHandler):
    """/_duyet/: the drafts and scheduled articles, rendered on request from the site in memory."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.application.settings["preview"].review_page())  # the Inject transform adds the scripts

    def write_error(self, status_code: int, **kwargs) -> None:
        self.finish(self.forbidden_page(status_code, kwargs.get("exc_info")) or f"{status_code}")


class PreviewServer:
    """The preview of one project: its Preview kept in memory, a watcher thread and a tornado application.

    bind() takes the port, build() makes the first build, serve_forever() serves until stop() or Ctrl-C.
    """

    def __init__(self, settings: BuildSettings, host: str = "127.0.0.1", port: int = 8000,
                 echo: Callable[[str], None] = lambda _message: None):
        self.settings, self.host, self.port, self.echo = settings, host, port, echo
        self.preview: Preview | None = None  # made by bind(), once the port (part of its URLs) is known
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._sockets: list = []
        self._loop: IOLoop | None = None
        self._app: web.Application | None = None
        self._problems: tuple[Problem, ...] = ()
        self.access = Access.for_host(host)
        # Reloads sent so far are numbered; a page carries the number current when it was served.
        self.generation = 0
        self._reloaded: dict[str, int] = {}  # site path → the last reload that named it
        self._reloaded_all = 0  # the last reload of every page (the overlay came or went, a script changed)

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{shown}:{self.port}/"

    @property
    def shared_urls(self) -> list[str]:
        """The addresses to give colleagues when the preview is open to the network, token included."""
        if self.access.token is None:
            return [self.url]
        names = [self.host] if self.host not in ("0.0.0.0", "::", "") else sorted(_addresses())
        return [f"http://{name}:{self.port}/?token={self.access.token}" for name in names]

    @property
    def rebuilds(self) -> int:
        """Rebuilds after file changes (the first build not counted)."""
        return self.preview.rebuilds - 1

    @property
    def clients(self) -> int:
        """Browser pages connected through livereload's websocket."""
        return len(self._waiters())

    def bind(self) -> None:
        """Take the port now, so a port in use is reported before anything else happens."""
        try:
            self._sockets = bind_sockets(self.port, address=self.host)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(f"cổng {self.port} trên {self.host} đang được chương trình khác dùng") from None
            raise
        self.port = self._sockets[0].getsockname()[1]
        self.settings = replace(self.settings, base_url=self.settings.base_url or self.url)
        self.preview = Preview(self.settings)

    def build(self) -> Outcome:
        outcome = self.preview.full()
        self._after_rebuild(outcome, first=True)
        return outcome

    def serve_forever(self) -> None:
        """Serve until stop() or Ctrl-C; runs in the calling thread (a test may use a thread of its own)."""
        logging.getLogger("tornado.access").setLevel(logging.ERROR)  # one line per request is noise here
        asyncio.set_event_loop(asyncio.new_event_loop())
        self._loop = IOLoop.current()
        handled = threading.current_thread() is threading.main_thread() and self._handle_interrupt()
        self._app = self._application()
        http = HTTPServer(self._app)
        http.add_sockets(self._sockets)
        watcher = threading.Thread(target=self._watch, name="awareness-watch", daemon=True)
        watcher.start()
        self.ready.set()
        try:
            self._loop.start()
        except KeyboardInterrupt:
            pass
        finally:
            if handled:
                self._loop.asyncio_loop.remove_signal_handler(signal.SIGINT)
            self._stop.set()
            http.stop()
            for waiter in self._waiters():
                waiter.close()
            watcher.join(timeout=2)
            self._loop.close(all_fds=True)

    def _handle_interrupt(self) -> bool:
        """Ctrl-C through the loop's own wake-up pipe: the kernel may hand SIGINT to the watcher
        thread, and then the default KeyboardInterrupt waited until something woke the loop (a test
        saw the server go on for over 15 s). Windows' event loops have no signal handlers: there
        Ctrl-C stays a KeyboardInterrupt, which serve_forever catches. True when the handler is set."""
        try:
            self._loop.asyncio_loop.add_signal_handler(signal.SIGINT, self.stop)
        except NotImplementedError:
            return False
        return True

    def stop(self) -> None:
        """Safe from any thread."""
        self._stop.set()
        if self._loop is not None:
            self._loop.add_callback(self._loop.stop)

    # --- watching and rebuilding ---------------------------------------------------------------

    def _watch(self) -> None:
        for paths in saved_batches(self.settings, self._stop):
            # Word files dropped into content/nhap-word/ become draft articles (docs/import.md); the article
            # written there arrives in the next batch and is rebuilt like any saved file.
            if any(DROP_FOLDER in p.parts for p in paths):
                self._import_dropped()
            try:
                outcome = self.preview.apply(paths, early=self._announce)
            except Exception as error:  # noqa: BLE001 - the server outlives any one rebuild
                self.echo(f"lỗi không mong đợi khi dựng lại: {type(error).__name__}: {error}")
                continue
            if self._loop is not None:
                self._loop.add_callback(self._after_rebuild, outcome)

    def _import_dropped(self) -> None:
        from generator.docx_import.dropped import import_dropped  # python-docx only when a file is dropped

        try:
            for dropped in import_dropped(self.settings.content, self.settings.today):
                self.echo("\n".join(dropped.lines()))
        except Exception as error:  # noqa: BLE001 - a bad Word file must not stop the preview
            self.echo(f"lỗi không mong đợi khi nhập tệp Word: {type(error).__name__}: {error}")

    def _after_rebuild(self, outcome: Outcome, first: bool = False) -> None:
        errors = outcome.errors
        if errors:
            self.echo("\n".join(p.format() for p in errors))
            self.echo(f"Có {len(errors)} lỗi: trình duyệt hiện bảng lỗi; các trang giữ bản đúng gần nhất.")
        elif first:
            self.echo(f"Đã dựng {len(outcome.written)} tệp trong {outcome.seconds:.2f} giây.")
        elif outcome.written or outcome.removed or self._problems:
            self.echo(f"Dựng lại {len(outcome.written)} tệp trong {outcome.seconds * 1000:.0f} ms.")
        problems_changed = outcome.problems != self._problems
        self._problems = outcome.problems
        if first:
            return
        if problems_changed or "*" in outcome.reload:  # the overlay appears or goes on every page
            self.generation += 1
            self._reloaded_all = self.generation
            self._send_reload("*")
            return
        pages = tuple(path for path in outcome.reload if path.endswith(PAGE_ENDINGS))
        if pages:
            self._send_pages(pages)
        for path in (path for path in outcome.reload if not path.endswith(PAGE_ENDINGS)):
            self._send_reload(path.lstrip("/"))  # livereload swaps stylesheets and images in place

    def _announce(self, pages: tuple[str, ...]) -> None:
        """From the watcher thread: the saved files' own pages are written, reload them now.

        The rebuild then pauses briefly, so the browser fetches the author's page while no long list
        page competes with the server for the interpreter. When the save adds or clears errors, the
        page waits for the end of the rebuild instead, which reloads every page with the new overlay.
        """
        if self._loop is not None and self.preview.problems == self._problems:
            self._loop.add_callback(self._send_pages, pages)
            time.sleep(ANNOUNCE_PAUSE)

    def _send_pages(self, pages: tuple[str, ...]) -> None:
        self.generation += 1
        self._reloaded.update((page, self.generation) for page in pages)
        self._send_reload(PAGES_PREFIX + json.dumps(list(pages), ensure_ascii=False))

    def missed(self, path: str, served_after: int) -> bool:
        """Whether a reload for this page was sent after it was served (while it loaded, with no socket)."""
        return max(self._reloaded_all, self._reloaded.get(path, 0)) > served_after

    # --- the HTTP side --------------------------------------------------------------------------

    def _application(self) -> web.Application:
        server = self

        class Inject(web.OutputTransform):
            """livereload's client, and the overlay while there are errors, in every HTML page."""

            def transform_first_chunk(self, status_code, headers, chunk, finishing):
                if "text/html" in headers.get("Content-Type", "") and HEAD_END in chunk:
                    chunk = chunk.replace(HEAD_END, server.head_script() + HEAD_END, 1)
                    if "Content-Length" in headers:
                        headers["Content-Length"] = str(len(chunk))
                return status_code, headers, chunk

        folder = os.path.abspath(self.settings.output)
        return web.Application([
            (r"/livereload", PreviewSocket),
            (r"/livereload.js", ClientScript),
            (r"/" + review.REVIEW_URL + r"?", ReviewHandler),
            (r"/(.*)", SiteFileHandler, {"path": folder, "default_filename": "index.html"}),
        ], transforms=[Inject], access=self.access, preview=self)

    def review_page(self) -> str:
        """The reviewers' page, from the site in memory (on the loop thread, between rebuilds' swaps)."""
        preview = self.preview
        if preview.site is None:
            return "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Bài chờ duyệt</title>" \
                   "</head><body><h1>Bài chờ duyệt</h1><p>Trang chưa dựng được: xem bảng lỗi.</p></body></html>"
        shown = Problems(root=self.settings.project).shown(self.settings.content)
        rows = review.review_rows(preview.site, self._problems, self.settings.content, shown,
                                  self.settings.today)
        try:
            return preview.render_page(review.review_route(rows))
        except TemplateProblem as error:
            return f"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Lỗi</title></head>" \
                   f"<body><p>{html.escape(error.problem.format())}</p></body></html>"

    def head_script(self) -> bytes:
        errors = [p for p in self._problems if p.severity == "error"]
        script = LIVERELOAD_SCRIPT.replace("GENERATION", str(self.generation))
        if errors:
            data = [{"where": f"{p.path}:{p.line}" if p.line else p.path, "message": p.message, "hint": p.hint}
                    for p in errors]
            # JSON inside <script>: escape '<' so no message can close the tag
            payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
            script += f'<script id="awareness-problems" type="application/json">{payload}</script>' + OVERLAY_SCRIPT
        return script.encode("utf-8")

    def _waiters(self) -> list[LiveReloadHandler]:
        # livereload keeps its websockets in one class-wide set; take those of this server only
        return [w for w in LiveReloadHandler.waiters if w.application is self._app]

    def _send_reload(self, path: str) -> None:
        message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
        for waiter in self._waiters():
            waiter.send_message(message)


def describe(host: str) -> str | None:
    """A warning for the author when the preview (drafts included) is reachable from other machines."""
    if is_loopback(host):
        return None
    return (f"cảnh báo: máy chủ xem trước nghe trên {host}: mọi máy trong mạng đều xem được cả bản nháp, "
            "khi có mã truy cập in dưới đây → bỏ --host để chỉ máy này xem được (127.0.0.1)")


def _addresses() -> set[str]:
    """This machine's IPv4 addresses other than loopback, as colleagues reach it."""
    import socket

    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    return {a for a in found if not a.startswith("127.")} or {socket.gethostname()}
