"""Excel templates for entering records, and reading the rows filled into them.

Each template is one data sheet (Thai headers in row 1, one record per row, drop-down lists
for the coded columns), a sheet of the drop-down values and an instructions sheet. Exporting
writes the stored records into the same template, so a file can go out and come back.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lib import sheets
from lib.records import BLOCKED_REASONS, INSTRUMENTS, ITEM_TYPES, PROGRESS_STATUSES
from lib.thai import be_to_ce, clean_text, to_arabic_digits

CHECK = "✓"
LISTS_SHEET = "ตัวเลือก"
HELP_SHEET = "คำอธิบาย"
MAX_ROWS = 2000  # rows the drop-downs cover in a blank template
KIND_LABELS = {"plan_item": "แผนปฏิบัติการ", "measure": "มาตรการ"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | int | decimal | date | datetime | choice | check | codes | lines | info
    required: bool = False
    choices: str | None = None  # name of a drop-down list (LIST_NAMES)
    strict: bool = True  # False: the drop-down suggests, other text is allowed
    help: str = ""
    width: int = 18


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    sheet: str
    kind: str  # what source_document.kind the upload is stored as
    columns: tuple[Column, ...]

    @property
    def layout(self) -> str:
        return f"template_{self.name}"

    @property
    def layout_label(self) -> str:
        return f"แบบฟอร์มนำเข้า: {self.title}"


LIST_NAMES = {
    "organizations": "หน่วยงาน (ชื่อเต็ม)", "dimensions": "มิติ", "item_types": "ประเภท",
    "quarters": "ไตรมาส", "check": "ทำเครื่องหมาย", "instruments": "เครื่องมือประเมิน",
    "statuses": "สถานะ", "reasons": "เหตุผลที่ดำเนินการไม่ได้", "record_kinds": "ประเภทรายการ",
}

_KEYS = (
    Column("organization", "หน่วยงาน", "choice", True, "organizations",
           help="ชื่อเต็มหรือชื่อย่อของหน่วยงานตามที่มีในระบบ เช่น องค์การบริหารส่วนตำบลตะโก", width=34),
    Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "int", True, help="ปี พ.ศ. 4 หลัก เช่น 2569", width=12),
)
_QUARTERS = tuple(Column(f"q{q}", f"ไตรมาส {q}", "check", False, "check",
                         help=f"ใส่ {CHECK} ถ้าดำเนินการในไตรมาส {q}", width=9) for q in (1, 2, 3, 4))
_PERIOD = (
    Column("period_text", "ระยะเวลา (ตามเอกสาร)", "text", width=28),
    Column("period_start", "วันเริ่ม", "date", help="วันที่ในรูปแบบวันที่ของ Excel หรือ วัน/เดือน/ปี พ.ศ.", width=13),
    Column("period_end", "วันสิ้นสุด", "date", help="วันที่ในรูปแบบวันที่ของ Excel หรือ วัน/เดือน/ปี พ.ศ.", width=13),
)

TEMPLATES = {t.name: t for t in (
    Template("plan_items", "แผนปฏิบัติการป้องกันการทุจริต", "แผนปฏิบัติการ", "plan", (
        *_KEYS,
        Column("seq", "ลำดับ", "int", True, help="ลำดับในแผน (ใช้ระบุรายการ ห้ามซ้ำในหน่วยงานและปีเดียวกัน)", width=8),
        Column("title", "รายการโครงการ/กิจกรรม/มาตรการ", "text", True, width=50),
        Column("item_type", "ประเภท", "choice", False, "item_types"),
        Column("dimension", "มิติ", "choice", True, "dimensions", help="เลข 1-4 ตามมิติของแผน", width=8),
        Column("budget", "งบประมาณ (บาท)", "decimal", True, help="ตัวเลข ทศนิยมไม่เกิน 2 ตำแหน่ง ไม่ใช้งบประมาณใส่ 0",
               width=16),
        *_QUARTERS,
        Column("remark", "หมายเหตุ", "text"),
        *_PERIOD,
        Column("responsible", "ผู้รับผิดชอบ", "text", width=28),
        Column("rationale", "หลักการและเหตุผล", "text", width=40),
        Column("objectives", "วัตถุประสงค์", "text", width=40),
        Column("target_group", "กลุ่มเป้าหมาย", "text", width=28),
        Column("method", "วิธีดำเนินการ", "text", width=40),
        Column("budget_text", "งบประมาณ (ตามรายละเอียด)", "text", width=28),
        Column("outputs", "ผลผลิต", "text", width=30),
        Column("outcomes", "ผลลัพธ์", "text", width=30),
    )),
    Template("measures", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "มาตรการ", "measures", (
        *_KEYS,
        Column("seq", "ลำดับ", "int", True, help="ลำดับมาตรการ (ใช้ระบุรายการ ห้ามซ้ำในหน่วยงานและปีเดียวกัน)", width=8),
        Column("title", "มาตรการ", "text", True, width=50),
        Column("instrument", "เครื่องมือประเมิน", "choice", False, "instruments", width=12),
        Column("item_codes", "รหัสข้อคำถาม ITA", "codes", help="เช่น i7, e11, o41 (คั่นด้วยจุลภาค)", width=16),
        Column("framework_year", "ปีผลการประเมิน ITA ของรหัสข้อ", "int",
               help="ต้องระบุเมื่อมีรหัสข้อคำถาม เช่น 2565", width=14),
        Column("item_topic", "หัวข้อการประเมิน", "text", width=30),
        Column("category_no", "ลำดับหมวด", "int", width=8),
        Column("category", "หมวด", "text", width=24),
        Column("weakness", "ประเด็นที่เป็นข้อบกพร่อง/จุดอ่อน", "text", width=36),
        Column("steps", "ขั้นตอน/วิธีการ", "text", width=40),
        Column("responsible", "ผู้รับผิดชอบ", "text", width=28),
        Column("monitoring", "การรายงานผลและการกำกับติดตาม", "text", width=30),
        *_PERIOD,
        *_QUARTERS,
        Column("recurrence", "ความถี่", "text", width=12),
        Column("result", "ผลการดำเนินการ", "text", width=40),
        Column("outcome", "ผลลัพธ์/ความสำเร็จ", "text", width=30),
        Column("links", "ลิงก์หลักฐาน", "lines", help="ลิงก์ละหนึ่งบรรทัด (Alt+Enter ขึ้นบรรทัดใหม่)", width=36),
    )),
    Template("progress", "รายงานความก้าวหน้ารายไตรมาส", "ความก้าวหน้า", "progress", (
        *_KEYS,
        Column("record_kind", "ประเภทรายการ", "choice", True, "record_kinds", width=14),
        Column("seq", "ลำดับ", "int", True, help="ลำดับของรายการในแผนหรือมาตรการ", width=8),
        Column("record_title", "ชื่อรายการ (ไม่ต้องกรอก)", "info", help="ระบบเติมให้เพื่ออ่านง่าย ไม่ได้ใช้ตอนนำเข้า",
               width=40),
        Column("quarter", "ไตรมาส", "choice", True, "quarters", width=8),
        Column("status", "สถานะ", "choice", True, "statuses", width=22),
        Column("reason", "เหตุผล (กรณีดำเนินการไม่ได้)", "choice", False, "reasons", strict=False,
               help="เลือกจากรายการ หรือพิมพ์เหตุผลอื่น", width=26),
        Column("spent", "งบประมาณที่ใช้ (บาท)", "decimal",
               help="ยอดที่ใช้ในไตรมาสนี้ (ไม่ใช่ยอดสะสม) ตัวเลข ทศนิยมไม่เกิน 2 ตำแหน่ง", width=14),
        Column("note", "รายละเอียด", "text", width=36),
        Column("evidence_url", "ลิงก์หลักฐาน", "text", help="ขึ้นต้นด้วย http:// หรือ https://", width=30),
        Column("reported_at", "วันที่รายงาน", "datetime", help="ว่างไว้ = วันเวลาที่นำเข้า", width=18),
        Column("reported_by", "ผู้รายงาน", "text", help="ว่างไว้ = ชื่อผู้นำเข้า", width=16),
    )),
)}


def drop_down_values(organizations: list[str], dimensions: list[tuple[int, str]]) -> dict[str, list]:
    return {
        "organizations": organizations, "dimensions": [d for d, _ in dimensions] or [1, 2, 3, 4],
        "item_types": list(ITEM_TYPES), "quarters": [1, 2, 3, 4], "check": [CHECK],
        "instruments": list(INSTRUMENTS), "statuses": list(PROGRESS_STATUSES),
        "reasons": list(BLOCKED_REASONS), "record_kinds": list(KIND_LABELS.values()),
    }


def _cell_value(column: Column, value):
    """A stored value as it is written into a template cell."""
    if value is None:
        return None
    if column.kind == "check":
        return CHECK if value else None
    if column.kind in ("codes",):
        return ", ".join(value) or None
    if column.kind == "lines":
        return "\n".join(value) or None
    if column.kind == "decimal" and isinstance(value, Decimal):
        return float(value)
    if column.kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    return value


def build_workbook(name: str, lists: dict[str, list], rows: list[dict] = (),
                   dimension_names: list[str] = ()) -> bytes:
    """The template `name` with drop-downs and instructions, holding `rows` (template keys -> values)."""
    template = TEMPLATES[name]
    book = Workbook()
    ws = book.active
    ws.title = template.sheet
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for c, column in enumerate(template.columns, start=1):
        cell = sheets.put(ws, 1, c, column.header + (" *" if column.required else ""))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(template.columns, start=1):
            value = _cell_value(column, row.get(column.key))
            cell = sheets.put(ws, r, c, value)
            if column.kind == "decimal" and value is not None:
                cell.number_format = "#,##0.00"
            elif column.kind == "date" and value is not None:
                cell.number_format = "dd/mm/yyyy"
            elif column.kind == "datetime" and value is not None:
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
            elif column.kind in ("text", "lines", "info"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    lists_ws = book.create_sheet(LISTS_SHEET)
    last_row = max(MAX_ROWS, len(rows) + 1)
    for c, (list_name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(c)
        sheets.put(lists_ws, 1, c, LIST_NAMES[list_name]).font = Font(bold=True)
        for r, value in enumerate(values, start=2):
            sheets.put(lists_ws, r, c, value)
        lists_ws.column_dimensions[letter].width = 30
        for d, column in enumerate(template.columns, start=1):
            if column.choices != list_name:
                continue
            rule = DataValidation(type="list", formula1=f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                                  allow_blank=True, showErrorMessage=column.strict,
                                  errorTitle="ค่าไม่อยู่ในรายการ",
                                  error=f"กรุณาเลือก{column.header}จากรายการ",
                                  promptTitle=column.header, prompt=column.help[:250] or None,
                                  showInputMessage=bool(column.help))
            col_letter = get_column_letter(d)
            rule.add(f"{col_letter}2:{col_letter}{last_row}")
            ws.add_data_validation(rule)
    lists_ws.sheet_state = "hidden"
    _instructions(book.create_sheet(HELP_SHEET), template, dimension_names)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(ws, template: Template, dimension_names: list[str]) -> None:
    lines = [
        (f"แบบฟอร์มนำเข้า: {template.title}", True),
        ("วิธีใช้", True),
        (f"1. กรอกข้อมูลในแผ่นงาน '{template.sheet}' หนึ่งแถวต่อหนึ่งรายการ เริ่มที่แถวที่ 2 ห้ามแก้หัวตารางในแถวที่ 1", False),
        ("2. คอลัมน์ที่มีเครื่องหมาย * ต้องกรอก คอลัมน์ที่มีรายการให้เลือก ให้คลิกช่องแล้วเลือกจากลูกศร", False),
        ("3. รายการเดิมระบุด้วย หน่วยงาน + ปีงบประมาณ + ลำดับ ถ้าตรงกับรายการที่มีอยู่ ระบบจะแสดงค่าเดิม → ค่าใหม่ "
         "ให้ตรวจและยืนยันก่อนบันทึก ไม่มีการเขียนทับโดยไม่แจ้ง", False),
        ("4. ถ้ามีแถวใดผิด ระบบจะแจ้งหมายเลขแถวตามที่เห็นใน Excel และจะไม่บันทึกข้อมูลใดเลยจนกว่าจะแก้ครบ", False),
        ("5. บันทึกเป็น .xlsx หรือ .csv ก็ได้ (CSV รองรับ UTF-8 และภาษาไทยของ Windows)", False),
        ("", False),
        ("คอลัมน์", True),
    ]
    for line, bold in lines:
        sheets.append(ws, [line])
        if bold:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    sheets.append(ws, ["หัวตาราง", "ต้องกรอก", "คำอธิบาย"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for column in template.columns:
        sheets.append(ws, [column.header, "ต้องกรอก" if column.required else "", column.help])
    if dimension_names and any(c.key == "dimension" for c in template.columns):
        sheets.append(ws, [""])
        sheets.append(ws, ["มิติของแผนปฏิบัติการ"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for name in dimension_names:
            sheets.append(ws, [name])
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 70


# -- reading a filled template ---------------------------------------------------------

class RowError(ValueError):
    """A cell that cannot be read; the message is Thai."""


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _int(value, header: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise RowError(f"'{header}' ต้องเป็นตัวเลข")
    if isinstance(value, float):
        if not value.is_integer():  # also nan and inf
            raise RowError(f"'{header}' ต้องเป็นจำนวนเต็ม (ได้ {value})")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = to_arabic_digits(str(value)).strip().replace(",", "")
        if not re.fullmatch(r"-?\d+", text):
            raise RowError(f"'{header}' ต้องเป็นจำนวนเต็ม (ได้ '{value}')")
        number = int(text)
    if not -_INT_MAX <= number <= _INT_MAX:  # the database's INTEGER: refused here, not at the commit
        raise RowError(f"'{header}' มากเกินไป (ได้ {value})")
    return number


_INT_MAX = 2_147_483_647


def _decimal(value, header: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        text = to_arabic_digits(str(value)).strip().replace(",", "").replace("บาท", "").strip()
        try:
            number = Decimal(text)
            if number.is_nan():
                raise InvalidOperation
        except InvalidOperation:
            raise RowError(f"'{header}' ต้องเป็นจำนวนเงิน (ได้ '{value}')") from None
    if not number.is_finite() or number < 0 or number.is_signed():
        raise RowError(f"'{header}' ต้องเป็นจำนวนเงินไม่ติดลบ (ได้ '{value}')")
    if number >= Decimal("1e12"):  # before quantize, which fails on 1e308
        raise RowError(f"'{header}' มากเกินไป (ได้ '{value}' ต้องน้อยกว่า 1,000,000,000,000 บาท)")
    if number != number.quantize(Decimal("0.01")):
        raise RowError(f"'{header}' มีทศนิยมเกิน 2 ตำแหน่ง (ได้ '{value}')")
    if number >= Decimal("1e12"):
        raise RowError(f"'{header}' มากเกินไป (ได้ '{value}')")
    return number.quantize(Decimal("0.01"))


def _date(value, header: str, with_time: bool = False):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0) if with_time else value.date()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()) if with_time else value
    text = to_arabic_digits(str(value)).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", text) or \
        re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?", text)
    if not m:
        raise RowError(f"'{header}' อ่านวันที่ '{value}' ไม่ได้ (ใช้รูปแบบวันที่ของ Excel หรือ วัน/เดือน/ปี)")
    if "-" in text[:5]:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year > 2400:  # written in พ.ศ.
        year = be_to_ce(year)
    try:
        hour, minute, second = (int(m.group(i) or 0) for i in (4, 5, 6))
        stamp = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise RowError(f"'{header}' วันที่ '{value}' ไม่มีจริง") from None
    return stamp if with_time else stamp.date()


def _codes(value, header: str) -> tuple[str, ...]:
    text = _text(value)
    if not text:
        return ()
    codes = []
    for part in re.split(r"[,\s]+", to_arabic_digits(text)):
        if not part:
            continue
        m = re.fullmatch(r"([iIeEoO])(\d{1,2})", part)
        if not m:
            raise RowError(f"'{header}' รหัส '{part}' ไม่ถูกต้อง (ต้องเป็นแบบ i7, e11, o41)")
        code = f"{m.group(1).lower()}{int(m.group(2))}"
        if code not in codes:
            codes.append(code)
    return tuple(sorted(codes))


def _check(value, header: str) -> bool:
    text = _text(value)
    if text is None:
        return False
    if text in (CHECK, "✔", "☑", "/", "x", "X", "1", "TRUE", "true", "ใช่"):
        return True
    raise RowError(f"'{header}' ใส่ได้เฉพาะ {CHECK} หรือเว้นว่าง (ได้ '{text}')")


def read_row(template: Template, values: dict, lists: dict[str, list]) -> tuple[dict, list[str]]:
    """Typed values of one filled row (template keys), and the Thai problems found in it."""
    by_header = {_header_key(h): v for h, v in values.items()}
    out: dict = {}
    problems: list[str] = []
    for column in template.columns:
        if column.kind == "info":
            continue
        raw = by_header.get(_header_key(column.header))
        try:
            out[column.key] = _read_cell(column, raw, lists)
        except RowError as e:
            problems.append(str(e))
            out[column.key] = None
            continue
        if column.required and out[column.key] is None:
            problems.append(f"ต้องกรอก '{column.header}'")
    if any(c.kind == "check" for c in template.columns):
        out["quarters"] = tuple(q for q in (1, 2, 3, 4) if out.pop(f"q{q}", False))
    return out, problems


def read_cells(template: Template, cells: dict, lists: dict[str, list]) -> tuple[dict, list[str]]:
    """Typed values of some of a template's cells (keyed by column key, as typed in a form), checked
    as an uploaded row's cells are, and the Thai problems found in them. `quarters` may be given
    as the quarters themselves (1-4) instead of the template's four check cells."""
    columns = {c.key: c for c in template.columns if c.kind != "info"}
    out: dict = {}
    problems: list[str] = []
    for key, raw in cells.items():
        if key == "quarters" and any(c.kind == "check" for c in template.columns):
            quarters = tuple(sorted({int(q) for q in raw}))
            if not set(quarters) <= {1, 2, 3, 4}:
                problems.append("ไตรมาสต้องเป็น 1 ถึง 4")
            out[key] = quarters
            continue
        column = columns[key]
        try:
            out[key] = _read_cell(column, raw, lists)
        except RowError as e:
            problems.append(str(e))
            continue
        if column.required and out[key] is None:
            problems.append(f"ต้องกรอก '{column.header}'")
    return out, problems


