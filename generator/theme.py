"""Where the theme (templates/, assets/) and the example site come from, and `awareness init`.

Looked for in three places, in order: the site's own folder (the copy `awareness init` made, which
the Department may edit), the repository's top-level folders (a source checkout or an editable
install: they are the theme's source), and the copy setup.py puts into a built package
(generator/bundled/, for `pipx install` or `pip install` of a wheel).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.content.junk import is_junk

PACKAGE = Path(__file__).resolve().parent
REPOSITORY = PACKAGE.parent
BUNDLED = PACKAGE / "bundled"
THEME = ("templates", "assets")
NEW_SITE = ("content", *THEME)


class InitRefused(Exception):
    """The folder already holds a site (or part of one): nothing is overwritten."""


def shipped(name: str) -> Path:
    """The generator's own templates/, assets/ or content/ (the embedded site)."""
    if (REPOSITORY / "pyproject.toml").is_file() and (REPOSITORY / name).is_dir():
        return REPOSITORY / name
    return BUNDLED / name


def theme_folder(name: str, project: Path) -> Path:
    """templates/ or assets/ of the site in `project` when it has its own, else the generator's."""
    own = project / name
    return own if own.is_dir() else shipped(name)


def init_site(folder: Path) -> tuple[Path, ...]:
    """Make a new site folder: content/ (the embedded site: one article per campaign, the plan's
    announcement and materials, the pages and _data) and a copy of the theme to adapt. Returns the
    folders made; refuses, touching nothing, when any of them is there already."""
    present = [folder / name for name in NEW_SITE if (folder / name).exists()]
    if present:
        raise InitRefused(f"{', '.join(p.as_posix() for p in present)} đã có; không ghi đè. "
                          "Chọn một thư mục mới, ví dụ: awareness init trang-moi")
    missing = [name for name in NEW_SITE if not shipped(name).is_dir()]
    if missing:
        raise InitRefused(f"bản cài đặt thiếu {', '.join(missing)}; cài lại gói awareness-site")
    made = []
    for name in NEW_SITE:
        shutil.copytree(shipped(name), folder / name, ignore=_junk)
        made.append(folder / name)
    return tuple(made)


def _junk(_folder: str, names: list[str]) -> list[str]:
    return [name for name in names if is_junk(name) or name == "__pycache__"]
