"""Vietnamese text: input decoding, legacy encodings, tone placement, slugs, sorting, search, dates.

One module so that every part of the generator agrees on what a Vietnamese word is: a title always
gives the same URL, "hoà" and "hòa" sort and search as one word, and a date always reads the same.
Only the standard library is used; the legacy code tables live in `legacy_encodings`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from functools import lru_cache
from itertools import pairwise
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from generator.vietnamese.legacy_encodings import (
    TCVN3,
    TCVN3_REPURPOSED,
    TONE_MARKS,
    VIETNAMESE_LETTERS,
    VNI,
    VNI_REPURPOSED,
    WINDOWS_1252,
    WINDOWS_1258,
    convert_legacy,
    encode_legacy,
)

__all__ = [
    "TZ", "WEEKDAYS", "LegacyEncodingError", "convert_legacy", "date_admin", "date_long", "date_short",
    "detect_mojibake", "encode_legacy", "fold", "guess_legacy_encoding", "is_vietnamese_syllable", "nfc",
    "normalise_input", "parse_vn_date", "place_date", "repair_mojibake",
    "search_tokens", "slugify", "sort_key", "strip_marks", "time_hm",
    "tone_normalise", "vi_sorted",
]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the Department, its authors and its readers are all in UTC+7
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


# --- Normalisation --------------------------------------------------------------------------


def nfc(text: str) -> str:
    """Compose text to NFC: macOS and some editors save decomposed (NFD) Vietnamese."""
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Remove every Vietnamese diacritic, keeping the base letters (đ → d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class LegacyEncodingError(ValueError):
    """Input bytes are not UTF-8; `encoding` names what they look like, for the author's fix."""

    def __init__(self, encoding: str, line: int, sample: str) -> None:
        super().__init__(encoding, line, sample)  # args kept whole, so the error pickles
        self.encoding = encoding
        self.line = line
        self.sample = sample

    def __str__(self) -> str:
        return f"line {self.line} is not UTF-8; it looks like {self.encoding}: {self.sample!r}"


