"""Turn a file's bytes into clean text: size and binary checks, UTF-8 NFC, legacy encodings.

Every input file (Markdown and YAML alike) goes through `read_text`, so each gets the same
checks and the same messages.
"""

from __future__ import annotations

from pathlib import Path

from generator.problems import Problems
from generator.vietnamese.text import LegacyEncodingError, detect_mojibake, normalise_input

MAX_FILE_BYTES = 2 * 1024 * 1024  # an article is a few KB; megabytes mean a pasted binary or a mistake


def read_text(path: Path, problems: Problems) -> str | None:
    """Decode a file as UTF-8 NFC; say which legacy encoding it looks like when it is not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1_048_576
            problems.error(path, None, f"tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {limit} MB)",
                           "tách bài thành nhiều bài hoặc đưa tệp lớn ra ngoài content/")
            return None
        raw = path.read_bytes()
    except OSError as error:
        problems.error(path, None, f"không đọc được tệp: {error.strerror}")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16, full of zero bytes
        problems.error(path, None, "tệp được lưu dạng UTF-16 (\"Unicode\" của Notepad), không phải UTF-8",
                       "mở tệp và lưu lại với mã hóa UTF-8")
        return None
    if b"\x00" in raw[:8192]:
        problems.error(path, None, "đây là tệp nhị phân, không phải văn bản Markdown",
                       "chỉ đặt tệp .md soạn bằng trình soạn thảo văn bản vào đây")
        return None
    try:
        text = normalise_input(raw)
    except LegacyEncodingError as error:
        problems.error(path, error.line, f"tệp không phải UTF-8; có vẻ mã hóa {error.encoding}",
                       f"chuyển sang UTF-8 bằng lệnh: awareness fix-encoding {problems.shown(path)}")
        return None
    legacy = detect_mojibake(text)
    if legacy:
        encoding, line, sample = legacy
        problems.error(path, line, f"văn bản có vẻ dán từ tài liệu mã {encoding} cũ: {sample!r}",
                       f"chuyển sang Unicode bằng lệnh: awareness fix-encoding {problems.shown(path)}")
        return None
    return text
