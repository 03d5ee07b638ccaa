"""Anti-corruption action plan (แผนปฏิบัติการป้องกันการทุจริต): summary table + detail sheets.

The summary table lists each project with its dimension (มิติ), budget and planned quarters
and ends with a totals row. Each project then has a detail sheet ("ลำดับที่ N") in another
order; the two are joined by the project name, which on some sheets runs onto the next line.
"""
from __future__ import annotations

import difflib
import re

from lib.ingest.cells import parse_cell, similarity, split_row, squash
from lib.records import ITEM_TYPES, ParsedDocument, PlanItem
from lib.thai import parse_number, period_far_from, read_period, to_arabic_digits

LAYOUT = "action_plan"
LAYOUT_LABEL = "แผนปฏิบัติการป้องกันการทุจริต (ตารางสรุป + รายละเอียดโครงการ)"

_CHECK = re.compile(r"[☑✓✔√xX/]")
_DETAIL_START = re.compile(r"^\s*ลำดับที่\s*([๐-๙0-9]+)\s*$", re.MULTILINE)
_SECTION = re.compile(r"^\s*([๐-๙0-9])\s*\.\s*(ชื่อโครงการ|หลักการและเหตุผล|วัตถุประสงค์|กลุ่มเป้าหมาย|"
                      r"วิธีดำเนินการ|ระยะเวลาดำเนินการ|งบประมาณ|ผู้รับผิดชอบ|ผลผลิต)[^\n:]*:?", re.MULTILINE)
_SECTION_KEYS = {
    "ชื่อโครงการ": "name", "หลักการและเหตุผล": "rationale", "วัตถุประสงค์": "objectives",
    "กลุ่มเป้าหมาย": "target_group", "วิธีดำเนินการ": "method", "ระยะเวลาดำเนินการ": "period",
    "งบประมาณ": "budget", "ผู้รับผิดชอบ": "responsible", "ผลผลิต": "results",
}
_DIMENSION_LEGEND = re.compile(r"^\s*มิติ(?:ที่)?\s*([1-4๑-๔])\s+(.+?)\s*$", re.MULTILINE)
_AS_OF = re.compile(r"ข้อมูล\s*ณ\s*วันที่\s*([^\n]+)")
_NO_BUDGET = re.compile(r"ไม่ใช้งบประมาณ")
# an amount a narrow column broke onto two lines inside a group of thousands ("20,00" / "0.00"): the
# first line's last group is cut short, and the lines joined make one well-formed amount
_CUT_GROUP = re.compile(r"^\d{1,3}(?:,\d{3})*,\d{0,2}\n\d[\d,]*(?:\.\d{2})?$")
_LOST_POINT = re.compile(r"(\d{1,3}(?:,\d{3})+)(\d{2})")  # 20,00000: grouped thousands, then two satang digits


_LABELS = ("ลำดับ", "รายการโครงการ", "มิติ", "งบประมาณ", "ไตรมาส", "หมายเหตุ", "ผู้รับผิดชอบ")


def _closest_label(h: str) -> tuple[str, float, float]:
    """The header word a damaged cell's Thai letters are closest to, the closeness and its lead over
    the next closest word."""
    letters = re.sub(r"[^\u0e01-\u0e4e]", "", h)
    ratios = sorted((difflib.SequenceMatcher(None, letters, label).ratio(), label) for label in _LABELS)
    (second, _), (best, label) = ratios[-2], ratios[-1]
    return (label, best, best - second) if letters else ("", 0.0, 0.0)


def _is_dimension(h: str) -> bool:
    """The header cell "มิติ", also as OCR damages the narrow column ("มิ 6"): its Thai letters close to
    มิติ and clearly closer than to any other header word. Only a header cell is asked (the row starts
    ลำดับ and has รายการโครงการ exactly), never a data cell."""
    if h.startswith("มิติ"):
        return True
    label, closeness, lead = _closest_label(h) if len(h) <= 8 else ("", 0.0, 0.0)
    return label == "มิติ" and closeness >= 0.6 and lead >= 0.3


