"""Rows of a tab-separated table that lost their tabs: an editor that converted only some lines to
spaces, `expand -i` (only the tabs a line opens with), a row pasted in from elsewhere. The tab reader
would take such a line for prose between rows (its measure or plan item gone, a category lost) or
a row a cell short; here each one is cut back into the header's cells where that is certain, or
named in a refusal.

- A line without tabs after a table header that holds a run of two or more spaces between words
  (or opening it) is cut by every separator the tab-lost text could use: a fixed run of 2-8 spaces,
  tab stops of 2-8 counted in bytes, characters or display columns (lib.ingest.tab_spaces). It is a
  row only when a separator gives exactly the header's count of cells with no space left in doubt;
  when several do, they must agree on every cell (and the separators that fit every such line are
  preferred, as one editor converted them all). A line that fits none is refused, naming it.
- A line ending in spaces only ("(๑) ...", its empty cells gone to spaces) is taken as a row when a
  separator gives exactly the header's count, else left as the line it is.
- A line with tabs that opens with spaces and has fewer cells than its header (`expand -i`): the
  spaces are the tabs it lacks when they divide into that many tabs of one width (2-8), the same
  width in every such line. Otherwise it is refused.
- Any other row with fewer cells than its header and a run of spaces inside: refused (a tab became
  those spaces, or the row was cut short; the count cannot tell).
- A line without tabs or runs of spaces right under a header (before its first row) or between two
  rows of a table, or a run of as many such lines as the table has columns before the next header, is
  part of a row whose cells lost their tabs: a table copied from a web page, where Chromium writes no
  tab after a cell that ends in a paragraph, a list or a <div> (the next cell starts the next line).
  Which row and cell it belongs to cannot be told: refused, naming it (read as prose, its measure or
  plan item would be gone with no word). One such line is read: a numbered category "(๑) ..." of a
  measures table (one cell over the whole row, as a page merges it: no tab after it), when the text's
  first table opens with one, their numbers go up and no category row of the text kept its tabs.
  After a plan's summary table come its detail sheets: a last row whose every cell ends in a paragraph
  is not told from them there (the plan's totals row and detail sheets check its items).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from lib.ingest.action_plan import is_plan_header
from lib.ingest.cells import split_row
from lib.ingest.measures import _CATEGORY, header_roles
from lib.ingest.tab_spaces import _MEASURES, _Fixed, _maybe_header, _Model, _Stops
from lib.thai import to_arabic_digits

_INNER_RUN = re.compile(r"\S {2,}\S|^ {2,}\S")
_LEAD = re.compile(r"^ {2,}")
_WIDTHS = (2, 3, 4, 5, 6, 8)
_MAX_CHOICES = 64
_LOST_HEADER = "บรรทัดมีคำของหัวตารางแต่ไม่มีแท็บ (แท็บกลายเป็นช่องว่าง) และแบ่งเป็นช่องของหัวตารางอย่างแน่นอนไม่ได้"
_TOO_MANY = ("",)  # a line whose single spaces at tab stops could be its tabs in too many ways
_STRAY = ("บรรทัดไม่มีแท็บแต่อยู่{where} จึงเป็นข้อความของแถวใดแถวหนึ่งที่แท็บคั่นช่องหายไป "
          "(เช่น ตารางที่คัดลอกจากหน้าเว็บ: ช่องที่มีหลายย่อหน้าหรือรายการ ช่องถัดไปขึ้นบรรทัดใหม่โดยไม่มีแท็บ) "
          "บอกไม่ได้ว่าอยู่แถวใดหรือช่องใด")
_CATEGORIES_LABEL = "แถวหมวด (๑), (๒), ... ที่มีช่องเดียวคร่อมทั้งแถว (ไม่มีแท็บ)"


@dataclass
class Restored:
    text: str
    header: list[str] = field(default_factory=list)
    header_line: int | None = None
    lines: list[int] = field(default_factory=list)  # lines given back their tabs
    labels: list[str] = field(default_factory=list)  # how their spaces were read (Thai)
    reasons: dict[int, str] = field(default_factory=dict)  # lines that cannot be cut for certain

    @property
    def label(self) -> str:
        return " หรือ ".join(self.labels)


def _models() -> list[_Model]:
    return [*(_Fixed(w) for w in _WIDTHS), *(_Stops(s, m) for s in (8, 4, 2) for m in _MEASURES)]


def _is_header(cells: list[str]) -> bool:
    return sum(1 for c in cells if c.strip()) >= 3 and (is_plan_header(cells) or header_roles(cells) is not None)


def _readings(line: str, models: list[_Model], n: int | None, loose: bool,
              edged: bool) -> dict[tuple[str, ...], list[str]]:
    """Every reading of the line a separator allows that gives exactly `n` cells (a header's cells when
    `n` is None), with the separators that give it. A tab stop's single space may be a tab or a
    space inside a cell: each choice of as many as the count lacks is a reading of its own. Unless the
    document's cells are `loose` (their tab rows show runs of spaces inside a cell or at its edges),
    a separator that would leave such runs in this line's cells is not one it could have used; unless
    they show spaces at a cell's edge (`edged`), neither is one that would leave a space beside a tab."""
    found: dict[tuple[str, ...], list[str]] = {}
    doubtful: list[str] = []  # fixed runs per tab whose reading holds more cells than the header's
    exact = False
    for m in models:
        cut = m.cut(line)
        if not loose and cut.inside or not edged and cut.doubt:
            # spaces no cell of this document shows, yet possible in this line's cells with a fixed run per
            # tab: its reading counts, and a count above the header's leaves every reading in doubt
            if n is None or isinstance(m, _Stops):
                continue
            if len(cut.cells) == n:
                found.setdefault(tuple(cut.cells), []).append(m.label)
            elif len(cut.cells) > n:
                doubtful.append(m.label)
            continue
        if len(cut.cells) == n:
            exact = True  # every run whole tabs, the header's count, no single space taken for a tab
        options = [tuple(cut.cells)]
        lacking = (n or 0) - len(cut.cells)
        if isinstance(m, _Stops) and cut.candidates and lacking > 0:
            if comb(len(cut.candidates), lacking) > _MAX_CHOICES:
                found.setdefault(_TOO_MANY, []).append(m.label)  # readings too many to list: none is certain
                continue
            options = [tuple(m.cut(line, frozenset(chosen)).cells)
                       for chosen in combinations(range(len(cut.candidates)), lacking)]
        for cells in options:
            if (len(cells) == n) if n is not None else _is_header(list(cells)):
                found.setdefault(cells, []).append(m.label)
    if doubtful and not exact:
        found[_TOO_MANY] = doubtful
    return found


