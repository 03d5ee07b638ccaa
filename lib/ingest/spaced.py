"""Tables whose cells are separated by runs of spaces instead of tabs (text copied from a web page,
`pdftotext -layout`): the columns are recovered from each header's positions and the table is
rewritten as the tab-separated rows the layout readers take.

- A cell ends at a run of two or more spaces; one space stays inside a cell (Thai uses it between
  phrases). Positions are display columns: Thai vowel and tone marks take none, full-width forms two.
- A header is a line (or up to four lines, when its labels are wrapped) whose cells the measure or plan
  readers recognise; a header further down starts a new table with its own column positions. Short
  pieces between the plan's header and its first row, right of its first column (the quarter
  numbers 1 2 3 4), add those columns.
- Every line is placed by position: each piece goes to the column whose start is at or before it;
  two pieces in one column cannot be placed, and the document is refused naming the line.
- A cell broken onto more lines (a narrow column, or a cell of several paragraphs): the lines of a
  row are top-aligned, so a line with nothing in the first column continues the row above. A line
  with text in the first column starts a row when the line above had none there, or when it fills a
  column the line above left empty (a new row's cells all begin on its first line). Otherwise both
  lines hold first-column text and nothing decides but the widths: a column whose piece above is
  "full" (the next word would not have fitted in the column's width) was wrapped, so the line
  continues it; a first column never broken anywhere in the table starts a row on every line. When
  the widths say both (the first cell's paragraph ended but another column runs on) the line
  continues only a first cell numbered just before it (two measures in one row, "๒." then "๓.");
  anything else is refused naming the line: a wrong count is never guessed.
- Cells must sit at the top-left of their room. A line without first-column text that begins a
  column the line above left empty (a cell centred or bottom-aligned in its row) is refused naming
  it; so is a table whose pieces start at a column's start less than 90% of the time (text centred
  or right-aligned in its column); a plan whose summary titles match none of its detail sheets
  (several) was cut into rows in the wrong places and is refused too (lib.ingest.read_text).
- Broken pieces of a cell are joined: into the same paragraph when the piece above was full (a wrap),
  as a new paragraph when it was not or the piece starts a list marker ("๑.", "-", "(๒)").
- A line of a single short text in the first column after a blank line is a heading ("ด้าน IIT") and
  stays as text; a numbered category "(๑) ..." is a row. The plan table ends at its totals row
  ("รวมทั้งสิ้น"); a measure table at two blank lines in a row.
"""
from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from lib.ingest.action_plan import is_plan_header
from lib.ingest.cells import is_separator_row, squash
from lib.ingest.measures import ITEM_CODE as _ITEM_CODE
from lib.ingest.measures import header_roles
from lib.thai import to_arabic_digits

_GAP = re.compile(r" {2,}")
_CATEGORY = re.compile(r"^\(\s*[๐-๙0-9]+\s*\)")
_SECTION = re.compile(r"ด้าน\s*(IIT|EIT|OIT)\b")
_MARKER = re.compile(r"^(?:[๐-๙0-9]{1,2}\s*[.)]|\(\s*[๐-๙0-9]{1,2}\s*\)|[-•*])")
_BULLET = re.compile(r"^(?:[-•*▪●○]|[๐-๙0-9]{1,2}\.[๐-๙0-9]{1,2})")
_NUMBER = re.compile(r"^([๐-๙0-9]{1,2})\s*[.)]")
_THAI_END = re.compile(r"[\u0e01-\u0e4e]$")
_THAI_START = re.compile(r"^[\u0e01-\u0e4e]")
_TOLERANCE = 2
_CODE_POINTS: ContextVar[bool] = ContextVar("spaced_code_points", default=False)
# each character's measured width (a PDF's glyph advances, in columns): `tabulate(text, advances)`
_ADVANCES: ContextVar[dict[str, float] | None] = ContextVar("spaced_advances", default=None)
# what a PDF page's spacing says of a line (its index -> "start" or "continue" a row), given only when
# the document spaces its rows apart (lib/ingest/pdf_spaced.py): it decides before the widths do
_HINTS: ContextVar[dict[int, str] | None] = ContextVar("spaced_hints", default=None)
# (line index, piece) that a PDF page's spacing shows opening a paragraph of its cell (paragraph spacing)
_PARAGRAPHS: ContextVar[set[tuple[int, str]] | None] = ContextVar("spaced_paragraphs", default=None)
_HEADER_LINES = 4
_ALIGNED = 0.9  # share of a table's pieces that must start at a column's start (left-aligned cells)

# Spaces other than U+0020 become as many plain spaces as they are wide; zero-width characters go
# (they take no column, so positions stay); full-width ASCII forms become ASCII once cells are cut.
_WIDE_SPACES = str.maketrans({**{c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                                                "\u2008\u2009\u200a\u202f\u205f"},
                              "\u3000": "  ", **{c: None for c in "\u200b\u200c\u200d\u2060\ufeff"}})
_HALF = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
# whether a text holds any of them: a search is a tenth of a translate of a text that holds none
_HAS_WIDE_SPACE = re.compile("[" + "".join(map(chr, _WIDE_SPACES)) + "]")
_HAS_FULL_WIDTH = re.compile("[" + "".join(map(chr, _HALF)) + "]")


