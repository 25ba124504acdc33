"""What readers download, and what processing photos costs the build.

1. Bytes transferred: a site whose article has one 4000×3000 phone photo (≈ 4.4 MB JPEG, GPS in its
   EXIF) as cover and in its body, and whose home page shows six photo cards, is built and served on
   127.0.0.1; headless Chromium (Debian's, through Playwright) loads the article and the home page at
   390×844 px device scale 3 and at 1280×800 scale 1, scrolls to the end so lazy images load, and
   every response's headers and body are added up. Goals: article ≤ 350 KB, home ≤ 600 KB.
2. Processing: N such photos (default 100, each a different crop so no two share bytes) processed
   cold across the cores, in a child process whose peak memory is read with its workers'; then a
   site holding them is built three times: cold, after one article's text changed, and unchanged.
   The two rebuilds must encode no image (BuildResult.images_encoded == 0).

    .venv/bin/python benchmarks/images_bench.py [--photos 100] [--before]

Photos are made with Pillow (gradients, shapes, texture and grain) and kept in /tmp/awareness-bench-photos-2.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CHROMIUM, CHROMIUM_ARGS, DEFAULT_DATA, article, free_port  # noqa: E402
from image_samples import exif_with_gps, photo  # noqa: E402
from PIL import Image  # noqa: E402

from generator.pipeline import build  # noqa: E402
from generator.settings import BuildSettings  # noqa: E402

TODAY = date(2026, 11, 24)
PHOTOS = Path("/tmp/awareness-bench-photos-2")
VIEWS = {"phone 390×844 @3x": dict(viewport={"width": 390, "height": 844}, device_scale_factor=3),
         "desktop 1280×800 @1x": dict(viewport={"width": 1280, "height": 800}, device_scale_factor=1)}


def phone_photos(count: int) -> list[Path]:
    """`count` 4000×3000 JPEGs of about 4.4 MB with GPS EXIF, made once and kept."""
    PHOTOS.mkdir(exist_ok=True)
    wanted = [PHOTOS / f"DSC_{n:04d}.JPG" for n in range(count)]
    if all(p.is_file() for p in wanted):
        return wanted
    # Grain at the sensor's scale and texture at a third of it: a real photo keeps detail at the
    # 1200 px it is shown at (the photo: 190 KB as a 1200-px JPEG at quality 80; this: 195 KB).
    texture = Image.merge("RGB", [Image.effect_noise((1400, 1067), 60).resize((4200, 3200), Image.Resampling.BICUBIC)
                                  for _ in range(3)])
    base = Image.blend(Image.blend(photo(4200, 3200, seed=3), texture, 0.3),
                       Image.effect_noise((4200, 3200), 40).convert("RGB"), 0.2)
    for n, path in enumerate(wanted):
        if not path.is_file():
            x, y = (n % 10) * 20, (n // 10) * 20
            base.crop((x, y, x + 4000, y + 3000)).save(path, "JPEG", quality=88, exif=exif_with_gps())
    return wanted


def write_site(root: Path, photos: list[Path], articles: int) -> Path:
    content = root / "content"
    for relative, text in DEFAULT_DATA.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
    folder = content / "bai-viet" / "2023"
    (folder / "anh").mkdir(parents=True)
    for n in range(articles):
        name = photos[n % len(photos)].name
        if not (folder / "anh" / name).exists():
            shutil.copyfile(photos[n % len(photos)], folder / "anh" / name)
        body = f"Cán bộ phát tờ rơi tại chợ Phan Thiết.\n\n![Cán bộ phát tờ rơi](anh/{name})\n" if n == 0 else \
            "Tin ngắn.\n"
        (folder / f"bai-{n:03d}.md").write_text(article(
            f"Bài có ảnh {n:03d}", date=f"2023-03-{22 - n % 20:02d}", body=body, cover=f"anh/{name}",
            cover_alt='"Ngày hội tiết kiệm nước"'), encoding="utf-8")
    return content


def settings(root: Path, content: Path) -> BuildSettings:
    return BuildSettings(project=root, content=content, output=root / "output", templates=REPO / "templates",
                         assets=REPO / "assets", cache=root / ".cache", today=TODAY)


def transferred(browser, url: str, view: dict) -> tuple[int, int]:
    """(bytes of every response, bytes of its images) for one page load, lazy images included."""
    page = browser.new_page(**view)
    sizes: list[tuple[str, int]] = []
    page.on("requestfinished", lambda request: sizes.append((request.resource_type, _size(request))))
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.close()
    return sum(s for _, s in sizes), sum(s for kind, s in sizes if kind == "image")


def _size(request) -> int:
    measured = request.sizes()
    return measured["responseBodySize"] + measured["responseHeadersSize"]


def measure_bytes(photos: list[Path], processed: bool) -> None:
    """processed=False: the images published as they are, as before imageproc/ (for the ratio)."""
    from playwright.sync_api import sync_playwright

    from generator.imageproc import store

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_site(root, photos[:6], 6)
        kept = store.is_raster
        if not processed:
            store.is_raster = lambda name: False  # nothing processed: originals copied, plain <img>
        try:
            build(settings(root, content))
        finally:
            store.is_raster = kept
        port = free_port()
        handler = functools.partial(_QuietHandler, directory=str(root / "output"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"original photo: {photos[0].stat().st_size:,} bytes (4000×3000)" if processed else
              "before: the same sites with every image published as it is")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for label, path, goal in (("article", "tin-tuc/2023/bai-co-anh-000/", 350_000),
                                          ("home (6 cards)", "", 600_000)):
                    for view_name, view in VIEWS.items():
                        total, images = transferred(browser, f"http://127.0.0.1:{port}/{path}", view)
                        verdict = "ok" if total <= goal else "OVER"
                        print(f"{label:15} {view_name:21} {total:>9,} bytes ({images:,} of images); "
                              f"goal ≤ {goal:,}: {verdict}")
                browser.close()
        finally:
            server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def process_only(content: Path, cache: Path, count: int) -> None:
    """In a child process: cold processing of every photo, then this process's and its workers' peaks."""
    from generator.imageproc.store import process_images
    from generator.incremental.parallel import Workers

    sources = [p.relative_to(content).as_posix() for p in sorted((content / "bai-viet/2023/anh").iterdir())][:count]
    started, cpu = time.perf_counter(), _cpu()
    result = process_images(content, sources, cache, Workers().map)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the benchmark that made the photos
    parent = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                  if line.startswith("VmHWM:")) // 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "encoded": result.encoded, "parent_mb": parent,
                      "worker_mb": child}))


def _cpu() -> float:
    """CPU seconds of this process and its finished children: less swayed than wall time by the
    other work on a shared machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_processing(photos: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_site(root, photos, len(photos))
        run = subprocess.run([sys.executable, __file__, "--process-only", str(content), str(root / "probe-cache"),
                              str(len(photos))], capture_output=True, text=True, check=True)
        cold = json.loads(run.stdout)
        from generator.incremental.parallel import worker_count
        workers = worker_count(len(photos), None, 1)
        print(f"{cold['encoded']} photos processed cold in {cold['seconds']:.1f} s on {workers} worker(s) "
              f"({cold['seconds'] / max(1, cold['encoded']):.2f} s a photo; CPU {cold['cpu']:.1f} s, "
              f"{cold['cpu'] / max(1, cold['encoded']):.2f} s a photo); peak memory: parent "
              f"{cold['parent_mb']} MB, largest worker {cold['worker_mb']} MB, "
              f"at most {cold['parent_mb'] + workers * cold['worker_mb']} MB together")
        site = settings(root, content)
        for label, change in (("cold build", None), ("one article's text edited", "edit"), ("unchanged", None)):
            if change == "edit":
                first = content / "bai-viet/2023/bai-001.md"
                first.write_text(first.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
            started, cpu = time.perf_counter(), _cpu()
            result = build(site)
            print(f"build, {label:26} {time.perf_counter() - started:6.2f} s (CPU {_cpu() - cpu:6.2f} s); "
                  f"images encoded: "
                  f"{result.images_encoded}; replayed: {result.replayed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--before", action="store_true", help="also measure the bytes with images as they are")
    parser.add_argument("--process-only", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.process_only:
        process_only(Path(args.process_only[0]), Path(args.process_only[1]), int(args.process_only[2]))
        return
    photos = phone_photos(max(6, args.photos))
    if args.before:
        measure_bytes(photos, processed=False)
    measure_bytes(photos, processed=True)
    measure_processing(photos[:args.photos])


if __name__ == "__main__":
    main()
