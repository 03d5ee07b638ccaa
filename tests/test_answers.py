"""A user changes an answer given by mistake, or withdraws a status answer: the earlier answer's effect
is reversed in the same transaction, history keeps every answer and report, the summaries stay right."""
import datetime as dt
import json

import pytest

import lib.store.summaries as summaries
from lib import thai
from lib.queries import collect
from lib.queries import records as queries
from lib.store import StoreError, import_seeds
from lib.ui import cache
from tests.test_pages_dashboard import open_page, table

DONE, UNDER_WAY, SKIP = "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ", "ไม่บันทึกรายงานจากเอกสารนี้"
EXACT = {t: 0 for t in summaries.TABLES}


def _question(store, file_prefix: str, subject: str) -> tuple[int, int, int]:
    """The question's id, the record it asks about and the record's organization."""
    return store.query_rows(
        "SELECT i.id, m.id, m.organization_id FROM document_issue i JOIN source_document d ON d.id = i.document_id "
        "JOIN measure m ON m.document_id = d.id AND m.seq = CAST(split_part(i.subject, ':', 3) AS INTEGER) "
        "WHERE d.file_name LIKE ? AND i.subject = ?", [f"{file_prefix}%", subject])[0]


def _quarters(store, org: int, year: int) -> dict[str, list[int]]:
    """The summary's counts per quarter 1-4 of one organization and year (all its records)."""
    rows = store.query_rows("SELECT quarter, reported, done, in_progress FROM quarter_summary WHERE organization_id = ? "
                            "AND fiscal_year = ? AND group_kind = 'total' ORDER BY quarter", [org, year])
    return {name: [int(r[n]) for r in rows] for n, name in ((1, "reported"), (2, "done"), (3, "in_progress"))}


def _current(store, record_id: int) -> dict[int, str | None]:
    return dict(store.query_rows("SELECT quarter, status FROM progress_latest WHERE record_kind = 'measure' "
                                 "AND record_id = ? AND until_at IS NULL", [record_id]))


def test_a_status_answer_changed_twice_supersedes_then_withdraws_its_reports(store):
    """002's measure 7 (Q1-Q4 of 2567, its words a bare verb): answered done by mistake, changed to in
    progress (the new reports supersede the old), then to 'no report from this document' (the reports
    withdrawn: the quarters count as not reported, as before any answer). Nothing is deleted."""
    import_seeds(store)
    issue, record, org = _question(store, "002", "progress:measure:7:1,2,3,4")
    before = _quarters(store, org, 2567)
    assert before == {"reported": [7] * 4, "done": [7] * 4, "in_progress": [0] * 4}  # 7 of 14 read done

    store.answer_question(issue, DONE, "สมชาย")
    assert _quarters(store, org, 2567)["done"] == [8] * 4
    changed = store.answer_question(issue, UNDER_WAY, "สมหญิง")
    assert changed == (f"เปลี่ยนคำตอบจาก '{DONE}' เป็น '{UNDER_WAY}': บันทึกรายงานผลของมาตรการที่ 7 ไตรมาส 1, 2, 3, 4 "
                       f"เป็น '{UNDER_WAY}' แล้ว แทนรายงานตามคำตอบเดิม (เป็นรายงานใหม่ในประวัติ แก้ได้ที่หน้ารายงานความก้าวหน้า)")
    assert _current(store, record) == {q: UNDER_WAY for q in (1, 2, 3, 4)}
    assert _quarters(store, org, 2567) == {"reported": [8] * 4, "done": [7] * 4, "in_progress": [1] * 4}
    assert summaries.check(store) == EXACT

    withdrawn = store.answer_question(issue, SKIP, "สมหญิง")
    assert withdrawn == (f"เปลี่ยนคำตอบจาก '{UNDER_WAY}' เป็น '{SKIP}': รายงานผลของมาตรการที่ 7 ไตรมาส 1, 2, 3, 4 "
                         "ที่คำตอบเดิมบันทึกไว้ไม่นับในหน้าต่าง ๆ แล้ว (รายงานทั้งหมดยังอยู่ในประวัติ)")
    # the mistaken 'done' does not come back: the quarters are as before the question was answered
    assert _current(store, record) == {q: None for q in (1, 2, 3, 4)}
    assert _quarters(store, org, 2567) == before
    assert summaries.check(store) == EXACT
    # append-only: 4 done, 4 in progress, 4 withdrawals, each with its history row
    assert sorted(store.query_rows(
        "SELECT h.action, coalesce(p.status, '-'), count(*) FROM progress p JOIN history h ON h.table_name = 'progress' "
        "AND h.record_id = p.id WHERE p.record_kind = 'measure' AND p.record_id = ? GROUP BY 1, 2",
        [record])) == sorted([("answer", UNDER_WAY, 4), ("answer", DONE, 4), ("withdraw", "-", 4)])
    answers = store.query_rows("SELECT actor, old_value, new_value FROM history WHERE table_name = 'document_issue' "
                               "AND record_id = ? ORDER BY id", [issue])
    assert [(a, json.loads(o)["answer"], json.loads(n)["answer"]) for a, o, n in answers] == [
        ("สมชาย", None, DONE), ("สมหญิง", DONE, UNDER_WAY), ("สมหญิง", UNDER_WAY, SKIP)]
    assert store.query_rows("SELECT answer, answered_by FROM document_issue WHERE id = ?", [issue]) == [(SKIP, "สมหญิง")]
    # the same answer again changes nothing and says so
    count = store.query_rows("SELECT count(*) FROM history")[0][0]
    with pytest.raises(StoreError, match="เป็นคำตอบที่ให้ไว้แล้ว"):
        store.answer_question(issue, SKIP, "สมหญิง")
    assert store.query_rows("SELECT count(*) FROM history")[0][0] == count


