import datetime as dt

import pytest

from lib.thai import (
    MONTHS_ABBR,
    MONTHS_FULL,
    be_to_ce,
    ce_to_be,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_of,
    format_thai_date,
    month_number,
    parse_number,
    quarter_bounds,
    quarters_between,
    read_period,
    shorten,
    to_arabic_digits,
    to_thai_digits,
)

D = dt.date


def test_digits_round_trip():
    assert to_arabic_digits("๒๕๖๘") == "2568"
    assert to_arabic_digits("ต.ค. ๒๕๖๖ - ก.ย. 2567") == "ต.ค. 2566 - ก.ย. 2567"
    assert to_thai_digits("2568") == "๒๕๖๘"
    assert to_thai_digits("ปี 2568 ข้อ 1") == "ปี ๒๕๖๘ ข้อ ๑"
    assert to_arabic_digits("") == ""


def test_years():
    assert be_to_ce(2568) == 2025
    assert ce_to_be(2025) == 2568


def test_month_lists():
    assert len(MONTHS_FULL) == 12 and MONTHS_FULL[0] == "มกราคม" and MONTHS_FULL[9] == "ตุลาคม"
    assert MONTHS_ABBR[0] == "ม.ค." and MONTHS_ABBR[11] == "ธ.ค."


@pytest.mark.parametrize(
    "word", ["ตุลาคม", "ต.ค.", "ต.ค", "ตค.", "ตค", "ต. ค.", " ต.ค. ", "เดือนตุลาคม"]
)
def test_month_number_october(word):
    assert month_number(word) == 10


def test_month_number_others():
    assert month_number("มกราคม") == 1
    assert month_number("เม.ย.") == 4
    assert month_number("มิ.ย") == 6
    assert month_number("ธันวาคม") == 12
    assert month_number("ปีงบประมาณ") is None
    assert month_number("") is None


def test_fiscal_year_and_quarter_boundaries():
    assert fiscal_year_of(D(2024, 9, 30)) == 2567
    assert fiscal_year_of(D(2024, 10, 1)) == 2568
    assert fiscal_year_of(D(2024, 12, 31)) == 2568
    assert fiscal_year_of(D(2025, 1, 1)) == 2568
    assert fiscal_year_of(D(2025, 9, 30)) == 2568
    assert fiscal_quarter_of(D(2024, 9, 30)) == 4
    assert fiscal_quarter_of(D(2024, 10, 1)) == 1
    assert fiscal_quarter_of(D(2024, 12, 31)) == 1
    assert fiscal_quarter_of(D(2025, 1, 1)) == 2
    assert fiscal_quarter_of(D(2025, 4, 1)) == 3
    assert fiscal_quarter_of(D(2025, 7, 1)) == 4


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2568) == (D(2024, 10, 1), D(2025, 9, 30))


def test_quarter_bounds_2568():
    assert quarter_bounds(2568, 1) == (D(2024, 10, 1), D(2024, 12, 31))
    assert quarter_bounds(2568, 2) == (D(2025, 1, 1), D(2025, 3, 31))
    assert quarter_bounds(2568, 3) == (D(2025, 4, 1), D(2025, 6, 30))
    assert quarter_bounds(2568, 4) == (D(2025, 7, 1), D(2025, 9, 30))
    with pytest.raises(ValueError):
        quarter_bounds(2568, 5)


def test_quarters_between():
    assert quarters_between(D(2024, 10, 1), D(2025, 9, 30), 2568) == [1, 2, 3, 4]
    assert quarters_between(D(2024, 12, 31), D(2025, 1, 1), 2568) == [1, 2]
    assert quarters_between(D(2023, 1, 1), D(2025, 2, 1), 2568) == [1, 2]
    assert quarters_between(D(2022, 1, 1), D(2022, 2, 1), 2568) == []


def test_format_thai_date():
    assert format_thai_date(D(2025, 1, 2)) == "2 ม.ค. 2568"
    assert format_thai_date(D(2025, 1, 2), abbr=False) == "2 มกราคม 2568"
    assert format_thai_date(D(2024, 10, 31), thai_digits=True) == "๓๑ ต.ค. ๒๕๖๗"


