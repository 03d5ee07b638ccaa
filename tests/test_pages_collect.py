"""AppTest of the import page and the progress form on the default data."""
import io
from decimal import Decimal

from openpyxl import load_workbook

from lib import thai
from lib.queries import collect
from lib.queries import records as queries
from lib.store import uploads as store_records
from lib.thai import quarter_bounds
from lib.ui import cache
from tests.conftest import ROOT, metric

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tako(year=2569):
    orgs = queries.organizations(cache.store())
    return int(orgs.loc[orgs["short_name"] == "อบต.ตะโก", "id"].iloc[0]), year


def open_page(at, page, org=None, year=None):
    at.session_state["filter_org"] = org
    at.session_state["filter_year"] = year
    at.switch_page(str(ROOT / "pages" / page)).run()
    assert not at.exception, at.exception
    return at


def frame(at, column):
    """The table showing `column` (tables without row selection carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def field(elements, name):
    """The progress form's widget `name`: its key also names the record and quarter it edits."""
    found = [e for e in elements if e.key and e.key.split(":")[0] == name]
    assert len(found) == 1, [e.key for e in elements]
    return found[0]


def edited_export(change):
    """The app's own export of the plan, with one cell changed the way a user would."""
    book = load_workbook(io.BytesIO(cache.read(collect.export_workbook, "plan_items")))
    ws = book.active
    headers = [c.value.rstrip(" *") for c in ws[1]]
    change(ws, headers)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_page_offers_templates_and_the_ita_place(app):
    open_page(app, "import_data.py")
    assert app.title[0].value == "นำเข้าข้อมูล"
    assert any("คะแนน ITA" in i.value for i in app.info)
    assert app.selectbox(key="upload_template").options == [
        "แผนปฏิบัติการป้องกันการทุจริต", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "รายงานความก้าวหน้ารายไตรมาส"]


def test_import_page_bad_rows_then_a_confirmed_change(app):
    open_page(app, "import_data.py")

    def bad(ws, headers):
        ws.cell(3, headers.index("มิติ") + 1).value = 9
        ws.cell(5, 1).value = "อบต.ไม่มีจริง"
    app.file_uploader(key="upload_file").set_value(("แผน.xlsx", edited_export(bad), XLSX)).run()
    app.button(key="check_file").click().run()
    assert not app.exception, app.exception
    assert metric(app, "แถวที่ผิด") == "2"
    problems = frame(app, "ปัญหา")
    assert problems["แถว"].tolist() == [3, 5]
    assert "ไม่พบหน่วยงาน 'อบต.ไม่มีจริง'" in problems["ปัญหา"].iloc[1]
    assert not [b for b in app.button if b.key == "commit_upload"]  # nothing can be saved

    def budget(ws, headers):
        ws.cell(4, headers.index("งบประมาณ (บาท)") + 1).value = 1234.5
    app.file_uploader(key="upload_file").set_value(("แผน2.xlsx", edited_export(budget), XLSX)).run()
    app.button(key="check_file").click().run()
    assert (metric(app, "เปลี่ยนแปลง"), metric(app, "ไม่เปลี่ยน"), metric(app, "แถวที่ผิด")) == ("1", "15", "0")
    changed = frame(app, "ค่าเดิม")
    assert changed[["แถว", "ช่อง", "ค่าเดิม", "ค่าใหม่"]].values.tolist() == [[4, "งบประมาณ (บาท)", "0.00", "1,234.50"]]
    app.text_input(key="upload_actor").input("สมศรี").run()
    assert app.button(key="commit_upload").disabled  # the change is not confirmed yet
    app.checkbox(key="confirm_changes").check().run()
    app.button(key="commit_upload").click().run()
    assert not app.exception, app.exception
    assert any("เปลี่ยน 1 รายการ" in s.value for s in app.success)
    budgets = store_records.current_rows(cache.store(), "plan_items")
    assert budgets[2]["budget"] == Decimal("1234.50")
    assert cache.store().query_rows("SELECT count(*) FROM history WHERE actor = 'สมศรี' AND action = 'update'") == [(1,)]


