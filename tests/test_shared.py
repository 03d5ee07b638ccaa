"""The shared deployment: PostgreSQL as the system of record, each app process's DuckDB copy following it."""
import datetime as dt
import json
import subprocess
import sys
import threading
import time

import psycopg
import pytest

from lib.auth import Access
from lib.errors import AccessDenied
from lib.ingest import read_path
from lib.queries import dashboard, records
from lib.store import import_seeds, open_store
from lib.store.pg import connect
from lib.store.pg_schema import migrate
from lib.store.replica import product_schema
from lib.store.shared import open_shared
from tests import pg
from tests.conftest import ROOT, SEEDS

AS_OF = dt.date(2026, 6, 18)


@pytest.fixture
def seeded(shared_db):
    s = open_shared(pg.app_url(shared_db))
    import_seeds(s)
    yield s
    s.close()


def test_schema_in_postgres_is_the_products(shared_db):
    duck = product_schema()
    expected = {t: [c for (c,) in duck.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = current_database() "
        "ORDER BY column_index", [t]).fetchall()]
        for (t,) in duck.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                                 ).fetchall()}
    with connect(pg.owner_url(shared_db)) as con:
        found = {}
        for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                "WHERE table_schema = 'public' AND table_name IN (SELECT tablename FROM pg_tables "
                                "WHERE schemaname = 'public') ORDER BY table_name, ordinal_position").fetchall():
            found.setdefault(t, []).append(c)
        versions = [v for (v,) in con.execute("SELECT version FROM schema_migration ORDER BY version").fetchall()]
    assert found.pop("change_row") == ["seq", "table_name", "key", "changed_at"]
    assert found.pop("copy_position") == ["copy_id", "seq", "seen_at"]
    assert found.pop("change_horizon") == ["up_to"]
    assert found == expected
    assert versions == sorted(int(p.name.split("_")[0]) for p in (ROOT / "lib/store/migrations").glob("*.sql"))
    assert migrate(pg.owner_url(shared_db), "ita_app") == 0  # applied once


def test_same_figures_as_the_embedded_store(seeded, tmp_path):
    embedded = open_store(tmp_path / "e.duckdb")
    import_seeds(embedded)
    try:
        for s in (embedded, seeded):
            assert s.query_rows("SELECT count(*) FROM plan_item")[0][0] == 16
        orgs = records.organizations(embedded)
        assert records.organizations(seeded)[["name", "district", "province"]].equals(
            orgs[["name", "district", "province"]])
        for org_id in orgs["id"]:
            scope = (int(org_id), None, None)
            for year in records.fiscal_years(embedded, int(org_id)):
                assert dashboard.kpis(seeded, scope, year, AS_OF) == dashboard.kpis(embedded, scope, year, AS_OF)
                assert records.plan_items(seeded, int(org_id), year).drop(columns="id").equals(
                    records.plan_items(embedded, int(org_id), year).drop(columns="id"))
        assert seeded.query_rows("SELECT sum(budget), count(*) FROM plan_item") == [(20000, 16)] == \
            embedded.query_rows("SELECT sum(budget), count(*) FROM plan_item")
    finally:
        embedded.close()


WRITER = """
import json, sys, time
from lib.store.shared import open_shared
url, name, start, items = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
s = open_shared(url)
while time.time() < start:
    time.sleep(0.005)
ids = []
for i in range(200):
    kind, record_id = items[i % len(items)]
    ids.append(s.record_progress(kind, record_id, i % 4 + 1, "อยู่ระหว่างดำเนินการ", name, spent=float(i),
                                 note=f"{name}-{i}"))
s.follow()
print(json.dumps({"ids": ids, "seen": s.query_rows("SELECT count(*) FROM progress")[0][0]}))
"""


