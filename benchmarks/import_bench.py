"""How long `awareness import` takes on a 20-page Word document holding 10 phone-sized photos.

The document is made with python-docx: 20 pages of varied Vietnamese text (3000 characters a page, the
importer's own page estimate) under headings, a table every few pages, and 10 incompressible images of
about 4 MB each, as a phone photo is. Timed twice: the library call (reading, converting, writing) and the
command as a user runs it (a new Python process, so its start-up is included). Median of --rounds runs.

    .venv/bin/python -m benchmarks.import_bench
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
from docx.shared import Cm

from generator.docx_import.article import ImportRequest, import_document

REPO = Path(__file__).resolve().parent.parent
WORDS = ("nước tiết kiệm điện năng lượng sở công thương tỉnh bình thuận chiến dịch giờ trái đất khí tượng "
         "hưởng ứng doanh nghiệp người dân tuyên truyền sản xuất hiệu quả môi trường").split()


def photo(seed: int, side: int = 1200) -> bytes:
    """A PNG of random pixels stored without compression: about 4 MB, like a phone photo inside Word."""
    noise = random.Random(seed).randbytes(side * side * 3)
    rows = b"".join(b"\x00" + noise[i * side * 3:(i + 1) * side * 3] for i in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b"")


def make_document(path: Path, pages: int = 20, photos: int = 10) -> None:
    chosen = random.Random(20)
    document = docx.Document()
    document.add_paragraph("Báo cáo hưởng ứng Ngày Nước thế giới", style="Title")
    for page in range(pages):
        document.add_heading(f"Phần {page + 1}", level=1)
        for _ in range(6):  # 6 paragraphs of ~500 characters: a page
            paragraph = document.add_paragraph(" ".join(chosen.choice(WORDS) for _ in range(80)))
            paragraph.add_run(" nhấn mạnh").bold = True
        if page % 4 == 0:
            table = document.add_table(rows=4, cols=3)
            for cell in table._cells:
                cell.text = chosen.choice(WORDS)
        if page % 2 == 0 and page // 2 < photos:
            document.add_picture(BytesIO(photo(page)), width=Cm(12))
    document.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        source = work / "bao-cao.docx"
        make_document(source)
        print(f"document: {source.stat().st_size / 1e6:.1f} MB")
        library, command = [], []
        for round_number in range(args.rounds):
            content = work / f"content-{round_number}"
            shutil.copytree(REPO / "content" / "_data", content / "_data")
            started = time.perf_counter()
            report = import_document(ImportRequest(source, content, date(2026, 3, 1), "ngay-nuoc-the-gioi",
                                                   "phong-quan-ly-nang-luong"))
            library.append(time.perf_counter() - started)
            assert len(report.images) == 10
            shutil.rmtree(content / "bai-viet")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "import", str(source), "--campaign",
                            "ngay-nuoc-the-gioi", "--department", "phong-quan-ly-nang-luong", "--content",
                            str(content)], check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
            command.append(time.perf_counter() - started)
        print(f"library call, median of {args.rounds}: {statistics.median(library):.2f} s "
              f"(min {min(library):.2f}, max {max(library):.2f})")
        print(f"`awareness import` command, median of {args.rounds}: {statistics.median(command):.2f} s "
              f"(min {min(command):.2f}, max {max(command):.2f})")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
