"""Tables as the user sees them, as xlsx: Thai headers, the current filters above each table."""
from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lib import sheets
from lib.thai import ce_to_be

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _cell(value):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def xlsx_bytes(tables: pd.DataFrame | dict[str, pd.DataFrame], filters: dict[str, str] | None = None) -> bytes:
    """One sheet per table (a single DataFrame makes one sheet named ข้อมูล); each sheet starts
    with the filters it was shown with, then the table with its headers exactly as shown."""
    if isinstance(tables, pd.DataFrame):
        tables = {"ข้อมูล": tables}
    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(_SHEET_BAD.sub(" ", name)[:31] or "ข้อมูล")
        for label, value in (filters or {}).items():
            sheets.append(sheet, [label, value])
        if filters:
            sheet.append([])
        sheets.append(sheet, [str(c) for c in frame.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            sheets.append(sheet, [_cell(v) for v in row])
        for i, column in enumerate(frame.columns, 1):
            longest = max([len(str(column)), *(len(str(_cell(v) or "")) for v in frame[column].head(200))])
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(10, longest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(topic: str, organization: str | None, fiscal_year: int | None, as_of: dt.date) -> str:
    """e.g. 'งบประมาณตามมิติ_อบต.ตะโก_ปีงบ2569_ณ2569-06-18.xlsx' (dates in พ.ศ.)."""
    parts = [topic, organization or "ทุกหน่วยงาน", f"ปีงบ{fiscal_year}" if fiscal_year else "ทุกปี",
             f"ณ{ce_to_be(as_of.year)}-{as_of.month:02d}-{as_of.day:02d}"]
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", "_".join(parts)) + ".xlsx"
