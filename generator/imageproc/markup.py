"""A body image as <picture>: one <source> per better format, the <img> in the original's format.

Templates write the same structure with the `picture` macro (templates/partials/picture.html),
through the `url` helper that the link checker's source map watches.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from generator.imageproc.plan import SIZES, ImageSet


def to_picture(element: Element, image: ImageSet, base_path: str) -> None:
    """Make the Markdown's <img> element a <picture> holding the responsive files, in place."""
    attributes = dict(element.attrib)
    element.clear()
    element.tag = "picture"
    for fmt in image.formats():
        SubElement(element, "source", {"type": image.of(fmt)[0].mime, "srcset": image.srcset(fmt, base_path),
                                       "sizes": SIZES["article"]})
    img = SubElement(element, "img", attributes)
    img.set("src", base_path + image.src)
    if len(image.of(image.fallback)) > 1:
        img.set("srcset", image.srcset(image.fallback, base_path))
        img.set("sizes", SIZES["article"])
    img.set("width", str(image.width))
    img.set("height", str(image.height))
