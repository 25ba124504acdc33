"""Make an image's published files: upright, in sRGB, 8-bit, resized, with no metadata at all.

Every file is encoded from pixels alone: no EXIF (so no GPS position, camera serial, thumbnail),
no XMP, no colour profile (after converting to sRGB, which browsers assume for untagged images).
A state agency's site must not publish where and with what a photo of its staff was taken.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from generator.imageproc import plan
from generator.imageproc.probe import Fault, Probe, corrupt

QUALITY = {"JPEG": 80, "WEBP": 75, "AVIF": 55}
WEBP_METHOD = 2  # libwebp's effort: 4 (its default) took a third longer for files no smaller on phone photos
SETTINGS = (plan.WIDTHS, plan.SHARE_WIDTH, plan.CLOSE, sorted(QUALITY.items()), WEBP_METHOD, "v1")  # cache key
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Encoded:
    image: plan.ImageSet | None
    files: tuple[tuple[str, bytes], ...] = ()  # (site path, bytes)
    faults: tuple[Fault, ...] = ()


def encode(path: Path, source: str, probe: Probe, digest: str, avif: bool) -> Encoded:
    """The published files of one image; `digest` names them (the hash of the original's bytes)."""
    if probe.animated:  # kept animated: the original's bytes, which a GIF or WebP animation needs
        return _unchanged(path, source, probe)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on odd EXIF; the image itself is read
            base = upright_srgb(path, probe)
    except (OSError, ValueError, SyntaxError, ImageCms.PyCMSError) as error:
        return Encoded(None, faults=(corrupt(error),))
    lossless = probe.format in ("PNG", "GIF", "BMP") or base.mode in ("RGBA", "LA")
    formats = plan.formats(probe.format, lossless, avif)
    files: list[tuple[str, bytes]] = []
    variants: list[plan.Variant] = []
    sizes = plan.widths(base.width)
    scaled = {width: _resize(base, width) for width in sizes}  # once per width, whatever the formats
    for fmt in formats:
        for width in sizes:
            resized = scaled[width]
            name = plan.original_name(source, probe.format, fmt) if (fmt == formats[-1] and width == sizes[-1]) \
                else plan.file_name(source, digest, width, fmt)
            files.append((name, _save(resized, fmt, lossless)))
            variants.append(plan.Variant(name, resized.width, resized.height, fmt))
    share = next((v for v in variants if v.format == "JPEG" and v.width == min(base.width, plan.SHARE_WIDTH)), None)
    if share is None:  # a graphic: its share picture is a JPEG on white
        resized = scaled.get(min(base.width, plan.SHARE_WIDTH)) or _resize(base, min(base.width, plan.SHARE_WIDTH))
        share = plan.Variant(plan.file_name(source, digest, resized.width, "JPEG").replace(".jpg", ".share.jpg"),
                             resized.width, resized.height, "JPEG")
        files.append((share.path, _save(resized, "JPEG", False)))
    largest = variants[-1]
    return Encoded(plan.ImageSet(source, largest.width, largest.height, largest.path, tuple(variants), share),
                   tuple(files))


def upright_srgb(path: Path, probe: Probe) -> Image.Image:
    """The image turned as the camera says, in sRGB and 8 bits per channel, with empty metadata."""
    with Image.open(path) as image:
        if probe.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when that still covers the widths
            image.draft("RGB", _draft_size(probe))
        image.load()
        profile = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    pixels = _eight_bit(upright)
    if profile:
        pixels = _to_srgb(pixels, profile)
    elif pixels.mode not in ("RGB", "RGBA", "L", "LA"):
        pixels = pixels.convert("RGBA" if _has_alpha(pixels) else "RGB")
    pixels.info = {}  # EXIF, XMP, ICC, comments, thumbnails: nothing travels to the published files
    return pixels


def _draft_size(probe: Probe) -> tuple[int, int]:
    """The smallest decode whose longer side still covers the largest width (a portrait photo then
    tops out a little under it, which the 736 px column at 2x still gets)."""
    scale = min(1.0, plan.WIDTHS[-1] / max(probe.width, probe.height))
    return max(1, round(probe.width * scale)), max(1, round(probe.height * scale))


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit greyscale scaled (Pillow's convert would clip them), palettes expanded."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L") if image.getextrema()[1] > 255 else image.convert("L")
    if image.mode == "F":
        return image.convert("L")
    if image.mode in ("P", "PA", "1"):
        return image.convert("RGBA" if _has_alpha(image) else "RGB")
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in image.info


def _to_srgb(image: Image.Image, profile: bytes) -> Image.Image:
    mode = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
    if image.mode == "LA":
        image = image.convert("RGBA")  # LittleCMS has no grey-with-alpha transform to RGB
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    return converted if converted is not None else image


def _resize(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS,
                        reducing_gap=3.0)


def _save(image: Image.Image, fmt: str, lossless: bool) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        flat = _on_white(image) if _has_alpha(image) else image.convert("RGB") if image.mode != "L" else image
        flat.save(out, "JPEG", quality=QUALITY["JPEG"], optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    elif fmt == "WEBP":
        rgb = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA" if _has_alpha(image) else "RGB")
        rgb.save(out, "WEBP", lossless=lossless, quality=100 if lossless else QUALITY["WEBP"],
                 method=WEBP_METHOD)
    else:
        image.save(out, fmt, quality=QUALITY.get(fmt, 75))
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def _unchanged(path: Path, source: str, probe: Probe) -> Encoded:
    variant = plan.Variant(source, probe.width, probe.height, probe.format)
    return Encoded(plan.ImageSet(source, probe.width, probe.height, source, (variant,), None),
                   ((source, path.read_bytes()),))