def test_two_processes_200_writes_each_nothing_lost(seeded, shared_db):
    items = seeded.query_rows("SELECT 'plan_item', id FROM plan_item UNION ALL SELECT 'measure', id FROM measure "
                              "ORDER BY 1, 2")
    # the seeds' own reports (from the results documents) are there before and stay as they were
    before = seeded.query_rows("SELECT id, reported_by, note, spent FROM progress ORDER BY id")
    reports_before = seeded.query_rows("SELECT record_id FROM history WHERE table_name = 'progress' "
                                       "AND action = 'report'")
    assert len(before) == 79
    start = time.time() + 4
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, pg.app_url(shared_db), name, str(start),
                               json.dumps(items)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in ("ก", "ข")]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)  # a bound, not a timing: slow on a busy machine
        assert p.returncode == 0, err
        results.append(json.loads(out))
    ids = results[0]["ids"] + results[1]["ids"]
    assert len(set(ids)) == 400
    seeded.follow()
    everything = seeded.query_rows("SELECT id, reported_by, note, spent FROM progress ORDER BY id")
    assert len(everything) == 79 + 400
    assert [r for r in everything if r[0] not in set(ids)] == before
    rows = [r[1:] for r in everything if r[0] in set(ids)]
    assert sorted(n for _, n, _ in rows) == sorted(f"{w}-{i}" for w in ("ก", "ข") for i in range(200))
    assert sorted(w for w, _, _ in rows) == ["ก"] * 200 + ["ข"] * 200
    assert sum(float(s) for _, _, s in rows) == 2 * sum(range(200))
    history = [h for h in seeded.query_rows("SELECT record_id, actor, new_value FROM history "
                                            "WHERE table_name = 'progress' AND action = 'report'")
               if (h[0],) not in reports_before]
    assert sorted(r for r, _, _ in history) == sorted(ids)
    assert {json.loads(v)["note"] for _, _, v in history} == {n for _, n, _ in rows}
    # each writer's own copy held the seeds' reports and every report it had written
    assert all(r["seen"] >= 79 + 200 for r in results)


def test_a_write_in_one_process_is_seen_by_the_other_on_its_next_read(seeded, shared_db):
    other = open_shared(pg.app_url(shared_db))
    try:
        tako = seeded.query_rows("SELECT id FROM organization WHERE short_name = 'อบต.ตะโก'")[0][0]
        item = seeded.query_rows("SELECT id FROM plan_item WHERE organization_id = ? AND seq = 3", [tako])[0][0]
        before = dashboard.kpis(other, (tako, None, None), 2569, AS_OF)
        reports = other.query_rows("SELECT count(*) FROM progress")[0][0]
        assert reports == 79  # the seeds' results documents' reports
        new_id = seeded.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "สมชาย", spent=1234.5,
                                        reported_at=dt.datetime(2026, 1, 5, 9, 0))
        assert dashboard.kpis(other, (tako, None, None), 2569, AS_OF) == before  # not yet followed
        assert other.query_rows("SELECT count(*) FROM progress")[0][0] == reports
        version = other.version
        assert other.follow() is True and other.version > version
        after = dashboard.kpis(other, (tako, None, None), 2569, AS_OF)
        assert after == dashboard.kpis(seeded, (tako, None, None), 2569, AS_OF) != before
        assert other.query_rows("SELECT count(*) FROM progress")[0][0] == reports + 1
        assert other.query_rows("SELECT record_kind, record_id, status, spent, reported_by FROM progress "
                                "WHERE id = ?", [new_id]) == [("plan_item", item, "ดำเนินการแล้วเสร็จ", 1234.5, "สมชาย")]
        assert other.follow() is False  # nothing new
    finally:
        other.close()


TAMBONS = ["ตะเคียน", "ตะขบ", "ตะแบก", "ตะกู", "ตะคร้อ", "ตะกาง"]


def test_no_read_sees_half_of_an_import(shared_db, tmp_path):
    writer = open_shared(pg.app_url(shared_db))
    reader = open_shared(pg.app_url(shared_db))
    seen, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            reader.follow()
            seen.append(reader.query_rows(
                "SELECT (SELECT count(*) FROM plan_item), (SELECT count(*) FROM history WHERE "
                "table_name = 'plan_item'), (SELECT count(*) FROM source_document)")[0])

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        plan = (SEEDS / "003_6500999ea339ae9f.txt").read_text(encoding="utf-8")
        # six plans of 16 items, each one transaction; six organizations, so six documents (not versions of one)
        for n, name in enumerate(TAMBONS):
            path = tmp_path / f"plan{n}.txt"
            path.write_text(plan.replace("ตะโก", name), encoding="utf-8")
            result = writer.import_document(read_path(path), path.read_bytes(), "txt", "ทดสอบ")
            assert result.created and (result.plan_items, result.organization) == (16, f"อบต.{name}")
    finally:
        time.sleep(0.3)
        stop.set()
        thread.join()
        writer.close()
    reader.follow()
    assert reader.query_rows("SELECT count(*) FROM plan_item")[0][0] == 96
    assert reader.query_rows("SELECT short_name FROM organization ORDER BY id") == [(f"อบต.{n}",) for n in TAMBONS]
    reader.close()
    assert len(seen) > 3
    assert {(items, docs) for items, _, docs in seen} <= {(16 * n, n) for n in range(7)}
    assert all(items == hist for items, hist, _ in seen)


