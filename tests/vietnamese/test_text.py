"""Vietnamese text handling, checked on real Vietnamese: the Department's own titles and sentences,
text typed the way old Word documents stored it, and foreign words that must not be mistaken for it.
"""

from __future__ import annotations

import pickle
import re
import string
import unicodedata
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.vietnamese.legacy_encodings import LOWERCASE_LETTERS, VIETNAMESE_LETTERS
from generator.vietnamese.text import (
    TZ,
    LegacyEncodingError,
    convert_legacy,
    date_admin,
    date_long,
    date_short,
    detect_mojibake,
    distinct_index_terms,
    encode_legacy,
    fold,
    guess_legacy_encoding,
    index_terms,
    is_vietnamese_syllable,
    nfc,
    normalise_input,
    parse_vn_date,
    search_tokens,
    slugify,
    sort_key,
    strip_marks,
    time_hm,
    tone_normalise,
    vi_sorted,
)

SENTENCES = [
    "Ngày Nước thế giới năm 2023: Thúc đẩy sự thay đổi",
    "Chiến dịch Giờ Trái đất — Thời khắc quan trọng cho Trái đất",
    "Sở Công Thương tỉnh Bình Thuận",
]

# Correct Vietnamese as authors write it: both tone placements, capitals, place names of the
# Central Highlands, quotation marks, times and dates.
VIETNAMESE_ARTICLE = """\
SỞ CÔNG THƯƠNG TỈNH BÌNH THUẬN

Hưởng ứng Ngày Nước thế giới năm 2023, Sở Công Thương kêu gọi các doanh nghiệp, cơ sở sản xuất
và người dân sử dụng nước tiết kiệm, hiệu quả. Chiến dịch Giờ Trái đất diễn ra từ 20:30 đến 21:30
ngày 25/3/2023. Ông Nguyễn Văn Hòa, Phó Giám đốc Sở, cho biết: “Mỗi hành động nhỏ đều góp phần
bảo vệ môi trường.” Người dân Khánh Hoà, Thanh Hóa, Đắk Lắk và Krông Pắc giữ gìn nguồn nước,
thuỷ lợi được quan tâm, quý khách khoẻ mạnh; thuở xưa người Ê-đê và Xtiêng đã biết trữ nước mưa.
Mức bụi mịn 2,5 µm được đo hằng ngày; nước có 10 µg/l chì thì không được dùng để uống.
"""

FOREIGN_TEXT = """\
World Water Day 2023: Accelerating Change. The quick brown fox jumps over the lazy dog.
Le café où nous étions était très animé ; à côté, un garçon mangeait une crème brûlée. Où est la fête ?
Die Bürger müssen Wasser sparen: Straße, Größe, Übergröße, schön, Müller, Zürich.
El niño está en la montaña; aún así, ¿qué más? Señor Ñandú, corazón, pingüino.
Smørrebrød på Øresund, så er det nä, Malmö, Ålesund. São Paulo, Curaçao, Québec, naïve, Noël.
"""

CODE = """\
def café(naïve: str) -> str:
    return naïve.replace("é", "e")  # résumé, façade, señor
const x = 5 × 3 ÷ 2; // µs timing, © 2023, ½ cup, «quoted», ±0.5 °C
"""


# --- Normalisation and input decoding -------------------------------------------------------------


def test_nfd_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thủy")
    assert decomposed != "Nguyễn Thị Thủy"
    assert nfc(decomposed) == "Nguyễn Thị Thủy"
    assert normalise_input(decomposed.encode("utf-8")) == "Nguyễn Thị Thủy"


def test_bom_and_every_line_ending_are_normalised() -> None:
    raw = b"\xef\xbb\xbf" + "Dòng một\r\nDòng hai\rDòng ba\nDòng bốn".encode()
    assert normalise_input(raw) == "Dòng một\nDòng hai\nDòng ba\nDòng bốn"