def test_a_changed_answer_leaves_a_quarter_someone_reported_on_after_it(store):
    """002's measure 9: answered done, then someone reported Q2 blocked on the progress page; the answer
    changed to in progress files Q1, Q3, Q4 and leaves Q2's later report, saying so."""
    import_seeds(store)
    issue, record, org = _question(store, "002", "progress:measure:9:1,2,3,4")
    store.answer_question(issue, DONE, "สมชาย")
    store.record_progress("measure", record, 2, "ไม่สามารถดำเนินการได้", "ผอ.กอง", reason="บุคลากรไม่เพียงพอ")
    said = store.answer_question(issue, UNDER_WAY, "สมหญิง")
    assert said == (f"เปลี่ยนคำตอบจาก '{DONE}' เป็น '{UNDER_WAY}': บันทึกรายงานผลของมาตรการที่ 9 ไตรมาส 1, 3, 4 "
                    f"เป็น '{UNDER_WAY}' แล้ว แทนรายงานตามคำตอบเดิม (เป็นรายงานใหม่ในประวัติ แก้ได้ที่หน้ารายงานความก้าวหน้า) "
                    "ส่วนไตรมาส 2 คงรายงานที่บันทึกภายหลังคำตอบเดิมไว้ (แก้ได้ที่หน้ารายงานความก้าวหน้า)")
    assert _current(store, record) == {1: UNDER_WAY, 2: "ไม่สามารถดำเนินการได้", 3: UNDER_WAY, 4: UNDER_WAY}
    assert _quarters(store, org, 2567)["in_progress"] == [1, 0, 1, 1]
    assert summaries.check(store) == EXACT


