"""`awareness publish` to a folder (file:///, as a Windows share is used), its targets and its base URL."""

from __future__ import annotations

import json
import subprocess
import sys

from generator.publish import TargetError, choose, run
from generator.publish.plan import BOOKKEEPING, LOCK, RECORD, phase
from generator.publish.targets import parse_url
from tests.conftest import REPO, SITE_YAML, article
from tests.publish_servers import tree

SERVER_ONLY = {RECORD, LOCK}
IDENTITY = """\
publisher:
  periods:
    - {name: "Sở Công Thương tỉnh Bình Thuận", domain: "sct.binhthuan.gov.vn", until: 2025-06-30}
    - {name: "Sở Công Thương tỉnh Lâm Đồng", domain: "sct.lamdong.gov.vn", from: 2025-07-01}
retired_domains:
  - {domain: binhthuan.gov.vn, successor: lamdong.gov.vn, since: 2025-07-01}
"""


def cli(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "publish", *args], cwd=site.root, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                                                      "LANG": "C.UTF-8"})


def folder_site(make_site, tmp_path, extra: dict[str, str] | None = None):
    www = tmp_path / "www"
    www.mkdir()
    yaml = SITE_YAML + f"publish:\n  thu-muc:\n    url: file://{www}\n    base_url: https://sct.example.gov.vn/\n"
    files = {"_data/site.yaml": yaml, "bai/a.md": article("Bài A"), "bai/b.md": article("Bài B", date="2023-03-23")}
    return make_site({**files, **(extra or {})}), www


def test_publish_to_a_folder_sends_no_bookkeeping_and_leaves_it_identical(make_site, tmp_path):
    site, www = folder_site(make_site, tmp_path)
    result = cli(site, "thu-muc")
    assert result.returncode == 0, result.stderr
    assert "Đã đăng: gửi" in result.stdout
    assert tree(www, SERVER_ONLY) == tree(site.output, BOOKKEEPING)
    assert not {name for name in BOOKKEEPING if (www / name).exists()}
    assert (site.output / ".awareness-build").exists()  # still where the build keeps it


def test_files_go_up_assets_first_then_pages_then_feeds_and_deletions_last(make_site, tmp_path):
    site, www = folder_site(make_site, tmp_path)
    assert cli(site, "thu-muc").returncode == 0
    (site.content / "bai" / "b.md").unlink()
    (site.content / "anh.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    site.build(base_url="https://sct.example.gov.vn/")
    order: list[str] = []

    class Recorder(run.Progress):
        def placed(self, path: str) -> None:
            order.append(path)

    report = run.publish(site.output, choose("thu-muc", site.content / "_data" / "site.yaml"),
                         "https://sct.example.gov.vn/", str, progress=Recorder())
    assert report.plan.delete and order[-len(report.plan.delete):] == list(report.plan.delete)
    phases = [phase(path) for path in order[:len(report.plan.send)]]
    assert phases == sorted(phases) and phases[0] == 0 and 2 in phases
    assert order.index("anh.svg") < order.index("index.html") < order.index("sitemap.xml")
    assert tree(www, SERVER_ONLY) == tree(site.output, BOOKKEEPING)


def test_a_hand_edited_server_is_reported_and_put_right_and_other_files_are_left_alone(make_site, tmp_path):
    site, www = folder_site(make_site, tmp_path)
    assert cli(site, "thu-muc").returncode == 0
    (www / "index.html").write_text("sửa tay", encoding="utf-8")
    (www / "google1234.html").write_text("google-site-verification", encoding="utf-8")
    result = cli(site, "thu-muc", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["edited_on_server"] == ["index.html"] and report["sent"] == ["index.html"]
    assert report["foreign"] == ["google1234.html"]
    assert (www / "index.html").read_bytes() == (site.output / "index.html").read_bytes()
    assert (www / "google1234.html").exists()


def test_dry_run_lists_what_would_change_and_sends_nothing(make_site, tmp_path):
    site, www = folder_site(make_site, tmp_path)
    result = cli(site, "thu-muc", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Chạy thử" in result.stdout and "  gửi  index.html" in result.stdout
    assert list(www.iterdir()) == []


def test_a_build_for_the_target_uses_its_public_address(make_site, tmp_path):
    site, _www = folder_site(make_site, tmp_path)
    assert cli(site, "thu-muc", "--base-url", "https://chuyende.example.vn/nuoc/").returncode == 0
    assert "Sitemap: https://chuyende.example.vn/nuoc/sitemap.xml" in (site.output / "robots.txt").read_text()
    canonical = site.html("index.html").find("link", rel="canonical")["href"]
    assert canonical == "https://chuyende.example.vn/nuoc/"


def test_without_base_url_the_build_uses_todays_domain_never_a_retired_one(make_site):
    retired = SITE_YAML.replace("https://sct.example.gov.vn/", "https://sct.binhthuan.gov.vn/chuyen-de/")
    site = make_site({"_data/site.yaml": retired, "_data/identity.yaml": IDENTITY, "bai/a.md": article("Bài A")})
    site.build()
    assert site.html("index.html").find("link", rel="canonical")["href"] == "https://sct.lamdong.gov.vn/chuyen-de/"
    robots = (site.output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://sct.lamdong.gov.vn/chuyen-de/sitemap.xml" in robots and "binhthuan" not in robots


def test_targets_in_site_yaml_are_checked_with_their_lines(make_site):
    yaml = SITE_YAML + "publish:\n  chinh-thuc:\n    url: sftp://webmaster@may-chu/www\n    password: bi-mat\n" \
        "  cu:\n    url: http://may-chu/\n"
    site = make_site({"_data/site.yaml": yaml})
    result = cli(site, "chinh-thuc")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/_data/site.yaml:16:") and "password" in line for line in lines)
    assert any(line.startswith("content/_data/site.yaml:18:") and "sftp://" in line for line in lines)
    assert "AWARENESS_PUBLISH_PASSWORD" in result.stderr and "Traceback" not in result.stderr


def test_urls_and_windows_shares_name_targets_and_passwords_are_refused_in_them(tmp_path):
    target = parse_url("sftp://webmaster@sct.lamdong.gov.vn:2222/var/www/chuyen-de")
    assert (target.scheme, target.user, target.host, target.port, target.path) == \
        ("sftp", "webmaster", "sct.lamdong.gov.vn", 2222, "/var/www/chuyen-de")
    assert parse_url("ftps://sct@ftp.example.vn/").port == 21
    share = parse_url("\\\\may-chu\\wwwroot")
    assert (share.scheme, share.path) == ("file", "\\\\may-chu\\wwwroot")
    assert "mật khẩu" in parse_url("ftp://sct:bi-mat@ftp.example.vn/")
    try:
        choose(None, tmp_path / "site.yaml")
    except TargetError as error:
        assert error.problems
    else:
        raise AssertionError("no target chosen must be an error")
