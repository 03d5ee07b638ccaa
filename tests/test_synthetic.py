"""The synthetic dataset of bench/generate: deterministic, within range, linked to real catalog codes, marked."""
import datetime as dt
import json
import subprocess
import sys

import pytest

from bench.synthetic import MARK, generate
from lib.ita.catalog import nearest_year
from lib.records import BLOCKED_REASONS, PROGRESS_STATUSES, STATUS_BLOCKED
from lib.store import StoreError, open_store
from tests.conftest import ROOT

AS_OF = dt.date(2026, 11, 22)  # fiscal year 2570, first quarter


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("syn") / "small.duckdb")
    row = generate(store, "50", seed=11, as_of=AS_OF)
    yield store, row
    store.close()


def one(store, sql, params=()):
    return store.query_rows(sql, params)[0][0]


def test_same_seed_same_data_other_seed_other_data(small, tmp_path):
    store, row = small
    again = open_store(tmp_path / "again.duckdb")
    other = open_store(tmp_path / "other.duckdb")
    try:
        assert generate(again, "50", seed=11, as_of=AS_OF)["fingerprint"] == row["fingerprint"]
        assert generate(other, "50", seed=12, as_of=AS_OF)["fingerprint"] != row["fingerprint"]
        # the databases agree too, not only the fingerprint
        sql = ("SELECT count(*), sum(budget)::DOUBLE, string_agg(title, '|' ORDER BY organization_id, fiscal_year, seq) "
               "FROM plan_item")
        assert again.query_rows(sql) == store.query_rows(sql)
        assert other.query_rows(sql) != store.query_rows(sql)
    finally:
        again.close()
        other.close()


def test_counts_and_fiscal_years(small):
    store, row = small
    assert one(store, "SELECT count(*) FROM organization WHERE synthetic") == 50
    assert [r[0] for r in store.query_rows("SELECT DISTINCT fiscal_year FROM plan_item ORDER BY 1")] == \
        [2566, 2567, 2568, 2569, 2570]
    per_year = store.query_rows("SELECT count(*) FROM plan_item GROUP BY organization_id, fiscal_year")
    assert len(per_year) == 250 and all(10 <= n <= 30 for (n,) in per_year)
    measures = store.query_rows("SELECT count(*) FROM measure GROUP BY organization_id, fiscal_year")
    assert len(measures) == 250 and all(5 <= n <= 15 for (n,) in measures)
    assert one(store, "SELECT count(*) FROM source_document WHERE format = 'synthetic'") == 250
    for table in ("plan_item", "measure", "measure_item_link", "progress", "ita_score"):
        assert one(store, f"SELECT count(*) FROM {table}") == row["counts"][table]
    # seq runs 1..n in each document
    assert one(store, "SELECT count(*) FROM (SELECT document_id FROM plan_item GROUP BY document_id "
                      "HAVING min(seq) <> 1 OR max(seq) <> count(*))") == 0


def test_organizations_are_spread_and_named_as_synthetic(small):
    store, _ = small
    kinds = dict(store.query_rows("SELECT kind, count(*) FROM organization WHERE synthetic GROUP BY kind"))
    assert kinds["อบต."] > kinds["เทศบาลตำบล"] > 0 and sum(kinds.values()) == 50
    assert one(store, "SELECT count(*) FROM organization WHERE synthetic AND (province IS NULL OR district IS NULL)") == 0
    assert one(store, "SELECT count(DISTINCT province) FROM organization") > 10
    assert one(store, "SELECT count(*) FROM organization WHERE province = 'กรุงเทพมหานคร'") == 0
    names = store.query_rows("SELECT name, short_name FROM organization")
    assert all(n.endswith(MARK) and s.endswith(MARK) for n, s in names)
    assert one(store, "SELECT count(*) FROM organization WHERE NOT synthetic") == 0


