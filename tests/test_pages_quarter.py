"""AppTest of the quarter pages: the reporting grid (รายงานผลรายไตรมาส) and the comparison of
organizations (เปรียบเทียบหน่วยงาน), on the default data and after reports."""
import datetime as dt

from lib import thai
from lib.queries import collect, dashboard
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS
from lib.ui import cache
from tests.conftest import org_id
from tests.test_pages_dashboard import AS_OF, open_page, plan_item_id, report

TAKO = {"short_name": "อบต.ตะโก", "year": 2569, "filter_quarter": 1}


def grid_key(at) -> str:
    return next(d.key for d in at.dataframe if (d.key or "").startswith("rq_grid_"))


def edit_grid(at, edits: dict[int, dict], actor: str = "สมศรี ใจดี", **state):
    """Type into the grid: AppTest carries a data editor's edits in its session state."""
    key = grid_key(at)
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return open_page(at, "report_quarter", **TAKO, rq_actor=actor, **state)


def save_button(at):
    return next(b for b in at.button if b.key == "rq_save")


def test_grid_lists_every_record_planned_in_the_quarter_and_who_has_not_reported(app):
    open_page(app, "report_quarter", **TAKO)
    grid = next(d.value for d in app.dataframe if d.key == grid_key(app))
    assert len(grid) == 15 and list(grid["seq"])[:3] == [1, 2, 4]  # seq 3 plans quarter 2 only
    assert set(grid["status"]) == {"ยังไม่มีรายงาน"}
    assert app.subheader[0].value == "ยังไม่รายงาน 15 จาก 15 รายการที่วางแผนไว้ในไตรมาสนี้"
    missing = next(d.value for d in app.dataframe if list(d.value.columns[:2]) == ["ผู้รับผิดชอบ", "ยังไม่รายงาน"])
    assert missing["ยังไม่รายงาน"].sum() == 15
    assert save_button(app).disabled  # nothing changed yet
    open_page(app, "report_quarter", **TAKO, rq_all=True)
    assert len(next(d.value for d in app.dataframe if d.key == grid_key(app))) == 16


def test_grid_checks_each_row_and_saves_all_changes_in_one_transaction(app):
    open_page(app, "report_quarter", **TAKO)
    # row 0 = seq 1 (no budget), row 2 = seq 4, row 5 = seq 7 (20,000 baht)
    edit_grid(app, {2: {"status": STATUS_BLOCKED}, 5: {"status": STATUS_DONE, "spent": "๒๕,๐๐๐"},
                    6: {"status": STATUS_DONE, "spent": "ห้าร้อย"}})
    errors = [e.value for e in app.error]
    assert len(errors) == 2 and "ลำดับ 4" in errors[0] and "ต้องระบุเหตุผล" in errors[0]
    assert "ลำดับ 8" in errors[1] and "อ่านจำนวนเงิน" in errors[1]
    warnings = [w.value for w in app.warning]
    assert len(warnings) == 1 and "ลำดับ 7" in warnings[0] and "เกินงบประมาณตามแผน 20,000\\.00 บาท" in warnings[0]
    assert save_button(app).disabled
    before = cache.store().query_rows("SELECT count(*) FROM progress")[0][0]

    edits = {0: {"status": STATUS_DONE, "note": "จัดอบรมแล้ว", "evidence_url": "https://tako.go.th/a"},
             2: {"status": STATUS_BLOCKED, "reason": "ไม่ได้รับงบประมาณ"},
             5: {"status": STATUS_IN_PROGRESS, "spent": "15,000"}}
    edit_grid(app, edits)
    assert not app.error and not app.warning
    assert not save_button(app).disabled
    save_button(app).click()
    open_page(app, "report_quarter", **TAKO, rq_actor="สมศรี ใจดี")
    assert any("บันทึกรายงานไตรมาส 1 (ต.ค.-ธ.ค.) 3 รายการแล้ว" in s.value for s in app.success)
    rows = cache.store().query_rows(
        "SELECT p.record_id, p.quarter, p.status, p.reason, p.spent, p.note, p.evidence_url, p.reported_by, "
        "p.reported_at FROM progress p ORDER BY p.id")
    assert len(rows) == before + 3
    new = {r[0]: r for r in rows[-3:]}
    assert new[plan_item_id(1)][2:8] == (STATUS_DONE, None, None, "จัดอบรมแล้ว", "https://tako.go.th/a", "สมศรี ใจดี")
    assert new[plan_item_id(4)][2:4] == (STATUS_BLOCKED, "ไม่ได้รับงบประมาณ")
    assert float(new[plan_item_id(7)][4]) == 15000.0 and {r[1] for r in rows[-3:]} == {1}
    assert len({r[8] for r in rows[-3:]}) == 1  # one save, one moment
    history = cache.store().query_rows(
        "SELECT count(*), count(DISTINCT record_id) FROM history WHERE table_name = 'progress' AND action = 'report'")
    assert history[0] == (3, 3)  # one history row per changed record
    # the grid now starts from the saved reports, and the single-record form's history shows them
    grid = next(d.value for d in app.dataframe if d.key == grid_key(app))
    assert list(grid["status"])[:3] == [STATUS_DONE, "ยังไม่มีรายงาน", STATUS_BLOCKED]
    assert app.subheader[0].value == "ยังไม่รายงาน 12 จาก 15 รายการที่วางแผนไว้ในไตรมาสนี้"
    assert len(collect.progress_history(cache.store(), "plan_item", plan_item_id(7))) == 1
    # the summaries the follow-up pages read were kept in the same transaction
    kpis = dashboard.kpis(cache.store(), (org_id("อบต.ตะโก"), None, None), 2569, thai.today())
    assert (kpis["done_ended"], kpis["spent"]) == (1, 15000.0)