def plain_spaces(text: str) -> str:
    """Unicode spaces as plain spaces of the same width; zero-width characters removed."""
    return text.translate(_WIDE_SPACES) if _HAS_WIDE_SPACE.search(text) else text


def halfwidth(text: str) -> str:
    """Full-width ASCII forms (Ａ１) as ASCII."""
    return text.translate(_HALF) if _HAS_FULL_WIDTH.search(text) else text


@dataclass
class Spaced:
    """What the space reader found: the tab text when it could place every cell, else why not."""

    text: str | None
    header: list[str] = field(default_factory=list)
    header_line: int | None = None
    unsafe_lines: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # line -> why it could not be placed (Thai)
    questions: list[tuple[int, str]] = field(default_factory=list)  # (line, question) when read
    how: str = "spaces"  # or "lines": every cell on a line of its own (lib.ingest.cell_lines)
    aligned: int = 0  # pieces of the tables' lines that start where a column starts
    pieces: int = 0
    misaligned: bool = False  # refused because the cells are centred or right-aligned in their columns
    by_totals: list[int] = field(default_factory=list)  # a plan's lines whose ticks the totals row placed

    def ask(self, line_no: int, question: str) -> None:
        """Read, but the user must settle what the reader could not (a question on the document)."""
        self.questions.append((line_no, question))

    def refuse(self, line_no: int, why: str) -> None:
        self.unsafe_lines.append(line_no)
        self.reasons[line_no] = why


def width(text: str) -> int:
    """Display columns (Thai marks none, full-width forms two), or code points when the text was padded
    by a program counting characters (`str.ljust`): `tabulate` tries both."""
    if _CODE_POINTS.get():
        return len(text)
    advances = _ADVANCES.get()
    if advances is not None:
        return sum(advances.get(c, 0.0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1.0) for c in text)
    out = 0
    for c in text:
        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        out += 2 if unicodedata.east_asian_width(c) in ("F", "W") else 1
    return out


def chunks(line: str) -> tuple[tuple[int, str], ...]:
    """(display column, text) of each cell of a line."""
    advances = _ADVANCES.get()
    # the cache lives for one `tabulate` (cleared when it ends), so the widths' identity is safe as a key
    return _chunks(line, _CODE_POINTS.get(), None if advances is None else id(advances))


@lru_cache(maxsize=65536)
def _chunks(line: str, _code_points: bool, _advances: int | None) -> tuple[tuple[int, str], ...]:
    # every line is cut several times (header search, two passes, two ways of counting columns);
    # the column is counted on from the previous cut, never from the line's start (a long line)
    out, pos, column = [], 0, 0
    for part in _GAP.split(line.rstrip()):
        at = line.index(part, pos) if part else pos
        column += width(line[pos:at])
        if part.strip():
            lead = len(part) - len(part.lstrip())
            out.append((column + lead, part.strip()))
        column += width(part)
        pos = at + len(part)
    return tuple(out)


@lru_cache(maxsize=65536)
def _is_header(cells: tuple[str, ...]) -> bool:
    cells_ = list(cells)
    return len([c for c in cells if c]) >= 3 and (is_plan_header(cells_) or header_roles(cells_) is not None)


def _cluster(positions: list[int]) -> list[int]:
    starts: list[int] = []
    for p in sorted(positions):
        if not starts or p - starts[-1] > _TOLERANCE:
            starts.append(p)
    return starts


def _column(starts: list[int], pos: int) -> int:
    return max((i for i, s in enumerate(starts) if s - _TOLERANCE <= pos), default=0)


def header_at(lines: list[str], i: int) -> tuple[list[int], list[str], int] | None:
    """(column starts, header cells, index after the header) when a header begins at line i."""
    if len(chunks(lines[i])) < 3:
        return None
    found: list[list[tuple[int, str]]] = []
    for k in range(i, min(i + _HEADER_LINES, len(lines))):
        if not lines[k].strip():
            break
        found.append(chunks(lines[k]))
        starts = _cluster([p for f in found for p, _ in f])
        cells = [""] * len(starts)
        for f in found:
            for p, t in f:
                c = _column(starts, p)
                cells[c] = f"{cells[c]} {t}".strip()
        if _is_header(tuple(cells)):
            return starts, cells, k + 1
    return None


def find_header(lines: list[str]) -> tuple[int, list[tuple[int, str]]] | None:
    for i in range(len(lines)):
        if header_at(lines, i):
            return i, chunks(lines[i])
    return None


def _place(found: list[tuple[int, str]], starts: list[int]) -> list[str] | None:
    cells = [""] * len(starts)
    for pos, text in found:
        col = _column(starts, pos)
        if cells[col]:
            return None
        cells[col] = text
    return cells


@lru_cache(maxsize=8192)
def _first_word(text: str) -> str:
    token = text.split(" ", 1)[0]
    if not _THAI_START.match(token):
        return token
    from pythainlp.tokenize import word_tokenize
    words = word_tokenize(token, keep_whitespace=False)
    return words[0] if words else token


