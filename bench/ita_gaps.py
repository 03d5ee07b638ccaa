#!/usr/bin/env python3
"""The reads of the ITA gap page at national, province, district and organization scope, timed.

    .venv/bin/python bench/ita_gaps.py --db bench/national.duckdb [--runs 7] [--year 2568]

Prints the median and best of `--runs` warm calls of each read (one cold call first, not counted),
with the rows it returns: the most-named weak points across the organizations of an area
(`named_weak_points_by_area`: the weak-point summary kept on write, ranked and limited in SQL; an
`--as-of` before the latest reports recounts from the raw rows the organizations reported on since), the years offered (`named_weak_point_years`),
and one organization's weak points with their measures and latest reports (`coverage_links`).
The targets (issue 14): a read at national scope <= 100 ms, for one organization <= 30 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.queries import ita  # noqa: E402
from lib.store import open_store  # noqa: E402


def timed(fn, *args, runs: int) -> tuple[float, float, int]:
    fn(*args)  # cold
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn(*args)
        seconds.append(time.perf_counter() - started)
    size = len(result) if hasattr(result, "__len__") else 1
    return statistics.median(seconds) * 1000, min(seconds) * 1000, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--year", type=int, default=None, help="assessment year (default: the latest one named)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args()
    store = open_store(args.db)
    year = args.year or max(ita.named_weak_point_years(store))
    province, count = store.query_rows("SELECT province, count(*) FROM organization GROUP BY 1 ORDER BY 2 DESC, 1 "
                                       "LIMIT 1")[0]
    district = store.query_rows("SELECT district FROM organization WHERE province = ? GROUP BY 1 "
                                "ORDER BY count(*) DESC, 1 LIMIT 1", [province])[0][0]
    org = store.query_rows("SELECT organization_id FROM measure WHERE fiscal_year = ? + 1 GROUP BY 1 "
                           "ORDER BY count(*) DESC, 1 LIMIT 1", [year])[0][0]
    orgs, links, reports = store.query_rows(
        "SELECT (SELECT count(*) FROM organization), (SELECT count(*) FROM measure_item_link), "
        "(SELECT count(*) FROM progress)")[0]
    print(f"{args.db}: {orgs:,} organizations, {links:,} measure links, {reports:,} reports · assessment year {year} "
          f"· as of {args.as_of} · {args.runs} warm runs (median / best)")
    cases = [
        ("most named weak points, national", ita.named_weak_points_by_area, (store, year, None, None, args.as_of, 20)),
        (f"most named weak points, จ.{province} ({count} organizations)", ita.named_weak_points_by_area,
         (store, year, province, None, args.as_of, 20)),
        (f"most named weak points, อ.{district}", ita.named_weak_points_by_area,
         (store, year, province, district, args.as_of, 20)),
        ("years with named weak points, national", ita.named_weak_point_years, (store, None)),
        ("years with named weak points, one organization", ita.named_weak_point_years, (store, org)),
        ("one organization's weak points, measures, latest reports", ita.coverage_links,
         (store, org, year, args.as_of)),
    ]
    print(f"  load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1 / 5 / 15 min), {os.cpu_count()} cores")
    width = max(len(label) for label, _, _ in cases)
    for label, fn, fn_args in cases:
        median, best, size = timed(fn, *fn_args, runs=args.runs)
        print(f"  {label:<{width}}  {median:7.1f} ms  {best:7.1f} ms  {size:>6,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
