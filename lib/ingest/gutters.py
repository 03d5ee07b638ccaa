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
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations_with_replacement, product
from math import comb

from lib.ingest.action_plan import is_plan_header
from lib.ingest.measures import header_roles
from lib.ingest.spaced import _CODE_POINTS, header_at, width
from lib.thai import repair_pdf_text, to_arabic_digits

_WORD = re.compile(r"\S+")
_TICK = re.compile(r"^[☑✓✔√]$")
_MONEY = re.compile(r"^[0-9๐-๙][0-9๐-๙,]*\.[0-9๐-๙]{2}$")
_COUNT = re.compile(r"^[0-9๐-๙]{1,3}$")
_PAGE_NUMBER = re.compile(r"^(?:[-–(]?\s*[0-9๐-๙]{1,3}\s*[-–)]?|หน้า\s*[0-9๐-๙]{1,3}(?:\s*/\s*[0-9๐-๙]{1,3})?)$")
_PAGE_FOOTER = re.compile(r"^(?:หน้า\s*[0-9๐-๙]{1,3}(?:\s*/\s*[0-9๐-๙]{1,3})?|[-–]\s*[0-9๐-๙]{1,3}\s*[-–])$")
_QUARTER_REACH = 2
_LEADING_VOWELS = set("เแโใไ")


@dataclass
class Realigned:
    text: str | None  # the document with its tables rewritten, or None
    tables: int = 0
    reasons: dict[int, str] = field(default_factory=dict)  # line number -> why it could not be placed
    rewritten: set[int] = field(default_factory=set)  # indexes of the tables' lines
    numbered: bool = False  # some table's rows open with numbers (lib.ingest.gutters.by_rows)
    questions: list[tuple[int, str]] = field(default_factory=list)  # (line, question) when read by rows
    by_totals: list[int] = field(default_factory=list)  # lines whose ticks only the totals row placed


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


def _stray_marks(words: list[_Word], near: str = "") -> bool:
    """pdftotext's loose upper marks, each on a base letter of its own ("ที่   กี่"), and leading vowels
    it left on a line of their own ("ที่   ไ"): no Thai word is a leading vowel alone. Such letters
    run together ("ที่กี่", as `-fixed 3` sets them) are loose marks too when each of them stands in
    the text `near` (the lines around: "ผู้ที่เกี่ยวข้อง"), else they are a word of their own."""
    return bool(words) and all((len(w.text) > 1 and sum(unicodedata.category(c) != "Mn" for c in w.text) == 1)
                               or w.text in _LEADING_VOWELS or _marked_letters(w.text, near) for w in words)


def _marked_letters(text: str, near: str, alone: bool = False) -> bool:
    """Two or more letters (or one, `alone`) each with its marks, every one found in `near`."""
    letters: list[str] = []
    for c in text:
        if unicodedata.category(c) == "Mn" and letters:
            letters[-1] += c
        else:
            letters.append(c)
    return (len(letters) > 1 or alone) and all(len(x) > 1 and x in near for x in letters)


def _stray_line(lines: list[str], k: int) -> bool:
    """Line k holds only loose marks (`_stray_marks`), looked up in the nearest lines with text."""
    near = [next((lines[n] for n in steps if lines[n].strip()), "")
            for steps in (range(k - 1, -1, -1), range(k + 1, len(lines)))]
    return _stray_marks(_words(lines[k]), " ".join(near))


def _from_pdftotext(lines: list[str]) -> bool:
    """Text laid out by pdftotext without its page breaks (-nopgbrk, a viewer's "save as text"): two
    or more lines of nothing but loose marks, each marked letter found in the line right below (the
    word it was set apart from: "พื่" over "เพื่อพัฒนา"). A web page's copy has no such lines."""
    found = 0
    for k in range(len(lines) - 1):
        words = _words(lines[k])
        if words and lines[k + 1].strip() and all(
                w.text in _LEADING_VOWELS or _marked_letters(w.text, lines[k + 1], alone=True) for w in words):
            found += 1
            if found == 2:
                return True
    return False


@dataclass(frozen=True)
class Pages:
    """Where the pages of text from a PDF start (line indexes), inferred once for every reader."""
    starts: frozenset[int] = frozenset()
    pdf: bool = False  # pdftotext's text (form feeds, page footers or its loose marks), pages known or not


