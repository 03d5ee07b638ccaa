"""Tables whose tabs became spaces or pipes without alignment: each tab replaced by a fixed run of
spaces (`sed 's/\\t/  /g'`), expanded to tab stops (`expand -t 8`; stops counted in bytes as GNU
expand does, in characters as Python does, or in display columns as editors do), or written as
`|` between cells (`a | b`, markdown `| a | b |` with or without a `|---|` rule row). The tab text is
recovered and read by the tab readers, only where every row's cells are certain:

- The separator is inferred from each header line (a line the measure or plan readers recognise once
  cut): the largest run width all its gaps are multiples of, or the largest tab width all its gaps end
  at. Every model the header allows is tried; one whose rows all come out certain is used, and two that
  give different rows refuse the document.
- Every table row must give exactly the header's count of cells. More cells mean spaces inside a cell
  as wide as a separator; fewer mean a lost separator: the row is refused, naming it.
- A text whose lines lost their trailing spaces (an editor's "trim") loses a row's trailing empty
  cells with them. Such a short row is padded only when nothing else could explain it: every gap is a
  whole number of separators (a tab stop: no single space at a stop, no run across one), and the
  table shows no run of spaces kept inside a cell (which could as well be one of its gaps).
- With tab stops a tab just before a stop is one space, like a space inside a cell: a row short of
  separators takes such spaces only when there are exactly as many as it lacks and the table shows no
  run of spaces inside a cell.
- A line with one cell between a table's rows is a category row "(๑) ..." when its trailing cells
  may have been trimmed; any other such line is prose outside the table, unless trimmed lines make
  it a possible row, then it is refused.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from math import gcd

from lib.ingest.action_plan import is_plan_header
from lib.ingest.cells import parse_cell, squash
from lib.ingest.measures import ITEM_CODE, column_role, header_roles, split_titles
from lib.ingest.spaced import Spaced

_RUN = re.compile(r"( +)")
_CATEGORY = re.compile(r"^\(\s*[๐-๙0-9]+\s*\)")
_RULE = re.compile(r":?-+:?")
_HEADER_WORDS = ("หัวข้อการประเมิน", "ประเด็นที่เป็นข้อบกพร่อง", "ขั้นตอน", "การรายงานผล", "ผู้รับผิดชอบ", "ระยะเวลา",
                 "ผลลัพธ์", "ผลการดำเนินการ", "สรุปผล", "การดำเนินการ", "มาตรการ", "ลำดับ", "รายการโครงการ", "มิติ")
_STOPS = (8, 6, 4, 3, 2)
_MEASURES = {"bytes": "ไบต์", "chars": "ตัวอักษร", "display": "ตำแหน่งบนจอ"}


@dataclass
class Untabbed(Spaced):
    how: str = "tabs"
    label: str = ""  # how the separators were read (Thai), for the user
    placed: int = 0  # table rows whose cells came out certain (the rest are `unsafe_lines`)
    weighed: list[int] = field(default_factory=list)  # rows read as the one reading left of several
    # rows whose tabs at stops could be read several ways that differ only past the first cell: read as
    # the first, asked (line, question, the header roles of the cells that differ)
    unsure: list[tuple[int, str, list[str]]] = field(default_factory=list)

    stops: int = 0  # tabs expanded to stops every so many positions, when that is how it was read

    @property
    def likely(self) -> bool:
        """Most rows came out whole, or a header's every gap ends at a tab stop of 4 or more and its every
        cell names a column: the text most likely is a table whose tabs became these separators."""
        return self.placed > len(self.unsafe_lines) or (self.stops >= 4 and bool(self.header))


def _length(text: str, measure: str) -> int:
    if measure == "chars":
        return len(text)
    if measure == "bytes":
        return len(text.encode("utf-8"))
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in ("F", "W") else 1 for c in text)


@dataclass
class _Cut:
    cells: list[str]
    candidates: list[int]  # tab stops: indexes of single spaces at a stop (a tab, or a space in a cell)
    doubt: bool = False  # a gap that could hold more separators than read
    inside: bool = False  # a run of two or more spaces read as inside a cell
    trailing: bool = False  # the line ended in spaces


class _Model:
    label = ""

    def cut(self, line: str, take: bool = False) -> _Cut | None:
        raise NotImplementedError


class _Fixed(_Model):
    """Each tab replaced by `width` spaces."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.label = f"ช่องว่าง {width} ตัวที่แทนแท็บแต่ละตัว"

    def cut(self, line: str, take: bool = False) -> _Cut:
        parts = _RUN.split(line)
        cells, out = [""], _Cut([], [])
        for k, part in enumerate(parts):
            if k % 2 == 0:
                cells[-1] += part
                continue
            seps, rest = divmod(len(part), self.width)
            if seps == 0:
                cells[-1] += part
                out.inside |= len(part) >= 2
                continue
            out.doubt |= rest != 0
            cells.extend([""] * seps)
        out.trailing = line.endswith(" ")
        out.cells = [c.strip() for c in cells]
        return out


