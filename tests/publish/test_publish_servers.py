"""`awareness publish` against real servers on 127.0.0.1: OpenSSH's sshd (SFTP) and pyftpdlib (FTP, FTPS).

Every test ends by comparing the server's folder, file by file and byte by byte, with output/ less the
build's bookkeeping.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.publish import PublishError, choose, lock, run
from generator.publish.plan import BOOKKEEPING, LOCK, PART, RECORD
from tests.conftest import REPO, SITE_YAML, article, free_port
from tests.publish_servers import Ftpd, start_sshd, stop, tree

BASE = "https://sct.example.gov.vn/"
SERVER_ONLY = {RECORD, LOCK}
PASSWORD = "mat-khau-thu"


@dataclass
class Place:
    """A server's folder, seen from here, and how a site names it."""

    root: Path
    publish_yaml: str  # the lines under site.yaml's publish:
    env: dict[str, str]
    cut: Callable[[], None]  # cut every open connection to the server
    revive: Callable[[], None]  # make the server answer again after a cut
    refused_url: Callable[[int], str]  # the same target on a port nothing listens on


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    stop(server.process)


@pytest.fixture(params=["sftp", "ftp"])
def place(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    if request.param == "sftp":
        server = request.getfixturevalue("sshd")
        yaml = (f"    url: sftp://{server.user}@127.0.0.1:{server.port}{root}\n"
                f"    host_key: \"{server.host_key}\"\n    key: {server.user_key}\n")
        yield Place(root, yaml, {}, server.cut_sessions, lambda: None,
                    lambda port: f"sftp://{server.user}@127.0.0.1:{port}{root}")
        return
    ftpd = Ftpd(free_port(), root, PASSWORD, "").start()
    yield Place(root, f"    url: ftp://webmaster@127.0.0.1:{ftpd.port}/\n", {"AWARENESS_PUBLISH_PASSWORD": PASSWORD},
                ftpd.kill, ftpd.start, lambda port: f"ftp://webmaster@127.0.0.1:{port}/")
    ftpd.kill()


def site_for(make_site, place: Place, articles: int = 3, name: str = "Sở Công Thương tỉnh Bình Thuận"):
    site_yaml = SITE_YAML.replace("Sở Công Thương tỉnh Bình Thuận", name, 1) + \
        f"publish:\n  thu:\n{place.publish_yaml}    base_url: {BASE}\n"
    files = {"_data/site.yaml": site_yaml}
    files.update({f"bai/bai-{i}.md": article(f"Bài số {i}", date=f"2023-03-{10 + i}") for i in range(articles)})
    return make_site(files)


def publish_cli(site, place: Place, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "publish", *args], cwd=site.root, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                                                       "LANG": "C.UTF-8", **place.env, **(env or {})})


def published(site, place: Place, *args: str) -> dict:
    result = publish_cli(site, place, "thu", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_identical(site, place: Place) -> None:
    assert tree(place.root, SERVER_ONLY) == tree(site.output, BOOKKEEPING)
    assert not [p for p in place.root.rglob("*") if p.name.endswith(PART)]
    assert not (place.root / LOCK).exists()


def test_first_publish_then_an_edit_then_a_deletion_each_leave_the_server_identical(place, make_site):
    site = site_for(make_site, place)
    first = published(site, place)
    assert_identical(site, place)
    assert first["unchanged"] == 0 and len(first["sent"]) == len(tree(site.output, BOOKKEEPING))
    assert not {".awareness-build", ".changes.txt"} & set(first["sent"])

    source = site.content / "bai" / "bai-1.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nMột đoạn mới.\n", encoding="utf-8")
    edit = published(site, place)
    assert_identical(site, place)
    assert any("bai-so-1" in path for path in edit["sent"]) and edit["unchanged"] > 0
    assert len(edit["sent"]) < len(first["sent"]) and edit["deleted"] == []

    (site.content / "bai" / "bai-2.md").unlink()
    deletion = published(site, place)
    assert_identical(site, place)
    assert any("bai-so-2" in path for path in deletion["deleted"])

    again = published(site, place)
    assert again["sent"] == [] and again["deleted"] == []


def test_a_publish_cut_off_midway_leaves_whole_files_and_resumes_to_identical(place, make_site, monkeypatch):
    site = site_for(make_site, place, articles=6)
    published(site, place)
    before = tree(place.root, SERVER_ONLY)
    renamed = site_for(make_site, place, articles=6, name="Sở Công Thương tỉnh Lâm Đồng")  # every page changes
    target = choose("thu", renamed.content / "_data" / "site.yaml")
    renamed.build(base_url=BASE)
    after = tree(renamed.output, BOOKKEEPING)
    monkeypatch.setattr(run, "SAVE_EVERY", 3)
    monkeypatch.setattr(run, "SAVE_SECONDS", 0)

    class CutAtTheSeventhFile(run.Progress):
        placed_files = 0

        def placed(self, path: str) -> None:
            self.placed_files += 1
            if self.placed_files == 7:
                place.cut()

    with pytest.raises(PublishError) as cut:
        run.publish(renamed.output, target, BASE, lambda: PASSWORD, progress=CutAtTheSeventhFile())
    assert "chạy lại" in cut.value.hint
    place.revive()
    halfway = tree(place.root, SERVER_ONLY)
    for path, data in halfway.items():  # each file is the old one or the new one, never part of either
        assert path.endswith(PART) or data in (before.get(path), after.get(path)), path
    assert any(after.get(path) == data != before.get(path) for path, data in halfway.items())

    resumed = run.publish(renamed.output, target, BASE, lambda: PASSWORD)
    assert_identical(renamed, place)
    changed = [path for path in after if after[path] != before.get(path)]
    assert 0 < len(resumed.plan.send) < len(changed)  # it went on from where it stopped
    assert resumed.plan.edited == ()  # what the cut publish had placed is not taken for a hand edit