def test_the_app_role_can_only_do_what_the_app_does(seeded, shared_db):
    with connect(pg.app_url(shared_db), autocommit=True) as con:
        assert con.execute("SELECT count(*) FROM plan_item").fetchone()[0] == 16
        refused = ["DELETE FROM history", "UPDATE history SET actor = 'x'", "UPDATE progress SET status = 'x'",
                   "DELETE FROM source_document", "UPDATE source_document SET content = 'x'",
                   "TRUNCATE plan_item", "DROP TABLE history", "CREATE TABLE x (a int)",
                   "ALTER TABLE plan_item ADD COLUMN x int", "INSERT INTO change_row (table_name, key) "
                   "VALUES ('x', '{}')", "DELETE FROM change_row", "DELETE FROM schema_migration",
                   "ALTER TABLE plan_item DISABLE TRIGGER ita_change", "CREATE ROLE x", "CREATE DATABASE x"]
        for sql in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(sql)
        assert con.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
                           "WHERE rolname = current_user").fetchone() == (False, False, False, False)


def test_signed_in_users_reads_are_their_organizations_only(seeded):
    tako, bongti = (seeded.query_rows("SELECT id FROM organization WHERE short_name = ?", [n])[0][0]
                    for n in ("อบต.ตะโก", "อบต.บ้องตี้"))
    editor = seeded.scoped(Access("u", "ผู้ทดสอบ", "editor", frozenset({tako})))
    # a direct query naming the other organization sees none of its rows, in any table
    assert editor.query_rows("SELECT count(*) FROM measure WHERE organization_id = ?", [bongti]) == [(0,)]
    assert editor.query_rows("SELECT count(*), sum(budget) FROM plan_item") == [(16, 20000)]
    assert editor.query_rows("SELECT DISTINCT short_name FROM organization") == [("อบต.ตะโก",)]
    assert editor.query_rows("SELECT count(*) FROM history WHERE table_name = 'measure'") == [(0,)]
    # the seeds' reports are all of other organizations' measures: the editor sees none of them
    assert seeded.query_rows("SELECT count(*) FROM progress") == [(79,)]
    assert seeded.query_rows("SELECT count(*) FROM progress p JOIN measure m ON p.record_kind = 'measure' "
                             "AND m.id = p.record_id AND m.organization_id = ?", [bongti]) == [(12,)]
    assert editor.query_rows("SELECT count(*) FROM progress") == [(0,)]
    other = seeded.scoped(Access("v", "ผู้ทดสอบ", "viewer", frozenset({bongti})))
    assert other.query_rows("SELECT count(*) FROM progress") == [(12,)]
    measure = seeded.query_rows("SELECT id FROM measure WHERE organization_id = ?", [bongti])[0][0]
    with pytest.raises(AccessDenied):
        editor.record_progress("measure", measure, 1, "ดำเนินการแล้วเสร็จ", "ผู้ทดสอบ")
    assert seeded.query_rows("SELECT count(*) FROM progress") == [(79,)]
    # a report on its own organization's item is written and then seen, alone, through the scope
    item = seeded.query_rows("SELECT min(id) FROM plan_item WHERE organization_id = ?", [tako])[0][0]
    new_id = editor.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "ผู้ทดสอบ")
    assert editor.query_rows("SELECT id, record_id FROM progress") == [(new_id, item)]
    assert seeded.query_rows("SELECT count(*) FROM progress") == [(80,)]


