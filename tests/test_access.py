"""Roles and organizations: each role's allowed and refused actions, enforced in lib."""
import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.auth import Access, hash_password
from lib.errors import AccessDenied, StoreError
from lib.ingest import read_path
from lib.queries import dashboard as dashboard_queries
from lib.queries import records as queries
from lib.store import import_seeds
from lib.store import ita as store_ita
from lib.store import uploads as store_records
from lib.store.backup import backup_zip
from tests.conftest import ROOT, SEEDS, TEST_SCORE_SOURCE, mark_as_test_organizations


@pytest.fixture
def seeded(store):
    import_seeds(store)
    return store


def org(store, short_name):
    return store.query_rows("SELECT id FROM organization WHERE short_name = ?", [short_name])[0][0]


def as_role(store, role, *short_names):
    return store.scoped(Access("u", "ผู้ทดสอบ", role, frozenset(org(store, n) for n in short_names)))


def test_editor_sees_and_changes_only_its_organization(seeded):
    tako, bongti = org(seeded, "อบต.ตะโก"), org(seeded, "อบต.บ้องตี้")
    editor = as_role(seeded, "editor", "อบต.ตะโก")
    assert queries.organizations(editor)["short_name"].tolist() == ["อบต.ตะโก"]
    assert queries.record_totals(editor) == {"documents": 1, "organizations": 1, "plan_items": 16, "measures": 0,
                                             "open_questions": 0}
    # a direct call with another organization's id sees nothing of it
    assert queries.measures(editor, bongti, None).empty
    assert dashboard_queries.kpis(editor, (bongti, None, None), None,
                                  dt.date(2026, 6, 18))["measures"] == 0
    item = seeded.query_rows("SELECT id FROM plan_item WHERE organization_id = ? AND seq = 1", [tako])[0][0]
    editor.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "สมชาย")
    other = seeded.query_rows("SELECT id FROM measure WHERE organization_id = ? LIMIT 1", [bongti])[0][0]
    before = seeded.query_rows("SELECT count(*) FROM progress")[0][0]
    with pytest.raises(AccessDenied, match="ไม่มีสิทธิ์แก้ไขข้อมูลของหน่วยงานนี้"):
        editor.record_progress("measure", other, 1, "ดำเนินการแล้วเสร็จ", "สมชาย")
    with pytest.raises(AccessDenied):
        store_records.update_record(editor, "measure", other, {"title": "แก้โดยคนนอก"}, "สมชาย")
    with pytest.raises(AccessDenied):
        store_ita.set_target(editor, bongti, 2565, 90, "สมชาย")
    with pytest.raises(AccessDenied):
        store_ita.decide_link(editor, other, 2565, "o42", True, "ทดสอบ", "สมชาย")
    question = seeded.query_rows("SELECT id FROM document_issue WHERE severity = 'question'")[0][0]
    with pytest.raises(AccessDenied):
        editor.answer_question(question, "อ.นาดูน จ.ขอนแก่น", "สมชาย")
    with pytest.raises(AccessDenied):
        backup_zip(editor)
    assert seeded.query_rows("SELECT count(*) FROM progress")[0][0] == before
    assert seeded.query_rows("SELECT title FROM measure WHERE id = ?", [other])[0][0] != "แก้โดยคนนอก"


def test_editor_cannot_import_another_organizations_document(tmp_path, seeded):
    editor = as_role(seeded, "editor", "อบต.ตะโก")
    path = SEEDS / "002_fc2515c3baf40b90.txt"
    data = path.read_bytes() + b"\n"  # new bytes, so not a duplicate
    with pytest.raises(AccessDenied):
        editor.import_document(read_path(path), data, "txt", "สมชาย")
    assert seeded.query_rows("SELECT count(*) FROM source_document")[0][0] == 5


def test_viewer_reads_but_never_writes(seeded):
    viewer = as_role(seeded, "viewer", "อบต.ตะโก")
    assert len(queries.plan_items(viewer, None, 2569)) == 16
    item = seeded.query_rows("SELECT id FROM plan_item LIMIT 1")[0][0]
    with pytest.raises(AccessDenied, match="ดูอย่างเดียว"):
        viewer.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "นายก")