def _opens_row(pieces: list[tuple[int, str]]) -> bool:
    """A first-column piece that opens a record: "(๑) ...", "๑. ...", "1", an ITA code."""
    first = halfwidth(pieces[0][1]) if pieces else ""
    return bool(_CATEGORY.match(first) or _NUMBER.match(first) or _ITEM_CODE.match(first)
                or to_arabic_digits(first).isdigit())


def _labels(lines: list[str], starts: list[int]) -> list[str]:
    """The header's cells: the pieces of its lines joined by column."""
    head = [""] * len(starts)
    for p, t in (c for line in lines for c in chunks(line)):
        col = _column(starts, p)
        head[col] = f"{head[col]} {t}".strip()
    return head


def _known(head: list[str]) -> int:
    """How many of the header's columns the measure reader knows (a label broken onto more lines
    is known once its next line joins it)."""
    return sum(1 for role in header_roles(head) or () if role)


def _breakable(text: str) -> bool:
    return " " in text or _first_word(text) != text


@dataclass
class _Row:
    out_index: int
    cells: list[list[str]]  # per column: its paragraphs
    last: list[str]  # per column: the last piece placed (to tell a wrap from a new paragraph)
    numbers: list[int] = field(default_factory=list)  # numbers that open first-cell paragraphs
    opened: set[int] = field(default_factory=set)  # the columns of the row's first line


class _Table:
    def __init__(self, starts: list[int], evidence: _Evidence | None = None) -> None:
        self.starts = starts
        self.evidence = evidence or _Evidence()
        self.widths = [0] * len(starts)
        self.codes = False  # the first column holds ITA question codes (หัวข้อการประเมิน)
        self.lines_to_start = False  # some other cell's line was put at the line's start

    @property
    def multiline0(self) -> bool:
        """Some first cell of the document runs onto a second line."""
        return self.evidence.alone0 or self.wraps(0)

    def wraps(self, col: int) -> bool:
        return self.evidence.wraps(col)

    def learn(self, placed: list[tuple[int, list[str] | None]]) -> None:
        """Which columns wrap (counted over the document: one renderer drew all its tables). Of the
        pieces that surely run on from the line above, at least half were full: for a column, the
        lines with an empty first column; for the first column, lines with fewer cells than the line
        above (a row's shorter cells have ended) or with the first cell alone."""
        full, pairs = self.evidence.full, self.evidence.pairs
        for (_, above), (_, cells) in zip(placed, placed[1:], strict=False):
            if not above or not cells:
                continue
            has = {c for c, t in enumerate(cells) if t}
            had = {c for c, t in enumerate(above) if t}
            if 0 in has:
                if not above[0] or not has < had or _CATEGORY.match(cells[0]) \
                        or has == {0} and _SECTION.search(cells[0]):  # a heading ("ด้าน EIT"), no run-on
                    continue
                if has == {0}:
                    self.evidence.alone0 = True
                run_on = [0]
            else:
                run_on = sorted(has & had)
            for c in run_on:
                pairs[c] = pairs.get(c, 0) + 1
                full[c] = full.get(c, 0) + self.full(c, above[c], cells[c], learned=False)

    def measure(self, placed: list[tuple[int, list[str] | None]]) -> None:
        """Each column's width: its widest piece that could have been broken (a word too long for the
        column overflows it, as a text renderer leaves it)."""
        pieces: list[list[str]] = [[] for _ in self.starts]
        for _, cells in placed:
            for c, text in enumerate(cells or ()):
                if text and not (c == 0 and _SECTION.search(text)):  # a heading ("ด้าน EIT") sits over the rows
                    pieces[c].append(text)
        for c, texts in enumerate(pieces):
            texts.sort(key=width, reverse=True)
            self.widths[c] = next((width(t) for t in texts[:20] if _breakable(t)), width(texts[0]) if texts else 0)

    def full(self, col: int, above: str, below: str, learned: bool = True) -> bool:
        """Would the first word of `below` not have fitted after `above` in a column that wraps?"""
        if col >= len(self.widths):  # a column added under the header after the widths were measured
            return False
        return (not learned or self.wraps(col)) and bool(above) \
            and width(above) + 1 + width(_first_word(below)) > self.widths[col]


@dataclass
class _Evidence:
    """What the document's tables say about its rendering, learned before any row is decided."""

    full: dict[int, int] = field(default_factory=dict)
    pairs: dict[int, int] = field(default_factory=dict)
    alone0: bool = False  # a line with only first-column text runs on from a first cell

    def wraps(self, col: int) -> bool:
        pairs = self.pairs.get(col, 0)
        return pairs >= 2 and self.full.get(col, 0) * 2 >= pairs


def _number(text: str) -> int | None:
    m = _NUMBER.match(to_arabic_digits(text))
    return int(m.group(1)) if m else None


def _add(row: _Row, col: int, piece: str, table: _Table, new_paragraph: bool = False) -> None:
    paragraphs, above = row.cells[col], row.last[col]
    if paragraphs and above and not new_paragraph and table.full(col, above, piece, learned=False) \
            and not _MARKER.match(piece):
        glue = "" if _THAI_END.search(paragraphs[-1]) and _THAI_START.match(piece) else " "
        paragraphs[-1] += glue + piece
    else:
        paragraphs.append(piece)
        if col == 0 and (n := _number(piece)) is not None:
            row.numbers.append(n)
    row.last[col] = piece