def run_cli(*args, **env):
    import os

    return subprocess.run([sys.executable, "-m", "lib.store.shared_cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=300)


def test_backup_by_pg_dump_restores_into_a_new_database_verified(seeded, shared_db, tmp_path):
    item = seeded.query_rows("SELECT min(id) FROM plan_item")[0][0]
    reports = seeded.query_rows("SELECT count(*) FROM progress")[0][0]
    assert reports == 79
    new_id = seeded.record_progress("plan_item", item, 2, "ดำเนินการแล้วเสร็จ", "สมชาย", spent=500.0)
    env = {"ITA_DATABASE_URL": pg.app_url(shared_db), "ITA_DATABASE_OWNER_URL": pg.owner_url(shared_db)}
    made = run_cli("backup", "--out", tmp_path / "b.zip", **env)
    assert made.returncode == 0, made.stderr
    import zipfile

    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert sorted(zf.namelist()) == ["database.dump", "manifest.json"]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["tables"]["plan_item"]["rows"] == 16 and manifest["tables"]["progress"]["rows"] == reports + 1
    target = f"{shared_db}_r"
    try:
        done = run_cli("restore", "--from", tmp_path / "b.zip", "--database", target, **env)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["tables"] == manifest["tables"]
        restored = open_shared(pg.app_url(target))  # the app role reads and writes the restored copy
        try:
            assert restored.query_rows("SELECT status, spent FROM progress WHERE id = ?", [new_id]) == \
                [("ดำเนินการแล้วเสร็จ", 500)]
            assert restored.query_rows("SELECT count(*), sum(budget) FROM plan_item") == [(16, 20000)]
            assert restored.query_rows("SELECT * FROM progress ORDER BY id") == \
                seeded.query_rows("SELECT * FROM progress ORDER BY id")
            later = restored.record_progress("plan_item", item, 3, "อยู่ระหว่างดำเนินการ", "สมหญิง")
            assert later > new_id
            assert restored.query_rows("SELECT count(*) FROM progress") == [(reports + 2,)]
        finally:
            restored.close()
        again = run_cli("restore", "--from", tmp_path / "b.zip", "--database", target, **env)
        assert again.returncode == 1 and "มีฐานข้อมูล" in again.stderr
    finally:
        pg.drop_database(target)
    # a backup whose rows differ from its manifest is refused and leaves no database behind
    with zipfile.ZipFile(tmp_path / "b.zip") as zf, zipfile.ZipFile(tmp_path / "t.zip", "w") as out:
        out.writestr("database.dump", zf.read("database.dump"))
        manifest["tables"]["plan_item"]["rows"] = 15
        out.writestr("manifest.json", json.dumps(manifest))
    bad = run_cli("restore", "--from", tmp_path / "t.zip", "--database", target, **env)
    assert bad.returncode == 1 and "plan_item" in bad.stderr
    with connect(pg.owner_url(shared_db)) as con:
        assert con.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target]).fetchone() == (0,)
    assert run_cli("restore", "--from", tmp_path / "b.zip", "--database", "Bad-Name;", **env).returncode == 1


