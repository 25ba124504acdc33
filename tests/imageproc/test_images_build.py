"""Photos in a built site: <picture> with srcset and sizes in bodies, covers and cards, og:image a
1200-px JPEG, no metadata in any published file, problems at the article's line, nothing encoded
again by a build that did not change the image, and the link checker content with the new URLs."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, article
from image_samples import SERIAL, jpeg, photo
from PIL import Image

from generator.imageproc import plan
from generator.live.rebuild import Preview
from generator.problems import BuildFailed

A = "bai-viet/2023/nuoc.md"
PAGE = "tin-tuc/2023/nuoc/"


def photo_site(make_site, size=(2400, 1800), **extra):
    body = "Mở đầu.\n\n![Cán bộ phát tờ rơi](anh/DSC_0412.JPG)\n"
    return make_site({
        A: article("Nước", body=body, cover="anh/DSC_0412.JPG", cover_alt='"Ngày hội"', **extra),
        "bai-viet/2023/anh/DSC_0412.JPG": jpeg(photo(*size), orientation=1),
    })


def candidates(srcset: str) -> list[tuple[str, str]]:
    return [tuple(part.strip().split(" ")) for part in srcset.split(",")]


def test_a_body_image_becomes_a_picture_with_webp_and_jpeg_widths(make_site):
    site = photo_site(make_site)
    site.build()
    body = site.html(PAGE).select_one(".article-body picture")
    source, img = body.find("source"), body.find("img")
    assert source["type"] == "image/webp" and source["sizes"] == plan.SIZES["article"]
    assert [w for _, w in candidates(source["srcset"])] == ["480w", "800w", "1200w", "1600w"]
    assert [w for _, w in candidates(img["srcset"])] == ["480w", "800w", "1200w", "1600w"]
    assert img["src"] == "/bai-viet/2023/anh/DSC_0412.JPG" and img["alt"] == "Cán bộ phát tờ rơi"
    assert (img["width"], img["height"], img["loading"]) == ("1600", "1200", "lazy")
    for url, _ in candidates(source["srcset"]) + candidates(img["srcset"]):
        assert (site.output / url.lstrip("/")).is_file(), url


def test_published_files_are_resized_and_carry_no_metadata(make_site):
    site = photo_site(make_site)
    site.build()
    published = sorted((site.output / "bai-viet/2023/anh").iterdir())
    assert len(published) == 8  # four widths in WebP and JPEG; the largest JPEG keeps the original's name
    for path in published:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.width <= 1600
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
        assert SERIAL.encode() not in data and b"GPS" not in data and b"Exif" not in data


def test_cover_card_and_og_image(make_site):
    site = photo_site(make_site)
    site.build()
    page = site.html(PAGE)
    cover = page.select_one(".article-cover picture img")
    assert cover["alt"] == "Ngày hội" and "loading" not in cover.attrs
    assert page.select_one(".article-cover picture source")["sizes"] == plan.SIZES["article"]
    og = page.find("meta", property="og:image")["content"]
    assert og.endswith(".1200.jpg")
    assert page.find("meta", property="og:image:width")["content"] == "1200"
    with Image.open(site.output / og.split("/", 3)[3]) as shared:
        assert (shared.format, shared.width) == ("JPEG", 1200)
    card = site.html("").select_one(".card-cover picture")
    (one, x1), (two, x2) = candidates(card.find("source")["srcset"])
    assert (one.endswith(".480.webp"), x1, two.endswith(".800.webp"), x2) == (True, "1x", True, "2x")
    assert "sizes" not in card.find("source").attrs


def test_exif_orientation_turns_the_photo_upright(make_site):
    site = make_site({
        A: article("Nước", body="![Dọc](anh/doc.jpg)\n"),
        "bai-viet/2023/anh/doc.jpg": jpeg(photo(1000, 600), orientation=6),  # stored landscape, shown portrait
    })
    site.build()
    img = site.html(PAGE).select_one(".article-body picture img")
    assert (img["width"], img["height"]) == ("600", "1000")
    with Image.open(site.output / "bai-viet/2023/anh/doc.jpg") as published:
        assert published.size == (600, 1000)


def test_a_small_image_is_not_enlarged(make_site):
    site = make_site({
        A: article("Nước", body="![Nhỏ](anh/nho.png)\n"),
        "bai-viet/2023/anh/nho.png": b"",
    })
    small = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(small, "PNG")
    (site.content / "bai-viet/2023/anh/nho.png").write_bytes(small.getvalue())
    site.build()
    picture = site.html(PAGE).select_one(".article-body picture")
    assert candidates(picture.find("source")["srcset"]) == [
        (f"/bai-viet/2023/anh/nho.{_digest(site, 'nho.png')}.300.webp", "300w")]
    assert "srcset" not in picture.find("img").attrs and picture.find("img")["src"] == "/bai-viet/2023/anh/nho.png"


def _digest(site, name: str) -> str:
    import hashlib
    return hashlib.sha256((site.content / "bai-viet/2023/anh" / name).read_bytes()).hexdigest()[:10]


def test_a_build_that_did_not_change_the_image_encodes_nothing(make_site):
    site = photo_site(make_site)
    assert site.build().images_encoded == 1
    (site.content / A).write_text(article("Nước", body="Đã sửa.\n\n![Cán bộ](anh/DSC_0412.JPG)\n",
                                          cover="anh/DSC_0412.JPG", cover_alt='"Ngày hội"'), encoding="utf-8")
    again = site.build()
    assert (again.images_encoded, again.replayed) == (0, False)
    assert site.html(PAGE).select_one(".article-body picture img")["alt"] == "Cán bộ"
    (site.content / "bai-viet/2023/anh/DSC_0412.JPG").write_bytes(jpeg(photo(1000, 800, seed=2)))
    assert site.build().images_encoded == 1


def test_faults_are_reported_at_the_article_line_all_at_once(make_site):
    body = "Ảnh một.\n\n![Hỏng](anh/hong.jpg)\n\n![Đúng](anh/ok.jpg)\n"
    site = make_site({
        A: article("Nước", body=body, cover="anh/bia.jpg", cover_alt='"Bìa"'),
        "bai-viet/2023/anh/hong.jpg": jpeg()[:3000],
        "bai-viet/2023/anh/bia.jpg": b"not an image at all",
        "bai-viet/2023/anh/ok.jpg": jpeg(),
    })
    with pytest.raises(BuildFailed) as failed:
        site.build()
    found = {(p.path, p.line): p for p in failed.value.problems}
    body_line = found[("content/" + A, 11)]
    assert "hong.jpg" in body_line.message and "hỏng" in body_line.message and "chép lại" in body_line.hint
    cover_line = found[("content/" + A, 6)]
    assert "bia.jpg" in cover_line.message and "không đọc được" in cover_line.message
    assert len(found) == 2  # the good photo is not named


def test_a_failed_build_keeps_the_previous_output(make_site):
    site = photo_site(make_site)
    site.build()
    before = (site.output / PAGE / "index.html").read_bytes()
    (site.content / "bai-viet/2023/anh/DSC_0412.JPG").write_bytes(jpeg()[:2000])
    with pytest.raises(BuildFailed):
        site.build()
    assert (site.output / PAGE / "index.html").read_bytes() == before


def test_link_checker_accepts_the_srcset_urls(make_site):
    site = photo_site(make_site)
    run = site.cli("build", "--check", "--offline", "--today", TODAY.isoformat())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 hỏng" in run.stdout


def test_link_checker_notices_a_missing_variant(make_site):
    site = photo_site(make_site)
    site.cli("build", "--today", TODAY.isoformat())
    variant = next((site.output / "bai-viet/2023/anh").glob("*.800.webp"))
    variant.unlink()
    run = site.cli("check", "--offline")
    assert run.returncode == 1 and variant.name in run.stdout


def test_the_preview_processes_a_new_photo_once_and_publishes_no_original(make_site):
    site = make_site({A: article("Nước", body="Chưa có ảnh.\n")})
    preview = Preview(site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True))
    preview.full()
    photo_path = site.content / "bai-viet/2023/anh/moi.jpg"
    photo_path.parent.mkdir(parents=True)
    photo_path.write_bytes(jpeg(photo(1000, 700)))
    preview.apply([photo_path])
    assert preview.images.encoded == 1
    with Image.open(preview.out / "bai-viet/2023/anh/moi.jpg") as shown:
        assert not shown.getexif()  # the cleaned file, not the camera's
    (site.content / A).write_text(article("Nước", body="![Ảnh mới](anh/moi.jpg)\n"), encoding="utf-8")
    preview.apply([site.content / A])
    page = BeautifulSoup((preview.out / PAGE / "index.html").read_text(encoding="utf-8"), "lxml")
    picture = page.select_one(".article-body picture")
    for url, _ in candidates(picture.find("source")["srcset"]):
        assert (preview.out / url.lstrip("/")).is_file(), url
    preview.full()  # a data change: everything again, but no photo encoded again
    assert preview.images.encoded == 0 and "bai-viet/2023/anh/moi.jpg" in preview.images.images


def test_a_picture_survives_the_sanitiser_beside_raw_html(make_site):
    body = '<div class="ghi-chu">Ghi chú của phòng.</div>\n\n![Ảnh](anh/DSC_0412.JPG)\n'
    site = make_site({
        A: article("Nước", body=body),
        "bai-viet/2023/anh/DSC_0412.JPG": jpeg(photo(900, 600)),
    })
    result = site.build()
    picture = site.html(PAGE).select_one(".article-body picture")
    assert picture.find("source")["type"] == "image/webp" and picture.find("img")["alt"] == "Ảnh"
    assert not [w for w in result.warnings if "đã bỏ" in w.message]


def test_the_preview_follows_a_photo_replaced_and_deleted(make_site):
    site = photo_site(make_site, size=(1000, 750))
    preview = Preview(site.settings(output=site.root / ".cache" / "preview", cache=None, preview=True))
    preview.full()
    photo_path = site.content / "bai-viet/2023/anh/DSC_0412.JPG"
    first = preview.images.images["bai-viet/2023/anh/DSC_0412.JPG"]
    photo_path.write_bytes(jpeg(photo(800, 600, seed=5)))
    preview.apply([photo_path])
    img = BeautifulSoup((preview.out / PAGE / "index.html").read_text(encoding="utf-8"), "lxml").select_one(
        ".article-body picture img")
    assert img["width"] == "800" and preview.images.images["bai-viet/2023/anh/DSC_0412.JPG"] != first
    photo_path.unlink()
    preview.apply([photo_path])
    assert "bai-viet/2023/anh/DSC_0412.JPG" not in preview.images.images
    assert not (preview.out / "bai-viet/2023/anh/DSC_0412.JPG").exists()


def test_the_image_cache_keeps_only_what_the_last_build_used(make_site):
    site = photo_site(make_site, size=(900, 600))
    site.build()
    stored = sorted(p.name for p in (site.root / ".cache/images").iterdir())
    assert len(stored) == 2  # one image: its files and its description
    (site.content / "bai-viet/2023/anh/DSC_0412.JPG").write_bytes(jpeg(photo(900, 600, seed=9)))
    site.build()
    again = sorted(p.name for p in (site.root / ".cache/images").iterdir())
    assert len(again) == 2 and not set(again) & set(stored)
