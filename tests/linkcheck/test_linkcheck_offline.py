"""A machine with no network: `awareness check` says so once instead of listing every outside link.

The check runs in a network namespace of its own (`unshare --net`), where only the loopback device
exists: a host name lookup fails at once, as on an office PC whose cable is out, and nothing leaves
the machine. A server on 127.0.0.1 inside the namespace shows that one reachable host is enough for
the links to be reported one by one again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, article

LINKS = ("Xem [Bộ Tài nguyên](https://monre.gov.vn/tai-lieu), [WWF](https://www.wwf.org.vn/gio-trai-dat) "
         "và [WMO](https://wmo.int/world-meteorological-day).")
SERVER = """
import http.server, subprocess, sys, threading
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]
page = open("content/bai-viet/nuoc.md", encoding="utf-8").read().replace("https://wmo.int/", f"http://127.0.0.1:{port}/")
open("content/bai-viet/nuoc.md", "w", encoding="utf-8").write(page)
for command in (["build"], ["check", *sys.argv[1:]]):
    done = subprocess.run([sys.executable, "-m", "generator", *command], capture_output=True, text=True)
    print(done.stdout, done.stderr, f"exit={done.returncode}", sep="\\n", flush=True)
"""


def in_namespace(site, *args: str, with_server: bool = False) -> str:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is missing")
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow network namespaces")
    if with_server:
        script = f"ip link set lo up && {sys.executable} -c '{SERVER}' {' '.join(args)}"
    else:
        script = (f"{sys.executable} -m generator build >/dev/null && "
                  f"{sys.executable} -m generator check {' '.join(args)}; echo exit=$?")
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], cwd=site.root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"},
                          timeout=180)
    return done.stdout + done.stderr


def test_no_network_is_said_once_not_per_link(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước", body=LINKS)})
    out = in_namespace(site)
    assert out.count("có vẻ không kết nối Internet") == 1, out
    assert "không tìm thấy tên máy chủ" not in out and "monre.gov.vn" not in out
    assert "exit=0" in out and "Traceback" not in out


def test_no_network_in_json_and_strict(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước", body=LINKS)})
    out = in_namespace(site, "--format", "json", "--strict")
    report = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert report["findings"] == [] and report["summary"]["no_network"] == 3
    assert "không kết nối Internet" in report["notice"]
    assert "exit=1" in out  # --strict: what could not be checked is not a pass


def test_one_reachable_host_means_the_links_are_reported_one_by_one(make_site):
    site = make_site({"bai-viet/nuoc.md": article("Nước", body=LINKS)})
    out = in_namespace(site, with_server=True)
    assert "có vẻ không kết nối Internet" not in out, out
    assert out.count("không tìm thấy tên máy chủ (DNS)") == 2  # monre.gov.vn and wwf.org.vn, each at its line
    assert "content/bai-viet/nuoc.md" in out