def _is_sequence(h: str, scanned: bool) -> bool:
    """The header cell "ลำดับ"; in a scan also as OCR damages it ("eo จลำคับ": a speck read as letters
    before it, ด as ค): its Thai letters close to ลำดับ and clearly closer than to any other header word."""
    if h.startswith("ลำดับ") or not scanned:
        return h.startswith("ลำดับ")
    label, closeness, lead = _closest_label(h) if len(re.sub(r"[^\u0e01-\u0e4e]", "", h)) <= 8 else ("", 0.0, 0.0)
    return label == "ลำดับ" and closeness >= 0.7 and lead >= 0.3


def is_plan_header(cells: list[str], scanned: bool = False) -> bool:
    h = [squash(parse_cell(c).text) for c in cells]
    return len(h) > 3 and _is_sequence(h[0], scanned) and any("รายการโครงการ" in x for x in h) \
        and any(_is_dimension(x) for x in h)


def normalized_name(name: str) -> str:
    return re.sub(r"[\s\"'“”‘’().,:]", "", name)


def item_type_of(title: str) -> str | None:
    return next((t for t in ITEM_TYPES if title.startswith(t)), None)


def read_plan(text: str, doc: ParsedDocument) -> None:
    doc.layout, doc.layout_label, doc.kind = LAYOUT, LAYOUT_LABEL, "plan"
    lines = text.splitlines()
    table_end = _read_summary(lines, doc)
    rest = "\n".join(lines[table_end:])
    _read_legend(rest, doc)
    as_of = _AS_OF.search(rest)
    if as_of:
        period = read_period(as_of.group(1).strip())
        doc.as_of = period.start if period.readable and period.start == period.end else None
    _join_details(_read_details(rest, table_end), doc)


