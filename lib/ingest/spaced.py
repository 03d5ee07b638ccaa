"""Tables whose cells are separated by runs of spaces instead of tabs (text copied from a web page,
`pdftotext -layout`): the columns are recovered from the header row's positions and rewritten as
the tab-separated rows the layout readers take.

- A cell ends at a run of two or more spaces; one space stays inside a cell (Thai uses it between
  phrases). Positions are display columns (Thai vowel and tone marks take no width).
- The header is the first line whose cells the measure or plan readers recognise; lines between it
  and the first row that fill columns the header left empty (the plan's quarter numbers 1 2 3 4)
  add those columns.
- A line with as many cells as there are columns is taken in order. A line with fewer is placed by
  position: each cell goes to the column whose start is at or before it; two cells in one column, or
  more cells than columns, cannot be placed safely, and the document is refused naming those lines.
- A line with nothing in the first column continues the row above (a cell broken onto more lines):
  its text joins that row's cells as new paragraphs, and the line is left blank so line numbers stay.
- A line holding only a short text in the first column is a heading ("ด้าน IIT") and stays as text,
  except a numbered category "(๑) ..." which is a row. The plan table ends at its totals row
  ("รวมทั้งสิ้น"); a measure table at two blank lines in a row.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lib.ingest.action_plan import is_plan_header
from lib.ingest.cells import squash
from lib.ingest.measures import header_roles

_GAP = re.compile(r"[ \u00a0]{2,}")
_CATEGORY = re.compile(r"^\(\s*[๐-๙0-9]+\s*\)")
_TOLERANCE = 2


@dataclass
class Spaced:
    """What the space reader found: the tab text when it could place every cell, else why not."""

    text: str | None
    header: list[str] = field(default_factory=list)
    header_line: int | None = None
    unsafe_lines: list[int] = field(default_factory=list)


def width(text: str) -> int:
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def chunks(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each cell of a line."""
    out, pos = [], 0
    for part in _GAP.split(line.rstrip()):
        at = line.index(part, pos) if part else pos
        if part.strip():
            out.append((width(line[:at]) + (len(part) - len(part.lstrip())), part.strip()))
        pos = at + len(part)
    return out


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 3 and (is_plan_header(cells) or header_roles(cells) is not None)


def find_header(lines: list[str]) -> tuple[int, list[tuple[int, str]]] | None:
    for i, line in enumerate(lines):
        found = chunks(line)
        if _is_header([t for _, t in found]):
            return i, found
    return None


def _place(found: list[tuple[int, str]], starts: list[int]) -> list[str] | None:
    n = len(starts)
    if len(found) == n:
        return [t for _, t in found]
    if len(found) > n:
        return None
    cells = [""] * n
    for pos, text in found:
        col = max((i for i, s in enumerate(starts) if s - _TOLERANCE <= pos), default=None)
        if col is None or cells[col]:
            return None
        cells[col] = text
    return cells


def _join(cell: str, more: str) -> str:
    if not more:
        return cell
    if not cell:
        return more
    first = cell if cell.startswith("<p>") else f"<p>{cell}</p>"
    return f"{first}<p>{more}</p>"


def tabulate(text: str) -> Spaced:
    lines = text.splitlines()
    found = find_header(lines)
    if found is None:
        return Spaced(None)
    head_no, header = found
    starts = [p for p, _ in header]
    header_cells = [t for _, t in header]
    plan = is_plan_header(header_cells)
    out = lines[:head_no]
    result = Spaced(None, header_cells, head_no + 1)

    # lines under the header that fill columns it left empty (quarter numbers) before the first row
    i = head_no + 1
    sub_lines = []
    while i < len(lines) and (not lines[i].strip() or all(p > starts[0] + _TOLERANCE for p, _ in chunks(lines[i]))):
        if lines[i].strip():
            sub_lines.append(chunks(lines[i]))
        i += 1
    for sub in sub_lines:
        for p, _ in sub:
            if all(abs(p - s) > _TOLERANCE for s in starts):
                starts.append(p)
    order = sorted(range(len(starts)), key=starts.__getitem__)
    starts = [starts[k] for k in order]
    head = [""] * len(starts)
    for p, t in header:
        head[_column(starts, p)] = t
    for sub in sub_lines:
        for p, t in sub:
            col = _column(starts, p)
            head[col] = _join(head[col], t)
    out.append("\t".join(head))
    out.extend([""] * (i - head_no - 1))

    rows: list[int] = []  # indexes in `out` of the rows so far
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        line_no = i + 1
        i += 1
        if not line.strip():
            blank_run += 1
            out.append(line)
            if blank_run >= 2 and not plan and rows:
                break
            continue
        blank_run = 0
        found_cells = chunks(line)
        first_col = found_cells[0][0] <= starts[0] + _TOLERANCE and (len(starts) < 2 or found_cells[0][0] < starts[1] - _TOLERANCE)
        if len(found_cells) == 1 and first_col and not _CATEGORY.match(found_cells[0][1]) \
                and not (plan and found_cells[0][1][:1].isdigit()):
            out.append(line)  # a heading between rows
            continue
        if not first_col and rows:
            cells = _place(found_cells, starts)
            if cells is None or cells[0]:
                result.unsafe_lines.append(line_no)
                out.append(line)
                continue
            previous = out[rows[-1]].split("\t")
            out[rows[-1]] = "\t".join(_join(a, b) for a, b in zip(previous, cells, strict=True))
            out.append("")
            continue
        cells = _place(found_cells, starts)
        if cells is None:
            result.unsafe_lines.append(line_no)
            out.append(line)
            continue
        rows.append(len(out))
        out.append("\t".join(cells))
        if plan and squash(cells[0]).startswith("รวม"):
            break
    out.extend(lines[i:])
    if not result.unsafe_lines and rows:
        result.text = "\n".join(out)
    return result


def _column(starts: list[int], pos: int) -> int:
    return max((i for i, s in enumerate(starts) if s - _TOLERANCE <= pos), default=0)