def restore(text: str) -> Restored:
    """The text with the lines of its tab tables that lost their tabs cut back into cells."""
    lines = text.split("\n")
    out = Restored(text)
    models = _models()
    heads: dict[int, int] = {}  # header line -> its cell count
    spaced_heads: dict[int, dict[tuple[str, ...], list[str]]] = {}
    lost_heads: list[int] = []  # header lines without tabs that no separator cuts into a header
    tabbed = [i for i, line in enumerate(lines) if "\t" in line]
    cells_seen = [c for i in tabbed for c in split_row(lines[i])]
    loose = any("  " in c for c in cells_seen)  # runs of spaces kept in the cells themselves
    edged = loose or any(c != c.strip() for c in cells_seen)  # a cell's own space next to a tab
    for i, line in enumerate(lines):
        if "\t" in line:
            if _maybe_header(line) and _is_header(split_row(line)):
                heads[i] = len(split_row(line))
        elif _maybe_header(line):
            fits = _readings(line, models, None, loose, edged)
            if len(fits) == 1 and _TOO_MANY not in fits:
                spaced_heads[i] = fits
                heads[i] = len(next(iter(fits)))
            elif _INNER_RUN.search(line.rstrip(" ")):
                lost_heads.append(i)
    if not heads:
        # the one header lost its tabs and no separator cuts it for certain: its rows would be no table
        lost = [i for i in lost_heads if any(t > i for t in tabbed)]
        if lost:
            out.header_line, out.header = lost[0] + 1, lines[lost[0]].split()
            out.reasons[lost[0] + 1] = _LOST_HEADER
        return out
    if not any(i >= min(heads) for i in tabbed):
        return out
    first, last_tab = min(heads), max(tabbed)
    spaced_heads_refused: set[int] = set()
    for i in list(spaced_heads):
        # a header read from spaces must give the count the rows under it give with their tabs
        below = [len(split_row(lines[k])) for k in range(i + 1, min([h for h in heads if h > i] or [len(lines)]))
                 if "\t" in lines[k]]
        if below and max(below) != heads[i]:
            spaced_heads_refused.add(i)
            lost_heads.append(i)
            del spaced_heads[i], heads[i]
    for i in lost_heads:
        # the rows under it would be read without it, or not at all (one under a header is a row's line)
        if i < first and any(t > i for t in tabbed) or i in spaced_heads_refused:
            out.reasons[i + 1] = _LOST_HEADER
    # the table goes on past its last line with tabs while lines still hold runs of spaces
    end = last_tab
    while end + 1 < len(lines) and (not lines[end + 1].strip() or "  " in lines[end + 1].strip()
                                    or lines[end + 1].endswith("  ")):
        end += 1
    row_lines: dict[int, tuple[int, dict[tuple[str, ...], list[str]]]] = {
        i: (heads[i], fits) for i, fits in spaced_heads.items()}
    leads: dict[int, tuple[int, int]] = {}  # expand -i lines: (spaces, tabs lacking)
    n = 0
    for i in range(first, len(lines)):
        line = lines[i]
        if i in heads:
            n = heads[i]
            continue
        if not line.strip():
            continue
        if "\t" in line:
            cells = split_row(line)
            if len(cells) >= n:
                continue
            lead = _LEAD.match(line)
            if lead:
                leads[i] = (len(lead.group()), n - len(cells))
            elif any("  " in c.strip() or c.startswith("  ") for c in cells):
                out.reasons[i + 1] = (f"แถวมี {len(cells)} ช่อง น้อยกว่าหัวตาราง ({n} ช่อง) และมีช่องว่างติดกันหลายตัว "
                                      "แท็บบางตัวอาจกลายเป็นช่องว่าง จึงบอกไม่ได้ว่าข้อความใดอยู่ช่องใด")
            continue
        inner = bool(_INNER_RUN.search(line.rstrip(" ")))
        if not inner and not line.endswith("  "):
            continue  # a heading or prose line: nothing in it could have been a tab
        fits = _readings(line, models, n, loose, edged)
        if fits:
            row_lines[i] = n, fits
        elif inner and i <= end:
            out.reasons[i + 1] = (f"บรรทัดไม่มีแท็บแต่มีช่องว่างติดกันหลายตัวระหว่างข้อความ เหมือนแถวของตาราง ({n} ช่อง) "
                                  "ที่แท็บกลายเป็นช่องว่าง และแบ่งเป็นช่องให้ได้เท่าหัวตารางอย่างแน่นอนไม่ได้")
    new = list(lines)
    labels: list[str] = []
    rows = set(row_lines) | set(leads) | {i for i, line in enumerate(lines) if "\t" in line}
    # a header that lost its tabs and reads back as a row still opens a table (a heading above it is no row's)
    headers = {**heads, **{i: n for i, (n, fits) in row_lines.items()
                           if len(fits) == 1 and _is_header(list(next(iter(fits))))}}
    plans = {i for i in headers if is_plan_header(list(next(iter(row_lines[i][1]))) if i in row_lines
                                                  else list(next(iter(spaced_heads[i]))) if i in spaced_heads
                                                  else split_row(lines[i]))}
    strays = _strays(lines, headers, plans, rows - set(headers), first)
    categories = _categories(lines, heads, rows, strays)
    for i, where in strays.items():
        if i in categories:
            new[i] = lines[i].strip() + "\t" * (heads[_head_of(heads, i)] - 1)
            out.lines.append(i + 1)
        elif i + 1 not in out.reasons:
            out.reasons[i + 1] = _STRAY.format(where=where)
    if categories:
        labels.append(_CATEGORIES_LABEL)
    for i, (n, fits) in sorted(row_lines.items()):
        if len(fits) > 1 or _TOO_MANY in fits:
            out.reasons[i + 1] = (f"บรรทัดไม่มีแท็บ และแบ่งเป็น {n} ช่องได้หลายแบบซึ่งให้ข้อมูลต่างกัน "
                                  "(ช่องว่างบางช่วงอาจเป็นแท็บหรือช่องว่างในข้อความ) จึงไม่เลือกแบบใดแบบหนึ่ง")
            continue
        cells, used = next(iter(fits.items()))
        new[i] = "\t".join(cells)
        out.lines.append(i + 1)
        labels.extend(k for k in used[:2] if k not in labels)
    sizes = {spaces // lacking for spaces, lacking in leads.values() if spaces % lacking == 0}
    for i, (spaces, lacking) in sorted(leads.items()):
        size = spaces // lacking if spaces % lacking == 0 else None
        if size is None or size not in _WIDTHS or len(sizes) != 1:
            out.reasons[i + 1] = (f"แถวมี {len(split_row(lines[i]))} ช่อง น้อยกว่าหัวตาราง ({heads[_head_of(heads, i)]} ช่อง) "
                                  f"และขึ้นต้นด้วยช่องว่าง {spaces} ตัว ซึ่งแบ่งเป็นแท็บ {lacking} ตัวที่ขาดไปเท่า ๆ กันไม่ได้")
            continue
        new[i] = "\t" * lacking + lines[i].lstrip(" ")
        out.lines.append(i + 1)
        label = f"ช่องว่าง {size} ตัวต่อแท็บหนึ่งตัวที่ต้นบรรทัด"
        if label not in labels:
            labels.append(label)
    out.lines.sort()
    out.labels = labels
    header_at = min(heads)
    out.header_line = header_at + 1
    out.header = list(next(iter(spaced_heads[header_at]))) if header_at in spaced_heads else split_row(lines[header_at])
    if not out.reasons:
        out.text = "\n".join(new)
    return out


def _head_of(heads: dict[int, int], i: int) -> int:
    return max(h for h in heads if h < i)


def _strays(lines: list[str], heads: dict[int, int], plans: set[int], rows: set[int], first: int) -> dict[int, str]:
    """The lines without tabs inside a table (right under its header, between two of its rows, or as many
    as its columns after its last row, before the next header or at the end of a measures report), with
    where they are (Thai): a heading or a note between two tables is a line or two."""
    out: dict[int, str] = {}
    previous = first  # the last header or row
    run: list[int] = []
    for i in range(first + 1, len(lines) + 1):
        if i < len(lines) and i not in heads and i not in rows:
            if lines[i].strip():
                run.append(i)
            continue
        if run:
            head = max(h for h in heads if h <= previous)
            if previous in heads and heads[previous] >= 3:
                where = f"ใต้หัวตาราง (บรรทัด {previous + 1}) ก่อนแถวแรก"
            elif i < len(lines) and i not in heads:
                where = f"ระหว่างแถวของตาราง (บรรทัด {previous + 1} และ {i + 1})"
            elif len(run) >= heads[head] and (i < len(lines) or head not in plans):
                # a heading between two tables is a line or two, and a measures report ends with its table
                # (a signature at most): as many lines as the table has columns are its last row's cells,
                # each ended by a paragraph. After a plan's summary table come its detail sheets.
                where = f"หลังแถวสุดท้ายของตาราง (บรรทัด {previous + 1}) {len(run)} บรรทัด ไม่น้อยกว่าจำนวนช่องของตาราง"
            else:
                where = None
            if where:
                out.update((k, where) for k in run)
            run = []
        previous = i
    return out


def _categories(lines: list[str], heads: dict[int, int], rows: set[int], strays: dict[int, str]) -> set[int]:
    """The stray lines that are a measures table's numbered category rows whose empty cells a page merged
    into one: every stray line is one, the first table opens with one right under its header, their
    numbers go up, and no category row of the text kept its tabs."""
    numbers = []
    for i in sorted(strays):
        match = _CATEGORY.match(to_arabic_digits(lines[i].strip()))
        if not match or header_roles(split_row(lines[_head_of(heads, i)])) is None:
            return set()
        numbers.append(int(match.group(1)))
    first_row = min((i for i in rows | set(strays) if i > min(heads) and i not in heads), default=None)
    tabbed_categories = any(_CATEGORY.match(to_arabic_digits(split_row(lines[i])[0].strip()))
                            and not any(c.strip() for c in split_row(lines[i])[1:]) for i in rows if "\t" in lines[i])
    if not numbers or first_row not in strays or tabbed_categories or numbers != sorted(set(numbers)):
        return set()
    return set(strays)