class _Stops(_Model):
    """Tabs expanded to stops every `size` positions, counted by `measure`."""

    def __init__(self, size: int, measure: str) -> None:
        self.size, self.measure = size, measure
        self.label = f"แท็บที่ถูกแปลงเป็นช่องว่างถึงตำแหน่งหยุดทุก {size} ช่อง (นับเป็น{_MEASURES[measure]})"

    def cut(self, line: str, take: bool | frozenset[int] = False) -> _Cut:
        """`take`: the single spaces at stops read as tabs (all, or the n-th ones)."""
        parts = _RUN.split(line)
        size = self.size
        cells, out = [""], _Cut([], [])
        pos = 0
        for k, part in enumerate(parts):
            if k % 2 == 0:
                cells[-1] += part
                pos += _length(part, self.measure)
                continue
            start, pos = pos, pos + len(part)
            stops = pos // size - start // size  # stops in (start, end]
            last = k == len(parts) - 2 and not parts[-1]
            if pos % size == 0 and (len(part) >= 2 or k == 1 and not parts[0] or last):
                cells.extend([""] * stops)
                continue
            if pos % size == 0:  # one space ending at a stop: a tab just before it, or a space in a cell
                out.candidates.append(len(cells) - 1)
                if take is True or take and len(out.candidates) - 1 in take:
                    cells.append("")
                    continue
            elif stops:
                out.doubt = True  # spaces across a stop: a tab and a cell's own spaces
            out.inside |= len(part) >= 2
            cells[-1] += part
        out.trailing = line.endswith(" ")
        out.cells = [c.strip() for c in cells]
        return out


