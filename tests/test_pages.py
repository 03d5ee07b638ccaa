"""AppTest of every page on the default data: the figures each page shows."""

from lib.queries import records as queries
from lib.ui import cache
from tests.conftest import ROOT, metric, org_id


def table(at, key):
    return next(d for d in at.dataframe if d.key == key).value


def open_records(at, short_name, year=None):
    # With a pages/ folder present, AppTest runs only its first run through the entry script;
    # later runs execute the page file alone, without the sidebar. So the sidebar's choice is
    # set the way the sidebar stores it: in session_state.
    at.session_state["filter_org"] = org_id(short_name)
    at.session_state["filter_year"] = year
    at.switch_page(str(ROOT / "pages" / "records.py")).run()
    assert not at.exception, at.exception


def test_sidebar_filters_list_organizations_and_years(app):
    orgs = app.selectbox(key="filter_org").options
    assert orgs[0] == "ทั้งหมด" and len(orgs) == 6
    assert "อบต.ตะโก (จ.นครราชสีมา)" in orgs and "อบต.หนองแวง (ที่ตั้งรอยืนยัน)" in orgs
    assert app.selectbox(key="filter_year").options == ["ทุกปี", "2569", "2568", "2567", "2566"]


def open_documents(at):
    # the overview is the default page now; the documents page is one click away (all years)
    at.session_state["filter_year"] = None
    at.switch_page(str(ROOT / "pages" / "documents.py")).run()
    assert not at.exception, at.exception


def test_documents_page_shows_the_five_seeds(app):
    open_documents(app)
    assert app.title[0].value == "เอกสารที่นำเข้า"
    assert metric(app, "เอกสาร") == "5"
    assert metric(app, "หน่วยงาน") == "5"
    assert metric(app, "รายการในแผนปฏิบัติการ") == "16"
    assert metric(app, "มาตรการ") == "40"
    assert metric(app, "คำถามที่รอคำตอบ") == "14"  # the location of 000 and 13 progress statuses (test_results.py)
    table = app.dataframe[0].value
    assert table["file_name"].str[:3].tolist() == ["000", "001", "002", "003", "004"]
    assert table["plan_items"].tolist() == [0, 0, 0, 16, 0]
    assert table["measures"].tolist() == [7, 8, 14, 0, 11]
    assert table["organization"].tolist() == ["อบต.หนองแวง", "อบต.บ้องตี้", "อบต.ปอ", "อบต.ตะโก", "ทต.ปรุใหญ่"]


def test_documents_page_counts_lists_and_asks_what_the_sidebar_chose(app):
    """The counts, the list and the questions follow the sidebar's filter (it opened on the counts of
    everything, one listed document and other years' questions), and the page says how many there are in all."""
    for org, year, counts, radios in [
            (None, 2569, ["1", "1", "16", "0", "0"], 0),       # ตะโก's plan
            (None, 2566, ["2", "2", "0", "19", "5"], 5),       # 001 บ้องตี้ (5 statuses asked) and 004 ปรุใหญ่
            ("อบต.หนองแวง", None, ["1", "1", "0", "7", "2"], 2)]:  # 000: its location and measure 1's status
        app.session_state["filter_org"] = org_id(org) if org else None
        app.session_state["filter_year"] = year
        app.switch_page(str(ROOT / "pages" / "documents.py")).run()
        assert not app.exception, app.exception
        assert [metric(app, m) for m in ("เอกสาร", "หน่วยงาน", "รายการในแผนปฏิบัติการ", "มาตรการ",
                                          "คำถามที่รอคำตอบ")] == counts
        assert len(app.dataframe[0].value) == int(counts[0])
        assert len([r for r in app.radio if r.key.startswith("answer_")]) == radios
        assert "ในระบบทั้งหมดมีเอกสาร 5 ฉบับ คำถามที่รอคำตอบ 14 ข้อ" in app.info[0].value
    app.session_state["filter_org"] = None
    open_documents(app)
    assert not [i for i in app.info if "ตามตัวกรอง" in i.value]


