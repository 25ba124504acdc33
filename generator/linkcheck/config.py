"""Settings of a link check from what the project already says: the build's source map and site.yaml.

The base URL the output was built with is in the source map (a build may override site.yaml's
with --base-url); site.yaml supplies it otherwise, and always supplies the exclusions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from generator.content.data import load_site_config
from generator.content.identity import load_identity
from generator.linkcheck.check import CheckSettings
from generator.linkcheck.sources import SOURCE_MAP, source_map_base_url
from generator.problems import Problems

HTTP_CACHE = Path("linkcheck") / "external.json"


class ConfigError(Exception):
    """The check cannot start; the message says what to fix."""


def check_settings(output: Path, content: Path, cache_dir: Path | None, *, http_cache: Path | None = None,
                   offline: bool = False, include_ok: bool = False, base_url: str | None = None) -> CheckSettings:
    if not (output / "index.html").is_file():
        raise ConfigError(f"không có trang đã dựng trong {output}/: chạy `awareness build` trước")
    built_for = source_map_base_url(cache_dir / SOURCE_MAP, output) if cache_dir else None
    exclusions: tuple[str, ...] = ()
    site_yaml = content / "_data" / "site.yaml"
    if site_yaml.is_file():
        problems = Problems()
        config = load_site_config(site_yaml, problems)
        if config is None or problems.errors:
            raise ConfigError("\n".join(p.format() for p in problems.errors) or f"không đọc được {site_yaml}")
        exclusions = config.link_exclusions
        base_url = base_url or built_for or config.base_url
    elif built_for:
        base_url = base_url or built_for
    if not base_url:
        raise ConfigError(f"không biết địa chỉ gốc của trang: không có {site_yaml}; dùng --base-url")
    for pattern in exclusions:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(f"{site_yaml}: link_exclusions có mẫu không hợp lệ {pattern!r}: {error}") from None
    identity = load_identity(content / "_data" / "identity.yaml", Problems())
    settings = CheckSettings(output, base_url if base_url.endswith("/") else base_url + "/", exclusions,
                             offline=offline, include_ok=include_ok, cache_dir=cache_dir,
                             retired=identity.retired_domains)
    if http_cache is None and cache_dir is not None:
        http_cache = cache_dir / HTTP_CACHE
    return replace(settings, http_cache=http_cache)