def test_viewer_cannot_choose_a_version_answer_or_import_even_when_asked_directly(seeded):
    """The documents page hides these from a viewer; the store still refuses them in Thai."""
    from tests.test_versions import revised_plan

    data = revised_plan()
    pending = seeded.import_document(read_path_bytes(data), data, "txt", "สมชาย").document_id
    viewer = as_role(seeded, "viewer", "อบต.ตะโก")
    with pytest.raises(AccessDenied, match="ดูอย่างเดียว"):
        viewer.resolve_version(pending, "replace", "นายก")
    question = seeded.query_rows("SELECT i.id FROM document_issue i JOIN source_document d ON d.id = i.document_id "
                                 "WHERE i.severity = 'question' AND d.id = ? LIMIT 1", [pending])
    if question:
        with pytest.raises(AccessDenied, match="ดูอย่างเดียว"):
            viewer.answer_question(question[0][0], "x", "นายก")
    with pytest.raises(AccessDenied, match="ดูอย่างเดียว"):
        viewer.import_document(read_path_bytes(data + b"\n"), data + b"\n", "txt", "นายก")
    assert seeded.query_rows("SELECT version_state FROM source_document WHERE id = ?", [pending]) == [("pending",)]


def read_path_bytes(data: bytes):
    from lib.ingest import read_document

    return read_document(data, "ตะโก-ปรับปรุง.txt")


