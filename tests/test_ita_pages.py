"""AppTest of the ITA pages with the test score file (made-up test data, not real results)."""
import datetime as dt

import pandas as pd
import plotly.io
import pytest

from lib.queries import ita as ita_queries
from lib.store import StoreError
from lib.store import ita as store_ita
from lib.ui import cache
from tests.conftest import ROOT, TEST_SCORE_SOURCE, mark_as_test_organizations, metric, org_id

SCORES = ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv"
BAD = ROOT / "tests" / "data" / "ita_scores_TESTDATA_bad_rows.csv"


# 001's own results (reports dated 30 Sep 2023) make i7, o41 and o42 done; the tests of the gap page with
# no progress look at it as of the day before (tests/test_pages_results.py checks the reports themselves)
BEFORE_RESULTS = dt.date(2023, 9, 29)


def open_page(at, page, short_name=None, fiscal_year=None, as_of=None):
    at.session_state["filter_org"] = None if short_name is None else org_id(short_name)
    at.session_state["filter_year"] = fiscal_year
    if as_of is not None:
        at.session_state["filter_as_of"] = as_of
    at.switch_page(str(ROOT / "pages" / page)).run()
    assert not at.exception, at.exception


def keep_filters(at, short_name, fiscal_year):
    """Page-only reruns drop the sidebar's widget state, so a test sets it again before each interaction."""
    at.session_state["filter_org"] = org_id(short_name)
    at.session_state["filter_year"] = fiscal_year
    return at


def table(at, *columns):
    """The first table showing all these columns (st.dataframe keys are not visible to AppTest)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def tables(at, *columns):
    """Every table showing all these columns, one under the other (the gap page has one per instrument)."""
    return pd.concat([d.value for d in at.dataframe if set(columns) <= set(d.value.columns)], ignore_index=True)


def import_test_scores():
    mark_as_test_organizations(cache.store())
    store_ita.import_scores(cache.store(), SCORES.read_bytes(), SCORES.name, "ผู้ทดสอบ", **TEST_SCORE_SOURCE)
    cache.after_write()


def test_gap_page_without_scores_explains_and_offers_the_template(app):
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)
    assert app.title[0].value == "ช่องว่างตัวชี้วัด ITA"
    assert app.selectbox(key="ita_year").value == 2565
    assert any("ยังไม่มีคะแนน ITA ปี 2565 ของ อบต.บ้องตี้" in i.value for i in app.info)
    assert {b.label for b in app.get("download_button")} == {"ดาวน์โหลดแบบฟอร์มคะแนน (Excel)",
                                                             "ดาวน์โหลดแบบฟอร์มคะแนน (CSV)"}
    assert any("บัญชีข้อคำถามปี 2565 ยังไม่ได้ยืนยัน" in w.value for w in app.warning)


def test_gap_page_for_a_year_without_a_list_says_which_list_it_uses(app):
    open_page(app, "ita_gap.py", "อบต.หนองแวง", 2569)
    assert any("ยังไม่พบบัญชีข้อคำถาม ITA ของปี 2568" in w.value and "ปี 2567" in w.value for w in app.warning)


def test_gap_page_numbers(app):
    import_test_scores()
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)
    assert metric(app, "คะแนนรวม") == "86.26"
    assert metric(app, "ระดับผล") == "A (ผ่าน)"  # one wording, from the grade bands
    assert not any(m.label == "ผลการประเมิน" for m in app.metric)
    assert metric(app, "IIT") == "25.56 / 30" and metric(app, "EIT") == "23.70 / 30" and metric(app, "OIT") == "37.00 / 40"
    assert metric(app, "ข้อต่ำกว่าเป้าหมาย") == "8" and metric(app, "ตัวชี้วัดต่ำกว่าเป้าหมาย") == "4"
    [warning] = app.warning  # the unverified list and the typed total that disagrees: one message
    assert "86.00" in warning.value and "86.26" in warning.value and "ยังไม่ได้ยืนยัน" in warning.value
    fix = table(app, "points_gain", "measures")
    assert fix["code"].tolist()[:5] == ["o41", "8", "2", "o42", "6"]
    assert fix["points_gain"].round(2).tolist()[:5] == [1.70, 1.40, 0.78, 0.70, 0.50]
    assert fix["measures"].tolist()[:5] == [1, 3, 3, 1, 0]
    coverage = tables(app, "ลำดับแก้")
    assert coverage.set_index("รหัส").loc["o42", "มาตรการ"].startswith("8. ")
    assert any(e.value == "ยังไม่มีมาตรการรองรับ: ตัวชี้วัด 6, ตัวชี้วัด 5, i9, i10, i11" for e in app.error)
    matrix = table(app, "ข้อ").set_index("ข้อ")
    assert matrix.loc["o41", "มาตรการ 7"] == "✓" and matrix.loc["o41", "มาตรการ 8"] == ""
    # what-if: fixing o41 and indicator 8 adds 1.70 + 1.40
    keep_filters(app, "อบต.บ้องตี้", 2566).multiselect(key="whatif_fixed").set_value([("item", "o41"), ("indicator", "8")])
    app.run()
    assert metric(app, "คะแนนรวมที่คาด") == "89.36"


def test_numbers_typed_out_of_range_are_answered_in_thai(app):
    """Number boxes without min/max (Streamlit says an out-of-range number in English): a what-if score of 150
    is refused in Thai and not projected, and an ITA list's year typed in ค.ศ. is named as such."""
    import_test_scores()
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)
    before = metric(app, "คะแนนรวมที่คาด")
    keep_filters(app, "อบต.บ้องตี้", 2566).selectbox(key="whatif_code").set_value(("item", "o41"))
    app.number_input(key="whatif_score").set_value(150.0)
    app.run()
    assert not app.exception, app.exception
    assert any(e.value == "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" for e in app.error)
    assert metric(app, "คะแนนรวมที่คาด") == before
    app.session_state["catalog_import_year"] = 2024
    open_page(app, "ita_scores.py")
    assert not app.exception, app.exception
    assert any("ปี ค.ศ. 2024 คือ พ.ศ. 2567" in e.value for e in app.error)


