"""A PDF document read into records: its rebuilt text through the same layout readers as .txt.

Records keep the page their source passage starts on.
"""
from __future__ import annotations

from lib.ingest import IngestError, read_text
from lib.ingest.pdf import MAX_PAGES, PdfError, Progress, name_pages, pdf_to_text
from lib.records import OrganizationRef, ParsedDocument

MAX_BYTES = 50 * 1024 * 1024


def read_pdf(data: bytes, file_name: str, organization: OrganizationRef | None = None,
             progress: Progress | None = None) -> ParsedDocument:
    if not data:
        raise IngestError(f"ไฟล์ {file_name} ว่างเปล่า ไม่มีข้อมูลให้นำเข้า")
    if len(data) > MAX_BYTES:
        raise IngestError(f"ไฟล์ {file_name} ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError(f"ไฟล์ {file_name} ไม่ใช่ไฟล์ PDF (ไม่พบส่วนหัว %PDF) กรุณาตรวจสอบไฟล์")
    try:
        text = pdf_to_text(data, progress)
    except PdfError as e:
        raise IngestError(f"ไฟล์ {file_name}: {e}") from None
    if not any(line.strip() for line in text.lines):
        raise IngestError(f"ไฟล์ {file_name}: ไม่พบข้อความในไฟล์ PDF ({text.page_count} หน้า, "
                          f"รับได้ไม่เกิน {MAX_PAGES} หน้า)")
    doc = read_text(text.text, file_name, organization)
    name_pages(doc.plan_items, text)
    name_pages(doc.measures, text)
    return doc