def _read_cell(column: Column, raw, lists: dict[str, list]):
    kind = column.kind
    if kind == "int":
        return _int(raw, column.header)
    if kind == "decimal":
        return _decimal(raw, column.header)
    if kind in ("date", "datetime"):
        return _date(raw, column.header, with_time=kind == "datetime")
    if kind == "check":
        return _check(raw, column.header)
    if kind == "codes":
        return _codes(raw, column.header)
    if kind == "lines":
        text = _text(raw)
        return tuple(line.strip() for line in text.split("\n") if line.strip()) if text else ()
    text = _text(raw)
    if kind == "choice" and text is not None and column.strict and column.choices != "organizations":
        allowed = [str(v) for v in lists[column.choices]]
        if text not in allowed:
            raise RowError(f"'{column.header}' ต้องเป็นหนึ่งใน: {', '.join(allowed)} (ได้ '{text}')")
        if column.choices in ("dimensions", "quarters"):
            return int(text)
    return text


def _header_key(header: str) -> str:
    """Headers compare without the required mark and spaces (a user may retype them)."""
    return re.sub(r"\s+", "", str(header or "")).rstrip("*")


def missing_headers(template: Template, headers: list[str]) -> list[str]:
    present = {_header_key(h) for h in headers}
    return [c.header for c in template.columns if c.kind != "info" and _header_key(c.header) not in present]


def guess_template(headers: list[str]) -> Template | None:
    """The template whose headers an uploaded file carries (None when none fits)."""
    fits = [t for t in TEMPLATES.values() if not missing_headers(t, headers)]
    return fits[0] if len(fits) == 1 else None