def test_withdrawing_a_status_answer_brings_back_what_counted_before_it(store):
    """000's measure 1 (Q1-Q3 of 2568): a user had reported Q1 blocked before answering done; after the
    answer someone reported Q3 in progress. Withdrawing the answer: Q1 counts its earlier report again
    (filed again, as the progress page's undo does), Q2 counts as not reported, Q3 keeps the later report;
    the question waits for an answer again."""
    import_seeds(store)
    issue, record, org = _question(store, "000", "progress:measure:1:1,2,3")
    open_before = queries.record_totals(store)["open_questions"]
    assert open_before == 14
    before = _quarters(store, org, 2568)
    earlier = store.record_progress("measure", record, 1, "ไม่สามารถดำเนินการได้", "ปลัด",
                                    reason="ไม่ได้รับงบประมาณ", reported_at=dt.datetime(2025, 1, 10, 9))
    store.answer_question(issue, DONE, "สมชาย")
    store.record_progress("measure", record, 3, UNDER_WAY, "ผอ.กอง")
    assert queries.record_totals(store)["open_questions"] == open_before - 1
    assert _current(store, record) == {1: DONE, 2: DONE, 3: UNDER_WAY}

    with pytest.raises(StoreError, match="ชื่อผู้ถอน"):
        store.withdraw_answer(issue, " ")
    said = store.withdraw_answer(issue, "สมหญิง")
    assert said == (f"ถอนคำตอบ '{DONE}' แล้ว: รายงานผลของมาตรการที่ 1 ไตรมาส 1, 2 ที่คำตอบเดิมบันทึกไว้ไม่นับในหน้าต่าง ๆ แล้ว "
                    "ไตรมาส 1 กลับไปนับรายงานที่มีก่อนคำตอบ (รายงานทั้งหมดยังอยู่ในประวัติ) ส่วนไตรมาส 3 "
                    "คงรายงานที่บันทึกภายหลังคำตอบเดิมไว้ (แก้ได้ที่หน้ารายงานความก้าวหน้า) คำถามนี้กลับไปรอคำตอบ")
    assert _current(store, record) == {1: "ไม่สามารถดำเนินการได้", 2: None, 3: UNDER_WAY}
    restored = store.query_rows("SELECT p.reason, h.new_value FROM progress p JOIN history h ON h.table_name = 'progress' "
                                "AND h.record_id = p.id AND h.action = 'restore' WHERE p.record_id = ?", [record])
    assert len(restored) == 1 and restored[0][0] == "ไม่ได้รับงบประมาณ"
    assert json.loads(restored[0][1])["_restored_from"] == earlier
    # Q1 blocked (reported, not done), Q2 not reported, Q3 in progress: against before, Q1 and Q3 reported
    after = _quarters(store, org, 2568)
    assert after["reported"] == [before["reported"][0] + 1, before["reported"][1], before["reported"][2] + 1, before["reported"][3]]
    assert after["done"][:3] == before["done"][:3] and after["in_progress"][2] == before["in_progress"][2] + 1
    assert summaries.check(store) == EXACT
    assert store.query_rows("SELECT answer, answered_at, answered_by FROM document_issue WHERE id = ?",
                            [issue]) == [(None, None, None)]
    assert queries.record_totals(store)["open_questions"] == open_before
    assert store.query_rows("SELECT action, new_value FROM history WHERE table_name = 'document_issue' AND record_id = ? "
                            "ORDER BY id", [issue])[-1] == ("withdraw_answer", json.dumps({"answer": None}))
    # answered again after the withdrawal, it files its reports as a first answer does
    store.answer_question(issue, UNDER_WAY, "สมหญิง")
    assert _current(store, record) == {1: UNDER_WAY, 2: UNDER_WAY, 3: UNDER_WAY}
    assert summaries.check(store) == EXACT
    with pytest.raises(StoreError, match="ยังไม่มีคำตอบ"):
        store.withdraw_answer(_question(store, "002", "progress:measure:8:1,2,3,4")[0], "สมหญิง")


