"""Excel templates: headers, drop-downs, instructions; good rows are added, bad rows are named
and nothing is written; a change to an existing record is shown old -> new."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lib.ingest import templates
from lib.queries import collect
from lib.store import StoreError, import_seeds
from lib.store import uploads as store_records

TABLES = ("source_document", "plan_item", "measure", "measure_item_link", "progress", "history")
TAKO = "องค์การบริหารส่วนตำบลตะโก"


@pytest.fixture
def seeded(store):
    import_seeds(store)
    return store


def snapshot(store):
    return {t: store.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def filled(store, name, rows):
    """A template filled the way a user fills it: the app's own blank template plus rows."""
    return templates.build_workbook(name, store_records.template_lists(store), rows)


@pytest.mark.parametrize("name, drop_downs", [
    ("plan_items", {"หน่วยงาน", "มิติ", "ประเภท", "ไตรมาส 1", "ไตรมาส 4"}),
    ("measures", {"หน่วยงาน", "เครื่องมือประเมิน", "ไตรมาส 2"}),
    ("progress", {"หน่วยงาน", "ไตรมาส", "สถานะ", "ประเภทรายการ", "เหตุผล (กรณีดำเนินการไม่ได้)"}),
])
def test_template_has_thai_headers_drop_downs_and_instructions(seeded, name, drop_downs):
    book = load_workbook(io.BytesIO(collect.template_workbook(seeded, name)))
    template = templates.TEMPLATES[name]
    assert book.sheetnames == [template.sheet, templates.LISTS_SHEET, templates.HELP_SHEET]
    ws = book[template.sheet]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "หน่วยงาน *" and headers[1] == "ปีงบประมาณ (พ.ศ.) *"
    by_column = {}
    for rule in ws.data_validations.dataValidation:
        for ref in str(rule.sqref).split():
            by_column[headers[ord(ref[0]) - ord("A")].rstrip(" *")] = rule
    assert drop_downs <= set(by_column)
    lists = book[templates.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    values = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                      if lists.cell(r, c).value is not None]
              for c in range(1, lists.max_column + 1)}
    assert values["สถานะ"] == ["ยังไม่เริ่ม", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "ไม่สามารถดำเนินการได้"]
    assert values["เครื่องมือประเมิน"] == ["IIT", "EIT", "OIT"] and values["มิติ"] == [1, 2, 3, 4]
    assert TAKO in values["หน่วยงาน (ชื่อเต็ม)"] and len(values["หน่วยงาน (ชื่อเต็ม)"]) == 5
    assert by_column["หน่วยงาน"].formula1.startswith(f"='{templates.LISTS_SHEET}'!$A$2:$A$6")
    help_text = [c.value for c in book[templates.HELP_SHEET]["A"] if c.value]
    assert any("แถวที่ 2" in t for t in help_text) and any("ค่าเดิม → ค่าใหม่" in t for t in help_text)


def test_plan_items_good_rows_are_added_with_their_file(seeded):
    rows = [{"organization": "อบต.ตะโก", "fiscal_year": 2569, "seq": 17, "title": "โครงการอบรมคุณธรรม",
             "item_type": "โครงการ", "dimension": 1, "budget": Decimal("12500.50"), "q2": True, "q3": True,
             "period_start": dt.date(2026, 1, 5), "period_end": dt.date(2026, 6, 30), "responsible": "สำนักปลัด"}]
    data = filled(seeded, "plan_items", rows)
    preview = store_records.preview_upload(seeded, data, "แผนเพิ่ม.xlsx", "plan_items")
    assert not preview.problems and len(preview.added) == 1 and not preview.changed
    result = store_records.commit_upload(seeded, preview, "สมศรี")
    assert (result.added, result.changed) == (1, 0)
    row = seeded.query_rows("SELECT p.title, p.budget, p.quarters, p.period_start, p.dimension, d.format, d.layout, "
                            "d.content, d.imported_by FROM plan_item p JOIN source_document d ON d.id = p.document_id "
                            "WHERE p.seq = 17")[0]
    assert row[:5] == ("โครงการอบรมคุณธรรม", Decimal("12500.50"), [2, 3], dt.date(2026, 1, 5), 1)
    assert row[5:7] == ("xlsx", "template_plan_items") and bytes(row[7]) == data and row[8] == "สมศรี"
    actors = seeded.query_rows("SELECT DISTINCT actor FROM history WHERE document_id = ?", [result.document_id])
    assert actors == [("สมศรี",)]
    # the same file again adds nothing
    before = snapshot(seeded)
    again = store_records.preview_upload(seeded, data, "แผนเพิ่ม.xlsx", "plan_items")
    assert not again.added and not again.changed and len(again.unchanged) == 1
    assert store_records.commit_upload(seeded, again, "สมศรี") == store_records.CommitResult(None, 0, 0)
    assert snapshot(seeded) == before