def _read_summary(lines: list[str], doc: ParsedDocument) -> int:
    start = next(i for i, line in enumerate(lines) if "\t" in line and is_plan_header(split_row(line), doc.scanned))
    header = [squash(parse_cell(c).text) for c in split_row(lines[start])]
    col_title = next(i for i, h in enumerate(header) if "รายการโครงการ" in h)
    col_dim = next(i for i, h in enumerate(header) if _is_dimension(h))
    col_budget = next((i for i, h in enumerate(header) if h.startswith("งบประมาณ")), None)
    col_q1 = next((i for i, h in enumerate(header) if "ไตรมาส" in h), None)
    header, below = _quarter_numbers(header, col_q1, lines, start) if col_q1 is not None else (header, start + 1)
    col_remark = next((i for i, h in enumerate(header) if h.startswith("หมายเหตุ")), None)
    missing = [name for name, col in (("งบประมาณ", col_budget), ("ไตรมาส", col_q1)) if col is None]
    if missing or col_q1 + 4 > len(header):
        lacking = ("คอลัมน์ " + " และ ".join(f"'{name}'" for name in missing)) if missing else "คอลัมน์ไตรมาสครบ 4 ช่อง"
        doc.fail("header.columns", f"หัวตารางแผน (บรรทัด {start + 1}) ไม่มี{lacking} ระบบจึงอ่านงบประมาณและไตรมาสไม่ได้ "
                                   "กรุณาใช้ไฟล์ที่มีหัวตารางครบ: ลำดับ | รายการโครงการ | มิติ | งบประมาณ | "
                                   "ไตรมาส 1-4")
        return len(lines)

    totals = None
    seen: set[int] = set()
    i = below
    while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
        raw_cells = split_row(lines[i])
        cells = [parse_cell(c).text for c in raw_cells] + [""] * 12
        i += 1
        if lines[i - 1].strip() and len(raw_cells) < len(header):
            doc.fail("row.short", f"บรรทัด {i} มี {len(raw_cells)} คอลัมน์ แต่หัวตารางมี {len(header)} คอลัมน์ "
                                  "(ข้อมูลอาจถูกตัดทอนหรือไฟล์เสียหาย)")
            continue
        first = to_arabic_digits(cells[0])
        if first.isdigit():
            title = cells[col_title]
            quarters = tuple(q + 1 for q in range(4) if _CHECK.search(cells[col_q1 + q]))
            unclear = [q + 1 for q in range(4) if doc.scanned and cells[col_q1 + q].strip()
                       and not _CHECK.search(cells[col_q1 + q])]
            if unclear:
                # ink in a quarter's cell OCR read as letters ("a", "ฮิ": a tick the model has no letter
                # for, or a speck): neither a tick nor an empty cell can be told
                doc.ask("ocr.quarter", f"โครงการลำดับ {first}: ช่องไตรมาส {', '.join(map(str, unclear))} อ่านจากภาพสแกนได้ "
                        f"'{' | '.join(cells[col_q1 + q - 1].strip() for q in unclear)}' "
                        "ไม่ใช่เครื่องหมายที่ชัด ระบบไม่นับไตรมาสนี้ กรุณาตรวจกับเอกสารต้นฉบับ",
                        ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:quarter:{first}")
            budget = parse_number(cells[col_budget]) if _wrapped_amount(cells[col_budget]) is None \
                else _wrapped_amount(cells[col_budget])
            if budget is None and doc.scanned and _LOST_POINT.fullmatch(to_arabic_digits(cells[col_budget].strip())):
                # "20,00000": the scan's decimal point lost between grouped thousands and the satang;
                # read with the point put back, and asked (the totals row checks the sum besides)
                whole, satang = _LOST_POINT.fullmatch(to_arabic_digits(cells[col_budget].strip())).groups()
                budget = float(whole.replace(",", "") + "." + satang)
                doc.ask("ocr.budget", f"โครงการลำดับ {first}: งบประมาณอ่านจากภาพสแกนได้ '{cells[col_budget].strip()}' "
                        f"(ไม่มีจุดทศนิยม) ระบบอ่านเป็น {budget:,.2f} บาท กรุณาตรวจกับเอกสารต้นฉบับ",
                        (f"{budget:,.2f} บาท ถูกต้อง", "ไม่ถูกต้อง (จะแก้ไขในทะเบียน)"), f"ocr:budget:{first}")
            dimension = parse_number(cells[col_dim])
            if budget is None or budget < 0:
                doc.fail("budget.invalid", f"โครงการลำดับ {first} (บรรทัด {i}): งบประมาณ '{cells[col_budget]}' "
                                           "ไม่ใช่จำนวนเงินที่ถูกต้อง (ต้องเป็นตัวเลขไม่ติดลบ เช่น 20,000.00 หรือ 0.00)")
                budget = 0.0
            if dimension not in (1, 2, 3, 4):
                doc.fail("dimension.invalid", f"โครงการลำดับ {first} (บรรทัด {i}): มิติ '{cells[col_dim]}' "
                                              "ต้องเป็น 1, 2, 3 หรือ 4")
            if int(first) in seen:
                doc.fail("seq.duplicate", f"บรรทัด {i}: ลำดับที่ {first} ซ้ำกับรายการก่อนหน้า")
            if not quarters:
                doc.warn("quarters.none", f"โครงการลำดับ {first}: ไม่ได้ระบุไตรมาสที่ดำเนินการ")
            seen.add(int(first))
            doc.plan_items.append(PlanItem(
                seq=int(first), title=title, item_type=item_type_of(title),
                dimension=int(dimension) if dimension in (1, 2, 3, 4) else 0,
                budget=float(budget), quarters=quarters,
                remark=(cells[col_remark] or None) if col_remark is not None else None,
                source_excerpt=f"{i}: {lines[i - 1]}",
            ))
        elif squash(cells[0]).startswith("รวม"):
            totals = (cells, i)
            break
        elif not doc.scanned and not cells[0].strip() and cells[col_title].strip() and doc.plan_items:
            # a row with a title but no number: the rest of the item above that a page break cut, or a
            # row of its own? Its text would be lost either way, so the document is not read
            doc.fail("row.unnumbered", f"บรรทัด {i}: แถวในตารางสรุปไม่มีลำดับ แต่มีชื่อโครงการ "
                     f"'{' '.join(cells[col_title].split())[:40]}' (อาจเป็นส่วนต่อของรายการลำดับ "
                     f"{doc.plan_items[-1].seq} ที่ถูกแบ่งข้ามหน้า) ระบบไม่แน่ใจว่าเป็นของรายการใด จึงไม่นำเข้า "
                     "กรุณาส่งไฟล์ที่แถวของตารางไม่ถูกแบ่งข้ามหน้า หรือไฟล์ Word (.docx) ต้นฉบับ")
        elif doc.scanned and (cells[0].strip() or cells[col_title].strip()):
            # a row OCR gave no single number to ("1\n2": the scan's rule between two rows not found,
            # or a damaged digit): its items are not read, so the count is asked about
            doc.ask("ocr.count", f"บรรทัด {i}: แถวในตารางสรุปที่ลำดับอ่านจากภาพสแกนได้ '{' '.join(cells[0].split())[:20]}' "
                    "(หลายแถวอาจอ่านรวมกันเพราะเส้นตารางไม่ชัด) รายการในแถวนี้ไม่ถูกนับ "
                    "กรุณาตรวจจำนวนรายการกับเอกสารต้นฉบับ", ("ตรวจแล้ว จะแก้ในทะเบียน",), f"ocr:count:{i}")
    if doc.scanned and [p.seq for p in doc.plan_items] != list(range(1, len(doc.plan_items) + 1)):
        doc.ask("ocr.count", f"ลำดับรายการที่อ่านจากภาพสแกนไม่ครบหรือไม่เรียงกัน "
                f"({', '.join(str(p.seq) for p in doc.plan_items)}) กรุณาตรวจจำนวนรายการกับเอกสารต้นฉบับ",
                ("ตรวจแล้ว จะแก้ในทะเบียน",), "ocr:count")
    _check_totals(doc, totals, col_budget, col_q1)
    return i


def _quarter_numbers(header: list[str], col_q1: int, lines: list[str], start: int) -> tuple[list[str], int]:
    """The header, and the line its rows start at: after the row of quarter numbers 1-4 under it. In
    text copied from a web page Chromium leaves out that row's leading empty cells ("1 2 3 4" at the
    line's start, a row too short to read), and a header whose "ดำเนินการไตรมาส" spans the four quarter
    columns (colspan) is one cell: when the line under the header is exactly the numbers 1 to 4, after
    no cell or after as many empty cells as the quarter cell's column, that line is the header's, and a
    merged quarter cell gets the three empty cells after it that the seed's header has. Otherwise the
    header as it is (a plan header without its four quarter columns is refused)."""
    if start + 1 >= len(lines) or "\t" not in lines[start + 1]:
        return header, start + 1
    cells = [to_arabic_digits(squash(parse_cell(c).text)) for c in split_row(lines[start + 1])]
    lead = next((k for k, c in enumerate(cells) if c), len(cells))
    if lead not in (0, col_q1) or cells[lead:lead + 4] != ["1", "2", "3", "4"] or any(cells[lead + 4:]):
        return header, start + 1
    if col_q1 + 4 > len(header) or any(header[col_q1 + 1:col_q1 + 4]):
        merged = header[:col_q1 + 1] + ["", "", ""] + header[col_q1 + 1:]
        first_row = next((line for line in lines[start + 2:] if "\t" in line), "")
        # one quarter cell ("ไตรมาส 1", "ไตรมาส 2", ... are columns of their own), and the rows below as wide
        if sum("ไตรมาส" in h for h in header) != 1 or len(split_row(first_row)) != len(merged):
            return header, start + 1
        header = merged
    return header, start + 2


def _wrapped_amount(cell: str) -> float | None:
    text = to_arabic_digits(cell.strip())
    joined = text.replace("\n", "")
    if _CUT_GROUP.match(text) and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{2})?", joined):
        return float(joined.replace(",", ""))
    return None


