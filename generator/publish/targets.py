"""Where a site is published: the `publish:` targets of content/_data/site.yaml, or a URL given on the command line.

A target names a place (sftp://, ftp://, ftps://, file:/// or a Windows share \\\\may-chu\\wwwroot) and the public
address the site is read at there, so the build made for it writes the right canonical URLs, sitemap and feeds.
Passwords are never read from here: content/ goes into version control and onto every writer's PC.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.content.data import Entry, read_yaml
from generator.problems import Problem, Problems

SCHEMES = {"sftp": 22, "ftp": 21, "ftps": 21, "file": None}
KEYS = {"url", "base_url", "host_key", "key", "ca_file"}
EXAMPLE = "sftp://webmaster@sct.lamdong.gov.vn/var/www/chuyen-de"


@dataclass(frozen=True)
class Target:
    name: str  # as named in site.yaml, or the URL as given
    scheme: str  # one of SCHEMES
    path: str  # the site's folder on the server, or a local / UNC folder for file targets
    host: str = ""
    port: int | None = None
    user: str = ""
    base_url: str = ""  # the public address of that folder; "" → the identity's current one
    host_key: str = ""  # the SSH server's key fingerprint ("SHA256:…"), when not in known_hosts
    key_file: str = ""  # an SSH private key file (its passphrase, if any, is asked like a password)
    ca_file: str = ""  # the certificate authority an FTPS server's certificate is checked against

    @property
    def where(self) -> str:
        """The target as shown in messages (never with a password)."""
        if self.scheme == "file":
            return self.path
        port = f":{self.port}" if self.port and self.port != SCHEMES[self.scheme] else ""
        user = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{user}{self.host}{port}{self.path}"


class TargetError(Exception):
    """The target cannot be used as written; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def parse_url(text: str, name: str = "", **extra: str) -> Target | str:
    """A target from its URL; a string is the reason it is not one (a Vietnamese message)."""
    text = text.strip()
    if text.startswith("\\\\"):  # a Windows share, \\may-chu\wwwroot
        return Target(name or text, "file", text, **extra)
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES:
        return f"địa chỉ đăng {text!r} phải bắt đầu bằng sftp://, ftp://, ftps://, file:/// hoặc \\\\máy-chủ\\thư-mục"
    if parts.password:
        return ("không ghi mật khẩu vào địa chỉ đăng: dùng khóa SSH, biến AWARENESS_PUBLISH_PASSWORD "
                "hoặc nhập khi được hỏi")
    if parts.scheme == "file":
        return Target(name or text, "file", unquote(parts.path), **extra)
    try:
        port = parts.port
    except ValueError:
        return f"cổng trong {text!r} không phải một số"
    if not parts.hostname:
        return f"địa chỉ {text!r} thiếu tên máy chủ, ví dụ {EXAMPLE}"
    return Target(name or text, parts.scheme, unquote(parts.path) or "/", parts.hostname, port or SCHEMES[parts.scheme],
                  unquote(parts.username or ""), **extra)


def load_targets(site_yaml: Path) -> tuple[dict[str, Target], list[Problem]]:
    """The named targets of site.yaml's `publish:` mapping, with every mistake in it."""
    problems = Problems()
    entry = read_yaml(site_yaml, problems)
    block = entry.child("publish") if entry is not None else None
    if block is None:
        return {}, problems.items
    if not isinstance(block.value, dict):
        problems.error(site_yaml, block.line, "publish: phải là các cặp tên: cấu hình nơi đăng",
                       f"ví dụ publish: {{chinh-thuc: {{url: {EXAMPLE}, base_url: https://sct.lamdong.gov.vn/}}}}")
        return {}, problems.items
    targets = {}
    for name in block.value:
        target = _target(str(name), block.child(str(name)), problems)
        if target is not None:
            targets[str(name)] = target
    return targets, problems.items


def _target(name: str, entry: Entry | None, problems: Problems) -> Target | None:
    value = entry.value if entry is not None else None
    if entry is None or not isinstance(value, dict) or not isinstance(value.get("url"), str):
        problems.error(entry.path if entry else "", entry.line if entry else None,
                       f"nơi đăng {name!r} cần url", f"ví dụ url: {EXAMPLE}")
        return None
    unknown = sorted(set(value) - KEYS)
    if unknown:
        problems.error(entry.path, entry.line_of(unknown[0]), f"nơi đăng {name!r} có khóa lạ {unknown[0]!r}",
                       "các khóa dùng được: " + ", ".join(sorted(KEYS)) +
                       ("; mật khẩu đặt trong biến AWARENESS_PUBLISH_PASSWORD" if "password" in unknown else ""))
        return None
    extra = {key: str(value.get(source) or "") for key, source in
             (("base_url", "base_url"), ("host_key", "host_key"), ("key_file", "key"), ("ca_file", "ca_file"))}
    target = parse_url(value["url"], name, **extra)
    if isinstance(target, str):
        problems.error(entry.path, entry.line_of("url"), target, f"ví dụ url: {EXAMPLE}")
        return None
    if target.base_url and urlsplit(target.base_url).scheme not in ("http", "https"):
        problems.error(entry.path, entry.line_of("base_url"), f"base_url của {name!r} không hợp lệ",
                       "viết đầy đủ, ví dụ https://sct.lamdong.gov.vn/")
        return None
    return target


def choose(wanted: str | None, site_yaml: Path) -> Target:
    """The target named `wanted` in site.yaml, or given as a URL; with no name, site.yaml's only target."""
    if wanted and ("://" in wanted or wanted.startswith("\\\\")):
        target = parse_url(wanted)
        if isinstance(target, str):
            raise TargetError([Problem(wanted, None, target, f"ví dụ {EXAMPLE}")])
        return target
    targets, problems = load_targets(site_yaml)
    if problems:
        raise TargetError(problems)
    shown = site_yaml.as_posix()
    if wanted is None and len(targets) == 1:
        return next(iter(targets.values()))
    if wanted is None:
        names = ", ".join(targets) or "(chưa có)"
        raise TargetError([Problem(shown, None, f"chưa chọn nơi đăng; các nơi đăng trong site.yaml: {names}",
                                   "ghi tên nơi đăng, ví dụ awareness publish chinh-thuc, "
                                   f"hoặc một địa chỉ {EXAMPLE}")])
    if wanted not in targets:
        raise TargetError([Problem(shown, None, f"không có nơi đăng {wanted!r} trong publish:",
                                   "các nơi đăng: " + (", ".join(targets) or "(chưa có)"))])
    return targets[wanted]