def test_heatmap_of_several_organizations(app):
    import_test_scores()
    open_page(app, "ita_gap.py", None, 2566)
    heat = table(app, "หน่วยงาน").set_index("หน่วยงาน")
    assert heat.loc["ทต.ปรุใหญ่", "1"] == 95 and heat.loc["อบต.บ้องตี้", "2"] == 72
    assert heat.loc["ทต.ปรุใหญ่", "คะแนนรวม"] == pytest.approx(81.5)


def test_confirming_a_suggested_link_counts_as_coverage(app):
    import_test_scores()
    open_page(app, "ita_gap.py", "ทต.ปรุใหญ่", 2566)
    weak = tables(app, "ลำดับแก้")
    assert weak.loc[weak["ลำดับแก้"].notna(), "มาตรการ"].eq("— ไม่มี —").all()  # 004 has no item codes
    app.text_input(key="link_actor").input("สมหญิง")
    assert "ที่ตัดสินแล้ว" not in [e.label for e in app.expander]
    measure = int(cache.store().query_rows("SELECT id FROM measure WHERE title LIKE 'มาตรการส่งเสริมคุณธรรม%'")[0][0])
    keep_filters(app, "ทต.ปรุใหญ่", 2566).button(key=f"ok_{measure}_o42").click().run()
    assert not app.exception, app.exception
    links = ita_queries.coverage_links(cache.store(), org_id("ทต.ปรุใหญ่"), 2565)
    links = links[links["code"].notna()]  # the other rows are 004's weaknesses without a code
    assert links[["code", "origin", "link_status"]].values.tolist() == [["o42", "suggested", "confirmed"]]
    history = cache.store().query_rows("SELECT actor, action FROM history WHERE table_name = 'measure_item_link'")
    assert history == [("สมหญิง", "confirmed")]
    assert not any(b.key == f"ok_{measure}_o42" for b in app.button)  # decided: not offered again


def test_scores_page_bad_file_changes_nothing_and_names_rows(app):
    app.session_state["ita_score_upload"] = (BAD.name, BAD.read_bytes())
    open_page(app, "ita_scores.py")
    message = app.error[0].value
    for line in (4, 5, 6, 7, 8):
        assert f"แถว {line}: " in message
    assert app.button(key="import_scores").disabled
    assert cache.store().query_rows("SELECT count(*) FROM ita_score")[0][0] == 0


