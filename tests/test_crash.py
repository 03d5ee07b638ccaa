"""Crash safety: SIGKILL the importer at many points of a large import; the database opens,
passes its checks, and holds all or none of that import."""
import os
import shutil
import signal
import subprocess
import sys

import pytest

from lib.store import import_seeds, open_store
from tests.conftest import ROOT

N_ITEMS = 1500


def big_plan_text() -> str:
    lines = ["แผนปฏิบัติการป้องกันการทุจริต", "ปีงบประมาณ พ.ศ. ๒๕๖๙",
             "องค์การบริหารส่วนตำบลทดสอบ อำเภอทดสอบ จังหวัดทดสอบ", "",
             "ลำดับ\tรายการโครงการ (ตั้งต้น)\tมิติ\tงบประมาณ (บาท)\tดำเนินการไตรมาส\t\t\t\tหมายเหตุ",
             "\t\t\t\t1\t2\t3\t4\t"]
    lines += [f"{i}\tโครงการทดสอบที่ {i}\t{i % 4 + 1}\t1,000.00\t☑\t\t\t\t" for i in range(1, N_ITEMS + 1)]
    lines.append(f"รวมทั้งสิ้น\t\t\t{N_ITEMS * 1000:,.2f}\t{N_ITEMS}\t0\t0\t0\t")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "seeded.duckdb"
    store = open_store(path)
    import_seeds(store)
    store.close()
    return path


def check_database(path):
    """Open, checkpoint, scan every table and the links between them; return the big import's state."""
    store = open_store(path)
    try:
        with store.cursor() as cur:
            cur.execute("CHECKPOINT")
            tables = [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
            for table in tables:
                cur.execute(f'SELECT count(*) FROM "{table}"').fetchall()
            orphans = cur.execute(
                "SELECT count(*) FROM plan_item p LEFT JOIN source_document d ON d.id = p.document_id "
                "WHERE d.id IS NULL").fetchone()[0]
            assert orphans == 0
            assert cur.execute("SELECT count(*) FROM measure").fetchone()[0] == 40  # the seeds are intact
            docs = cur.execute("SELECT id FROM source_document WHERE file_name = 'big.txt'").fetchall()
            items = cur.execute("SELECT count(*) FROM plan_item p JOIN organization o ON o.id = p.organization_id "
                                "WHERE o.short_name = 'อบต.ทดสอบ'").fetchone()[0]
            logged = cur.execute("SELECT count(*) FROM history WHERE table_name = 'plan_item' "
                                 "AND document_id IN (SELECT id FROM source_document WHERE file_name = 'big.txt')"
                                 ).fetchone()[0]
    finally:
        store.close()
    if docs:
        assert (items, logged) == (N_ITEMS, N_ITEMS), "a partial import survived the kill"
        return "all"
    assert items == 0, "records without their source document survived the kill"
    return "none"


def run_child(point: str, big, db) -> str:
    """Run the importer until it says it reached `point`, SIGKILL it there; the line it said."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash_child", point, str(big), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        if point == "count":
            return proc.stdout.read().strip().splitlines()[-1]  # the last line, after the command's JSON
        said = proc.stdout.readline().strip()  # blocks until the child is at `point` (or ends)
        assert said in ("mid", "committed"), f"the importer never reached {point}: {said!r}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=300)
        proc.stdout.close()
    return said


def test_killed_import_leaves_all_or_nothing(seeded_db, tmp_path):
    """The child says where it is; each kill lands exactly there: inside the write (first statement,
    the middle one, the last one, all done but not committed) and just after the commit."""
    big = tmp_path / "big.txt"
    big.write_text(big_plan_text(), encoding="utf-8")
    counted = tmp_path / "count.duckdb"
    shutil.copy(seeded_db, counted)
    statements = int(run_child("count", big, counted).split()[1])
    assert statements >= 3
    points = [f"execute:{n}" for n in sorted({1, statements // 2, statements})] + ["before_commit", "after_commit"]
    outcomes = {}
    for point in points:
        db = tmp_path / f"run-{point.replace(':', '-')}.duckdb"
        shutil.copy(seeded_db, db)
        said = run_child(point, big, db)
        outcomes[point] = check_database(db)
        assert outcomes[point] == ("all" if said == "committed" else "none"), (point, outcomes)
    print("outcomes by kill point:", outcomes)
    assert set(outcomes.values()) == {"none", "all"}


def test_completed_import_is_whole(seeded_db, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(big_plan_text(), encoding="utf-8")
    db = tmp_path / "whole.duckdb"
    shutil.copy(seeded_db, db)
    done = subprocess.run([sys.executable, "-m", "lib.ingest", str(big), "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert check_database(db) == "all"