@pytest.fixture
def two_role_app(tmp_path, monkeypatch):
    """The dashboard with a viewer and an editor of อบต.ตะโก and อบต.หนองแวง (000: open questions), and a
    revised ตะโก plan waiting for a choice."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text("".join(f'''
[users.{user}]
name = "{name}"
role = "{role}"
organizations = ["อบต.ตะโก", "อบต.หนองแวง"]
password_hash = "{hash_password('ตะโก-2569!', iterations=1000)}"
''' for user, name, role in (("nayok", "นายก ดูอย่างเดียว", "viewer"), ("somchai", "สมชาย ใจดี", "editor"))),
                        encoding="utf-8")
    monkeypatch.setenv("ITA_ACCOUNTS", str(accounts))
    monkeypatch.setenv("ITA_DB_PATH", str(tmp_path / "app.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    from lib.ui import cache
    from tests.test_versions import revised_plan

    data = revised_plan()
    cache._base_store().import_document(read_path_bytes(data), data, "txt", "สมชาย")
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def documents_page_as(at, username):
    at.text_input(key="sign_in_user").input(username)
    at.text_input(key="sign_in_password").input("ตะโก-2569!")
    at.button[0].click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    at.session_state["filter_year"] = None
    at.switch_page(str(ROOT / "pages" / "documents.py")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("username", ["nayok", "somchai"])
def test_the_documents_page_offers_a_viewer_no_upload_no_version_choice_and_no_answer(two_role_app, username):
    at = documents_page_as(two_role_app, username)
    version_buttons = [b for b in at.button if (b.key or "").startswith("version_")]
    answers = [b for b in at.button if (b.key or "").startswith("confirm_")]
    uploads = [u for u in at.get("file_uploader") if u.proto.label.startswith("เอกสารมาตรการ")]
    pending = [e.label for e in at.expander if "รอเลือก" in e.label]
    assert len(pending) == 1  # both see the revised plan and what it changes
    if username == "somchai":
        assert len(version_buttons) == 2 and answers and len(uploads) == 1
        return
    assert not version_buttons and not answers and not uploads
    assert not [t for t in at.text_input if (t.key or "").startswith(("version_actor_", "actor_"))]
    told = [m.value for m in at.info] + [c.value for c in at.caption]
    assert any("บทบาทผู้บริหาร (ดูอย่างเดียว) จึงนำเข้าเอกสารไม่ได้" in m for m in told)
    assert any("จึงเลือกฉบับไม่ได้" in m for m in told) and any("จึงตอบคำถามไม่ได้" in m for m in told)


@pytest.mark.parametrize("username", ["nayok", "somchai"])
def test_a_viewer_is_offered_no_form_upload_and_no_save_of_progress(two_role_app, username):
    from lib.ui import cache

    at = documents_page_as(two_role_app, username)
    at.switch_page(str(ROOT / "pages" / "import_data.py")).run()
    assert not at.exception, at.exception
    uploads = [u for u in at.get("file_uploader") if u.proto.label.startswith("ไฟล์ .xlsx")]
    refusal = [i.value for i in at.info if "จึงนำเข้าแบบฟอร์มไม่ได้" in i.value]
    assert (len(uploads), len(refusal)) == ((0, 1) if username == "nayok" else (1, 0))
    tako = cache._base_store().query_rows("SELECT id FROM organization WHERE short_name = 'อบต.ตะโก'")[0][0]
    at.session_state["filter_org"], at.session_state["filter_year"], at.session_state["filter_quarter"] = tako, 2569, 1
    at.switch_page(str(ROOT / "pages" / "report_quarter.py")).run()
    assert not at.exception, at.exception
    saves = [b for b in at.button if b.key == "rq_save"]
    refusal = [c.value for c in at.caption if "จึงบันทึกรายงานไม่ได้" in c.value]
    assert (len(saves), len(refusal)) == ((0, 1) if username == "nayok" else (1, 0))
    at.switch_page(str(ROOT / "pages" / "progress_report.py")).run()  # one record's report, confirm, undo
    assert not at.exception, at.exception
    writes = [b for b in at.button if b.key in ("pr_submit", "pr_confirm", "pr_restore", "rv_restore")]
    refusal = [c.value for c in at.caption if "จึงบันทึกรายงานไม่ได้" in c.value]
    assert (len(writes) > 0, len(refusal)) == ((False, 1) if username == "nayok" else (True, 0))


def test_a_user_of_two_organizations_reads_all_of_them_added_up(seeded):
    """'ทั้งหมด' for a user of two organizations reads the per-province rows added up from theirs (a
    scoped view whose columns had no names failed every such read: 'does not have a column named records')."""
    two = as_role(seeded, "viewer", "อบต.ตะโก", "อบต.หนองแวง")
    both = dashboard_queries.planned_quarters(two, (None, None, None))
    each = [dashboard_queries.planned_quarters(two, (org(seeded, n), None, None)) for n in ("อบต.ตะโก", "อบต.หนองแวง")]
    assert both == {**each[0], **each[1]} and both[2569] == {1: 15, 2: 1}
    assert set(both) == {2569, 2568}


def test_admin_does_everything(seeded):
    admin = seeded.scoped(Access("a", "ผู้ดูแล", "admin", None))
    assert len(queries.organizations(admin)) == 5
    measure = seeded.query_rows("SELECT id FROM measure LIMIT 1")[0][0]
    admin.record_progress("measure", measure, 1, "อยู่ระหว่างดำเนินการ", "ผู้ดูแล")
    assert backup_zip(admin)[:2] == b"PK"


def test_scores_of_other_organizations_are_refused(seeded):
    mark_as_test_organizations(seeded)  # so the refusal is the editor's rights, not the file's test-data note
    editor = as_role(seeded, "editor", "อบต.ตะโก")
    scores = (ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv").read_bytes()
    with pytest.raises(Exception) as err:  # unknown organizations to this editor, or no right to them
        store_ita.import_scores(editor, scores, "scores.csv", "สมชาย", **TEST_SCORE_SOURCE)
    assert "คะแนน" in str(err.value) or "สิทธิ์" in str(err.value)
    assert seeded.query_rows("SELECT count(*) FROM ita_score")[0][0] == 0


@pytest.fixture
def signed_app(tmp_path, monkeypatch):
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'''
[users.somchai]
name = "สมชาย ใจดี"
role = "editor"
organizations = ["อบต.ตะโก"]
password_hash = "{hash_password('ตะโก-2569!', iterations=1000)}"
''', encoding="utf-8")
    monkeypatch.setenv("ITA_ACCOUNTS", str(accounts))
    monkeypatch.setenv("ITA_DB_PATH", str(tmp_path / "app.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def test_sign_in_page_then_only_own_organization(signed_app):
    at = signed_app
    assert at.title[0].value == "เข้าสู่ระบบ"
    assert not at.metric  # no page is shown before signing in
    at.text_input(key="sign_in_user").input("somchai")
    at.text_input(key="sign_in_password").input("ผิด")
    at.button[0].click().run()
    assert at.error[0].value == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    at.text_input(key="sign_in_password").input("ตะโก-2569!")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "ภาพรวม"
    assert at.selectbox(key="filter_org").options == ["ทั้งหมด", "อบต.ตะโก (จ.นครราชสีมา)"]
    assert any("สมชาย ใจดี" in c.value for c in at.sidebar.caption)
    assert at.selectbox(key="filter_org").format_func(at.selectbox(key="filter_org").value) == "อบต.ตะโก (จ.นครราชสีมา)"
    assert at.selectbox(key="filter_year").options == ["ทุกปี", "2569"]  # others' years are out of scope
    assert at.caption[0].value.startswith("อบต.ตะโก ·")



def test_repeated_wrong_passwords_lock_the_username_and_are_in_history(signed_app):
    """Item 8: five wrong passwords for one username (known or not) pause it; the right password is
    then refused too, with a Thai message; every attempt is a history row."""
    from lib.auth import MAX_FAILURES
    from lib.ui import cache

    at = signed_app
    for username in ("somchai", "ghost"):
        at.text_input(key="sign_in_user").input(username)
        for _ in range(MAX_FAILURES):
            at.text_input(key="sign_in_password").input("ผิด")
            at.button[0].click().run()
            assert at.error[0].value == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    at.text_input(key="sign_in_user").input("somchai")
    at.text_input(key="sign_in_password").input("ตะโก-2569!")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "พักการเข้าสู่ระบบ" in at.error[0].value
    assert at.title[0].value == "เข้าสู่ระบบ"
    rows = cache._base_store().query_rows(
        "SELECT actor, action, count(*) FROM history WHERE table_name = 'sign_in' GROUP BY ALL ORDER BY ALL")
    assert rows == [("ghost", "sign_in_failed", MAX_FAILURES), ("somchai", "sign_in_failed", MAX_FAILURES),
                    ("somchai", "sign_in_locked", 1)]


# -- kept originals that hold several organizations' rows (issue 13, item 2) ------------------

def _edit_one_row(store, template_name, short_name, field, value):
    """The admin's all-organizations export with one row of `short_name` changed, as a user edits it."""
    import io

    from openpyxl import load_workbook

    from lib.ingest import templates
    from lib.queries import collect

    book = load_workbook(io.BytesIO(collect.export_workbook(store, template_name)))
    ws = book[templates.TEMPLATES[template_name].sheet]
    headers = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(headers, 1) if h.rstrip(" *") == field)
    full = store.query_rows("SELECT name FROM organization WHERE short_name = ?", [short_name])[0][0]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == full)
    ws.cell(row, col).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _measure_orgs(store):
    return sorted(r[0] for r in store.query_rows("SELECT DISTINCT o.short_name FROM measure m "
                                                 "JOIN organization o ON o.id = m.organization_id"))


