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
