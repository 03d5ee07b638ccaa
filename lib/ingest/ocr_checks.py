"""What OCR was not sure of becomes a question: no number read from a scan is a silent value.

Every record read from a scanned page is marked as read by OCR with the confidence of its
least certain word. A word with a digit or a check mark below CONFIDENT is asked about. A fiscal
year or an ITA item code is never stored on OCR's word alone: when the words it was read from
are not certain, the value is removed and the user is asked for it (a wrong year or code would
put a record under the wrong year or indicator).
"""
from __future__ import annotations

import re

from lib.ingest.ocr import MARK
from lib.ingest.pdf import PdfText
from lib.records import ParsedDocument
from lib.thai import to_arabic_digits, to_thai_digits

CONFIDENT = 85.0
# a value: a number, a date's digits, an item code (i๗, ๐๔๑) or a mark; not a list marker "๑."
_VALUE = re.compile(r"^(?:[iIeEoO]?[0-9๐-๙][0-9๐-๙,./-]*|" + MARK + ")$")
_LIST_MARKER = re.compile(r"^[0-9๐-๙]{1,2}[.)]$")
ANSWERS = ("ถูกต้องตามเอกสาร", "ไม่ถูกต้อง (จะแก้ไขในทะเบียน)")


def _pieces(text: PdfText, lines: list[int]):
    return [p for i in lines for p in text.pieces[i] if p.conf is not None]


def _confidence(pieces) -> float | None:
    return min((p.conf for p in pieces), default=None)


def _label(record) -> str:
    return f"โครงการลำดับ {record.seq}" if hasattr(record, "dimension") else f"มาตรการที่ {record.seq}"


def check_ocr(doc: ParsedDocument, text: PdfText, record_lines: dict[int, list[int]]) -> dict[int, float]:
    """Questions for what OCR was unsure of; returns each OCR'd record's confidence (by id())."""
    confidences: dict[int, float] = {}
    for record in doc.plan_items + doc.measures:
        lines = [i for i in record_lines.get(id(record), []) if text.pages[i] in text.ocr_pages]
        pieces = _pieces(text, lines)
        if not pieces:
            continue
        confidences[id(record)] = _confidence(pieces)
        if hasattr(record, "dimension"):
            unsure = [p for p in pieces if _VALUE.match(p.text.strip("()[]")) and not _LIST_MARKER.match(p.text)
                      and p.conf < CONFIDENT]
        else:  # a measure: the numbers it stores, also in a word ("พ.ศ.๒๕๖๘"); its ticks are no value
            unsure = [p for p in pieces if p.conf < CONFIDENT and re.search(r"\d", p.text)
                      and not _LIST_MARKER.match(p.text) and _feeds_value(p.text, record)]
        asked = set()
        for p in unsure:
            if p.text in asked:
                continue
            asked.add(p.text)
            what = "เครื่องหมายในช่องไตรมาส" if p.text == MARK else f"'{p.text}'"
            doc.ask("ocr.unsure", f"{_label(record)} (หน้า {text.pages[lines[0]]}): อ่านจากภาพสแกนได้ {what} "
                    f"ความมั่นใจ {p.conf:.0f}% กรุณาตรวจกับเอกสารต้นฉบับ",
                    ANSWERS, f"ocr:{_label(record)}:{p.text}")
        codes = getattr(record, "item_codes", ())
        if codes and any(any(d in p.text for d in _code_digits(codes)) for p in unsure):
            doc.ask("ocr.item_code", f"{_label(record)}: รหัสข้อคำถาม {', '.join(codes)} อ่านจากภาพได้ไม่ชัด "
                    "ระบบไม่บันทึกรหัสนี้ กรุณาตรวจกับเอกสารต้นฉบับแล้วระบุรหัสในทะเบียน",
                    (f"รหัส {', '.join(codes)} ถูกต้อง", "รหัสไม่ถูกต้อง"), f"ocr:code:{record.seq}")
            record.item_codes = ()
    _check_year(doc, text)
    _check_document_period(doc, text)
    scanned = [p for p in text.ocr_pages if p not in text.unreadable_pages]
    hidden = (f" (หน้า {_listed(text.hidden_text_pages)} มีข้อความจาก OCR ของโปรแกรมอื่นซ่อนอยู่ใต้ภาพ "
              "ระบบไม่ใช้ข้อความนั้น)") if text.hidden_text_pages else ""
    turned = "".join(f" (หน้า {page} {'กลับหัว' if degrees == 180 else 'ตะแคง'} ระบบหมุนให้ {degrees} องศาก่อนอ่าน)"
                     for page, degrees in text.turned_pages.items())
    what = " และ".join(([f"หน้า {_listed(scanned)} เป็นภาพสแกน{hidden}{turned}"] if scanned else []) + (
        [f"หน้า {_listed(text.unreadable_pages)} มีข้อความแต่ฟอนต์ในไฟล์ไม่บอกว่าเป็นอักษรใด (อ่านเป็นตัวอักษรไม่ได้)"]
        if text.unreadable_pages else []))
    doc.warn("ocr.pages", f"{what} จึงอ่านจากภาพของหน้าด้วย OCR (ความมั่นใจต่ำสุด "
             f"{min(confidences.values(), default=0):.0f}%) ตัวเลขที่ไม่แน่ใจเป็นคำถามให้ตรวจ")
    return confidences


