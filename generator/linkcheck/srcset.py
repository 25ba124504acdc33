"""srcset's URLs, apart from the HTML parsing: the build's source map needs them too, without
loading BeautifulSoup (a fifth of a rebuild's start-up)."""

from __future__ import annotations

import re

SRCSET_ITEM = re.compile(r"[\s,]*(\S*)")


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, following the HTML spec: a URL ends at whitespace; a trailing comma ends a candidate."""
    urls, position = [], 0
    while position < len(value):
        match = SRCSET_ITEM.match(value, position)
        url, position = match.group(1), match.end()
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors ("2x", "480w") up to the next comma
            comma = value.find(",", position)
            position = len(value) if comma < 0 else comma + 1
        if url:
            urls.append(url)
    return urls
