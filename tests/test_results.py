"""Results documents become progress reports: the quarters each covers and the status read from its words."""
import json
import subprocess
import sys

import pytest

from lib.ingest import read_path
from lib.ingest.results import parse_progress_subject, read_status
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED
from tests.conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def docs():
    return {path.name[:3]: read_path(path) for path in sorted(SEEDS.glob("*.txt"))}


def statuses(doc):
    return {m.seq: {r.status for r in m.reports} for m in doc.measures}


def unclear(doc):
    return sorted(parse_progress_subject(i.subject)[1] for i in doc.issues if i.code == "progress.unclear")


def test_004_six_month_round_reports_q1_and_q2_done(docs):
    doc = docs["004"]
    assert doc.report_round == 6 and doc.fiscal_year == 2566
    assert len(doc.measures) == 11
    assert all([r.quarter for r in m.reports] == [1, 2] for m in doc.measures)
    # every result says the work was carried out: "...เรียบร้อยแล้ว", "...ได้รับทราบแล้ว",
    # "ได้จัดทำรายงาน", "ได้จัดประชุม ... เมื่อวันที่ ๒๙ มีนาคม ๒๕๖๖"
    assert all(s == {STATUS_DONE} for s in statuses(doc).values())
    assert unclear(doc) == []
    assert doc.measures[6].reports[0].text == doc.measures[6].result  # the document's words are the note


def test_000_annual_results_report_each_measure_s_planned_quarters(docs):
    doc = docs["000"]
    assert doc.fiscal_year == 2568 and doc.report_round is None
    assert len(doc.measures) == 7 and all(m.reports for m in doc.measures)
    assert [tuple(r.quarter for r in m.reports) for m in doc.measures] == [
        (1, 2, 3), (1,), (1, 2, 3, 4), (2, 3), (2, 3), (1, 2, 3, 4), (1, 2, 3, 4)]
    # 2-7 say "มีการประเมิน/ชี้แจง/ประชุม/จัดทำ..." or "ได้ถ่ายทอด/ได้แนะนำ": done. Measure 1 lists bare
    # verbs ("จัดประชุมชี้แจง... มอบหมายให้...") that read the same in a plan: a question, no status.
    assert statuses(doc) == {1: {None}, **{seq: {STATUS_DONE} for seq in range(2, 8)}}
    assert unclear(doc) == [1]


def test_002_results_for_the_whole_fiscal_year(docs):
    doc = docs["002"]
    assert doc.fiscal_year == 2567
    assert len(doc.measures) == 14
    assert all([r.quarter for r in m.reports] == [1, 2, 3, 4] for m in doc.measures)
    done = {seq for seq, s in statuses(doc).items() if s == {STATUS_DONE}}
    # done: "หน่วยงานมีการประชุม/มอบหมาย", "มีการวางแผน", "หน่วยงานมีคู่มือ/ระบบ/ช่องทาง/กล้อง"
    assert done == {1, 2, 3, 4, 5, 6, 12}
    # questions: "จัดให้มีช่องทาง" (arrange to have), "รายงานความก้าวหน้ารอบ ๖ เดือน / ณ สิ้นปีงบประมาณ",
    # "แสดงสรุปผล...", "บุคลากร...ให้ปฏิบัติหน้าที่", "ปฏิบัติหน้าที่...ได้อย่างมีประสิทธิภาพ",
    # "ปฏิบัติตามมาตรการ No Gift Policy", "มอบหมายเจ้าหน้าที่..."
    assert unclear(doc) == [7, 8, 9, 10, 11, 13, 14]
    assert all(statuses(doc)[seq] == {None} for seq in unclear(doc))


def test_plan_without_results_has_no_reports(docs):
    assert not any(i.code == "progress.unclear" for i in docs["003"].issues)
    assert docs["003"].measures == []


@pytest.mark.parametrize(("text", "status", "reason"), [
    ("ดำเนินการจัดอบรมแล้วเสร็จ", STATUS_DONE, None),
    ("กองคลังได้จัดทำแผนการใช้จ่ายงบประมาณ", STATUS_DONE, None),
    ("อยู่ระหว่างการจัดทำคู่มือ", STATUS_IN_PROGRESS, None),
    ("ดำเนินการแล้ว แต่ยังไม่แล้วเสร็จ", STATUS_IN_PROGRESS, None),  # started, not finished
    ("จัดทำคู่มือเรียบร้อยแล้ว ส่วนการอบรมยังไม่ได้ดำเนินการ", None, None),  # two kinds of words: asked
    ("ยังไม่แล้วเสร็จ", STATUS_IN_PROGRESS, None),
    ("ยังไม่ได้ดำเนินการ", STATUS_NOT_STARTED, None),
    ("ไม่สามารถดำเนินการได้ เนื่องจากไม่ได้รับงบประมาณ", STATUS_BLOCKED, "ไม่ได้รับงบประมาณ"),
    ("ไม่สามารถดำเนินการได้", None, None),  # blocked needs a reason: asked
    ("จัดประชุมชี้แจงบุคลากร", None, None),  # a bare verb: plan or result?
    ("จัดให้มีช่องทางร้องเรียน", None, None),
    ("", None, None),
])
def test_status_is_read_from_the_words_only(text, status, reason):
    reading = read_status(text)
    assert (reading.status, reading.reason) == (status, reason)
    assert reading.why


def test_cli_json_gives_each_record_its_reports():
    path = next(SEEDS.glob("004_*.txt"))
    out = subprocess.run([sys.executable, "-m", "lib.ingest", str(path), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    measures = json.loads(out.stdout)["documents"][0]["measures"]
    assert len(measures) == 11
    first = measures[0]["reports"]
    assert [(r["quarter"], r["status"]) for r in first] == [(1, "done"), (2, "done")]
    assert first[0]["status_label"] == STATUS_DONE and "ประชาสัมพันธ์" in first[0]["text"]


def test_the_reports_are_in_the_store_and_its_summaries(store):
    from lib.store import import_seeds
    from lib.store.summaries import check as check_summaries

    import_seeds(store)
    rows = store.query_rows(
        "SELECT left(d.file_name, 3), p.fiscal_year, count(DISTINCT p.record_id), count(*), "
        " bool_and(p.from_document), bool_and(p.status = 'ดำเนินการแล้วเสร็จ') "
        "FROM progress p JOIN source_document d ON d.id = p.document_id GROUP BY ALL ORDER BY 1")
    assert rows == [("000", 2568, 6, 17, True, True), ("001", 2566, 3, 12, True, True),
                    ("002", 2567, 7, 28, True, True), ("004", 2566, 11, 22, True, True)]
    assert set(check_summaries(store).values()) == {0}