def test_an_all_organizations_upload_is_shown_whole_only_to_who_sees_all(seeded):
    """Admin edits one row of an all-organizations export and uploads it: the kept file belongs to
    every organization it names; a user of one (or two) sees the document and only their own rows of
    it, a user of another sees nothing of it, a user of all of them and the admin see it whole."""
    admin = seeded.scoped(Access("a", "ผู้ดูแล", "admin", None))
    named = _measure_orgs(seeded)
    assert named == ["ทต.ปรุใหญ่", "อบต.บ้องตี้", "อบต.ปอ", "อบต.หนองแวง"]
    data = _edit_one_row(admin, "measures", "อบต.ปอ", "มาตรการ", "มาตรการที่แก้โดยผู้ดูแล")
    preview = store_records.preview_upload(admin, data, "ทุกหน่วยงาน.xlsx", "measures")
    assert len(preview.changed) == 1 and not preview.problems
    doc = store_records.commit_upload(admin, preview, "ผู้ดูแล").document_id
    assert sorted(seeded.document_organizations(doc)) == sorted(org(seeded, n) for n in named)
    titles = {n: [t for (t,) in seeded.query_rows(
        "SELECT m.title FROM measure m JOIN organization o ON o.id = m.organization_id WHERE o.short_name = ?",
        [n])] for n in named}

    def shown(user):
        listed = queries.documents(user)
        assert doc in listed["id"].tolist()
        return queries.document_content(user, doc)[1]

    # one organization: its rows only, none of the others' titles
    text = shown(as_role(seeded, "viewer", "อบต.ปอ"))
    assert "แสดงเฉพาะ" in text and f"{len(titles['อบต.ปอ'])} แถว" in text
    assert "มาตรการที่แก้โดยผู้ดูแล" in text
    for other in ("อบต.บ้องตี้", "อบต.หนองแวง", "ทต.ปรุใหญ่"):
        assert not [t for t in titles[other] if t[:40] in text], other
    # two organizations: both of theirs, still not the others'
    text = shown(as_role(seeded, "editor", "อบต.ปอ", "อบต.หนองแวง"))
    assert f"{len(titles['อบต.ปอ']) + len(titles['อบต.หนองแวง'])} แถว" in text
    assert all(t[:40] in text for t in titles["อบต.หนองแวง"])
    assert not [t for t in titles["อบต.บ้องตี้"] + titles["ทต.ปรุใหญ่"] if t[:40] in text]
    # an organization the file does not name: not listed, and asking for it by id is a Thai message
    tako = as_role(seeded, "editor", "อบต.ตะโก")
    assert doc not in queries.documents(tako)["id"].tolist()
    with pytest.raises(StoreError, match="ไม่มีสิทธิ์ดูเอกสารนี้"):
        queries.document_content(tako, doc)
    # every organization it names, and the admin: the original, whole
    whole = as_role(seeded, "viewer", *named)
    assert seeded.query_rows("SELECT content FROM source_document WHERE id = ?", [doc])[0][0] is not None
    for user in (whole, admin):
        with user.cursor() as cur:
            assert bytes(cur.execute("SELECT content FROM source_document WHERE id = ?", [doc]).fetchone()[0]) == data
        text = shown(user)  # the upload's rows, every organization's
        assert "แสดงเฉพาะ" not in text and f"{sum(len(t) for t in titles.values())} แถว" in text
        assert all(t[:40] in text for ts in titles.values() for t in ts)
    with as_role(seeded, "viewer", "อบต.ปอ").cursor() as cur:  # a direct query through the scope
        assert cur.execute("SELECT content FROM source_document WHERE id = ?", [doc]).fetchone() == (None,)


