"""Score files (xlsx or csv) and their template: reading, per-row validation with Thai messages.

Small table helpers live here on purpose (reading a first sheet / a csv in UTF-8 or cp874); the
general template import of plan items and measures is elsewhere and may absorb them later.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from lib.ita.catalog import CODE_PATTERN, INSTRUMENTS, Framework, normalize_code
from lib.thai import format_thai_date, to_arabic_digits

SCORE_SHEET = "คะแนน"
HEADERS = {"organization": "หน่วยงาน", "framework_year": "ปีประเมิน ITA (พ.ศ.)", "level": "ระดับ",
           "code": "รหัส", "score": "คะแนน (0-100)"}
LEVEL_WORDS = {"ข้อ": "item", "item": "item", "ตัวชี้วัด": "indicator", "indicator": "indicator",
               "เครื่องมือ": "instrument", "instrument": "instrument", "รวม": "total", "คะแนนรวม": "total",
               "total": "total"}
INSTRUCTIONS = [
    "วิธีกรอกคะแนน ITA (หนึ่งแถวต่อหนึ่งคะแนน)",
    "หน่วยงาน: ชื่อเต็มหรือชื่อย่อที่มีในระบบ เช่น อบต.บ้องตี้",
    "ปีประเมิน ITA (พ.ศ.): ปีของผลการประเมิน เช่น 2565 (มาตรการปีงบประมาณ 2566 ตอบผลปี 2565)",
    "ระดับ: ข้อ / ตัวชี้วัด / เครื่องมือ / รวม",
    "รหัส: ระดับข้อ = รหัสข้อ เช่น i7, e11, o41; ระดับตัวชี้วัด = 1 ถึง 10; ระดับเครื่องมือ = IIT, EIT หรือ OIT; "
    "ระดับรวม = เว้นว่าง",
    "คะแนน (0-100): คะแนนร้อยละ 0 ถึง 100 ทุกระดับ (เครื่องมือก็กรอกเป็นร้อยละ ไม่ใช่คะแนนเต็ม 30/40)",
    "กรอกเฉพาะระดับที่มี: ถ้ากรอกระดับข้อ ระบบคำนวณตัวชี้วัด เครื่องมือ และคะแนนรวมให้เอง "
    "ถ้ากรอกคะแนนรวมไว้ด้วย ระบบจะเทียบกับค่าที่คำนวณและแจ้งเมื่อไม่ตรงกัน",
    "นำเข้าคะแนนของหน่วยงานและปีใด ระบบจะแทนคะแนนเดิมของหน่วยงานและปีนั้นทั้งหมด (คะแนนเดิมเก็บไว้ในประวัติ)",
    "ตัวอย่าง: อบต.บ้องตี้ | 2565 | ข้อ | i7 | 72.5",
]


@dataclass
class ScoreCheck:
    rows: pd.DataFrame                 # good rows: row, organization_id, framework_year, level, code, score
    problems: list[str] = field(default_factory=list)   # one Thai message per bad row (or the whole file)
    bad_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)       # not errors: e.g. a year that borrows a list
    refused: str | None = None  # why the whole file cannot be imported, even its good rows (test data for real ones)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_table(content: bytes, file_name: str, header_word: str) -> pd.DataFrame:
    """First sheet (or the one named like the template) of an xlsx, or a csv in UTF-8 (BOM or not) or cp874.

    The header row is the first row whose first cell starts with `header_word`; earlier rows and csv lines
    starting with '#' are notes, kept in `table.attrs["notes"]`. Adds `_row`: the row number the user sees in Excel.
    """
    from lib.ingest import IngestError
    from lib.ingest.tabular import raw_rows

    try:
        sheet = SCORE_SHEET if file_name.lower().endswith(".xlsx") else None
        try:
            raw, _, _ = raw_rows(content, file_name, sheet)
        except IngestError as e:
            if sheet is None or "แผ่นงาน" not in str(e):
                raise
            raw, _, _ = raw_rows(content, file_name)  # a workbook of its own: its first sheet
    except IngestError as e:
        raise ValueError(str(e)) from None
    for index, row in enumerate(raw):
        first = str(row[0] or "").strip() if row else ""
        if first.startswith(header_word):
            header = [str(c or "").strip() for c in row]
            body = [(n, r) for n, r in enumerate(raw[index + 1:], start=index + 2)
                    if r and any(str(c or "").strip() for c in r) and not str(r[0] or "").startswith("#")]
            table = pd.DataFrame([list(r) + [None] * (len(header) - len(r)) for _, r in body],
                                 columns=header + [f"_extra{i}" for i in range(max(0, max((len(r) for _, r in body),
                                                                                         default=0) - len(header)))])
            table.insert(0, "_row", [n for n, _ in body])
            table.attrs["notes"] = [_joined(r) for r in raw[:index] if r and _joined(r)] + [
                _joined(r) for r in raw[index + 1:] if r and str(r[0] or "").startswith("#")]
            return table
    raise ValueError(f"ไม่พบแถวหัวตารางที่ขึ้นต้นด้วย '{header_word}' ในไฟล์ {file_name} กรุณาใช้แบบฟอร์มของระบบ")


def _joined(row) -> str:
    return " ".join(str(c).strip() for c in row if c is not None and str(c).strip())


# Words a file's own notes use to say its scores are not an organization's real results
TEST_DATA_WORDS = ("test data", "testdata", "sample data", "sample", "dummy", "demo", "example", "fake",
                   "ข้อมูลทดสอบ", "ทดสอบ", "ข้อมูลตัวอย่าง", "ตัวอย่าง", "ข้อมูลสมมติ", "สมมติ", "ไม่ใช่ผลการประเมินจริง",
                   "ไม่ใช่ผลจริง", "ข้อมูลจำลอง", "จำลอง", "สังเคราะห์")


def marked_as_test_data(notes: list[str]) -> str | None:
    """The note of a score file that says it holds test or sample data, if one does."""
    for note in notes:
        text = " ".join(note.lower().replace("_", " ").split())
        if any(word in text for word in TEST_DATA_WORDS):
            return note
    return None


def rename_columns(table: pd.DataFrame, headers: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Thai header (or its first word, or the English key) -> key. Returns the table and the missing headers."""
    mapping = {}
    for column in table.columns:
        text = str(column).strip()
        for key, thai in headers.items():
            if text in (thai, key) or text == thai.split(" (")[0]:
                mapping[column] = key
    table = table.rename(columns=mapping)
    return table, [thai for key, thai in headers.items() if key not in table.columns]