def _check_totals(doc: ParsedDocument, totals, col_budget: int, col_q1: int) -> None:
    if not doc.plan_items:
        doc.fail("plan.empty", "ไม่พบรายการโครงการในตารางสรุป (เอกสารอาจถูกตัดทอน)")
        return
    if totals is None:
        doc.fail("totals.missing", "ไม่พบแถว 'รวมทั้งสิ้น' ท้ายตารางสรุป เอกสารอาจถูกตัดทอน "
                                   "จึงตรวจไม่ได้ว่ารายการครบ กรุณาตรวจไฟล์ต้นฉบับ")
        return
    cells, line_no = totals
    items = doc.plan_items
    if doc.scanned:  # a total the rows read do not make: in a scan, rows may be lost, so it is asked
        def flag(code, message):
            doc.ask(code, message + " (อ่านจากภาพสแกน กรุณาตรวจรายการกับเอกสารต้นฉบับ)",
                    ("ตรวจแล้ว จะแก้ในทะเบียน",), code)
    else:
        flag = doc.warn
    written_budget = parse_number(cells[col_budget])
    summed = round(sum(p.budget for p in items), 2)
    if written_budget is None or abs(written_budget - summed) > 0.005:
        flag("totals.budget_mismatch",
                 f"แถวรวมทั้งสิ้น (บรรทัด {line_no}) เขียนงบประมาณ {cells[col_budget] or '-'} "
                 f"แต่ผลรวมรายการเท่ากับ {summed:,.2f} บาท")
    for q in range(4):
        written = parse_number(cells[col_q1 + q])
        counted = sum(1 for p in items if q + 1 in p.quarters)
        if written is None or int(written) != counted:
            flag("totals.quarter_mismatch",
                     f"แถวรวมทั้งสิ้นเขียนจำนวนไตรมาส {q + 1} = {cells[col_q1 + q] or '-'} "
                     f"แต่นับจากรายการได้ {counted}")