def test_measures_good_row_with_item_codes(seeded):
    rows = [{"organization": "ทต.ปรุใหญ่", "fiscal_year": 2567, "seq": 1, "title": "เปิดเผยข้อมูลจัดซื้อจัดจ้าง",
             "instrument": "OIT", "item_codes": ("o12", "o13"), "framework_year": 2566, "q1": True,
             "links": ("https://example.go.th/a", "https://example.go.th/b")}]
    preview = store_records.preview_upload(seeded, filled(seeded, "measures", rows), "m.xlsx", "measures")
    assert not preview.problems and len(preview.added) == 1
    store_records.commit_upload(seeded, preview, "สมศรี")
    measure_id, links, quarters = seeded.query_rows(
        "SELECT id, links, quarters FROM measure WHERE fiscal_year = 2567 AND seq = 1 AND organization_id = "
        "(SELECT id FROM organization WHERE short_name = 'ทต.ปรุใหญ่')")[0]
    assert links == ["https://example.go.th/a", "https://example.go.th/b"] and quarters == [1]
    assert seeded.query_rows("SELECT framework_year, code FROM measure_item_link WHERE measure_id = ? ORDER BY code",
                             [measure_id]) == [(2566, "o12"), (2566, "o13")]


def test_progress_good_row_is_appended(seeded):
    rows = [{"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 5, "quarter": 1,
             "status": "ไม่สามารถดำเนินการได้", "reason": "ไม่ได้รับงบประมาณ", "spent": 0,
             "reported_at": dt.datetime(2026, 1, 20, 9, 30), "reported_by": "สมชาย"}]
    preview = store_records.preview_upload(seeded, filled(seeded, "progress", rows), "p.xlsx", "progress")
    assert not preview.problems and len(preview.added) == 1
    store_records.commit_upload(seeded, preview, "สมศรี")
    assert seeded.query_rows("SELECT quarter, status, reason, spent, reported_by, reported_at FROM progress "
                             "WHERE NOT from_document") == [
        (1, "ไม่สามารถดำเนินการได้", "ไม่ได้รับงบประมาณ", Decimal("0.00"), "สมชาย", dt.datetime(2026, 1, 20, 9, 30))]


@pytest.mark.parametrize("name, rows, expected", [
    ("plan_items", [
        {"organization": "อบต.ตะโก", "fiscal_year": 2569, "seq": 20, "title": "ดี", "dimension": 1, "budget": 0},
        {"organization": "อบต.ไม่มีจริง", "fiscal_year": 2569, "seq": 21, "title": "x", "dimension": 1, "budget": 0},
        {"organization": "อบต.ตะโก", "fiscal_year": 2569, "seq": 22, "title": "x", "dimension": 7, "budget": "abc"},
        {"organization": "อบต.ตะโก", "fiscal_year": 2569, "seq": 20, "title": "ซ้ำ", "dimension": 1, "budget": 0},
        {"organization": "อบต.ตะโก", "fiscal_year": 2569, "seq": 23, "dimension": 1, "budget": 1.005},
    ], {3: ["ไม่พบหน่วยงาน 'อบต.ไม่มีจริง'"], 4: ["'มิติ' ต้องเป็นหนึ่งใน", "'งบประมาณ (บาท)' ต้องเป็นจำนวนเงิน"],
        5: ["ซ้ำกับแถวที่ 2"], 6: ["ต้องกรอก 'รายการโครงการ/กิจกรรม/มาตรการ'", "ทศนิยมเกิน 2 ตำแหน่ง"]}),
    ("measures", [
        {"organization": "อบต.ปอ", "fiscal_year": 2567, "seq": 15, "title": "ดี"},
        {"organization": "อบต.ปอ", "fiscal_year": 2567, "seq": 16, "title": "x", "instrument": "ABC"},
        {"organization": "อบต.ปอ", "fiscal_year": 2567, "seq": 17, "title": "x", "item_codes": ("i7",)},
        {"organization": "อบต.ปอ", "fiscal_year": 99, "seq": 18, "title": "x", "period_start": "31/02/2567"},
    ], {3: ["'เครื่องมือประเมิน' ต้องเป็นหนึ่งใน"], 4: ["ไม่ได้ระบุ 'ปีผลการประเมิน ITA ของรหัสข้อ'"],
        5: ["วันที่ '31/02/2567' ไม่มีจริง", "ปีงบประมาณ 99"]}),
    ("progress", [
        {"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 1, "quarter": 1,
         "status": "ยังไม่เริ่ม"},
        {"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 99, "quarter": 1,
         "status": "ยังไม่เริ่ม"},
        {"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 2, "quarter": 1,
         "status": "ไม่สามารถดำเนินการได้"},
        {"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 3, "quarter": 1,
         "status": "เสร็จ", "evidence_url": "ftp://x"},
        {"organization": TAKO, "fiscal_year": 2569, "record_kind": "แผนปฏิบัติการ", "seq": 4, "quarter": 2,
         "status": "ดำเนินการแล้วเสร็จ", "reason": "บุคลากรไม่เพียงพอ", "spent": -5},
    ], {3: ["ไม่พบแผนปฏิบัติการ"], 4: ["ต้องระบุเหตุผล"], 5: ["'สถานะ' ต้องเป็นหนึ่งใน"],
        6: ["ต้องเป็นจำนวนเงินไม่ติดลบ"]}),
])
def test_bad_rows_are_named_and_nothing_is_written(seeded, name, rows, expected):
    data = filled(seeded, name, rows)
    before = snapshot(seeded)
    preview = store_records.preview_upload(seeded, data, "bad.xlsx", name)
    by_row: dict[int, list[str]] = {}
    for row, message in preview.problems:
        by_row.setdefault(row, []).append(message)
    assert set(by_row) == set(expected)  # row 2 is good; every bad row is named by its Excel row
    for row, fragments in expected.items():
        for fragment in fragments:
            assert any(fragment in m for m in by_row[row]), (row, fragment, by_row[row])
    with pytest.raises(StoreError, match="ไม่บันทึกข้อมูลใดเลย"):
        store_records.commit_upload(seeded, preview, "สมศรี")
    assert snapshot(seeded) == before


