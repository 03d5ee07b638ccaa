"""CSV and xlsx uploads: encodings Thai Excel writes are detected and named; bad bytes refused."""
import csv
import io

import pytest

from lib.ingest import IngestError
from lib.ingest.tabular import read_table
from lib.ingest.templates import TEMPLATES
from lib.store import import_seeds
from lib.store import uploads as store_records

HEADERS = [c.header for c in TEMPLATES["plan_items"].columns]


def plan_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return out.getvalue()


ROW = {"หน่วยงาน": "อบต.ตะโก", "ปีงบประมาณ (พ.ศ.)": "๒๕๖๙", "ลำดับ": "17",
       "รายการโครงการ/กิจกรรม/มาตรการ": "กิจกรรมเผยแพร่ประกาศ “งดรับของขวัญ”", "มิติ": "2",
       "งบประมาณ (บาท)": "1,250.00", "ไตรมาส 3": "✓", "วันเริ่ม": "1/4/2569", "หมายเหตุ": "ทดสอบ"}


@pytest.mark.parametrize("encoding, label", [
    ("cp874", "Windows-874"), ("utf-8-sig", "UTF-8 (มี BOM)"), ("utf-8", "UTF-8")])
def test_csv_encodings_give_the_same_record(store, encoding, label):
    import_seeds(store)
    text = plan_csv([ROW]).replace("✓", "/") if encoding == "cp874" else plan_csv([ROW])
    data = text.encode(encoding)
    table = read_table(data, "แผน.csv")
    assert table.encoding.startswith(label)
    assert table.rows[0][0] == 2 and table.rows[0][1]["หมายเหตุ"] == "ทดสอบ"
    preview = store_records.preview_upload(store, data, "แผน.csv", "plan_items")
    assert preview.encoding.startswith(label) and not preview.problems
    store_records.commit_upload(store, preview, "สมศรี")
    title, budget, quarters, start, fmt = store.query_rows(
        "SELECT p.title, p.budget::DOUBLE, p.quarters, p.period_start::VARCHAR, d.format FROM plan_item p "
        "JOIN source_document d ON d.id = p.document_id WHERE p.seq = 17")[0]
    assert (title, budget, quarters, start, fmt) == (
        "กิจกรรมเผยแพร่ประกาศ “งดรับของขวัญ”", 1250.0, [3], "2026-04-01", "csv")


def test_cp874_bytes_really_are_not_utf8():
    data = plan_csv([ROW]).replace("✓", "/").encode("cp874")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_table(data, "x.csv").rows[0][1]["รายการโครงการ/กิจกรรม/มาตรการ"].startswith("กิจกรรมเผยแพร่")


def test_undecodable_csv_is_refused_in_thai():
    data = "หน่วยงาน,ชื่อ\n".encode() + b"\xff\xfe\xdb\xfc,x\n"
    with pytest.raises(IngestError, match="ไม่ใช่ UTF-8"):
        read_table(data, "เสีย.csv")


@pytest.mark.parametrize("data, name, fragment", [
    (b"", "a.csv", "ว่างเปล่า"), (b"PK\x03\x04broken", "a.xlsx", "เปิดไฟล์ Excel"),
    (b"abc", "a.xls", "รับเฉพาะไฟล์ .xlsx หรือ .csv")])
def test_other_bad_files(data, name, fragment):
    with pytest.raises(IngestError, match=fragment):
        read_table(data, name)


def test_wrong_template_names_the_missing_headers(store):
    import_seeds(store)
    data = plan_csv([ROW]).encode()
    with pytest.raises(IngestError, match="ไม่ใช่แบบฟอร์ม 'มาตรการ"):
        store_records.preview_upload(store, data, "แผน.csv", "measures")