def test_plan_items_quarters_budgets_and_periods(small):
    store, _ = small
    assert one(store, "SELECT count(*) FROM plan_item WHERE len(quarters) = 0 OR "
                      "len(list_filter(quarters, q -> q NOT BETWEEN 1 AND 4)) > 0") == 0
    assert one(store, "SELECT count(*) FROM measure WHERE len(quarters) = 0 OR "
                      "len(list_filter(quarters, q -> q NOT BETWEEN 1 AND 4)) > 0") == 0
    assert one(store, "SELECT count(*) FROM plan_item WHERE budget < 0") == 0
    zero = one(store, "SELECT avg((budget = 0)::INTEGER) FROM plan_item")
    assert 0.2 < zero < 0.5
    assert one(store, "SELECT count(*) FROM plan_item WHERE dimension NOT BETWEEN 1 AND 4") == 0
    # the period covers the planned quarters of the item's own fiscal year (2570 Q1 = Oct-Dec 2026)
    assert one(store, "SELECT count(*) FROM plan_item WHERE fiscal_year = 2570 AND list_contains(quarters, 1) "
                      "AND (period_start <> DATE '2026-10-01')") == 0
    assert one(store, "SELECT count(*) FROM plan_item WHERE period_end < period_start") == 0


def test_measure_links_use_codes_of_the_catalog_of_their_year(small):
    store, _ = small
    known = [r[0] for r in store.query_rows("SELECT DISTINCT framework_year FROM ita_item_active")]
    links = store.query_rows("SELECT m.fiscal_year, l.framework_year, l.code, m.instrument FROM measure_item_link l "
                             "JOIN measure m ON m.id = l.measure_id")
    assert links
    catalog = {(y, c): i for y, c, i in store.query_rows("SELECT framework_year, code, instrument FROM ita_item_active")}
    for fiscal_year, framework_year, code, _ in links:
        assert framework_year == fiscal_year - 1
        assert (nearest_year(framework_year, known), code) in catalog
    # a measure serves one or two items, and its instrument is that of one of them
    per_measure = store.query_rows("SELECT m.fiscal_year, m.instrument, list(l.code), count(*) FROM measure m "
                                   "JOIN measure_item_link l ON l.measure_id = m.id GROUP BY m.id, m.fiscal_year, "
                                   "m.instrument")
    assert all(1 <= n <= 2 for *_, n in per_measure)
    assert all(instrument in {catalog[(nearest_year(fy - 1, known), c)] for c in codes}
               for fy, instrument, codes, _ in per_measure)
    assert one(store, "SELECT count(*) FROM measure m WHERE NOT EXISTS "
                      "(SELECT 1 FROM measure_item_link l WHERE l.measure_id = m.id)") == 0


def test_measures_answer_the_weakest_items(small):
    store, _ = small
    linked, other = store.query_rows("""
        SELECT avg(s.score) FILTER (l.code IS NOT NULL), avg(s.score) FILTER (l.code IS NULL)
        FROM ita_score s
        LEFT JOIN (SELECT DISTINCT m.organization_id, l.framework_year, l.code FROM measure_item_link l
                   JOIN measure m ON m.id = l.measure_id) l
          ON l.organization_id = s.organization_id AND l.framework_year = s.framework_year AND l.code = s.code
        """)[0]
    assert linked < other - 3


def test_progress_reports_are_realistic(small):
    store, _ = small
    statuses = dict(store.query_rows("SELECT status, count(*) FROM progress GROUP BY status"))
    assert set(statuses) <= set(PROGRESS_STATUSES) and len(statuses) == 4
    assert one(store, "SELECT count(*) FROM progress WHERE reported_at > TIMESTAMP '2026-11-22 00:00:00'") == 0
    reasons = {r for (r,) in store.query_rows("SELECT DISTINCT reason FROM progress WHERE status = ?", [STATUS_BLOCKED])}
    assert reasons and reasons <= set(BLOCKED_REASONS)
    assert one(store, "SELECT count(*) FROM progress WHERE status <> ? AND reason IS NOT NULL", [STATUS_BLOCKED]) == 0
    assert one(store, "SELECT count(*) FROM progress WHERE spent < 0") == 0
    # reports only for quarters the record planned
    assert one(store, "SELECT count(*) FROM progress g JOIN plan_item p ON g.record_kind = 'plan_item' "
                      "AND p.id = g.record_id WHERE NOT list_contains(p.quarters, g.quarter)") == 0
    # spent stays within the budget for almost every item; a few overspend
    over = one(store, """
        WITH latest AS (SELECT record_id, quarter, spent FROM progress WHERE record_kind = 'plan_item'
                        QUALIFY row_number() OVER (PARTITION BY record_id, quarter ORDER BY reported_at DESC, id DESC) = 1)
        SELECT avg((s.spent > p.budget)::INTEGER) FROM (SELECT record_id, sum(spent) AS spent FROM latest
                                                        GROUP BY record_id) s JOIN plan_item p ON p.id = s.record_id""")
    assert over < 0.05
    # some planned quarters that ended were never reported, and some reports came more than 30 days late
    never = one(store, """
        SELECT count(*) FROM plan_item p, unnest(p.quarters) AS u(q)
        WHERE p.fiscal_year < 2570 AND NOT EXISTS (SELECT 1 FROM progress g WHERE g.record_kind = 'plan_item'
              AND g.record_id = p.id AND g.quarter = u.q)""")
    assert never > 0
    assert one(store, "SELECT count(*) FROM progress WHERE fiscal_year = 2568 AND quarter = 4 "
                      "AND reported_at > TIMESTAMP '2025-10-31'") > 0