class _Pipes(_Model):
    """Cells between `|` (a markdown table when its lines open with one)."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.label = "เส้น '|' ที่คั่นช่อง" + (" (ตารางแบบ markdown)" if markdown else "")

    def cut(self, line: str, take: bool = False) -> _Cut | None:
        if "|" not in line:
            return _Cut([line.strip()], [])
        text = line.strip().replace("\\|", "\0")
        if self.markdown:  # a row without its outer pipes is cut the same way (and must give the count)
            text = text.removeprefix("|")
            if text.endswith("|"):
                text = text[:-1]
        return _Cut([c.strip().replace("\0", "|") for c in text.split("|")], [])


_MAX_READINGS = 2000
_TAG_OPEN = {tag: re.compile(rf"<{tag}[\s>]", re.I) for tag in ("p", "a", "li", "ul", "ol")}


def fixed_readings(line: str, width: int, n: int) -> list[tuple[str, ...]] | None:
    """Every way the line's runs of spaces give exactly `n` cells when each tab became `width` spaces:
    a run of L spaces holds 0 to L // width tabs (none: the cell's own spaces; the rest of a run is a
    cell's edge). A run inside an HTML tag ("<a  href") holds none. None when too many to list."""
    parts = _RUN.split(line)
    texts, runs = parts[0::2], parts[1::2]
    depth, in_tag = 0, []
    for k in range(len(runs)):
        depth += texts[k].count("<") - texts[k].count(">")
        in_tag.append(depth > 0)
    caps = [0 if in_tag[k] else len(r) // width for k, r in enumerate(runs)]
    rest = [sum(caps[k:]) for k in range(len(caps) + 1)]
    found: list[tuple[str, ...]] = []

    def walk(k: int, left: int, chosen: list[int]) -> bool:
        if k == len(runs):
            if left == 0:
                found.append(_cells(texts, runs, chosen))
            return len(found) <= _MAX_READINGS
        for tabs in range(min(caps[k], left), -1, -1):
            if left - tabs > rest[k + 1]:
                break
            if not walk(k + 1, left - tabs, [*chosen, tabs]):
                return False
        return True

    if n - 1 > rest[0] or not walk(0, n - 1, []):
        return None if n - 1 <= rest[0] else []
    return list(dict.fromkeys(found))


def stop_readings(line: str, model: _Stops, n: int | None, own_runs: bool = False, trimmed: bool = False,
                  padded: set[tuple[str, ...]] | None = None) -> list[tuple[str, ...]] | None:
    """Every way the line's runs of spaces give `n` cells (any count when None) with tabs expanded to
    the model's stops. A run ending at a stop holds the tabs that fill it (one per stop it reaches) or
    none: a single space at a stop may be a cell's own, and so may a longer run when the table keeps
    runs of spaces inside its cells (`own_runs`); a run that ends elsewhere holds none, nor does one
    inside an HTML tag. A line's leading and trailing runs at stops are tabs (cells do not begin or end
    with spaces). In a text whose lines lost their trailing spaces (`trimmed`) a row short of cells may
    have lost its empty last cells: padded, as one more reading (added to `padded`). None when too many
    to list."""
    parts = _RUN.split(line)
    texts, runs = parts[0::2], parts[1::2]
    options: list[tuple[int, ...]] = []
    pos, depth = 0, 0
    for k, run in enumerate(runs):
        pos += _length(texts[k], model.measure)
        depth += texts[k].count("<") - texts[k].count(">")
        start, pos = pos, pos + len(run)
        stops = pos // model.size - start // model.size
        edge = (k == 0 and not texts[0]) or (k == len(runs) - 1 and not texts[-1])
        if pos % model.size or not stops or depth > 0:
            options.append((0,))
        elif edge or (len(run) >= 2 and not own_runs):
            options.append((stops,))
        else:
            options.append((stops, 0))
    most = [sum(max(o) for o in options[k:]) for k in range(len(options) + 1)]
    least = [sum(min(o) for o in options[k:]) for k in range(len(options) + 1)]
    found: list[tuple[str, ...]] = []

    def walk(k: int, tabs: int, chosen: list[int]) -> bool:
        if k == len(runs):
            cells = _cells(texts, runs, chosen)
            if n is None or len(cells) == n:
                found.append(cells)
            elif trimmed and len(cells) < n:
                found.append(cells + ("",) * (n - len(cells)))
                if padded is not None:
                    padded.add(found[-1])
            return len(found) <= _MAX_READINGS
        for count in options[k]:
            if n is not None and tabs + count + least[k + 1] > n - 1:
                continue
            if n is not None and not trimmed and tabs + count + most[k + 1] < n - 1:
                continue
            if not walk(k + 1, tabs + count, [*chosen, count]):
                return False
        return True

    if not walk(0, 0, []):
        return None
    return list(dict.fromkeys(found))


def named_header(line: str, model: _Stops) -> tuple[str, ...] | None:
    """The header's cells when a tab at a stop may be one space: of the readings whose every cell names
    a column (a header's few known words), the one with the most cells, when it is the only one."""
    readings = stop_readings(line, model, None)
    if readings is None:
        return None
    named = [r for r in readings if (is_plan_header(list(r)) or all(header_roles(list(r)) or [None]))
             and not glued(r)]
    most = max((len(r) for r in named), default=0)
    best = [r for r in named if len(r) == most]
    return best[0] if len(best) == 1 else None


def glued(header: tuple[str, ...] | list[str]) -> tuple[str, str] | None:
    """Two column names in one header cell, a space apart ('ขั้นตอน/มาตรการ ผู้รับผิดชอบ'): the space was
    a tab the reading did not take (tab stops of another size)."""
    for cell in header:
        words = cell.split()
        for k in range(1, len(words)):
            left, right = " ".join(words[:k]), " ".join(words[k:])
            if column_role(left) and column_role(right):
                return left, right
    return None


def _cells(texts: list[str], runs: list[str], tabs: list[int]) -> tuple[str, ...]:
    cells = [texts[0]]
    for k, count in enumerate(tabs):
        if count == 0:
            cells[-1] += runs[k] + texts[k + 1]
        else:
            cells.extend([""] * (count - 1) + [texts[k + 1]])
    return tuple(c.strip() for c in cells)


def _balanced(cell: str, tags=tuple(_TAG_OPEN)) -> bool:
    """Every one of these tags the cell opens it closes: a cell of a page's table is whole markup."""
    return all(len(_TAG_OPEN[tag].findall(cell)) == cell.lower().count(f"</{tag}>") for tag in tags)


def whole_tags(cells: list[str]) -> tuple[str, ...]:
    """The tags (<p>, <a>, <li>, <ul>, <ol>) some of the cells hold and every one of them keeps whole."""
    return tuple(tag for tag, opened in _TAG_OPEN.items()
                 if any(opened.search(c) for c in cells) and all(_balanced(c, (tag,)) for c in cells))


@lru_cache(maxsize=4096)
def _is_header(cells: tuple[str, ...]) -> bool:
    return sum(1 for c in cells if c) >= 3 and (is_plan_header(list(cells)) or header_roles(list(cells)) is not None)


def _maybe_header(line: str) -> bool:
    if len(line) > 1500:
        return False
    flat = squash(line)
    return sum(w in flat for w in _HEADER_WORDS) >= 3


def _models_of(line: str) -> list[_Model]:
    """The separators a header line allows."""
    models: list[_Model] = []
    if "|" in line:
        models.append(_Pipes(line.strip().startswith("|")))
    parts = _RUN.split(line.rstrip(" "))
    runs = [len(p) for k, p in enumerate(parts) if k % 2 and len(p) >= 2]
    if runs:
        width = 0
        for r in runs:
            width = gcd(width, r)
        if width >= 2:
            models.append(_Fixed(width))
        for measure in _MEASURES:
            ends, pos = [], 0
            for k, part in enumerate(parts):
                pos += _length(part, measure) if k % 2 == 0 else len(part)
                if k % 2 and len(part) >= 2:
                    ends.append(pos)
            size = next((s for s in _STOPS if all(e % s == 0 for e in ends)), None)
            if size is not None:
                models.append(_Stops(size, measure))
    # a lone "|" between spaces is a pipe table's separator, not a header cell of a space model
    # tab stops: a tab just before a stop is one space, and the header's cells are its one named reading
    return [m for m in models if (_is_header(cells := tuple(m.cut(line).cells))
                                  or isinstance(m, _Stops) and (cells := named_header(line, m)) is not None)
            and (isinstance(m, _Pipes) or not any(c and not c.strip("|") for c in cells))]


def untab(text: str) -> Untabbed:
    """The tab text of a table whose tabs became spaces or pipes, or why it cannot be recovered."""
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if _maybe_header(line)]
    if not headers:
        return Untabbed(None)
    trimmed = not any(line.endswith(" ") for line in lines if line.strip())
    models: dict[str, _Model] = {}
    for i in headers:
        for m in _models_of(lines[i]):
            models.setdefault(m.label, m)
    try:
        stop_like = any(isinstance(m, _Stops) and m.size >= 4 for m in models.values())
        results = [_read(lines, m, trimmed, stop_like) for m in models.values()]
    finally:
        _is_header.cache_clear()
    read = [r for r in results if r.text is not None]
    if read:
        if len({_cells_of(r.text) for r in read}) == 1:
            return read[0]
        first = min(r.header_line or 1 for r in read)
        found = Untabbed(None, read[0].header, first, label=read[0].label)
        found.refuse(first, "แบ่งช่องได้มากกว่าหนึ่งแบบ (" + " และ ".join(r.label for r in read)
                     + ") ซึ่งให้ข้อมูลต่างกัน จึงไม่เลือกแบบใดแบบหนึ่ง")
        return found
    # refused: the reading whose header was found with the fewest lines it could not place
    tried = [r for r in results if r.header]
    return max(tried, key=lambda r: r.placed - len(r.unsafe_lines)) if tried else Untabbed(None)


