"""The one writer of spreadsheet cells (xlsx and csv) for every file the product hands out: page
downloads (lib/ui/export.py), the meeting pack's workbook (lib/pack/), the collection templates
(lib/ingest/templates.py) and the ITA score template and catalog (lib/ita/scores.py, pages).

A text cell that starts with = + - @, a tab or a carriage return gets a leading apostrophe (OWASP's
rule against CSV/formula injection), so no spreadsheet program ever runs it as a formula; control
characters (which also make openpyxl refuse the whole file) are dropped. Readers of the product's
own templates take that one apostrophe off again (`read_text`), so exporting and importing back
changes nothing.
"""
from __future__ import annotations

import csv
import io

from lib.thai import clean_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    value = clean_text(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def value(v):
    """A value as it is written into a cell: text escaped, anything else as it is."""
    return text(v) if isinstance(v, str) else v


def put(ws, row: int, column: int, v):
    """ws.cell(row, column, v) through the writer; returns the cell."""
    cell = ws.cell(row=row, column=column)
    cell.value = value(v)
    return cell


def append(ws, values) -> None:
    """ws.append(values) through the writer."""
    ws.append([value(v) for v in values])


def read_text(s: str) -> str:
    """A cell of the product's own files read back: the writer's apostrophe taken off."""
    return s[1:] if s[:1] == "'" and s[1:2] != "" and s[1] in FORMULA_START else s


def _blank(v) -> bool:
    """None, NaN and pandas' NA/NaT (written as an empty cell)."""
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")


def csv_bytes(header: list[str], rows) -> bytes:
    """A UTF-8 (with BOM) csv through the writer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([value(h) for h in header])
    for row in rows:
        writer.writerow(["" if _blank(v) else value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
