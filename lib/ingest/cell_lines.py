"""Tables copied with every cell on a line of its own (a browser's table pasted into a plain editor):
the header's labels, one a line, tell how many columns there are and in which order; the rows are
the lines after it taken that many at a time, and rewritten as the tab-separated rows the layout
readers take.

Two shapes are read, and only when every row comes out whole:
- an empty cell is an empty line: every row is exactly as many lines as the header (a blank line in
  the header itself is an empty header cell, as the plan's quarter columns);
- rows are separated by blank lines and no cell is empty: each block is exactly as many lines.
A row whose first cell opens a record ("๑.", "(๑)", "i๗", a plan's number) must do so in the order the
document numbers them; a header repeated further down starts a new table. A cell's list items
written on its one line ("๑. ... ๒. ...") become its paragraphs again, so a row holding two numbered
measures splits as the tab-separated seed does. Anything else: no table, and the message says what
was found and what is needed.
"""
from __future__ import annotations

import re

from lib.ingest.action_plan import is_plan_header
from lib.ingest.cells import squash
from lib.ingest.measures import ITEM_CODE, header_roles
from lib.ingest.spaced import Spaced
from lib.thai import to_arabic_digits

_MAX_LABEL = 80
_INLINE_ITEM = re.compile(r"\s+(?=[๐-๙0-9]{1,2}[.)]\s)")
_NUMBER = re.compile(r"^([๐-๙0-9]{1,2})\s*[.)]\s")
_SECTION = re.compile(r"^\W*(?:[๐-๙0-9]\.\s*)?ด้าน\s*(IIT|EIT|OIT)\s*$")
_CATEGORY = re.compile(r"^\(\s*([๐-๙0-9]{1,2})\s*\)")


def _headers(lines: list[str], i: int) -> list[list[str]]:
    """The header labels that could start at line i, longest first: consecutive label lines (a blank
    line between labels is an empty header cell) recognised by the measure or plan reader. Which one
    it is, the rows after it decide."""
    if not lines[i].strip() or len(lines[i]) > _MAX_LABEL:
        return []
    labels: list[str] = []
    found: list[list[str]] = []
    k = i
    while k < len(lines) and len(labels) < 12:
        text = lines[k].strip()
        if len(text) > _MAX_LABEL:
            break
        labels.append(text)
        if text and len(labels) >= 3:
            roles = header_roles(labels)
            if is_plan_header(labels) or (roles is not None and all(r or not t for r, t in zip(roles, labels,
                                                                                            strict=True))):
                found.append(list(labels))
        k += 1
        if not any(x.strip() for x in lines[k - 4:k]) and k - i >= 4:
            break  # four empty lines: the header has ended
    return found[::-1]


def _paragraphs(cell: str) -> str:
    parts = [p for p in _INLINE_ITEM.split(cell) if p.strip()]
    return cell if len(parts) <= 1 else "".join(f"<p>{p.strip()}</p>" for p in parts)


def _opening(first: str) -> tuple[str, int | None] | None:
    """(kind, number) when a first cell opens a record; None when it does not."""
    first = to_arabic_digits(first.strip())
    if m := _CATEGORY.match(first):
        return "category", int(m.group(1))
    if ITEM_CODE.match(first):
        return "code", None
    if first.isdigit():
        return "seq", int(first)
    if m := _NUMBER.match(first):
        return "number", int(m.group(1))
    return None


def _numbering_holds(rows: list[list[str]]) -> bool:
    """Rows opened by numbers follow on; a numbered table has no row without its number."""
    openings = [_opening(r[0]) if r[0].strip() else ("continued", None) for r in rows
                if not squash(r[0]).startswith("รวม")]  # the plan's totals row
    kinds = {o[0] for o in openings if o and o[0] not in ("category", "continued")}
    if not kinds:
        return True
    if len(kinds) > 1 or any(o is None for o in openings):
        return False
    kind = kinds.pop()
    numbers = [o[1] for o in openings if o and o[0] == kind]
    return kind == "code" or all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _rows(body: list[str], n: int, blank_is_cell: bool = False) -> list[list[str]] | None:
    """The body's rows, or None when neither shape gives whole rows."""
    while body and not body[-1].strip() and not blank_is_cell:
        body = body[:-1]
    if body and len(body) % n == 0:
        rows = [body[k:k + n] for k in range(0, len(body), n)]
        if all(r[0].strip() or any(c.strip() for c in r) for r in rows) and _numbering_holds(rows):
            return rows
    if blank_is_cell:
        return None
    blocks: list[list[str]] = [[]]
    for line in body:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if blocks and all(len(b) == n for b in blocks) and _numbering_holds(blocks):
        return blocks
    return None


def tabulate(text: str) -> Spaced:
    """Spaced(text) with the tables rewritten, or Spaced(None, header, line) saying what was seen."""
    lines = text.splitlines()
    heads: list[tuple[int, list[list[str]]]] = []
    i = 0
    while i < len(lines):
        found = _headers(lines, i)
        if found:
            heads.append((i, found))
            i += len(found[0])  # a header's own lines do not start another
        else:
            i += 1
    if not heads:
        return Spaced(None)
    result = Spaced(None, heads[0][1][0], heads[0][0] + 1, how="lines")
    out = lines[:heads[0][0]]
    for t, (i, candidates) in enumerate(heads):
        end = heads[t + 1][0] if t + 1 < len(heads) else len(lines)
        for labels in candidates:
            table = _table(lines[i:end], labels)
            if table is not None:
                out.extend(table)
                break
        else:
            n = len(candidates[0])
            result.refuse(i + 1, f"หัวตารางมี {n} ช่อง (บรรทัดละช่อง) แต่บรรทัดที่ตามมาแบ่งเป็นแถวละ {n} บรรทัดไม่ลงตัว "
                                 "หรือเลขลำดับของแถวไม่ต่อเนื่อง")
    if not result.unsafe_lines:
        result.text = "\n".join(out)
    return result


def _table(lines: list[str], labels: list[str]) -> list[str] | None:
    """The tab lines of one table (its header, rows and the text after them), or None."""
    n = len(labels)
    body = lines[n:]
    plan = is_plan_header(labels)
    rest: list[str] = []
    if plan:  # the plan's table ends at its totals row, the detail sheets follow
        quarter = next((k for k, label in enumerate(labels) if "ไตรมาส" in label), None)
        if quarter is None or labels[quarter + 1:quarter + 4] != ["", "", ""]:
            return None  # the four quarter columns must be there (a tick's quarter is its column)
        total = next((k for k in range(len(body)) if squash(body[k]).startswith("รวมทั้งสิ้น")), None)
        if total is None:
            return None
        rest = body[total + n:]
        body = body[:total + n]
    tail: list[str] = []
    while not plan and body and (not body[-1].strip() or _SECTION.search(body[-1])) and len(tail) < 4:
        tail.insert(0, body.pop())  # a section heading before the next table ("๒. ด้าน EIT")
    rows = _rows(body, n, blank_is_cell=plan)
    if rows is None:
        return None
    return ["\t".join(labels),
            *("\t".join(c.strip() if plan else _paragraphs(c.strip()) for c in row) for row in rows),
            "", *tail, *rest]