def _read_legend(rest: str, doc: ParsedDocument) -> None:
    for number, name in _DIMENSION_LEGEND.findall(rest[:3000]):
        doc.dimension_names[int(to_arabic_digits(number))] = name.strip()


def _read_details(rest: str, line_offset: int) -> list[dict]:
    starts = list(_DETAIL_START.finditer(rest))
    details = []
    line_no = counted_to = 0
    for k, m in enumerate(starts):
        body = rest[m.end(): starts[k + 1].start() if k + 1 < len(starts) else len(rest)]
        sections: dict[str, str] = {}
        marks = list(_SECTION.finditer(body))
        for j, s in enumerate(marks):
            key = _SECTION_KEYS[s.group(2)]
            content = body[s.end(): marks[j + 1].start() if j + 1 < len(marks) else len(body)]
            sections[key] = _tidy_block(content)
        line_no += rest.count("\n", counted_to, m.start())  # counted on from the last start: linear
        counted_to = m.start()
        first_line = line_offset + line_no + 1
        details.append({"seq": int(to_arabic_digits(m.group(1))), "line": first_line,
                        "excerpt": body.strip()[:4000], **sections})
    return details


def _tidy_block(content: str) -> str:
    lines = [re.sub(r"^\s*-\s*$", "", parse_cell(line).text) for line in content.splitlines()]
    return "\n".join(line for line in lines if line.strip()).strip()


_FUZZY_PAIRS = 20_000  # at most this many fuzzy comparisons per document (items x details left over)


def _join_details(details: list[dict], doc: ParsedDocument) -> None:
    """Exact names first (a dict, linear), then the few left over by similarity."""
    by_name: dict[str, list[dict]] = {}
    for d in details:
        by_name.setdefault(normalized_name(d.get("name", "")), []).append(d)
    matched: dict[int, tuple[float, dict]] = {}
    for k, item in enumerate(doc.plan_items):
        same = by_name.get(normalized_name(item.title))
        if same:
            matched[k] = (1.0, same.pop(0))
    unmatched = [d for ds in by_name.values() for d in ds]
    left = [k for k in range(len(doc.plan_items)) if k not in matched]
    if len(left) * len(unmatched) <= _FUZZY_PAIRS:
        for k in left:
            key = normalized_name(doc.plan_items[k].title)
            scored = sorted(((similarity(key, normalized_name(d.get("name", "")), 0.9), d) for d in unmatched),
                            key=lambda s: -s[0])
            if scored and scored[0][0] >= 0.9:
                matched[k] = scored[0]
                unmatched.remove(scored[0][1])
    for k, item in enumerate(doc.plan_items):
        if k not in matched:
            message = f"โครงการลำดับ {item.seq} '{item.title}' ไม่พบรายละเอียดโครงการที่ชื่อตรงกัน"
            if doc.scanned and details:  # OCR's damage to either name: the item's period and details are asked for
                doc.ask("detail.unmatched", message + " (อ่านจากภาพสแกน ระบบไม่บันทึกช่วงเวลาและรายละเอียดของโครงการนี้ "
                        "กรุณาตรวจกับเอกสารต้นฉบับ)", ("ตรวจแล้ว จะแก้ในทะเบียน",), f"detail.unmatched:{item.seq}")
            else:
                doc.warn("detail.unmatched", message)
            continue
        score, detail = matched[k]
        if score < 1:
            doc.warn("detail.name_differs",
                     f"โครงการลำดับ {item.seq}: ชื่อในตารางสรุปกับรายละเอียด (ลำดับที่ {detail['seq']}) "
                     f"ต่างกันเล็กน้อย: '{item.title}' / '{detail.get('name', '')}'")
        _apply_detail(item, detail, doc)
    asked = {i.subject for i in doc.issues}
    undated = [item.seq for item in doc.plan_items if item.start is None
               and f"detail.unmatched:{item.seq}" not in asked and f"ocr:detail:{item.seq}" not in asked]
    if doc.scanned and undated:  # no sheet found to give them a period (its heading's digits unread)
        doc.ask("ocr.detail", f"โครงการลำดับ {', '.join(map(str, undated))}: ไม่พบระยะเวลาของโครงการในภาพสแกน "
                "ระบบไม่บันทึกช่วงเวลาของโครงการเหล่านี้ กรุณาตรวจกับเอกสารต้นฉบับ", ("ตรวจแล้ว จะแก้ในทะเบียน",),
                "ocr:detail")
    for detail in sorted(unmatched, key=lambda d: d["line"]):
        doc.warn("detail.orphan", f"รายละเอียดโครงการลำดับที่ {detail['seq']} '{detail.get('name', '')}' "
                                  "ไม่มีในตารางสรุป")