def test_strip_marks_keeps_base_letters() -> None:
    assert strip_marks("Đường Trần Hưng Đạo, Phan Thiết") == "Duong Tran Hung Dao, Phan Thiet"


def legacy_file(encoding: str, newline: bytes = b"\n") -> bytes:
    """Front matter in ASCII (valid UTF-8), then the body saved in a legacy encoding on line 5."""
    head = [b"---", b"title: Ngay Nuoc the gioi", b"date: 2023-03-22", b"---"]
    body = [encode_legacy(sentence, encoding) for sentence in SENTENCES]
    return newline.join(head + body)


@pytest.mark.parametrize(("encoding", "name"), [("cp1258", "Windows-1258"), ("TCVN3", "TCVN3"), ("VNI", "VNI")])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_non_utf8_file_names_its_legacy_encoding_and_line(encoding: str, name: str, newline: bytes) -> None:
    with pytest.raises(LegacyEncodingError) as caught:
        normalise_input(legacy_file(encoding, newline))
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.encoding, error.line) == (name, 5)
    assert error.sample == SENTENCES[0]  # the line as it should read, so the author recognises it
    assert convert_legacy(legacy_file(encoding, newline), name).splitlines()[4:] == SENTENCES


def test_western_european_file_is_named_windows_1252() -> None:
    raw = "title: Café\n\nLe café où nous étions était très animé.\n".encode("cp1252")
    with pytest.raises(LegacyEncodingError) as caught:
        normalise_input(raw)
    assert (caught.value.encoding, caught.value.line) == ("Windows-1252", 1)


def test_legacy_encoding_error_keeps_its_fields_through_pickle() -> None:
    error = pickle.loads(pickle.dumps(LegacyEncodingError("TCVN3", 7, "Ngày Nước")))
    assert (error.encoding, error.line, error.sample) == ("TCVN3", 7, "Ngày Nước")
    assert "line 7" in str(error) and "TCVN3" in str(error)


def test_short_cp1258_word_is_not_taken_for_another_encoding() -> None:
    assert guess_legacy_encoding("Ngày".encode("cp1258")) == "Windows-1258"


# --- Legacy encodings: conversion -------------------------------------------------------------------


def test_there_are_134_vietnamese_letters() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", letter) and len(letter) == 1 for letter in VIETNAMESE_LETTERS)


@pytest.mark.parametrize("encoding", ["VNI", "Windows-1258"])
@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_every_letter_round_trips(encoding: str, letter: str) -> None:
    assert convert_legacy(encode_legacy(letter, encoding), encoding) == letter


def test_tcvn3_round_trips_every_letter_the_standard_defines() -> None:
    defined = LOWERCASE_LETTERS + tuple("ĂÂÊÔƠƯĐ")
    assert len(defined) == 74
    for letter in defined:
        assert convert_legacy(encode_legacy(letter, "TCVN3"), "TCVN3") == letter
    assert sorted(encode_legacy("".join(defined), "TCVN3")) == sorted(set(encode_legacy("".join(defined), "TCVN3")))


@pytest.mark.parametrize("letter", sorted(set(VIETNAMESE_LETTERS) - set(LOWERCASE_LETTERS) - set("ĂÂÊÔƠƯĐ")))
def test_tcvn3_refuses_toned_capitals_it_has_no_code_for(letter: str) -> None:
    with pytest.raises(ValueError, match="TCVN3"):
        encode_legacy(letter, "TCVN3")


