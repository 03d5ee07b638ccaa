"""Tables copied with every cell on a line of its own (a browser's table pasted into a plain editor):
the header's labels, one a line, tell how many columns there are and in which order; the rows are
the lines after it taken that many at a time, and rewritten as the tab-separated rows the layout
readers take.

Two shapes are read:
- an empty cell is an empty line: every row is exactly as many lines as the header (a blank line in
  the header itself is an empty header cell, as the plan's quarter columns). A blank line may also
  stand between rows where a page broke; a row whose first cell is empty runs the row above on (a
  row continued on the next page) and a "--" row is left from a page break. Every way of cutting
  the lines into rows is tried: the rows must be the same in all of them;
- rows are separated by blank lines and empty cells are left out: a block of as many lines as the
  header is a row; a numbered category "(๑) ..." alone is a heading row; in a table whose rows open
  with a number or code, a block one line short that opens nothing runs the row above on (its first
  cell the empty one). A plan must keep its quarter cells (a tick's quarter is its column).
Lines that run a row on but whose columns cannot be told (the ways of cutting disagree, or a block
two or more lines short) are not placed: the document is read and each such place is a question
quoting the lines. A row whose first cell opens a record ("๑.", "(๑)", "i๗", a plan's number) must do
so in the order the document numbers them; a header repeated further down starts a new table. A
cell's list items written on its one line ("๑. ... ๒. ...") become its paragraphs again, so a row
holding two numbered measures splits as the tab-separated seed does. Anything else: no table, and
the message says what was found and what is needed.
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
    if ITEM_CODE.match(first.strip()):  # before the digits change: "๐๔๑" is a code, "041" is not
        return "code", None
    first = to_arabic_digits(first.strip())
    if m := _CATEGORY.match(first):
        return "category", int(m.group(1))
    if first.isdigit():
        return "seq", int(first)
    if m := _NUMBER.match(first):
        return "number", int(m.group(1))
    return None


def _kind(row: list[str]) -> str:
    """'separator' ("--" left between pages), 'continued' (an empty first cell: the row above runs
    on over a page break), 'empty', or 'row'."""
    dashes = [bool(re.fullmatch(r"\s*-+\s*", c)) for c in row]
    if any(dashes):  # "--" left between pages fills a whole row
        return "separator" if all(dashes) else "mixed"
    if not row[0].strip():
        return "continued" if any(c.strip() for c in row[1:]) else "empty"
    if _CATEGORY.match(to_arabic_digits(row[0].strip())) and any(c.strip() for c in row[1:]):
        return "mixed"  # a category "(๑) ..." is a heading row: its other cells are empty
    return "row"


def _numbering_holds(rows: list[list[str]]) -> bool:
    """Rows opened by numbers follow on; a numbered table has no row without its number."""
    openings = [_opening(r[0]) for r in rows if _kind(r) == "row" and not squash(r[0]).startswith("รวม")]
    kinds = {o[0] for o in openings if o and o[0] != "category"}
    if not kinds:
        return True
    if len(kinds) > 1 or any(o is None for o in openings):
        return False
    kind = kinds.pop()
    numbers = [o[1] for o in openings if o and o[0] == kind]
    return kind == "code" or all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _opens_like(first: str, kind: str | None) -> bool:
    """Could a row whose first cell is `first` start here, in a table whose rows open as `kind`?"""
    if kind is None or squash(first).startswith("รวม"):
        return True
    opening = _opening(first)
    return opening is not None and opening[0] in (kind, "category")


# A reading of a table's body: (index in the body, cells, placed). Not placed: lines that run the row
# above on but whose cells cannot be told (the lines themselves are given).
Reading = list[tuple[int, list[str], bool]]
_MAX_READINGS = 16


def _grid(body: list[str], n: int, kind: str | None) -> list[Reading]:
    """Every way to take the body as rows of exactly n lines (an empty cell an empty line), with blank
    lines between rows where a page broke; none when there are more than _MAX_READINGS."""
    size = len(body)
    ways = [0] * (size + 1)  # readings of body[i:], counted up to _MAX_READINGS + 1
    ways[size] = 1
    fits = [False] * size
    for i in range(size - 1, -1, -1):
        total = ways[i + 1] if not body[i].strip() else 0
        if i + n <= size:
            row = body[i:i + n]
            sort = _kind(row)
            fits[i] = sort in ("separator", "continued") or (sort == "row" and _opens_like(row[0], kind))
            total += ways[i + n] if fits[i] else 0
        ways[i] = min(total, _MAX_READINGS + 1)
    if not 1 <= ways[0] <= _MAX_READINGS:
        return []
    readings: list[Reading] = []
    stack: list[tuple[int, Reading]] = [(0, [])]
    while stack:  # each path through the lines that ends at the body's end
        i, rows = stack.pop()
        if i == size:
            readings.append(rows)
            continue
        if not body[i].strip() and ways[i + 1]:
            stack.append((i + 1, rows))
        if fits[i] and ways[i + n]:
            stack.append((i + n, [*rows, (i, body[i:i + n], True)]))
    return readings


def _blocks(body: list[str], n: int, kind: str | None) -> Reading | None:
    """Rows between blank lines, empty cells left out: a block of n lines is a row; a block of one
    numbered category "(๑) ..." is a row with its other cells empty; a block of n-1 lines whose first
    line does not open a row (in a table whose rows open with a number or code) runs the row above on,
    its first cell the empty one; a shorter such block runs it on in cells that cannot be told."""
    blocks: list[tuple[int, list[str]]] = [(0, [])]
    for at, line in enumerate(body):
        if line.strip():
            if not blocks[-1][1]:
                blocks[-1] = (at, [])
            blocks[-1][1].append(line)
        elif blocks[-1][1]:
            blocks.append((at, []))
    rows: Reading = []
    for at, block in (b for b in blocks if b[1]):
        opening = _opening(block[0])
        if len(block) == n and (_kind(block) != "row" or _opens_like(block[0], kind)):
            rows.append((at, block, True))
        elif len(block) < n and all(re.fullmatch(r"\s*-+\s*", line) for line in block):
            continue  # "--" left between pages
        elif len(block) == 1 and opening and opening[0] == "category":
            rows.append((at, block + [""] * (n - 1), True))
        elif kind is not None and opening is None and rows and len(block) < n:
            rows.append((at, ["", *block], True) if len(block) == n - 1 else (at, block, False))
        else:
            return None
    return rows


Unplaced = list[tuple[int, list[tuple[int, str]], str]]  # (index, (index, text) of each line, the row's first cell)


def _settle(readings: list[Reading]) -> tuple[list[list[str]], Unplaced] | None:
    """The rows every reading agrees on. Readings may differ only in how the lines that run a row on
    are cut into its cells: those lines are then left out, to be asked about (index, lines). None when
    the readings disagree on the rows themselves."""
    grouped = []
    for reading in readings:
        groups: list[tuple[list[str], Reading]] = []
        for at, cells, placed in reading:
            if placed and _kind(cells) != "continued":
                groups.append((cells, []))
            elif not groups:
                break  # lines that run a row on before any row
            else:
                groups[-1][1].append((at, cells, placed))
        else:
            if _numbering_holds([g[0] for g in groups]):
                grouped.append(groups)
    if not grouped or any([g[0] for g in other] != [g[0] for g in grouped[0]] for other in grouped[1:]):
        return None
    rows: list[list[str]] = []
    unplaced: Unplaced = []
    for k, (cells, runs_on) in enumerate(grouped[0]):
        rows.append(cells)
        if all(placed for _, _, placed in runs_on) and all(other[k][1] == runs_on for other in grouped[1:]):
            rows.extend(c for _, c, _ in runs_on)
        elif runs_on:
            unplaced.append((runs_on[0][0], [(at + k, line) for at, c, _ in runs_on for k, line in enumerate(c)
                                             if line.strip()], cells[0]))
    return rows, unplaced


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
            if sum(1 for label in candidates[0][len(labels):] if label) >= 2:
                continue  # a shorter header would leave header words as the first row's cells
            table = _table(lines[i:end], labels, len(candidates[0]))
            if table is not None:
                out.extend(table[0])
                for at, texts, row in table[1]:
                    result.ask(i + at + 1, _unplaced_message([(i + k + 1, t) for k, t in texts], row))
                break
        else:
            n = len(candidates[0])
            result.refuse(i + 1, f"หัวตารางมี {n} ช่อง (บรรทัดละช่อง) แต่บรรทัดที่ตามมาแบ่งเป็นแถวละ {n} บรรทัดไม่ลงตัว "
                                 "หรือเลขลำดับของแถวไม่ต่อเนื่อง")
    if not result.unsafe_lines:
        result.text = "\n".join(out)
    return result


def _unplaced_message(texts: list[tuple[int, str]], row: str) -> str:
    """`texts`: (line number, text) of the lines that run the row on."""
    where = ", ".join(str(k) for k, _ in texts)
    quoted = "; ".join(f"'{t.strip()[:60]}{'…' if len(t.strip()) > 60 else ''}'" for _, t in texts)
    row = row.strip()
    row = row if len(row) <= 40 else row[:40] + "…"
    return (f"บรรทัด {where}: ข้อความต่อจากแถว '{row}' (แถวต่อข้ามหน้า) บอกไม่ได้ว่าอยู่คอลัมน์ใด "
            f"เพราะไม่รู้ว่าช่องที่ว่างอยู่ตรงไหน ระบบจึงยังไม่ใส่ข้อความนี้ในมาตรการ: {quoted} "
            "กรุณาเพิ่มในช่องที่ถูกต้องในทะเบียน")


def _table(lines: list[str], labels: list[str], longest: int) -> tuple[list[str], Unplaced] | None:
    """The tab lines of one table (its header, rows and the text after them) and the lines that run a
    row on but could not be placed (index in `lines` of the row's first line, (index, text) of each),
    or None. `longest`: the longest header that could start here (the line after it tells how the rows
    open, whichever header is tried)."""
    n = len(labels)
    body = lines[n:]
    plan = is_plan_header(labels)
    rest: list[str] = []
    unplaced: Unplaced = []
    if plan:  # the plan's table ends at its totals row, the detail sheets follow
        quarter = next((k for k, label in enumerate(labels) if "ไตรมาส" in label), None)
        if quarter is None or labels[quarter + 1:quarter + 4] != ["", "", ""]:
            return None  # the four quarter columns must be there (a tick's quarter is its column)
        total = next((k for k in range(len(body)) if squash(body[k]).startswith("รวมทั้งสิ้น")), None)
        if total is None:
            return None
        rest = body[total + n:]
        body = body[:total + n]
        if len(body) % n:
            return None
        rows = [body[k:k + n] for k in range(0, len(body), n)]
        if not _numbering_holds(rows):
            return None
    else:
        last = max((k for k, line in enumerate(body) if line.strip()), default=0)
        if _SECTION.search(body[last] if body else ""):  # a section heading before the next table ("๒. ด้าน EIT")
            body, rest = body[:last], ["", *body[last:]]
        # blank lines at the end stay: they may be the last row's empty cells
        first = next((line for line in lines[longest:] if line.strip()), "")
        opening = _opening(first)
        kind = opening[0] if opening and opening[0] != "category" else None
        # rows between blank lines (no block longer than a row) or rows of exactly n lines: not both,
        # as a blank line that ends a row would be read as an empty cell
        by_blocks = _blocks(body, n, kind)
        settled = _settle([by_blocks] if by_blocks is not None else _grid(body, n, kind))
        if settled is None:
            return None
        rows = settled[0]
        unplaced = [(n + at, [(n + k, text) for k, text in texts], row) for at, texts, row in settled[1]]
    return ["\t".join(labels),
            *("\t".join(c.strip() if plan else _paragraphs(c.strip()) for c in row) for row in rows),
            *rest], unplaced
