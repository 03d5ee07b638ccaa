"""Thai text helpers: digits, Buddhist-Era years, fiscal years/quarters, dates and periods.

Thai fiscal year N (พ.ศ.) runs 1 Oct (N-1) .. 30 Sep N; Q1 = ต.ค.-ธ.ค. ... Q4 = ก.ค.-ก.ย.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pythainlp import thai_above_vowels, thai_below_vowels, thai_follow_vowels, thai_tonemarks
from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit
from pythainlp.util.date import thai_abbr_months, thai_full_months

THAI_TIME = ZoneInfo("Asia/Bangkok")


def today(now: dt.datetime | None = None) -> dt.date:
    """The date in Thailand at `now` (default: now): the one place the product asks for "today"
    (a server in UTC is still on yesterday until 07:00 Thai time); tests pass their own date in
    by replacing this function."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(THAI_TIME).date()


BE_OFFSET = 543
MONTHS_FULL: tuple[str, ...] = tuple(thai_full_months)
MONTHS_ABBR: tuple[str, ...] = tuple(thai_abbr_months)
_QUARTER_START_MONTH = (10, 1, 4, 7)


# Control characters: C0 but tab, line feed and carriage return; DEL; C1 (U+0080-U+009F); the
# directional embeddings, overrides and isolates that reorder what a reader sees ("Trojan Source");
# interlinear annotation marks; a byte-order mark inside text; lone surrogates (not text at all) and
# the non-characters U+FFFE/U+FFFF. Line and paragraph separators become line feeds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                      "\ufff9-\ufffb\ufeff\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = re.compile("[\u2028\u2029]")


def clean_text(text: str) -> str:
    """Text as the product keeps it: control characters taken out (tab and line breaks stay). The one
    cleaner of every text that comes in (documents, uploads, forms, the reporting grid, in-place
    edits) and of every spreadsheet cell that goes out (lib/sheets.py)."""
    return _CONTROL.sub("", _SEPARATORS.sub("\n", text))


def control_count(text: str) -> int:
    """How many characters clean_text takes out (or turns into line feeds)."""
    return len(_CONTROL.findall(text)) + len(_SEPARATORS.findall(text))


