"""Codecs for the pre-Unicode Vietnamese encodings: TCVN3 (ABC), VNI Windows and Windows-1258.

Authors still paste from Word documents typed in the 1990s and 2000s with .VnTime (TCVN3) or
VNI-Times (VNI) fonts. Those files are ordinary Windows ANSI (cp1252) bytes; the font, not the
code page, drew Vietnamese letters at some byte positions. So every decoder here first reads the
bytes as Windows did (cp1252) and then re-maps the positions the font repurposed. Because of that,
the same decoder also repairs the *mojibake* left when such text was read as cp1252 or Latin-1 and
saved as UTF-8: the characters are just the bytes seen through cp1252.

The TCVN3 and VNI tables are built from their compact rules below rather than typed out by hand,
and the tests check them with round trips over all 134 Vietnamese letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

TCVN3 = "TCVN3"
VNI = "VNI"
WINDOWS_1258 = "Windows-1258"
WINDOWS_1252 = "Windows-1252"  # not Vietnamese; named when legacy bytes show no Vietnamese at all

_ALIASES = {
    "tcvn3": TCVN3, "tcvn": TCVN3, "abc": TCVN3, "vn3": TCVN3, "tcvn57123": TCVN3,
    "vni": VNI, "vniwindows": VNI,
    "windows1258": WINDOWS_1258, "cp1258": WINDOWS_1258,
    "windows1252": WINDOWS_1252, "cp1252": WINDOWS_1252,
}

# Tone marks in the order of Vietnamese dictionaries (and of the TCVN3 table): ngang (none),
# huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = "aăâeêioôơuưy"


def _compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def _lowercase_letters() -> Iterator[str]:
    """The 67 lowercase Vietnamese letters outside ASCII: ă â ê ô ơ ư đ and the 60 toned vowels."""
    yield from "ăâêôơưđ"
    for vowel in VOWELS:
        for tone in TONE_MARKS[1:]:
            yield _compose(vowel, tone)


LOWERCASE_LETTERS = tuple(_lowercase_letters())
# All 134 letters that need more than ASCII, both cases: what every encoding here must carry.
VIETNAMESE_LETTERS = LOWERCASE_LETTERS + tuple(letter.upper() for letter in LOWERCASE_LETTERS)
_LETTER_SET = frozenset(VIETNAMESE_LETTERS)


def canonical_name(encoding: str) -> str:
    """'tcvn3', 'ABC', 'cp1258', 'VNI-Windows'… → one of the four names this module uses."""
    key = re.sub(r"[\s_\-.:]", "", encoding).lower()
    try:
        return _ALIASES[key]
    except KeyError:
        known = ", ".join(sorted({TCVN3, VNI, WINDOWS_1258, WINDOWS_1252}))
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {known}") from None


def _windows_reading(codec: str) -> str:
    """What each byte 0–255 shows as in a Windows code page; Latin-1 for the few it leaves undefined."""
    return "".join(_byte_as(codec, byte) for byte in range(256))


def _byte_as(codec: str, byte: int) -> str:
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return chr(byte)


_CP1252 = _windows_reading("cp1252")
_CP1258_DECODE = dict(enumerate(_windows_reading("cp1258")))
# A file read as Latin-1 instead of cp1252 turns Word's “quotes” and dashes into C1 controls.
_C1_TO_CP1252 = {byte: _CP1252[byte] for byte in range(0x80, 0xA0) if _CP1252[byte] != chr(byte)}


# --- TCVN3 (TCVN 5712:1993, third level "VN3", the ABC fonts) ----------------------------------
#
# VN3 keeps ASCII and adds 74 letters (plus NBSP at 0xA0, as in Latin-1):
#   0xA1–0xA7  Ă Â Ê Ô Ơ Ư Đ      0xA8–0xAE  ă â ê ô ơ ư đ
#   0xB5–0xFE  the 60 toned lowercase vowels, vowel by vowel (a ă â e ê i o ô ơ u ư y), each in
#              the order huyền, hỏi, ngã, sắc, nặng, skipping the codes below, which the fuller
#              levels VN1/VN2 give to capital toned letters and VN3 leaves unassigned.
# Toned capitals do not exist in VN3: ABC users switched to an all-capitals font (.VnTimeH) that
# draws the lowercase codes as capitals, so the case is lost in the file itself.
_TCVN3_UNASSIGNED = frozenset({0xBA, *range(0xBF, 0xC6), 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0})


def _tcvn3_letters() -> dict[int, str]:
    table = dict(zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))
    free_codes = [code for code in range(0xB5, 0xFF) if code not in _TCVN3_UNASSIGNED]
    toned = [_compose(vowel, tone) for vowel in VOWELS for tone in TONE_MARKS[1:]]
    table.update(zip(free_codes, toned, strict=True))
    return table


TCVN3_LETTERS: dict[int, str] = _tcvn3_letters()
# All letters sit at 0xA1 and above, where cp1252 and Latin-1 agree, so one str.translate table
# serves bytes (read as Latin-1) and mojibake (read either way) alike.
_TCVN3_DECODE = {**_C1_TO_CP1252, **TCVN3_LETTERS}
_TCVN3_ENCODE = {letter: code for code, letter in TCVN3_LETTERS.items()}
TCVN3_REPURPOSED = frozenset(chr(code) for code in TCVN3_LETTERS)


# --- VNI Windows (VNI-Times and the other VNI fonts) -------------------------------------------
#
# VNI writes a letter as its ASCII base followed by one "mark" byte, whose glyph is the diacritic
# alone. Marks come in a lowercase and a capital shape, one 0x20 apart like Latin-1 letters, so the
# capital of a VNI sequence is simply its .upper(). A few letters have a single byte of their own.
_VNI_TONE = {"": "", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0301": "ù", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0301": "á", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0301": "é", "\u0323": "ë"}
_VNI_I = {"": "i", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0301": "í", "\u0323": "ò"}
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}


def _vni_lowercase(vowel: str, tone: str) -> str:
    if (single := _VNI_SINGLE.get(_compose(vowel, tone))) is not None:
        return single
    if vowel == "i":
        return _VNI_I[tone]
    if vowel in "âêô":
        return unicodedata.normalize("NFD", vowel)[0] + _VNI_CIRCUMFLEX[tone]
    if vowel == "ă":
        return "a" + _VNI_BREVE[tone]
    if vowel in "ơư":
        return _VNI_SINGLE[vowel] + _VNI_TONE[tone]
    return vowel + _VNI_TONE[tone]


def _vni_letters() -> dict[str, str]:
    """Each of the 134 letters → its VNI spelling, as the cp1252 characters of its bytes."""
    table = {"đ": "ñ"}
    for vowel in VOWELS:
        for tone in TONE_MARKS:
            letter = _compose(vowel, tone)
            if letter in _LETTER_SET:
                table[letter] = _vni_lowercase(vowel, tone)
    table.update({letter.upper(): code.upper() for letter, code in list(table.items())})
    return table


VNI_LETTERS: dict[str, str] = _vni_letters()
_VNI_MARKS = frozenset(
    mark for marks in (_VNI_TONE, _VNI_CIRCUMFLEX, _VNI_BREVE) for mark in marks.values() if mark
)
# Every byte VNI gives a meaning other than cp1252's (as the character cp1252 shows for it).
VNI_REPURPOSED = frozenset(ch for code in VNI_LETTERS.values() for ch in code if not ch.isascii())


def _vni_decoding() -> dict[str, str]:
    table = {code: letter for letter, code in VNI_LETTERS.items()}
    # Word's "Title Case" on VNI text capitalises the base but not its mark ("AØ" → "Aø"), so a
    # capital base also takes the lowercase shape of a mark.
    for code, letter in list(table.items()):
        if len(code) == 2 and code[0].isupper() and code[1].lower() in _VNI_MARKS:
            table[code[0] + code[1].lower()] = letter
    return table


_VNI_DECODE = _vni_decoding()
_VNI_SEQUENCE = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))


# --- Public codec functions --------------------------------------------------------------------


def convert_legacy(data: bytes | str, encoding: str) -> str:
    """Legacy Vietnamese bytes, or the mojibake they became inside UTF-8, → Unicode NFC.

    A str is taken as those bytes already read through cp1252 or Latin-1, which is how TCVN3 and
    VNI text survives a paste from an old Word document ("Ngµy" for "Ngày"); the whole string is
    converted, so pass only the legacy part. For Windows-1258 a str is taken as text decoded by
    the cp1258 codec, whose only defect is decomposed tone marks: it is composed to NFC.
    """
    name = canonical_name(encoding)
    if name == WINDOWS_1258:
        text = data.decode("latin-1").translate(_CP1258_DECODE) if isinstance(data, bytes) else data
        return unicodedata.normalize("NFC", text)
    text = data.decode("latin-1") if isinstance(data, bytes) else unicodedata.normalize("NFC", data)
    if name == WINDOWS_1252:
        return unicodedata.normalize("NFC", text.translate(_C1_TO_CP1252))
    if name == TCVN3:
        return unicodedata.normalize("NFC", text.translate(_TCVN3_DECODE))
    text = text.translate(_C1_TO_CP1252)
    return unicodedata.normalize("NFC", _VNI_SEQUENCE.sub(lambda m: _VNI_DECODE[m.group()], text))


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode → legacy bytes, the inverse of `convert_legacy` (tests and the fix-encoding tool).

    Raises ValueError for a character the encoding cannot carry: any toned capital in TCVN3
    (see above), or a character whose cp1252 byte the Vietnamese font redraws as something else
    (TCVN3's 0xE9 is "ộ", so "é" can be written but "ç" at 0xE7 cannot).
    """
    name = canonical_name(encoding)
    out = bytearray()
    for position, char in enumerate(unicodedata.normalize("NFC", text)):
        try:
            out += _encode_char(char, name)
        except ValueError as error:
            raise ValueError(f"{name} cannot encode {char!r} at position {position}: {error}") from None
    return bytes(out)