@pytest.mark.parametrize(
    ("code", "letter"),
    [(0xA1, "Ă"), (0xA7, "Đ"), (0xA8, "ă"), (0xAD, "ư"), (0xAE, "đ"), (0xB5, "à"), (0xB8, "á"),
     (0xBE, "ắ"), (0xC6, "ặ"), (0xCE, "ẻ"), (0xD5, "ế"), (0xDC, "ĩ"), (0xE1, "ỏ"), (0xF1, "ủ"), (0xFE, "ỵ")],
)
def test_tcvn3_table_matches_the_abc_charset(code: int, letter: str) -> None:
    assert convert_legacy(bytes([code]), "TCVN3") == letter


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI", "Windows-1258"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_round_trip(encoding: str, sentence: str) -> None:
    encoded = encode_legacy(sentence, encoding)
    assert encoded != sentence.encode("utf-8")
    assert convert_legacy(encoded, encoding) == sentence


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
@pytest.mark.parametrize("read_as", ["cp1252", "latin-1"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_mojibake_inside_utf8_is_repaired(encoding: str, read_as: str, sentence: str) -> None:
    mojibake = encode_legacy(sentence, encoding).decode(read_as)
    assert convert_legacy(mojibake, encoding) == sentence


@pytest.mark.parametrize(
    ("legacy", "encoding", "expected"),
    [
        ("Ngµy N­íc thÕ giíi", "TCVN3", "Ngày Nước thế giới"),
        ("TiÕng ViÖt rÊt hay", "TCVN3", "Tiếng Việt rất hay"),
        ("Ninh B×nh", "TCVN3", "Ninh Bình"),
        ("Ngaøy Nöôùc theá giôùi", "VNI", "Ngày Nước thế giới"),
        ("Tieáng Vieät raát hay", "VNI", "Tiếng Việt rất hay"),
        ("Xin chaøo caùc baïn", "VNI", "Xin chào các bạn"),
        ("ÑAØ NAÜNG", "VNI", "ĐÀ NẴNG"),
        ("Ñaø Naüng", "VNI", "Đà Nẵng"),
        ("Aùo Daøi", "VNI", "Áo Dài"),  # Word's Title Case capitalises "aùo" but not its mark
    ],
)
def test_known_legacy_text_converts(legacy: str, encoding: str, expected: str) -> None:
    assert convert_legacy(legacy, encoding) == expected


def test_windows_1258_decodes_to_composed_text() -> None:
    raw = encode_legacy("Thời khắc quan trọng", "cp1258")
    assert raw.decode("cp1258") != "Thời khắc quan trọng"  # the codec leaves tone marks combining
    assert convert_legacy(raw, "cp1258") == "Thời khắc quan trọng"
    assert convert_legacy(raw.decode("cp1258"), "Windows-1258") == "Thời khắc quan trọng"


def test_legacy_punctuation_survives() -> None:
    text = "“Giờ Trái đất” — 20:30"
    for encoding in ("TCVN3", "VNI", "cp1258"):
        assert convert_legacy(encode_legacy(text, encoding), encoding) == text


def test_encoding_names_are_forgiving_but_checked() -> None:
    assert convert_legacy(b"Ng\xb5y", "tcvn3") == convert_legacy(b"Ng\xb5y", "ABC") == "Ngày"
    assert convert_legacy(b"Nga\xf8y", "vni-windows") == "Ngày"
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        convert_legacy(b"x", "VISCII")


def test_characters_an_encoding_cannot_carry_are_refused() -> None:
    with pytest.raises(ValueError, match="VNI"):
        encode_legacy("Zürich", "VNI")  # VNI-Times draws 0xFC as a tone mark, not ü
    with pytest.raises(ValueError):
        encode_legacy("Giờ Trái đất 🌍", "TCVN3")


VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + tuple(string.ascii_letters + string.digits + " .,:;!?-—“”()")),
    max_size=60,
)


@given(VIETNAMESE_TEXT)
def test_any_vietnamese_text_round_trips_through_vni_and_windows_1258(text: str) -> None:
    for encoding in ("VNI", "Windows-1258"):
        assert convert_legacy(encode_legacy(text, encoding), encoding) == text
    assert convert_legacy(encode_legacy(text, "VNI").decode("cp1252"), "VNI") == text


@given(VIETNAMESE_TEXT.map(lambda text: "".join(ch.lower() if ch in VIETNAMESE_LETTERS else ch for ch in text)))
def test_any_tcvn3_representable_text_round_trips(text: str) -> None:
    assert convert_legacy(encode_legacy(text, "TCVN3"), "TCVN3") == text
    assert convert_legacy(encode_legacy(text, "TCVN3").decode("cp1252"), "TCVN3") == text