def parse_score(value) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = to_arabic_digits(str(value)).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def check_scores(table: pd.DataFrame, organizations: pd.DataFrame,
                 frameworks: dict[int, Framework]) -> ScoreCheck:
    """Validate score rows (columns from HEADERS keys, plus `_row`).

    `organizations` has id, name, short_name; `frameworks` maps each assessment year to its framework
    (the caller resolves years without a known list to the nearest one).
    """
    by_name = {}
    for row in organizations.itertuples():
        by_name[row.name.strip()] = row.id
        by_name[row.short_name.strip()] = row.id
    problems, bad, good, notes = [], [], [], []
    seen: dict[tuple, int] = {}
    for _, row in table.iterrows():
        line = int(row["_row"])
        errors = []
        org_text = str(row.get("organization") or "").strip()
        org_id = by_name.get(org_text)
        if org_id is None:
            errors.append(f"ไม่รู้จักหน่วยงาน '{org_text}'" if org_text else "ไม่ได้กรอกชื่อหน่วยงาน")
        year_value = parse_score(row.get("framework_year"))
        year = int(year_value) if year_value is not None and year_value == int(year_value) else None
        framework = frameworks.get(year) if year is not None else None
        if year is None or not 2500 <= year <= 2700:
            errors.append(f"ปีประเมิน '{row.get('framework_year')}' ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2565")
            year = None
        elif framework is None:
            errors.append(f"ยังไม่มีบัญชีข้อคำถาม ITA สำหรับปี {year}")
        level = LEVEL_WORDS.get(str(row.get("level") or "").strip().lower())
        if level is None:
            errors.append(f"ระดับ '{row.get('level') or ''}' ต้องเป็น ข้อ, ตัวชี้วัด, เครื่องมือ หรือ รวม")
        code = _check_code(level, row.get("code"), framework, errors)
        score = parse_score(row.get("score"))
        if score is None:
            errors.append(f"คะแนน '{row.get('score') or ''}' ไม่ใช่ตัวเลข")
        elif not 0 <= score <= 100:
            errors.append(f"คะแนน {score:g} อยู่นอกช่วง 0-100")
        key = (org_id, year, level, code)
        if not errors and key in seen:
            errors.append(f"ซ้ำกับแถว {seen[key]} (หน่วยงาน ปี ระดับ และรหัสเดียวกัน)")
        if errors:
            problems.append(f"แถว {line}: " + "; ".join(errors))
            bad.append(line)
            continue
        seen[key] = line
        good.append({"row": line, "organization_id": org_id, "framework_year": year, "level": level,
                     "code": code, "score": round(score, 2)})
        if framework.borrowed:
            note = (f"ปี {year} ยังไม่มีบัญชีข้อคำถามของปีนั้นเอง ระบบตรวจรหัสกับบัญชีปี {framework.list_year} "
                    "(ปีที่ใกล้ที่สุด)")
            if note not in notes:
                notes.append(note)
    columns = ["row", "organization_id", "framework_year", "level", "code", "score"]
    if table.empty:
        problems.append("ไฟล์ไม่มีแถวคะแนน")
    return ScoreCheck(pd.DataFrame(good, columns=columns), problems, bad, notes)