def _cell(paragraphs: list[str]) -> str:
    if len(paragraphs) <= 1:
        return paragraphs[0] if paragraphs else ""
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _placed_lines(lines: list[str], starts: list[int], i: int, plan: bool) -> list[tuple[int, list[str] | None]]:
    """(line index, cells or None) of the table's lines from i up to its end (the next header, the
    plan's totals row, two blank lines after a measure row)."""
    out: list[tuple[int, list[str] | None]] = []
    blank_run = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank_run += 1
            if blank_run >= 2 and not plan and any(c for _, c in out):
                break
            out.append((i, []))
            i += 1
            continue
        blank_run = 0
        if header_at(lines, i):
            break
        cells = _place(chunks(line), starts)
        out.append((i, cells))
        i += 1
        if plan and cells and squash(cells[0]).startswith("รวม"):
            break
    return out


def _read_table(lines: list[str], start: tuple[list[int], list[str], int], head_no: int,
                out: list[str], result: Spaced, evidence: _Evidence, learning: bool) -> int:
    starts, header_cells, i = start
    plan = is_plan_header(header_cells)
    starts = list(starts)
    estimate = _Table(starts)
    header_lines = [(k, _place(chunks(lines[k]), starts)) for k in range(head_no, i)]
    estimate.measure(header_lines + _placed_lines(lines, starts, i, plan))
    # lines under the header that belong to it: pieces only in columns the header left empty (the
    # plan's quarter numbers 1 2 3 4) or labels broken onto more lines (each piece continuing a full one)
    last = {_column(starts, p): t for p, t in chunks(lines[i - 1])}
    while i < len(lines):
        if not lines[i].strip():  # a blank line before the quarter numbers
            after = next((k for k in range(i, min(i + 3, len(lines))) if lines[k].strip()), None)
            if after is None or not all(p > starts[0] + _TOLERANCE for p, _ in chunks(lines[after])):
                break
            i = after
        pieces = chunks(lines[i])
        if plan and all(p > starts[0] + _TOLERANCE and len(t) <= 12 for p, t in pieces):
            for p, _ in pieces:
                if all(abs(p - s) > _TOLERANCE for s in starts):
                    starts.append(p)
            starts.sort()
        elif _opens_row(pieces) or not all(
                _column(starts, p) in last
                and estimate.full(_column(starts, p), last[_column(starts, p)], t, learned=False)
                for p, t in pieces):
            known = _known(_labels(lines[head_no:i], starts))
            more = next((m for m in range(1, 4) if all(lines[k].strip() and not _opens_row(chunks(lines[k]))
                                                      for k in range(i, min(i + m, len(lines))))
                         and _known(_labels(lines[head_no:i + m], starts)) > known), None)
            if more is None:
                break
            i += more - 1  # a label known only once its next lines join it
        last = {_column(starts, p): t for p, t in pieces}
        i += 1
    head = _labels(lines[head_no:i], starts)
    out[head_no] = "\t".join(head)
    for k in range(head_no + 1, i):
        out[k] = ""

    placed = _placed_lines(lines, starts, i, plan)
    header_lines = [(k, _place(chunks(lines[k]), starts)) for k in range(head_no, i)]
    return _read_rows(lines, starts, head, header_lines, placed, out, result, evidence, learning, i)


