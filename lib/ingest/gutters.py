"""Tables in text extracted from a PDF with its layout (poppler's `pdftotext -layout`, a viewer's "save
as text"): columns can be one space apart ("มิติ งบประมาณ", "1   0.00"), every page is laid out on a
scale of its own (page breaks are form feeds), header labels sit one space apart or spread over lines
with sub-columns ("ดำเนินการ" / "ไตรมาส" / "1  2  3 4"), and marks (☑) are centred under them.

Each table is rewritten with its columns at fixed positions, at least two spaces apart, for the space
reader (lib.ingest.spaced), which then decides its rows as for any space-aligned text:
- On each page the columns are the data rows' text between gutters: x ranges that no row's text
  crosses (evidence from the rows, not from header words that may be one space apart). Each is named
  by the header word that starts in it (or overlaps it); header words over no row's text are columns of
  their own (a quarter with no tick, หมายเหตุ). A column no header word names, or a row's text
  crossing two header columns, is refused.
- A plan's tick goes to the quarter whose sub-header it stands under (the nearest, within two places,
  and clearly nearer than the next one); otherwise the line is refused: a quarter is never guessed.
- A page of the table without the header (the table runs on) is matched to the header's page by
  order, when it has as many columns; its ticks by the totals row's four counts on that page when it
  has one; else the page is refused, naming it.
- Lines of stray marks ("ที่  กี่") and page numbers are dropped from the table.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lib.ingest.action_plan import is_plan_header
from lib.ingest.spaced import _CODE_POINTS, header_at, width
from lib.thai import repair_pdf_text, to_arabic_digits

_WORD = re.compile(r"\S+")
_TICK = re.compile(r"^[☑✓✔√]$")
_MONEY = re.compile(r"^[0-9๐-๙][0-9๐-๙,]*\.[0-9๐-๙]{2}$")
_COUNT = re.compile(r"^[0-9๐-๙]{1,3}$")
_PAGE_NUMBER = re.compile(r"^(?:[-–(]?\s*[0-9๐-๙]{1,3}\s*[-–)]?|หน้า\s*[0-9๐-๙]{1,3}(?:\s*/\s*[0-9๐-๙]{1,3})?)$")
_QUARTER_REACH = 2


@dataclass
class Realigned:
    text: str | None  # the document with its tables rewritten, or None
    tables: int = 0
    reasons: dict[int, str] = field(default_factory=dict)  # line number -> why it could not be placed
    rewritten: set[int] = field(default_factory=set)  # indexes of the tables' lines


@dataclass(frozen=True)
class _Word:
    start: int
    end: int  # last column it covers
    text: str


def _words(line: str) -> list[_Word]:
    out = []
    pos = column = 0  # the column is counted on from the last word, not from the line's start (a long line)
    for m in _WORD.finditer(line):
        column += width(line[pos:m.start()])
        size = width(m.group())
        out.append(_Word(column, column + max(size, 1) - 1, m.group()))
        column, pos = column + size, m.end()
    return out


def _stray_marks(words: list[_Word]) -> bool:
    """pdftotext's loose upper marks, each on a base letter of its own: "ที่   กี่"."""
    return bool(words) and all(len(w.text) > 1 and sum(unicodedata.category(c) != "Mn" for c in w.text) == 1
                               for w in words)