@pytest.mark.parametrize(
    "text, value",
    [
        ("20,000.00", 20000.0),
        ("๒๐๐๐๐", 20000.0),
        ("1,234", 1234.0),
        ("-5", -5.0),
        ("12.5", 12.5),
        ("20,000 บาท", 20000.0),
        ("๑,๒๓๔.๕๐", 1234.5),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["ไม่ใช้งบประมาณ", "1 2", "", "10-20"])
def test_parse_number_none(text):
    assert parse_number(text) is None


def _check(period, start, end, quarters, fy):
    assert period.readable is True, period.note
    assert (period.start, period.end) == (start, end)
    assert period.quarters == quarters
    assert period.fiscal_year == fy


@pytest.mark.parametrize(
    "text, start, end, quarters, fy",
    [
        ("ต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗", D(2023, 10, 1), D(2024, 9, 30), (1, 2, 3, 4), 2567),
        ("ต.ค. 2566 - ก.ย. 2567", D(2023, 10, 1), D(2024, 9, 30), (1, 2, 3, 4), 2567),
        ("ตุลาคม ๒๕๖๗ - เมษายน ๒๕๖๘", D(2024, 10, 1), D(2025, 4, 30), (1, 2, 3), 2568),
        ("ตุลาคม ๒๕๖๗ - ธันวาคม ๒๕๖๗", D(2024, 10, 1), D(2024, 12, 31), (1,), 2568),
        ("ตุลาคม ๒๕๖๗ - กันยายน ๒๕๖๘", D(2024, 10, 1), D(2025, 9, 30), (1, 2, 3, 4), 2568),
        ("๒ มกราคม - ๓๐ มิถุนายน ๒๕๖๘", D(2025, 1, 2), D(2025, 6, 30), (2, 3), 2568),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๙", D(2025, 10, 1), D(2026, 9, 30), (1, 2, 3, 4), 2569),
        ("๑ ตุลาคม ๒๕๖๕ ถึง ๓๐ กันยายน ๒๕๖๖", D(2022, 10, 1), D(2023, 9, 30), (1, 2, 3, 4), 2566),
        (
            "ตั้งแต่วันที่ ๑ ตุลาคม ๒๕๖๕ ถึง ๓๐ กันยายน ๒๕๖๖",
            D(2022, 10, 1), D(2023, 9, 30), (1, 2, 3, 4), 2566,
        ),
        ("เดือนตุลาคม ๒๕๖๕ - มีนาคม ๒๕๖๖", D(2022, 10, 1), D(2023, 3, 31), (1, 2), 2566),
        ("๑ ต.ค. ๒๕๖๕ – ๓๑ มี.ค. ๒๕๖๖", D(2022, 10, 1), D(2023, 3, 31), (1, 2), 2566),
        ("  ต.ค.   2566  —  ก.ย.  2567 ", D(2023, 10, 1), D(2024, 9, 30), (1, 2, 3, 4), 2567),
        ("๒ พฤศจิกายน - ๓๑ มกราคม ๒๕๖๘", D(2024, 11, 2), D(2025, 1, 31), (1, 2), 2568),
        ("มีนาคม ๒๕๖๖", D(2023, 3, 1), D(2023, 3, 31), (2,), 2566),
        ("๑๕ มีนาคม ๒๕๖๖", D(2023, 3, 15), D(2023, 3, 15), (2,), 2566),
        ("29 กุมภาพันธ์ 2567", D(2024, 2, 29), D(2024, 2, 29), (2,), 2567),
    ],
)
def test_read_period(text, start, end, quarters, fy):
    period = read_period(text)
    _check(period, start, end, quarters, fy)
    assert period.text == text.strip()
    assert period.recurrence is None


def test_read_period_recurring_whole_fiscal_year():
    text = "เป็นประจำทุกเดือน, รอบไตรมาส, รอบ ๖ เดือน ในปีงบประมาณ พ.ศ.๒๕๖๘"
    period = read_period(text)
    _check(period, D(2024, 10, 1), D(2025, 9, 30), (1, 2, 3, 4), 2568)
    assert period.recurrence == "รายเดือน, รายไตรมาส, รอบ 6 เดือน"
    assert period.text == text


def test_read_period_months_without_year_need_fiscal_year():
    period = read_period("ตุลาคม - ธันวาคม", fiscal_year=2568)
    _check(period, D(2024, 10, 1), D(2024, 12, 31), (1,), 2568)
    assert "ปีงบประมาณ" in period.note

    period = read_period("ต.ค. - มี.ค.", fiscal_year=2568)
    _check(period, D(2024, 10, 1), D(2025, 3, 31), (1, 2), 2568)

    period = read_period("ตุลาคม - ธันวาคม")
    assert period.readable is False and period.start is None and period.note


def test_read_period_caller_fiscal_year_clips_quarters():
    period = read_period("ต.ค. ๒๕๖๖ - ธ.ค. ๒๕๖๗", fiscal_year=2568)
    _check(period, D(2023, 10, 1), D(2024, 12, 31), (1,), 2568)

    period = read_period("มีนาคม ๒๕๖๖", fiscal_year=2568)
    _check(period, D(2023, 3, 1), D(2023, 3, 31), (), 2568)
    assert "2568" in period.note


@pytest.mark.parametrize(
    "text",
    [
        "ภายในระยะเวลาที่กำหนด",
        "",
        "ทุกวัน",
        "ต.ค. 2566 - ก.ย. 2565",
        "31 กุมภาพันธ์ 2567",
        "ตุลาคม 2024",
        "ปีงบประมาณ 2025",
        "ต.ค. 66 - ก.ย. 67",
        "ต.ค. 2566 - ก.ย. 2567 - ธ.ค. 2567",
    ],
)
def test_read_period_unreadable(text):
    period = read_period(text)
    assert period.readable is False
    assert (period.start, period.end, period.quarters) == (None, None, ())
    assert period.note


def test_read_period_ce_year_note():
    assert "ค.ศ." in read_period("ตุลาคม 2024").note


def test_read_period_daily_recurrence_is_reported_but_unreadable():
    period = read_period("ทุกวัน", fiscal_year=2568)
    assert period.readable is False
    assert period.recurrence == "รายวัน"


def test_read_period_quarter_of_fiscal_year():
    period = read_period("ไตรมาสที่ ๒ ปีงบประมาณ พ.ศ. ๒๕๖๘")
    _check(period, D(2025, 1, 1), D(2025, 3, 31), (2,), 2568)
    assert read_period("ไตรมาสที่ 5 ปีงบประมาณ 2568").readable is False
    assert read_period("ไตรมาสที่ 2").readable is False


def test_read_period_day_range_within_one_month():
    period = read_period("ระหว่างวันที่ ๑ - ๑๕ ต.ค. ๒๕๖๗")
    _check(period, D(2024, 10, 1), D(2024, 10, 15), (1,), 2568)


@pytest.mark.parametrize("text, invalid", [
    ("31 กุมภาพันธ์ 2567", True),
    ("ต.ค. 2024 - ก.ย. 2025", True),
    ("ต.ค. 2566 - ก.ย. 2565", True),
    ("ปีงบประมาณ พ.ศ. 2025", True),
    ("ภายในระยะเวลาที่กำหนด", False),
    ("ทุกวัน", False),
])
def test_impossible_dates_are_invalid_not_just_unreadable(text, invalid):
    period = read_period(text)
    assert not period.readable
    assert period.invalid is invalid


# Real strings from PDF text layers of the corpus (tests/pdfs): pdfminer's reading of the
# Laksaman rendering keeps TH Sarabun's private-use marks; of the Sarabun rendering, sara am as
# nikhahit + sara aa and unmapped glyphs as U+0000; the rest as other extractors give them.
@pytest.mark.parametrize("damaged, typed", [
    ("รายงานผลการดําเนินการเพ่ือส\uf70aงเสริมคุณธรรมและความโปร\uf70aงใสภายในหน\uf70aวยงาน",
     "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),  # เพ่ือ: tone before sara uee
    ("หัวข\uf70bอการ ประเด็นที่เป็นข\uf70bอบกพร\uf70aองหรือ", "หัวข้อการ ประเด็นที่เป็นข้อบกพร่องหรือ"),
    ("ผลลัพธ\uf70eหรือความ", "ผลลัพธ์หรือความ"),
    ("องค์การบริหารส่วนตําบลตะโก", "องค์การบริหารส่วนตำบลตะโก"),
    ("จัดทําโดย\tสํานักงานปลัด", "จัดทำโดย\tสำนักงานปลัด"),
    ("น\u0e49\u0e4d\u0e32ท่วม", "น้ำท่วม"),  # tone, nikhahit, sara aa
    ("น\u0e4d\u0e49\u0e32ท่วม", "น้ำท่วม"),  # nikhahit, tone, sara aa
    ("ด าเนินการ", "ดำเนินการ"),  # the nikhahit lost, a gap left
    ("ส านักงาน จ านวน", "สำนักงาน จำนวน"),
    ("ก ารประเมิน", "การประเมิน"),  # a stray gap, no sara am: the dictionary says so
    # the words around decide: "กา" and "กำ" are both words, only "บริการ" is one (000's own spacing)
    ("เช่น บริเวณ จุดให้บ ริ ก า ร หรือ จุด", "เช่น บริเวณ จุดให้บ ริ กา ร หรือ จุด"),
    # spaced letter by letter, its ร on the next line (000 in Loma, <th> headers, letter): no word decides,
    # and the space is the spacing's, not a lost nikhahit's: the sara aa stays (it was read บริกำร)
    ("บริเวณ จุด ให้ บ ริ ก า", "บริเวณ จุด ให้ บ ริ กา"),
    ("จัด ท า", "จัด ทำ"),
    ("ประเด็นทีเ่ ป็นข้อบกพร่อง", "ประเด็นที่เป็นข้อบกพร่อง"),  # mark after a leading vowel, gap
    ("ตั\u0e49\u0e49งแต่", "ตั้งแต่"),  # a mark repeated by overlapping glyphs
    ("แผนปฏิบัติการป\x00องกัน", "แผนปฏิบัติการปองกัน"),  # an unmapped glyph is dropped, not shown as \x00
    ("ลำดับ\tรายการ\t\t1", "ลำดับ\tรายการ\t\t1"),  # clean text and tabs stay as they are
])
def test_repair_pdf_text(damaged, typed):
    from lib.thai import repair_pdf_text

    assert repair_pdf_text(damaged) == typed


@pytest.mark.parametrize("text, value", [("(20,000.00)", -20000.0), ("\u221220,000.00", -20000.0),
                                         ("–1,500", -1500.0), ("(๒๐,๐๐๐.๐๐) บาท", -20000.0)])
def test_parse_number_never_drops_a_sign(text, value):
    assert parse_number(text) == value


def test_quarter_label_names_thai_months_and_be_year():
    from lib.thai import quarter_label

    assert quarter_label(1) == "ไตรมาส 1 (ต.ค.-ธ.ค.)"
    assert quarter_label(1, 2569) == "ไตรมาส 1 (ต.ค.-ธ.ค. 2568)"
    assert quarter_label(4, 2569) == "ไตรมาส 4 (ก.ค.-ก.ย. 2569)"


def test_shorten_never_parts_a_letter_from_its_marks_or_a_vowel_from_its_letter():
    title = "กิจกรรมเสริมสร้างจิตสำนึก"
    assert shorten(title, 30) == title
    assert shorten(title, 9) == "กิจกรรม…"  # not "กิจกรรมเ…": เ is written before ส
    assert shorten(title, 10) == "กิจกรรมเส…"
    assert shorten("กิจกรรม", 2) == "…"  # ก without its ิ would be a different word
    for width in range(1, len(title)):
        kept = shorten(title, width).removesuffix("…")
        rest = title[len(kept):]
        assert len(kept) < width and title.startswith(kept)
        assert not rest or rest[0] not in "\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e48\u0e49\u0e4a\u0e4b"
        assert not kept.endswith(("เ", "แ", "โ", "ใ", "ไ"))


def test_reorder_vowels_is_pythainlps_and_skips_its_slow_rules():
    """lib.thai.reorder_vowels gives PyThaiNLP's result on every text: the seeds, texts each rule
    changes, and random runs of Thai letters and marks; and it still knows three of PyThaiNLP's rules
    (a rule PyThaiNLP rewrote would run always: right, but the seed import slower)."""
    import random
    from pathlib import Path

    from pythainlp.util import reorder_vowels as pythainlps
    from pythainlp.util.normalize import _REORDER_PAIRS

    from lib.thai import _REORDER_QUICK, reorder_vowels

    assert sum(pattern in _REORDER_QUICK for pattern, _ in _REORDER_PAIRS) == 3
    seeds = sorted((Path(__file__).resolve().parents[1] / "data" / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    assert len(texts) == 5
    texts += ["เเปลก", "ก้ำ", "ก่ิ", "ก์ุ", "กา่", "ดํ่า", "ฤๅ", "กๅ", "ๅ", "ก ่ิ", "กะ้", "ก่้ีุ"]
    rng = random.Random(14)
    letters = "กขคงจฤฦอ ะัาำิีึืุูเแโใไๅ็่้๊๋์ํ\n"
    texts += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    changed = 0
    for text in texts:
        assert reorder_vowels(text) == pythainlps(text), repr(text)
        changed += pythainlps(text) != text
    assert changed > 1000  # the rules did something on many of them
