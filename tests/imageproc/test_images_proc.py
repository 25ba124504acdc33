"""The image stage on its own: each kind of input a phone, a scanner or Word gives, read by content,
converted to 8-bit sRGB without metadata, and each bad input a fault with a Vietnamese hint."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from image_samples import (
    SERIAL,
    adobe_rgb_profile,
    animated_gif,
    bomb_png,
    encoded,
    heic,
    jpeg,
    photo,
    png,
)
from PIL import Image, ImageCms

from generator.imageproc.probe import probe
from generator.imageproc.store import process_images
from generator.incremental.parallel import Workers
from generator.machinery import serial_map


def run(tmp_path: Path, files: dict[str, bytes], cache: Path | None = None):
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return process_images(tmp_path, list(files), cache, serial_map)


def published(result) -> dict[str, Image.Image]:
    opened = {}
    for path, data in result.files():
        image = Image.open(io.BytesIO(data))
        image.load()
        opened[path] = image
    return opened


def test_exif_gps_serial_xmp_and_profile_are_gone_from_every_file(tmp_path):
    profiled = io.BytesIO()
    photo(900, 600).save(profiled, "JPEG", icc_profile=adobe_rgb_profile())
    result = run(tmp_path, {"a.jpg": jpeg(photo(900, 600)), "b.jpg": profiled.getvalue()})
    files = dict(result.files())
    assert len(files) >= 6
    for path, data in files.items():
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), path
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info), path
        assert SERIAL.encode() not in data and b"http://ns.adobe.com" not in data


def test_a_colour_profile_is_converted_to_srgb(tmp_path):
    lab = ImageCms.createProfile("LAB")
    # pixels written in LAB (L=50, a=0, b=0: mid grey); read as sRGB they would be dark red
    grey = Image.new("LAB", (600, 400), (128, 128, 128))
    out = io.BytesIO()
    grey.save(out, "TIFF", icc_profile=ImageCms.ImageCmsProfile(lab).tobytes())
    result = run(tmp_path, {"scan.tif": out.getvalue()})
    image = published(result)["scan.tif.jpg"]
    red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert max(red, green, blue) - min(red, green, blue) < 8 and 100 < red < 140


def test_cmyk_is_converted_to_rgb(tmp_path):
    cmyk = Image.new("CMYK", (600, 400), (0, 255, 255, 0))  # pure red ink
    result = run(tmp_path, {"in.jpg": encoded(cmyk, "JPEG", quality=95)})
    image = published(result)["in.jpg"]
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60


def test_sixteen_bit_greyscale_is_scaled_not_clipped(tmp_path):
    deep = Image.new("I;16", (500, 300), 32768)  # half grey in 16 bits
    result = run(tmp_path, {"do-thi.png": png(deep)})
    image = published(result)["do-thi.png"]
    assert image.mode == "L" and abs(image.getpixel((3, 3)) - 128) <= 1


def test_png_graphics_stay_lossless(tmp_path):
    chart = Image.new("RGB", (700, 400), "white")
    for x in range(0, 700, 7):
        chart.putpixel((x, 200), (200, 30, 30))
    result = run(tmp_path, {"bieu-do.png": png(chart)})
    files = published(result)
    assert files["bieu-do.png"].format == "PNG"
    assert files["bieu-do.png"].tobytes() == chart.tobytes()
    webp = next(image for path, image in files.items() if path.endswith(".700.webp"))
    assert webp.convert("RGB").tobytes() == chart.tobytes()  # lossless WebP
    assert result.images["bieu-do.png"].share.path.endswith(".share.jpg")


def test_a_jpg_that_is_a_png_is_read_by_content(tmp_path):
    result = run(tmp_path, {"anh.jpg": png(photo(500, 300))})
    assert not result.faults
    assert published(result)["anh.jpg"].format == "PNG"


def test_heic_from_an_iphone_becomes_jpeg_and_webp(tmp_path):
    result = run(tmp_path, {"IMG_0001.HEIC": heic(photo(1000, 750))})
    image = result.images["IMG_0001.HEIC"]
    assert image.src == "IMG_0001.HEIC.jpg" and (image.width, image.height) == (1000, 750)
    assert {v.format for v in image.variants} == {"WEBP", "JPEG"}
    for path, data in result.files():
        assert b"Exif" not in data and SERIAL.encode() not in data, path


def test_bmp_and_tiff_from_a_scanner_are_converted(tmp_path):
    result = run(tmp_path, {"may-quet.tif": encoded(photo(800, 600), "TIFF"),
                            "paint.bmp": encoded(Image.new("RGB", (300, 200), "blue"), "BMP")})
    assert not result.faults
    assert result.images["may-quet.tif"].src == "may-quet.tif.jpg"
    assert result.images["paint.bmp"].src == "paint.bmp.png"  # a drawing: lossless


def test_an_animated_gif_stays_animated_and_unchanged(tmp_path):
    data = animated_gif()
    result = run(tmp_path, {"hoat-hinh.gif": data})
    assert dict(result.files()) == {"hoat-hinh.gif": data}
    assert result.images["hoat-hinh.gif"].formats() == ()


def test_a_truncated_jpeg_is_a_fault_not_a_crash(tmp_path):
    result = run(tmp_path, {"hong.jpg": jpeg(photo(800, 600))[:6000]})
    (fault,) = result.faults["hong.jpg"]
    assert fault.severity == "error" and "hỏng" in fault.message and "chép lại" in fault.hint
    assert "hong.jpg" not in result.images


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path):
    (tmp_path / "bom.png").write_bytes(bomb_png())
    found = probe(tmp_path / "bom.png")
    assert not found.ok
    assert "quá lớn" in found.faults[0].message and "thu nhỏ" in found.faults[0].hint


def test_a_very_wide_panorama_is_a_warning_and_still_published(tmp_path):
    wide = Image.new("RGB", (30000, 1000), (90, 140, 200))
    result = run(tmp_path, {"toan-canh.jpg": encoded(wide, "JPEG", quality=70)})
    (fault,) = result.faults["toan-canh.jpg"]
    assert fault.severity == "warning" and "30000×1000" in fault.message
    assert result.images["toan-canh.jpg"].width == 1600


def test_an_image_over_20_mb_is_a_warning_with_its_size(tmp_path):
    path = tmp_path / "lon.png"
    path.write_bytes(png(Image.new("RGB", (64, 64))))
    with path.open("ab") as padded:
        padded.truncate(21 * 1024 * 1024)  # after PNG's end marker: readers stop before the padding
    result = process_images(tmp_path, ["lon.png"], None, serial_map)
    (fault,) = result.faults["lon.png"]
    assert fault.severity == "warning" and "21.0 MB" in fault.message
    assert "lon.png" in result.images


def test_not_an_image_names_the_formats_to_use(tmp_path):
    result = run(tmp_path, {"tai-lieu.jpg": b"PK\x03\x04 a Word file renamed"})
    (fault,) = result.faults["tai-lieu.jpg"]
    assert "không đọc được" in fault.message and "JPEG" in fault.hint


def test_the_cache_is_used_by_content_and_survives_a_new_process(tmp_path):
    cache = tmp_path / ".cache"
    first = run(tmp_path / "c", {"a.jpg": jpeg(photo(700, 500))}, cache)
    again = process_images(tmp_path / "c", ["a.jpg"], cache, serial_map)
    assert (first.encoded, again.encoded) == (1, 0)
    assert dict(again.files()) == dict(first.files()) and again.images == first.images


@pytest.mark.parametrize("workers", [2])
def test_images_are_processed_in_parallel_with_the_same_result(tmp_path, workers):
    files = {f"p{n}.jpg": jpeg(photo(640, 480, seed=n)) for n in range(4)}
    serial = run(tmp_path / "s", files)
    parallel = process_images(tmp_path / "s", list(files), None, Workers(workers).map)
    assert parallel.images == serial.images and parallel.encoded == 4