def test_grid_saves_nothing_when_one_row_is_refused_by_the_store(app):
    open_page(app, "report_quarter", **TAKO)
    store = cache.store()
    before = store.query_rows("SELECT count(*) FROM progress")[0][0]
    reports = [{"kind": "plan_item", "record_id": plan_item_id(1), "quarter": 1, "status": STATUS_DONE},
               {"kind": "plan_item", "record_id": plan_item_id(2), "quarter": 1, "status": STATUS_DONE,
                "evidence_url": "javascript:alert(1)"}]
    try:
        store.record_progress_many(reports, "สมศรี")
    except Exception as e:
        assert "ลิงก์หลักฐาน" in str(e)
    else:
        raise AssertionError("a bad row must refuse the whole save")
    assert store.query_rows("SELECT count(*) FROM progress")[0][0] == before


def test_grid_asks_for_an_organization_and_a_quarter(app):
    open_page(app, "report_quarter", short_name=None, year=2569, filter_quarter=1)
    assert "เลือกหน่วยงาน" in app.info[0].value
    assert app.selectbox(key="rq_org").options == ["อบต.ตะโก (ยังไม่รายงาน 15 รายการ)"]
    assert not [d for d in app.dataframe if (d.key or "").startswith("rq_grid_")]


def test_comparison_ranks_organizations_and_opens_one(app):
    report(plan_item_id(1), 1, STATUS_DONE)
    open_page(app, "compare", short_name=None, year=None, as_of=AS_OF)
    ranked = next(d for d in app.dataframe if d.key == "compare_table")
    table = ranked.value.data if hasattr(ranked.value, "data") else ranked.value
    assert set(table["หน่วยงาน"]) == {"อบต.หนองแวง", "อบต.บ้องตี้", "อบต.ปอ", "อบต.ตะโก", "ทต.ปรุใหญ่"}
    tako = table.set_index("หน่วยงาน").loc["อบต.ตะโก"]
    assert round(tako["เสร็จตามกำหนด (%)"]) == 6  # 1 of the 16 planned quarters that ended by 18 มิ.ย. 2569
    assert tako["เลยกำหนด"] == 15
    share = list(table["เสร็จตามกำหนด (%)"])
    assert share == sorted(share)  # the laggards first
    # choosing a row opens that organization's overview
    app.session_state["compare_table"] = {"selection": {"rows": [list(table["หน่วยงาน"]).index("อบต.ตะโก")],
                                                        "columns": [], "cells": []}}
    open_page(app, "compare", short_name=None, year=None, as_of=AS_OF)
    assert app.title[0].value == "ภาพรวม"
    assert app.session_state["pick_organization"] == org_id("อบต.ตะโก")  # dashboard.py applies it (browser test)


