"""Measure tables (มาตรการส่งเสริมคุณธรรมและความโปร่งใส): four layouts, one reader.

The layouts differ in their columns and in how they group rows: by numbered category rows
"(๑) ...", by instrument sections "ด้าน IIT", or by the ITA question code that opens each
row ("i๗", "e๑๑", "๐๔๑" = o41). Rows broken by a page break continue on a row whose first
cell is empty; one row may hold two numbered measures.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from lib.ingest.cells import Cell, is_separator_row, parse_cell, split_row, squash
from lib.ingest.ita_codes import shipped_codes
from lib.records import Measure, ParsedDocument
from lib.thai import period_far_from, read_period, to_arabic_digits

# (role, test on the squashed header text); the first role whose test passes names the column
_ROLES = (
    ("topic", lambda h: h.startswith("หัวข้อการประเมิน")),
    ("weakness", lambda h: h.startswith("ประเด็นที่เป็นข้อบกพร่อง")),
    ("steps", lambda h: h.startswith("ขั้นตอน")),
    ("monitoring", lambda h: h.startswith("การรายงานผล")),
    ("responsible", lambda h: h.startswith("ผู้รับผิดชอบ")),
    ("period", lambda h: "ระยะเวลา" in h),
    ("outcome", lambda h: h.startswith("ผลลัพธ์")),
    ("result", lambda h: h.startswith(("ผลการดำเนินการ", "สรุปผล", "การดำเนินการ"))),
    ("measure", lambda h: h.startswith("มาตรการ")),
)

LAYOUTS = {
    "ita_item_report": "รายงานผลมาตรการตามข้อคำถาม ITA (i/e/o)",
    "ita_instrument_report": "รายงานมาตรการแยกตามด้าน IIT/EIT/OIT",
    "ita_category_report": "รายงานผลมาตรการแยกตามหมวด (๑), (๒), ...",
    "ita_measure_results": "ผลการดำเนินการตามมาตรการ (มาตรการ/ขั้นตอน/ผลผลิต/ผลลัพธ์)",
}

_CATEGORY = re.compile(r"^\((\d+)\)\s*(.+)$", re.S)  # a category cell may wrap
_SECTION = re.compile(r"ด้าน\s*(IIT|EIT|OIT)\b")
ITEM_CODE = re.compile(r"^([iIeEoO๐])\s*([๐-๙0-9]{1,2})(?![๐-๙0-9])\s*")
_NUMBERED = re.compile(r"^([๐-๙0-9]{1,2})\s*[.)]\s*")
_ROLE_LABELS = {
    "topic": "หัวข้อการประเมิน", "weakness": "ประเด็นที่เป็นข้อบกพร่อง", "steps": "ขั้นตอน",
    "monitoring": "การรายงานผล", "responsible": "ผู้รับผิดชอบ", "period": "ระยะเวลา",
    "outcome": "ผลลัพธ์", "result": "ผลการดำเนินการ", "measure": "มาตรการ",
}


# The header words of each role, for a scan's damaged header ("ั้นตอน" with its ข read into the cell before)
_ROLE_WORDS = (("topic", "หัวข้อการประเมิน"), ("weakness", "ประเด็นที่เป็นข้อบกพร่อง"), ("steps", "ขั้นตอน"),
               ("monitoring", "การรายงานผล"), ("responsible", "ผู้รับผิดชอบ"), ("period", "ระยะเวลา"),
               ("outcome", "ผลลัพธ์"), ("result", "ผลการดำเนินการ"), ("result", "สรุปผล"), ("measure", "มาตรการ"))


def _close_role(h: str) -> str | None:
    """The role whose header word the cell's start is close to, clearly closer than any other's."""
    h = re.sub(r"[^\u0e01-\u0e4e/]", "", h)
    scores = sorted(((difflib.SequenceMatcher(None, h[:len(word) + 2], word, autojunk=False).ratio(), role)
                     for role, word in _ROLE_WORDS), reverse=True)
    (best, role), (second, _) = scores[0], next(x for x in scores[1:] if x[1] != scores[0][1])
    return role if best >= 0.7 and best - second >= 0.25 else None


@functools.lru_cache(maxsize=4096)
def column_role(cell: str) -> str | None:
    """The column a header cell names, if any. (Cached as parse_cell is: every line that may be a header
    asks it of each of its cells, several times over.)"""
    h = squash(parse_cell(cell).text)
    # Header cells are short labels; a long body cell that mentions "ระยะเวลา" is not one.
    return next((role for role, test in _ROLES if h and len(h) <= 80 and test(h)), None)


def header_roles(cells: list[str], scanned: bool = False) -> list[str | None] | None:
    """Column roles when the row is a measure-table header (at least three known columns). In a scan
    a short cell that names no role exactly may name one by closeness (only when three roles are found
    in all, each once: a header's few known words, never a data cell's)."""
    roles = [column_role(cell) for cell in cells]
    if scanned and len({r for r in roles if r}) >= 2:
        for i, cell in enumerate(cells):
            h = squash(parse_cell(cell).text).replace("☑", "")
            close = _close_role(h) if roles[i] is None and h and len(h) <= 80 else None
            if close and close not in roles:
                roles[i] = close
    return roles if len({r for r in roles if r}) >= 3 else None


@dataclass
class _Row:
    raw: list[str]
    lines: list[str]
    category: str | None
    category_no: int | None
    instrument: str | None
    roles: list[str | None] = field(default_factory=list)

    def cell(self, role: str) -> Cell:
        if role not in self.roles:
            return Cell("", ())
        i = self.roles.index(role)
        return parse_cell(self.raw[i]) if i < len(self.raw) else Cell("", ())


_LOST_LINES = 5  # a section heading or a note between two tables is a line or two


def _row_text(cells: list[str]) -> str:
    return squash("".join(parse_cell(c).text for c in cells)).replace("☑", "")


def _starts_as_header(cells: list[str], header_cells: list[str]) -> bool:
    """Three or more cells open with (close to) their header cell's words, and go on past them."""
    opened = 0
    for cell, head in zip(cells, header_cells, strict=False):
        h = squash(parse_cell(cell).text).replace("☑", "")
        if len(head) >= 6 and len(h) > len(head) + 10 and \
                difflib.SequenceMatcher(None, h[:len(head)], head, autojunk=False).ratio() >= 0.8:
            opened += 1
    return opened >= 3


