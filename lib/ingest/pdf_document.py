"""A PDF document for the layout readers: its bytes checked and rebuilt into text (pdf_text),
then the records read from that text given the page their source passage starts on (annotate).
lib.ingest.read_document runs the two around the same read_text as a .txt file.
"""
from __future__ import annotations

from lib.ingest.pdf import MAX_PAGES, PdfError, PdfText, Progress, pdf_to_text, record_lines
from lib.records import ParsedDocument

MAX_BYTES = 50 * 1024 * 1024


def pdf_text(data: bytes, progress: Progress | None = None) -> PdfText:
    if not data:
        raise PdfError("ไฟล์ว่างเปล่า ไม่มีข้อมูลให้นำเข้า")
    if len(data) > MAX_BYTES:
        raise PdfError(f"ไฟล์ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    if not data.lstrip()[:5] == b"%PDF-":
        raise PdfError("ไม่ใช่ไฟล์ PDF (ไม่พบส่วนหัว %PDF) กรุณาตรวจสอบไฟล์")
    text = pdf_to_text(data, progress)
    if not any(line.strip() for line in text.lines):
        raise PdfError(f"ไม่พบข้อความในไฟล์ PDF ({text.page_count} หน้า, รับได้ไม่เกิน {MAX_PAGES} หน้า)")
    return text


def annotate(doc: ParsedDocument, text: PdfText) -> ParsedDocument:
    """Each record's source passage starts with its page; a record read from a scanned page
    also with OCR's confidence, and what OCR was unsure of becomes a question (ocr_checks)."""
    records = doc.plan_items + doc.measures
    lines = dict(zip(map(id, records), record_lines(records, text), strict=True))
    confidences: dict[int, float] = {}
    if text.ocr_pages:
        from lib.ingest.ocr_checks import check_ocr

        confidences = check_ocr(doc, text, lines)
    for number, joined in text.joined_unsure:
        doc.ask("pdf.row_across_pages", f"หน้า {number}: ข้อความต้นหน้า '{joined}…' อ่านเป็นส่วนต่อของแถวสุดท้าย"
                f"ในหน้า {number - 1} (ตารางแบ่งแถวข้ามหน้า) แต่ไม่แน่ใจว่าข้อความในบางช่องต่อกันหรือขึ้นย่อหน้าใหม่ "
                "กรุณาตรวจกับเอกสารต้นฉบับ",
                ("ถูกต้อง เป็นแถวเดียวกัน", "ไม่ถูกต้อง เป็นแถวใหม่"), f"pdf:row:{number}")
    for record in records:
        if lines[id(record)]:
            ocr = f" · อ่านด้วย OCR ความมั่นใจ {confidences[id(record)]:.0f}%" if id(record) in confidences else ""
            record.source_excerpt = f"[หน้า {text.pages[lines[id(record)][0]]}{ocr}] {record.source_excerpt}"
    return doc
