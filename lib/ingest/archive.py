"""Office files are zip archives: refuse ones that are broken or would expand to gigabytes."""
from __future__ import annotations

import io
import zipfile

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # real xlsx/docx compress ~5-20x; a zip bomb compresses thousands of times


def check_zip(data: bytes, file_name: str, kind: str) -> None:
    """Raise ValueError (Thai) unless `data` is a zip archive of sane unpacked size."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValueError(f"เปิดไฟล์ {kind} {file_name} ไม่ได้ (ไฟล์เสียหายหรือไม่ใช่ไฟล์ {kind})") from None
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise ValueError(f"ไฟล์ {file_name} เมื่อคลายออกจะใหญ่ถึง {unpacked / 1024 ** 2:,.0f} MB "
                         f"(บีบอัดไว้ {unpacked / packed:,.0f} เท่า) ซึ่งผิดปกติสำหรับไฟล์ {kind} ระบบจึงไม่เปิดไฟล์นี้")