def _repeated_header(cells: list[str], header_text: str, roles: list[str | None], line_no: int,
                     doc: ParsedDocument, ask: bool = True) -> list[str | None] | None:
    """A scanned page's copy of the table header that OCR damaged ("ข" of ขั้นตอน read into the cell
    before, a stray mark) is still the header when its words are close to the first header's: a header
    repeats a few known words, a measure row says something else. Only close is taken; half-close is
    taken and asked about (read as a measure, it would add one that is not there)."""
    if not header_text:
        return None
    ratio = difflib.SequenceMatcher(None, _row_text(cells), header_text, autojunk=False).ratio()
    if ratio < 0.6:
        return None
    if ratio < 0.8 and ask:
        doc.ask("ocr.header_row", f"บรรทัด {line_no}: อ่านแถวนี้จากภาพสแกนเป็นหัวตารางซ้ำ (คล้ายหัวตาราง "
                f"{ratio:.0%}) จึงไม่นับเป็นมาตรการ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:header_row:{line_no}")
    return roles


def _collect_rows(text: str, doc: ParsedDocument) -> tuple[list[_Row], set[str], set[int]]:
    rows: list[_Row] = []
    roles: list[str | None] | None = None
    category = category_no = instrument = None
    header_text = ""  # the first header's words: a scan's repeated headers are matched to it
    category_rows = 0  # in a scan a category's number must be the next one: (๑), (๒), ...
    header_cells: list[str] = []
    seen_roles: set[str] = set()
    category_numbers: set[int] = set()
    continued: dict[int, list[list[str]]] = {}  # continuation lines of the last row, joined by _finish_row
    by_raw: dict[tuple, _Row] = {}  # finished rows by their cells, to find a repeated row in one look
    outside: list[int] = []  # lines outside the table since its last row
    for line_no, line in enumerate(text.splitlines(), start=1):
        if doc.scanned:  # a measure table has no tick column: ink OCR kept as a mark (☑) is a speck
            line = re.sub(r" ?☑ ?", " ", line)
        if "\t" not in line:
            section = _SECTION.search(line)
            if section and len(line.strip()) < 40:
                instrument = section.group(1)
            if roles is not None and line.strip():
                outside.append(line_no)
            continue
        if doc.scanned and len(outside) >= _LOST_LINES:
            # many lines between two parts of the table: a page where the scan's rules were not found,
            # whose rows were read as plain lines and are not measures
            doc.ask("ocr.header_row", f"บรรทัด {outside[0]}-{outside[-1]}: ข้อความ {len(outside)} บรรทัดระหว่างแถวตาราง "
                    "อ่านจากภาพสแกนโดยไม่พบเส้นตาราง มาตรการในส่วนนี้ไม่ถูกนับ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                    ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:header_row:{outside[0]}")
        outside = []
        cells = split_row(line)
        found = header_roles(cells, doc.scanned)
        if roles is not None and doc.scanned and (found is None or len(found) == len(roles)):
            # a scan's repeated header: the roles of the header it repeats, when it names fewer
            repeated = _repeated_header(cells, header_text, roles, line_no, doc, ask=found is None)
            if repeated and (found is None or sum(map(bool, repeated)) > sum(map(bool, found))):
                found = repeated
        if found:
            header_text = header_text or _row_text(cells)
            header_cells = header_cells or [squash(parse_cell(c).text) for c in cells]
            if doc.scanned and any(len(squash(parse_cell(c).text)) > 80 for c in cells):
                # the rule under the header was not found in the scan: a row's cells came with the
                # header's and are not read as a measure, so the count is asked about
                doc.ask("ocr.header_row", f"บรรทัด {line_no}: หัวตารางอ่านจากภาพสแกนรวมกับแถวข้อมูล (เส้นตารางไม่ชัด) "
                        "มาตรการในแถวนั้นไม่ถูกนับ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                        ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:header_row:{line_no}")
            roles = found
            seen_roles.update(r for r in found if r)
            continue
        if roles is None and doc.scanned and not is_separator_row(cells) and any(parse_cell(c).text for c in cells):
            # a table row before any header was read: in a scan, a header the rules did not part from
            # the rows under it ("มาตรการ" and the first measure in one cell); its measures are not read
            doc.ask("ocr.header_row", f"บรรทัด {line_no}: แถวตารางก่อนหัวตารางที่ระบบอ่านได้ (เส้นตารางในภาพสแกนไม่ชัด) "
                    "มาตรการในแถวนั้นไม่ถูกนับ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                    ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:header_row:{line_no}")
        if roles is None or is_separator_row(cells):
            continue
        if doc.scanned and _starts_as_header(cells, header_cells):
            # the header and a row in one (the scan's rule between them not found): every cell opens
            # with its header's words; read as a measure its title would carry them
            doc.ask("ocr.header_row", f"บรรทัด {line_no}: หัวตารางอ่านจากภาพสแกนรวมกับแถวข้อมูล (เส้นตารางไม่ชัด) "
                    "มาตรการในแถวนั้นไม่ถูกนับ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                    ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:header_row:{line_no}")
            continue
        if len(cells) < len(roles) and doc.scanned:
            # a column rule the scan lost: which cells the row's words belong to cannot be told
            doc.ask("ocr.count", f"บรรทัด {line_no}: แถวตารางอ่านจากภาพสแกนได้ {len(cells)} ช่อง แต่หัวตารางมี "
                    f"{len(roles)} ช่อง (เส้นตารางไม่ชัด) มาตรการในแถวนั้นไม่ถูกนับ กรุณาตรวจจำนวนมาตรการกับเอกสารต้นฉบับ",
                    ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:row_short:{line_no}")
            continue
        if len(cells) < len(roles):
            doc.fail("row.short", f"บรรทัด {line_no} มี {len(cells)} คอลัมน์ แต่หัวตารางมี {len(roles)} คอลัมน์ "
                                  "(ข้อมูลอาจถูกตัดทอนหรือไฟล์เสียหาย)")
            continue
        first = parse_cell(cells[0]).text
        rest_empty = all(not parse_cell(c).text for c in cells[1:])
        category_match = _CATEGORY.match(to_arabic_digits(first))
        if category_match and rest_empty and not (doc.scanned and int(category_match.group(1)) != category_rows + 1):
            category_rows += 1
            category_no = int(category_match.group(1))
            category = category_match.group(2).strip()
            category_numbers.add(category_no)
            continue
        if doc.scanned and rest_empty and first and (first.startswith("(") or category_rows):
            # a category row whose number OCR did not read as the next one ("(ov)", "(๓ ก", "(๒)" for
            # ๔: Tesseract writes ๒ for the digits its model lacks), or lost ("(๖)" gone: the first
            # cell alone in a table grouped by categories): its measures keep the category's words and
            # no number, and the user is asked
            category_rows += 1
            category_no, category = None, re.sub(r"^\([^)\s]*\)?\s*", "", first).strip()
            category_numbers.add(0)  # a category all the same (the layout groups by them), its number unread
            doc.ask("ocr.category", f"บรรทัด {line_no}: อ่านเลขหมวดจากภาพสแกนไม่ได้ชัด ('{first[:30]}') "
                    "ระบบไม่บันทึกเลขหมวดของมาตรการในหมวดนี้ กรุณาตรวจกับเอกสารต้นฉบับ",
                    ("ตรวจแล้ว",), f"ocr:category:{line_no}")
            continue
        if not first and rows and any(parse_cell(c).text for c in cells):
            continued.setdefault(len(rows) - 1, []).append(cells)
            rows[-1].lines.append(f"{line_no}: {line}")
            continue
        if not any(parse_cell(c).text for c in cells):
            continue
        _finish_row(rows, continued, by_raw)
        duplicate = by_raw.get(tuple(cells))
        if duplicate:
            first_line = duplicate.lines[0].split(":")[0]
            doc.fail("row.duplicate", f"บรรทัด {line_no} ซ้ำกับบรรทัด {first_line} ทุกคอลัมน์ (แถวซ้ำ) กรุณาลบแถวที่ซ้ำ")
            continue
        rows.append(_Row(cells, [f"{line_no}: {line}"], category, category_no, instrument, roles))
        by_raw[tuple(cells)] = rows[-1]
    _finish_row(rows, continued, by_raw)
    return rows, seen_roles, category_numbers


def _finish_row(rows: list[_Row], continued: dict[int, list[list[str]]], by_raw: dict[tuple, _Row]) -> None:
    """Join the continuation lines of the last row into its cells, once (joining line by line
    would copy the growing cell every time: quadratic in a long row)."""
    extra_lines = continued.pop(len(rows) - 1, None)
    if not extra_lines:
        return
    row = rows[-1]
    width = max(len(row.raw), *(len(cells) for cells in extra_lines))
    parts = [[c] for c in row.raw] + [[""] for _ in range(width - len(row.raw))]
    for cells in extra_lines:
        for i, extra in enumerate(cells):
            if extra.strip():
                parts[i].append(extra)
    if by_raw.get(tuple(row.raw)) is row:
        del by_raw[tuple(row.raw)]
    row.raw = [_joined(cell) for cell in parts]
    by_raw[tuple(row.raw)] = row


def _joined(pieces: list[str]) -> str:
    """What (cell + " " + extra).strip() line after line gives, built in one pass."""
    first, extras = pieces[0], pieces[1:]
    if not extras:
        return first
    out = [extras[0].strip()] if not first.strip() else [first.lstrip(), " ", extras[0].rstrip()]
    for extra in extras[1:]:
        out += [" ", extra.rstrip()]
    return "".join(out)


def detect_layout(seen_roles: set[str], has_categories: bool, has_sections: bool) -> str:
    if "topic" in seen_roles:
        return "ita_item_report"
    if "monitoring" in seen_roles or has_sections:
        return "ita_instrument_report"
    if has_categories:
        return "ita_category_report"
    return "ita_measure_results"


def _item_code(topic: str) -> tuple[str | None, str]:
    m = ITEM_CODE.match(topic)
    if not m:
        return None, topic
    letter = "o" if m.group(1) == "๐" else m.group(1).lower()
    return f"{letter}{int(to_arabic_digits(m.group(2)))}", topic[m.end():].strip()


def _numbered(paragraph: str) -> tuple[int | None, str]:
    m = _NUMBERED.match(paragraph)
    if not m:
        return None, paragraph
    return int(to_arabic_digits(m.group(1))), paragraph[m.end():].strip()


def _groups_by_restart(cell: Cell) -> list[str]:
    """Paragraphs grouped where the numbering starts again at 1 (one group per measure)."""
    groups: list[list[str]] = []
    for paragraph in cell.paragraphs:
        number, _ = _numbered(paragraph)
        if not groups or number == 1:
            groups.append([])
        groups[-1].append(paragraph)
    return ["\n".join(g) for g in groups]


def split_titles(cell: Cell, measures_so_far: int) -> list[tuple[int | None, str]]:
    """One entry per numbered measure in the title cell (two when a row holds two).

    A row holds several measures when its title paragraphs continue the document's own
    measure numbering (๒., ๓. after ๑.); numbered steps inside one measure start again at 1.
    """
    numbered = [_numbered(p) for p in cell.paragraphs]
    numbers = [n for n, _ in numbered]
    if len(numbered) > 1 and numbers == list(
            range(measures_so_far + 1, measures_so_far + 1 + len(numbers))):
        return numbered
    number, title = _numbered(cell.text)
    return [(number, title)]


def _share(cell: Cell, parts: int, role: str, row: _Row, doc: ParsedDocument) -> list[str]:
    """Split a cell of a row that holds `parts` measures into one text per measure."""
    if parts == 1 or cell.empty:
        return [cell.text] * parts
    if len(cell.paragraphs) == parts:
        return list(cell.paragraphs)
    groups = _groups_by_restart(cell)
    if len(groups) == parts:
        return groups
    line = row.lines[0].split(':')[0]
    doc.ask("row.split",
            f"แถวที่ {line} มี {parts} มาตรการ แต่แบ่งคอลัมน์ '{_ROLE_LABELS[role]}' ให้แต่ละมาตรการไม่ได้ "
            f"จึงใช้ข้อความเดียวกันทั้ง {parts} มาตรการ กรุณาตรวจและแก้ข้อความของแต่ละมาตรการในทะเบียน",
            ("ตรวจแล้ว จะแก้ในทะเบียน",), f"row.split:{line}:{role}")
    return [cell.text] * parts


def read_measures(text: str, doc: ParsedDocument) -> None:
    rows, seen_roles, category_numbers = _collect_rows(text, doc)
    has_sections = any(r.instrument for r in rows)
    doc.layout = detect_layout(seen_roles, bool(category_numbers), has_sections)
    doc.layout_label = LAYOUTS[doc.layout]
    if category_numbers:
        missing = sorted(set(range(1, max(category_numbers) + 1)) - category_numbers)
        if missing:
            doc.warn("category.gap", "ลำดับหมวดข้ามไป: ไม่มีหมวด "
                     + ", ".join(f"({n})" for n in missing) + " ในเอกสาร โปรดตรวจสอบว่าข้อมูลครบ")

    written: list[int | None] = []  # the numbers the measures' titles start with
    untitled: list[int] = []
    for row in rows:
        title_role = "measure" if "measure" in row.roles else "weakness"
        if doc.scanned and title_role == "weakness" and None in row.roles:
            # a header cell the scan damaged past knowing may be the measure column: the titles taken
            # from the weaknesses' column may be the wrong column's words
            untitled.append(len(doc.measures) + 1)
        titles = split_titles(row.cell(title_role), len(doc.measures))
        written.extend(n for n, _ in titles)
        parts = len(titles)
        code, topic = _item_code(row.cell("topic").text)
        if code and doc.scanned and row.cell("topic").text.startswith("๐") and not _only_o(code, doc.fiscal_year):
            # o written as Thai zero (๐๔๒) is one round glyph that a scan also gives for e or o: not taken
            doc.ask("ocr.item_code", f"มาตรการที่ {len(doc.measures) + 1}: รหัสข้อคำถาม ITA อ่านจากภาพสแกนได้ "
                    f"'{row.cell('topic').text[:4]}' ตัวอักษรแรกอาจเป็น o หรือ e ระบบไม่บันทึกรหัสนี้ "
                    "กรุณาตรวจกับเอกสารต้นฉบับแล้วระบุรหัสในทะเบียน",
                    ("ตรวจแล้ว จะระบุรหัสในทะเบียน",), f"ocr:code:{len(doc.measures) + 1}")
            code = None
        elif "topic" in row.roles and code is None and doc.scanned:
            # OCR misreads codes (i๗ as "เซ"): the measure is kept without a code and the user asked
            doc.ask("ocr.item_code", f"มาตรการที่ {len(doc.measures) + 1}: อ่านรหัสข้อคำถาม ITA จากภาพสแกนไม่ได้ "
                    f"('{row.cell('topic').text[:40]}') ระบบไม่บันทึกรหัส กรุณาระบุรหัสในทะเบียน",
                    ("ตรวจแล้ว จะระบุรหัสในทะเบียน",), f"ocr:code:{len(doc.measures) + 1}")
        elif "topic" in row.roles and code is None:
            doc.fail("item_code.unknown", f"บรรทัด {row.lines[0].split(':')[0]}: ไม่พบรหัสข้อคำถาม ITA ที่รู้จัก "
                                          f"(เช่น i7, e11, o41) ในข้อความ '{row.cell('topic').text[:40]}'")
        shared = {role: _share(row.cell(role), parts, role, row, doc)
                  for role in ("weakness", "steps", "responsible", "period", "monitoring",
                               "result", "outcome") if role != title_role}
        links = tuple(dict.fromkeys(
            link for role in row.roles if role for link in row.cell(role).links))
        for i, (_, title) in enumerate(titles):
            measure = Measure(
                seq=len(doc.measures) + 1,
                title=title,
                instrument=row.instrument or (_INSTRUMENT_OF[code[0]] if code else None),
                item_codes=(code,) if code else (),
                item_topic=topic or None,
                category=row.category,
                category_no=row.category_no,
                weakness=shared["weakness"][i] if title_role != "weakness" else title,
                steps=shared["steps"][i] or None,
                responsible=shared["responsible"][i] or None,
                monitoring=shared["monitoring"][i] or None,
                result=shared["result"][i] or None,
                outcome=shared["outcome"][i] or None,
                links=links,
                source_excerpt="\n".join(row.lines),
            )
            measure.weakness = measure.weakness or None
            _set_period(measure, shared["period"][i], doc)
            doc.measures.append(measure)
    _check_scanned_numbering(doc, written)
    if untitled:
        doc.ask("ocr.header", f"มาตรการที่ {', '.join(map(str, untitled))}: หัวตารางในภาพสแกนอ่านไม่ได้บางช่อง "
                "ระบบไม่พบช่องมาตรการ จึงใช้ข้อความช่องประเด็นที่เป็นข้อบกพร่องเป็นชื่อมาตรการ "
                "กรุณาตรวจชื่อมาตรการกับเอกสารต้นฉบับ", ("ตรวจแล้ว จะแก้ในทะเบียน",), "ocr:header:title")
    unplaced = [m.seq for m in doc.measures if m.instrument is None]
    if doc.scanned and has_sections and unplaced:
        # a table under a "ด้าน IIT" heading OCR did not read: its measures have no instrument
        doc.ask("ocr.instrument", f"มาตรการที่ {', '.join(map(str, unplaced))}: ไม่พบหัวข้อด้าน (IIT/EIT/OIT) "
                "ของมาตรการเหล่านี้ในภาพสแกน กรุณาระบุด้านในทะเบียน", ("ตรวจแล้ว จะระบุในทะเบียน",),
                "ocr:instrument")
    undated = [m.seq for m in doc.measures if m.period_text is None]
    if doc.scanned and undated:
        # neither the row nor the document gave a period OCR could find (the document's period, which
        # a results report's quarters come from, is in Thai digits the model cannot write)
        doc.ask("ocr.period", f"มาตรการที่ {', '.join(map(str, undated))}: ไม่พบช่วงเวลาของมาตรการหรือของเอกสาร"
                "ในภาพสแกน ระบบไม่บันทึกไตรมาสของมาตรการเหล่านี้ กรุณาตรวจช่วงเวลากับเอกสารต้นฉบับ",
                ("ตรวจแล้ว จะระบุช่วงเวลาในทะเบียน",), "ocr:period:document")

    if not doc.measures and not doc.errors:
        doc.fail("measures.none", "ไม่พบแถวมาตรการในตาราง (เอกสารอาจถูกตัดทอน)")


_INSTRUMENT_OF = {"i": "IIT", "e": "EIT", "o": "OIT"}


def _only_o(code: str, fiscal_year: int | None) -> bool:
    """Whether a code written with Thai zero (๐๔๑) can only be o: the ITA lists of the years its
    items may come from (the fiscal year's and the one before, those the catalog holds) all have
    o41 and none has e41 (EIT ends at e15). e๑๑ read as ๐๑๑ stays asked: o11 and e11 both exist."""
    if fiscal_year is None:
        return False
    lists = [codes for codes in (shipped_codes(fiscal_year - 1), shipped_codes(fiscal_year)) if codes]
    return bool(lists) and all(code in codes and "e" + code[1:] not in codes for codes in lists)


def _check_scanned_numbering(doc: ParsedDocument, written: list[int | None]) -> None:
    """In a scan, the measures' own numbers (๑. ๒. ...) tell where a row holds two measures; OCR
    misreads them ("๓." as "on.", ๔ as ๕), so when the numbers read are not 1, 2, 3, ... the count
    itself is in doubt (two measures of one row kept as one) and the user is asked to check it."""
    numbered = [n for n in written if n is not None]
    if not doc.scanned or len(numbered) < len(written) / 2 or max(numbered, default=0) < 2:
        return  # the document does not number its measures (a title's "๑." is its first step)
    # each number the next one, or 1 where a table numbers again from the start
    if any(n is None or n not in (prev + 1, 1) for prev, n in zip([0, *written], written, strict=False)):
        shown = ", ".join(str(n) if n else "?" for n in written)
        doc.ask("ocr.count", f"อ่านจากภาพสแกนได้ {len(doc.measures)} มาตรการ แต่เลขลำดับที่อ่านได้ไม่เรียงกัน "
                f"({shown}) จำนวนมาตรการอาจไม่ถูกต้อง (สองมาตรการในแถวเดียวกันอาจถูกอ่านเป็นมาตรการเดียว) "
                "กรุณาตรวจจำนวนและชื่อมาตรการกับเอกสารต้นฉบับ", ("ตรวจแล้ว จะแก้ในทะเบียน",), "ocr:count")


def _set_period(measure: Measure, period_text: str, doc: ParsedDocument) -> None:
    if period_text:
        period = read_period(period_text.replace("\n", " "), doc.fiscal_year)
        measure.period_source = "row"
        measure.period_text = period_text
    elif doc.period_text:
        period = read_period(doc.period_text, doc.fiscal_year)
        measure.period_source = "document"
        measure.period_text = doc.period_text
    else:
        return
    if period.readable and not (doc.scanned and period_far_from(period, doc.fiscal_year)):
        measure.start, measure.end = period.start, period.end
        measure.quarters = tuple(period.quarters)
        measure.recurrence = period.recurrence
    elif doc.scanned:  # OCR's damage (a year it cannot write): the measure's quarters are asked, not left out
        doc.ask("ocr.period", f"มาตรการที่ {measure.seq}: อ่านช่วงเวลาจากภาพสแกนไม่ได้ ('{period_text[:40]}') "
                "ระบบไม่บันทึกช่วงเวลาและไตรมาสของมาตรการนี้ กรุณาตรวจกับเอกสารต้นฉบับ",
                ("ตรวจแล้ว จะระบุช่วงเวลาในทะเบียน",), f"ocr:period:{measure.seq}")
    elif period.invalid:
        doc.fail("period.invalid", f"มาตรการที่ {measure.seq}: ช่วงเวลา '{period_text}' ไม่ถูกต้อง ({period.note})")
    else:  # a measure without its quarters is in no quarter's count: asked, not only warned
        doc.ask("period.unreadable",
                f"มาตรการที่ {measure.seq}: อ่านช่วงเวลา '{period_text}' ไม่ได้"
                + (f" ({period.note})" if period.note else "") + " เก็บข้อความไว้ตามเดิม แต่ไม่บันทึกช่วงเวลาและ"
                "ไตรมาสของมาตรการนี้ (จึงไม่ถูกนับในไตรมาสใด) กรุณาตรวจกับเอกสารต้นฉบับ",
                ("ตรวจแล้ว จะระบุช่วงเวลาในทะเบียน",), f"period:{measure.seq}")
