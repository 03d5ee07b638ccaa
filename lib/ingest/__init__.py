"""Read a source document into records, touching no database.

`read_document(data, file_name)` decodes the bytes, recognises the layout and returns a
ParsedDocument; anything it cannot read raises IngestError with a Thai message.
"""
from __future__ import annotations

from pathlib import Path

from lib.ingest.action_plan import is_plan_header, read_plan
from lib.ingest.cells import split_row
from lib.ingest.header import head_end, read_header
from lib.ingest.measures import header_roles, read_measures
from lib.ingest.organization import find_organization
from lib.records import OrganizationRef, ParsedDocument

MAX_BYTES = 20 * 1024 * 1024


class IngestError(Exception):
    """A document the importers refuse; the message is Thai and says what is wrong."""


def decode(data: bytes, file_name: str) -> str:
    if not data or not data.strip():
        raise IngestError(f"ไฟล์ {file_name} ว่างเปล่า ไม่มีข้อมูลให้นำเข้า")
    if len(data) > MAX_BYTES:
        raise IngestError(f"ไฟล์ {file_name} ใหญ่เกิน {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data[:8192]:
        raise IngestError(f"ไฟล์ {file_name} เป็นไฟล์ไบนารี ไม่ใช่ข้อความ (ถ้าเป็น PDF หรือ Word "
                          "กรุณาส่งออกเป็นข้อความก่อน)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(f"ไฟล์ {file_name} ไม่ได้เข้ารหัสแบบ UTF-8 (พบไบต์ที่อ่านไม่ได้ที่ตำแหน่ง "
                          f"{e.start}) กรุณาบันทึกเป็น UTF-8 แล้วนำเข้าใหม่") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _layout_of(text: str) -> str | None:
    for line in text.splitlines():
        if "\t" not in line:
            continue
        cells = split_row(line)
        if is_plan_header(cells):
            return "plan"
        if header_roles(cells):
            return "measures"
    return None


def read_text(text: str, file_name: str, organization: OrganizationRef | None = None) -> ParsedDocument:
    kind = _layout_of(text)
    if kind is None:
        raise IngestError(f"ไม่รู้จักรูปแบบของไฟล์ {file_name}: ไม่พบตารางมาตรการหรือตารางแผนปฏิบัติการ "
                          "ที่ระบบอ่านได้ (ต้องมีหัวตาราง เช่น 'มาตรการ', 'ขั้นตอน', 'ผู้รับผิดชอบ' หรือ "
                          "'ลำดับ', 'รายการโครงการ', 'มิติ')")
    header = read_header(text)
    found, org_issues = find_organization(text, head_end(text))
    doc = ParsedDocument(
        file_name=file_name, layout="", layout_label="", kind=kind, title=header.title,
        organization=organization or found, fiscal_year=header.fiscal_year,
        report_round=header.report_round,
    )
    if organization is None:
        doc.issues.extend(org_issues)
    if header.period:
        doc.period_text, doc.start, doc.end = header.period.text, header.period.start, header.period.end
    if doc.fiscal_year is None:
        doc.warn("fiscal_year.missing", "ไม่พบปีงบประมาณในหัวเอกสาร กรุณาระบุปีงบประมาณ")
    if kind == "plan":
        read_plan(text, doc)
    else:
        read_measures(text, doc)
        _set_framework_year(doc, header.assessed_year)
    return doc


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


def read_document(data: bytes, file_name: str, organization: OrganizationRef | None = None) -> ParsedDocument:
    return read_text(decode(data, file_name), file_name, organization)


def read_path(path: str | Path, organization: OrganizationRef | None = None) -> ParsedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"เปิดไฟล์ {path.name} ไม่ได้: {e.strerror}") from None
    return read_document(data, path.name, organization)
