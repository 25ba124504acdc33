"""What Markdown links resolve against: the site's content URLs under its base URL, image sizes
and processed images, the hosts an iframe may show."""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.content.model import Site
from generator.imageproc.store import ProcessedImages
from generator.markdown.images import image_sizes
from generator.markdown.render import LinkContext
from generator.problems import BuildFailed, Problem
from generator.site import routes


def checked_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildFailed([Problem("content/_data/site.yaml", None, f"base_url không hợp lệ: {value!r}",
                                   "viết đầy đủ, ví dụ https://sct.lamdong.gov.vn/chuyen-de/")])
    return value if value.endswith("/") else value + "/"


def content_urls(site: Site) -> dict[str, str]:
    """Every content file a Markdown link may point at, by its content-relative path."""
    urls = {a.source.path.as_posix(): routes.article_url(a) for a in site.articles}
    urls.update({p.source.path.as_posix(): routes.page_url(p) for p in site.pages})
    urls.update({f.as_posix(): f.as_posix() for f in site.static_files})
    return urls


def link_context(site: Site, base_url: str, images: ProcessedImages | None = None) -> LinkContext:
    """What rendering a body needs to know of the site: its content URLs under the base path, image
    sizes and responsive files, the hosts an iframe may show."""
    urls = content_urls(site)
    sizes = image_sizes(site.content_dir, urls)
    if images is not None:
        urls.update(images.urls)
        sizes.update(images.sizes)  # upright: a portrait photo's EXIF turns it
    return LinkContext(urls, urlsplit(base_url).path or "/", sizes, site.config.allowed_iframe_hosts,
                       images.images if images is not None else {})