def test_scores_page_imports_the_good_file(app):
    mark_as_test_organizations(cache.store())
    app.session_state["ita_score_upload"] = (SCORES.name, SCORES.read_bytes())
    open_page(app, "ita_scores.py")
    assert not app.error
    assert app.button(key="import_scores").disabled  # where the scores came from is asked first
    app.text_input(key="score_actor").input("สมศรี")
    app.text_input(key="score_source").input("ไฟล์ทดสอบ")
    assert not app.date_input  # Streamlit's own is English and Christian Era: day, Thai month and พ.ศ. instead
    app.selectbox(key="score_source_date_d").set_value(15)
    app.selectbox(key="score_source_date_m").set_value(1)
    assert app.selectbox(key="score_source_date_m").options[:2] == ["เดือน", "ม.ค."]
    app.selectbox(key="score_source_date_y").set_value(2566)
    app.run()
    app.button(key="import_scores").click().run()
    assert not app.exception, app.exception
    assert any("นำเข้าคะแนนแล้ว 43 แถว" in s.value for s in app.success)
    assert cache.store().query_rows("SELECT count(*) FROM ita_score")[0][0] == 43
    uploads = table(app, "imported_by", "rows_written")
    assert uploads[["imported_by", "source"]].values.tolist() == [["สมศรี", "ไฟล์ทดสอบ"]]
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)  # and the provenance is shown beside the scores
    assert any(c.value.startswith("คะแนนจาก ไฟล์ทดสอบ (ผลลงวันที่ 15 ม.ค. 2566) · ไฟล์ "
                                  "ita_scores_TESTDATA_not_real_results.csv นำเข้าโดย สมศรี") for c in app.caption)


def test_scores_page_refuses_a_test_data_file_for_real_organizations(app):
    app.session_state["ita_score_upload"] = (SCORES.name, SCORES.read_bytes())
    open_page(app, "ita_scores.py")
    message = app.error[0].value
    assert "ระบุว่าเป็นข้อมูลทดสอบหรือตัวอย่าง" in message and "อบต.บ้องตี้" in message
    assert app.button(key="import_scores").disabled
    assert not any(b.key == "import_good_rows" for b in app.button)  # its good rows cannot be imported either
    with pytest.raises(StoreError):
        store_ita.import_scores(cache.store(), SCORES.read_bytes(), SCORES.name, "ผู้ทดสอบ", True,
                                **TEST_SCORE_SOURCE)
    assert cache.store().query_rows("SELECT count(*) FROM ita_score")[0][0] == 0


def overview_ita_line(app) -> str | None:
    headline = next(m.value for m in app.markdown if m.value.startswith("- "))
    return next((line for line in headline.split("\n") if "ITA ปี" in line), None)


def test_overview_counts_the_weak_points_the_gap_page_shows(app):
    # default data, no scores: the weak points the documents name, by state as the gap page counts them
    open_page(app, "overview.py", "อบต.บ้องตี้")
    assert overview_ita_line(app) == (
        "- ITA ปี 2565 (ยังไม่มีคะแนน) · จุดอ่อน **8** (เอกสารระบุ 8): ยังไม่มีมาตรการ 0 · ยังไม่มีความก้าวหน้า 5 · "
        "อยู่ระหว่างดำเนินการ 0 · ดำเนินการแล้วเสร็จ 3 · รายละเอียดที่หน้า 'ช่องว่างตัวชี้วัด ITA'")
    open_page(app, "overview.py", "ทต.ปรุใหญ่", 2566)
    assert overview_ita_line(app).startswith(
        "- ITA ปี 2565 (ยังไม่มีคะแนน) · จุดอ่อน **11** (เอกสารระบุ 11): ยังไม่มีมาตรการ 0 · "
        "ยังไม่มีความก้าวหน้า 0 · อยู่ระหว่างดำเนินการ 0 · ดำเนินการแล้วเสร็จ 11")
    # with scores: the same list plus the points below target (indicators 6, 5, 8, 2; items i9-i11 ...)
    import_test_scores()
    open_page(app, "overview.py", "อบต.บ้องตี้")
    line = overview_ita_line(app)
    assert line.startswith("- ITA ปี 2565: **86.26** (A) (+11.76 จากปี 2564) · จุดอ่อน **15** (เอกสารระบุ 8): "
                           "ยังไม่มีมาตรการ 5 · ยังไม่มีความก้าวหน้า 6 · อยู่ระหว่างดำเนินการ 1 · ดำเนินการแล้วเสร็จ 3 · ")
    assert "คะแนนจาก ไฟล์ทดสอบของชุดทดสอบ \\(ไม่ใช่ผลการประเมินจริง\\)" in line  # where the score came from
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)  # the gap page says the same 15
    assert next(m.value for m in app.metric if m.label == "จุดอ่อน") == "15"
    open_page(app, "overview.py", "อบต.ตะโก")  # neither scores nor weak points named: no ITA line
    assert overview_ita_line(app) is None