def test_progress_form_history_and_undo(app):
    org, year = tako()
    open_page(app, "progress_report.py", org, year)
    assert app.title[0].value == "รายงานความก้าวหน้า"
    assert len(field(app.selectbox, "pr_record").options) == 16
    field(app.selectbox, "pr_quarter").set_value(1).run()
    assert any("ส่งล่าช้า" in w.value for w in app.warning) == (quarter_bounds(2569, 1)[1]
                                                               < thai.today())
    field(app.selectbox, "pr_status").set_value("ไม่สามารถดำเนินการได้").run()
    field(app.selectbox, "pr_reason").set_value("อื่น ๆ (ระบุ)").run()
    field(app.text_input, "pr_reason_other").input("ฝนตกหนัก").run()
    field(app.number_input, "pr_spent").set_value(1500.0).run()
    app.text_input(key="pr_actor").input("สมชาย").run()
    app.button(key="pr_submit").click().run()
    assert not app.exception, app.exception
    history = frame(app, "reported_by")
    assert history[["quarter", "status", "reason", "spent", "reported_by", "current"]].values.tolist() == [
        [1, "ไม่สามารถดำเนินการได้", "ฝนตกหนัก", "1,500.00", "สมชาย", "ปัจจุบัน"]]

    field(app.selectbox, "pr_status").set_value("ดำเนินการแล้วเสร็จ").run()
    app.button(key="pr_submit").click().run()
    history = frame(app, "reported_by")
    assert history["status"].tolist() == ["ไม่สามารถดำเนินการได้", "ดำเนินการแล้วเสร็จ"]
    assert history["current"].tolist() == ["", "ปัจจุบัน"]
    app.text_input(key="pr_restore_actor").input("หัวหน้า").run()
    app.button(key="pr_restore").click().run()
    assert not app.exception, app.exception
    history = frame(app, "reported_by")
    assert len(history) == 3
    assert history.iloc[-1][["status", "reason", "reported_by", "current"]].tolist() == [
        "ไม่สามารถดำเนินการได้", "ฝนตกหนัก", "หัวหน้า", "ปัจจุบัน"]


def test_progress_form_refuses_a_bad_link(app):
    org, year = tako()
    open_page(app, "progress_report.py", org, year)
    field(app.text_input, "pr_evidence").input("javascript:alert(1)").run()
    app.text_input(key="pr_actor").input("สมชาย").run()
    app.button(key="pr_submit").click().run()
    assert any("ลิงก์หลักฐาน" in e.value for e in app.error)
    assert cache.store().query_rows("SELECT count(*) FROM progress WHERE NOT from_document") == [(0,)]


def test_progress_form_refuses_a_negative_amount_in_thai(app):
    """A minus typed in the amount got Streamlit's English range message (the box's min_value); the
    store's Thai refusal says it now, and nothing is saved."""
    org, year = tako()
    open_page(app, "progress_report.py", org, year)
    field(app.number_input, "pr_spent").set_value(-500.0).run()
    app.text_input(key="pr_actor").input("สมชาย").run()
    app.button(key="pr_submit").click().run()
    assert not app.exception, app.exception
    assert any("ไม่ติดลบ" in e.value for e in app.error)
    assert cache.store().query_rows("SELECT count(*) FROM progress WHERE NOT from_document") == [(0,)]


def test_progress_form_holds_only_the_values_of_the_record_and_quarter_it_shows(app):
    """Issue 13, item 1: report item 7, then item 1 (blocked, no budget): item 1 gets none of item 7's
    values, and a second quarter of item 7 starts empty too."""
    org, year = tako()
    open_page(app, "progress_report.py", org, year)
    items = queries.plan_items(cache.store(), org, year).set_index("seq")["id"]
    record = field(app.selectbox, "pr_record")
    record.set_value(int(items[7])).run()
    field(app.selectbox, "pr_quarter").set_value(2).run()
    field(app.selectbox, "pr_status").set_value("ดำเนินการแล้วเสร็จ").run()
    field(app.number_input, "pr_spent").set_value(18500.0).run()
    field(app.text_area, "pr_note").input("จัดอบรมแล้ว 2 รุ่น").run()
    field(app.text_input, "pr_evidence").input("https://www.tako.go.th/news/7").run()
    app.text_input(key="pr_actor").input("สมชาย").run()
    app.button(key="pr_submit").click().run()
    assert not app.exception, app.exception

    field(app.selectbox, "pr_record").set_value(int(items[1])).run()
    field(app.selectbox, "pr_quarter").set_value(2).run()
    assert field(app.number_input, "pr_spent").value is None
    assert field(app.text_area, "pr_note").value == ""
    assert field(app.text_input, "pr_evidence").value == ""
    field(app.selectbox, "pr_status").set_value("ไม่สามารถดำเนินการได้").run()
    field(app.selectbox, "pr_reason").set_value("ไม่ได้รับงบประมาณ").run()
    app.button(key="pr_submit").click().run()
    assert not app.exception, app.exception
    rows = cache.store().query_rows(
        "SELECT record_id, quarter, status, reason, spent, note, evidence_url FROM progress WHERE NOT from_document "
        "ORDER BY id")
    assert rows == [(int(items[7]), 2, "ดำเนินการแล้วเสร็จ", None, Decimal("18500.00"), "จัดอบรมแล้ว 2 รุ่น",
                     "https://www.tako.go.th/news/7"),
                    (int(items[1]), 2, "ไม่สามารถดำเนินการได้", "ไม่ได้รับงบประมาณ", None, None, None)]

    field(app.selectbox, "pr_record").set_value(int(items[7])).run()
    field(app.selectbox, "pr_quarter").set_value(3).run()
    assert field(app.number_input, "pr_spent").value is None
    assert field(app.text_area, "pr_note").value == ""