def _apply_detail(item: PlanItem, detail: dict, doc: ParsedDocument) -> None:
    # a sheet's own number in a scan is Thai digits Tesseract writes wrong (๙ as ๓): not taken from it
    item.detail_seq = None if doc.scanned else detail["seq"]
    item.rationale = detail.get("rationale")
    item.objectives = detail.get("objectives")
    item.target_group = detail.get("target_group")
    item.method = detail.get("method")
    item.responsible = detail.get("responsible")
    results = detail.get("results", "")
    outputs, _, outcomes = results.partition("ผลลัพธ์")
    item.outputs = outputs.replace("ผลผลิต", "", 1).strip() or None
    item.outcomes = outcomes.strip() or None
    item.source_excerpt += f"\nรายละเอียด ลำดับที่ {detail['seq']} (บรรทัด {detail['line']}):\n{detail['excerpt']}"
    if detail.get("period"):
        item.period_text = detail["period"]
        period = read_period(detail["period"].replace("\n", " "), doc.fiscal_year)
        # in a scan a sheet's period is taken only near the document's fiscal year: its Thai digits are
        # OCR's, and with no year read to check them against (asked), they are asked too
        if period.readable and not (doc.scanned and (doc.fiscal_year is None or period_far_from(period, doc.fiscal_year))):
            item.start, item.end = period.start, period.end
        elif doc.scanned:
            pass  # asked below
        elif period.invalid:
            doc.fail("period.invalid", f"โครงการลำดับ {item.seq}: ระยะเวลา '{detail['period']}' ไม่ถูกต้อง ({period.note})")
        else:
            doc.warn("period.unreadable", f"โครงการลำดับ {item.seq}: อ่านระยะเวลา '{detail['period']}' ไม่ได้")
    if doc.scanned and item.start is None:
        # the sheet's period in Thai digits OCR could not read: not left out silently
        doc.ask("ocr.detail", f"โครงการลำดับ {item.seq}: อ่านระยะเวลาในรายละเอียดโครงการจากภาพสแกนไม่ได้ "
                "ระบบไม่บันทึกค่าที่อ่านไม่ได้ กรุณาตรวจกับเอกสารต้นฉบับ", ("ตรวจแล้ว จะแก้ในทะเบียน",),
                f"ocr:detail:{item.seq}")
    budget_text = detail.get("budget")
    if budget_text:
        item.budget_text = budget_text
        detail_budget = 0.0 if _NO_BUDGET.search(budget_text) else parse_number(
            re.sub(r"[^\d๐-๙,.\s]", " ", budget_text).strip())
        if detail_budget is None:
            doc.warn("budget.detail_unreadable", f"โครงการลำดับ {item.seq}: อ่านงบประมาณในรายละเอียด '{budget_text}' ไม่ได้")
        elif abs(detail_budget - item.budget) > 0.005:
            doc.warn("budget.detail_mismatch",
                     f"โครงการลำดับ {item.seq}: ตารางสรุปเขียนงบประมาณ {item.budget:,.2f} บาท "
                     f"แต่รายละเอียดเขียน '{budget_text}'")
