"""Read a source document into records, touching no database.

`read_document(data, file_name)` decodes the bytes, recognises the layout and returns a
ParsedDocument; anything it cannot read raises IngestError with a Thai message.
"""
from __future__ import annotations

import re
from pathlib import Path

from lib.errors import UserError
from lib.ingest.action_plan import is_plan_header, read_plan
from lib.ingest.cell_lines import tabulate as cell_lines
from lib.ingest.cells import parse_cell, split_row
from lib.ingest.gutters import Pages, by_rows, pages, realign
from lib.ingest.header import head_end, read_header
from lib.ingest.lost_tabs import restore
from lib.ingest.measures import column_role, header_roles, read_measures
from lib.ingest.organization import find_organization, is_registered, load_register
from lib.ingest.results import add_reports
from lib.ingest.safety import dangerous_content
from lib.ingest.spaced import Spaced, halfwidth, plain_spaces, tabulate, unread_headers
from lib.ingest.tab_spaces import Untabbed, untab
from lib.ingest.unreadable import unreadable_message
from lib.records import OrganizationRef, ParsedDocument
from lib.thai import clean_text, control_count

MAX_BYTES = 20 * 1024 * 1024


class IngestError(UserError):
    """A document the importers refuse; the message is Thai and says what is wrong."""


ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (มี BOM)", "cp874": "TIS-620/cp874 (ภาษาไทยของ Windows)"}
_CP874_EXTRA = set("€…‘’“”•–—\u00a0")


