"""Uploaded spreadsheets (xlsx, csv) as header + rows, numbered the way Excel shows them.

CSV files from Thai Excel are often saved in the Windows Thai code page (cp874, a superset of
TIS-620), others in UTF-8 with or without a BOM; the encoding is detected and reported.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from lib import sheets
from lib.errors import log_unexpected
from lib.ingest import MAX_BYTES, IngestError, decode_thai
from lib.ingest.archive import check_xml_parts, check_zip
from lib.thai import clean_text

ENCODING_LABELS = {"utf-8-sig": "UTF-8 (มี BOM)", "utf-8": "UTF-8", "cp874": "Windows-874 / TIS-620 (ภาษาไทยของ Windows)"}


@dataclass
class Table:
    file_name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as Excel shows it, header -> value)
    encoding: str | None = None  # csv only: the detected encoding, as a Thai label
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


def decode_csv(data: bytes, file_name: str) -> tuple[str, str]:
    """The text of a csv and the encoding it was written in."""
    return decode_thai(data, file_name, "กรุณาบันทึกจาก Excel เป็น 'CSV UTF-8' แล้วนำเข้าใหม่")


def _clean_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _table(file_name: str, raw_rows: list[list], encoding=None, sheet=None) -> Table:
    if not raw_rows or not any(_clean_header(v) for v in raw_rows[0]):
        raise IngestError(f"ไฟล์ {file_name} ไม่มีหัวตารางในแถวที่ 1")
    headers = [_clean_header(v) for v in raw_rows[0]]
    rows = []
    for number, values in enumerate(raw_rows[1:], start=2):
        values = [None if (isinstance(v, str) and not v.strip()) else v for v in values]
        if all(v is None for v in values):
            continue  # blank rows in a sheet are not records
        rows.append((number, {h: (values[i] if i < len(values) else None)
                              for i, h in enumerate(headers) if h}))
    return Table(file_name, headers, rows, ENCODING_LABELS.get(encoding), sheet)


def xlsx_rows(data: bytes, file_name: str, sheet: str | None = None) -> tuple[list[list], str]:
    """All rows of one sheet (the named one, else the first) and the sheet's name."""
    from openpyxl import load_workbook

    repair = "กรุณาเปิดไฟล์ด้วย Excel แล้วบันทึกใหม่เป็น .xlsx แล้วนำเข้าอีกครั้ง"
    try:
        check_zip(data, file_name, "Excel (.xlsx)")
        check_xml_parts(data, "Excel", repair)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValueError as e:
        raise IngestError(str(e)) from None
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise IngestError(f"เปิดไฟล์ Excel {file_name} ไม่ได้ (ไฟล์อาจเสียหายหรือไม่ใช่ .xlsx): {e}") from None
    except Exception:  # a part or relationship openpyxl cannot follow, whatever it raises
        log_unexpected("reading an Excel file")
        raise IngestError(f"เปิดไฟล์ Excel {file_name} ไม่ได้: โครงสร้างภายในไฟล์ไม่ถูกต้อง {repair}") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise IngestError(f"ไฟล์ {file_name} ไม่มีแผ่นงาน '{sheet}' (มี: {', '.join(book.sheetnames)})")
    ws = book[sheet] if sheet else book.worksheets[0]
    try:
        return [list(r) for r in ws.iter_rows(values_only=True)], ws.title
    except Exception:  # read-only sheets are parsed while iterated
        log_unexpected("reading an Excel sheet")
        raise IngestError(f"อ่านแผ่นงาน '{ws.title}' ของไฟล์ Excel {file_name} ไม่ได้: โครงสร้างภายในไฟล์ไม่ถูกต้อง "
                          f"{repair}") from None


def raw_rows(data: bytes, file_name: str, sheet: str | None = None) -> tuple[list[list], str | None, str | None]:
    """Rows of an uploaded .xlsx or .csv as lists, with the csv encoding or the xlsx sheet name."""
    if not data:
        raise IngestError(f"ไฟล์ {file_name} ว่างเปล่า ไม่มีข้อมูลให้นำเข้า")
    if len(data) > MAX_BYTES:
        raise IngestError(f"ไฟล์ {file_name} ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows, sheet_name = xlsx_rows(data, file_name, sheet)
        return [_cleaned(r) for r in rows], None, sheet_name
    if name.endswith(".csv"):
        text, encoding = decode_csv(data, file_name)
        # control characters out before the csv reader (a NUL stops it) and before any value is kept
        return [_cleaned(r) for r in csv.reader(io.StringIO(clean_text(text), newline=""))], encoding, None
    raise IngestError(f"ไฟล์ {file_name}: รับเฉพาะไฟล์ .xlsx หรือ .csv (ไฟล์ .xls รุ่นเก่ากรุณาบันทึกเป็น .xlsx ก่อน)")


def _cleaned(row) -> list:
    """Text cells without control characters (a NUL in a title breaks every xlsx export) and
    without the apostrophe lib/sheets puts before = + - @ in the files the product writes."""
    return [sheets.read_text(clean_text(v)) if isinstance(v, str) else v for v in row]


def read_table(data: bytes, file_name: str, sheet: str | None = None) -> Table:
    """Rows of an uploaded .xlsx or .csv file (header in row 1); anything else is refused in Thai."""
    rows, encoding, sheet_name = raw_rows(data, file_name, sheet)
    return _table(file_name, rows, encoding=encoding, sheet=sheet_name)
