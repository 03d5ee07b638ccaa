"""The queries of a first run of the pages that read the ITA framework, one organization chosen (AppTest,
the seed documents in a new database, the made-up test score file imported for it so the trend and the
gap table read their years too), and how many of them read the framework (lib/store/lookups.framework:
seven queries each time it is read).

    .venv/bin/python bench/framework_reads.py [--organization อบต.บ้องตี้] [--fiscal-year 2566] [--unkept]

`--unkept` reads the framework again for every read that asks for it, as the code did before the store
kept it (Store.catalog_reads): the before and after of issue 14's "42-69 queries" on these pages. The
pages run in one session in the order listed, cached reads cleared before each: the first page reads
the framework for the years it shows, the others find it kept (a running server reads it once per
year after it starts or the catalog changes).
Queries are counted as bench/run counts them (Store.query_df and query_rows)."""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.machinery
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "presentation", "ita_gap", "ita_scores")
SCORES = ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv"


def count(organization: str, fiscal_year: int | None, unkept: bool) -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib.store import ita as store_ita
    from lib.store import lookups
    from lib.store.db import Store
    from lib.ui import cache

    run = importlib.machinery.SourceFileLoader("bench_run", str(ROOT / "bench" / "run")).load_module()
    run.wrap_store()
    if unkept:
        Store.catalog_reads = lambda self, key, read: read()
    inside = [0]  # queries run inside lookups._framework (a framework read)
    read_framework = lookups._framework

    def counted(store, year):
        before = len(run.QUERIES)
        try:
            return read_framework(store, year)
        finally:
            inside[0] += len(run.QUERIES) - before

    lookups._framework = counted
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ITA_DB_PATH"] = str(Path(tmp) / "seeds.duckdb")
        st.cache_resource.clear()
        st.cache_data.clear()
        store = cache.store()
        org = store.query_rows("SELECT id FROM organization WHERE short_name = ?", [organization])[0][0]
        with store.transaction() as cur:  # the file says it is made-up data: for organizations marked so only
            cur.execute("UPDATE organization SET synthetic = TRUE")
        store_ita.import_scores(store, SCORES.read_bytes(), SCORES.name, "bench",
                                source="ไฟล์ทดสอบของชุดทดสอบ (ไม่ใช่ผลการประเมินจริง)",
                                source_date=dt.date(2023, 1, 15))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        for page in PAGES:
            at.session_state["filter_org"] = org
            at.session_state["filter_year"] = fiscal_year
            st.cache_data.clear()  # each page's first run (the framework is kept, as in a running server)
            run.QUERIES.clear()
            inside[0] = 0
            at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception}")
            out.append({"page": page, "queries": len(run.QUERIES), "framework": inside[0]})
        store.close()
        st.cache_resource.clear()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organization", default="อบต.บ้องตี้")
    parser.add_argument("--fiscal-year", type=int, default=2566)
    parser.add_argument("--unkept", action="store_true", help="read the framework every time (the code before)")
    args = parser.parse_args()
    how = "read every time (before)" if args.unkept else "kept per store (now)"
    print(f"first run, {args.organization}, fiscal year {args.fiscal_year}, the framework {how}:")
    for r in count(args.organization, args.fiscal_year, args.unkept):
        print(f"  {r['page']:13s} {r['queries']:3d} queries, {r['framework']:2d} of them reading the framework")
    return 0


if __name__ == "__main__":
    sys.exit(main())