BONGTI_WEAK = ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"]


def test_gap_page_on_default_data_shows_the_eight_weak_items_bongti_names(app):
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", as_of=BEFORE_RESULTS)  # a fresh start: no fiscal year chosen
    assert app.selectbox(key="ita_year").value == 2565  # the results its 2566 measures answer
    weak = tables(app, "รหัส", "มาตรการ", "สถานะล่าสุด")
    assert weak["รหัส"].tolist() == BONGTI_WEAK
    assert [m.split(". ")[0] for m in weak["มาตรการ"]] == [str(n) for n in range(1, 9)]
    by_code = weak.set_index("รหัส")
    assert by_code.loc["i7", "มาตรการ"].startswith("1. จัดทำข้อมูลแผนการใช้จ่ายงบประมาณประจำปี")
    assert by_code.loc["i7", "จุดอ่อนตามเอกสาร"].startswith("ท่านรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปี")
    assert by_code.loc["o42", "ชื่อข้อในบัญชีปี 2565"] == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert weak["สถานะ"].eq("ยังไม่มีความก้าวหน้า").all() and weak["ต้องดูก่อน"].eq("⚠️").all()
    assert by_code.loc["o41", "สถานะล่าสุด"] == "7. ยังไม่มีรายงาน"
    assert [m.value for m in app.markdown if m.value.startswith("**ด้าน")] == [
        "**ด้าน IIT** · 3 จุดอ่อน", "**ด้าน EIT** · 3 จุดอ่อน", "**ด้าน OIT** · 2 จุดอ่อน"]
    assert metric(app, "จุดอ่อน") == "8" and metric(app, "ยังไม่มีความก้าวหน้า") == "8"
    assert metric(app, "ยังไม่มีมาตรการ") == "0"
    # no scores: one line says what a score file adds and where to import it
    (line,) = [i.value for i in app.info if "ยังไม่มีคะแนน ITA" in i.value]
    assert "ลำดับที่ควรแก้ก่อน" in line and "นำเข้าคะแนน ITA" in line
    assert not any(d.value.columns.tolist()[:1] == ["ลำดับแก้"] for d in app.dataframe)
    # a report on o41's measure moves it after the ones without progress
    measure = int(ita_queries.coverage_links(cache.store(), org_id("อบต.บ้องตี้"), 2565)
                  .set_index("code").loc["o41", "measure_id"])
    cache.store().record_progress("measure", measure, 2, "อยู่ระหว่างดำเนินการ", "สมหญิง", note="รวบรวมผลแล้ว",
                                  reported_at=dt.datetime(2023, 3, 1, 9))
    cache.after_write()
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", as_of=BEFORE_RESULTS)
    weak = tables(app, "รหัส", "มาตรการ", "สถานะล่าสุด").set_index("รหัส")
    assert weak.index.tolist() == ["i7", "i8", "i12", "e11", "e14", "e15", "o42", "o41"]
    assert weak.loc["o41", "สถานะ"] == "อยู่ระหว่างดำเนินการ" and weak.loc["o41", "ต้องดูก่อน"] == ""
    assert weak.loc["o41", "สถานะล่าสุด"] == "7. อยู่ระหว่างดำเนินการ ไตรมาส 2"
    assert weak.loc["o41", "รายงานล่าสุด"] == "7. รวบรวมผลแล้ว"


