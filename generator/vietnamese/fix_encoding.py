"""`awareness fix-encoding`: convert files saved in TCVN3, VNI or Windows-1258 to UTF-8 NFC in place.

The build refuses such files (reading.py) and names this command as the fix. Two cases: a file
that is not UTF-8 (saved by an old Windows program), whose non-UTF-8 lines are converted; and a
UTF-8 file holding TCVN3 or VNI text pasted from an old Word document ("Ngµy N­íc"), whose
pasted lines only are repaired. The original bytes are always kept in a backup beside the file, and a file
that is already clean UTF-8 is left alone.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.output.write import replace_file
from generator.vietnamese.legacy_encodings import TCVN3, VNI, canonical_name
from generator.vietnamese.text import (
    LegacyEncodingError,
    convert_legacy,
    detect_mojibake,
    guess_legacy_encoding,
    nfc,
    normalise_input,
    repair_mojibake,
)

FIXED, CLEAN, FAILED = "fixed", "clean", "failed"


@dataclass(frozen=True)
class FixResult:
    """What happened to one file, for the command to report."""

    path: Path
    status: str  # FIXED, CLEAN or FAILED
    message: str
    encoding: str = ""
    backup: Path | None = None


def fix_file(path: Path, encoding: str | None = None) -> FixResult:
    """Convert one file in place, keeping its original as a backup; `encoding` overrides the guess."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return FixResult(path, FAILED, f"không đọc được tệp: {error.strerror}")
    if b"\x00" in raw:
        return FixResult(path, FAILED, "đây là tệp nhị phân, không phải văn bản; không sửa")
    forced = canonical_name(encoding) if encoding else None
    try:
        text = normalise_input(raw)
    except LegacyEncodingError:
        legacy = [line for line in raw.splitlines() if not _is_utf8(line)]
        used = forced or guess_legacy_encoding(b"\n".join(legacy))
        return _replace(path, raw, _convert_lines(raw, used), used)
    found = detect_mojibake(text)
    if found is None and forced not in (TCVN3, VNI):
        return FixResult(path, CLEAN, "đã là UTF-8 chuẩn, không cần sửa")
    used = forced if forced in (TCVN3, VNI) else found[0]
    repaired = repair_mojibake(text, used)
    if repaired == text:
        return FixResult(path, CLEAN, f"đã là UTF-8, không có chữ {used} nào để sửa")
    return _replace(path, raw, repaired, used)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _convert_lines(raw: bytes, encoding: str) -> str:
    """Convert the lines that are not UTF-8; keep those that are.

    Files are often mixed: front matter typed in a UTF-8 editor, then a body pasted from an old
    program. Legacy Vietnamese bytes essentially never form valid UTF-8, so each line tells.
    """
    lines = raw.splitlines(keepends=True)
    return "".join(line.decode("utf-8") if _is_utf8(line) else convert_legacy(line, encoding) for line in lines)


def _replace(path: Path, raw: bytes, text: str, encoding: str) -> FixResult:
    """Keep the original bytes as a backup, then swap the converted text in atomically."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))  # what the build reads: NFC, LF line ends
    backup = backup_path(path)
    try:
        shutil.copy2(path, backup)
        replace_file(path, text.encode("utf-8"), keep_mode=True)
    except OSError as error:
        return FixResult(path, FAILED, f"không ghi được tệp: {error.strerror}", encoding)
    left = detect_mojibake(text)
    note = f"; còn chữ nghi là {left[0]} ở dòng {left[1]}: {left[2]!r}, hãy kiểm tra" if left else ""
    return FixResult(path, FIXED, f"đã chuyển từ {encoding} sang UTF-8 (NFC), bản gốc lưu ở {backup.name}{note}",
                     encoding, backup)


def backup_path(path: Path) -> Path:
    """FILE.bak, or FILE.2.bak, FILE.3.bak… when that exists: an earlier backup is never overwritten.

    The build skips *.bak files, so a backup inside content/ is never published.
    """
    candidate = path.with_name(path.name + ".bak")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{number}.bak")
        number += 1
    return candidate

