"""The record store: imports in one transaction, nothing twice, bad input changes nothing."""
import json
import re

import pytest

from lib.ingest import IngestError, read_document, read_path
from lib.queries import records as queries
from lib.store import StoreError, import_seeds, open_store
from tests.conftest import ROOT, SEEDS

TABLES = ("organization", "source_document", "document_issue", "plan_item", "measure",
          "measure_item_link", "progress", "history")


def snapshot(store):
    return {t: store.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def test_seeds_import_all_records(store):
    results = import_seeds(store)
    assert [(r.plan_items, r.measures) for r in results] == [(0, 7), (0, 8), (0, 14), (16, 0), (0, 11)]
    counts = snapshot(store)
    assert counts["source_document"] == 5 and counts["organization"] == 5
    assert counts["plan_item"] == 16 and counts["measure"] == 40
    assert counts["measure_item_link"] == 8
    # one history row per document, per new organization and per record
    imports = store.query_rows("SELECT count(*) FROM history WHERE action IN ('import', 'create') "
                               "AND table_name <> 'progress'")[0][0]
    assert imports == 5 + 5 + 16 + 40
    # and one per progress report the results documents state (tests/test_results.py): 000 17, 001 12, 002 28, 004 22
    assert store.query_rows("SELECT count(*) FROM history WHERE action = 'import' AND table_name = 'progress'")[0][0] \
        == counts["progress"] == 17 + 12 + 28 + 22


def test_first_start_import_is_what_it_was(store):
    """The seed import written a statement per table (lib/store/db.py) holds what it held when it was
    a statement per row: the figures, the content identities, the history in its order, the summaries."""
    import_seeds(store)
    rows = store.query_rows
    assert [key[:12] for (key,) in rows("SELECT content_key FROM source_document ORDER BY id")] == [
        "06b815d53890", "0b9d18f89ff2", "8fe9232951f2", "aad121f2fa0f", "0e596c74db13"]
    assert [(d, n, float(b)) for d, n, b in rows(
        "SELECT dimension, count(*), sum(budget) FROM plan_item GROUP BY dimension ORDER BY dimension")] \
        == [(1, 4, 0.0), (2, 6, 20000.0), (3, 4, 0.0), (4, 2, 0.0)]
    assert rows("SELECT count(*), count(DISTINCT status) FROM progress") == [(79, 1)]
    assert rows("SELECT count(*) FROM document_issue") == [(19,)]
    assert rows("SELECT count(*) FROM document_dimension") == [(4,)]
    # per document, in id order: its organization's creation, the document, its records, its reports
    order = rows("SELECT document_id, table_name, record_id, new_value FROM history "
                 "WHERE action IN ('import', 'create') ORDER BY id")
    runs: list[list] = []
    for doc_id, table, _, _ in order:
        if not runs or runs[-1][:2] != [doc_id, table]:
            runs.append([doc_id, table, 0])
        runs[-1][2] += 1
    assert runs == [
        [None, "organization", 1], [1, "source_document", 1], [1, "measure", 7], [1, "progress", 17],
        [None, "organization", 1], [2, "source_document", 1], [2, "measure", 8], [2, "progress", 12],
        [None, "organization", 1], [3, "source_document", 1], [3, "measure", 14], [3, "progress", 28],
        [None, "organization", 1], [4, "source_document", 1], [4, "plan_item", 16],
        [None, "organization", 1], [5, "source_document", 1], [5, "measure", 11], [5, "progress", 22]]
    # a record's history row is the row as written; a report's names its own progress row
    for _, table, record_id, value in order:
        value = json.loads(value) if isinstance(value, str) else value
        if table in ("plan_item", "measure"):
            assert value["id"] == record_id
            assert value["title"] == rows(f"SELECT title FROM {table} WHERE id = ?", [record_id])[0][0]
        elif table == "progress":
            assert (value["record_id"], value["quarter"]) == tuple(
                rows("SELECT record_id, quarter FROM progress WHERE id = ?", [record_id])[0])
    assert rows("SELECT group_key, sum(records), sum(budget) FROM record_summary WHERE group_kind = 'dimension' "
                "GROUP BY group_key ORDER BY group_key") == [
        ("1", 4, 0), ("2", 6, 20000), ("3", 4, 0), ("4", 2, 0)]
    assert rows("SELECT sum(done), sum(reported), sum(planned) FROM quarter_summary WHERE group_kind = 'total'") \
        == [(79, 79, 146)]
    if not store.shared:  # the check recomputes in DuckDB (test_summaries checks the shared copy's upkeep)
        from lib.store import summaries

        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}