def test_a_second_publish_is_refused_naming_the_first(place, make_site):
    site = site_for(make_site, place)
    published(site, place)
    target = choose("thu", site.content / "_data" / "site.yaml")
    first = run.connect(target, lambda: PASSWORD)
    try:
        lock.acquire(first, {"who": "chi-lan@may-van-phong", "host": "may-van-phong", "pid": 4242,
                             "since": "08:00 06/12/2026"})
        before = tree(place.root, SERVER_ONLY)
        source = site.content / "bai" / "bai-0.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nSửa.\n", encoding="utf-8")
        refused = publish_cli(site, place, "thu")
        assert refused.returncode == 1
        assert "chi-lan@may-van-phong" in refused.stderr and "Traceback" not in refused.stderr
        assert tree(place.root, SERVER_ONLY) == before
    finally:
        lock.release(first)
        first.close()
    published(site, place)
    assert_identical(site, place)


def test_two_publishes_starting_together_cannot_both_take_the_lock(place, make_site):
    site = site_for(make_site, place, articles=1)
    target = choose("thu", site.content / "_data" / "site.yaml")
    transports = [run.connect(target, lambda: PASSWORD) for _ in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def take(transport, who: str) -> None:
        barrier.wait()
        try:
            lock.acquire(transport, {"who": who, "host": who, "pid": 1, "since": "?"})
            outcomes.append("won")
        except PublishError:
            outcomes.append("refused")

    threads = [threading.Thread(target=take, args=(t, f"may-{i}")) for i, t in enumerate(transports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    lock.release(transports[0])
    for transport in transports:
        transport.close()
    assert sorted(outcomes) == ["refused", "won"]


def test_a_wrong_password_is_a_clear_message(place, make_site):
    without_key = "".join(line for line in place.publish_yaml.splitlines(keepends=True) if "key:" not in line
                          or "host_key" in line)
    site = site_for(make_site, Place(place.root, without_key, {}, place.cut, place.revive, place.refused_url))
    result = publish_cli(site, place, "thu", env={"AWARENESS_PUBLISH_PASSWORD": "sai-mat-khau"})
    assert result.returncode == 1, result.stderr
    assert "từ chối đăng nhập" in result.stderr and "AWARENESS_PUBLISH_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(place.root, set()) == {}


def test_an_unreachable_server_is_a_clear_message(place, make_site):
    site = site_for(make_site, place)
    result = publish_cli(site, place, place.refused_url(free_port()), "--base-url", BASE)
    assert result.returncode == 1
    assert "không kết nối được máy chủ 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


def test_ftps_publishes_over_explicit_tls_checked_against_the_given_authority(make_site, tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    folder = tmp_path_factory.mktemp("tls")
    certificate = authority.issue_cert("127.0.0.1")
    certificate.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    root = tmp_path_factory.mktemp("www")
    ftpd = Ftpd(free_port(), root, PASSWORD, str(folder / "server.pem")).start()
    try:
        place = Place(root, f"    url: ftps://webmaster@127.0.0.1:{ftpd.port}/\n    ca_file: {folder / 'ca.pem'}\n",
                      {"AWARENESS_PUBLISH_PASSWORD": PASSWORD}, ftpd.kill, ftpd.start, str)
        site = site_for(make_site, place)
        published(site, place)
        assert_identical(site, place)
        untrusted = publish_cli(site, place, f"ftps://webmaster@127.0.0.1:{ftpd.port}/", "--base-url", BASE)
        assert untrusted.returncode == 1 and "TLS" in untrusted.stderr and "Traceback" not in untrusted.stderr
    finally:
        ftpd.kill()


def test_an_unknown_ssh_server_is_refused_with_its_fingerprint(sshd, make_site, tmp_path):
    site = make_site({})
    url = f"sftp://{sshd.user}@127.0.0.1:{sshd.port}{tmp_path}"
    result = subprocess.run([sys.executable, "-m", "generator", "publish", url, "--base-url", BASE], cwd=site.root,
                            capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert result.returncode == 1
    assert "chưa biết máy chủ" in result.stderr and f'host_key: "{sshd.host_key}"' in result.stderr