def test_records_of_an_upload_spanning_two_organizations_stay_with_each(seeded):
    """New plan items for two organizations in one file: each organization's list, detail and KPIs
    show its own, for a user of one, a user of both, and the admin."""
    from decimal import Decimal

    from lib.ingest import templates
    from lib.queries import pack as pack_queries

    both = as_role(seeded, "editor", "อบต.ตะโก", "อบต.ปอ")
    rows = [{"organization": n, "fiscal_year": 2569, "seq": seq, "title": f"โครงการใหม่ของ {n}",
             "item_type": "โครงการ", "dimension": 1, "budget": Decimal("1000"), "q1": True}
            for n, seq in (("อบต.ตะโก", 17), ("อบต.ปอ", 1))]
    data = templates.build_workbook("plan_items", store_records.template_lists(both), rows)
    preview = store_records.preview_upload(both, data, "สองหน่วยงาน.xlsx", "plan_items")
    assert len(preview.added) == 2 and not preview.problems
    doc = store_records.commit_upload(both, preview, "สมศรี").document_id
    assert seeded.query_rows("SELECT organization_id FROM source_document WHERE id = ?", [doc]) == [(None,)]
    admin = seeded.scoped(Access("a", "ผู้ดูแล", "admin", None))
    for name, expected in (("อบต.ตะโก", 17), ("อบต.ปอ", 1)):
        for user in (as_role(seeded, "viewer", name), both, admin):
            listed = queries.plan_items(user, org(seeded, name), 2569)
            assert len(listed) == expected, (name, user.access.organization_ids)
            assert f"โครงการใหม่ของ {name}" in listed["title"].tolist()
            new_id = int(listed[listed["title"] == f"โครงการใหม่ของ {name}"]["id"].iloc[0])
            assert queries.record_detail(user, "plan_item", new_id)["file_name"] == "สองหน่วยงาน.xlsx"
            kpis = dashboard_queries.kpis(user, (org(seeded, name), None, None), 2569, dt.date(2026, 6, 18))
            assert kpis["plan_items"] == len(listed)
        own = queries.document_content(as_role(seeded, "viewer", name), doc)[1]
        assert f"โครงการใหม่ของ {name}" in own and "แสดงเฉพาะ 1 แถว" in own
        # the meeting pack's sources name the upload under each organization it holds, once
        sources = pack_queries.documents(admin, (org(seeded, name), None, None), 2569)
        assert sources[sources["file_name"] == "สองหน่วยงาน.xlsx"]["organization"].tolist() == [name]
    national = pack_queries.documents(admin, (None, None, None), 2569)
    assert sorted(national[national["file_name"] == "สองหน่วยงาน.xlsx"]["organization"]) == ["อบต.ตะโก", "อบต.ปอ"]
    assert "แสดงเฉพาะ" not in queries.document_content(both, doc)[1]


