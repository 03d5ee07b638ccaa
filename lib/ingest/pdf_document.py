"""A PDF document for the layout readers: its bytes checked and rebuilt into text (pdf_text),
then the records read from that text given the page their source passage starts on (annotate).
lib.ingest.read_document runs the two around the same read_text as a .txt file.
"""
from __future__ import annotations

from lib.ingest.pdf import MAX_PAGES, PdfError, PdfText, Progress, name_pages, pdf_to_text
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
    name_pages(doc.plan_items, text)
    name_pages(doc.measures, text)
    return doc
