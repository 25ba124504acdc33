"""`awareness publish`: put output/ on the Department's web server, only what changed, never half a site.

targets.py   where to publish (site.yaml's `publish:` or a URL) and the public address there
plan.py      output/'s files, the server's record and listing, what to send and delete, in what order
transports.py, sftp.py, ftp.py   a folder or share, an SSH server, an FTP/FTPS server
lock.py      one publish at a time per target
run.py       one publish from start to report
serverconfig.py  nginx, Apache and IIS configuration for the webmaster
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.content.data import load_site_config
from generator.content.identity import current_base_url, load_identity
from generator.problems import Problems
from generator.publish.run import Progress, Report, publish
from generator.publish.targets import Target, TargetError, choose
from generator.publish.transports import PublishError

PASSWORD_VARIABLE = "AWARENESS_PUBLISH_PASSWORD"


def public_address(target: Target | None, given: str | None, content: Path, day: date) -> str | None:
    """The address the site is read at on this target: --base-url, the target's base_url, else the
    address the publisher holds on `day` (identity.yaml), never a retired domain. None when site.yaml
    cannot be read (the build then reports why)."""
    chosen = given or (target.base_url if target else "")
    if chosen:
        return chosen if chosen.endswith("/") else chosen + "/"
    problems = Problems()
    config = load_site_config(content / "_data" / "site.yaml", problems)
    if config is None:
        return None
    return current_base_url(load_identity(content / "_data" / "identity.yaml", problems), config.base_url, day)


__all__ = ["PASSWORD_VARIABLE", "Progress", "PublishError", "Report", "Target", "TargetError", "choose",
           "public_address", "publish"]