def test_gap_page_shows_prui_eleven_weaknesses_under_their_instruments(app):
    open_page(app, "ita_gap.py", "ทต.ปรุใหญ่")
    assert app.selectbox(key="ita_year").value == 2565
    assert [m.value for m in app.markdown if m.value.startswith("**ด้าน")] == [
        "**ด้าน IIT** · 3 จุดอ่อน", "**ด้าน EIT** · 3 จุดอ่อน", "**ด้าน OIT** · 5 จุดอ่อน"]
    weak = tables(app, "รหัส", "มาตรการ", "สถานะล่าสุด")
    assert len(weak) == 11 and weak["รหัส"].tolist() == ["IIT (ไม่มีรหัสข้อ)"] * 3 + ["EIT (ไม่มีรหัสข้อ)"] * 3 + [
        "OIT (ไม่มีรหัสข้อ)"] * 5
    words = weak["จุดอ่อนตามเอกสาร"].tolist()
    assert words[7] == "E-Service URL ไม่เชื่อมโยง กับเว็บไซต์หลัก"
    assert words[8] == "รายงานผลการใช้จ่าย งบประมาณประจำปี"
    assert [m.split(". ")[0] for m in weak["มาตรการ"]] == [str(n) for n in range(1, 12)]
    # the reports its 6-month document gives (Q1-Q2 of 2566, in the document's words, marked as such)
    assert weak["สถานะ"].eq("ดำเนินการแล้วเสร็จ").all() and metric(app, "ดำเนินการแล้วเสร็จ") == "11"
    assert weak["สถานะล่าสุด"].tolist() == [f"{n}. ดำเนินการแล้วเสร็จ ไตรมาส 2" for n in range(1, 12)]
    assert weak["รายงานล่าสุด"].str.endswith("(จากเอกสาร)").all()
    assert weak["รายงานล่าสุด"][7].startswith("8. กองสาธารณสุขฯ ได้ดำเนินการสำรวจภารกิจ ที่เป็นการให้บริการประชาชน")
    assert weak["รายงานล่าสุด"][8].startswith("9. กองคลังได้จัดทำแผนการใ้จ่ายงบประมาณ ประจำปี ๒๕๖๖")


def test_gap_page_on_default_data_shows_the_reports_bongti_s_document_gives(app):
    open_page(app, "ita_gap.py", "อบต.บ้องตี้")  # today: 001's results (30 Sep 2023) count
    weak = tables(app, "รหัส", "มาตรการ", "สถานะล่าสุด").set_index("รหัส")
    done = ["i7", "o41", "o42"]
    assert weak["สถานะ"].to_dict() == {c: "ดำเนินการแล้วเสร็จ" if c in done else "ยังไม่มีความก้าวหน้า" for c in weak.index}
    assert weak.loc["o41", "สถานะล่าสุด"] == "7. ดำเนินการแล้วเสร็จ ไตรมาส 4"
    assert weak.loc["o41", "รายงานล่าสุด"].startswith("7. ดำเนินการเผยแพร่ข้อมูลแผนปฏิบัติการป้องกันการทุจริต")
    assert weak.loc[done, "รายงานล่าสุด"].str.endswith("(จากเอกสาร)").all()
    # measures 2-6: the document's words leave their status a question, and the page says where to answer it
    assert weak.loc["e14", "สถานะล่าสุด"] == ("5. ยังไม่มีรายงาน (เอกสารอ่านสถานะไม่ชัด: "
                                             "รอตอบคำถามที่หน้าเอกสารที่นำเข้า)")
    assert weak.index.tolist() == ["i8", "i12", "i7", "e11", "e14", "e15", "o41", "o42"]  # per instrument, no progress first
    assert metric(app, "ยังไม่มีความก้าวหน้า") == "5" and metric(app, "ดำเนินการแล้วเสร็จ") == "3"


def test_gap_page_across_organizations_lists_the_most_named_weak_points(app):
    open_page(app, "ita_gap.py", as_of=dt.date(2023, 3, 30))  # before 004's 6-month report (31 Mar 2023) too
    assert app.selectbox(key="ita_year").value == 2565
    top = table(app, "หน่วยงานที่ระบุ", "มีมาตรการที่ดำเนินการอยู่")
    assert len(top) == 11 and top["หน่วยงานที่ระบุ"].eq(1).all() and top["มีมาตรการที่ดำเนินการอยู่"].eq(0).all()
    assert set(top["จุดอ่อน"]) == {*BONGTI_WEAK, "IIT (ไม่มีรหัสข้อ)", "EIT (ไม่มีรหัสข้อ)", "OIT (ไม่มีรหัสข้อ)"}
    assert any("หน่วยงานที่เอกสารระบุจุดอ่อน 2 แห่ง · จุดอ่อน 11 รายการ" in c.value for c in app.caption)