def _runs(columns: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for x in sorted(columns):
        if out and x == out[-1][1] + 1:
            out[-1] = (out[-1][0], x)
        else:
            out.append((x, x))
    return out


def _slot_of(slots: list[tuple[int, int]], word: _Word) -> list[int]:
    return [k for k, (lo, hi) in enumerate(slots) if lo <= word.end and word.start <= hi]


def realign(text: str, page_starts: set[int], code_points: bool = True) -> Realigned:
    """The text with every table rewritten (see the module's notes); positions in code points (as
    pdftotext pads) or display columns."""
    token = _CODE_POINTS.set(code_points)
    try:
        return _realign(text.splitlines(), page_starts)
    finally:
        _CODE_POINTS.reset(token)


def _realign(lines: list[str], page_starts: set[int]) -> Realigned:
    page = []
    p = 0
    for k in range(len(lines)):
        p += k in page_starts
        page.append(p)
    out = list(lines)
    result = Realigned(None)
    i = 0
    while i < len(lines):
        found = header_at(lines, i)
        if found is None:
            i += 1
            continue
        end = _Table(lines, page, i, found[2], is_plan_header(found[1]), result).write(out)
        result.tables += 1
        i = max(end, i + 1)
    if result.tables and not result.reasons:
        # text from pdftotext: outside the tables positions no longer matter; its loose marks go and the
        # Thai is repaired as a PDF's text layer is (lib.thai.repair_pdf_text), as the cells were
        for k, line in enumerate(out):
            if page_starts and k not in result.rewritten:
                out[k] = "" if _stray_marks(_words(line)) else repair_pdf_text(line)
        result.text = "\n".join(out)
    return result


class _Table:
    def __init__(self, lines: list[str], page: list[int], head: int, head_end: int, plan: bool,
                 result: Realigned) -> None:
        self.lines, self.page, self.head, self.plan, self.result = lines, page, head, plan, result
        self.from_pdf = page[-1] > 0 if page else False
        words = [_words(line) for line in lines]
        self.words = words
        # a plan's header runs on (บาท, ไตรมาส, the quarter numbers) up to its first numbered row
        self.head_end = head_end
        if plan:
            while self.head_end < min(head + 5, len(lines)) and not self._opens_row(self.head_end):
                self.head_end += 1
        self.end = self._find_end()

    def _opens_row(self, k: int) -> bool:
        w = self.words[k]
        return bool(w) and w[0].start <= self.words[self.head][0].start + 2 \
            and to_arabic_digits(w[0].text).isdigit()

    def _find_end(self) -> int:
        k = self.head_end
        while k < len(self.lines):
            if k > self.head_end and header_at(self.lines, k):
                return k
            w = self.words[k]
            if self.plan and w and w[0].text.startswith("รวม"):
                return k + 1
            k += 1
        return k

    def _body(self, pg: int) -> list[int]:
        """The table's lines on page pg that are rows (not header, blank, stray marks, page numbers)."""
        ks = [k for k in range(self.head_end, self.end) if self.page[k] == pg and self.words[k]
              and not _stray_marks(self.words[k])]
        return [k for n, k in enumerate(ks)
                if not (len(self.words[k]) <= 3 and _PAGE_NUMBER.match(self.lines[k].strip())
                        and n in (0, len(ks) - 1) and self.words[k][0].start > 4)]

    def _is_total(self, k: int) -> bool:
        return self.plan and self.words[k][0].text.startswith("รวม")

    def write(self, out: list[str]) -> int:
        head_page = self.page[self.head]
        body_pages = sorted({self.page[k] for k in range(self.head_end, self.end)})
        rows = {pg: self._body(pg) for pg in body_pages}
        slots = self._slots(rows.get(head_page, []))
        named = self._name(slots)
        if named is None:
            return self.end
        columns, quarters = named  # columns: (lo, hi) per output column in the header page's places
        self.quarter_cols = [n for n, (lo, _) in enumerate(columns) if quarters and lo in quarters]
        cells: dict[int, dict[int, str]] = {}
        for k in range(self.head, self.head_end):
            placed = self._place(k, columns, None, quarters, header=True)
            if placed is None:
                return self.end
            cells[k] = placed
        data_slots = [s for s in slots]
        for pg in body_pages:
            ks = rows[pg]
            if not ks:
                continue
            if pg == head_page:
                mapping, qpos = None, quarters
            else:
                here = self._slots(ks)
                if not here and all(self._is_total(k) for k in ks):
                    mapping, qpos = {}, quarters  # the totals row alone: placed by what its numbers are
                elif len(here) != len(data_slots):
                    self.result.reasons[ks[0] + 1] = (
                        f"หน้าใหม่ของตาราง (หัวตารางบรรทัด {self.head + 1}) ไม่มีหัวตารางซ้ำ และแบ่งได้ {len(here)} "
                        f"คอลัมน์ ไม่ตรงกับหน้าที่มีหัวตาราง ({len(data_slots)}) จึงจับคู่คอลัมน์ไม่ได้")
                    return self.end
                else:
                    mapping = dict(zip(here, data_slots, strict=True))
                    qpos = self._totals_quarters(ks) if self.plan else None
            for k in ks:
                placed = self._place(k, columns, mapping, qpos, header=False)
                if placed is None:
                    return self.end
                cells[k] = placed
        starts, at = [], 0
        for c in range(len(columns)):
            starts.append(at)
            at += max([width(v[c]) for v in cells.values() if c in v] + [1]) + 3
        self.result.rewritten.update(range(self.head, self.end))
        for k in range(self.head, self.end):
            if k in cells:
                line = ""
                for c, value in sorted(cells[k].items()):
                    line = line + " " * (starts[c] - width(line)) + value
                out[k] = line
            elif self.words[k]:
                out[k] = ""  # stray marks, a page number inside the table
        return self.end

    def _slots(self, ks: list[int]) -> list[tuple[int, int]]:
        """The x ranges of the rows' text between gutters (ticks and totals rows aside: centred)."""
        covered: set[int] = set()
        for k in ks:
            if self._is_total(k):
                continue
            for w in self.words[k]:
                if not (self.plan and _TICK.match(w.text)):
                    covered.update(range(w.start, w.end + 1))
        return _runs(covered)

    def _name(self, slots: list[tuple[int, int]]):
        """Output columns (data slots and header-only ranges, left to right) and, for a plan, the
        quarter sub-headers' positions; None (the header's line refused) when a column has no header
        word or a plan has no quarter sub-headers."""
        quarters = None
        extra: list[tuple[int, int]] = []
        if self.plan:
            quarters = self._quarter_labels()
            if quarters is None:
                self.result.reasons[self.head + 1] = "หัวตารางแผนไม่มีหัวไตรมาส 1 2 3 4 เรียงกันในบรรทัดเดียว"
                return None
            extra = [(q, q) for q in quarters]
        named = [False] * len(slots)
        for k in range(self.head, self.head_end):
            last: dict[int, _Word] = {}
            for w in self.words[k]:
                homes = [n for n, (lo, hi) in enumerate(slots) if lo <= w.start <= hi] or _slot_of(slots, w)
                if homes:
                    named[homes[0]] = True
                    if homes[0] in last and w.start - last[homes[0]].end > 2:
                        # two labels over one column of the rows: their columns run together
                        self.result.reasons[k + 1] = (
                            f"คำในหัวตาราง '{last[homes[0]].text}' และ '{w.text}' อยู่เหนือข้อความแถวช่วงเดียวกัน "
                            "(ข้อความของแถวคร่อมคอลัมน์ จึงแบ่งคอลัมน์ไม่ได้)")
                        return None
                    last[homes[0]] = w
                elif not _slot_of(extra, w):
                    extra.append((w.start, w.end))
        for n, ok in enumerate(named):
            if not ok:
                self.result.reasons[self.head + 1] = (
                    f"ข้อความของแถวในช่วงตำแหน่ง {slots[n][0]}-{slots[n][1]} ไม่อยู่ใต้คำใดของหัวตาราง "
                    "จึงไม่รู้ว่าเป็นคอลัมน์ใด")
                return None
        columns = sorted(slots + extra)
        if any(a[1] >= b[0] for a, b in zip(columns, columns[1:], strict=False)):
            self.result.reasons[self.head + 1] = "คำในหัวตารางซ้อนทับคอลัมน์ของข้อมูล จึงแบ่งคอลัมน์ไม่ได้"
            return None
        self.labels = [""] * len(columns)
        for k in range(self.head, self.head_end):
            for w in self.words[k]:
                homes = _homes(columns, w)
                if homes:
                    self.labels[homes[0]] += w.text
        return columns, quarters

    def _quarter_labels(self) -> list[int] | None:
        for k in range(self.head, self.head_end):
            digits = [w for w in self.words[k] if to_arabic_digits(w.text) in ("1", "2", "3", "4")]
            if [to_arabic_digits(w.text) for w in digits] == ["1", "2", "3", "4"]:
                return [w.start for w in digits]
        return None

    def _totals_quarters(self, ks: list[int]) -> list[int] | None:
        """On a page without the header: the four quarter counts of its totals row, as positions."""
        for k in ks:
            if self._is_total(k):
                counts = [w for w in self.words[k][1:] if _COUNT.match(to_arabic_digits(w.text))]
                if len(counts) == 4:
                    return [w.start for w in counts]
        return None

    def _place(self, k: int, columns, mapping, quarters, header: bool) -> dict[int, str] | None:
        """Column -> text of line k; None when a word cannot be placed (the line is refused)."""
        quarter_cols = self.quarter_cols
        placed: dict[int, list[_Word]] = {}
        if not header and self._is_total(k):
            return self._place_total(k, columns, quarter_cols)
        index = {c: n for n, c in enumerate(columns)}
        for w in self.words[k]:
            if not header and self.plan and _TICK.match(w.text):
                q = _nearest(quarters, w.start) if quarters else None
                if q is None or len(quarter_cols) != 4:
                    return self._refuse(k, f"เครื่องหมาย '{w.text}' ไม่อยู่ใต้หัวไตรมาสใดชัดเจน ระบบจึงไม่ระบุไตรมาสให้")
                placed.setdefault(quarter_cols[q], []).append(w)
                continue
            if mapping is not None:
                homes = [index[mapping[s]] for s in mapping if s[0] <= w.end and w.start <= s[1]]
            else:
                homes = _homes(columns, w)
            if not homes or (len(homes) > 1 and not header):
                return self._refuse(k, f"ข้อความ '{w.text}' คร่อมหลายคอลัมน์หรือไม่อยู่ในคอลัมน์ใด "
                                       "(ช่องว่างระหว่างคอลัมน์ไม่ชัด)")
            placed.setdefault(homes[0], []).append(w)
        repair = repair_pdf_text if self.from_pdf else str
        return {c: repair(" ".join(w.text for w in ws)) for c, ws in placed.items()}

    def _place_total(self, k: int, columns, quarter_cols: list[int]) -> dict[int, str] | None:
        """The totals row (centred, often on a page of its own): its label first, the one amount in the
        budget column, four counts in the quarters in order; anything else is refused."""
        words = self.words[k]
        budget = next((n for n, label in enumerate(self.labels) if label.startswith("งบประมาณ")), None)
        amounts = [w for w in words[1:] if _MONEY.match(to_arabic_digits(w.text))]
        counts = [w for w in words[1:] if _COUNT.match(to_arabic_digits(w.text))]
        if budget is None or len(amounts) > 1 or len(counts) not in (0, 4) or len(quarter_cols) != 4 \
                or len(amounts) + len(counts) != len(words) - 1:
            return self._refuse(k, "แถวรวมทั้งสิ้นมีตัวเลขที่ระบบจับคู่กับคอลัมน์ไม่ได้อย่างชัดเจน")
        out = {0: words[0].text}
        if amounts:
            out[budget] = amounts[0].text
        for q, w in enumerate(counts):
            out[quarter_cols[q]] = w.text
        return out

    def _refuse(self, k: int, why: str) -> None:
        self.result.reasons[k + 1] = why
        return None


def _homes(columns: list[tuple[int, int]], w: _Word) -> list[int]:
    return [n for n, (lo, hi) in enumerate(columns) if lo <= w.start <= hi] or _slot_of(columns, w)


def _nearest(positions: list[int], x: int) -> int | None:
    """The quarter whose sub-header x stands under: within reach, and clearly nearer than the next."""
    by = sorted(range(len(positions)), key=lambda q: abs(positions[q] - x))
    best = abs(positions[by[0]] - x)
    if best > _QUARTER_REACH or (len(by) > 1 and abs(positions[by[1]] - x) - best < 2):
        return None
    return by[0]