def test_answering_the_question_in_the_ui(app):
    open_documents(app)
    radio = app.radio[0]
    # run as a page of its own, AppTest reports radio labels markdown-escaped ("อ\\.")
    assert [o.replace("\\", "") for o in radio.options] == ["อ.เทพารักษ์ จ.นครราชสีมา", "อ.นาดูน จ.ขอนแก่น"]
    radio.set_value("อ.นาดูน จ.ขอนแก่น")
    next(t for t in app.text_input if t.key.startswith("actor_")).input("สมหญิง")
    app.run()
    next(b for b in app.button if b.key and b.key.startswith("confirm_")).click()
    app.run()
    assert not app.exception
    assert metric(app, "คำถามที่รอคำตอบ") == "13"  # the progress statuses the words do not give
    orgs = queries.organizations(cache.store()).set_index("short_name")
    assert (orgs.loc["อบต.หนองแวง", "district"], orgs.loc["อบต.หนองแวง", "province"]) == ("นาดูน", "ขอนแก่น")


def test_records_page_for_tako_2569(app):
    open_records(app, "อบต.ตะโก", 2569)
    assert app.title[0].value == "ทะเบียนมาตรการ/โครงการ"
    plan = table(app, "plan_table")
    assert len(plan) == 16
    assert plan["งบประมาณ (บาท)"].sum() == 20000
    assert plan["มิติ"].value_counts().sort_index().tolist() == [4, 6, 4, 2]
    assert (plan["ไตรมาส"] == "ไตรมาส 1").sum() == 15
    assert any("รวมงบประมาณ 20,000.00 บาท" in m.value for m in app.markdown)
    assert "มาตรการ 0 รายการ" in app.caption[1].value


def test_records_page_measures_of_bongti(app):
    open_records(app, "อบต.บ้องตี้")
    measures = table(app, "measure_table")
    assert measures["ข้อ ITA"].tolist() == ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"]
    assert measures["เครื่องมือ"].tolist() == ["IIT"] * 3 + ["EIT"] * 3 + ["OIT"] * 2


def test_documents_page_imports_a_word_file(app, tmp_path):
    from tests.test_docx import docx_from_text, to_bytes

    text = (ROOT / "data" / "seeds" / "002_fc2515c3baf40b90.txt").read_text(encoding="utf-8")
    data = to_bytes(docx_from_text(text.replace("2567", "2568").replace("๒๕๖๗", "๒๕๖๘")
                                   .replace("๒๕๖๖", "๒๕๖๗"))[0])  # next year's report, same layout
    open_documents(app)
    app.file_uploader(key="upload_document").set_value(("รายงาน อบต.ปอ 2568.docx", data, "application/octet-stream"))
    app.run()
    app.text_input(key="import_actor").input("สมศรี")
    app.run()
    next(b for b in app.button if b.label == "นำเข้า").click().run()
    assert not app.exception, app.exception
    assert any("มาตรการ 14" in s.value for s in app.success)
    years = queries.fiscal_years(cache.store(), org_id("อบต.ปอ"))
    assert years == [2568, 2567]
    fmt = cache.store().query_rows("SELECT format FROM source_document WHERE file_name LIKE '%.docx'")
    assert fmt == [("docx",)]