def test_changing_the_location_answer_sets_the_location_anew(store):
    import_seeds(store)
    org = store.query_rows("SELECT id FROM organization WHERE short_name = 'อบต.หนองแวง'")[0][0]
    issue, options = store.query_rows("SELECT id, options FROM document_issue WHERE subject = 'organization.location'")[0]
    store.answer_question(issue, options[0], "สมชาย")
    said = store.answer_question(issue, options[1], "สมหญิง")
    assert said == "เปลี่ยนที่ตั้งของหน่วยงานจาก อ.เทพารักษ์ จ.นครราชสีมา เป็น อ.นาดูน จ.ขอนแก่น แล้ว (บันทึกในประวัติ)"
    assert store.query_rows("SELECT district, province, location_confirmed FROM organization WHERE id = ?",
                            [org]) == [("นาดูน", "ขอนแก่น", True)]
    moves = store.query_rows("SELECT old_value, new_value FROM history WHERE table_name = 'organization' "
                             "AND action = 'update' AND record_id = ? ORDER BY id", [org])
    assert [(json.loads(o)["province"], json.loads(n)["province"]) for o, n in moves] == [
        (None, "นครราชสีมา"), ("นครราชสีมา", "ขอนแก่น")]
    assert summaries.check(store) == EXACT  # the organization's province moves its area totals
    with pytest.raises(StoreError, match="ถอนได้เฉพาะคำตอบที่บันทึกสถานะ"):
        store.withdraw_answer(issue, "สมหญิง")


def test_the_documents_page_changes_and_withdraws_an_answer(app):
    """Through the page: 000's measure 1 answered done (the progress page counts 17 + 3 done), changed
    to in progress, then withdrawn; the page says what each did, the figures follow, the progress
    report page lists the withdrawal."""
    store = cache.store()
    issue, record, _ = _question(store, "000", "progress:measure:1:1,2,3")
    today = thai.today()  # the answers' reports are dated now: the pages count them as of today
    done = lambda: table(open_page(app, "progress", short_name="อบต.หนองแวง", year=2568, as_of=today),  # noqa: E731
                         ("ปีงบประมาณ", "ไตรมาส", "สิ้นสุดไตรมาส"))["แล้วเสร็จ"].sum()
    assert done() == 17
    open_page(app, "documents", short_name="อบต.หนองแวง", year=2568,
              **{f"answer_{issue}": DONE, f"actor_{issue}": "สมชาย"})
    assert not any(b.key == f"change_{issue}" for b in app.button)  # not answered yet: nothing to change
    app.button(key=f"confirm_{issue}").click().run()
    assert not app.exception, app.exception
    assert done() == 20

    open_page(app, "documents", short_name="อบต.หนองแวง", year=2568,
              **{f"reanswer_{issue}": UNDER_WAY, f"reactor_{issue}": "สมหญิง"})
    assert [r.options for r in app.radio if r.key == f"reanswer_{issue}"] == [[UNDER_WAY, "ยังไม่เริ่ม", SKIP]]
    app.button(key=f"change_{issue}").click().run()
    assert not app.exception, app.exception
    shown = [s.value.replace("\\", "") for s in app.success]
    assert shown == [f"เปลี่ยนคำตอบจาก '{DONE}' เป็น '{UNDER_WAY}': บันทึกรายงานผลของมาตรการที่ 1 ไตรมาส 1, 2, 3 "
                     f"เป็น '{UNDER_WAY}' แล้ว แทนรายงานตามคำตอบเดิม (เป็นรายงานใหม่ในประวัติ แก้ได้ที่หน้ารายงานความก้าวหน้า)"]
    assert done() == 17

    open_page(app, "documents", short_name="อบต.หนองแวง", year=2568, **{f"reactor_{issue}": "สมหญิง"})
    app.button(key=f"withdraw_{issue}").click().run()
    assert not app.exception, app.exception
    assert [s.value.replace("\\", "") for s in app.success] == [
        f"ถอนคำตอบ '{UNDER_WAY}' แล้ว: รายงานผลของมาตรการที่ 1 ไตรมาส 1, 2, 3 ที่คำตอบเดิมบันทึกไว้ไม่นับในหน้าต่าง ๆ แล้ว "
        "(รายงานทั้งหมดยังอยู่ในประวัติ) คำถามนี้กลับไปรอคำตอบ"]
    assert any(r.key == f"answer_{issue}" for r in app.radio)  # open again, among the questions to decide
    assert store.query_rows("SELECT count(*) FROM progress WHERE record_id = ? AND record_kind = 'measure' "
                            "AND status IS NOT NULL AND reported_by <> 'สมชาย' AND reported_by <> 'สมหญิง'",
                            [record])[0][0] == 0  # the measure had no report before the answer
    assert done() == 17
    history = collect.progress_history(store, "measure", record)
    assert history[history["current"]]["status"].isna().all() and len(history) == 9
    open_page(app, "progress_report", short_name="อบต.หนองแวง", year=2568, pr_kind="measure", pr_record=record)
    shown = table(app, ("id", "quarter", "status", "source"))
    assert shown["status"].tolist()[-3:] == [collect.WITHDRAWN] * 3