def _resolve(overflow: dict[int, tuple[list[str], bool]], lines: list[str], out: list[str], heads: dict[int, int],
             width: int, result: Untabbed) -> None:
    """Rows with more cells than their header: of every reading that gives the header's count, the
    ones whose cells are whole markup (each tag closed in the cell that opens it), for the tags every
    cell of the rows read for certain keeps whole; then as `_settle` says."""
    certain = [c for i, line in enumerate(out) if "\t" in line and i not in heads and i not in overflow
               for c in line.split("\t")]
    whole_markup = whole_tags(certain)
    for i, (head, plan) in sorted(overflow.items()):
        n = len(head)
        readings = fixed_readings(lines[i], width, n)
        if readings is not None and whole_markup:
            readings = [r for r in readings if all(_balanced(c, whole_markup) for c in r)]
        if not readings:
            some = "หลายแบบเกินกว่าจะตรวจทุกแบบ" if readings is None else "ไม่ได้เลย"
            markup = "ที่ทุกช่องมีแท็ก HTML ครบคู่ " if whole_markup and readings is not None else ""
            result.refuse(i + 1, f"แบ่งได้ {len(model_cells(lines[i], width))} ช่อง มากกว่าหัวตาราง ({n} ช่อง): "
                                 f"มีช่องว่างภายในช่องกว้างเท่าตัวคั่น และแบ่งเป็น {n} ช่อง{markup}ได้ {some} "
                                 "จึงบอกไม่ได้ว่าช่องว่างช่วงใดแทนแท็บ")
            continue
        _settle(i, readings, head, plan, True, "(มีช่องว่างภายในช่องกว้างเท่าตัวคั่น)", out, result)