# --- Legacy encodings: mojibake detection -----------------------------------------------------------


def document_with(line: str) -> str:
    return f"---\ntitle: Ngày Nước thế giới\n---\n\n{VIETNAMESE_ARTICLE}\n{line}\nĐoạn cuối đúng chính tả.\n"


MOJIBAKE_LINE = 6 + VIETNAMESE_ARTICLE.count("\n")


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_mojibake_is_found_with_its_line(encoding: str, sentence: str) -> None:
    mojibake = encode_legacy(sentence, encoding).decode("cp1252")
    found = detect_mojibake(document_with(mojibake))
    assert found is not None
    assert found[:2] == (encoding, MOJIBAKE_LINE)
    assert found[2].removesuffix("…") in mojibake


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ngµy N­íc thÕ giíi", ("TCVN3", 1, "Ngµy N­íc thÕ giíi")),
        ("Ngaøy Nöôùc theá giôùi", ("VNI", 1, "Ngaøy Nöôùc theá giôùi")),
        ("Tiêu đề\n\nHµ Néi", ("TCVN3", 3, "Hµ Néi")),
        ("Tiêu đề\r\nXin chaøo caùc baïn", ("VNI", 2, "Xin chaøo caùc baïn")),
    ],
)
def test_short_mojibake_is_found(text: str, expected: tuple[str, int, str]) -> None:
    assert detect_mojibake(text) == expected


@pytest.mark.parametrize(
    "text",
    [VIETNAMESE_ARTICLE, FOREIGN_TEXT, CODE, *SENTENCES, "5 µm", "Où ? Là où tu vas, aún.", ""],
    ids=["vietnamese", "foreign", "code", "sentence-1", "sentence-2", "sentence-3", "unit", "où", "empty"],
)
def test_correct_text_is_not_mistaken_for_mojibake(text: str) -> None:
    assert detect_mojibake(text) is None


def test_correct_vietnamese_in_any_case_is_not_mojibake() -> None:
    assert detect_mojibake(" ".join(VIETNAMESE_LETTERS)) is None
    assert detect_mojibake(VIETNAMESE_ARTICLE.upper()) is None
    assert detect_mojibake(VIETNAMESE_ARTICLE.title()) is None


@pytest.mark.parametrize(
    "word", ["người", "Thủy", "thuỷ", "NGÀY", "quốc", "khuya", "nghiêng", "giữ", "xoong", "hoặc", "Nước"]
)
def test_vietnamese_syllables_are_recognised(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["café", "Müller", "thÕ", "giíi", "Ngaøy", "àt", "nGày", "hóàng", "Straße"])
def test_non_syllables_are_rejected(word: str) -> None:
    assert not is_vietnamese_syllable(word)


# --- Tone placement ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("main_vowel", "traditional"),
    [
        ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"),
        ("oã", "õa"), ("oạ", "ọa"), ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
        ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"), ("Khánh Hoà", "Khánh Hòa"),
        ("HOÀ BÌNH", "HÒA BÌNH"), ("Uỷ ban", "Ủy ban"), ("hoạ sĩ", "họa sĩ"), ("loè xoè", "lòe xòe"),
    ],
)
def test_tone_marks_move_to_the_traditional_place(main_vowel: str, traditional: str) -> None:
    assert tone_normalise(main_vowel) == traditional
    assert tone_normalise(traditional) == traditional


@pytest.mark.parametrize(
    "word", ["hoàng", "quý", "quỳnh", "thuở", "giữ", "thuế", "ngoài", "khuya", "khuỷu", "hoặc", "toán", "Nguyễn"]
)
def test_other_syllables_keep_their_marks(word: str) -> None:
    assert tone_normalise(word) == word