def test_gap_page_at_national_scope_opens_on_the_year_the_documents_name(app):
    # the sidebar's fiscal year 2569 answers 2568, which no document names and no score file gives
    open_page(app, "ita_gap.py", None, 2569)
    assert app.selectbox(key="ita_year").value == 2565
    assert any("มาตรการปีงบประมาณ 2569 ตอบผลการประเมินปี 2568" in c.value and "จึงเปิดที่ปี 2565" in c.value
               for c in app.caption)
    top = table(app, "หน่วยงานที่ระบุ", "มีมาตรการที่ดำเนินการอยู่")
    assert len(top) == 11 and top["หน่วยงานที่ระบุ"].eq(1).all()
    # as of today every weak point of ทต.ปรุใหญ่ and i7, o41, o42 of อบต.บ้องตี้ have a measure done
    done = set(top.loc[top["ดำเนินการแล้วเสร็จ"].eq(1), "จุดอ่อน"])
    assert done == {"i7", "o41", "o42", "IIT (ไม่มีรหัสข้อ)", "EIT (ไม่มีรหัสข้อ)", "OIT (ไม่มีรหัสข้อ)"}
    assert top["จุดอ่อน"].tolist()[:5] == ["i8", "i12", "e11", "e14", "e15"]  # no progress first


def test_gap_page_for_a_year_the_catalog_does_not_hold_borrows_no_titles(app):
    mark_as_test_organizations(cache.store(), "อบต.บ้องตี้")
    csv = ("# TEST DATA ONLY\nหน่วยงาน,ปีประเมิน ITA (พ.ศ.),ระดับ,รหัส,คะแนน (0-100)\n"
           "อบต.บ้องตี้,2568,ข้อ,i7,40\nอบต.บ้องตี้,2568,ข้อ,i8,90\n").encode()  # checked against 2567's codes
    store_ita.import_scores(cache.store(), csv, "t.csv", "ผู้ทดสอบ", **TEST_SCORE_SOURCE)
    cache.after_write()
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2569)
    assert app.selectbox(key="ita_year").value == 2568
    [warning] = app.warning  # the borrowed list and the notes on the scores in one box, not stacked
    assert "ยังไม่พบบัญชีข้อคำถาม ITA ของปี 2568" in warning.value and "ไม่แสดงชื่อข้อ" in warning.value
    weak = tables(app, "รหัส", "มาตรการ", "สถานะล่าสุด").set_index("รหัส")
    assert weak.index.tolist() == ["i7", "ตัวชี้วัด 2"] and weak.loc["i7", "สถานะ"] == "ยังไม่มีมาตรการ"  # 2: (40+90)/2
    assert weak.loc["i7", "ชื่อข้อในบัญชีปี 2568"] == "ไม่ทราบชื่อข้อ (ยังไม่มีบัญชีข้อคำถามปี 2568)"
    fix = table(app, "points_gain", "measures").set_index("code")
    assert fix.loc["i7", "name"] == "ไม่ทราบชื่อข้อ (ยังไม่มีบัญชีข้อคำถามปี 2568)"  # not 2567's title
    assert any(c.value.startswith("ไม่เสนอ: ยังไม่มีบัญชีข้อคำถามปี 2568") for c in app.caption) or not any(
        s.value.startswith("ข้อเสนอการเชื่อม") for s in app.subheader)  # no suggestion from another year's titles
    # the overview and the pack say it too where they use 2568
    open_page(app, "overview.py", "อบต.บ้องตี้")
    assert overview_ita_line(app).startswith("- ITA ปี 2568: คะแนนรวมคำนวณไม่ได้ (คะแนนไม่ครบทุกเครื่องมือ)") and \
        "(ยังไม่มีบัญชีข้อคำถามของปีนี้: ไม่แสดงชื่อข้อ)" in overview_ita_line(app)
    from lib.pack import assemble as pack

    slide = pack.build(cache.store(), (org_id("อบต.บ้องตี้"), None, None), None, dt.date.today()).topics[3]
    assert any(n.startswith("ยังไม่พบบัญชีข้อคำถาม ITA ของปี 2568") for n in slide.notes)
    names = slide.sheets["ITA จุดอ่อนและมาตรการ"].set_index("จุดอ่อน")["ชื่อข้อในบัญชี"]
    assert names["i7"] == "ไม่ทราบชื่อข้อ (ยังไม่มีบัญชีข้อคำถามปี 2568)"


