"""The files an operating system or an editor leaves beside the author's own, never published.

Windows' Explorer writes Thumbs.db and desktop.ini into folders of photos, macOS writes .DS_Store
and ._ files (on USB sticks), Word keeps a ~$ lock file beside an open document, and editors leave
backups. Copied into content/ with the photos, they would be published with the site.
"""

from __future__ import annotations

JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", "icon\r"})
JUNK_PREFIXES = (".", "~")  # .DS_Store, ._photo.jpg, .swp; ~$bai.docx (Word's lock), ~WRL0001.tmp
JUNK_SUFFIXES = ("~", ".swp", ".tmp", ".bak", ".crdownload", ".part")  # backups and unfinished downloads


def is_junk(name: str) -> bool:
    """Whether a file of this name is left by the system or an editor (Windows' names in any case)."""
    return name.startswith(JUNK_PREFIXES) or name.endswith(JUNK_SUFFIXES) or name.casefold() in JUNK_NAMES