_FOLLOWING_MARK = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")  # ั ำ ิ-ฺ ็-๎
_LEADING_VOWEL = "\u0e40\u0e41\u0e42\u0e43\u0e44"


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` characters with "…", never between a Thai letter and the marks
    written above or below it, nor after a vowel written before the next letter (เ แ โ ใ ไ): a cut
    there leaves a mark on the "…" or a vowel without its letter."""
    if len(text) <= width:
        return text
    end = width - 1
    while end > 0 and (_FOLLOWING_MARK.match(text[end]) or text[end - 1] in _LEADING_VOWEL):
        end -= 1
    return text[:end].rstrip() + "…"


def to_arabic_digits(text: str) -> str:
    return thai_digit_to_arabic_digit(text) if text else text


def to_thai_digits(text: str) -> str:
    return arabic_digit_to_thai_digit(text) if text else text


def be_to_ce(year: int) -> int:
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    return year + BE_OFFSET


def _month_key(word: str) -> str:
    return re.sub(r"[\s.]", "", word)


_MONTH_KEYS = {
    **{_month_key(name): i for i, name in enumerate(MONTHS_FULL, 1)},
    **{_month_key(abbr): i for i, abbr in enumerate(MONTHS_ABBR, 1)},
}


def month_number(word: str) -> int | None:
    """'ตุลาคม', 'ต.ค.', 'ต.ค', 'ตค.', 'ต. ค.' -> 10; None if not a month."""
    key = _month_key(word or "")
    if key.startswith("เดือน"):
        key = key[len("เดือน"):]
    return _MONTH_KEYS.get(key)


def fiscal_year_of(day: dt.date) -> int:
    return ce_to_be(day.year) + (1 if day.month >= 10 else 0)


def fiscal_quarter_of(day: dt.date) -> int:
    return (day.month - 10) % 12 // 3 + 1


def fiscal_year_bounds(fy_be: int) -> tuple[dt.date, dt.date]:
    ce = be_to_ce(fy_be)
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_bounds(fy_be: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    month = _QUARTER_START_MONTH[quarter - 1]
    year = be_to_ce(fy_be) - (1 if quarter == 1 else 0)
    return dt.date(year, month, 1), _month_end(year, month + 2)


def quarter_label(quarter: int, fy_be: int | None = None) -> str:
    """'ไตรมาส 1 (ต.ค.-ธ.ค.)', with the years when the fiscal year is given: 'ไตรมาส 1 (ต.ค.-ธ.ค. 2568)'."""
    start, end = quarter_bounds(fy_be or 2569, quarter)
    months = f"{MONTHS_ABBR[start.month - 1]}-{MONTHS_ABBR[end.month - 1]}"
    return f"ไตรมาส {quarter} ({months}{f' {ce_to_be(end.year)}' if fy_be else ''})"


def period_far_from(period, fiscal_year: int | None) -> bool:
    """A period (start, end) outside the fiscal year and the years beside it: read from a scan, its
    year is OCR's (๒๕๖๗ as ๒๕๒๑, 1978), no period of the document, and asked like one OCR cannot read."""
    return fiscal_year is not None and any(abs(fiscal_year_of(day) - fiscal_year) > 1 for day in (period.start, period.end))


def quarters_between(start: dt.date, end: dt.date, fy_be: int) -> list[int]:
    out = []
    for q in (1, 2, 3, 4):
        q_start, q_end = quarter_bounds(fy_be, q)
        if q_start <= end and q_end >= start:
            out.append(q)
    return out


def format_thai_date(day: dt.date, abbr: bool = True, thai_digits: bool = False) -> str:
    month = (MONTHS_ABBR if abbr else MONTHS_FULL)[day.month - 1]
    text = f"{day.day} {month} {ce_to_be(day.year)}"
    return to_thai_digits(text) if thai_digits else text


_NUMBER_RE = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


_MINUS = str.maketrans({c: "-" for c in "\u2212\u2012\u2013\u2014\ufe63\uff0d"})  # minus signs and dashes
_ACCOUNTING_NEGATIVE = re.compile(r"^\s*\(\s*([\d,.]+)\s*\)\s*(?:บาท)?\s*$")


def parse_number(text: str) -> float | None:
    """The one number in `text` ('20,000.00 บาท' -> 20000.0); None for zero or several. A sign
    is never lost: U+2212 and dashes before the digits, and accounting's (20,000.00), are negative."""
    text = to_arabic_digits(text or "").translate(_MINUS)
    accounting = _ACCOUNTING_NEGATIVE.match(text)
    if accounting:
        text = "-" + accounting.group(1)
    found = _NUMBER_RE.findall(text)
    if len(found) != 1:
        return None
    return float(found[0].replace(",", ""))


@dataclass(frozen=True)
class Period:
    text: str
    start: dt.date | None
    end: dt.date | None
    quarters: tuple[int, ...]
    fiscal_year: int | None
    recurrence: str | None
    readable: bool
    note: str | None
    invalid: bool = False  # the text states something impossible (a CE year, 31 Feb, end before start)


_RECURRENCES = (
    (r"ทุกวัน|รายวัน", "รายวัน"),
    (r"ทุกสัปดาห์|รายสัปดาห์", "รายสัปดาห์"),
    (r"ทุกเดือน|รายเดือน|เดือนละ", "รายเดือน"),
    (r"รอบไตรมาส|รายไตรมาส|ทุกไตรมาส|ไตรมาสละ", "รายไตรมาส"),
    (r"(?:รอบ|ทุก)\s*6\s*เดือน|รายครึ่งปี|ทุกครึ่งปี", "รอบ 6 เดือน"),
    (r"รายปี|ทุกปี|ปีละ", "รายปี"),
)
_ERA_RE = r"[พค]\.\s*ศ\.?"
_FY_RE = re.compile(rf"(?:ใน)?ปี ?งบ(?:ประมาณ)?\s*(?:{_ERA_RE})?\s*(\d{{4}})")
# Only unambiguous month spellings (full names, dotted abbreviations) count as a mention.
_MONTH_MENTION_RE = re.compile(
    "|".join(
        [*MONTHS_FULL]
        + [r"\.\s*".join(map(re.escape, a.rstrip(".").split("."))) + r"\.?" for a in MONTHS_ABBR]
    )
)
_QUARTER_RE = re.compile(r"(?<!รอบ)(?<!ราย)(?<!ทุก)ไตรมาส(?:ที่)?\s*(\d+)")
_FILLER_RE = re.compile(rf"ตั้งแต่|ระหว่าง|วันที่|เดือน|{_ERA_RE}")
_SEPARATOR_RE = re.compile(r"\s*(?:-|–|—|ถึง)\s*")
_PART_RE = re.compile(r"(?:(\d{1,2})\s*)?(\D+?)\s*(\d{4})?")
_MIN_BE_YEAR = 2400


class _Unreadable(Exception):
    pass


class _Invalid(_Unreadable):
    """The text is readable but states an impossible date: an input error, not free text."""


def _ce_year_note(year: int) -> str:
    return f"ปี {year} ดูเหมือนเป็นปี ค.ศ. ไม่ใช่ พ.ศ. จึงไม่อ่านช่วงเวลานี้"


def _parse_part(part: str) -> tuple[int | None, int, int | None]:
    m = _PART_RE.fullmatch(part.strip())
    month = month_number(m.group(2)) if m else None
    if month is None:
        raise _Unreadable(f"อ่านวันที่/เดือนไม่ออก: '{part.strip()}'")
    day = int(m.group(1)) if m.group(1) else None
    year = int(m.group(3)) if m.group(3) else None
    if year is not None and year < _MIN_BE_YEAR:
        raise _Invalid(_ce_year_note(year))
    return day, month, year


def _year_from_fiscal(month: int, fy_be: int) -> int:
    return fy_be - 1 if month >= 10 else fy_be


def _read_range(text: str, default_fy: int | None) -> tuple[dt.date, dt.date, str | None]:
    parts = _SEPARATOR_RE.split(text.strip())
    if len(parts) > 2 or not all(p.strip() for p in parts):
        raise _Unreadable("รูปแบบช่วงเวลาไม่ชัดเจน ต้องเป็น 'เริ่ม - สิ้นสุด'")
    d2, m2, y2 = _parse_part(parts[-1])  # a single part is both start and end
    if re.fullmatch(r"\d{1,2}", parts[0].strip()):  # '1 - 15 ต.ค. 2567'
        d1, m1, y1 = int(parts[0]), m2, y2
    else:
        d1, m1, y1 = _parse_part(parts[0])
    note = None
    if y1 is None and y2 is None:
        if default_fy is None:
            raise _Unreadable("ไม่ระบุปี และไม่ทราบปีงบประมาณ จึงอ่านช่วงเวลาไม่ได้")
        y1, y2 = _year_from_fiscal(m1, default_fy), _year_from_fiscal(m2, default_fy)
        note = f"ไม่ระบุปีในข้อความ จึงใช้ปีตามปีงบประมาณ พ.ศ. {default_fy}"
    elif y1 is None:
        y1 = y2 if m1 <= m2 else y2 - 1
    elif y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1
    try:
        start = dt.date(be_to_ce(y1), m1, d1 or 1)
        end = dt.date(be_to_ce(y2), m2, d2) if d2 else _month_end(be_to_ce(y2), m2)
    except ValueError:
        raise _Invalid("วันที่ไม่มีอยู่จริงในปฏิทิน") from None
    if end < start:
        raise _Invalid("วันสิ้นสุดอยู่ก่อนวันเริ่มต้น")
    return start, end, note


def read_period(text: str, fiscal_year: int | None = None) -> Period:
    """Read a Thai period such as 'ต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗' or 'ปีงบประมาณ พ.ศ. ๒๕๖๙'.

    Never guesses: anything ambiguous comes back readable=False with a Thai note.
    """
    raw = (text or "").strip()
    s = " ".join(to_arabic_digits(raw).split())
    recurrence = ", ".join(label for pat, label in _RECURRENCES if re.search(pat, s)) or None

    def unreadable(note: str, invalid: bool = False) -> Period:
        return Period(raw, None, None, (), fiscal_year, recurrence, False, note, invalid)

    if not s:
        return unreadable("ไม่มีข้อความระบุช่วงเวลา")
    fy_match = _FY_RE.search(s)
    fy_text = int(fy_match.group(1)) if fy_match else None
    if fy_text is not None:
        if fy_text < _MIN_BE_YEAR:
            return unreadable(_ce_year_note(fy_text), invalid=True)
        s = (s[: fy_match.start()] + " " + s[fy_match.end():]).strip(" ,")

    note = None
    quarter_match = _QUARTER_RE.search(s)
    if fy_text is not None and quarter_match and not _MONTH_MENTION_RE.search(s):
        quarter = int(quarter_match.group(1))
        if not 1 <= quarter <= 4:
            return unreadable(f"ไม่มีไตรมาสที่ {quarter} (มีเพียง 1-4)", invalid=True)
        start, end = quarter_bounds(fy_text, quarter)
    elif fy_text is not None and not _MONTH_MENTION_RE.search(s):
        start, end = fiscal_year_bounds(fy_text)
    elif fy_text is None and not _MONTH_MENTION_RE.search(s) and recurrence:
        return unreadable("ระบุเพียงรอบการทำซ้ำ ไม่ระบุช่วงวันที่หรือปีงบประมาณ")
    else:
        try:
            start, end, note = _read_range(_FILLER_RE.sub(" ", s), fiscal_year or fy_text)
        except _Unreadable as exc:
            return unreadable(str(exc), invalid=isinstance(exc, _Invalid))

    fy = fiscal_year or fiscal_year_of(start)
    quarters = tuple(quarters_between(start, end, fy))
    if not quarters:
        note = f"ช่วงเวลาไม่อยู่ในปีงบประมาณ พ.ศ. {fy}"
    return Period(raw, start, end, quarters, fy, recurrence, True, note)


# ---- Thai text damaged by PDF extraction (the one place it is repaired) ----------------------

# TH Sarabun-family fonts (and others following the same Windows convention) draw shifted marks
# with private-use glyphs; a PDF's text layer often keeps those code points.
_PUA_MARKS = str.maketrans({
    0xF700: "\u0e10", 0xF701: "\u0e34", 0xF702: "\u0e35", 0xF703: "\u0e36", 0xF704: "\u0e37",
    0xF705: "\u0e48", 0xF706: "\u0e49", 0xF707: "\u0e4a", 0xF708: "\u0e4b", 0xF709: "\u0e4c",
    0xF70A: "\u0e48", 0xF70B: "\u0e49", 0xF70C: "\u0e4a", 0xF70D: "\u0e4b", 0xF70E: "\u0e4c",
    0xF70F: "\u0e0d", 0xF710: "\u0e31", 0xF711: "\u0e4d", 0xF712: "\u0e47", 0xF713: "\u0e48",
    0xF714: "\u0e49", 0xF715: "\u0e4a", 0xF716: "\u0e4b", 0xF717: "\u0e4c", 0xF718: "\u0e38",
    0xF719: "\u0e39", 0xF71A: "\u0e3a",
    0x0000: None, 0xFFFD: None,  # glyphs the PDF maps to nothing
})
# any character _PUA_MARKS maps (a dict translate of every field is slow on text that has none)
_HAS_PUA_MARK = re.compile("[" + re.escape("".join(map(chr, _PUA_MARKS))) + "]")
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_SPACE_BEFORE_MARK = re.compile(f"(?<=[\u0e01-\u0e4e]) +(?=[{_MARKS}])")
_REPEATED_MARK = re.compile(f"([{_MARKS}])\\1+")
# a tone mark never follows a leading vowel (เ แ โ ใ ไ): it was drawn for the consonant before it,
# and a leading vowel never ends a word, so a space after one is a stray gap ("ทีเ่ ป็น")
_MARK_AFTER_LEAD = re.compile("([\u0e40-\u0e44])([\u0e48-\u0e4b])")
_SPACE_AFTER_LEAD = re.compile("(?<=[\u0e01-\u0e4e][\u0e40-\u0e44]) +(?=[\u0e01-\u0e2e])")
# a sara aa after a space never starts a word: the space stands for a lost nikhahit (ดำ -> "ด า")
# or is a stray gap (การ -> "ก าร"); the dictionary decides which
_SPLIT_AM = re.compile("([\u0e01-\u0e2e][\u0e48-\u0e4b]?) \u0e32")
_THAI_RUN = re.compile("[\u0e01-\u0e4e ]+")
_AM_CONTEXT = 12  # characters each side of a split sara am that the dictionary reads


def _fewer_unknown_words(a: str, b: str) -> str:
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    words = thai_words()

    def unknown(s: str) -> int:
        return sum(len(w) for w in word_tokenize(s.replace(" ", ""), keep_whitespace=False) if w not in words)
    return a if unknown(a) <= unknown(b) else b


def _repair_am(run: str) -> str:
    while True:
        m = _SPLIT_AM.search(run)
        if not m:
            return run
        head, tail = run[:m.start()], run[m.end():]
        am = f"{head}{m.group(1)}\u0e33{tail}"
        aa = f"{head}{m.group(1)}\u0e32{tail}"
        # the words around decide, not only the space-separated piece: in "บ ริ ก า ร" that piece
        # is "กา" or "กำ" (both words) but only "บริการ" is one
        lo, hi = max(len(head) - _AM_CONTEXT, 0), len(head) + len(m.group(1)) + 1 + _AM_CONTEXT
        better = _fewer_unknown_words(am[lo:hi], aa[lo:hi])
        # text spaced letter by letter ("บ ริ ก า", a word a narrow column broke with its ร on the next
        # line): the space before the sara aa is the spacing's, and where the words do not decide the
        # sara aa the text layer holds stays
        spaced = head.endswith(" ") and 0 < len(head.rstrip().rsplit(" ", 1)[-1]) <= 2 and not head[:-1].endswith(" ")
        if spaced and better == am[lo:hi] and _fewer_unknown_words(aa[lo:hi], am[lo:hi]) == aa[lo:hi]:
            better = aa[lo:hi]
        run = am if better == am[lo:hi] else aa


# PyThaiNLP's reorder_vowels runs each of its rules over the whole text, and three of them try a match at
# every character (~0.1 ms a kB each: most of a content identity and a tenth of a seed import); each is
# skipped here where a quick search shows it cannot match (a rule changes nothing then), the others run
# as its own. Keyed by the rules' patterns as PyThaiNLP writes them: a rule it changes runs always.
_REORDER_QUICK = {
    f"([{thai_tonemarks}\u0e4c]+)([{thai_above_vowels}{thai_below_vowels}]+)":
        re.compile(f"[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]").search,
    f"([{thai_follow_vowels}]+)([{thai_tonemarks}]+)": re.compile(f"[{thai_follow_vowels}][{thai_tonemarks}]").search,
    "([^\u0e24\u0e26])\u0e45": lambda text: "\u0e45" in text,
}


def reorder_vowels(text: str) -> str:
    """pythainlp.util.reorder_vowels(text), the same result (tests/test_thai.py compares them)."""
    from pythainlp.util.normalize import _REORDER_PAIRS

    for pattern, replacement in _REORDER_PAIRS:
        quick = _REORDER_QUICK.get(pattern)
        if quick is None or quick(text):
            text = re.sub(pattern, replacement, text)
    return text


def repair_pdf_text(text: str) -> str:
    """Thai text as a PDF's text layer or OCR gives it, put back to what was typed.

    Private-use glyphs (U+F700-U+F71F) become the marks they draw; sara am split into nikhahit +
    sara aa (in either order, with or without a tone mark) is joined; marks out of the standard
    order are reordered and a mark repeated by overlapping glyphs kept once (PyThaiNLP's
    reorder_vowels and remove_zw); spaces inside a word before a mark, or before a sara aa that
    stands for a split sara am, are removed. Tabs and line breaks are kept as they are.
    """
    from pythainlp.util import remove_zw

    text = remove_zw(text.translate(_PUA_MARKS) if _HAS_PUA_MARK.search(text) else text)
    text = _MARK_AFTER_LEAD.sub(r"\2\1", text)
    if " " in text:  # both look behind at every character: a text without spaces is left alone
        text = _SPACE_BEFORE_MARK.sub("", text)
        text = _SPACE_AFTER_LEAD.sub("", text)
    text = text.replace("\u0e32\u0e4d", "\u0e4d\u0e32")  # sara aa drawn before its nikhahit
    text = reorder_vowels(text)
    text = _REPEATED_MARK.sub(r"\1", text)
    if " \u0e32" in text:
        text = _THAI_RUN.sub(lambda m: _repair_am(m.group(0)) if " \u0e32" in m.group(0) else m.group(0), text)
    return text