def test_an_admin_sees_what_a_corrected_list_changes_before_importing_it(app):
    from tests.test_ita_weak_points import corrected_2565

    app.session_state["ita_catalog_upload"] = ("2565.csv", corrected_2565(cache.store()))
    app.session_state["catalog_import_year"] = 2565
    open_page(app, "ita_scores.py")
    diff = table(app, "code", "change", "old", "new")
    assert set(diff["change"]) == {"แก้ไข", "ตัดออก", "เพิ่ม"}
    assert any("เพิ่ม 1 ข้อ · ตัดออก 1 ข้อ · แก้ไข 1 ข้อ" in m.value for m in app.markdown)
    assert any("มาตรการที่เชื่อมกับข้อของปี 2565 จำนวน 2 รายการ" in w.value for w in app.warning)
    assert len(ita_queries.catalog_items(cache.store(), 2565)) == 88  # nothing written yet
    app.text_input(key="catalog_actor").input("ผู้ดูแล")
    app.button(key="import_catalog").click().run()
    assert not app.exception, app.exception
    assert any("นำเข้าบัญชีข้อคำถามปี 2565 แล้ว 88 ข้อ" in s.value for s in app.success)
    assert "o44" in set(ita_queries.catalog_items(cache.store(), 2565)["code"])


def test_provenance_beside_the_scores_of_the_trend_and_the_comparison(app):
    import_test_scores()
    open_page(app, "ita_gap.py", "อบต.บ้องตี้", 2566)
    trend = next(c.value for c in app.caption if c.value.startswith("ที่มาของคะแนน: "))
    assert "ปี 2564: คะแนนจาก ไฟล์ทดสอบของชุดทดสอบ" in trend and "ปี 2565: คะแนนจาก ไฟล์ทดสอบของชุดทดสอบ" in trend
    # the trend's end labels ("80.12 (B)") are centred on the first and last year: room beyond them
    figure = next(f for f in (plotly.io.from_json(c.proto.spec) for c in app.get("plotly_chart"))
                  if f.data and f.data[0].name == "คะแนนรวม")
    assert figure.layout.xaxis.range == (-0.75, len(figure.data[0].x) - 0.25) and len(figure.data[0].x) >= 2
    open_page(app, "compare.py")
    assert any(c.value.startswith("ที่มาของคะแนน ITA ปี 2565: คะแนนจาก ไฟล์ทดสอบของชุดทดสอบ") for c in app.caption)


FRAMEWORK_READ = "SELECT grade, min_score::DOUBLE, passes FROM ita_grade_band"  # one per framework read


def framework_reads(monkeypatch) -> list[str]:
    """The framework reads (lookups.framework's queries of the catalog) the store runs from now on."""
    from lib.store.db import Store

    seen, query_rows = [], Store.query_rows

    def counted(self, sql, params=()):
        if sql.startswith(FRAMEWORK_READ):
            seen.append(sql)
        return query_rows(self, sql, params)

    monkeypatch.setattr(Store, "query_rows", counted)
    return seen


def test_one_organization_s_ita_pages_read_the_framework_once_until_the_catalog_changes(app, monkeypatch):
    # the overview, meeting and gap pages for one organization: each ITA read asked for the framework again
    # (seven queries a time, 42-69 queries a first run); the store keeps it for the life of the catalog
    import_test_scores()  # (its check reads the framework of the file's years)
    reads = framework_reads(monkeypatch)
    for page in ("overview.py", "presentation.py", "ita_gap.py"):
        open_page(app, page, "อบต.บ้องตี้", 2566)
    assert next(m.value for m in app.metric if m.label == "จุดอ่อน") == "15"
    years = {2564, 2565}  # the gap page's year and the trend's earlier year with scores
    # kept since the score import read them; the shared deployment's copy has applied the import's change
    # since (a change may be of the catalog): there each year is read once again, then kept
    assert len(reads) == (len(years) if cache.store().shared else 0), reads
    # a corrected item list for 2565 (an admin's import): the framework is read again and holds it
    from tests.test_ita_weak_points import corrected_2565

    assert "o44" not in set(ita_queries.framework(cache.store(), 2565).items["code"])
    store_ita.import_catalog(cache.store(), corrected_2565(cache.store()), "2565.csv", 2565, "ผู้ดูแล")
    cache.after_write()
    assert "o44" in set(ita_queries.framework(cache.store(), 2565).items["code"])
    assert len(reads) == (len(years) if cache.store().shared else 0) + 1