def test_comparison_wants_more_than_one_organization(app):
    open_page(app, "compare", short_name="อบต.ตะโก", year=2569, as_of=dt.date(2026, 6, 18))
    assert "หน่วยงานเดียว" in app.info[0].value


# -- the register's in-place edit -----------------------------------------------------------------
def open_detail(at, **state):
    return open_page(at, "records", **{**TAKO, "filter_quarter": None},
                     plan_table={"selection": {"rows": [0], "columns": [], "cells": []}}, **state)


def click(at, label):
    next(b for b in at.button if b.label.startswith(label)).click()


def test_register_detail_edits_one_record_in_place_with_history_and_undo(app):
    item = plan_item_id(1)
    k = f"plan_item_{item}"
    open_detail(app)
    assert app.text_input(key=f"edit_budget_{k}").value == "0.00"
    # checked as an upload's cells are: a bad amount and a script are refused, nothing changes
    open_detail(app, **{f"edit_budget_{k}": "สองพัน", f"edit_title_{k}": "<script>alert(1)</script>",
                        f"edit_actor_{k}": "สมชาย"})
    click(app, "บันทึกการแก้ไข")
    open_detail(app)
    assert "ต้องเป็นจำนวนเงิน" in app.error[0].value and "โค้ด" in app.error[0].value
    store = cache.store()
    assert store.query_rows("SELECT budget, title FROM plan_item WHERE id = ?", [item])[0][0] == 0
    # a one-word fix: title, budget and quarters in one save, one history row
    before = store.query_rows("SELECT title FROM plan_item WHERE id = ?", [item])[0][0]
    open_detail(app, **{f"edit_budget_{k}": "๑,๕๐๐", f"edit_title_{k}": before + " (ปรับปรุง)",
                        f"edit_quarters_{k}": [1, 2], f"edit_actor_{k}": "สมชาย"})
    click(app, "บันทึกการแก้ไข")
    open_detail(app)
    assert app.success[0].value == "บันทึกการแก้ไขแล้ว 3 ช่อง"
    title, budget, quarters = store.query_rows("SELECT title, budget, quarters FROM plan_item WHERE id = ?",
                                               [item])[0]
    assert (title, float(budget), list(quarters)) == (before + " (ปรับปรุง)", 1500.0, [1, 2])
    history = store.query_rows("SELECT action, actor FROM history WHERE table_name = 'plan_item' AND record_id = ? "
                               "ORDER BY id", [item])
    assert history == [("import", "ระบบ (ข้อมูลตั้งต้น)"), ("update", "สมชาย")]
    # undo: back as it was, written as one more history row
    open_detail(app, **{f"undo_actor_{k}": "สมศรี"})
    click(app, "ย้อนกลับการแก้ไขล่าสุด")
    open_detail(app)
    title, budget, quarters = store.query_rows("SELECT title, budget, quarters FROM plan_item WHERE id = ?",
                                               [item])[0]
    assert (title, float(budget), list(quarters)) == (before, 0.0, [1])
    assert store.query_rows("SELECT action FROM history WHERE table_name = 'plan_item' AND record_id = ? "
                            "ORDER BY id DESC LIMIT 1", [item])[0][0] == "restore"


def test_grid_keeps_no_control_characters(app):
    """Text typed or pasted into the grid is kept without control characters (lib.thai.clean_text)."""
    open_page(app, "report_quarter", **TAKO)
    edit_grid(app, {0: {"status": STATUS_DONE, "note": "จัด\x1bอบรม\u202eแล้ว\x00"}})
    assert not app.error
    save_button(app).click()
    open_page(app, "report_quarter", **TAKO, rq_actor="สมศรี ใจดี")
    assert cache.store().query_rows("SELECT note FROM progress WHERE record_id = ? AND NOT from_document",
                                    [plan_item_id(1)]) == [("จัดอบรมแล้ว",)]
