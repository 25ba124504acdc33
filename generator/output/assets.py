"""Static files from assets/: stylesheets and scripts get their content hash in the name.

A fingerprinted name changes whenever the bytes change, so browsers and proxies may cache
them forever and still never show a stale stylesheet after an update.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.content.junk import is_junk

FINGERPRINTED = (".css", ".js")


def fingerprint(assets_dir: Path) -> dict[str, str]:
    """Map each asset's logical name ("css/site.css") to its published path ("assets/css/site.1a2b3c4d.css")."""
    names = {}
    for path in sorted(p for p in assets_dir.rglob("*") if p.is_file() and not is_junk(p.name)):
        logical = path.relative_to(assets_dir).as_posix()
        published = logical
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            published = logical[: -len(path.suffix)] + f".{digest}{path.suffix}"
        names[logical] = f"assets/{published}"
    return names


def copy_assets(assets_dir: Path, names: dict[str, str], write) -> int:
    for logical, published in names.items():
        write(published, (assets_dir / logical).read_bytes())
    return len(names)