def test_a_withdrawn_quarter_is_no_report_wherever_the_latest_report_is_read(store):
    """001's measure 2 (Q1-Q4 of 2566, ITA item i8 of 2565): a user reported Q1 done, the question was
    answered in progress, then the answer withdrawn: Q1 counts done again, Q2-Q4 carry a report without a status. The register's
    state, the gap page's latest report and the weak points read the latest quarter with a status (Q1,
    done), not the withdrawal; the pack does not count withdrawals as reports."""
    from lib.queries import dashboard, ita, pack

    import_seeds(store)
    issue, record, org = _question(store, "001", "progress:measure:2:1,2,3,4")
    today = dt.date.today()
    store.record_progress("measure", record, 1, DONE, "ปลัด", reported_at=dt.datetime(2025, 1, 10, 9))
    reports = pack.last_progress_report(store, (org, None, None), 2566, today)["reports"]
    store.answer_question(issue, UNDER_WAY, "สมชาย")
    store.withdraw_answer(issue, "สมหญิง")
    assert _current(store, record) == {1: DONE, 2: None, 3: None, 4: None}

    rows = dashboard.register(store, (org, None, None), 2566, today, "measure")
    assert rows.loc[rows["record_id"] == record, "state"].tolist() == [DONE]
    links = ita.coverage_links(store, org, 2565, today)
    mine = links[links["measure_id"] == record]
    assert list(mine["code"]) == ["i8"]
    assert set(mine["progress_status"]) == {DONE} and set(mine["progress_quarter"]) == {1}
    codes = tuple(mine["code"])
    under_way = store.query_rows(
        "SELECT code, under_way, done FROM weak_point_summary WHERE organization_id = ? AND fiscal_year = 2566 "
        f"AND code IN ({', '.join('?' * len(codes))})", [org, *codes])
    assert under_way and all(u for _, u, _ in under_way)
    assert summaries.check(store) == EXACT
    # the pack counts every report made: the answer's 4 and Q1's earlier report filed again, not the
    # 3 withdrawals
    assert pack.last_progress_report(store, (org, None, None), 2566, today)["reports"] == reports + 5


def test_only_an_editor_of_the_organization_changes_or_withdraws_an_answer(store):
    from lib.auth import Access
    from lib.errors import AccessDenied

    import_seeds(store)
    issue, record, org = _question(store, "002", "progress:measure:7:1,2,3,4")
    store.answer_question(issue, DONE, "สมชาย")
    other = store.query_rows("SELECT id FROM organization WHERE short_name = 'อบต.ตะโก'")[0][0]
    viewer = store.scoped(Access("v", "นายก", "viewer", frozenset({org})))
    outsider = store.scoped(Access("e", "คนนอก", "editor", frozenset({other})))
    history = store.query_rows("SELECT count(*) FROM history")[0][0]
    for user in (viewer, outsider):
        with pytest.raises(AccessDenied):
            user.answer_question(issue, UNDER_WAY, "x")
        with pytest.raises(AccessDenied):
            user.withdraw_answer(issue, "x")
    assert store.query_rows("SELECT count(*) FROM history")[0][0] == history
    assert _current(store, record) == {q: DONE for q in (1, 2, 3, 4)}
    editor = store.scoped(Access("e", "สมหญิง", "editor", frozenset({org})))
    assert editor.withdraw_answer(issue, "สมหญิง").startswith(f"ถอนคำตอบ '{DONE}' แล้ว")
    assert _current(store, record) == {q: None for q in (1, 2, 3, 4)}