def _read_rows(lines: list[str], starts: list[int], head: list[str], header_lines: list, placed: list,
               out: list[str], result: Spaced, evidence: _Evidence, learning: bool, i: int,
               carried: bool = False) -> int:
    """The table's rows from its placed lines (`carried`: a block without a header that carries on
    the table above, whose first line may run on that table's last row: a row of its own, as a
    tab-separated copy has it)."""
    plan = is_plan_header(head)
    table = _Table(starts, evidence)
    table.codes = (header_roles(head) or [None])[0] == "topic"
    table.measure(header_lines + placed)
    if learning:
        table.learn(placed)
        return placed[-1][0] + 1 if placed else i

    for k, _ in placed:
        for p, _text in chunks(lines[k]):
            result.pieces += 1
            result.aligned += any(abs(p - s) <= _TOLERANCE for s in starts)
    # the copy puts a cell's own line breaks at the line's start (a first-column piece too wide for it)
    # (inside a row: under a line of the table, no heading between tables)
    # or three lines or more of a first-column piece alone that neither runs on the one above nor opens a
    # list item (a first cell's own paragraphs seldom come so, another cell's lines do)
    pairs = [(above, k, cells) for (_, above), (k, cells) in zip(placed, placed[1:], strict=False)
             if cells and cells[0] and above and above[0] and not _SECTION.search(cells[0])]
    table.lines_to_start = _ADVANCES.get() is None and not plan and (
        any(_overruns(table, chunks(lines[k])[0]) for _, k, _ in pairs)
        or sum(not any(cells[1:]) and not _MARKER.match(cells[0]) and not table.full(0, above[0], cells[0], learned=False)
               for above, _, cells in pairs) >= 3)
    row: _Row | None = None
    previous = None  # cells of the line above (None after a blank line)
    two_up = None  # cells of the line above that

    def flush() -> None:
        if row is not None:
            out[row.out_index] = "\t".join(_cell(p) for p in row.cells)

    for k, cells in placed:
        line_no = k + 1
        if cells == []:
            previous = None
            continue
        if cells is None:
            result.refuse(line_no, "ข้อความสองช่องตกอยู่ในคอลัมน์เดียวกันของหัวตาราง")
            flush()
            previous, row = None, None
            continue
        has = {c for c, t in enumerate(cells) if t}
        if is_separator_row(cells):  # "--  ---  --" left between pages: a row the readers skip
            flush()
            out[k] = "\t".join(cells)
            previous, row = None, None
            continue
        if 0 not in has and row is None and carried:
            decision = "start"  # the last row of the table above runs on: a row of its own, first cell empty
        elif 0 not in has:
            if row is None:
                result.refuse(line_no, "บรรทัดไม่มีข้อความในคอลัมน์แรก แต่ไม่มีแถวก่อนหน้าให้ต่อ")
                continue
            fresh = sorted(has - {c for c, t in enumerate(previous or ()) if t})
            if previous is not None and fresh and _ADVANCES.get() is None:
                # a row's cells all begin on its first line (top-aligned): a cell that begins on a later
                # line of a run on is centred or bottom-aligned, and its row cannot be told (a PDF laid
                # out from measured positions has its own evidence: the lines' spacing, cut rows)
                labels = ", ".join(f"'{head[c][:20]}'" for c in fresh if c < len(head))
                result.refuse(line_no, f"ข้อความในคอลัมน์ {labels} เริ่มกลางแถว (เซลล์จัดกึ่งกลางหรือชิดล่างในแนวตั้ง) "
                                       "จึงบอกไม่ได้ว่าเป็นของแถวใด")
                flush()
                previous, row = None, None
                continue
            decision = "continue"
        elif len(has) == 1 and (previous is None or _SECTION.search(cells[0])) and not _CATEGORY.match(cells[0]) \
                and not (plan and to_arabic_digits(cells[0])[:1].isdigit()) and width(cells[0]) <= 60:
            flush()
            previous, row = None, None  # a heading between tables or rows: kept as text
            continue
        else:
            decision = _decide(table, row, previous, cells, has, plan)
            hint = (_HINTS.get() or {}).get(k)
            if hint and row is not None:
                decision = hint
            elif row is not None and previous is not None and not plan and _ADVANCES.get() is None:
                decision = _at_line_start(table, row, previous, cells, has, decision, chunks(lines[k])[0],
                                          two_up)
        if decision == "overruns":
            # wider than the first column: another cell's line that the copy put at the line's start
            opening = _opening(row.cells[0][0] if row.cells[0] else "")
            result.ask(line_no, f"ข้อความ '{cells[0][:60]}' อยู่ต้นบรรทัดแต่ยาวเกินคอลัมน์แรก ('{head[0][:20]}') จึงเป็นข้อความ"
                                f"ของช่องอื่นในแถว '{opening}…' ที่ขึ้นบรรทัดใหม่ ระบบบอกไม่ได้ว่าเป็นของช่องใด "
                                "จึงไม่ได้นำข้อความนี้เข้า กรุณาตรวจกับเอกสารต้นฉบับ")
            cells = ["", *cells[1:]]
            has.discard(0)
            decision = "continue"
            out[k] = ""
            if not has:
                continue
        if decision == "aside":
            opening = _opening(row.cells[0][0] if row.cells[0] else "")
            result.ask(line_no, f"ข้อความ '{cells[0][:60]}' อยู่ต้นบรรทัดในแถว '{opening}…' อาจเป็นย่อหน้าใหม่ของช่อง "
                                f"'{head[0][:20]}' หรือข้อความของช่องอื่นในแถวนี้ที่ขึ้นบรรทัดใหม่ (สำเนาจากหน้าเว็บ) "
                                "ระบบบอกไม่ได้ว่าเป็นของช่องใด จึงไม่ได้นำข้อความนี้เข้า กรุณาตรวจกับเอกสารต้นฉบับ")
            out[k] = ""
            continue
        if decision == "doubt":
            result.refuse(line_no, f"ข้อความ '{cells[0][:40]}' อยู่ต้นบรรทัดกลางแถว อาจเป็นข้อความในคอลัมน์แรก "
                                   "หรือข้อความของช่องอื่นในแถวเดียวกันที่ขึ้นบรรทัดใหม่ (สำเนาจากหน้าเว็บ) จึงบอกไม่ได้ว่าอยู่ช่องใด")
            flush()
            previous, row = cells, None
            continue
        if decision == "unsafe":
            result.refuse(line_no, "ไม่แน่ใจว่าเป็นแถวใหม่หรือข้อความต่อจากแถวก่อน (ข้อความในคอลัมน์แรกของสองบรรทัดติดกัน)")
            flush()
            previous, row = cells, None
            continue
        if decision == "start":
            flush()
            row = _Row(k, [[] for _ in starts], [""] * len(starts), opened=has)
        else:
            out[k] = ""
        for c in has:
            _add(row, c, cells[c], table, (k, cells[c]) in (_PARAGRAPHS.get() or ()))
        two_up, previous = previous, cells
    flush()
    return placed[-1][0] + 1 if placed else i


