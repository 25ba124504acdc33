"""Test photos made with Pillow: a phone photo with GPS and a camera serial, turned by its EXIF
orientation, CMYK, 16-bit, with an ICC profile, truncated, a bomb, HEIC; and a realistic 12 MP
photo for the benchmark. Everything is made in memory, nothing downloaded."""

from __future__ import annotations

import io

import pillow_heif
from PIL import Image, ImageCms, ImageDraw, ImageFilter

SERIAL = "SN-CAMERA-0042-SECRET"
GPS_IFD = 0x8825
ORIENTATION = 0x0112
BODY_SERIAL = 0xA431


def photo(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    """A photo-like picture: smooth gradients, shapes and fine noise (a flat colour compresses to nothing)."""
    base = Image.linear_gradient("L").resize((width, height))
    red = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24 + seed % 7)
    picture = Image.merge("RGB", (red, base, noise.filter(ImageFilter.GaussianBlur(1))))
    draw = ImageDraw.Draw(picture)
    for n in range(12):
        x, y = (n * 97 * seed) % width, (n * 53 + seed * 31) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6), fill=((n * 40) % 256, 90, (seed * 70) % 256))
    grain = Image.effect_noise((width, height), 12).convert("RGB")
    return Image.blend(picture, grain, 0.08)


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[ORIENTATION] = orientation
    exif.get_ifd(0x8769)[BODY_SERIAL] = SERIAL  # Exif IFD: camera body serial number
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (10.0, 55.0, 30.0), 3: "E", 4: (108.0, 6.0, 0.0)})  # Phan Thiết
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="10,55.5N"/>'
       b"</rdf:RDF></x:xmpmeta>")


def jpeg(image: Image.Image | None = None, orientation: int = 1, quality: int = 90, **extra) -> bytes:
    """A JPEG with EXIF (GPS, serial, orientation), XMP and an EXIF thumbnail's worth of metadata."""
    out = io.BytesIO()
    (image or photo()).save(out, "JPEG", quality=quality, exif=exif_with_gps(orientation), xmp=XMP, **extra)
    return out.getvalue()


def png(image: Image.Image, **extra) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **extra)
    return out.getvalue()


def encoded(image: Image.Image, fmt: str, **extra) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **extra)
    return out.getvalue()


def adobe_rgb_profile() -> bytes:
    """A colour profile that is not sRGB (LAB-based, from LittleCMS), so conversion is visible."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()


def heic(image: Image.Image) -> bytes:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    image.save(out, "HEIF", quality=80, exif=exif_with_gps())
    return out.getvalue()


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG whose header declares width×height pixels (the data is never read)."""
    small = png(Image.new("L", (8, 8)))
    import struct
    import zlib
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return small[:8] + ihdr + small[8 + 25:]


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 48), (n * 60, 120, 255 - n * 60)) for n in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()