def test_tone_placement_does_not_change_sorting_or_search() -> None:
    assert sort_key("Thuỷ lợi Khánh Hoà") == sort_key("Thủy lợi Khánh Hòa")
    assert fold("khoẻ") == fold("khỏe") == "khoe"


def test_tone_normalise_composes_decomposed_input() -> None:
    assert tone_normalise(unicodedata.normalize("NFD", "hoà")) == "hòa"


# --- Slugs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đường", "duong"),
        ("Giờ Trái đất 2023", "gio-trai-dat-2023"),
        ("Ngày Nước thế giới năm 2023: Thúc đẩy sự thay đổi", "ngay-nuoc-the-gioi-nam-2023-thuc-day-su-thay-doi"),
        ("Sở Công Thương tỉnh Bình Thuận", "so-cong-thuong-tinh-binh-thuan"),
        ("🌍 Giờ Trái đất 🌏", "gio-trai-dat"),
        ("🌍🌏", ""),
        ("../..", ""),
        ("..", ""),
        ("a/b\\c", "a-b-c"),
        ("", ""),
        ("ＡＢＣ ﬁnal", "abc-final"),
        (unicodedata.normalize("NFD", "Khánh Hoà"), "khanh-hoa"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text())
def test_slugify_always_gives_a_safe_slug(title: str) -> None:
    slug = slugify(title)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slugify(title) == slug


# --- Sorting -------------------------------------------------------------------------------------


def test_vietnamese_letters_sort_after_their_base() -> None:
    letters = ["ư", "u", "đ", "d", "e", "ê", "ă", "a", "b", "â"]
    assert sorted(letters) != ["a", "ă", "â", "b", "d", "đ", "e", "ê", "u", "ư"]  # code points disagree
    assert vi_sorted(letters) == ["a", "ă", "â", "b", "d", "đ", "e", "ê", "u", "ư"]


def test_full_alphabet_order_including_loan_letters() -> None:
    alphabet = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    assert vi_sorted(reversed(alphabet)) == alphabet
    assert vi_sorted([letter.upper() for letter in reversed(alphabet)]) == [letter.upper() for letter in alphabet]


def test_tones_sort_in_dictionary_order() -> None:
    assert vi_sorted("mạ má mã mả mà ma".split()) == "ma mà mả mã má mạ".split()


def test_tones_only_break_ties_between_equal_letters() -> None:
    assert vi_sorted(["mác", "mạ", "mai", "ma", "mà"]) == ["ma", "mà", "mạ", "mác", "mai"]
    assert vi_sorted(["Đà Nẵng", "đá", "da", "Dạ", "Đà Lạt"]) == ["da", "Dạ", "đá", "Đà Lạt", "Đà Nẵng"]


def test_sorting_ignores_case_then_puts_lowercase_first() -> None:
    assert vi_sorted(["Bình", "an", "Ân", "ăn", "hòa", "Hòa"]) == ["an", "ăn", "Ân", "Bình", "hòa", "Hòa"]


def test_vi_sorted_with_key_and_reverse() -> None:
    tags = [{"name": "Tiết kiệm điện"}, {"name": "Giờ Trái đất"}, {"name": "Đất"}, {"name": "Dầu"}]
    assert [tag["name"] for tag in vi_sorted(tags, key=lambda tag: tag["name"])] == [
        "Dầu", "Đất", "Giờ Trái đất", "Tiết kiệm điện",
    ]
    assert vi_sorted(["a", "b", "ă"], reverse=True) == ["b", "ă", "a"]


@given(st.lists(st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS + tuple("abcdeghiklmnopqrstuvxy ")))))
def test_vietnamese_order_does_not_depend_on_input_order(words: list[str]) -> None:
    keys = [sort_key(word) for word in vi_sorted(words)]
    assert keys == sorted(keys) == [sort_key(word) for word in vi_sorted(list(reversed(words)))]


# --- Search --------------------------------------------------------------------------------------