def test_an_import_shows_at_once_in_the_list_and_versions_above(app):
    """The list, counts and versions are drawn above the upload: after an import the page runs again,
    so a revised plan's choice is where its message says ('ด้านบน'), and the button does not import twice."""
    text = (ROOT / "data" / "seeds" / "003_6500999ea339ae9f.txt").read_text(encoding="utf-8")
    revised = text.replace("14\tโครงการจัดเวทีประชาคม\t3\t0.00", "14\tโครงการจัดเวทีประชาคม\t3\t5,000.00")
    revised = revised.replace("รวมทั้งสิ้น\t\t\t20,000.00", "รวมทั้งสิ้น\t\t\t25,000.00")
    assert revised.count("25,000.00") == 1
    open_documents(app)
    app.file_uploader(key="upload_document").set_value(("แผน ตะโก ปรับปรุง.txt", revised.encode(), "text/plain"))
    app.run()
    app.text_input(key="import_actor").input("สมศรี")
    app.run()
    next(b for b in app.button if b.label == "นำเข้า").click().run()
    assert not app.exception, app.exception
    assert metric(app, "เอกสาร") == "6"
    pending = [e.label.replace("\\", "") for e in app.expander if "ปรับปรุง" in e.label]  # labels come markdown-escaped
    assert pending == ["แผน ตะโก ปรับปรุง.txt — อบต.ตะโก ปี 2569 — รอเลือก"]
    listed = app.dataframe[0].value
    assert list(listed.columns[:2]) == ["file_name", "version_state"]  # in view beside the file, not off-screen
    states = listed.set_index("file_name")["version_state"]
    assert states[["003_6500999ea339ae9f.txt", "แผน ตะโก ปรับปรุง.txt"]].tolist() == ["นับในหน้าต่าง ๆ", "ฉบับใหม่ รอเลือก"]
    assert any("เปลี่ยน 1 รายการ" in w.value and "ด้านบน" in w.value for w in app.warning)
    assert not [b for b in app.button if b.label == "นำเข้า"]
    # replace: the choice is said (its buttons go), the pages count the revised plan; then the undo
    version = int(cache.store().query_rows("SELECT id FROM source_document WHERE version_state = 'pending'")[0][0])
    app.text_input(key=f"version_actor_{version}").input("สมชาย").run()
    app.button(key=f"version_replace_{version}").click().run()
    assert not app.exception, app.exception
    assert [s.value.replace("\\", "") for s in app.success][:1] == [
        "แทนที่แล้ว: หน้าต่าง ๆ นับ แผน ตะโก ปรับปรุง.txt แทนฉบับเดิม ย้อนได้โดยเปิดฉบับเดิม (ถูกแทนที่แล้ว) "
        "ด้านล่างแล้วกด 'นำฉบับนี้กลับมาใช้'"]
    budget = "SELECT sum(budget) FROM plan_item WHERE fiscal_year = 2569"
    assert cache.store().query_rows(budget) == [(25000,)]
    old = int(cache.store().query_rows("SELECT id FROM source_document WHERE version_state = 'replaced'")[0][0])
    app.text_input(key=f"version_actor_{old}").input("สมชาย").run()
    app.button(key=f"version_replace_{old}").click().run()
    assert any(s.value.startswith("นำ 003") and "กลับมาใช้แล้ว" in s.value for s in app.success)
    assert cache.store().query_rows(budget) == [(20000,)]


def test_a_pending_plan_shows_the_budget_and_quarters_of_the_items_it_adds_and_removes(app):
    from tests.test_versions import plan_with_an_item_added_and_one_removed

    open_documents(app)
    app.file_uploader(key="upload_document").set_value(("ตะโก ฉบับแก้.txt", plan_with_an_item_added_and_one_removed(),
                                                          "text/plain"))
    app.run()
    app.text_input(key="import_actor").input("สมศรี")
    app.run()
    next(b for b in app.button if b.label == "นำเข้า").click().run()
    assert not app.exception, app.exception
    tables = [d.value for d in app.dataframe if "ลำดับ" in d.value.columns]
    assert [t.to_dict("records") for t in tables] == [
        [{"ลำดับ": 17, "รายการ": "โครงการอบรมเจ้าหน้าที่ด้านการจัดซื้อจัดจ้างอย่างโปร่งใส", "งบประมาณ (บาท)": "15,000.00",
          "ไตรมาส": "ไตรมาส 2, ไตรมาส 3"}],
        [{"ลำดับ": 14, "รายการ": "โครงการจัดเวทีประชาคม", "งบประมาณ (บาท)": "0.00", "ไตรมาส": "ไตรมาส 1"}]]
    assert any("งบประมาณรวม 20,000.00 → 40,000.00 บาท" in m.value.replace("\\", "") for m in app.markdown)


def test_questions_and_warnings_are_marked_with_streamlits_icon_font_not_emoji(app):
    """❓ is an emoji: on a machine without an emoji font (Debian's headless Chromium) it was an empty box."""
    open_documents(app)
    listed = [m.value for m in app.markdown if m.value.startswith(":material/")]
    # the seeds: 5 warnings (one a document) and 14 open questions, each listed under its document
    assert sum(v.startswith(":material/help: ") for v in listed) == 14
    assert sum(v.startswith(":material/warning: ") for v in listed) == 5
    assert not [m.value for m in app.markdown if "❓" in m.value]
    text = (ROOT / "data" / "seeds" / "000_38e36f7a6cd79625.txt").read_text(encoding="utf-8")
    app.file_uploader(key="upload_document").set_value(("000 อีกฉบับ.txt", text.replace("ปีงบประมาณ พ.ศ. ๒๕๖๘", "").encode(),
                                                        "text/plain")).run()
    assert not app.exception, app.exception
    icons = [w.icon for w in app.warning]
    assert ":material/help:" in icons and "❓" not in icons