def pages(text: str, breaks: set[int]) -> Pages:
    """The pages of `text`: its form feeds (`breaks`, as pdftotext marks a page), else its page footers
    ('หน้า 1 / 5', '- 2 -') when their numbers run on one by one and the first or last of them shows
    where they stand (nothing but blank lines after the last: at each page's foot, the next page starts
    on the line below; nothing before the first: at each page's top). Text without page breaks whose
    footers cannot be placed, or with pdftotext's loose marks, is a PDF's with its pages unknown."""
    if breaks:
        return Pages(frozenset(breaks), True)
    lines = text.splitlines()
    footers = [k for k, line in enumerate(lines) if _PAGE_FOOTER.match(line.strip())]
    numbers = [int(to_arabic_digits(re.findall(r"[0-9๐-๙]+", lines[k])[0])) for k in footers]
    if len(footers) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
        if not any(line.strip() for line in lines[footers[-1] + 1:]):
            return Pages(frozenset(k + 1 for k in footers[:-1]), True)
        if numbers[0] == 1 and not any(line.strip() for line in lines[:footers[0]]):
            return Pages(frozenset(footers[1:]), True)
    return Pages(frozenset(), bool(footers) or _from_pdftotext(lines))


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


def realign(text: str, paging: Pages, code_points: bool = True) -> Realigned:
    """The text with every table rewritten (see the module's notes); positions in code points (as
    pdftotext pads) or display columns."""
    token = _CODE_POINTS.set(code_points)
    try:
        return _realign(text.splitlines(), paging)
    finally:
        _CODE_POINTS.reset(token)


def _page_numbers(count: int, page_starts: set[int]) -> list[int]:
    """Each line's page (counted from 0), from the lines that start a page."""
    page, p = [], 0
    for k in range(count):
        p += k in page_starts
        page.append(p)
    return page


def _realign(lines: list[str], paging: Pages) -> Realigned:
    page = _page_numbers(len(lines), paging.starts)
    out = list(lines)
    result = Realigned(None)
    tables: list[_Table] = []
    i = 0
    while i < len(lines):
        found = header_at(lines, i)
        if found is None:
            i += 1
            continue
        tables.append(_Table(lines, page, i, found[2], is_plan_header(found[1]), result))
        i = max(tables[-1].end, i + 1)
    plans = [t for t in tables if t.plan]
    # a plan's header repeated on each page starts a table of its own: the totals row counts them all
    by_totals = _ticks_by_totals(plans) if plans and paging.starts else None
    for table in tables:
        table.by_totals = by_totals if table.plan else None
        table.write(out)
        result.tables += 1
    if result.tables and not result.reasons:
        # text from pdftotext: outside the tables positions no longer matter; its loose marks go and the
        # Thai is repaired as a PDF's text layer is (lib.thai.repair_pdf_text), as the cells were
        for k, line in enumerate(out):
            if paging.pdf and k not in result.rewritten:
                out[k] = "" if _stray_line(lines, k) else repair_pdf_text(line)
        result.text = "\n".join(out)
    return result


def _ticks_by_totals(plans: list[_Table]) -> dict[tuple[int, int], int] | None:
    """Each tick's quarter, (line, start) -> 0..3, when the totals row's four counts allow one way of
    giving the plan's ticks quarters, left to right on each page (pdftotext may shift a page's columns,
    and the quarter sub-headers need not stand over the ticks: "1           2 3 4"), and the ticks each
    quarter gets on a page stand together; else None (each tick goes by the sub-header above it)."""
    counts = [c for t in plans if (c := t._totals_counts()) is not None]
    ticks: dict[int, list[tuple[int, int]]] = {}
    for t in plans:
        for k in range(t.head_end, t.end):
            if t.words[k] and not t._is_total(k) and not _stray_line(t.lines, k):
                ticks.setdefault(t.page[k], []).extend((k, w.start) for w in t.words[k] if _TICK.match(w.text))
    places = {pg: sorted({x for _, x in found}) for pg, found in ticks.items() if found}
    if len(counts) != 1 or not places:
        return None
    ways = 1
    for xs in places.values():
        ways *= comb(len(xs) + 3, 3)  # non-decreasing quarters for a page's places
    if ways > 20000:
        return None
    many = {pg: Counter(x for _, x in found) for pg, found in ticks.items()}
    pgs = sorted(places)
    fits = []
    for way in product(*(combinations_with_replacement(range(4), len(places[pg])) for pg in pgs)):
        totals = [0] * 4
        for pg, quarters in zip(pgs, way, strict=True):
            for x, q in zip(places[pg], quarters, strict=True):
                totals[q] += many[pg][x]
        if tuple(totals) == counts[0]:
            fits.append(way)
    if len(fits) != 1:
        return None
    given: dict[tuple[int, int], int] = {}
    for pg, quarters in zip(pgs, fits[0], strict=True):
        quarter_of = dict(zip(places[pg], quarters, strict=True))
        for q in set(quarters):
            xs = [x for x in places[pg] if quarter_of[x] == q]
            if xs[-1] - xs[0] > _QUARTER_REACH:
                return None
        given.update({(k, x): quarter_of[x] for k, x in ticks[pg]})
    return given