def test_backup_page_in_the_shared_deployment(shared_db, monkeypatch):
    import io
    import zipfile

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ITA_DATABASE_URL", pg.app_url(shared_db))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        at.switch_page(str(ROOT / "pages" / "backup.py")).run()
        assert not at.exception
        assert "pg_dump" in at.caption[0].value
        assert not [b for b in at.button if b.key == "restore"]  # restoring is the operator's step
        assert "shared_cli restore" in at.code[0].value
        next(b for b in at.button if b.key == "make_backup").click().run()
        assert not at.exception
        with zipfile.ZipFile(io.BytesIO(at.session_state["backup_bytes"])) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        assert manifest["tables"]["plan_item"]["rows"] == 16
        assert manifest["tables"]["measure"]["rows"] == 40
        assert manifest["tables"]["source_document"]["rows"] == 5
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_an_embedded_database_copied_into_an_empty_shared_one(shared_db, tmp_path):
    embedded = open_store(tmp_path / "e.duckdb")
    import_seeds(embedded)
    item = embedded.query_rows("SELECT min(id) FROM plan_item")[0][0]
    copied = embedded.record_progress("plan_item", item, 1, "ไม่สามารถดำเนินการได้", "สมชาย",
                                      reason='งบ "ไม่พอ", ล่าช้า\\n', note="")
    assert embedded.query_rows("SELECT count(*) FROM progress") == [(80,)]
    embedded.close()
    reader = open_shared(pg.app_url(shared_db))  # an app process already running on the empty database
    env = {"ITA_DATABASE_URL": pg.app_url(shared_db), "ITA_DATABASE_OWNER_URL": pg.owner_url(shared_db)}
    done = run_cli("load", "--from", tmp_path / "e.duckdb", **env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tables"]["plan_item"] == 16
    embedded = open_store(tmp_path / "e.duckdb")
    try:
        assert reader.follow() is True  # the '*' change: the copy reloads whole
        for table in ("organization", "source_document", "plan_item", "measure", "measure_item_link", "progress",
                      "history", "document_issue", "ita_item", "color"):
            sql = f"SELECT * FROM {table} ORDER BY ALL"
            assert reader.query_rows(sql) == embedded.query_rows(sql), table
        assert reader.query_rows("SELECT count(*) FROM progress") == [(80,)]
        assert reader.query_rows("SELECT reason, note FROM progress WHERE id = ?", [copied]) == \
            [('งบ "ไม่พอ", ล่าช้า\\n', None)]
        # ids go on after the copied ones
        new_id = reader.record_progress("plan_item", item, 2, "อยู่ระหว่างดำเนินการ", "สมหญิง")
        assert new_id > embedded.query_rows("SELECT max(id) FROM progress")[0][0]
        busy = run_cli("load", "--from", tmp_path / "e.duckdb", **env)  # the file is open here
        assert busy.returncode == 1 and "เปิดฐานข้อมูล" in busy.stderr
    finally:
        embedded.close()
        reader.close()
    again = run_cli("load", "--from", tmp_path / "e.duckdb", **env)
    assert again.returncode == 1 and "มีข้อมูลแล้ว" in again.stderr


def test_a_table_without_a_primary_key_is_followed_by_its_plain_columns(shared_db):
    with connect(pg.owner_url(shared_db), autocommit=True) as con:
        con.execute("CREATE TABLE keyless (organization_id INTEGER NOT NULL, label VARCHAR NOT NULL, "
                    "total DECIMAL(18, 2), parts INTEGER[])")
    migrate(pg.owner_url(shared_db), "ita_app")
    with connect(pg.owner_url(shared_db), autocommit=True) as con:
        con.execute("INSERT INTO keyless VALUES (7, 'x', 1.5, '{1}')")
        con.execute("UPDATE keyless SET total = 2 WHERE organization_id = 7")
        keys = [k for (k,) in con.execute("SELECT key FROM change_row WHERE table_name = 'keyless' ORDER BY seq")]
    assert [json.loads(k) for k in keys] == [{"organization_id": 7, "label": "x"}] * 2


def test_change_row_is_pruned_up_to_what_every_live_copy_has_applied(seeded, shared_db):
    ahead, behind = seeded, open_shared(pg.app_url(shared_db))
    try:
        item = ahead.query_rows("SELECT min(id) FROM plan_item")[0][0]
        first = ahead.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมชาย", note="หนึ่ง")
        assert behind.follow() is True
        ahead.record_progress("plan_item", item, 2, "ดำเนินการแล้วเสร็จ", "สมชาย", note="สอง")

        def state():
            with connect(pg.owner_url(shared_db)) as con:
                return (con.execute("SELECT min(seq), max(seq), count(*) FROM change_row").fetchone(),
                        con.execute("SELECT up_to FROM change_horizon").fetchone()[0],
                        dict(con.execute("SELECT copy_id, seq FROM copy_position").fetchall()))

        (low, high, rows), horizon, positions = state()
        assert sorted(positions.values()) == sorted([behind.version, ahead.version]) and behind.version < high
        # both copies are live: only what the one behind has applied goes
        assert ahead._replica.prune() > 0
        (low2, high2, rows2), horizon2, _ = state()
        assert horizon2 == behind.version and low2 == behind.version + 1 and high2 == high and 0 < rows2 < rows
        assert behind.follow() is True  # it still follows change by change
        assert behind.query_rows("SELECT note FROM progress WHERE id > ? ORDER BY id", [first - 1]) == \
            [("หนึ่ง",), ("สอง",)]
        # the copy behind falls silent past the stale interval; the next writes' changes are pruned without it
        ahead.record_progress("plan_item", item, 3, "ไม่สามารถดำเนินการได้", "สมหญิง", reason="งบไม่พอ", note="สาม")
        with connect(pg.owner_url(shared_db), autocommit=True) as con:
            con.execute("UPDATE copy_position SET seen_at = now() - interval '7 hours' WHERE seq = %s",
                        [behind.version])
        assert ahead._replica.prune() > 0
        (_, _, rows3), horizon3, positions3 = state()
        assert horizon3 == ahead.version > behind.version and rows3 == 0 and list(positions3.values()) == [ahead.version]
        # it reloads whole and reads exactly what the other copy reads; then follows changes again
        assert behind.follow() is True and behind.version == ahead.version
        for table in ("progress", "history", "progress_latest", "quarter_summary", "record_summary"):
            sql = f"SELECT * FROM {table} ORDER BY ALL"
            assert behind.query_rows(sql) == ahead.query_rows(sql), table
        assert dashboard.kpis(behind, (None, None, None), 2569, AS_OF) == dashboard.kpis(ahead, (None, None, None),
                                                                                          2569, AS_OF)
        fourth = ahead.record_progress("plan_item", item, 4, "ดำเนินการแล้วเสร็จ", "สมหญิง", note="สี่")
        assert behind.follow() is True
        assert behind.query_rows("SELECT note FROM progress WHERE id = ?", [fourth]) == [("สี่",)]
    finally:
        behind.close()