def test_change_is_shown_old_to_new_and_needs_the_confirmed_preview(seeded):
    exported = load_workbook(io.BytesIO(collect.export_workbook(seeded, "plan_items")))
    ws = exported["แผนปฏิบัติการ"]
    headers = [c.value.rstrip(" *") for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == 5
               and ws.cell(r, 1).value == TAKO)
    ws.cell(row, headers.index("งบประมาณ (บาท)") + 1).value = 4500.25
    ws.cell(row, headers.index("ไตรมาส 2") + 1).value = "✓"
    out = io.BytesIO()
    exported.save(out)
    preview = store_records.preview_upload(seeded, out.getvalue(), "แก้.xlsx", "plan_items")
    assert len(preview.changed) == 1 and len(preview.unchanged) == 15
    change = preview.changed[0]
    assert change.row == row
    assert change.changes == {"budget": (Decimal("0.00"), Decimal("4500.25")), "quarters": ((1,), (1, 2))}
    original_doc = seeded.query_rows("SELECT document_id FROM plan_item WHERE id = ?", [change.record_id])[0][0]
    # someone else changes the record between preview and confirmation: the commit refuses
    store_records.update_record(seeded, "plan_item", change.record_id, {"remark": "แก้โดยคนอื่น"}, "สมปอง")
    before = snapshot(seeded)
    with pytest.raises(StoreError, match="ตรวจไฟล์"):
        store_records.commit_upload(seeded, preview, "สมศรี")
    assert snapshot(seeded) == before
    store_records.update_record(seeded, "plan_item", change.record_id, {"remark": None}, "สมปอง")
    preview = store_records.preview_upload(seeded, out.getvalue(), "แก้.xlsx", "plan_items")
    store_records.commit_upload(seeded, preview, "สมศรี")
    budget, quarters, doc = seeded.query_rows("SELECT budget, quarters, document_id FROM plan_item WHERE id = ?",
                                              [change.record_id])[0]
    assert (budget, quarters, doc) == (Decimal("4500.25"), [1, 2], original_doc)
    old, new = seeded.query_rows("SELECT old_value, new_value FROM history WHERE table_name = 'plan_item' "
                                 "AND record_id = ? AND actor = 'สมศรี'", [change.record_id])[0]
    assert old == '{"budget": "0.00", "quarters": [1]}' and new == '{"budget": "4500.25", "quarters": [1, 2]}'


@pytest.mark.parametrize("budget, seq, expected", [
    ("(20,000.00)", 90, "จำนวนเงิน"), ("−20,000.00", 91, "จำนวนเงิน"), (1e308, 92, "มากเกินไป"),
    ("inf", 93, "ไม่ติดลบ"), ("nan", 94, "จำนวนเงิน"), (float("nan"), 95, "งบประมาณ"),
    (123456789012345, 96, "มากเกินไป"), (100, 99999999999, "มากเกินไป"),
])
def test_numbers_that_would_flip_a_sign_or_overflow_are_bad_rows(seeded, budget, seq, expected):
    """Item 4: each gets a Thai row message in the preview; the commit is never reached."""
    rows = [{"organization": TAKO, "fiscal_year": 2569, "seq": seq, "title": "โครงการทดสอบตัวเลข",
             "dimension": 1, "budget": budget}]
    before = snapshot(seeded)
    preview = store_records.preview_upload(seeded, filled(seeded, "plan_items", rows), "n.xlsx", "plan_items")
    assert any(expected in p for _, p in preview.problems), preview.problems
    with pytest.raises(StoreError):
        store_records.commit_upload(seeded, preview, "สมศรี")
    assert snapshot(seeded) == before
