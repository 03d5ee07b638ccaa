"""Does organization_change need to stay in day order? Past-date reads before and after backdated reports.

    .venv/bin/python bench/generate --db /tmp/p.duckdb --size province --seed 3 --as-of 2026-11-22
    .venv/bin/python bench/org_change_order.py --db /tmp/p.duckdb [--reports 1000] [--runs 5]

organization_change (migration 1460) is written in day order so that a read as of a past date reads only
the blocks of the later days; a report dated back, or a bulk write, appends its rows at the end, out of
day order. On a copy of the database this times the reads of organization_change at past dates (the
national lists that rank organizations: organization_ranking, overdue_list, progress_rounds), then writes
`--reports` reports dated back over the past year (ten per transaction, as a clerk's grid saves them),
says how many rows are now out of day order and how many row groups the table holds, and times the reads
again: as left, and after the table is rewritten in day order (what a re-sort would give). CPU medians of
`--runs`, in ms; the load is printed beside them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.queries import dashboard  # noqa: E402
from lib.records import PROGRESS_STATUSES, STATUS_BLOCKED  # noqa: E402
from lib.store import open_store, summaries  # noqa: E402

NATIONAL = (None, None, None)
READS = {"organization_ranking": lambda s, d: dashboard.organization_ranking(s, NATIONAL, None, None, d),
         "overdue_list": lambda s, d: dashboard.overdue_list(s, NATIONAL, None, d),
         "progress_rounds": lambda s, d: dashboard.progress_rounds(s, NATIONAL, None, d)}


def timed(store, days: list[dt.date], runs: int) -> dict[str, float]:
    out = {}
    for name, read in READS.items():
        for day in days:
            cpu = []
            for _ in range(runs):
                started = time.process_time()
                read(store, day)
                cpu.append((time.process_time() - started) * 1000)
            out[f"{name} as of {day}"] = statistics.median(cpu)
    return out


def out_of_order(store) -> tuple[int, int, int]:
    """(rows, rows whose day is before a day stored ahead of them, row groups)."""
    rows, late = store.query_rows(
        f"SELECT count(*), count(*) FILTER (WHERE on_day < before) FROM (SELECT on_day, max(on_day) OVER ("
        f"ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM {summaries.ORG_CHANGE})")[0]
    groups = store.query_rows(f"SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('{summaries.ORG_CHANGE}')")
    return rows, late, groups[0][0]


def backdate(store, reports: int, today: dt.date, seed: int = 11) -> None:
    rng = random.Random(seed)
    records = store.query_rows("SELECT 'plan_item', id, quarters FROM plan_item WHERE len(quarters) > 0 "
                               "UNION ALL SELECT 'measure', id, quarters FROM measure WHERE len(quarters) > 0 ORDER BY 1, 2")
    for start in range(0, reports, 10):
        batch = []
        for _ in range(min(10, reports - start)):
            kind, record_id, quarters = rng.choice(records)
            status = rng.choice(PROGRESS_STATUSES)
            when = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 365)), dt.time(10))
            batch.append(store.progress_values(kind, record_id, rng.choice(quarters), status, "bench",
                                               reason="ย้อนหลัง" if status == STATUS_BLOCKED else None,
                                               reported_at=when))
        with store.transaction() as cur:  # one write of a few reports, as the reporting grid saves them
            store.insert_progress_many(cur, batch)


def resort(store) -> None:
    table = summaries.ORG_CHANGE
    with store.transaction(keep_summaries=False) as cur:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE sorted_change AS SELECT * FROM {table} "
                    f"ORDER BY on_day, {summaries.ORG_KEY}")
        cur.execute(f"DELETE FROM {table}")
        cur.execute(f"INSERT INTO {table} SELECT * FROM sorted_change")
        cur.execute("DROP TABLE sorted_change")
    with store.cursor() as cur:
        cur.execute("CHECKPOINT")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a database bench/generate wrote (copied; not changed)")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copy(args.db, copy)
        store = open_store(copy)
        today = store.query_rows("SELECT max(reported_at)::DATE FROM progress")[0][0]
        days = [today - dt.timedelta(days=n) for n in (30, 150, 330)]
        for read in READS.values():  # warm (modules, the first plans)
            read(store, days[0])
        stages = {"before": (timed(store, days, args.runs), out_of_order(store), os.getloadavg()[0])}
        started = time.perf_counter()
        backdate(store, args.reports, today)
        written = time.perf_counter() - started
        with store.cursor() as cur:
            cur.execute("CHECKPOINT")
        stages[f"after {args.reports} backdated reports"] = (timed(store, days, args.runs), out_of_order(store),
                                                            os.getloadavg()[0])
        resort(store)
        stages["after a re-sort"] = (timed(store, days, args.runs), out_of_order(store), os.getloadavg()[0])
        check = summaries.check(store)
        store.close()
    print(f"{args.db}: {args.reports} reports dated back written in {written:.1f} s; summaries check after the "
          f"re-sort: {sum(check.values())} rows differ")
    names = list(stages["before"][0])
    print(f"| read (CPU ms, median of {args.runs}) | " + " | ".join(stages) + " |")
    print("|---|" + "---|" * len(stages))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{s[0][name]:.1f}" for s in stages.values()) + " |")
    print("| organization_change rows / out of day order / row groups | " + " | ".join(
        f"{r:,} / {late:,} / {groups}" for _, (r, late, groups), _ in stages.values()) + " |")
    print("| load | " + " | ".join(f"{load:.1f}" for *_, load in stages.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
