"""Backup and restore: a whole-database export that restores to identical records."""
import json
import subprocess
import sys
import zipfile

import pytest

from lib.store import StoreError, import_seeds, open_store
from lib.store.backup import backup_zip, export_backup, restore_backup, table_fingerprints
from tests.conftest import ROOT


@pytest.fixture
def seeded(store):
    import_seeds(store)
    item = store.query_rows("SELECT id FROM plan_item WHERE seq = 7")[0][0]
    store.record_progress("plan_item", item, 1, "ดำเนินการแล้วเสร็จ", "สมชาย", spent=19500)
    return store


def test_round_trip_gives_identical_records(seeded, tmp_path):
    manifest = export_backup(seeded, tmp_path / "bk")
    assert manifest["tables"]["plan_item"]["rows"] == 16
    assert manifest["tables"]["measure"]["rows"] == 40
    assert manifest["tables"]["progress"]["rows"] == 1 + 79  # and the results documents' own reports
    assert {p.suffix for p in (tmp_path / "bk").iterdir()} == {".parquet", ".sql", ".json"}
    restore_backup(tmp_path / "bk", tmp_path / "restored.duckdb")
    restored = open_store(tmp_path / "restored.duckdb")
    with seeded.cursor() as a, restored.cursor() as b:
        assert table_fingerprints(a) == table_fingerprints(b)
    # the restored store keeps working: ids continue after the restored ones
    item = restored.query_rows("SELECT id FROM plan_item WHERE seq = 1")[0][0]
    new_id = restored.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมหญิง")
    assert new_id == 1 + 79 + 1
    original = seeded.query_rows("SELECT content FROM source_document ORDER BY id")
    assert restored.query_rows("SELECT content FROM source_document ORDER BY id") == original
    restored.close()


def test_zip_restore_refuses_existing_target_and_tampered_backup(seeded, tmp_path):
    data = backup_zip(seeded)
    existing = tmp_path / "existing.duckdb"
    existing.write_bytes(b"")
    with pytest.raises(StoreError, match="อยู่แล้ว"):
        restore_backup(data, existing)
    # tamper: claim another row count in the manifest
    tampered = tmp_path / "tampered.zip"
    (tmp_path / "orig.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "orig.zip") as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["tables"]["plan_item"]["rows"] = 15
                content = json.dumps(manifest).encode()
            dst.writestr(info.filename, content)
    target = tmp_path / "t.duckdb"
    with pytest.raises(StoreError, match="plan_item"):
        restore_backup(tampered, target)
    assert not target.exists()
    with pytest.raises(StoreError, match="zip"):
        restore_backup(b"not a zip", tmp_path / "u.duckdb")


def test_command_line_export_and_restore(seeded, tmp_path):
    seeded.close()
    db = seeded.path
    out = tmp_path / "b.zip"
    run = lambda *a: subprocess.run([sys.executable, "-m", "lib.store.backup", *map(str, a)], cwd=ROOT,  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    first = run("export", "--db", db, "--out", out)
    assert first.returncode == 0, first.stderr
    second = run("restore", "--from", out, "--db", tmp_path / "r.duckdb")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["tables"]["measure"]["rows"] == 40
    third = run("restore", "--from", out, "--db", tmp_path / "r.duckdb")
    assert third.returncode == 1 and "อยู่แล้ว" in third.stderr


def test_restore_in_place_keeps_the_previous_file(tmp_path):
    from lib.store.backup import restore_in_place

    path = tmp_path / "live.duckdb"
    live = open_store(path)
    import_seeds(live)
    data = backup_zip(live)
    item = live.query_rows("SELECT id FROM plan_item WHERE seq = 1")[0][0]
    live.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมชาย")  # made after the backup
    kept = restore_in_place(live, data)
    assert kept.exists() and "before-restore" in kept.name
    reopened = open_store(path)
    assert reopened.query_rows("SELECT count(*) FROM progress WHERE NOT from_document")[0][0] == 0
    assert reopened.query_rows("SELECT count(*) FROM plan_item")[0][0] == 16
    reopened.close()
    previous = open_store(kept)
    assert previous.query_rows("SELECT count(*) FROM progress WHERE NOT from_document")[0][0] == 1
    previous.close()


def _rezip(data: bytes, change) -> bytes:
    import io

    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    change(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_restore_runs_nothing_from_the_backup_file(seeded, tmp_path):
    """Item 6: SQL added to schema.sql or load.sql is never executed (here it would write a file and
    add a table); the schema comes from the product's migrations, the rows from the Parquet files."""
    leak = tmp_path / "leaked.csv"
    evil = (f"\nCOPY (SELECT name FROM organization) TO '{leak}';\nCREATE TABLE planted AS SELECT 1 AS x;\n"
            "CREATE OR REPLACE MACRO current_database() AS 'x';\n").encode()

    def plant(files):
        files["schema.sql"] += evil
        files["load.sql"] = evil + files["load.sql"]

    restored = tmp_path / "restored.duckdb"
    manifest = restore_backup(_rezip(backup_zip(seeded), plant), restored)
    assert not leak.exists()
    store = open_store(restored)
    try:
        names = {r[0] for r in store.query_rows("SELECT table_name FROM duckdb_tables()")}
        assert "planted" not in names and set(manifest["tables"]) == names
        before = seeded.query_rows("SELECT count(*), sum(spent) FROM progress")
        assert store.query_rows("SELECT count(*), sum(spent) FROM progress") == before
        # ids continue after the restored ones
        item = store.query_rows("SELECT id FROM plan_item WHERE seq = 1")[0][0]
        store.record_progress("plan_item", item, 2, "อยู่ระหว่างดำเนินการ", "สมชาย")
        assert store.query_rows("SELECT count(DISTINCT id) FROM progress") == [(before[0][0] + 1,)]
    finally:
        store.close()


def test_restore_refuses_tables_the_schema_does_not_have(seeded, tmp_path):
    def extra_table(files):
        manifest = json.loads(files["manifest.json"])
        manifest["tables"]["planted"] = {"rows": 0, "checksum": "0"}
        files["manifest.json"] = json.dumps(manifest).encode()
        files["planted.parquet"] = files["organization.parquet"]

    with pytest.raises(StoreError, match="ตารางไม่ตรง"):
        restore_backup(_rezip(backup_zip(seeded), extra_table), tmp_path / "r.duckdb")
    assert not (tmp_path / "r.duckdb").exists()


def test_a_crash_during_restore_in_place_leaves_a_database_at_the_live_path(tmp_path, monkeypatch):
    """Item 7: whichever step the process dies at, the live path opens with the old or the new data."""
    import os
    import shutil

    from lib.store import backup

    path = tmp_path / "live.duckdb"
    live = open_store(path)
    import_seeds(live)
    data = backup_zip(live)
    item = live.query_rows("SELECT id FROM plan_item WHERE seq = 1")[0][0]
    live.record_progress("plan_item", item, 1, "อยู่ระหว่างดำเนินการ", "สมชาย")
    old = live.query_rows("SELECT count(*) FROM progress")

    class Crash(BaseException):
        pass

    def crash(*args, **kwargs):
        raise Crash

    # the last file operation of the swap dies (whatever the implementation moves files with)
    monkeypatch.setattr(os, "replace", crash)
    monkeypatch.setattr(shutil, "move", crash)
    with pytest.raises(Crash):
        backup.restore_in_place(live, data)
    monkeypatch.undo()
    assert path.exists()
    reopened = open_store(path)
    assert reopened.query_rows("SELECT count(*) FROM progress") == old  # the old database, whole
    reopened.close()