def _resolve_stops(pending: dict[int, tuple[list[str], bool]], lines: list[str], out: list[str], model: _Stops,
                   own_runs: bool, trimmed: bool, result: Untabbed) -> None:
    """Rows of a table whose tabs were expanded to stops: every reading that gives the header's count
    (`stop_readings`); where several are left, the ones whose cells are whole markup, for the tags
    every cell of the rows read for certain keeps whole; then as `_settle` says."""
    padded: set[tuple[str, ...]] = set()
    readings = {i: stop_readings(lines[i], model, len(head), own_runs, trimmed, padded)
                for i, (head, _) in pending.items()}
    certain = [c for r in readings.values() if r is not None and len(r) == 1 and r[0] not in padded for c in r[0]]
    whole_markup = whole_tags(certain)
    for i, (head, plan) in sorted(pending.items()):
        found = readings[i]
        if found is not None and whole_markup and len(found) > 1:
            found = [r for r in found if all(_balanced(c, whole_markup) for c in r)]
        why = "(แท็บที่อยู่ก่อนตำแหน่งหยุดหนึ่งตัวกลายเป็นช่องว่างตัวเดียว เหมือนช่องว่างภายในช่อง)"
        if not found:
            some = "หลายแบบเกินกว่าจะตรวจทุกแบบ" if found is None else "ไม่ได้เลย"
            markup = "ที่ทุกช่องมีแท็ก HTML ครบคู่ " if whole_markup else ""
            result.refuse(i + 1, f"แบ่งเป็น {len(head)} ช่องเท่าหัวตาราง{markup}ได้ {some} {why}")
            continue
        if len(found) == 1 and found[0] in padded:
            _padded(i, found[0], head, plan, out, result)
            continue
        _settle(i, found, head, plan, len(readings[i]) > 1, why, out, result)


def _padded(i: int, reading: tuple[str, ...], head: list[str], plan: bool, out: list[str], result: Untabbed) -> None:
    """A measure row read only with its last cells empty, in a text whose lines all lost their trailing
    spaces: they were empty and trimmed away, or its tabs are not where the stops put them. Read and
    asked, naming the row and the columns; a plan's row (its ticks and budget) is refused."""
    last = max((k for k, c in enumerate(reading) if c), default=0)  # the last cell the line holds
    roles = None if plan else header_roles(head)
    named = [roles[k] if roles else None for k in range(last, len(reading))]
    columns = ", ".join(f"'{' '.join(head[k].split())[:30]}'" for k in range(last, len(reading)))
    if roles is None or None in named or last < 1:
        result.refuse(i + 1, f"แบ่งได้ {last + 1} ช่อง น้อยกว่าหัวตาราง ({len(head)} ช่อง) และไม่มีบรรทัดใดเหลือช่องว่าง"
                             "ท้ายบรรทัด จึงบอกไม่ได้ว่าช่องท้ายแถวว่าง หรือแท็บไม่อยู่ตรงตำแหน่งหยุด")
        return
    out[i] = "\t".join(reading)
    result.placed += 1
    result.unsure.append((_record_line(out, i, [reading]), f"บรรทัด {i + 1}{_continues(out, i, [reading])}: แถวนี้แบ่งได้ "
                                 f"{last + 1} ช่อง น้อยกว่าหัวตาราง ({len(head)} ช่อง) "
                                 "และไม่มีบรรทัดใดเหลือช่องว่างท้ายบรรทัด ระบบถือว่าช่องท้ายแถวว่าง แต่ข้อความของช่อง"
                                 f" {columns} อาจแบ่งผิดที่ กรุณาตรวจกับเอกสารต้นฉบับ", [r for r in named if r]))