def _encode_char(char: str, name: str) -> bytes:
    if char.isascii():
        return char.encode("ascii")
    if name == TCVN3:
        if char in _TCVN3_ENCODE:
            return bytes([_TCVN3_ENCODE[char]])
        if char in _LETTER_SET:
            raise ValueError("TCVN3 has no toned capitals; ABC fonts drew them with an all-caps font")
        return _encode_plain(char, TCVN3_REPURPOSED)
    if name == VNI:
        if char in VNI_LETTERS:
            return VNI_LETTERS[char].encode("latin-1")
        return _encode_plain(char, VNI_REPURPOSED)
    if name == WINDOWS_1252:
        return _encode_plain(char, frozenset())
    return _encode_cp1258(char)


def _encode_plain(char: str, repurposed: frozenset[str]) -> bytes:
    """A non-Vietnamese character through cp1252, unless the font draws that byte differently."""
    try:
        encoded = char.encode("cp1252")
    except UnicodeEncodeError:
        raise ValueError("not in Windows-1252") from None
    if char in repurposed:
        raise ValueError("its Windows-1252 byte is a Vietnamese letter or mark in this encoding")
    return encoded


def _encode_cp1258(char: str) -> bytes:
    """cp1258 has few precomposed letters: write the toneless letter, then the tone mark."""
    try:
        return char.encode("cp1258")
    except UnicodeEncodeError:
        pass
    decomposed = unicodedata.normalize("NFD", char)
    tones = [mark for mark in decomposed if mark in TONE_MARKS[1:]]
    base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in tones))
    try:
        return (base + "".join(tones)).encode("cp1258")
    except UnicodeEncodeError:
        raise ValueError("not in Windows-1258") from None