def test_source_document_keeps_original_bytes(store):
    import_seeds(store)
    path = SEEDS / "003_6500999ea339ae9f.txt"
    doc_id = store.query_rows("SELECT id FROM source_document WHERE file_name = ?", [path.name])[0][0]
    name, text = queries.document_content(store, doc_id)
    assert text == path.read_text(encoding="utf-8")


def test_same_file_twice_adds_nothing(store):
    import_seeds(store)
    before = snapshot(store)
    again = import_seeds(store)
    assert not any(r.created for r in again)
    assert snapshot(store) == before


def test_plan_totals_in_db(store):
    import_seeds(store)
    org = store.query_rows("SELECT id FROM organization WHERE short_name = 'อบต.ตะโก'")[0][0]
    df = queries.plan_items(store, org, 2569)
    assert len(df) == 16
    assert df["budget"].sum() == 20000.0
    assert df.groupby("dimension")["budget"].sum().to_dict() == {1: 0, 2: 20000.0, 3: 0, 4: 0}
    assert sum(1 in q for q in df["quarters"]) == 15
    assert queries.fiscal_years(store, org) == [2569]


def test_item_links_keyed_by_framework_year_and_code(store):
    import_seeds(store)
    rows = store.query_rows("SELECT framework_year, code, origin, status FROM measure_item_link ORDER BY code")
    assert sorted(c for _, c, _, _ in rows) == sorted(["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"])
    assert {(y, o, s) for y, _, o, s in rows} == {(2565, "document", "as_read")}


def test_failed_import_rolls_back_everything(store, monkeypatch):
    import_seeds(store)
    before = snapshot(store)
    doc = read_path(SEEDS / "002_fc2515c3baf40b90.txt")
    doc.measures[5].title = None  # violates NOT NULL half-way through the inserts
    doc.fiscal_year = 2568  # another year: not a version of the imported 002, so its records are written
    with pytest.raises(StoreError) as err:
        store.import_document(doc, b"changed bytes so the hash is new", "txt", "test")
    assert "ไม่มีข้อมูลใดเปลี่ยน" in str(err.value)
    assert snapshot(store) == before


