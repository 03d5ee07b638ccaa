"""The ITA framework of one assessment year, as loaded from the catalog tables, and catalog files users import.

A year with no known item list borrows the nearest known list's codes and indicator mapping to check score
files (`Framework.list_year` says which), never its titles: the same code can mean another thing in another
year (o36, o41 between Lists A and B), so a borrowed year's items are shown without a title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

INSTRUMENTS = ("IIT", "EIT", "OIT")
CONFIDENCES = ("verified", "third-party", "unverified")
CONFIDENCE_TH = {"verified": "ยืนยันแล้ว", "third-party": "จากแหล่งภายนอก (ยังไม่ใช่เอกสารทางการ)",
                 "unverified": "ยังไม่ยืนยัน (อนุมาน)"}
UNKNOWN_TITLE = "ไม่ทราบชื่อข้อ"
CODE_PATTERN = re.compile(r"^([ieo])(\d{1,3})$")
PREFIX_INSTRUMENT = {"i": "IIT", "e": "EIT", "o": "OIT"}


@dataclass(frozen=True)
class Framework:
    year: int                      # the assessment year asked for
    list_year: int                 # the year whose item list is used (== year when known)
    items: pd.DataFrame            # code, instrument, indicator (nullable), sub_indicator, title, confidence, source
    indicators: pd.DataFrame       # indicator, name, instrument, confidence, source
    weights: dict[str, float]      # instrument -> points of the total
    weight_confidence: dict[str, str]
    bands: list[tuple[str, float, bool]] = field(default_factory=list)  # (grade, min_score, passes), best first
    verbal: list[tuple[str, float, float | None]] = field(default_factory=list)  # (level, min_total, min_each)
    band_confidence: str = "third-party"

    @property
    def borrowed(self) -> bool:
        return self.list_year != self.year

    @property
    def pass_mark(self) -> float:
        return min(m for _, m, passes in self.bands if passes)

    def confidence_counts(self) -> dict[str, int]:
        counts = self.items["confidence"].value_counts()
        return {c: int(counts.get(c, 0)) for c in CONFIDENCES}

    @property
    def verified(self) -> bool:
        return (not self.borrowed and set(self.items["confidence"]) == {"verified"}
                and set(self.weight_confidence.values()) == {"verified"})

    def item(self, code: str) -> dict | None:
        found = self.items[self.items["code"] == code]
        return None if found.empty else found.iloc[0].to_dict()

    def title(self, code: str) -> str:
        """The item's title in this year's own list; a borrowed list's titles are not this year's."""
        if self.borrowed:
            return self.missing_list_title
        row = self.item(code)
        title = None if row is None else row.get("title")
        return title if isinstance(title, str) and title else UNKNOWN_TITLE

    @property
    def missing_list_title(self) -> str:
        return f"{UNKNOWN_TITLE} (ยังไม่มีบัญชีข้อคำถามปี {self.year})"

    @property
    def missing_list_note(self) -> str | None:
        """What the page says wherever a year without its own list is used; None for a year the catalog holds."""
        if not self.borrowed:
            return None
        return (f"ยังไม่พบบัญชีข้อคำถาม ITA ของปี {self.year} (ไม่มีคู่มือของ ป.ป.ช. ปีนี้ในระบบ) จึงไม่แสดงชื่อข้อ: "
                f"รหัสเดียวกันอาจหมายถึงคนละเรื่องในต่างปี · การตรวจรหัสในไฟล์คะแนนใช้รายการรหัสของปี {self.list_year} "
                "(ปีที่ใกล้ที่สุด) · ผู้ดูแลระบบนำเข้าบัญชีของปีนี้ได้ที่หน้า 'นำเข้าคะแนน ITA'")

    def indicator_name(self, indicator: int) -> str:
        found = self.indicators[self.indicators["indicator"] == indicator]
        return "" if found.empty else found.iloc[0]["name"]


def nearest_year(year: int, known: list[int]) -> int | None:
    """The known list year closest to `year`; on a tie the later one (a newer framework is closer in content)."""
    if not known:
        return None
    if year in known:
        return year
    return min(known, key=lambda k: (abs(k - year), -k))


def normalize_code(text) -> str:
    """'O41', ' o๔๑ ', 'I7' -> 'o41', 'i7'."""
    from lib.thai import to_arabic_digits

    return to_arabic_digits(str(text or "")).strip().lower().replace(" ", "")


def changed_codes(items: pd.DataFrame) -> pd.DataFrame:
    """Codes whose title differs between the years that give one (items: framework_year, code, title).

    Returns code, framework_year, title for every year of each such code, so a page can say what a code meant when.
    """
    titled = items.dropna(subset=["title"])
    titled = titled[titled["title"].astype(str).str.strip() != ""]
    kinds = titled.groupby("code")["title"].nunique()
    changed = titled[titled["code"].isin(kinds[kinds > 1].index)]
    return changed.sort_values(["code", "framework_year"])[["code", "framework_year", "title"]].reset_index(drop=True)


def catalog_diff(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """What a corrected item list changes: one row per code added, removed or changed (old -> new).

    Both frames have code, instrument, indicator, sub_indicator, title, confidence. Columns of the result:
    code, change ('added' | 'removed' | 'changed'), field, old, new (one row per changed field).
    """
    fields = ["instrument", "indicator", "sub_indicator", "title", "confidence"]

    def norm(value):
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            return None
        if isinstance(value, float) and value == int(value):
            return int(value)
        return value

    before = {r["code"]: r for r in old.to_dict("records")}
    after = {r["code"]: r for r in new.to_dict("records")}
    rows = []
    for code in sorted(set(before) | set(after), key=_code_key):
        if code not in before:
            rows.append({"code": code, "change": "added", "field": "title", "old": None,
                         "new": norm(after[code].get("title"))})
        elif code not in after:
            rows.append({"code": code, "change": "removed", "field": "title", "old": norm(before[code].get("title")),
                         "new": None})
        else:
            for f in fields:
                a, b = norm(before[code].get(f)), norm(after[code].get(f))
                if a != b:
                    rows.append({"code": code, "change": "changed", "field": f, "old": a, "new": b})
    return pd.DataFrame(rows, columns=["code", "change", "field", "old", "new"], dtype=object)


def _code_key(code: str) -> tuple[int, int]:
    match = CODE_PATTERN.match(code)
    return ("ieo".find(match.group(1)), int(match.group(2))) if match else (9, 0)


# -- a corrected catalog a user imports for one year ------------------------------------------------
CATALOG_HEADERS = {"code": "รหัสข้อ", "instrument": "เครื่องมือ", "indicator": "ตัวชี้วัด",
                   "sub_indicator": "ตัวชี้วัดย่อย", "title": "ชื่อข้อ", "confidence": "ระดับความเชื่อมั่น",
                   "source": "แหล่งที่มา"}


def check_catalog_rows(table: pd.DataFrame, indicators: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Validate an imported item list (columns as CATALOG_HEADERS keys). Returns clean rows and Thai problems."""
    problems: list[str] = []
    clean = []
    seen = set()
    ind_instrument = dict(zip(indicators["indicator"].astype(int), indicators["instrument"], strict=True))
    for _, row in table.iterrows():
        line = int(row["_row"])
        code = normalize_code(row.get("code"))
        match = CODE_PATTERN.match(code)
        if not match:
            problems.append(f"แถว {line}: รหัสข้อ '{row.get('code')}' ไม่ถูกต้อง (ต้องเป็น i, e หรือ o ตามด้วยตัวเลข เช่น o41)")
            continue
        instrument = PREFIX_INSTRUMENT[match.group(1)]
        given_instrument = str(row.get("instrument") or "").strip().upper() or instrument
        if given_instrument != instrument:
            problems.append(f"แถว {line}: รหัส {code} เป็นของ {instrument} แต่ระบุเครื่องมือเป็น {given_instrument}")
            continue
        indicator = _int_or_none(row.get("indicator"))
        if indicator is not None and ind_instrument.get(indicator) != instrument:
            problems.append(f"แถว {line}: ตัวชี้วัด {row.get('indicator')} ไม่ใช่ตัวชี้วัดของ {instrument}")
            continue
        confidence = str(row.get("confidence") or "").strip() or "unverified"
        if confidence not in CONFIDENCES:
            problems.append(f"แถว {line}: ระดับความเชื่อมั่นต้องเป็น verified, third-party หรือ unverified")
            continue
        if code in seen:
            problems.append(f"แถว {line}: รหัส {code} ซ้ำกับแถวก่อนหน้า")
            continue
        seen.add(code)
        clean.append({"code": code, "instrument": instrument, "indicator": indicator,
                      "sub_indicator": _text_or_none(row.get("sub_indicator")),
                      "title": _text_or_none(row.get("title")), "confidence": confidence,
                      "source": _text_or_none(row.get("source"))})
    if not clean and not problems:
        problems.append("ไฟล์ไม่มีรายการข้อคำถาม")
    return pd.DataFrame(clean), problems


def _int_or_none(value) -> int | None:
    from lib.thai import parse_number

    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return None
    number = parse_number(str(value))
    return None if number is None else int(number)


def _text_or_none(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None