def _check_code(level: str | None, value, framework: Framework | None, errors: list[str]) -> str | None:
    text = normalize_code(value)
    if level == "total":
        return "total"
    if level is None:
        return text
    if level == "instrument":
        code = text.upper()
        if code not in INSTRUMENTS:
            errors.append(f"รหัสเครื่องมือ '{value or ''}' ต้องเป็น IIT, EIT หรือ OIT")
        return code
    if level == "indicator":
        code = text.removeprefix("ตัวชี้วัดที่")
        if framework is not None and (not code.isdigit() or int(code) not in set(framework.indicators["indicator"])):
            errors.append(f"ตัวชี้วัด '{value or ''}' ต้องเป็นเลข 1 ถึง 10")
        return code
    if not CODE_PATTERN.match(text):
        errors.append(f"รหัสข้อ '{value or ''}' ไม่ถูกต้อง (เช่น i7, e11, o41)")
        return text
    if framework is not None:
        item = framework.item(text)
        if item is None:
            errors.append(f"ไม่มีข้อ {text} ในบัญชีข้อคำถามปี {framework.list_year}")
        elif pd.isna(item.get("indicator")):
            errors.append(f"ข้อ {text} ของปี {framework.list_year} ยังไม่ทราบว่าอยู่ตัวชี้วัดใด "
                          "กรุณากรอกคะแนนระดับตัวชี้วัดแทน")
    return text


def template_xlsx(framework: Framework, organizations: list[str]) -> bytes:
    """The score template: a blank score sheet, instructions, and the codes valid for the framework's list."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    from lib import sheets

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SCORE_SHEET
    sheets.append(sheet, list(HEADERS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for column, width in zip("ABCDE", (34, 20, 14, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("วิธีกรอก")
    for line in INSTRUCTIONS:
        sheets.append(guide, [line])
    sheets.append(guide, [])
    sheets.append(guide, ["หน่วยงานที่มีในระบบ"])
    for name in organizations:
        sheets.append(guide, [name])
    guide.column_dimensions["A"].width = 110
    codes = book.create_sheet(f"รหัสข้อปี {framework.list_year}")
    sheets.append(codes, ["รหัส", "เครื่องมือ", "ตัวชี้วัด", "ชื่อข้อ", "ระดับความเชื่อมั่น"])
    for row in framework.items.itertuples():
        sheets.append(codes, [row.code, row.instrument, None if pd.isna(row.indicator) else int(row.indicator),
                      framework.title(row.code), row.confidence])
    codes.column_dimensions["D"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    return ("\ufeff" + ",".join(HEADERS.values()) + "\r\n").encode("utf-8")


# -- where a score file came from ---------------------------------------------------------------------------
PROVENANCE_MISSING = "ไม่ได้ระบุที่มาของคะแนน (นำเข้าก่อนที่ระบบจะถามที่มา)"


def provenance(row) -> str:
    """One line beside a score: where the file came from, the date of the results, and who imported it when.

    `row` has source, source_date, file_name, imported_by, imported_at (a score row of the scores query)."""
    def get(key):
        value = row.get(key) if hasattr(row, "get") else getattr(row, key, None)
        return None if value is None or (isinstance(value, float) and value != value) or value is pd.NaT else value

    def day(value) -> str:
        value = pd.Timestamp(value).date()
        return format_thai_date(value)

    source, when = get("source"), get("source_date")
    origin = f"คะแนนจาก {source}" + (f" (ผลลงวันที่ {day(when)})" if when is not None else "") if source \
        else PROVENANCE_MISSING
    imported = get("imported_at")
    return (f"{origin} · ไฟล์ {get('file_name')} นำเข้าโดย {get('imported_by')}"
            + (f" เมื่อ {day(imported)}" if imported is not None else ""))