def _opening(first_cell: str) -> str:
    """A row's first cell's opening words, its markup left out, to name the row in a question."""
    return " ".join(re.sub(r"<[^>]+>", " ", first_cell).split())[:30]


def _at_line_start(table: _Table, row: _Row, previous: list[str], cells: list[str], has: set[int],
                   decision: str, first: tuple[int, str], two_up: list[str] | None = None) -> str:
    """Whether a first-column piece inside a row may be another cell's line put at the line's start (a
    browser's copy can begin a cell's own line breaks there): "overruns" when it runs past the next
    column's start (no first-column text does), "aside" (asked about, left out) for a piece alone on its
    line that neither runs the first cell on nor opens a list item, "doubt" (refused) when it is not
    surely the first cell's own nor
    a new row's, else the decision unchanged."""
    if _overruns(table, first):
        return "overruns"
    if decision == "unsafe" or _opens_row([first]) and decision == "start" or _CATEGORY.match(cells[0]):
        return decision
    above = {c for c, t in enumerate(previous) if t}
    if decision == "start":
        # a new row's cells begin on its first line: one whose other cells all go on from the line above
        # holds no cell of its own beside the first (a first cell alone is no row)
        alone = not has - {0} - above if table.lines_to_start else has == {0}
        if not previous[0] and alone:
            return "doubt"
        # a first-column piece alone between two lines with other cells, those cells running on across it
        # (each full above: wrapped): another cell's line put at the line's start, not a row's end
        if above == {0} and two_up and not _MARKER.match(cells[0]):
            shared = [c for c in has - {0} if c < len(two_up) and two_up[c]]
            runs_on = [c for c in shared if table.full(c, row.last[c], cells[c]) and not _MARKER.match(cells[c])]
            if runs_on and 2 * len(runs_on) >= len(shared):
                return "doubt"
        return decision
    if table.lines_to_start and has != {0}:
        return "doubt"  # the first column's piece starts a line while other cells of the row carry on
    if not table.lines_to_start:
        # a first cell's own paragraphs, list items, next measure: as read; but a piece alone on its line
        # that neither runs the first cell's paragraph on nor opens a list item may as well be another
        # cell's line put at the line's start
        wrap = table.full(0, row.last[0], cells[0], learned=False) or _MARKER.match(cells[0])
        return "aside" if has == {0} and not wrap else decision
    wrap = table.full(0, row.last[0], cells[0], learned=False) and not _MARKER.match(cells[0])
    return decision if wrap else "doubt"


def _overruns(table: _Table, first: tuple[int, str]) -> bool:
    """A piece at the first column's start that runs past the next column's start: no first cell does."""
    pos, text = first
    return len(table.starts) > 1 and pos <= table.starts[0] + _TOLERANCE and pos + width(text) > table.starts[1]


def _decide(table: _Table, row: _Row | None, previous: list[str] | None, cells: list[str], has: set[int],
            plan: bool) -> str:
    """'start' a row, 'continue' the row above, or 'unsafe' for a line with first-column text."""
    if row is None or previous is None or not previous[0] or plan or _CATEGORY.match(cells[0]):
        return "start"
    if table.codes and _ITEM_CODE.match(halfwidth(cells[0])):
        return "start"  # each row of a report by ITA question opens with its code (i๗, e๑๑, ๐๔๑)
    above = {c for c, t in enumerate(previous) if t}
    if has - above:
        # a new row's cells all begin on its first line; but where the first cell and two more of the
        # line above go on here, none of them able to take this line's next word (each runs on: a cell's
        # last line seldom fills it), the new cells may be the row's own beginning a line down (a cell
        # opening with an empty paragraph): laid out from a PDF's measured widths, where that is sure,
        # the line is in doubt unless the lines' spacing tells (hints)
        runs_on = [c for c in sorted(above & has) if table.full(c, previous[c], cells[c])]
        if _ADVANCES.get() is not None and runs_on[:1] == [0] and len(runs_on) >= 3 and not _MARKER.match(cells[0]):
            return "unsafe"
        return "start"
    if _BULLET.match(cells[0]):
        return "continue"  # a list inside the first cell
    number = _number(cells[0])
    if number is not None and row.numbers and number == row.numbers[-1] + 1:
        # the next numbered measure: the same row's second measure whose cells run on (the measure
        # reader splits them), or a row of its own when its other cells restart their numbering
        # ("๑. ...") and it fills every column the row's own first line did
        restarts = any(_number(cells[c]) == 1 for c in has - {0})
        return "start" if restarts and has >= row.opened else "continue"
    if not table.multiline0:
        return "start"
    if has == {0}:
        return "continue"  # the first cell runs on alone (a row's cells all begin on its first line)
    wrapped0 = table.full(0, previous[0], cells[0])
    wrapped = [c for c in has - {0} if table.full(c, previous[c], cells[c])]
    if wrapped0 and not _MARKER.match(cells[0]):
        return "continue"
    if not wrapped:
        return "start"
    return "unsafe"