def _listed(pages: list[int]) -> str:
    return ", ".join(map(str, pages))


def _digit_runs(text: str) -> list[str]:
    return re.findall(r"\d+", to_arabic_digits(text or ""))


def _feeds_value(piece_text: str, measure) -> bool:
    """Whether a number OCR was unsure of in a measure's lines is one the measure stores: its category
    number or a code's digits, or a number of the period read from its row (a readable wrong year there
    would be a silent wrong period). A number in its words (a result's "๒ ครั้ง", a step's "๒.", a date
    in a note) is kept as text, marked as read by OCR with its confidence, and not asked about: the
    user would be asked dozens of times about text no figure is made from. (A measure's number is its
    place in the table, not read from the scan.)"""
    stored = {str(measure.category_no)} if measure.category_no else set()
    stored |= {d for code in measure.item_codes for d in _digit_runs(code)}
    if measure.period_source == "row" and measure.start is not None:
        stored |= set(_digit_runs(measure.period_text))
    return bool(set(_digit_runs(piece_text)) & stored)


def _code_digits(codes) -> set[str]:
    digits = set()
    for code in codes:
        number = re.sub(r"\D", "", code)
        digits |= {number, to_thai_digits(number)}
    return digits


def _check_year(doc: ParsedDocument, text: PdfText) -> None:
    if doc.fiscal_year is None:
        return
    year = str(doc.fiscal_year)
    for i, line in enumerate(text.lines[:40]):
        if text.pages[i] not in text.ocr_pages or year not in to_arabic_digits(line):
            continue
        pieces = [p for p in text.pieces[i] if p.conf is not None and year in to_arabic_digits(p.text)]
        if pieces and min(p.conf for p in pieces) < CONFIDENT:
            doc.ask("ocr.fiscal_year", f"ปีงบประมาณอ่านจากภาพสแกนได้ {year} แต่ไม่ชัด "
                    f"(ความมั่นใจ {min(p.conf for p in pieces):.0f}%) ระบบไม่ใช้ค่านี้ กรุณาระบุปีงบประมาณตอนนำเข้า",
                    (f"ปีงบประมาณ {year} ถูกต้อง", f"ปีงบประมาณไม่ใช่ {year}"), "fiscal_year")
            doc.fiscal_year = None
        return


def _check_document_period(doc: ParsedDocument, text: PdfText) -> None:
    """The period a results report covers, read from its title page: the quarters of every measure
    dated by it come from its years, so one OCR was unsure of is asked about."""
    if doc.start is None or not doc.period_text:
        return
    runs = set(_digit_runs(doc.period_text))
    unsure = {p.text for i in range(min(len(text.lines), 40)) if text.pages[i] in text.ocr_pages
              and runs <= set(_digit_runs(text.lines[i]))  # the line the period was read from
              for p in text.pieces[i] if p.conf is not None and p.conf < CONFIDENT
              and set(_digit_runs(p.text)) & runs}
    if unsure:
        dated = [str(m.seq) for m in doc.measures if m.period_source == "document"]
        doc.ask("ocr.document_period", f"ช่วงเวลาของเอกสารอ่านจากภาพสแกนได้ '{doc.period_text}' แต่ตัวเลข "
                f"{', '.join(sorted(unsure))} ไม่ชัด" + (f" (ใช้เป็นช่วงเวลาของมาตรการที่ {', '.join(dated)})" if dated else "")
                + " กรุณาตรวจกับเอกสารต้นฉบับ", ANSWERS, "ocr:document_period")