class _Table:
    def __init__(self, lines: list[str], page: list[int], head: int, head_end: int, plan: bool,
                 result: Realigned) -> None:
        self.lines, self.page, self.head, self.plan, self.result = lines, page, head, plan, result
        self.by_totals: dict[tuple[int, int], int] | None = None  # each tick's quarter, when the totals row tells
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
              and not _stray_line(self.lines, k)]
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

    def _totals_counts(self) -> tuple[int, ...] | None:
        """The totals row's four quarter counts, on its own line or on one of the two below it (a label
        broken over lines: "รวมทั้ง" / "20,000.00  15  1 0 0" / "สิ้น")."""
        total = next((k for k in range(self.head_end, self.end) if self.words[k] and self._is_total(k)), None)
        for k in range(total, min(total + 3, len(self.lines))) if total is not None else ():
            words = [w.text for w in self.words[k] if not w.text.startswith("รวม")]
            counts = [to_arabic_digits(t) for t in words if _COUNT.match(to_arabic_digits(t))]
            if len(counts) == 4 and len(words) - len(counts) <= 1 and words[-4:] == [w for w in words if _COUNT.match(
                    to_arabic_digits(w))]:
                return tuple(int(c) for c in counts)
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
                if self.by_totals is not None and (q is None or q == self.by_totals[(k, w.start)]):
                    if q is None:
                        self.result.by_totals.append(k + 1)
                    q = self.by_totals[(k, w.start)]
                elif self.by_totals is not None:
                    q = None  # the sub-header above says another quarter than the totals row allows
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


# ---------------------------------------------------------------------------------------------------
# Measure tables of pdftotext -layout text: rows decided before columns.
#
# pdftotext lays every row of a measure table out on positions of its own (a long Thai cell pushes the
# next column right, a page shifts all of them), so one set of gutters per page does not exist. The
# rows are decided first, from the cells' top alignment: inside a row the set of columns that have text
# only shrinks line by line (a cell ends, none starts), so a line on which a column starts again opens
# a new row. At a page break the row runs on unless the page's first line starts every column that
# every row so far started. The columns are then found in each row on its own: the x ranges between
# gutters no line of the row crosses, each named by the header column whose start is nearest. Whatever
# does not fit (a run crossing two header columns, a row without a first cell, a run far from every
# header column, a page top that could be a row's continuation or a new row) refuses the table.
_ROW_SHIFT = 8  # how far pdftotext moves a row's column from the header's position (seen up to 6)


def _segments(words: list[_Word]) -> list[list[_Word]]:
    """Words one space apart (a cell's line, or cells run together), split at two spaces or more."""
    out: list[list[_Word]] = []
    for w in words:
        if out and w.start - out[-1][-1].end <= 2:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _thai_join(parts: list[str]) -> str:
    """A cell's lines joined: Thai runs on without a space (the line broke inside a phrase)."""
    out = ""
    for p in parts:
        if out and not ("\u0e01" <= out[-1] <= "\u0e5b" and "\u0e01" <= p[0] <= "\u0e5b"):
            out += " "
        out += p
    return out


def by_rows(text: str, paging: Pages, numbered: bool = False) -> Realigned:
    """The text with every measure table rewritten as tab-separated rows (see the notes above), or the
    reasons it could not be; positions in code points, as pdftotext pads. A document whose rows are
    numbered in one table is read as numbered in all (a table of one page may hold one row)."""
    token = _CODE_POINTS.set(True)
    try:
        result = _by_rows(text, paging, numbered)
        if not numbered and result.numbered:
            result = _by_rows(text, paging, True)
        return result
    finally:
        _CODE_POINTS.reset(token)