def tabulate(text: str, advances: dict[str, float] | None = None, hints: dict[int, str] | None = None,
             paragraphs: set[tuple[int, str]] | None = None) -> Spaced:
    """The tables as tab-separated rows, positions counted in display columns or in code points,
    whichever places every line and puts more pieces exactly at a column's start; or, with `advances`
    (text laid out from measured positions: lib/ingest/pdf_spaced.py), in those widths, with `hints`
    (line index -> "start"/"continue") and `paragraphs` from the lines' spacing."""
    try:
        if advances is not None:
            tokens = _ADVANCES.set(advances), _HINTS.set(hints), _PARAGRAPHS.set(paragraphs)
            try:
                return _tabulate(text)
            finally:
                _ADVANCES.reset(tokens[0])
                _HINTS.reset(tokens[1])
                _PARAGRAPHS.reset(tokens[2])
        by_display = _tabulate(text)
        token = _CODE_POINTS.set(True)
        try:
            by_characters = _tabulate(text)
        finally:
            _CODE_POINTS.reset(token)
    finally:
        _chunks.cache_clear()  # the document's lines are not kept after it is read
        _is_header.cache_clear()
    read = [r for r in (by_display, by_characters) if r.text is not None]
    if not read:
        # refused either way; whether the cells are centred or right-aligned still says whether another
        # reader may try (lib.ingest._space_aligned)
        by_display.misaligned = all(r.aligned < _ALIGNED * r.pieces for r in (by_display, by_characters))
        return by_display
    best = max(read, key=lambda r: r.aligned / max(r.pieces, 1))
    share = best.aligned / max(best.pieces, 1)
    if share < _ALIGNED:
        # left-aligned cells start every piece at its column's start; centred or right-aligned text
        # starts anywhere inside it, and a piece near the next column's start cannot be placed safely
        best.text, best.misaligned = None, True
        best.refuse(best.header_line or 1, f"ข้อความในตารางเริ่มตรงตำแหน่งคอลัมน์ของหัวตารางเพียง {share:.0%} "
                                           "(ข้อความในช่องจัดกึ่งกลางหรือชิดขวา) จึงแบ่งคอลัมน์ไม่ได้อย่างปลอดภัย")
    return best


def _tabulate(text: str) -> Spaced:
    lines = text.splitlines()
    evidence = _Evidence()
    for learning in (True, False):
        out = list(lines)
        result = Spaced(None)
        covered: set[int] = set()
        columns: set[int] = set()  # the tables' column starts
        i = 0
        tables = 0
        while i < len(lines):
            start = header_at(lines, i)
            if start is None:
                i += 1
                continue
            if not tables:
                result.header, result.header_line = start[1], i + 1
            tables += 1
            end = max(_read_table(lines, start, i, out, result, evidence, learning), i + 1)
            if _ADVANCES.get() is not None and not is_plan_header(start[1]):
                end = _carry_on(lines, end, _labels(lines[i:start[2]], start[0]), out, result, evidence, learning)
            covered.update(range(i, end))
            columns.update(start[0])
            i = end
    if tables:
        _refuse_rows_outside(lines, covered, columns, result)
    if tables and not result.unsafe_lines:
        result.text = "\n".join(out)
    return result


def unread_headers(text: str) -> list[int]:
    """Line numbers outside the tables (no tab) of a reading that hold the openings of three or more of
    its headers' labels, and little else (a detail sheet's "งบประมาณ 20,000 บาท ผู้รับผิดชอบ กองคลัง" is
    not a header): the same header where its columns could not be told apart (labels one space apart, as
    a tightly padded table prints), so the table under it was not read. Reading the others alone would
    lose its records and number the rest wrongly."""
    lines = text.split("\n")
    labels = {"".join(c.split()) for line in lines if "\t" in line and _is_header.__wrapped__(tuple(cells := line.split("\t")))
              for c in cells if c.strip()}
    found = []
    for k, line in enumerate(lines):
        if "\t" in line:
            continue
        words = [w for w in line.split() if sum(unicodedata.category(c) != "Mn" for c in w) >= 3]
        opening = [w for w in words if any(label.startswith(w) for label in labels)]
        if len({label for w in opening for label in labels if label.startswith(w)}) >= 3 \
                and 3 * len(opening) >= 2 * len(words):
            found.append(k + 1)
    return found


def _blocks_after(lines: list[str], i: int) -> tuple[int, int] | None:
    """(first, end) of the lines after a table ended up to two blank lines in a row or a header."""
    first = next((k for k in range(i, len(lines)) if lines[k].strip()), None)
    if first is None or header_at(lines, first):
        return None
    end, blanks = first, 0
    while end < len(lines) and blanks < 2 and not (lines[end].strip() and header_at(lines, end)):
        blanks = blanks + 1 if not lines[end].strip() else 0
        end += 1
    return first, end - blanks