def test_an_upload_spanning_two_years_is_listed_under_each(seeded):
    """New plan items of 2568 and 2569 in one file: the kept file has no single fiscal year, and the
    documents list and the meeting pack's sources show it under each year it holds, not under others."""
    from decimal import Decimal

    from lib.ingest import templates
    from lib.queries import pack as pack_queries

    tako = as_role(seeded, "editor", "อบต.ตะโก")
    rows = [{"organization": "อบต.ตะโก", "fiscal_year": year, "seq": 40, "title": f"โครงการข้ามปี {year}",
             "item_type": "โครงการ", "dimension": 2, "budget": Decimal("500"), "q2": True}
            for year in (2568, 2569)]
    data = templates.build_workbook("plan_items", store_records.template_lists(tako), rows)
    preview = store_records.preview_upload(tako, data, "สองปี.xlsx", "plan_items")
    assert len(preview.added) == 2 and not preview.problems
    doc = store_records.commit_upload(tako, preview, "สมศรี").document_id
    assert seeded.query_rows("SELECT fiscal_year FROM source_document WHERE id = ?", [doc]) == [(None,)]
    for user in (tako, seeded):
        for year in (2568, 2569):
            listed = queries.documents(user, org(seeded, "อบต.ตะโก"), year)
            assert listed[listed["id"] == doc]["years"].tolist() == ["2568, 2569"], year
            sources = pack_queries.documents(user, (org(seeded, "อบต.ตะโก"), None, None), year)
            assert sources["file_name"].tolist().count("สองปี.xlsx") == 1
        assert doc not in queries.documents(user, None, 2567)["id"].tolist()
        assert "สองปี.xlsx" not in pack_queries.documents(user, (None, None, None), 2567)["file_name"].tolist()
        assert doc in queries.documents(user)["id"].tolist()


def test_an_editor_importing_the_bytes_another_organization_imported_gets_a_thai_answer(seeded):
    """The same file filed under another organization (a document naming none, its organization picked
    by each office): the editor cannot see that document, and is told so in Thai instead of a crash."""
    import dataclasses

    editor = as_role(seeded, "editor", "อบต.ตะโก")
    path = SEEDS / "002_fc2515c3baf40b90.txt"
    tako = read_path(SEEDS / "003_6500999ea339ae9f.txt").organization
    doc = dataclasses.replace(read_path(path), organization=tako)
    with pytest.raises(StoreError, match="หน่วยงานอื่น"):
        editor.import_document(doc, path.read_bytes(), "txt", "สมชาย")
    assert seeded.query_rows("SELECT count(*) FROM source_document")[0][0] == 5