def test_scores_are_in_range_with_a_failing_tail(small):
    store, _ = small
    assert one(store, "SELECT count(*) FROM ita_score WHERE score NOT BETWEEN 0 AND 100") == 0
    assert {r[0] for r in store.query_rows("SELECT DISTINCT level FROM ita_score")} == {"item"}
    assert [r[0] for r in store.query_rows("SELECT DISTINCT framework_year FROM ita_score ORDER BY 1")] == \
        [2565, 2566, 2567, 2568, 2569]
    # totals as the ITA code computes them, for every scored organization-year
    from lib.ita import gap
    from lib.queries import ita as ita_queries

    totals = []
    for org_id, year in store.query_rows("SELECT DISTINCT organization_id, framework_year FROM ita_score"):
        result = gap.compute(ita_queries.framework(store, year), ita_queries.scores(store, org_id, year))
        totals.append(result.total)
    assert len(totals) == 250 and all(t is not None for t in totals)
    median = sorted(totals)[len(totals) // 2]
    assert 85 < median < 98
    assert min(totals) < 85  # a tail fails


def test_marked_synthetic_with_one_dataset_and_one_history_row(small):
    store, row = small
    seed, size, fingerprint, params = store.query_rows(
        "SELECT seed, size, fingerprint, parameters FROM synthetic_dataset")[0]
    assert (seed, size, fingerprint) == (11, "50", row["fingerprint"])
    assert json.loads(params)["fiscal_years"] == [2566, 2567, 2568, 2569, 2570]
    assert one(store, "SELECT count(*) FROM history WHERE action = 'generate_synthetic'") == 1
    assert one(store, "SELECT count(*) FROM history WHERE table_name IN ('plan_item', 'measure', 'progress')") == 0
    content = one(store, "SELECT content FROM source_document LIMIT 1")
    assert json.loads(bytes(content).decode("utf-8"))["seed"] == 11
    with pytest.raises(StoreError, match="ข้อมูลสังเคราะห์อยู่แล้ว"):
        generate(store, "50", seed=11, as_of=AS_OF)


def test_generate_command_line(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate"), "--db", str(db), "--size", "5",
                           "--seed", "3", "--as-of", "2026-11-22"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "fingerprint" in done.stdout
    store = open_store(db)
    try:
        assert one(store, "SELECT count(*) FROM organization WHERE synthetic") == 5
        assert one(store, "SELECT count(*) FROM organization WHERE NOT synthetic") == 5  # the default documents
    finally:
        store.close()
    bad = subprocess.run([sys.executable, str(ROOT / "bench" / "generate"), "--db", str(tmp_path / "x.duckdb"),
                          "--size", "lots"], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode == 1 and "ขนาด" in bad.stderr


def test_every_page_says_the_data_is_synthetic(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "small.duckdb"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate"), "--db", str(path), "--size", "12"],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    monkeypatch.setenv("ITA_DB_PATH", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any(w.value.startswith("ข้อมูลสังเคราะห์: ฐานข้อมูลนี้มีหน่วยงานสังเคราะห์ 12 แห่ง") for w in at.warning)
    st.cache_resource.clear()
    st.cache_data.clear()
