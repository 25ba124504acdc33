"""`awareness check` and `awareness build --check` as an author runs them: exit codes and the three formats.

The embedded site must check clean offline, whatever articles it holds.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator.linkcheck.check import check_site
from generator.linkcheck.config import SOURCE_MAP, check_settings
from tests.conftest import REPO, TODAY, article
from tests.test_embedded_site import build_embedded

NUOC = "bai-viet/2023/nuoc.md"
BROKEN = {NUOC: article("Nước", body="## Mục\n\nXem [mất](/tin-tuc/khong-co/).\n\n![Ảnh](/anh/khong.png)\n")}


@pytest.fixture
def broken_site(make_site):
    site = make_site(BROKEN)
    assert site.cli("build", "--today", TODAY.isoformat()).returncode == 0
    return site


def test_build_check_offline_passes_on_a_clean_site(make_site):
    site = make_site({NUOC: article("Nước", body="[Ngoài](https://example.org/) [Mục](#muc)\n\n## Mục\n")})
    run = site.cli("build", "--check", "--offline", "--today", TODAY.isoformat())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 hỏng" in run.stdout and "--offline" in run.stdout


def test_build_check_fails_on_a_broken_link_and_names_the_line(make_site):
    run = make_site(BROKEN).cli("build", "--check", "--offline", "--today", TODAY.isoformat())
    assert run.returncode == 1
    assert "content/bai-viet/2023/nuoc.md" in run.stdout.splitlines()


def test_json_format(broken_site):
    run = broken_site.cli("check", "--offline", "--format", "json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["summary"]["broken"] == 2
    by_url = {f["url"]: f for f in report["findings"]}
    assert by_url["/tin-tuc/khong-co/"]["source"] == "content/bai-viet/2023/nuoc.md:9"
    assert by_url["/anh/khong.png"]["source"] == "content/bai-viet/2023/nuoc.md:11"
    for finding in report["findings"]:
        assert finding["status"] == "broken" and finding["page"] == "tin-tuc/2023/nuoc/index.html"
        assert finding["reason"]


def test_text_format_groups_by_source_file(broken_site):
    run = broken_site.cli("check", "--offline")
    lines = run.stdout.splitlines()
    assert run.returncode == 1
    start = lines.index("content/bai-viet/2023/nuoc.md")
    assert lines[start + 1].startswith("  9: hỏng: /tin-tuc/khong-co/")
    assert any(line.startswith("  11: hỏng: /anh/khong.png") for line in lines[start:])


def test_sarif_format_points_at_source_lines(broken_site):
    run = broken_site.cli("check", "--offline", "--format", "sarif")
    sarif = json.loads(run.stdout)
    assert run.returncode == 1 and sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "awareness-linkcheck"
    places = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                     r["locations"][0]["physicalLocation"]["region"]["startLine"], r["level"]) for r in results)
    assert places == [("content/bai-viet/2023/nuoc.md", 9, "error"), ("content/bai-viet/2023/nuoc.md", 11, "error")]


def test_include_ok_lists_good_references(broken_site):
    report = json.loads(broken_site.cli("check", "--offline", "--format", "json", "--include-ok").stdout)
    assert {"ok", "broken"} <= {f["status"] for f in report["findings"]}


def test_usage_errors_exit_2(make_site, tmp_path):
    site = make_site({NUOC: article("Nước")})
    assert site.cli("check", "--offline").returncode == 2  # nothing built yet
    assert site.cli("check", "--format", "xml").returncode == 2


class Forbidden(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(403 if self.path == "/cam" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


def test_unverifiable_fails_only_with_strict_and_good_results_are_cached(make_site, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Forbidden)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        site = make_site({NUOC: article("Nước", body=f"[Cấm]({root}/cam) [Được]({root}/duoc)\n")})
        assert site.cli("build", "--today", TODAY.isoformat()).returncode == 0
        cache = tmp_path / "ket-qua.json"
        run = site.cli("check", "--format", "json", "--cache", str(cache))
        assert run.returncode == 0, run.stdout + run.stderr
        assert [(f["url"], f["status"]) for f in json.loads(run.stdout)["findings"]] == \
            [(f"{root}/cam", "unverifiable")]
        assert list(json.loads(cache.read_text(encoding="utf-8"))) == [f"{root}/duoc"]
        assert site.cli("check", "--strict", "--cache", str(cache)).returncode == 1
    finally:
        server.shutdown()


def test_embedded_site_checks_clean_offline(tmp_path):
    site = build_embedded(tmp_path)
    result = check_site(check_settings(site.output, REPO / "content", tmp_path / "cache", offline=True),
                        tmp_path / "cache" / SOURCE_MAP)
    assert result.summary["pages"] > 10 and result.summary["references"] > 100
    assert [f for f in result.findings if f.status == "broken"] == []