@pytest.mark.parametrize("data, expected", [
    (b"", "ว่างเปล่า"),
    (b"   \n\n", "ว่างเปล่า"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ไบนารี"),
    ("ข้อความภาษาไทย".encode("cp874"), "UTF-8"),
    ("บันทึกข้อความทั่วไป\nไม่มีตาราง\tเลย".encode(), "ไม่รู้จักรูปแบบ"),
])
def test_bad_files_are_refused_in_thai(data, expected):
    with pytest.raises(IngestError) as err:
        read_document(data, "bad.txt")
    assert expected in str(err.value)


def test_document_without_organization_asks_and_writes_nothing(store):
    text = (SEEDS / "002_fc2515c3baf40b90.txt").read_text(encoding="utf-8")
    anonymous = re.sub(r"(องค์การบริหารส่วนตำบล|อบต\.)\s*ปอ", "หน่วยงาน", text).replace("www.por.go.th", "")
    doc = read_document(anonymous.encode(), "anon.txt")
    assert doc.organization is None
    assert any(i.subject == "organization" for i in doc.issues)
    with pytest.raises(StoreError) as err:
        store.import_document(doc, anonymous.encode())
    assert "หน่วยงาน" in str(err.value)
    assert snapshot(store)["source_document"] == 0


def test_answering_the_location_question(store):
    import_seeds(store)
    org = store.query_rows("SELECT id, district, province, location_confirmed FROM organization "
                           "WHERE short_name = 'อบต.หนองแวง'")[0]
    assert org[1:] == (None, None, False)
    issue_id, options = store.query_rows(
        "SELECT id, options FROM document_issue WHERE subject = 'organization.location'")[0]
    with pytest.raises(StoreError):
        store.answer_question(issue_id, "อ.ไม่มี จ.ไม่มี", "สมชาย")
    store.answer_question(issue_id, options[0], "สมชาย")
    assert store.query_rows("SELECT district, province, location_confirmed FROM organization WHERE id = ?",
                            [org[0]])[0] == ("เทพารักษ์", "นครราชสีมา", True)
    old, new = store.query_rows("SELECT old_value, new_value FROM history WHERE table_name = 'organization' "
                                "AND action = 'update' AND record_id = ?", [org[0]])[0]
    assert json.loads(old)["province"] is None and json.loads(new)["province"] == "นครราชสีมา"
    # what stays open are the status questions of the results documents (tests/test_results.py): 000 1, 001 5, 002 7
    assert queries.record_totals(store)["open_questions"] == 13


def test_schema_migrates_once(tmp_path):
    path = tmp_path / "m.duckdb"
    s = open_store(path)
    version = s.schema_version()
    s.close()
    s = open_store(path)
    files = sorted((ROOT / "lib" / "store" / "migrations").glob("*.sql"))
    assert s.schema_version() == version == int(files[-1].name.split("_")[0])
    assert s.query_rows("SELECT count(*) FROM schema_migration")[0][0] == len(files)
    s.close()


def test_a_duplicate_migration_number_stops_the_start(tmp_path, monkeypatch):
    """Two files with one number: the store skips a number it has applied, so one would be lost
    without a word; the start refuses instead, naming both files (the shipped folder has no clash)."""
    import shutil

    import lib.store.db as db
    from lib.store.db import migration_files

    shipped = migration_files()
    assert len({v for v, _ in shipped}) == len(list(db.MIGRATIONS.glob("*.sql")))
    folder = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, folder)
    path = tmp_path / "m.duckdb"
    monkeypatch.setattr(db, "MIGRATIONS", folder)
    open_store(path).close()  # applied once, as a running office's database is
    (folder / "0010_second_change.sql").write_text("CREATE TABLE lost_change (x INTEGER);", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert "ซ้ำ" in str(err.value) and "0010_second_change.sql" in str(err.value)
    assert "0010_summaries.sql" in str(err.value)
    (folder / "0010_second_change.sql").unlink()
    (folder / "notanumber.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(StoreError, match="notanumber.sql"):
        open_store(tmp_path / "n.duckdb")


def test_progress_is_appended_and_validated(store):
    import_seeds(store)
    item = store.query_rows("SELECT id FROM plan_item WHERE seq = 7")[0][0]
    with pytest.raises(StoreError) as err:
        store.record_progress("plan_item", item, 5, "เสร็จ", "", spent=-1, evidence_url="javascript:alert(1)")
    message = str(err.value)
    for part in ("ไตรมาส", "สถานะ", "ไม่ติดลบ", "http", "ชื่อผู้รายงาน"):
        assert part in message
    with pytest.raises(StoreError):
        store.record_progress("plan_item", item, 1, "ไม่สามารถดำเนินการได้", "สมชาย")  # no reason
    assert snapshot(store)["progress"] == 79  # only the results documents' own reports
    store.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมชาย", spent=5000)
    store.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "สมชาย", spent=19500,
                          evidence_url="https://example.go.th/report.pdf")
    rows = store.query_rows("SELECT status, spent, fiscal_year FROM progress WHERE NOT from_document ORDER BY id")
    assert [(s, float(x), y) for s, x, y in rows] == [("อยู่ระหว่างดำเนินการ", 5000.0, 2569),
                                                        ("ดำเนินการแล้วเสร็จ", 19500.0, 2569)]
    assert store.query_rows("SELECT count(*) FROM history WHERE table_name = 'progress' AND action = 'report'")[0][0] == 2


def test_a_documents_reports_are_written_together_each_with_its_history(store):
    """The results documents' reports go in as one statement: every report's history row names its own
    progress row and holds its values; rows that repeat a (record, quarter) still each get theirs."""
    import_seeds(store)
    pairs = store.query_rows("SELECT p.id, p.record_id, p.quarter, p.status, p.note, h.new_value FROM progress p "
                             "JOIN history h ON h.table_name = 'progress' AND h.record_id = p.id "
                             "AND h.action = 'import'")
    assert len(pairs) == 79
    for _, record_id, quarter, status, note, new_value in pairs:
        logged = json.loads(new_value)
        assert (logged["record_id"], logged["quarter"], logged["status"], logged["note"]) == \
            (record_id, quarter, status, note)
    measure, fy = store.query_rows("SELECT id, fiscal_year FROM measure ORDER BY id LIMIT 1")[0]
    rows = [{"record_kind": "measure", "record_id": measure, "fiscal_year": fy, "quarter": 3, "status": status,
             "reported_at": dt, "reported_by": "ทดสอบ"}
            for status, dt in (("อยู่ระหว่างดำเนินการ", "2026-01-01 10:00:00"),
                               ("ดำเนินการแล้วเสร็จ", "2026-01-02 10:00:00"))]
    with store.transaction() as cur:
        ids = store.insert_progress_many(cur, rows, action="import", actor="ทดสอบ", document_id=None)
    assert len(set(ids)) == 2
    logged = store.query_rows("SELECT p.status, h.new_value FROM progress p JOIN history h "
                              "ON h.table_name = 'progress' AND h.record_id = p.id WHERE p.id IN (?, ?) ORDER BY p.id",
                              list(ids))
    assert [(s, json.loads(v)["status"]) for s, v in logged] == [("อยู่ระหว่างดำเนินการ",) * 2,
                                                                   ("ดำเนินการแล้วเสร็จ",) * 2]


def test_plain_shows_markdown_as_written():
    from lib.ui.format import plain

    hostile = "![x](https://evil.example/p.png) [คลิก](javascript:alert(1)) :red[แดง] $x^2$"
    escaped = plain(hostile)
    assert "![" not in escaped and "](" not in escaped and ":red[" not in escaped
    assert escaped.replace("\\", "") == hostile


def test_a_scanned_version_is_shown_and_chosen_without_running_ocr_again(store, monkeypatch):
    # a revised ตะโก plan whose pages were scanned: its reading stands for what OCR read at import
    # (the real OCR reading is in tests/test_ocr.py); the store keeps it, so neither the version's
    # differences nor writing its records when the user chooses it runs OCR on the bytes again
    from lib.ingest import ocr
    from lib.queries import collect

    import_seeds(store)
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    text = text.replace("\t2\t20,000.00\t", "\t2\t25,000.00\t").replace("20,000.00\t15\t1", "25,000.00\t15\t1")
    doc = read_document(text.encode(), "ตะโก-สแกน.txt")
    doc.file_name, doc.scanned = "ตะโก-สแกน.pdf", True
    scan = (ROOT / "tests" / "pdfs" / "003_scan.pdf").read_bytes()
    result = store.import_document(doc, scan, "pdf", "สมชาย")
    assert result.created and result.version_of is not None

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran again")

    monkeypatch.setattr(ocr, "ocr_page", no_ocr)
    diff = collect.version_diff(store, result.document_id)
    assert [(c.title[:25], c.fields) for c in diff.changed] == [("โครงการประเมินความพึงพอใจ", [("budget", 20000.0, 25000.0)])]
    assert (diff.added, diff.removed, diff.unchanged) == ([], [], 15)
    store.resolve_version(result.document_id, "replace", "หัวหน้าสำนักปลัด")
    assert store.query_rows("SELECT count(*), sum(budget)::DOUBLE FROM plan_item WHERE document_id = ?",
                            [result.document_id])[0] == (16, 25000.0)
    # a document read without OCR keeps no reading: it is read again from its bytes
    assert store.query_rows("SELECT count(*) FROM document_reading")[0][0] == 1


def test_an_answer_applies_its_value_and_says_so(store):
    """002's measure 7 ('จัดทำมาตรการเผยแพร่ ข้อมูลต่อ สาธารณะ') has a result the reader cannot tell a
    status from: the answer files its four quarters' reports (history 'answer'), and the answer says so
    where the documents page shows it; an answer that only confirms a reading says nothing changed."""
    import_seeds(store)
    issue_id, record_id = store.query_rows(
        "SELECT i.id, m.id FROM document_issue i JOIN source_document d ON d.id = i.document_id "
        "JOIN measure m ON m.document_id = d.id AND m.seq = 7 "
        "WHERE d.file_name LIKE '002%' AND i.subject = 'progress:measure:7:1,2,3,4'")[0]
    assert store.query_rows("SELECT count(*) FROM progress WHERE record_kind = 'measure' AND record_id = ?",
                            [record_id])[0][0] == 0
    applied = store.answer_question(issue_id, "ดำเนินการแล้วเสร็จ", "สมชาย")
    assert applied.startswith("บันทึกรายงานผลของมาตรการที่ 7 ไตรมาส 1, 2, 3, 4 เป็น 'ดำเนินการแล้วเสร็จ' แล้ว")
    assert store.query_rows(
        "SELECT p.quarter, p.status, p.reported_by, h.action FROM progress p JOIN history h "
        "ON h.table_name = 'progress' AND h.record_id = p.id WHERE p.record_kind = 'measure' AND p.record_id = ? "
        "ORDER BY p.quarter", [record_id]) == [(q, "ดำเนินการแล้วเสร็จ", "สมชาย", "answer") for q in (1, 2, 3, 4)]
    doc_id = store.query_rows("SELECT document_id FROM document_issue WHERE id = ?", [issue_id])[0][0]
    issues = queries.document_issues(store, (doc_id,)).set_index("id")
    assert issues.loc[issue_id, "applied"] == applied
    assert issues["applied"].drop(issue_id).isna().all()  # nothing else answered

    skip_id = store.query_rows("SELECT id FROM document_issue WHERE subject = 'progress:measure:8:1,2,3,4'")[0][0]
    kept = store.answer_question(skip_id, "ไม่บันทึกรายงานจากเอกสารนี้", "สมชาย")
    assert "ข้อมูลในทะเบียนไม่เปลี่ยน" in kept
    assert store.query_rows("SELECT count(*) FROM progress WHERE reported_by = 'สมชาย'")[0][0] == 4

    location_id, options = store.query_rows(
        "SELECT id, options FROM document_issue WHERE subject = 'organization.location'")[0]
    assert store.answer_question(location_id, options[1], "สมชาย").startswith(
        "ตั้งที่ตั้งของหน่วยงานเป็น อ.นาดูน จ.ขอนแก่น แล้ว")