def _by_rows(text: str, paging: Pages, numbered: bool) -> Realigned:
    lines = text.splitlines()
    page = _page_numbers(len(lines), paging.starts)
    out = list(lines)
    result = Realigned(None)
    i = 0
    while i < len(lines):
        found = header_at(lines, i)
        if found is None:
            i += 1
            continue
        if is_plan_header(found[1]):
            result.reasons[i + 1] = "ตารางแผนอ่านด้วยวิธีแบ่งคอลัมน์ทั้งหน้า ไม่ใช่แบ่งแถวก่อน"
            return result
        end = _Rows(lines, page, i, result, numbered, paging).write(out)
        result.tables += 1
        if result.reasons:
            return result
        i = max(end, i + 1)
    if result.tables:
        for k, line in enumerate(out):
            if paging.pdf and k not in result.rewritten:
                out[k] = "" if _stray_line(lines, k) else repair_pdf_text(line)
        result.text = "\n".join(out)
    return result


class _Rows:
    def __init__(self, lines: list[str], page: list[int], head: int, result: Realigned, numbered: bool,
                 pages: Pages) -> None:
        self.lines, self.page, self.head, self.result, self.numbered = lines, page, head, result, numbered
        self.pages = pages
        self.words = {}
        self.page_starts: dict[int, list[int]] = {}

    def _w(self, k: int) -> list[_Word]:
        if k not in self.words:
            self.words[k] = _words(self.lines[k])
        return self.words[k]

    def _refuse(self, k: int, why: str) -> int:
        self.result.reasons[k + 1] = why
        return k + 1

    def _cols(self, k: int) -> set[int]:
        """The header columns where line k's pieces start: words two spaces or more apart, or one space
        after the text on their left but exactly where a piece starts on the line above or below, or at
        the page's column start (a long cell run up to the next one: "…แอดมินดูแล สำนัก")."""
        edges = set(self.page_starts.get(self.page[k], ()))
        for n in (k - 1, k + 1):  # a piece's start on the line above or below: the column's left edge
            if 0 <= n < len(self.lines) and self.page[n] == self.page[k]:
                edges.update(seg[0].start for seg in _segments(self._w(n)))
        return {self._col(seg[0].start, k) for seg in _segments(self._w(k))} | \
            {self._col(w.start, k) for w in self._w(k) if w.start in edges}

    def _col(self, x: int, k: int | None = None) -> int:
        starts = self.starts if k is None else self.page_starts.get(self.page[k], self.starts)
        return min(range(len(starts)), key=lambda c: abs(starts[c] - x))

    def _full(self, j: int) -> list[int] | None:
        """The starts of line j's pieces when it has one in every column (a row's first line)."""
        segs = _segments(self._w(j))
        return [seg[0].start for seg in segs] if len(segs) == len(self.starts) else None

    def _calibrate(self, body: list[int]) -> None:
        """Each page's column starts: the median start of each column over the page's lines that have a
        piece in every column (pdftotext shifts a page's columns by up to about ten places)."""
        self.page_starts = {}
        for pg in sorted({self.page[j] for j in body}):
            full = [f for j in body if self.page[j] == pg and (f := self._full(j))]
            if full:
                starts = [sorted(f[c] for f in full)[len(full) // 2] for c in range(len(self.starts))]
                if all(a < b for a, b in zip(starts, starts[1:], strict=False)):
                    self.page_starts[pg] = starts

    def _blank(self, k: int) -> bool:
        w = self._w(k)
        return not w or _stray_line(self.lines, k) or (len(w) <= 4 and bool(_PAGE_NUMBER.match(self.lines[k].strip()))
                                            and w[0].start > 4)

    def write(self, out: list[str]) -> int:
        lines, head = self.lines, self.head
        # the header: its lines until a column starts again (the first row, or a category row)
        header = [head]
        self.starts = [seg[0].start for seg in _segments(self._w(head))]
        k = head + 1
        while k < len(lines) and len(header) < 6:
            if self._blank(k):
                k += 1
                continue
            if not self._cols(k) <= self._cols(header[-1]) or _CATEGORY_ROW.match(lines[k].strip()):
                break
            header.append(k)
            k += 1
        self.starts = [lo for lo, _ in _runs({x for h in header for w in self._w(h)
                                              for x in range(w.start, w.end + 2)})]
        labels = [[] for _ in self.starts]
        for h in header:
            for seg in _segments(self._w(h)):
                labels[self._col(seg[0].start)].append(" ".join(w.text for w in seg))
        label = [repair_pdf_text(_thai_join(parts)) for parts in labels]
        if header_roles(label) is None or len(self.starts) < 3:
            return self._refuse(head, "หัวตาราง (หลายบรรทัด) แบ่งเป็นคอลัมน์ที่ระบบรู้จักไม่ได้: " + " | ".join(label))
        # the table runs to the next header that is not a running repeat at a page's top
        end = k
        while end < len(lines):
            again = header_at(lines, end)
            if again is not None:
                before = [j for j in range(k, end) if not self._blank(j)]
                heading = bool(before) and self._cols(before[-1]) == {0} and before[-1] > 0 \
                    and not lines[before[-1] - 1].strip()  # a section's heading: a new table, not a repeat
                copy = self._repeat(end, header)
                if before and self.page[before[-1]] != self.page[end] and not heading and copy:
                    # the header repeated word for word at a new page's top: the table runs on below it
                    self.repeats = getattr(self, "repeats", set()) | set(range(end, copy))
                    end = copy
                    continue
                if before and not heading and copy and self.pages.pdf and not self.pages.starts:
                    # a PDF's text whose pages are not known (lib.ingest.gutters.pages): a header repeated
                    # word for word may be a page's running header, where the row above can run on below
                    # it, or a new table's: which is not known
                    return self._refuse(end, "หัวตารางซ้ำคำต่อคำ แต่ข้อความไม่มีตัวแบ่งหน้า ระบบบอกไม่ได้ว่าเป็นหัวตารางที่พิมพ์ซ้ำ"
                                             "ต้นหน้าใหม่ (แถวก่อนหน้าอาจต่อมาใต้หัวตารางนี้) หรือเป็นตารางใหม่ "
                                             "กรุณาใช้ไฟล์ PDF ต้นฉบับ หรือคัดลอกด้วย pdftotext -layout โดยไม่ใช้ -nopgbrk")
                break
            end += 1
        repeats = getattr(self, "repeats", set())
        body = [j for j in range(k, end) if j not in repeats and not self._blank(j)]
        self._calibrate(body)
        bands = self._bands(body, numbered=False, sure=False)
        firsts = [b[0] for b in bands if not _CATEGORY_ROW.match(lines[b[0]].strip())]
        numbered = self.numbered or (bool(firsts) and all(self._numbered(j) for j in firsts))
        self.result.numbered = self.result.numbered or numbered
        bands = self._bands(body, numbered, sure=True)
        if bands is None:
            return end
        if not numbered and bands:
            rows = sum(not _CATEGORY_ROW.match(lines[b[0]].strip()) for b in bands)
            self.result.questions.append((head + 1, (
                f"ตารางที่หัวตารางบรรทัด {head + 1} ไม่มีเลขลำดับแถว ระบบแบ่งได้ {rows} แถว จากบรรทัดที่คอลัมน์เริ่ม"
                "ข้อความใหม่ ถ้าช่องทุกช่องของแถวหนึ่งจบบรรทัดเดียวกันพอดี สองแถวอาจถูกอ่านรวมกัน "
                f"กรุณาตรวจว่าต้นฉบับมี {rows} แถวในตารางนี้")))
        # trailing text in the first column alone after a blank line (a section heading before the
        # next table) is text, not a row
        tail: list[int] = []
        while bands and self._cols(bands[-1][0]) == {0} and all(self._cols(x) == {0} for x in bands[-1]) \
                and not _CATEGORY_ROW.match(lines[bands[-1][0]].strip()) \
                and not lines[bands[-1][0] - 1].strip():
            tail = bands.pop() + tail
        # a row whose first line leaves out a column nearly every row starts with may be the lower part
        # of a row whose cell began a line late (a list's top margin): the rows cannot be told apart
        firsts = [self._cols(b[0]) for b in bands if not _CATEGORY_ROW.match(lines[b[0]].strip())]
        usual = {c for c in range(len(self.starts)) if sum(c in f for f in firsts) * 4 >= len(firsts) * 3}
        for band, first in zip((b for b in bands if not _CATEGORY_ROW.match(lines[b[0]].strip())), firsts,
                               strict=True):
            if not usual <= first:
                return self._refuse(band[0], "แถวนี้ไม่มีข้อความในคอลัมน์ '" + " ".join(
                    label[c] for c in sorted(usual - first)) + "' ที่บรรทัดแรก ต่างจากแถวอื่น "
                    "(ช่องว่าง หรือข้อความในช่องเริ่มต่ำกว่าแถว) ระบบจึงบอกไม่ได้ว่าแถวเริ่มและจบที่ใด")
        rows: dict[int, list[str]] = {}
        for band in bands:
            cells = self._band(band)
            if cells is None:
                return end
            rows[band[0]] = cells
        self.result.rewritten.update(j for j in range(head, end) if j not in tail)
        for j in range(head, end):
            if j in tail:
                out[j] = repair_pdf_text(lines[j].strip())
            elif j == head:
                out[j] = "\t".join(label)
            elif j in rows:
                out[j] = "\t".join(rows[j])
            else:
                out[j] = ""
        return end

    def _repeat(self, at: int, header: list[int]) -> int | None:
        """The index after the header's lines repeated word for word from line `at`, else None."""
        j = at
        for h in header:
            while j < len(self.lines) and self._blank(j):
                j += 1
            if j >= len(self.lines) or self.lines[j].split() != self.lines[h].split():
                return None
            j += 1
        return j

    def _numbered(self, j: int) -> bool:
        """Line j's first-column piece opens with a number or an item code ("๑.", "1)", "i7")."""
        segs = _segments(self._w(j))
        return bool(segs) and self._col(segs[0][0].start, j) == 0 and bool(_ROW_NUMBER.match(segs[0][0].text))

    def _bands(self, body: list[int], numbered: bool, sure: bool) -> list[list[int]] | None:
        """The rows' lines: a row starts where a column starts again (cells are top-aligned: inside a
        row the columns with text only fall away) or with a category "(๑)"; in a numbered table only
        at a number. At a page break the row runs on (its cells carry on the next page) unless the line
        opens the next number, or, unnumbered, when it leaves out a column every row starts with; a
        page's first line that starts every such column could be either, and refuses (`sure`)."""
        lines = self.lines
        bands: list[list[int]] = []
        opening: set[int] | None = None  # the columns every row so far starts
        for j in body:
            cols = self._cols(j)
            category = bool(_CATEGORY_ROW.match(lines[j].strip()))
            if not bands or category:
                bands.append([j])
                continue
            prev = bands[-1][-1]
            in_category = bool(_CATEGORY_ROW.match(lines[bands[-1][0]].strip()))
            restart = not cols <= self._cols(prev)
            if self.page[prev] != self.page[j]:
                if numbered:
                    new = self._numbered(j) or (in_category and restart)
                elif in_category:
                    new = cols != {0}
                elif opening and opening <= cols:
                    if sure:
                        words = " ".join(lines[j].split())[:40]
                        self.result.questions.append((j + 1, (
                            f"บรรทัด {j + 1} (ต้นหน้าใหม่) '{words}…' มีข้อความทุกคอลัมน์ ระบบอ่านเป็นแถวใหม่ "
                            "แต่อาจเป็นส่วนต่อของแถวท้ายหน้าก่อน (ตารางไม่มีเลขลำดับให้ตรวจ) กรุณาตรวจกับต้นฉบับ")))
                    new = True
                else:
                    new = False  # the row runs on over the page break
            else:
                new = restart
                started = set().union(*(self._cols(x) for x in bands[-1]))
                if restart and sure and not in_category and len(bands[-1]) == 1 \
                        and not (cols - self._cols(prev)) & started and self._cols(prev) <= cols:
                    self._refuse(j, "คอลัมน์ที่ว่างในบรรทัดแรกของแถวเริ่มข้อความที่บรรทัดนี้ ขณะที่คอลัมน์อื่นยังต่อเนื่อง "
                                    "อาจเป็นข้อความในช่องที่เริ่มต่ำกว่าแถว หรือแถวใหม่ต่อจากแถวบรรทัดเดียวก็ได้ "
                                    "ระบบจึงแบ่งแถวไม่ได้อย่างปลอดภัย")
                    return None
                if numbered and sure and self._numbered(j) and not restart and not in_category:
                    self._refuse(j, "เลขลำดับขึ้นต้นกลางแถว (คอลัมน์อื่นยังต่อจากบรรทัดก่อน) จึงบอกไม่ได้ว่าเป็นแถวใหม่ "
                                    "หรือแถวเดียวที่มีหลายมาตรการ ระบบจึงแบ่งแถวไม่ได้อย่างปลอดภัย")
                    return None
                if numbered and restart and not self._numbered(j) and not in_category and sure:
                    self._refuse(j, "ข้อความเริ่มคอลัมน์ใหม่กลางแถว แต่คอลัมน์แรกไม่มีเลขลำดับ "
                                    "(ข้อความในช่องอาจไม่ชิดบน) ระบบจึงแบ่งแถวไม่ได้อย่างปลอดภัย")
                    return None
            if new:
                bands.append([j])
                if not category:
                    opening = cols if opening is None else opening & cols
            else:
                bands[-1].append(j)
        return bands

    def _band(self, band: list[int]) -> list[str] | None:
        """A row's cells: its lines on each page placed on that page's gutters."""
        if 0 not in self._cols(band[0]):
            self._refuse(band[0], "แถวนี้ไม่มีข้อความในคอลัมน์แรก (ข้อความในช่องอาจไม่ชิดบน) ระบบจึงแบ่งแถวไม่ได้")
            return None
        parts: list[list[str]] = [[] for _ in self.starts]
        for pg in sorted({self.page[j] for j in band}):
            piece = [j for j in band if self.page[j] == pg]
            cuts = self._cuts(piece)
            if cuts is None:
                return None
            for j in piece:
                here: dict[int, list[str]] = {}
                for w in self._w(j):
                    c = max((x, col) for x, col in cuts if x <= w.start)[1]
                    here.setdefault(c, []).append(w.text)
                for c, ws in here.items():
                    parts[c].append(" ".join(ws))
        return [repair_pdf_text(_thai_join(p)) for p in parts]

    def _cuts(self, piece: list[int]) -> list[tuple[int, int]] | None:
        """(x, column) where each column of these lines of a row begins: the runs of text between gutters
        no line crosses, each named by the nearest column start; a run holding two columns' pieces is
        cut where the right one starts, when on every line the text there starts a piece (two spaces
        or more after the text on its left) and no word crosses the cut."""
        starts = self._full(piece[0]) or self.page_starts.get(self.page[piece[0]], self.starts)
        segs = {j: _segments(self._w(j)) for j in piece}
        cuts: list[tuple[int, int]] = []
        for lo, hi in _runs({x for j in piece for w in self._w(j) for x in range(w.start, w.end + 1)}):
            at: dict[int, int] = {}  # column -> its first piece's start in this run
            for j in piece:
                for seg in segs[j]:
                    if lo <= seg[0].start <= hi:
                        c = min(range(len(starts)), key=lambda c: abs(starts[c] - seg[0].start))
                        at[c] = min(at.get(c, seg[0].start), seg[0].start)
            if not at:
                if not cuts:
                    return self._unsafe(piece[0])
                continue  # words one space after the run on the left: the same cell
            cols = sorted(at)
            if abs(starts[cols[0]] - lo) > _ROW_SHIFT and not (cuts and cuts[-1][1] == cols[0]):
                return self._unsafe(piece[0])
            for c in cols[1:]:
                x = at[c]
                for j in piece:
                    words = self._w(j)
                    if any(w.start < x <= w.end for w in words):
                        return self._unsafe(j)
                    right = next((w for w in words if x <= w.start <= hi), None)
                    if right is not None and right.start != x and right.start not in {seg[0].start for seg in segs[j]}:
                        return self._unsafe(j)  # one space after the text on its left: pushed, or run on
            for c in cols:
                if cuts and c < cuts[-1][1]:
                    return self._unsafe(piece[0])
                cuts.append((lo if c == cols[0] else at[c], c))
        return cuts

    def _unsafe(self, k: int) -> None:
        self._refuse(k, "ข้อความของแถวนี้คร่อมหลายคอลัมน์หรืออยู่ห่างจากหัวคอลัมน์ (ช่องว่างระหว่างคอลัมน์ไม่ชัด) "
                        "ระบบจึงแบ่งคอลัมน์ไม่ได้อย่างปลอดภัย")
        return None


_CATEGORY_ROW = re.compile(r"^\(\s*[๐-๙0-9]+\s*\)")
_ROW_NUMBER = re.compile(r"^(?:[๐-๙0-9]{1,2}\s*[.)]|[ieoIEO][๐-๙0-9]{1,2}$)")