def test_a_fiscal_year_typed_in_ce_is_refused_in_thai_and_converted_in_the_message(app):
    """The year of a document that states none is typed by the user; 2024 (ค.ศ.) got Streamlit's English
    "Number is outside the allowed range" and nothing said which era was wanted."""
    text = (ROOT / "tests" / "hostile" / "corpus" / "no_fiscal_year.txt").read_bytes()
    open_documents(app)
    app.file_uploader(key="upload_document").set_value(("ไม่มีปี.txt", text, "text/plain")).run()
    app.text_input(key="import_actor").input("สมศรี").run()
    app.number_input(key="import_fiscal_year").set_value(2024).run()
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == ["2024 ไม่ใช่ปี พ.ศ. กรุณาพิมพ์ปีงบประมาณเป็น พ.ศ. เช่น 2567 "
                                            "(ปี ค.ศ. 2024 คือ พ.ศ. 2567)"]
    assert next(b for b in app.button if b.label == "นำเข้า").disabled
    app.number_input(key="import_fiscal_year").set_value(2568).run()
    assert not app.error and not next(b for b in app.button if b.label == "นำเข้า").disabled


def test_the_pages_say_a_pdf_is_taken_and_how_large_a_file_may_be(app):
    open_documents(app)
    label = app.file_uploader(key="upload_document").label
    assert "PDF" in label and "ไม่เกิน 20 เมกะไบต์" in label  # a 60 MB scan was refused only after its upload
    app.switch_page(str(ROOT / "pages" / "import_data.py")).run()
    assert any(".pdf" in h.value for h in app.subheader)  # it said (.txt, .docx) and sent PDFs nowhere


def test_every_table_shows_an_empty_cell_not_none():
    """Streamlit prints "None" in an empty cell unless a table says otherwise: every st.dataframe and
    st.data_editor of every page (and the entry script) passes placeholder="—" (st.table has no such option:
    the presentation fills its empty cells itself)."""
    import ast

    calls = []
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("dataframe", "data_editor"):
                given = {k.arg: k.value for k in node.keywords}
                calls.append((path.name, node.lineno, ast.literal_eval(given["placeholder"])
                              if "placeholder" in given else None))
    assert len(calls) >= 30
    assert [c for c in calls if c[2] != "—"] == []


def test_every_choice_that_can_be_none_has_a_thai_placeholder():
    """A selectbox showing its None option (or index=None) draws its placeholder, "Choose an option"
    unless given: every one whose options start with None, or that opens on nothing, passes a Thai one."""
    import ast
    import re

    found = []
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "selectbox" and len(node.args) >= 2):
                continue
            given = {k.arg: k.value for k in node.keywords}
            options = node.args[1]
            none_first = isinstance(options, ast.List) and options.elts and \
                isinstance(options.elts[0], ast.Constant) and options.elts[0].value is None
            opens_empty = isinstance(given.get("index"), ast.Constant) and given["index"].value is None
            if none_first or opens_empty:
                text = ast.literal_eval(given["placeholder"]) if isinstance(given.get("placeholder"), ast.Constant) \
                    else ast.unparse(given["placeholder"]) if "placeholder" in given else ""
                found.append((path.name, node.lineno, text))
    assert len(found) >= 8
    assert [f for f in found if not re.search("[ก-๙]", f[2]) and f[2] not in ("ALL",)] == []


def test_no_page_uses_streamlits_english_calendar():
    """st.date_input shows "December 2026" and Christian-Era years: every date is chosen with lib.ui.dates."""
    import re

    users = [p.name for p in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
             if re.search(r"\.date_input\(", p.read_text(encoding="utf-8"))]
    assert users == []