def _settle(i: int, found: list[tuple[str, ...]], head: list[str], plan: bool, weighed: bool, why: str,
            out: list[str], result: Untabbed) -> None:
    """One reading left is the row (`weighed`: one of several). Several that differ only in cells past
    the measure's own (its title's numbering, so its count, and its ITA code the same in each) are read
    as the first and asked, naming the row and the columns; any other row is refused, naming it."""
    n = len(head)
    out[i] = "\t".join(found[0])
    if len(found) == 1:
        result.placed += 1
        if weighed:
            result.weighed.append(i + 1)
        return
    differ = [k for k in range(n) if len({r[k] for r in found}) > 1]
    roles = None if plan else header_roles(head)
    named = [roles[k] if roles else None for k in differ]
    columns = ", ".join(f"'{' '.join(head[k].split())[:30]}'" for k in differ)
    if roles is None or None in named or not _same_measures(found, roles, _rows_above(out, i, roles)):
        # a plan's figures, a column without a known role, or readings that would make other measures
        # (their count, numbers or ITA codes): never read on a guess
        result.refuse(i + 1, f"แบ่งเป็น {n} ช่องได้ {len(found)} แบบ ซึ่งต่างกันที่ช่อง {columns} {why} "
                             "จึงบอกไม่ได้ว่าช่องว่างใดแทนแท็บ")
        return
    cuts = ", ".join(_cut_at(r, found[0] if r is not found[0] else found[1]) for r in found[:4])
    result.placed += 1
    result.unsure.append((_record_line(out, i, found), f"บรรทัด {i + 1}{_continues(out, i, found)}: แถวนี้แบ่งเป็น {n} ช่องได้ "
                                 f"{len(found)} แบบ {why} ต่างกันที่ช่อง "
                                 f"{columns} ระบบใช้แบบแรก (แบ่งช่องที่ {cuts}) กรุณาตรวจข้อความของช่องเหล่านี้"
                                 "กับเอกสารต้นฉบับ", [r for r in named if r]))


def _record_line(out: list[str], i: int, readings: list[tuple[str, ...]]) -> int:
    """The line the row's record starts on: its own, or, when its first cell is empty in every reading
    (a row run on over a page break), the nearest row above with a first cell."""
    if any(r[0] for r in readings):
        return i + 1
    return next((j + 1 for j in range(i - 1, -1, -1) if "\t" in out[j] and out[j].split("\t")[0].strip()), i + 1)


def _continues(out: list[str], i: int, readings: list[tuple[str, ...]]) -> str:
    """How the question names the record: its row's line and opening words ("(ต่อจากแถวบรรทัด 13)" when
    the row runs that one on)."""
    line = _record_line(out, i, readings)
    first = readings[0][0] if line == i + 1 else out[line - 1].split("\t")[0]
    opening = " ".join(re.sub(r"<[^>]+>", " ", first).split())[:30]
    return (f" (ต่อจากแถวบรรทัด {line})" if line != i + 1 else "") + (f" แถว '{opening}…'" if opening else "")


def _cut_at(reading: tuple[str, ...], other: tuple[str, ...]) -> str:
    """Where the reading first parts two cells otherwise than `other` does: '…end ‖ start…'."""
    k = next(k for k, (a, b) in enumerate(zip(reading, other, strict=True)) if a != b)
    k = min(k, len(reading) - 2)
    return f"'…{reading[k][-12:]} ‖ {reading[k + 1][:12]}…'"


def _title_index(roles: list[str | None]) -> int | None:
    title = "measure" if "measure" in roles else "weakness"
    return roles.index(title) if title in roles else None


def _rows_above(out: list[str], i: int, roles: list[str | None]) -> int:
    """Rows read above line i with a title (each makes one measure or more; headers and category rows
    none): the fewest measures the document can have before this row."""
    t = _title_index(roles)
    rows = [line.split("\t") for line in out[:i] if "\t" in line]
    return sum(1 for cells in rows if t is not None and t < len(cells) and cells[t].strip()
               and header_roles(cells) is None and not _CATEGORY.match(cells[0].strip()))


def _same_measures(readings: list[tuple[str, ...]], roles: list[str | None], before: int) -> bool:
    """Every reading makes the same measures of the row: from its title cell the same numbered titles
    (how many, and their numbers: lib.ingest.measures.split_titles) whatever count of measures above it
    from `before` on, and the same ITA code opening its topic cell."""
    t = _title_index(roles)

    def measures(reading: tuple[str, ...]) -> tuple:
        cell = parse_cell(reading[t]) if t is not None else None
        code = ITEM_CODE.match(reading[roles.index("topic")]) if "topic" in roles else None
        titles = tuple(tuple(n for n, _ in split_titles(cell, k)) for k in range(before, before + 40)) if cell else ()
        return titles, code.group().strip() if code else None
    return len({measures(r) for r in readings}) == 1


def model_cells(line: str, width: int) -> list[str]:
    return _Fixed(width).cut(line).cells