def normalise_input(raw: bytes) -> str:
    """Decode a source file: UTF-8 with or without BOM, any line ending, always NFC with LF.

    Anything else is refused with LegacyEncodingError rather than guessed at: a wrong guess
    would publish garbled Vietnamese, while the error tells the author how to convert the file.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _legacy_error(raw, error.start) from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def _legacy_error(raw: bytes, offset: int) -> LegacyEncodingError:
    """Name the encoding, the line of the first non-UTF-8 byte, and that line as it should read."""
    encoding = guess_legacy_encoding(raw)
    before = raw[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line_start = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    line_end = min((end for end in (raw.find(b"\n", offset), raw.find(b"\r", offset)) if end >= 0), default=len(raw))
    line = convert_legacy(raw[line_start:line_end], encoding)
    column = len(convert_legacy(raw[line_start:offset], encoding))
    return LegacyEncodingError(encoding, before.count(b"\n") + 1, _excerpt(line, column))


# --- Vietnamese syllables ---------------------------------------------------------------------
#
# Legacy-encoding detection rests on one question: is this word a possible Vietnamese syllable?
# Vietnamese orthography is regular enough to answer it with a pattern: an optional initial
# consonant, then either an open rhyme or a nucleus followed by a final consonant, and at most one
# tone mark; syllables ending in -c, -ch, -p, -t only take the sắc or nặng tone.

_TONE_INDEX = {mark: index for index, mark in enumerate(TONE_MARKS) if mark}
_INITIALS = "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x".split()
_OPEN_RHYMES = (
    "a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi u ua uây uê ui "
    "uôi uơ uy uya uyu ư ưa ưi ươi ươu ưu y yêu"
).split()
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uy uyê ươ".split()
_FINALS = "c ch m n ng nh p t".split()
_STOP_FINALS = ("c", "ch", "p", "t")
_STOP_TONES = (TONE_MARKS.index("\u0301"), TONE_MARKS.index("\u0323"))  # sắc, nặng


def _alternatives(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SYLLABLE = re.compile(
    rf"(?:{_alternatives(_INITIALS)})?"
    rf"(?:(?:{_alternatives(_OPEN_RHYMES)})|(?:{_alternatives(_CLOSED_NUCLEI)})(?P<final>{_alternatives(_FINALS)}))"
)
_VOWEL_LETTERS = frozenset("aăâeêioôơuưy")


@lru_cache(maxsize=4096)
def _split_tone(char: str) -> tuple[str, int]:
    """'ặ' → ('ă', 5): the letter without its tone mark, and the tone's index in TONE_MARKS."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONE_INDEX:
            tone = _TONE_INDEX[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` (NFC) is spelled like a Vietnamese syllable: 'người', 'Thủy', 'NGÀY' yes; 'café' no."""
    if not (word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())):
        return False
    letters = []
    tones = []
    for char in word.lower():
        letter, tone = _split_tone(char)
        letters.append(letter)
        if tone:
            tones.append(tone)
    if len(tones) > 1:
        return False
    match = _SYLLABLE.fullmatch("".join(letters))
    if match is None:
        return False
    if match.group("final") in _STOP_FINALS:
        return bool(tones) and tones[0] in _STOP_TONES
    return True


# --- Legacy encodings: detection --------------------------------------------------------------

# A word for detection: letters, plus the symbols TCVN3 turns into letters (® is đ, ¬ is ơ, and the
# soft hyphen is ư), which mojibake leaves inside words.
_TCVN3_SYMBOLS = "".join(sorted(ch for ch in TCVN3_REPURPOSED if not ch.isalpha()))
_WORD = re.compile(rf"(?:[^\W\d_]|[{re.escape(_TCVN3_SYMBOLS)}])+")
_HAS_TCVN3_SYMBOL = re.compile(rf"[{re.escape(_TCVN3_SYMBOLS)}]")
_LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters: a word without TCVN3 symbols, or a syllable
# Symbols that TCVN3 text is full of (µ à, ¸ á, ® đ, the soft hyphen ư…) but that real words never
# contain; × and ÷ are left out because they sit between numbers ("3×4"), and µ counts only inside
# a word, because it starts unit symbols ("µm", "µg/l").
_TCVN3_TELLING = frozenset(_TCVN3_SYMBOLS + "µ") - {"×", "÷"}
# The only vowel + VNI-mark pairs common in European words: French "où", Spanish "aún".
_EUROPEAN_VNI_PAIRS = frozenset({"où", "aú"})
_REPURPOSED = {TCVN3: TCVN3_REPURPOSED, VNI: VNI_REPURPOSED}
_WEAK, _STRONG = 1, 2


@lru_cache(maxsize=1 << 16)  # articles share their words; a build checks each word once
def _mojibake_evidence(word: str, encoding: str) -> int:
    """0 if `word` is no sign of `encoding` mojibake, else _WEAK or _STRONG.

    A word counts only when it is not Vietnamese as it stands, becomes a Vietnamese syllable once
    converted, and converts back to itself, so that correct Vietnamese, most European words
    ("café", "Müller") and stray marks ("ñá") count for nothing. What remains is strong evidence
    unless a European language could have produced it: TCVN3 words are strong when they hold a
    symbol ("N­íc", "n¨m") or a capital inside lowercase ("thÕ"); VNI words are strong with two
    marks ("Nöôùc") or one that European words do not write ("caùc", but not "où").
    """
    marked = [index for index, ch in enumerate(word) if ch in _REPURPOSED[encoding]]
    if not marked or len(word) < 2 or is_vietnamese_syllable(word):
        return 0
    converted = convert_legacy(word, encoding)
    if not is_vietnamese_syllable(converted):
        return 0
    try:
        if encode_legacy(converted, encoding).decode("cp1252").lower() != word.lower():
            return 0
    except (ValueError, UnicodeDecodeError):
        return 0
    if encoding == TCVN3:
        inner_capital = any(ch.isupper() and before.islower() for before, ch in pairwise(word))
        symbols = [word[index] for index in marked if word[index] in _TCVN3_TELLING and word[: index + 1] != "µ"]
        strong = inner_capital or bool(symbols)
    else:
        strong = len(marked) >= 2 or word[marked[0] - 1 : marked[0] + 1].lower() not in _EUROPEAN_VNI_PAIRS
    return _STRONG if strong else _WEAK


def detect_mojibake(text: str) -> tuple[str, int, str] | None:
    """Find TCVN3 or VNI text pasted into UTF-8: ('TCVN3' or 'VNI', 1-based line, snippet), or None.

    Old Word documents typed with .VnTime or VNI-Times fonts become "Ngµy N­íc thÕ giíi" or
    "Ngaøy Nöôùc theá giôùi" when pasted. Reported only with at least two distinct suspicious
    words, one of them strong evidence: real mojibake has dozens, while a foreign quotation
    ("où", "så") or a unit ("5 µm") gives at most one.
    """
    if not _may_hold_mojibake(text):
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: dict[str, dict[str, int]] = {TCVN3: {}, VNI: {}}  # word → evidence
    where: dict[str, tuple[int, str, int]] = {}  # the first strong word: line number, line, column
    for number, line in enumerate(lines, start=1):
        for match in _WORD.finditer(line):
            word = match.group()
            for encoding, words in found.items():
                if word in words:
                    continue
                words[word] = evidence = _mojibake_evidence(word, encoding)
                if evidence == _STRONG:
                    where.setdefault(encoding, (number, line, match.start()))
    counts = {}
    for encoding, words in found.items():
        suspicious = [evidence for evidence in words.values() if evidence]
        if _STRONG in suspicious and len(suspicious) >= 2:
            counts[encoding] = len(suspicious)
    if not counts:
        return None
    encoding = max(counts, key=counts.__getitem__)
    number, line, start = where[encoding]
    return encoding, number, _excerpt(line, start)


def repair_mojibake(text: str, encoding: str) -> str:
    """Convert the TCVN3 or VNI mojibake in UTF-8 text back to Vietnamese, leaving correct text alone.

    Only lines that hold mojibake are touched (a file often mixes front matter typed correctly with
    a body pasted from an old document), and in them every word holding a character the encoding
    repurposes, unless only the word as it stands reads as Vietnamese: "Ngµy N­íc" → "Ngày Nước",
    "Ngaøy saù" → "Ngày sá" (VNI's "saù" is also a possible spelling, but not one anybody writes).
    """
    repurposed = _REPURPOSED[encoding]

    def repair_line(line: str) -> str:
        if not any(_mojibake_evidence(match.group(), encoding) for match in _WORD.finditer(line)):
            return line
        # Letters beyond Latin-1 (ư, ơ, đ, ạ…) are no legacy byte's reading: the line also holds
        # Unicode Vietnamese, so words that already read as Vietnamese are kept ("Khánh Hòa").
        mixed = any(ord(ch) > 0xFF and ch in VIETNAMESE_LETTERS for ch in line)
        return _WORD.sub(lambda match: repair_word(match.group(), mixed), line)

    def repair_word(word: str, mixed: bool) -> str:
        if not any(ch in repurposed for ch in word) or (mixed and is_vietnamese_syllable(word)):
            return word
        converted = convert_legacy(word, encoding)
        return word if is_vietnamese_syllable(word) and not is_vietnamese_syllable(converted) else converted

    return "\n".join(repair_line(line) for line in text.split("\n"))


def _may_hold_mojibake(text: str) -> bool:
    """The same verdict as detect_mojibake's, from each distinct word once, without positions.

    Clean text (nearly every file) is settled here; only suspect text is scanned line by line
    for the place to show the author.
    """
    # Words never span whitespace, and an ASCII word holds no repurposed character, so it is never
    # evidence: only the distinct non-ASCII pieces between spaces are cut into words. Without any
    # TCVN3 symbol in the text a word is a plain run of letters, which a simple class finds faster.
    # The pieces are cut in one findall over them joined by spaces (no pattern matches a space), and
    # the words earlier files proved clean in both encodings are dropped with one set difference.
    # A piece of letters only (most of them) is one word under either pattern, and is taken whole.
    pattern = _WORD if _HAS_TCVN3_SYMBOL.search(text) else _LETTERS
    pieces = [piece for piece in set(text.split()) if not piece.isascii()]
    words = {piece for piece in pieces if piece.isalpha()}
    words.update(w for w in pattern.findall(" ".join(p for p in pieces if not p.isalpha())) if not w.isascii())
    words -= _CLEAN_WORDS
    for encoding in (TCVN3, VNI):
        suspicious = [e for w in words if (e := _mojibake_evidence(w, encoding))]
        if _STRONG in suspicious and len(suspicious) >= 2:
            return True
    if len(_CLEAN_WORDS) > 1 << 17:
        _CLEAN_WORDS.clear()  # bounded like _mojibake_evidence's own cache
    _CLEAN_WORDS.update(w for w in words if not _mojibake_evidence(w, TCVN3) and not _mojibake_evidence(w, VNI))
    return False


_CLEAN_WORDS: set[str] = set()  # words that are evidence of neither encoding, whatever text holds them


def guess_legacy_encoding(raw: bytes) -> str:
    """Name the legacy encoding of bytes that are not UTF-8: whichever reads as most Vietnamese.

    'Windows-1252' when none of the Vietnamese encodings produces Vietnamese words, which is what
    a Western-European Windows program saves.
    """
    best, best_score = WINDOWS_1252, 0
    for encoding in (WINDOWS_1258, TCVN3, VNI):  # ties go to the first: cp1258 has real à, á, í…
        score = _vietnamese_score(convert_legacy(raw, encoding))
        if score > best_score:
            best, best_score = encoding, score
    return best


_WORD_WITH_MARKS = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")  # cp1258 can leave a tone mark loose


def _vietnamese_score(text: str) -> int:
    """Words with non-ASCII letters that are Vietnamese syllables, minus those that are not."""
    score = 0
    for match in _WORD_WITH_MARKS.finditer(text):
        word = match.group()
        if not word.isascii():
            score += 1 if is_vietnamese_syllable(word) else -1
    return score


def _excerpt(line: str, start: int, width: int = 60) -> str:
    """At most `width` characters of `line`, from a few words before `start`, cut at spaces."""
    begin = line.rfind(" ", 0, max(start - 20, 0)) + 1
    piece = line[begin:].strip()
    if len(piece) > width:
        cut = piece.rfind(" ", 0, width)
        piece = piece[: cut if cut > 0 else width] + "…"
    return piece


# --- Tone placement ---------------------------------------------------------------------------
#
# Two spellings of the same syllable coexist when the rhyme is an open oa, oe or uy: the
# traditional placement (hòa, khỏe, thủy), used by most publications and in official place names
# such as Khánh Hòa and Thanh Hóa, and the placement on the main vowel (hoà, khoẻ, thuỷ) that school
# textbooks adopted and input methods offer as the "new" style (Unikey: "oà, uý"). With a final consonant
# (hoàng, hoặc, quỳnh) or a marked vowel (thuở, thuế) both agree, and after q the u belongs to the
# consonant (quý), so nothing else moves.

_SHIFTING_RHYMES = frozenset({"oa", "oe", "uy"})


_INDEX_WORD = re.compile(r"[^\W_]+")  # letters and digits; search.js's tokeniser is /[\p{L}\p{N}]+/u


def index_terms(text: str) -> list[str]:
    """The words of `text` as the search index stores them: 'Hoà BÌNH, thuỷ lợi' → ['hòa', 'bình', 'thủy', 'lợi'].

    lower(), not casefold(), as the script's toLowerCase(); words are few and repeat, so each
    distinct one is tone-normalised once.
    """
    return [_index_term(word) for word in _INDEX_WORD.findall(nfc(text).lower())]


def distinct_index_terms(text: str) -> set[str]:
    """set(index_terms(text)), worked out once per distinct whitespace-separated token: a word never
    spans whitespace, and the Unicode letter class costs more to scan than str.split()."""
    # One union of every token's terms, the loop in C (map over the cached function), not a
    # Python loop of set updates: a tenth of the Markdown stage's own work per body.
    return set().union(*map(_token_terms, set(nfc(text).lower().split())))


@lru_cache(maxsize=65536)
def _token_terms(token: str) -> tuple[str, ...]:
    return tuple(_index_term(word) for word in _INDEX_WORD.findall(token))


@lru_cache(maxsize=65536)
def _index_term(word: str) -> str:
    return tone_normalise(word)


def tone_normalise(text: str) -> str:
    """Put tone marks in the traditional place: 'hoà' → 'hòa', 'thuỷ' → 'thủy', 'khoẻ' → 'khỏe'.

    One canonical spelling lets sorting and search treat both placements as the same word; the
    author's own spelling is what gets published.
    """
    return _LETTERS.sub(_traditional_placement, nfc(text))


def _traditional_placement(match: re.Match[str]) -> str:
    word = match.group()
    if len(word) < 2:
        return word
    (first, first_tone), (second, second_tone) = _split_tone(word[-2]), _split_tone(word[-1])
    if first_tone or not second_tone or (first + second).lower() not in _SHIFTING_RHYMES:
        return word
    before = word[-3].lower() if len(word) > 2 else ""
    if _split_tone(before)[0] in _VOWEL_LETTERS or before == "q":
        return word  # 'khuya', 'ngoài' end in other rhymes; 'quý' has u as part of qu-
    tone = TONE_MARKS[second_tone]
    return word[:-2] + nfc(first + tone) + second


# --- Slugs and search -------------------------------------------------------------------------


MAX_SLUG = 80  # characters: an address stays readable, and far below the file system's 255 bytes a name
MAX_GIVEN_SLUG = 120  # a slug the author writes is kept as written (a number may follow the words) up to this


@lru_cache(maxsize=65536)  # pure; tag names repeat across thousands of articles
def slugify(text: str, limit: int | None = MAX_SLUG) -> str:
    """Lowercase ASCII words joined by hyphens: 'Giờ Trái đất 2023' → 'gio-trai-dat-2023'.

    NFKC first, so full-width and ligature forms (ｆｉ, ﬁ) give their plain letters. The result only
    ever holds a-z, 0-9 and single inner hyphens, so it is safe as a path segment; a title with
    nothing to keep gives "" and the caller chooses a fallback. Longer than `limit`, it ends at the
    last whole word that fits (a single word longer than that is cut: see slug_fits).
    """
    ascii_text = strip_marks(unicodedata.normalize("NFKC", text)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if limit is None or len(slug) <= limit:
        return slug
    head = slug[:limit + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:limit]


def slug_fits(text: str) -> bool:
    """Whether slugify can shorten `text` on a word boundary: its first word fits the limit."""
    return len(slugify(text, None).split("-", 1)[0]) <= MAX_SLUG


def fold(text: str) -> str:
    """The search form of text: 'Hòa Bình', 'hoà bình' and 'HOA BINH' all give 'hoa binh'.

    Readers often type without marks, so search compares words with all marks removed; tone
    placement stops mattering once the marks are gone. lower(), not casefold(): the search page's
    script folds queries with JavaScript's toLowerCase(), which follows the same Unicode mapping
    as lower() (casefold() would also turn "µm" into "μm" and "ß" into "ss").
    """
    return strip_marks(tone_normalise(text).lower())


def search_tokens(text: str) -> list[str]:
    """The words of `text` in search form, in order: 'Giờ Trái Đất 2023!' → ['gio', 'trai', 'dat', '2023']."""
    return re.findall(r"[^\W_]+", fold(text))


# --- Sorting ----------------------------------------------------------------------------------
#
# Vietnamese order (as in CLDR's Vietnamese collation and the dictionaries): ă, â, đ, ê, ô, ơ, ư are
# letters of their own, placed after a, a, d, e, o, o, u; tones are a secondary difference, in the
# order ngang, huyền, hỏi, ngã, sắc, nặng, compared only when the letters are all equal.

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_SPACE, _SYMBOL, _DIGIT, _LETTER = range(4)


@lru_cache(maxsize=4096)
def _collation_element(char: str) -> tuple[tuple[int, int], int | None]:
    """(primary weight, tone) of one character; tone is None for characters that are not letters."""
    if char.isspace():
        return (_SPACE, 0), None
    if (digit := unicodedata.decimal(char, None)) is not None:
        return (_DIGIT, digit), None
    if not char.isalpha():
        return (_SYMBOL, ord(char)), None
    letter, tone = _split_tone(char.lower())
    if letter not in _LETTER_RANK:
        letter = strip_marks(letter)  # ç → c, ü → u: foreign marks do not make new letters
    rank = _LETTER_RANK.get(letter, len(_ALPHABET) + ord(letter[0]))
    return (_LETTER, rank), tone


def sort_key(text: str) -> tuple[Any, ...]:
    """A key giving Vietnamese alphabetical order: a < ă < â < b … d < đ …, then tones, then case.

    Letters compare first, case-insensitively; tones only break ties between otherwise equal
    strings ("ma" < "mà" < "mả" < "mã" < "má" < "mạ" < "mác"); then lowercase before capital; and
    last the text itself. So two strings tie only when they differ in nothing but tone placement
    ("hoà", "hòa") or spacing; sorting is stable, so those keep their input order.
    """
    normalised = re.sub(r"\s+", " ", tone_normalise(text)).strip()
    primary: list[tuple[int, int]] = []
    tones: list[int] = []
    capitals: list[bool] = []
    for char in normalised:
        if unicodedata.combining(char):
            continue  # a stray mark (NFC leaves one only where no letter takes it) is ignored
        weight, tone = _collation_element(char)
        primary.append(weight)
        if tone is not None:
            tones.append(tone)
            capitals.append(char.isupper())
    return tuple(primary), tuple(tones), tuple(capitals), normalised


T = TypeVar("T")


def vi_sorted(items: Iterable[T], key: Callable[[T], str] | None = None, reverse: bool = False) -> list[T]:
    """sorted() in Vietnamese order; `key` picks the text to compare, as in sorted()."""
    text_of: Callable[[T], str] = key if key is not None else str
    return sorted(items, key=lambda item: sort_key(text_of(item)), reverse=reverse)


# --- Dates ------------------------------------------------------------------------------------


def _local(value: date | datetime) -> date | datetime:
    """An aware datetime as Vietnam's wall clock; naive ones and dates are taken as local already."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(TZ)
    return value


def date_short(value: date | datetime) -> str:
    """'25/03/2023': day first and zero-padded, as Vietnamese forms and news sites write it."""
    value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def date_long(value: date | datetime) -> str:
    """'Thứ Bảy, 25/03/2023', the form Vietnamese news sites print under a title."""
    value = _local(value)
    return f"{WEEKDAYS[value.weekday()]}, {date_short(value)}"


def date_admin(value: date | datetime) -> str:
    """'ngày 21 tháng 3 năm 2023', the form of administrative documents.

    Decree 30/2020/NĐ-CP (Appendix I): days under 10 and the months 1 and 2 take a leading zero
    ('ngày 05 tháng 02 năm 2023'), so a later hand cannot turn '1' into '11' or '12'.
    """
    value = _local(value)
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


def place_date(place: str, value: date | datetime) -> str:
    """'Bình Thuận, ngày 21 tháng 3 năm 2023': the place-and-date line of a document (Decree 30)."""
    return f"{place}, {date_admin(value)}"


def time_hm(value: datetime | time) -> str:
    """'20:30': 24-hour clock, as Vietnamese announcements give times (Giờ Trái Đất 20:30–21:30)."""
    if isinstance(value, datetime):
        value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d}"


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def parse_vn_date(value: str) -> date:
    """'2023-03-25', '25/03/2023' or '25/3/2023' → date; ValueError in Vietnamese otherwise.

    The message says what is wrong ("tháng 2 năm 2023 chỉ có 28 ngày") because authors read it;
    callers add the expected formats themselves.
    """
    text = value.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _VN_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"không hiểu {value!r} là ngày nào")
    if not 1 <= year <= 9999:
        raise ValueError(f"năm {year} không hợp lệ")
    if not 1 <= month <= 12:
        raise ValueError(f"không có tháng {month}; tháng chỉ từ 1 đến 12")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise ValueError(f"không có ngày {day}: tháng {month} năm {year} chỉ có {days_in_month} ngày")
    return date(year, month, day)