def test_fold_makes_every_spelling_of_a_name_equal() -> None:
    assert fold("Khánh Hòa") == fold("KHÁNH HOÀ") == fold("khanh hoa") == "khanh hoa"
    assert fold(unicodedata.normalize("NFD", "Đường")) == "duong"


def test_search_tokens() -> None:
    assert search_tokens("Giờ Trái Đất 2023: tắt đèn, bật ý thức!") == [
        "gio", "trai", "dat", "2023", "tat", "den", "bat", "y", "thuc",
    ]
    assert search_tokens("") == []


# --- Dates ---------------------------------------------------------------------------------------


def test_date_forms() -> None:
    assert date_long(date(2023, 3, 25)) == "Thứ Bảy, 25/03/2023"
    assert date_long(date(2023, 3, 26)) == "Chủ Nhật, 26/03/2023"
    assert date_long(date(2023, 3, 20)) == "Thứ Hai, 20/03/2023"
    assert date_long(date(2024, 2, 29)) == "Thứ Năm, 29/02/2024"
    assert date_admin(date(2023, 3, 21)) == "ngày 21 tháng 3 năm 2023"
    # Decree 30/2020/NĐ-CP: a leading zero for days below 10 and for January and February
    assert date_admin(date(2023, 2, 5)) == "ngày 05 tháng 02 năm 2023"
    assert date_admin(date(2023, 4, 7)) == "ngày 07 tháng 4 năm 2023"
    assert date_short(date(2023, 3, 25)) == "25/03/2023"
    assert date_short(date(2024, 2, 29)) == "29/02/2024"


def test_times_are_shown_on_vietnam_clocks() -> None:
    evening = datetime(2023, 3, 25, 20, 30, tzinfo=TZ)
    assert time_hm(evening) == "20:30"
    assert time_hm(time(8, 5)) == "08:05"
    late_utc = datetime(2023, 3, 25, 18, 30, tzinfo=UTC)  # 01:30 on Sunday in Vietnam
    assert (time_hm(late_utc), date_long(late_utc)) == ("01:30", "Chủ Nhật, 26/03/2023")
    assert date_admin(late_utc) == "ngày 26 tháng 3 năm 2023"


def test_time_zone_is_vietnam() -> None:
    assert TZ.key == "Asia/Ho_Chi_Minh"
    assert datetime(2023, 3, 25, tzinfo=TZ).utcoffset().total_seconds() == 7 * 3600


@pytest.mark.parametrize("text", ["2023-03-25", "25/03/2023", "25/3/2023", " 25/3/2023 "])
def test_parse_vn_date(text: str) -> None:
    assert parse_vn_date(text) == date(2023, 3, 25)


def test_parse_vn_date_accepts_a_leap_day_only_in_leap_years() -> None:
    assert parse_vn_date("29/02/2024") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="tháng 2 năm 2023 chỉ có 28 ngày"):
        parse_vn_date("29/02/2023")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("32/13/2023", "không có tháng 13"),
        ("32/01/2023", "không có ngày 32"),
        ("2023-04-31", "tháng 4 năm 2023 chỉ có 30 ngày"),
        ("25.03.2023", "không hiểu"),
        ("25/03/23", "không hiểu"),
        ("hôm nay", "không hiểu"),
        ("٢٥/٠٣/٢٠٢٣", "không hiểu"),  # Arabic-Indic digits are not a date authors type
    ],
)
def test_impossible_dates_are_refused_in_vietnamese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_vn_date(text)


@given(st.lists(st.sampled_from(["Hoà", "hòa", "HOÀ", "thuỷ", "thủy", "lợi", "Nước", "nuoc", "2023", "_", "-", " ",
                                 "\n", "o\u0300a", "Đ", "khoẻ", "x", "ÁNH", "ánh", "\t", "\xa0", "\u2028", "\x1c", ",",
                                 ".", "(", "“", "’s", "²", "٣"]), max_size=30).map("".join))
def test_distinct_index_terms_are_the_set_of_index_terms(text: str) -> None:
    assert distinct_index_terms(text) == set(index_terms(text))