def decode_thai(data: bytes, file_name: str, fix: str) -> tuple[str, str]:
    """The text of a file and its encoding: UTF-8 (with or without BOM), or Windows Thai (cp874 /
    TIS-620) when the bytes say so unambiguously: they are not UTF-8, every byte is a cp874
    character, no other non-ASCII character appears and most letters are Thai. `fix` says what to do."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise IngestError(f"ไฟล์ {file_name} ขึ้นต้นแบบ UTF-8 (มี BOM) แต่มีไบต์ที่อ่านไม่ได้ที่ตำแหน่ง {e.start} "
                              f"{fix}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        text = None
    odd = {ch for ch in text or "" if ord(ch) > 127 and not "\u0e00" <= ch <= "\u0e7f" and ch not in _CP874_EXTRA}
    letters = [c for c in text or "" if c.isalpha()]
    thai = sum("\u0e00" <= c <= "\u0e7f" for c in letters)
    if text is None or odd or not letters or thai / len(letters) <= 0.5:
        raise IngestError(f"ไฟล์ {file_name} ไม่ใช่ UTF-8 (พบไบต์ที่อ่านไม่ได้ที่ตำแหน่ง {first_bad}) "
                          f"และอ่านเป็นภาษาไทยของ Windows (TIS-620/cp874) ไม่ได้ชัดเจน {fix}")
    return text, "cp874"


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """The text of a .txt document (line ends made \\n) and the encoding it was saved in."""
    if not data or not data.strip():
        raise IngestError(f"ไฟล์ {file_name} ว่างเปล่า ไม่มีข้อมูลให้นำเข้า")
    if len(data) > MAX_BYTES:
        raise IngestError(f"ไฟล์ {file_name} ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise IngestError(f"ไฟล์ {file_name} เข้ารหัสแบบ UTF-16 ระบบอ่านไฟล์ข้อความแบบ UTF-8 หรือ TIS-620 "
                          "กรุณาบันทึกใหม่เป็น UTF-8 แล้วนำเข้าอีกครั้ง")
    if b"\x00" in data:
        raise IngestError(f"ไฟล์ {file_name} เป็นไฟล์ไบนารี ไม่ใช่ข้อความ (ไฟล์ Word ต้องมีชื่อลงท้ายด้วย .docx "
                          "และไฟล์ PDF ด้วย .pdf)")
    text, encoding = decode_thai(data, file_name, "กรุณาบันทึกเป็น UTF-8 แล้วนำเข้าใหม่")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _layout_of(text: str, scanned: bool = False) -> str | None:
    """In a scan, ink OCR kept as a mark (☑) in a header cell is a speck ("หัวข้อการ ☑ ประเมิน" in a
    noisy 200 dpi scan of 001), and a header cell OCR damaged names its column by closeness."""
    for line in text.splitlines():
        if "\t" not in line:
            continue
        cells = split_row(re.sub(r" ?☑ ?", " ", line) if scanned else line)
        if is_plan_header(cells, scanned):
            return "plan"
        if header_roles(cells, scanned):
            return "measures"
    return None


def read_text(text: str, file_name: str, organization: OrganizationRef | None = None,
              scanned: bool = False, from_pdf: bool = False, typed: bool = True) -> ParsedDocument:
    """The records of a document; raises IngestError listing every error when it must be refused.
    Control characters are taken out first (lib.thai.clean_text); the kept original stays as it was.
    `typed`: text a person saved (a .txt), whose tab rows may have lost some tabs to spaces; not the
    text made from a Word file's or a PDF's tables."""
    parse_cell.cache_clear()  # (their caches are for the cells a reading looks at again: one document's)
    column_role.cache_clear()
    controls = control_count(text.replace("\f", ""))  # pdftotext's page breaks are no stray characters
    breaks = {i for i, line in enumerate(text.split("\n")) if "\f" in line}  # pdftotext's page breaks
    text = clean_text(text)
    dangers = dangerous_content(text)
    if dangers:
        raise IngestError(f"ไฟล์ {file_name} มีข้อความที่อาจเป็นโค้ดหรือคำสั่งอันตราย ระบบไม่นำเข้า:\n- "
                          + "\n- ".join(dangers[:20]))
    text = plain_spaces(text)
    # a scan's rows come from its rules, not typed: lines between its rows are asked about (ocr.header_row)
    restored = restore(text) if typed and not from_pdf and not scanned and "\t" in text else None
    if restored is not None and restored.reasons:
        raise IngestError(unreadable_message(text, file_name, restored))
    if restored is not None:
        text = restored.text
    kind = _layout_of(text, scanned)
    spaced, untabbed = None, text
    if kind is None:
        found_pages = pages(text, breaks)
        # tabs that became spaces or pipes without alignment first: it reads only when every row is certain
        spaced = untab(text)
        if spaced.text is None:
            untabbed_found = spaced
            spaced = _space_aligned(text, found_pages)
        if spaced.text is None:
            by_line = cell_lines(text)  # every cell on a line of its own
            if by_line.text is None:
                found = untabbed_found if untabbed_found.likely else spaced if spaced.header else by_line
                message = unreadable_message(text, file_name, found, from_pdf)
                if found_pages.pdf and not from_pdf:
                    message += ("\nข้อความนี้แบ่งหน้าแบบข้อความที่คัดลอกจากไฟล์ PDF (เช่น pdftotext): "
                                "นำเข้าไฟล์ PDF ต้นฉบับแทนได้ ระบบอ่านตารางจากไฟล์ PDF โดยตรง")
                raise IngestError(message)
            spaced = by_line
        _refuse_unread_headers(spaced, untabbed, file_name, from_pdf)
        text = spaced.text
        kind = _layout_of(text, scanned)
    text = halfwidth(text)
    header = read_header(text)
    register = load_register()  # read once: the organization's name, and whether a scan's name is a known one
    found, org_issues = find_organization(text, head_end(text), register)
    doc = ParsedDocument(
        file_name=file_name, layout="", layout_label="", kind=kind, title=header.title,
        organization=organization or found, fiscal_year=header.fiscal_year,
        report_round=header.report_round, scanned=scanned,
    )
    if organization is None:
        doc.issues.extend(org_issues)
        if scanned and found is not None and not is_registered(found, register):
            # OCR splits words ("ตะ โก") and the name then stops short: a name the register does not
            # know, read from a scan, is the user's to confirm, as an unsure fiscal year is
            doc.ask("ocr.organization", f"ชื่อหน่วยงานอ่านจากภาพสแกนได้ '{found.name}' ซึ่งไม่มีในทะเบียน อปท. "
                    "ระบบไม่ใช้ชื่อนี้ กรุณาตรวจกับเอกสารต้นฉบับแล้วเลือกหรือพิมพ์ชื่อหน่วยงานตอนนำเข้า",
                    (f"ชื่อ {found.name} ถูกต้อง", "ชื่อไม่ถูกต้อง"), "organization")
            doc.organization = None
    if restored is not None and restored.lines:
        doc.warn("table.tabs_restored", f"บรรทัด {_line_list(restored.lines)} ของตารางมีแท็บคั่นช่องไม่ครบ (แท็บกลายเป็นช่องว่าง) "
                 f"ระบบแบ่งช่องจาก{restored.label} ได้เท่าหัวตารางทุกบรรทัด โปรดตรวจสอบว่าข้อมูลแต่ละช่องถูกต้อง")
    if controls:
        doc.warn("text.control", f"ไฟล์ {file_name} มีอักขระควบคุมที่มองไม่เห็น {controls:,} ตัว ระบบตัดออกก่อนอ่านแล้ว "
                 "(ต้นฉบับเก็บไว้ตามเดิม) โปรดตรวจสอบว่าข้อความของแต่ละรายการถูกต้อง")
    if spaced is not None:
        how = f"จาก{spaced.label}" if isinstance(spaced, Untabbed) else {"spaces": "จากการเว้นวรรคและตำแหน่งหัวตาราง",
               "gutters": "จากแนวช่องว่างที่ไม่มีข้อความของแถวใดคร่อม และคำในหัวตารางเหนือแต่ละแนว (ข้อความจาก PDF)",
               "rows": "ทีละแถว: แบ่งแถวก่อนจากบรรทัดที่คอลัมน์เริ่มข้อความใหม่ (ข้อความในช่องชิดบน) "
                       "แล้วแบ่งคอลัมน์จากแนวช่องว่างของแต่ละแถว เทียบกับตำแหน่งหัวตาราง (ข้อความจาก PDF)",
               }.get(spaced.how, "จากจำนวนช่องของหัวตาราง (บรรทัดละหนึ่งช่อง)")
        doc.warn("table.spaced", f"ตารางในไฟล์ไม่มีแท็บคั่นช่อง ระบบแบ่งคอลัมน์{how} "
                 f"(บรรทัด {spaced.header_line}: {len(spaced.header)} คอลัมน์) โปรดตรวจสอบว่าข้อมูลแต่ละช่องถูกต้อง")
        if isinstance(spaced, Untabbed) and spaced.weighed:
            doc.warn("table.spaces_weighed", f"บรรทัด {_line_list(spaced.weighed)} มีช่องว่างภายในช่องกว้างเท่าตัวคั่น "
                     "จึงแบ่งช่องได้หลายแบบ ระบบใช้แบบเดียวที่แบ่งได้ครบเท่าหัวตาราง (และทุกช่องมีแท็ก HTML ครบคู่ "
                     "เมื่อช่องอื่นของตารางเป็นเช่นนั้น) โปรดตรวจสอบแถวเหล่านี้กับต้นฉบับ")
        for line_no, question, roles in getattr(spaced, "unsure", ()):
            # subject: the row's line and the roles of the cells in doubt, as row.split names them
            doc.ask("table.tab_unsure", question, ("ตรวจแล้ว จะแก้ในทะเบียน",),
                    f"table.tab_unsure:{line_no}:{'+'.join(roles)}")
        if getattr(spaced, "by_totals", None):
            doc.warn("plan.quarters_by_totals", f"บรรทัด {_line_list(spaced.by_totals)}: เครื่องหมาย ☑ ไม่อยู่ใต้หัวไตรมาสใด"
                     "ชัดเจน (ข้อความจาก PDF เลื่อนคอลัมน์) ระบบให้ไตรมาสตามยอดรวมในแถวรวมทั้งสิ้น ซึ่งให้ได้ทางเดียว"
                     "เมื่อเรียงเครื่องหมายจากซ้ายไปขวาในแต่ละหน้า โปรดตรวจไตรมาสของโครงการในบรรทัดเหล่านี้กับต้นฉบับ")
        code = "table.rows_unchecked" if spaced.how == "rows" else "cells.unplaced"
        for line_no, question in spaced.questions:
            doc.ask(code, question, ("ตรวจแล้ว จะแก้ในทะเบียน",), f"{code}:{line_no}")
    if header.period:
        doc.period_text, doc.start, doc.end = header.period.text, header.period.start, header.period.end
    if doc.fiscal_year is None:
        doc.warn("fiscal_year.missing", "ไม่พบปีงบประมาณในหัวเอกสาร กรุณาระบุปีงบประมาณ")
    elif not 2400 <= doc.fiscal_year <= 2700:
        doc.fail("fiscal_year.not_be", f"ปีงบประมาณ {doc.fiscal_year} ไม่ใช่ปี พ.ศ. (ดูเหมือนเป็นปี ค.ศ.) "
                 "กรุณาแก้เป็นปี พ.ศ. เช่น 2569")
    if kind == "plan":
        read_plan(text, doc)
        if isinstance(spaced, Untabbed):
            # the totals row is the one check of cells recovered from spaces that the plan's own columns
            # give: a row read a cell off (a run of spaces inside a title) no longer adds up
            for issue in [i for i in doc.issues if i.code.startswith("totals.") and i.severity != "error"]:
                doc.fail(issue.code, f"{issue.message} (ตารางที่แบ่งช่องจาก{spaced.label} ยอดรวมต้องตรงกับรายการ "
                                     "จึงจะแน่ใจว่าแบ่งช่องถูก)")
        unmatched = [i for i in doc.issues if i.code == "detail.unmatched"]
        if spaced is not None and spaced.how in ("spaces", "gutters", "tabs") and len(unmatched) >= 2:
            # the summary's titles are checked against the detail sheets' names: several that match
            # none mean the rows were cut in the wrong places (e.g. cells centred in their rows)
            spaced.refuse(spaced.header_line or 1, f"ชื่อโครงการในตารางสรุป {len(unmatched)} รายการไม่ตรงกับชื่อในรายละเอียดโครงการ "
                                                   "แสดงว่าแบ่งแถวจากการเว้นวรรคผิด (เช่น ข้อความในช่องจัดกึ่งกลางแนวตั้ง)")
            raise IngestError(unreadable_message(untabbed, file_name, spaced, from_pdf))
    else:
        read_measures(text, doc)
        _set_framework_year(doc, header.assessed_year)
        add_reports(doc)
    _check_rows_whole(doc, untabbed if spaced is not None else None)
    _refuse_errors(doc, file_name)
    return doc


def _refuse_unread_headers(read: Spaced, original: str, file_name: str, from_pdf: bool, where=None) -> None:
    """A table recovered without tabs whose header repeats, unread, outside the tables refuses the
    document (`read.text`: the reading's tab text; `where(line)` names a line of a PDF for the user): the
    rows under it were left out, and the records read would be too few and numbered wrongly."""
    lines = unread_headers(read.text)
    if not lines:
        return
    found = Spaced(None, read.header, read.header_line)
    for n in lines[:10]:
        found.refuse(n, (f"{where(n)}: " if where else "") + "หัวตารางแบบเดียวกับตารางที่อ่านได้ แต่ชื่อคอลัมน์ห่างกันเพียง"
                     "ช่องว่างเดียว ระบบแบ่งเป็นช่องไม่ได้ แถวในตารางนี้จึงอ่านไม่ได้ (ถ้านำเข้าเฉพาะตารางอื่น "
                     "รายการจะหายและลำดับผิด)")
    raise IngestError(unreadable_message(original, file_name, found, from_pdf))


def _line_list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (f" และอีก {len(numbers) - 10} บรรทัด" if len(numbers) > 10 else "")


def _refuse_errors(doc: ParsedDocument, file_name: str) -> None:
    if doc.errors:
        raise IngestError(f"ไฟล์ {file_name} มีข้อผิดพลาด {len(doc.errors)} จุด ระบบไม่นำเข้า กรุณาแก้แล้วนำเข้าใหม่:\n- "
                          + "\n- ".join(e.message for e in doc.errors[:30]))


# an ITA item code opening a line or a cell ("i๗ ท่านรู้...", "e11 ...")
_CODE_OPENING_CELL = re.compile(r"(?m)(?:^|\t| {2,})[ieo][0-9๐-๙]{1,2}(?=\s)")


def _check_rows_whole(doc: ParsedDocument, untabbed: str | None) -> None:
    """Rows cut apart by a wrong column or row split show as records without a title, or, in a table
    recovered without tabs (`untabbed` is its text), as item codes in the text that no measure kept.
    Either refuses the document rather than store wrong records."""
    for m in doc.measures:
        if not (m.title or "").strip():
            doc.fail("measure.title_empty", f"มาตรการที่ {m.seq}: ไม่มีชื่อมาตรการ (แถวในตารางอาจถูกแบ่งผิด) "
                                            "กรุณาตรวจไฟล์ต้นฉบับ")
    for p in doc.plan_items:
        if not p.title.strip():
            doc.fail("plan.title_empty", f"โครงการลำดับ {p.seq}: ไม่มีชื่อโครงการ (แถวในตารางอาจถูกแบ่งผิด) "
                                         "กรุณาตรวจไฟล์ต้นฉบับ")
    if untabbed is not None and doc.measures and not any(m.item_codes for m in doc.measures):
        found = _CODE_OPENING_CELL.search(untabbed)
        if found:
            doc.fail("table.codes_lost",
                     f"เอกสารมีรหัสข้อคำถาม ITA (เช่น {found.group().strip()}) แต่ตารางที่แบ่งคอลัมน์ได้ไม่มีมาตรการใด"
                     "ได้รหัสเลย แสดงว่าแบ่งแถวหรือคอลัมน์ไม่ถูกต้อง ระบบจึงไม่นำเข้าเพื่อไม่ให้ข้อมูลผิด "
                     "กรุณาใช้ไฟล์ต้นฉบับ (Word หรือ PDF) หรือข้อความที่คั่นช่องด้วยแท็บ")


def _space_aligned(text: str, found_pages: Pages) -> Spaced:
    """Tables aligned by spaces: by the rows' gutters when every column is a gutter apart and named by
    a header word (lib.ingest.gutters; positions counted as pdftotext pads, in code points, else in
    display columns), else by the header's positions (lib.ingest.spaced). When nothing reads, the
    space reader's findings, with the gutters' reasons first for text from pdftotext (`found_pages`,
    lib.ingest.gutters.pages)."""
    spaced = tabulate(text)
    if spaced.misaligned and not found_pages.pdf:
        # centred or right-aligned cells of a copied web table: a space inside a cell can look like a
        # gutter no row crosses (004's right-aligned "รายงานผลการใช้จ่าย งบประมาณ" lost half its title)
        return spaced
    reasons: dict[int, str] = {}
    for code_points in (True, False):
        realigned = realign(text, found_pages, code_points)
        if realigned.text is None:
            reasons = reasons or realigned.reasons
            continue
        read = tabulate(realigned.text)
        if read.text is not None:
            read.how, read.by_totals = "gutters", realigned.by_totals
            return read
        reasons = reasons or read.reasons
    if spaced.text is not None:
        return spaced
    rows = by_rows(text, found_pages)
    if rows.text is not None:
        read = Spaced(rows.text, how="rows", questions=rows.questions)
        first = next(k for k, line in enumerate(rows.text.split("\n")) if "\t" in line)
        read.header, read.header_line = rows.text.split("\n")[first].split("\t"), first + 1
        return read
    found = Spaced(None, spaced.header, spaced.header_line, how=spaced.how)
    # text from pdftotext: the row reader's reason first (it got furthest), then the gutters'
    first, then = ({**reasons, **rows.reasons}, spaced.reasons) if found_pages.pdf else (spaced.reasons, reasons)
    ahead = sorted(rows.reasons.items()) if found_pages.pdf else []
    for line_no, why in [*ahead, *sorted(first.items()), *sorted(then.items())]:
        if line_no not in found.reasons:
            found.refuse(line_no, why)
    return found


def _set_framework_year(doc: ParsedDocument, assessed_year: int | None) -> None:
    if assessed_year:
        doc.framework_year = assessed_year
    elif doc.fiscal_year:
        doc.framework_year = doc.fiscal_year - 1
        if any(m.item_codes for m in doc.measures):
            doc.warn("framework_year.assumed",
                     f"เอกสารไม่ระบุว่ารหัสข้อคำถาม (เช่น {next(m for m in doc.measures if m.item_codes).item_codes[0]}) "
                     f"มาจากการประเมิน ITA ปีใด จึงถือเป็นผลการประเมินปี {doc.framework_year} "
                     f"(ปีก่อนปีงบประมาณ {doc.fiscal_year} ของมาตรการ) โปรดตรวจสอบ")


def read_document(data: bytes, file_name: str, organization: OrganizationRef | None = None,
                  progress=None) -> ParsedDocument:
    """`progress(done, pages, message)` is told page by page while a PDF is read."""
    if file_name.lower().endswith(".pdf"):
        from lib.ingest.pdf import PdfError
        from lib.ingest.pdf_document import annotate, pdf_text

        try:
            text = pdf_text(data, progress)
        except PdfError as e:
            raise IngestError(f"ไฟล์ {file_name}: {e}") from None
        if _layout_of(text.text) is None and not text.ocr_pages:
            return _read_pdf_without_rules(text, file_name, organization)
        return annotate(read_text(text.text, file_name, organization, bool(text.ocr_pages), from_pdf=True), text)
    if file_name.lower().endswith(".docx"):
        return read_text(_docx_text(data, file_name), file_name, organization, typed=False)
    text, encoding = decode(data, file_name)
    doc = read_text(text, file_name, organization)
    doc.encoding = encoding
    if encoding == "cp874":
        doc.warn("encoding.cp874", f"ไฟล์ {file_name} เข้ารหัสแบบ {ENCODING_LABELS[encoding]} "
                 "ระบบอ่านเป็นภาษาไทยให้แล้ว (ต้นฉบับเก็บไว้ตามเดิม)")
    return doc


def _read_pdf_without_rules(text, file_name: str, organization: OrganizationRef | None) -> ParsedDocument:
    """A PDF with no ruled table: its words laid out as space-aligned text (lib/ingest/pdf_spaced.py)
    and read by the space reader with the glyphs' measured widths."""
    from lib.ingest.pdf_document import annotate
    from lib.ingest.pdf_spaced import RUNS_ON, lay_out, with_links

    laid = lay_out(text.pieces, text.pages, text.advances)
    if laid and laid.unsure_rows:
        named = "; ".join(f"หน้า {page} '{words}'" for page, words in laid.unsure_rows[:5])
        raise IngestError(unreadable_message(text.text, file_name, None, from_pdf=True) + "\n" + (
            f"ข้อความในตารางจัดกึ่งกลางแนวตั้งในแถว และบอกขอบเขตของแถวไม่ได้แน่ชัด ({named}): "
            "แถวที่ถูกแบ่งข้ามหน้าหรือระยะห่างระหว่างแถวไม่ชัดเจน ระบบจึงไม่นำเข้าเพื่อไม่ให้ข้อมูลผิดแถว "
            "กรุณาส่งไฟล์ที่ตารางมีเส้นตาราง หรือไฟล์ Word (.docx) ต้นฉบับ"))
    spaced = tabulate(laid.text, laid.advances, laid.hints, laid.paragraphs) if laid else None
    if spaced is None or spaced.text is None:
        if spaced is not None and spaced.header:
            # the reasons name the page and the line's words: a PDF has no line numbers to look up
            for n in spaced.unsafe_lines:
                words = " ".join(laid.lines[n - 1].split())[:40]
                spaced.reasons[n] = f"หน้า {laid.pages[n - 1]} '{words}': {spaced.reasons[n]}"
        raise IngestError(unreadable_message(text.text, file_name, spaced if spaced and spaced.header else None,
                                             from_pdf=True))
    _refuse_unread_headers(spaced, text.text, file_name, True,
                           lambda n: f"หน้า {laid.pages[n - 1]} '{' '.join(laid.lines[n - 1].split())[:40]}'")
    text.lines, text.pages = with_links(laid, spaced.text.replace(RUNS_ON, "")), laid.pages
    doc = read_text("\n".join(text.lines) + "\n", file_name, organization, from_pdf=True)
    _check_rows_whole(doc, laid.text)  # read as a table recovered without tabs: item codes none kept refuse
    # the totals row is the one check of a plan's cells placed by their positions: a quarter's tick
    # put in the next column (narrow columns) no longer adds up
    for issue in [i for i in doc.issues if i.code.startswith("totals.") and i.severity != "error"]:
        doc.fail(issue.code, f"{issue.message} (ตารางใน PDF ไม่มีเส้นตาราง ระบบแบ่งช่องจากตำแหน่งข้อความ "
                             "ยอดรวมต้องตรงกับรายการจึงจะแน่ใจว่าแบ่งช่องถูก)")
    _refuse_errors(doc, file_name)
    for line_no, question in spaced.questions:
        doc.ask("cells.unplaced", f"หน้า {laid.pages[line_no - 1]}: {question}", ("ตรวจแล้ว จะแก้ในทะเบียน",),
                f"cells.unplaced:{line_no}")
    for page, words in laid.asked:
        doc.ask("pdf.row_across_pages", f"หน้า {page}: ข้อความต้นหน้า '{words}…' อ่านเป็นส่วนต่อของแถวสุดท้ายในหน้า "
                f"{page - 1} (ตารางไม่มีเส้นตาราง แถวถูกแบ่งข้ามหน้า) แต่อาจเป็นแถวใหม่ กรุณาตรวจกับเอกสารต้นฉบับ",
                ("ถูกต้อง เป็นแถวเดียวกัน", "ไม่ถูกต้อง เป็นแถวใหม่"), f"pdf:row:{page}")
    for page, words in laid.new_rows_asked:
        doc.ask("pdf.row_across_pages", f"หน้า {page}: ข้อความต้นหน้า '{words}…' อ่านเป็นแถวใหม่ แต่หน้า {page - 1} "
                "เต็มหน้า แถวสุดท้ายของหน้านั้นอาจต่อมาที่หน้านี้ (ตารางไม่มีเส้นตาราง) กรุณาตรวจกับเอกสารต้นฉบับ",
                ("ถูกต้อง เป็นแถวใหม่", "ไม่ถูกต้อง เป็นแถวเดียวกัน"), f"pdf:row:{page}")
    doc.warn("pdf.no_rules", f"ตารางในไฟล์ PDF ไม่มีเส้นตาราง ระบบแบ่งคอลัมน์จากตำแหน่งของข้อความใต้หัวตาราง "
             f"({len(spaced.header)} คอลัมน์) และแบ่งแถวจากความกว้างของบรรทัด โปรดตรวจสอบว่าข้อมูลแต่ละช่องถูกต้อง")
    return annotate(doc, text)


def _docx_text(data: bytes, file_name: str) -> str:
    from lib.ingest.docx import DocxError, docx_to_text

    if len(data) > MAX_BYTES:
        raise IngestError(f"ไฟล์ {file_name} ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return docx_to_text(data)
    except DocxError as e:
        raise IngestError(f"ไฟล์ {file_name}: {e}") from None


def read_path(path: str | Path, organization: OrganizationRef | None = None, progress=None) -> ParsedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"เปิดไฟล์ {path.name} ไม่ได้: {e.strerror}") from None
    return read_document(data, path.name, organization, progress)
