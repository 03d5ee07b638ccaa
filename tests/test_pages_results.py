"""On the default data the results documents' reports are on the pages, marked as read from the
document, and a user confirms or corrects them."""
import datetime as dt

from lib.queries import collect
from lib.queries import records as queries
from lib.ui import cache
from tests.conftest import org_id
from tests.test_pages_dashboard import open_page, table

TODAY = dt.date(2026, 12, 1)


def test_overview_counts_the_6_month_report_of_004(app):
    open_page(app, "overview", short_name="ทต.ปรุใหญ่", year=2566, as_of=TODAY)
    headline = app.markdown[0].value  # the overview's headline sentences (quarter 1 and the whole year)
    assert "**0 จาก 11 รายการ**" in headline and "(มาตรการ ITA 11)" in headline
    assert "แล้วเสร็จ **11**" in headline
    # 11 measures x Q1-Q2, every one done by the document
    assert "แล้วเสร็จตามกำหนด **100%** (22 จาก 22 งานที่ถึงกำหนด)" in headline
    assert "เลยกำหนด **0 รายการ**" in headline


def test_progress_page_shows_the_reports_of_every_results_document(app):
    open_page(app, "progress", short_name="ทต.ปรุใหญ่", year=2566, as_of=TODAY)
    quarters = table(app, ("ปีงบประมาณ", "ไตรมาส", "สิ้นสุดไตรมาส"))
    assert quarters["มีรายงาน"].tolist() == [11, 11, 0, 0] and quarters["แล้วเสร็จ"].tolist() == [11, 11, 0, 0]
    # the document covers ต.ค. 2565 - มี.ค. 2566: before its end nothing was reported yet
    open_page(app, "progress", short_name="ทต.ปรุใหญ่", year=2566, as_of=dt.date(2023, 3, 15))
    assert table(app, ("ปีงบประมาณ", "ไตรมาส", "สิ้นสุดไตรมาส"))["มีรายงาน"].tolist() == [0, 0, 0, 0]
    # 000: 20 planned quarters, 17 reported done (measure 1's words are a question); 002: 56, 28 done
    open_page(app, "progress", short_name="อบต.หนองแวง", year=2568, as_of=TODAY)
    assert table(app, ("ปีงบประมาณ", "ไตรมาส", "สิ้นสุดไตรมาส"))["แล้วเสร็จ"].sum() == 17
    open_page(app, "progress", short_name="อบต.ปอ", year=2567, as_of=TODAY)
    assert table(app, ("ปีงบประมาณ", "ไตรมาส", "สิ้นสุดไตรมาส"))["แล้วเสร็จ"].tolist() == [7, 7, 7, 7]


def test_a_user_confirms_the_document_s_reports_on_the_progress_report_page(app):
    org = org_id("ทต.ปรุใหญ่")
    measures = queries.measures(cache.store(), org, 2566)
    first = int(measures.loc[measures["seq"] == 1, "id"].iloc[0])
    open_page(app, "progress_report", short_name="ทต.ปรุใหญ่", year=2566, pr_kind="measure", pr_record=first,
              pr_confirm_actor="ปลัด อบต.")
    history = table(app, ("id", "quarter", "status", "source"))
    assert history["source"].tolist() == ["ตามเอกสาร (รอยืนยัน)"] * 2
    assert history["note"].iloc[0].startswith("สำนักงานได้ดำเนินการจัดทำแนวทาง")  # the document's words
    app.button(key="pr_confirm").click().run()
    assert not app.exception, app.exception
    after = collect.progress_history(cache.store(), "measure", first)
    assert len(after) == 4 and after["from_document"].tolist() == [True, True, False, False]
    assert after[after["current"]]["reported_by"].tolist() == ["ปลัด อบต.", "ปลัด อบต."]
    assert not any(b.key == "pr_confirm" for b in app.button)  # nothing left to confirm
    # the document's reports no longer say they wait for a user (they said so after the confirmation too)
    assert table(app, ("id", "quarter", "status", "source"))["source"].tolist() == [
        "ตามเอกสาร", "ตามเอกสาร", "ผู้ใช้ (ตามเอกสาร)", "ผู้ใช้ (ตามเอกสาร)"]


def test_answering_a_status_question_on_the_documents_page_files_the_reports(app):
    open_page(app, "documents", short_name="อบต.หนองแวง", year=2568, as_of=TODAY)
    issue = cache.store().query_rows(
        "SELECT i.id FROM document_issue i JOIN source_document d ON d.id = i.document_id "
        "WHERE i.code = 'progress.unclear' AND d.file_name LIKE '000%'")[0][0]
    open_page(app, "documents", short_name="อบต.หนองแวง", year=2568, as_of=TODAY,
              **{f"answer_{issue}": "อยู่ระหว่างดำเนินการ", f"actor_{issue}": "สมชาย"})
    app.button(key=f"confirm_{issue}").click().run()
    assert not app.exception, app.exception
    rows = cache.store().query_rows("SELECT quarter, status, from_document, reported_by FROM progress "
                                    "WHERE reported_by = 'สมชาย' ORDER BY quarter")
    assert rows == [(q, "อยู่ระหว่างดำเนินการ", False, "สมชาย") for q in (1, 2, 3)]  # measure 1 plans Q1-Q3
    # the page says what the answer did, and the answered question says it among the document's warnings
    shown = [s.value.replace("\\", "") for s in app.success]  # as written (plain() escapes markdown)
    assert shown == ["ตอบแล้ว: บันทึกรายงานผลของมาตรการที่ 1 ไตรมาส 1, 2, 3 เป็น 'อยู่ระหว่างดำเนินการ' แล้ว "
                     "(เป็นรายงานใหม่ในประวัติ แก้ได้ที่หน้ารายงานความก้าวหน้า)"]
    assert any("(ตอบแล้ว: อยู่ระหว่างดำเนินการ โดย สมชาย · บันทึกรายงานผลของมาตรการที่ 1 ไตรมาส 1, 2, 3"
               in m.value.replace("\\", "") for m in app.markdown)
