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
from lib.thai import ce_to_be, format_thai_date

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _cell(value):
    """A value as a cell: dates in พ.ศ. as Thai text (a date cell would show the Christian Era in Excel)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return f"{format_thai_date(value.date())} {value:%H:%M} น."
    if isinstance(value, dt.date):
        return format_thai_date(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _number_format(column: str, values: pd.Series) -> str | None:
    """Thousands separators on counts and baht; a year (พ.ศ. 2569) is a label, not 2,569."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return "0" if "ปี" in column or column in ("ลำดับ", "รหัส") else "#,##0"
    whole = values.dropna()
    return "#,##0" if len(whole) and (whole == whole.round()).all() and "บาท" not in column else "#,##0.00"


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
        header = sheet.max_row
        for cell in sheet[header]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = f"A{header + 1}"  # the filters and headers stay in view (a string: no cell made)
        for row in frame.itertuples(index=False):
            sheets.append(sheet, [_cell(v) for v in row])
        for i, column in enumerate(frame.columns, 1):
            form = _number_format(str(column), frame[column])
            if form:
                for (cell,) in sheet.iter_rows(min_row=header + 1, min_col=i, max_col=i):
                    cell.number_format = form
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