def _cells_of(text: str) -> str:
    return re.sub(r"[ ]+", " ", text)


def _read(lines: list[str], model: _Model, trimmed: bool, stop_like: bool = False) -> Untabbed:
    """`stop_like`: a header also fits tab stops of 4 or more, so runs narrower than a fixed separator
    could be tabs expanded to stops rather than a cell's own spaces."""
    out = list(lines)
    result = Untabbed(None, label=model.label, stops=model.size if isinstance(model, _Stops) else 0)
    pipes, stops = isinstance(model, _Pipes), isinstance(model, _Stops)
    cuts: dict[int, _Cut] = {}
    heads: dict[int, int] = {}  # header line -> its cell count
    plans: set[int] = set()  # header lines of plan tables
    for i, line in enumerate(lines):
        if not line.strip() or (not heads and not _maybe_header(line)):
            continue
        cut = cuts[i] = model.cut(line)
        if stops and _maybe_header(line) and not _is_header(tuple(cut.cells)) and (cut.candidates or cut.doubt) \
                and (named := named_header(line, model)) is not None:
            cut.cells = list(named)  # a tab just before a stop was one space: the header's one named reading
        if _maybe_header(line) and _is_header(tuple(cut.cells)):
            heads[i] = len(cut.cells)
            if is_plan_header(cut.cells):
                plans.add(i)
            if result.header_line is None:
                result.header, result.header_line = cut.cells, i + 1
    if not heads:
        return result
    first = min(heads)
    table = [i for i, c in cuts.items() if i >= first and len(c.cells) > 1]
    last = max(table)
    # spaces kept inside cells (runs of two or more read as text): any gap could then be one of them
    in_cells = [i for i in table if cuts[i].inside]
    inside = bool(in_cells) or (isinstance(model, _Fixed) and model.width == 2 and any(
        "  " in line.strip() for line in lines[:first]))
    n, plan = 0, False
    # a row that gives more cells than its header, tabs as a fixed run of spaces kept at line ends:
    # its runs as wide as a separator include a cell's own, and every reading is weighed (_resolve)
    resolvable = isinstance(model, _Fixed) and not trimmed
    overflow: dict[int, tuple[list[str], bool]] = {}
    pending: dict[int, tuple[list[str], bool]] = {}  # tab stops: row -> its header's cells, a plan's?
    header: list[str] = []
    for i in sorted(k for k in cuts if k >= first):
        cut, line_no = cuts[i], i + 1
        if i in heads:
            n, plan = heads[i], i in plans
            out[i] = "\t".join(cut.cells)
            if trimmed and not plan and isinstance(model, _Fixed) and model.width == 2 \
                    and not result.unsafe_lines:  # said once, at the first measure table
                # no line kept its trailing spaces: a row whose last cell is empty lost its last separator,
                # and a double space (or one at a tab stop) inside one of its cells would make up the count
                result.refuse(line_no, "ไม่มีบรรทัดใดเหลือช่องว่างท้ายบรรทัด แถวที่ช่องสุดท้ายว่างจึงไม่เหลือตัวคั่นท้ายแถว "
                                       "และช่องว่าง 2 ตัวภายในช่องของแถวนั้นจะดูเหมือนตัวคั่น ตารางมาตรการจึงแบ่งช่องให้แน่นอนไม่ได้")
                continue
            if stops and (cut.candidates or cut.doubt) and (named := named_header(lines[i], model)) is not None:
                # a tab just before a stop is one space: the one reading whose every cell names a column
                n, heads[i], out[i], header = len(named), len(named), "\t".join(named), list(named)
                if result.header_line == line_no:
                    result.header = header
                continue
            header = cut.cells
            if stops and (two := glued(header)):
                result.refuse(line_no, f"หัวตารางช่องเดียวมีชื่อคอลัมน์สองชื่อ ('{two[0]}' และ '{two[1]}') คั่นด้วยช่องว่าง"
                                       "ที่ไม่ตรงตำแหน่งหยุดของแท็บ จึงบอกไม่ได้ว่าแท็บหยุดทุกกี่ช่อง")
                continue
            if cut.candidates or cut.doubt:
                # a tab just before a stop is one space: the header's own count of cells is not certain
                result.refuse(line_no, "หัวตารางมีช่องว่างตัวเดียวตรงตำแหน่งหยุดของแท็บ จึงบอกไม่ได้ว่าหัวตารางมีกี่ช่อง")
            continue
        if pipes and len(cut.cells) > 1 and all(_RULE.fullmatch(c) for c in cut.cells if c) and any(cut.cells):
            out[i] = ""  # the rule under a markdown header
            continue
        cells = cut.cells
        if len(cells) == 1 and not (stops and i < last and len(cut.candidates) >= n - 1):
            # one cell: prose, a heading, or a row whose other cells were empty and trimmed away
            after_row = lines[i - 1].strip() and (i - 1) in cuts and len(cuts[i - 1].cells) > 1
            if pipes or not trimmed or i > last:
                continue
            if _CATEGORY.match(cells[0]):
                out[i] = "\t".join(cells + [""] * (n - 1))  # a category row, its empty cells trimmed
            elif after_row:
                result.refuse(line_no, "บรรทัดมีข้อความช่องเดียวต่อจากแถวของตาราง และช่องว่างท้ายบรรทัดถูกตัดออก "
                                       "จึงบอกไม่ได้ว่าเป็นแถวที่ช่องอื่นว่าง หรือข้อความนอกตาราง")
            continue
        if stops:
            pending[i] = (header, plan)  # read once the certain rows have shown what cells look like here
            continue
        if cut.candidates and len(cells) < n and not inside and len(cut.candidates) == n - len(cells) \
                and (cut.trailing or not trimmed):
            cells = model.cut(lines[i], take=True).cells  # each single space at a stop is the tab it lacks
        elif cut.candidates and inside:
            result.refuse(line_no, "ในตารางมีช่องว่างหลายตัวภายในช่อง และบรรทัดนี้มีช่องว่างตัวเดียวตรงตำแหน่งหยุดของแท็บ "
                                   "จึงบอกไม่ได้ว่าช่องว่างใดแทนแท็บ")
            continue
        if len(cells) > n and resolvable:
            overflow[i] = (header, plan)  # read once the rows that are certain have shown what cells look like here
            continue
        if len(cells) > n:
            why = ("อาจมี '|' อยู่ในข้อความของช่อง" if pipes else
                   "มีช่องว่างติดกันหลายตัวภายในช่อง จึงบอกไม่ได้ว่าช่องว่างช่วงใดแทนแท็บ")
            result.refuse(line_no, f"แบ่งได้ {len(cells)} ช่อง มากกว่าหัวตาราง ({n} ช่อง): {why}")
            continue
        if len(cells) < n:
            if pipes or not trimmed or cut.trailing:
                result.refuse(line_no, f"แบ่งได้ {len(cells)} ช่อง น้อยกว่าหัวตาราง ({n} ช่อง)")
                continue
            if cut.doubt or cut.candidates or inside:
                result.refuse(line_no, f"แบ่งได้ {len(cells)} ช่อง น้อยกว่าหัวตาราง ({n} ช่อง) และช่องว่างท้ายบรรทัดถูกตัดออก "
                                       "จึงบอกไม่ได้ว่าช่องท้ายแถวที่ว่างหายไป หรือช่องว่างบางช่วงอยู่ภายในช่อง")
                continue
            if not plan:
                # a measure table's cells are free text: with some rows' empty last cells trimmed away, a row
                # whose last cell is empty and whose text holds a separator-wide run would look whole
                result.refuse(line_no, f"แบ่งได้ {len(cells)} ช่อง น้อยกว่าหัวตาราง ({n} ช่อง) และช่องว่างท้ายบรรทัดถูกตัดออก "
                                       "ช่องท้ายของแถวในตารางมาตรการจึงอาจว่างหรือเลื่อนมา บอกไม่ได้แน่นอน")
                continue
            cells = cells + [""] * (n - len(cells))  # trailing empty cells the trim took away
        out[i] = "\t".join(cells)
        result.placed += 1
    if overflow:
        _resolve(overflow, lines, out, heads, model.width, result)
    if pending:
        _resolve_stops(pending, lines, out, model, inside, trimmed, result)
    if isinstance(model, _Fixed) and in_cells and (trimmed or stop_like):
        # a gap narrower than the separator: spaces kept in a cell, or tabs of another width (tab stops);
        # then a separator-wide run could be a cell's own too, and a row a cell off would look whole
        result.refuse(in_cells[0] + 1, f"มีช่องว่างติดกันน้อยกว่า {model.width} ตัว ซึ่งไม่ใช่จำนวนเต็มเท่าของช่องว่างที่แทนแท็บในหัวตาราง "
                               "จึงบอกไม่ได้ว่าเป็นช่องว่างภายในช่องหรือแท็บ")
    if not result.unsafe_lines:
        result.text = "\n".join(out)
    return result
