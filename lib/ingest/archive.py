"""Office files are zip archives: refuse ones that are broken or would expand to gigabytes, and
ones whose XML parts are not well-formed or declare a DOCTYPE (an office file never does: entity
expansion and external entities are refused before any library reads the file)."""
from __future__ import annotations

import io
import zipfile

from lxml import etree

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # real xlsx/docx compress ~5-20x; a zip bomb compresses thousands of times


def check_zip(data: bytes, file_name: str | None, kind: str) -> None:
    """Raise ValueError (Thai) unless `data` is a zip archive of sane unpacked size. Without a file
    name the messages say "this file" (ไฟล์ ... นี้, no space before นี้ as Thai writes it)."""
    named = f"{kind} {file_name} " if file_name else f"{kind} นี้"
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValueError(f"เปิดไฟล์ {named}ไม่ได้ (ไฟล์เสียหายหรือไม่ใช่ไฟล์ {kind})") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise ValueError(f"ไฟล์ {named}เมื่อคลายออกจะใหญ่ถึง {unpacked / 1024 ** 2:,.0f} MB "
                         f"(บีบอัดไว้ {unpacked / packed:,.0f} เท่า) ซึ่งผิดปกติสำหรับไฟล์ {kind} ระบบจึงไม่เปิดไฟล์นี้")


# Entities never expanded, no DTD loaded, nothing fetched: only well-formedness is looked at here.
_SAFE_XML = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def check_xml_parts(data: bytes, kind: str, repair: str) -> None:
    """Raise ValueError (Thai) when an XML part of the archive is not well-formed or declares a DOCTYPE."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                root = etree.fromstring(zf.read(info), _SAFE_XML)
            except etree.XMLSyntaxError as e:
                raise ValueError(f"ไฟล์ {kind} เสียหาย: ส่วน {info.filename} ของไฟล์ไม่ใช่ XML ที่ถูกต้อง"
                                 f"{f' (บรรทัด {e.lineno})' if e.lineno else ''} {repair}") from None
            tree = root.getroottree()
            if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
                raise ValueError(f"ไฟล์ {kind} นี้มีการประกาศ DOCTYPE/ENTITY ในส่วน {info.filename} ซึ่งไฟล์ {kind} ปกติ"
                                 "ไม่มี (ใช้ขยายข้อความจนเครื่องค้าง หรือดึงไฟล์อื่นของเครื่องเข้ามา) ระบบจึงไม่เปิดไฟล์นี้ "
                                 + repair)
