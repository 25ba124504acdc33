"""Which files an image becomes: its widths, its formats, their names, and the `sizes` of each place.

The widths follow assets/css/site.css: the article column is at most 46rem (736 px) and fills the
phone's width less main's padding; cards are one, two or three to a row. A phone of 390 px at
device scale 3 needs about 1100 px for the article column, a desktop 736 or 1472 px. Nothing is
enlarged: an image narrower than a width simply has fewer widths.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

WIDTHS = (480, 800, 1200, 1600)
SHARE_WIDTH = 1200  # og:image: Facebook and Zalo show 1200 px wide previews
CLOSE = 0.9  # a width within 10 % of the image's own adds bytes, not sharpness: left out

# `sizes` for each place, matching site.css (1rem = 16 px): main has 1rem padding each side.
SIZES = {
    "article": "(min-width: 48rem) 46rem, calc(100vw - 2rem)",
    "card": "(min-width: 60rem) 23rem, (min-width: 40rem) calc(50vw - 1.5rem), calc(100vw - 2rem)",
}
CARD_DENSITIES = (1, 2)  # a card thumbnail at 3x looks like 2x and weighs twice as much: 1x and 2x only
CARD_WIDTH = 400  # CSS px: a card is 23rem (368 px) on a desktop, the phone's width less 2rem on a phone

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif", "GIF": "image/gif"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}
WEB_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}  # published in their own format; others become JPEG or PNG


@dataclass(frozen=True)
class Variant:
    path: str  # site path, relative to the site's root ("bai-viet/anh/DSC_0412.3f9a1c2b.800.webp")
    width: int
    height: int
    format: str  # Pillow's name: "JPEG", "WEBP", …

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class ImageSet:
    """What templates and the Markdown renderer know of one published image."""

    source: str  # content-relative path as written in the content folder
    width: int  # upright size of the largest published width
    height: int
    src: str  # site path of the largest file in the fallback format (the original's name for web formats)
    variants: tuple[Variant, ...] = ()  # every width in every format, fallback format last
    share: Variant | None = None  # the og:image JPEG

    @property
    def fallback(self) -> str:
        return self.variants[-1].format if self.variants else "GIF"

    def formats(self) -> tuple[str, ...]:
        """Formats for <source> elements, best first; the fallback is the <img> itself."""
        return tuple(dict.fromkeys(v.format for v in self.variants if v.format != self.fallback))

    def of(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    def candidates(self, fmt: str, place: str = "article") -> tuple[tuple[Variant, str], ...]:
        """(file, descriptor) pairs for a `srcset`: widths ("800w") for the article column and cover,
        densities ("1x", "2x") for a card, whose 3x would weigh twice its 2x for no visible gain."""
        if place != "card":
            return tuple((v, f"{v.width}w") for v in self.of(fmt))
        picked: list[tuple[Variant, str]] = []
        for density in CARD_DENSITIES:
            fitting = [v for v in self.of(fmt) if v.width >= CARD_WIDTH * density] or list(self.of(fmt)[-1:])
            if fitting and all(fitting[0] is not v for v, _ in picked):
                picked.append((fitting[0], f"{density}x"))
        return tuple(picked)

    def srcset(self, fmt: str, base_path: str, place: str = "article") -> str:
        return ", ".join(f"{base_path}{v.path} {descriptor}" for v, descriptor in self.candidates(fmt, place))


def widths(width: int) -> tuple[int, ...]:
    """The widths to publish for an image `width` px wide, largest last, none above its own."""
    largest = min(width, WIDTHS[-1])
    return (*(w for w in WIDTHS if w < largest * CLOSE), largest)


def formats(source_format: str, lossless: bool, avif: bool) -> tuple[str, ...]:
    """The formats to publish, fallback last: the original's own when browsers show it, else JPEG
    for photos (HEIC, TIFF scans) and PNG for graphics (BMP, images with transparency)."""
    fallback = source_format if source_format in WEB_FORMATS else ("PNG" if lossless else "JPEG")
    if fallback == "GIF":
        fallback = "PNG"  # a still GIF: PNG is lossless and smaller
    better = ("AVIF", "WEBP") if avif and not lossless else ("WEBP",)
    return (*(f for f in better if f != fallback), fallback)


def file_name(source: str, digest: str, width: int, fmt: str) -> str:
    """A variant's site path: beside the original, named by its content so it may be cached forever."""
    path = PurePosixPath(source)
    return (path.parent / f"{path.stem}.{digest[:10]}.{width}.{EXTENSION[fmt]}").as_posix()


def original_name(source: str, source_format: str, fmt: str) -> str:
    """The largest fallback keeps the original's name when it has the original's format, so that
    links written to the file still work; a HEIC or TIFF gets its new format's extension."""
    if source_format == fmt:
        return source
    return f"{source}.{EXTENSION[fmt]}"
