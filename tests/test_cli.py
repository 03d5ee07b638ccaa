"""python -m lib.ingest: JSON of what the importers read, or an import into a database."""
import json
import subprocess
import sys

from tests.conftest import ROOT, SEEDS


def run(*args):
    return subprocess.run([sys.executable, "-m", "lib.ingest", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_json_prints_the_records_of_every_seed():
    files = sorted(SEEDS.glob("*.txt"))
    out = run(*files, "--json")
    assert out.returncode == 0, out.stderr
    docs = {d["file"][:3]: d for d in json.loads(out.stdout)["documents"]}
    assert list(docs) == ["000", "001", "002", "003", "004"]
    plan = docs["003"]
    assert plan["layout"] == "action_plan" and plan["fiscal_year"] == 2569
    assert plan["organization"] == "องค์การบริหารส่วนตำบลตะโก"
    assert len(plan["plan_items"]) == 16
    assert sum(p["budget"] for p in plan["plan_items"]) == 20000
    assert [p["quarters"] for p in plan["plan_items"]].count([1]) == 15
    assert list(plan["plan_items"][0])[:5] == ["seq", "title", "dimension", "budget", "quarters"]
    codes = [c for m in docs["001"]["measures"] for c in m["item_codes"]]
    assert codes == ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"]
    assert [len(docs[k]["measures"]) for k in ("000", "001", "002", "004")] == [7, 8, 14, 11]
    assert docs["002"]["measures"][0]["start"] == "2023-10-01"
    assert docs["002"]["measures"][0]["end"] == "2024-09-30"
    assert docs["004"]["measures"][0]["instrument"] == "IIT"
    assert any("นาดูน" in w for w in docs["000"]["warnings"])


def test_unreadable_file_exits_non_zero_with_thai_message(tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    out = run(bad, "--json")
    assert out.returncode != 0
    assert "ไบนารี" in out.stderr


def test_db_import_and_reimport_adds_nothing(tmp_path):
    db = tmp_path / "cli.duckdb"
    files = sorted(SEEDS.glob("*.txt"))
    first = run(*files, "--db", db)
    assert first.returncode == 0, first.stderr
    imported = json.loads(first.stdout)["imported"]
    assert all(r["created"] for r in imported)
    assert sum(r["plan_items"] for r in imported) == 16 and sum(r["measures"] for r in imported) == 40
    second = run(*files, "--db", db)
    assert not any(r["created"] for r in json.loads(second.stdout)["imported"])


def test_a_pending_version_is_chosen_from_the_command_line_and_undone(tmp_path):
    from lib.store import open_store
    from tests.test_versions import revised_plan, tako

    db = tmp_path / "cli.duckdb"
    assert run(*sorted(SEEDS.glob("*.txt")), "--db", db).returncode == 0
    revised = tmp_path / "ตะโก-ปรับปรุง.txt"
    revised.write_bytes(revised_plan())
    imported = run(revised, "--db", db, "--actor", "สมชาย")
    assert imported.returncode == 0, imported.stderr
    new_id = json.loads(imported.stdout)["imported"][0]["document_id"]
    assert f"--replace {new_id}" in imported.stderr  # the import says how to choose

    listed = json.loads(run("--versions", "--db", db).stdout)["versions"]
    assert [(v["document_id"], v["state"], v["fiscal_year"]) for v in listed] == [(new_id, "pending", 2569)]
    assert listed[0]["diff"]["summary"] == ("เพิ่ม 0 รายการ · ลบ 0 รายการ · เปลี่ยน 1 รายการ · เหมือนเดิม 15 รายการ"
                                           " · งบประมาณรวม 20,000.00 → 25,000.00 บาท")
    assert listed[0]["diff"]["changed"][0]["fields"] == [{"field": "budget", "label": "งบประมาณ", "old": 20000.0,
                                                          "new": 25000.0}]
    store = open_store(db)
    assert tako(store) == (16, 20000.0)  # pending: still the first plan
    store.close()

    chosen = run("--replace", new_id, "--db", db, "--actor", "สมชาย")
    assert chosen.returncode == 0, chosen.stderr
    out = json.loads(chosen.stdout)
    old_id = out["chosen"]["replaced"]
    assert "แทนที่ฉบับเดิมแล้ว" in out["chosen"]["message"] and f"--replace {old_id}" in out["chosen"]["message"]
    assert {v["document_id"]: v["state"] for v in out["versions"]} == {old_id: "replaced"}
    store = open_store(db)
    assert tako(store) == (16, 25000.0)
    assert store.query_rows("SELECT actor, action FROM history WHERE table_name = 'source_document' "
                            "AND record_id = ? ORDER BY id DESC LIMIT 1", [new_id])[0] == ("สมชาย", "version_replace")
    store.close()

    undone = run("--replace", old_id, "--db", db, "--actor", "สมชาย")  # the undo
    assert undone.returncode == 0, undone.stderr
    assert "ย้อนการแทนที่แล้ว" in json.loads(undone.stdout)["chosen"]["message"]
    store = open_store(db)
    assert tako(store) == (16, 20000.0)
    store.close()

    again = run("--keep", old_id, "--db", db)  # nothing waits any more: a Thai message, nothing changes
    assert again.returncode == 1 and "ไม่ได้รอการเลือกฉบับ" in again.stderr
    missing = run("--keep", 999, "--db", db)
    assert missing.returncode == 1 and "ไม่พบเอกสารหมายเลข 999" in missing.stderr


def test_keep_both_counts_both_plans(tmp_path):
    from lib.store import open_store
    from tests.test_versions import revised_plan, tako

    db = tmp_path / "cli.duckdb"
    assert run(next(SEEDS.glob("003_*.txt")), "--db", db).returncode == 0
    revised = tmp_path / "revised.txt"
    revised.write_bytes(revised_plan())
    new_id = json.loads(run(revised, "--db", db).stdout)["imported"][0]["document_id"]
    kept = run("--keep", new_id, "--db", db)
    assert kept.returncode == 0, kept.stderr
    assert "เก็บทั้งสองฉบับแล้ว" in json.loads(kept.stdout)["chosen"]["message"]
    store = open_store(db)
    assert tako(store) == (32, 45000.0)
    store.close()