def _carried_starts(lines: list[str], first: int, end: int, n: int) -> tuple[list[int], int] | None:
    """The column starts of a block without a header, read from the first of its lines that fills all
    n columns (a table's columns keep their order: n pieces on one line are its n cells), and where
    the block stops being placed by them: a piece that starts a column's text off that column's start
    where the line above had none (another table's columns, as after a page break)."""
    full = next((k for k in range(first, end) if len(chunks(lines[k])) == n), None)
    if full is None:
        return None
    starts = [p for p, _ in chunks(lines[full])]
    above: set[int] = set()
    seen: set[int] = set()
    for k in range(first, end):
        pieces = chunks(lines[k])
        if not pieces:
            above = set()
            continue
        cols = [_column(starts, p) for p, _ in pieces]
        # off its column's start: the column's text going on, or a list item indented in it
        off = any(abs(p - starts[c]) > _TOLERANCE and c not in above and not (c in seen and _MARKER.match(t))
                  for (p, t), c in zip(pieces, cols, strict=True))
        if len(set(cols)) < len(cols) or off:
            return (starts, k) if k > full else None
        above = set(cols)
        seen |= above
    return starts, end


def _carry_on(lines: list[str], i: int, head: list[str], out: list[str], result: Spaced, evidence: _Evidence,
              learning: bool) -> int:
    """Blocks without a header after a measure table, as a table printed in pieces has them (each
    piece a table of its own, its columns set apart anew): each block is read with the header above
    when one of its lines fills every column and the rest keep to those columns. A block that cannot
    be placed is asked about (its text left out) when it opens no row, else refused as rows outside
    the tables (lib.ingest.spaced._refuse_rows_outside). Only for text laid out from a PDF's measured
    positions, where a block's columns are where its cells were drawn."""
    inside = None  # the rest of a block whose lines stopped keeping to its columns: (first, end)
    while (found := inside or _blocks_after(lines, i)) is not None:
        first, end = found
        placed = _carried_starts(lines, first, end, len(head))
        if placed is None:
            opens = any(_ITEM_CODE.match(halfwidth(t)) or _opens_row([(p, t)]) for k in range(first, end)
                        for p, t in chunks(lines[k]))
            if inside and opens:
                result.refuse(first + 1, "ข้อความส่วนนี้ของตาราง (ไม่มีหัวตาราง) วางคอลัมน์ต่างจากส่วนก่อนหน้า "
                                         "ระบบบอกไม่ได้ว่าแต่ละข้อความอยู่คอลัมน์ใด")
                return end
            if opens or not (inside or _row_like_block(lines, first, end)):
                return i
            if not learning:
                words = " ".join(" ".join(lines[k].split()) for k in range(first, min(end, first + 2)))[:60]
                row = next((out[k] for k in range(first - 1, -1, -1) if "\t" in out[k]), "")
                opening = _opening(row.split("\t")[0])
                result.ask(first + 1, f"ข้อความต่อจากแถว '{opening}…' ('{words}…') อยู่ในส่วนของตารางที่ไม่มีหัวตาราง "
                                      "และวางคอลัมน์ต่างจากหัวตาราง ระบบบอกไม่ได้ว่าอยู่คอลัมน์ใด จึงไม่ได้นำข้อความนี้เข้า "
                                      "กรุณาตรวจกับเอกสารต้นฉบับ")
                for k in range(first, end):
                    out[k] = ""
            i, inside = end, None
            continue
        starts, stop = placed
        rows = [(k, _place(chunks(lines[k]), starts) if lines[k].strip() else []) for k in range(first, stop)]
        _read_rows(lines, starts, head, [], rows, out, result, evidence, learning, first, carried=True)
        i, inside = stop, ((stop, end) if stop < end else None)
    return i


def _row_like_block(lines: list[str], first: int, end: int) -> bool:
    """Two pieces or more on one of its lines: cells, not a paragraph of text after the table."""
    return any(len(chunks(lines[k])) >= 2 for k in range(first, end))


def _row_like(pieces: list[tuple[int, str]], columns: set[int]) -> bool:
    """Three cells or more at a table's column starts, two of them words (a PDF's stray marks, "ที่  กี่",
    are not a row, nor a justified paragraph's wide gaps)."""
    at = [t for p, t in pieces if any(abs(p - c) <= _TOLERANCE for c in columns)]
    return len(at) >= 3 and sum(sum(unicodedata.category(c) != "Mn" for c in t) >= 3 for t in at) >= 2


def _refuse_rows_outside(lines: list[str], covered: set[int], columns: set[int], result: Spaced) -> None:
    """Lines of three or more cells that no table took (a table whose header was not recognised, rows
    after a measure table ended at blank lines, as text extracted from a PDF has them): reading the
    tables without them would lose records, so the document is refused naming them."""
    outside = [k for k in range(len(lines)) if k not in covered and _row_like(chunks(lines[k]), columns)]
    for k in outside[:10]:
        result.refuse(k + 1, "บรรทัดนี้มีหลายช่องเหมือนแถวของตาราง แต่อยู่นอกตารางที่ระบบอ่านได้ (หัวตารางอาจไม่ครบหรืออ่านไม่ได้)")
