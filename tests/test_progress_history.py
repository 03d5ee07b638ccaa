"""Progress reports, their history, late marking, undo; and the export -> import round trip."""
import datetime as dt
import json
from decimal import Decimal

import pytest

from lib.queries import collect
from lib.store import StoreError, import_seeds
from lib.store import uploads as store_records

TABLES = ("source_document", "plan_item", "measure", "measure_item_link", "progress", "history")


@pytest.fixture
def seeded(store):
    import_seeds(store)
    return store


def tako_item(store, seq):
    return store.query_rows("SELECT p.id FROM plan_item p JOIN organization o ON o.id = p.organization_id "
                            "WHERE o.short_name = 'อบต.ตะโก' AND p.seq = ?", [seq])[0][0]


def snapshot(store):
    return {t: store.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def test_progress_report_history_late_and_undo(seeded):
    item = tako_item(seeded, 2)
    # Q1 of 2569 ends 31 Dec 2025: a report in November is on time, one in February is late
    first = seeded.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมชาย", spent=5000,
                                   reported_at=dt.datetime(2025, 11, 15, 10, 0))
    second = seeded.record_progress("plan_item", item, 1, "ไม่สามารถดำเนินการได้", "สมหญิง",
                                    reason="บุคลากรไม่เพียงพอ", note="ขาดวิทยากร",
                                    evidence_url="https://takoo.go.th/x", reported_at=dt.datetime(2026, 2, 3, 9, 0))
    history = collect.progress_history(seeded, "plan_item", item)
    assert history["id"].tolist() == [first, second]
    assert history["late"].tolist() == [False, True]
    assert history["current"].tolist() == [False, True]
    assert history.loc[1, "reason"] == "บุคลากรไม่เพียงพอ" and history.loc[0, "spent"] == 5000.0
    rows = seeded.query_rows("SELECT actor, action, new_value FROM history WHERE table_name = 'progress' "
                             "AND record_id IN (?, ?) ORDER BY id", [first, second])
    assert [(a, x) for a, x, _ in rows] == [("สมชาย", "report"), ("สมหญิง", "report")]
    assert json.loads(rows[1][2])["reason"] == "บุคลากรไม่เพียงพอ"

    restored = store_records.restore_progress(seeded, first, "หัวหน้าสำนักปลัด")
    history = collect.progress_history(seeded, "plan_item", item)
    current = history[history["current"]].iloc[0]
    assert current["id"] == restored and current["status"] == "อยู่ระหว่างดำเนินการ" and current["spent"] == 5000.0
    assert current["reported_by"] == "หัวหน้าสำนักปลัด" and bool(current["late"])  # filed now, after Q1
    assert len(history) == 3  # nothing overwritten
    actor, action, new_value = seeded.query_rows(
        "SELECT actor, action, new_value FROM history WHERE table_name = 'progress' AND record_id = ?", [restored])[0]
    assert (actor, action, json.loads(new_value)["_restored_from"]) == ("หัวหน้าสำนักปลัด", "restore", first)


def test_record_update_history_and_restore_earlier_version(seeded):
    item = tako_item(seeded, 5)
    assert store_records.update_record(seeded, "plan_item", item, {"budget": Decimal("3000"), "remark": "เพิ่มงบ"},
                                       "สมชาย") == 2
    store_records.update_record(seeded, "plan_item", item, {"budget": Decimal("4000")}, "สมหญิง")
    versions = collect.record_versions(seeded, "plan_item", item)
    assert versions["action"].tolist() == ["import", "update", "update"]
    assert versions["actor"].tolist()[1:] == ["สมชาย", "สมหญิง"]
    assert "งบประมาณ (บาท): 3000.00 → 4000.00" in versions["summary"].iloc[2]
    import_id, first_update = int(versions["id"].iloc[0]), int(versions["id"].iloc[1])

    state = store_records.version_state(seeded, "plan_item", item, first_update)
    assert state["budget"] == Decimal("3000.00") and state["remark"] == "เพิ่มงบ"
    store_records.restore_version(seeded, "plan_item", item, import_id, "หัวหน้า")
    assert seeded.query_rows("SELECT budget, remark FROM plan_item WHERE id = ?", [item]) == [(Decimal("0.00"), None)]
    last = collect.record_versions(seeded, "plan_item", item).iloc[-1]
    assert last["action"] == "restore" and last["actor"] == "หัวหน้า"
    assert json.loads(last["old_value"]) == {"budget": "4000.00", "remark": "เพิ่มงบ"}
    # undoing the undo: back to the state after the second update
    store_records.restore_version(seeded, "plan_item", item, int(versions["id"].iloc[2]), "หัวหน้า")
    assert seeded.query_rows("SELECT budget, remark FROM plan_item WHERE id = ?", [item]) == [
        (Decimal("4000.00"), "เพิ่มงบ")]
    with pytest.raises(StoreError, match="ตรงกับฉบับนี้อยู่แล้ว"):
        store_records.restore_version(seeded, "plan_item", item, int(versions["id"].iloc[2]), "หัวหน้า")


def test_measure_item_codes_change_and_restore(seeded):
    measure = seeded.query_rows("SELECT measure_id FROM measure_item_link WHERE code = 'i7'")[0][0]
    store_records.update_record(seeded, "measure", measure, {"item_codes": ("i7", "i9")}, "สมชาย")
    codes = seeded.query_rows("SELECT code, status FROM measure_item_link WHERE measure_id = ? ORDER BY code",
                              [measure])
    assert codes == [("i7", "as_read"), ("i9", "as_read")]
    import_id = int(collect.record_versions(seeded, "measure", measure)["id"].iloc[0])
    store_records.restore_version(seeded, "measure", measure, import_id, "หัวหน้า")
    codes = seeded.query_rows("SELECT code, status FROM measure_item_link WHERE measure_id = ? ORDER BY code",
                              [measure])
    assert codes == [("i7", "as_read"), ("i9", "rejected")]  # kept, not deleted


def test_writes_need_a_name(seeded):
    item = tako_item(seeded, 1)
    with pytest.raises(StoreError, match="ชื่อ"):
        store_records.update_record(seeded, "plan_item", item, {"remark": "x"}, "  ")


@pytest.mark.parametrize("name", ["plan_items", "measures", "progress"])
def test_export_import_round_trip_writes_nothing(seeded, name):
    item = tako_item(seeded, 2)
    seeded.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "สมชาย", spent=19500.55, note="บรรทัด 1\nบรรทัด 2",
                           evidence_url="https://x.go.th/a", reported_at=dt.datetime(2026, 1, 2, 8, 15, 30))
    seeded.record_progress("plan_item", item, 2, "ยังไม่เริ่ม", "สมชาย", reported_at=dt.datetime(2026, 1, 2, 8, 16))
    measure = seeded.query_rows("SELECT id FROM measure ORDER BY id LIMIT 1")[0][0]
    store_records.update_record(seeded, "measure", measure, {"period_start": dt.date(2025, 10, 1),
                                                             "links": ("https://a", "https://b")}, "สมชาย")
    before = snapshot(seeded)
    data = collect.export_workbook(seeded, name)
    preview = store_records.preview_upload(seeded, data, f"{name}.xlsx", name)
    # progress: the 2 reports above and the 79 the results documents state (tests/test_results.py)
    expected = {"plan_items": 16, "measures": 40, "progress": 2 + 79}[name]
    assert (len(preview.added), len(preview.changed), len(preview.unchanged), preview.problems) == (0, 0, expected, [])
    assert store_records.commit_upload(seeded, preview, "สมศรี").document_id is None
    assert snapshot(seeded) == before
