"""Read an image by its content, not its name, and say what is wrong with it before decoding it.

Pillow reads only the header on open, so a decompression bomb (a small file declaring billions of
pixels) is refused before any memory is taken for it. Problems are data: (message, hint, severity).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, UnidentifiedImageError

pillow_heif.register_heif_opener()  # iPhone photos (HEIC/HEIF) open like any other image

RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif"}
LARGE_FILE = 20 * 1024 * 1024  # a phone photo is 2-8 MB; beyond this the file is probably not one
WIDE_RATIO = 6  # a panorama beyond 6:1 is a thin strip on a phone
READABLE = {"JPEG", "MPO", "PNG", "GIF", "WEBP", "BMP", "TIFF", "HEIF", "AVIF"}


@dataclass(frozen=True)
class Fault:
    message: str
    hint: str
    severity: str = "error"


@dataclass(frozen=True)
class Probe:
    format: str  # Pillow's name, MPO (a phone JPEG with a depth map) counted as JPEG
    width: int  # as stored, before the camera's orientation is applied
    height: int
    animated: bool
    faults: tuple[Fault, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.faults)


def max_pixels() -> int:
    """Pillow's own limit (89.5 million pixels unless the application changed it)."""
    return int(Image.MAX_IMAGE_PIXELS or 0) or 89_478_485


def probe(path: Path) -> Probe:
    size = path.stat().st_size
    large = [Fault(f"ảnh nặng {size / 1024 / 1024:.1f} MB (quá 20 MB)",
                   "ảnh vẫn được thu nhỏ khi xuất bản; nên chép ảnh gốc nhỏ hơn để thư mục content/ gọn nhẹ",
                   "warning")] if size > LARGE_FILE else []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                fmt = "JPEG" if image.format == "MPO" else image.format or ""
                width, height = image.size
                animated = bool(getattr(image, "is_animated", False)) and fmt in ("GIF", "WEBP", "PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Probe("", 0, 0, False, (bomb(),))
    except UnidentifiedImageError:
        return Probe("", 0, 0, False, (Fault(
            "không đọc được tệp ảnh (định dạng không hỗ trợ hoặc tệp không phải ảnh)",
            "mở ảnh bằng Paint hoặc Photos và lưu lại dạng JPEG (ảnh chụp) hoặc PNG (ảnh chụp màn hình, biểu đồ)"),))
    except (OSError, ValueError, SyntaxError) as error:
        return Probe("", 0, 0, False, (corrupt(error),))
    faults = [*large]
    if fmt not in READABLE:
        faults.append(Fault(f"định dạng ảnh {fmt} không dùng được trên web",
                            "lưu lại ảnh dạng JPEG (ảnh chụp) hoặc PNG (ảnh chụp màn hình, biểu đồ)"))
    elif width * height > max_pixels():
        faults.append(bomb(width, height))
    elif max(width, height) > WIDE_RATIO * min(width, height):
        faults.append(Fault(f"ảnh rất dài hoặc rất rộng ({width}×{height} px): trên điện thoại chỉ còn một dải mỏng",
                            "cắt ảnh thành vài phần, hoặc cắt bớt hai đầu, rồi chèn từng phần", "warning"))
    return Probe(fmt, width, height, animated, tuple(faults))


def bomb(width: int = 0, height: int = 0) -> Fault:
    size = f" ({width}×{height} px)" if width else ""
    return Fault(f"ảnh quá lớn{size}: hơn {max_pixels() // 1_000_000} triệu điểm ảnh, có thể là tệp độc hại",
                 "thu nhỏ ảnh còn chiều rộng khoảng 4000 px rồi chép lại vào content/")


def corrupt(error: BaseException) -> Fault:
    return Fault(f"tệp ảnh bị hỏng hoặc không đầy đủ ({error})",
                 "chép lại ảnh từ máy ảnh hoặc điện thoại; mở thử bằng Photos để chắc ảnh xem được")
