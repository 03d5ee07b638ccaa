"""Summaries kept on write: every write path keeps them equal to a recomputation from the raw rows,
and the dashboard's reads built on them give the figures of the raw-row computation they replace
(tests/raw_dashboard.py, the queries as they were) on synthetic data, at several as-of dates."""
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from bench.synthetic import generate
from lib.queries import dashboard as dq
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS
from lib.store import open_store, summaries
from tests import raw_dashboard as raw
from tests.conftest import ROOT

AS_OF = dt.date(2026, 11, 22)
AS_OFS = (AS_OF, dt.date(2026, 3, 15), dt.date(2025, 1, 10), dt.date(2023, 12, 31))
AGGREGATES = ("kpis", "progress_by_quarter", "progress_by_group", "progress_rounds",
              "budget_by_dimension", "budget_by_year")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("summaries") / "small.duckdb")
    generate(store, "25", seed=5, as_of=AS_OF)
    yield store
    store.close()


def _one(store, sql, params=()):
    return store.query_rows(sql, params)[0][0]


def _scopes(store):
    province, district, org = store.query_rows(
        "SELECT province, district, id FROM organization WHERE synthetic ORDER BY id LIMIT 1")[0]
    return [(None, None, None), (None, province, None), (None, province, district), (org, None, None)]


def _same(new, old, what):
    if isinstance(old, dict):
        assert new.keys() == old.keys(), what
        for key in old:
            assert new[key] == pytest.approx(old[key]) if isinstance(old[key], float) else new[key] == old[key], \
                (what, key, new[key], old[key])
        return
    pd.testing.assert_frame_equal(new.reset_index(drop=True), old.reset_index(drop=True), check_dtype=False,
                                  obj=str(what))


def _compare_all(store, combos=None):
    """Every dashboard read against its raw-row computation: each scope, year and as-of date once,
    not their full product (the suite stays quick)."""
    scopes = _scopes(store)
    years = [None, _one(store, "SELECT max(fiscal_year) FROM plan_item"),
             _one(store, "SELECT min(fiscal_year) FROM plan_item")]
    combos = combos or [(scopes[i % len(scopes)], years[i % len(years)], AS_OFS[i % len(AS_OFS)])
                        for i in range(max(len(scopes), len(years), len(AS_OFS)) * 2)]
    for scope, year, as_of in combos:
        for name in AGGREGATES + ("overdue_list", "decisions", "budget_by_unit"):
            _same(getattr(dq, name)(store, scope, year, as_of), getattr(raw, name)(store, scope, year, as_of),
                  (name, scope, year, as_of))
        _same(dq.budget_by_unit(store, scope, year, as_of, 3), raw.budget_by_unit(store, scope, year, as_of, 3),
              ("budget_by_unit 3", scope, year, as_of))
        units = dq.progress_by_unit(store, scope, year, as_of, 5)
        every_unit = raw.progress_by_unit(store, scope, year, as_of)
        assert (units["matched"] == len(every_unit)).all()
        _same(units.drop(columns="matched"), every_unit.head(5), ("progress_by_unit", scope, year, as_of))
        for limit in (2, 7, 400):  # the first names only, cut inside the oldest quarter, past blocked work
            _same(dq.decisions(store, scope, year, as_of, limit), raw.decisions(store, scope, year, as_of, limit),
                  ("decisions", limit, scope, year, as_of))
            _same(dq.overdue_list(store, scope, year, as_of, limit),
                  raw.overdue_list(store, scope, year, as_of, limit), ("overdue_list", limit, scope, year, as_of))
        assert dq.planned_quarters(store, scope) == raw.planned_quarters(store, scope, dq.thai.today())
        for quarter in (1, 2, 3, 4):
            quarter_year = year or _one(store, "SELECT max(fiscal_year) FROM plan_item")
            expected = raw.quarter_status(store, scope, quarter_year, quarter, as_of)
            _same(dq.quarter_status(store, scope, quarter_year, quarter, as_of, organizations=True), expected,
                  ("quarter_status", quarter, scope, quarter_year, as_of))
            # the page's rows: the same without one row per organization (those only for the download)
            _same(dq.quarter_status(store, scope, quarter_year, quarter, as_of),
                  expected[expected["part"] != "organization"], ("quarter_status", quarter, scope, quarter_year))
        for quarter, limit in ((None, 200), (2, 200), (4, 3)):
            ranking = dq.organization_ranking(store, scope, year, quarter, as_of, limit)
            _same(ranking, raw.organization_ranking(store, scope, year, quarter, as_of, limit),
                  ("organization_ranking", quarter, limit, scope, year, as_of))
        for kind in ("plan_item", "measure"):
            _same(dq.register(store, scope, year, as_of, kind), raw.register(store, scope, year, as_of, kind),
                  ("register", kind, scope, year, as_of))
            _same(dq.register(store, scope, year, as_of, kind, limit=30),
                  raw.register(store, scope, year, as_of, kind, limit=30), ("register 30", kind, scope, year, as_of))
            _same(dq.register(store, scope, year, as_of, kind, quarters=(1,), limit=40),
                  raw.register(store, scope, year, as_of, kind, quarters=(1,), limit=40),
                  ("register q1", kind, scope, year, as_of))
            # every filter, each restricting the records before the per-record work
            code = _one(store, "SELECT min(code) FROM measure_item_link WHERE status IN ('as_read', 'confirmed')")
            for criteria in ({"search": "กอง"}, {"search": "อบรม", "states": (STATUS_DONE,)},
                             {"states": (dq.progress.NO_REPORT, STATUS_BLOCKED)}, {"unit": "คลัง", "quarters": (2, 3)},
                             {"instruments": ("IIT", "none")}, {"item_code": code}):
                _same(dq.register(store, scope, year, as_of, kind, limit=25, **criteria),
                      raw.register(store, scope, year, as_of, kind, limit=25, **criteria),
                      ("register", criteria, kind, scope, year, as_of))


def test_generated_summaries_match_raw_rows_and_are_not_empty(synthetic):
    assert summaries.check(synthetic) == {t: 0 for t in summaries.TABLES}
    assert _one(synthetic, "SELECT count(*) FROM progress_latest") == _one(synthetic, "SELECT count(*) FROM progress")
    # every planned quarter of every record is in quarter_summary
    planned = _one(synthetic, "SELECT sum(len(quarters)) FROM (SELECT quarters FROM plan_item UNION ALL "
                              "SELECT quarters FROM measure)")
    records = _one(synthetic, "SELECT (SELECT count(*) FROM plan_item) + (SELECT count(*) FROM measure)")
    # ... once by dimension/instrument and once by responsible unit, per organization and per province
    for kinds in (summaries.GROUPS, summaries.UNITS):
        for prefix in ("", "area_"):
            assert _one(synthetic, f"SELECT sum(planned) FROM {prefix}quarter_summary WHERE group_kind IN {kinds}") \
                == planned > 1000
            assert _one(synthetic, f"SELECT sum(records) FROM {prefix}record_summary WHERE group_kind IN {kinds}") \
                == records
    # ... and once in the organization's total row
    for prefix in ("", "area_"):
        assert _one(synthetic, f"SELECT sum(planned) FROM {prefix}quarter_summary WHERE group_kind = 'total'") == planned
        assert _one(synthetic, f"SELECT sum(records) FROM {prefix}record_summary WHERE group_kind = 'total'") == records
    assert _one(synthetic, """
        SELECT count(*) FROM (
            SELECT organization_id, fiscal_year, quarter, sum(done) AS done, sum(done_through) AS through
            FROM quarter_summary WHERE group_kind IN ('dimension', 'instrument') GROUP BY ALL) g
        FULL JOIN (SELECT organization_id, fiscal_year, quarter, done, done_through AS through FROM quarter_summary
                   WHERE group_kind = 'total') t USING (organization_id, fiscal_year, quarter)
        WHERE g.done IS DISTINCT FROM t.done OR g.through IS DISTINCT FROM t.through""") == 0
    assert _one(synthetic, "SELECT count(DISTINCT group_key) FROM record_summary WHERE group_kind = 'plan_unit'") == 8
    assert 0 < _one(synthetic, "SELECT count(*) FROM area_quarter_summary") < \
        _one(synthetic, "SELECT count(*) FROM quarter_summary")


def test_figures_equal_the_raw_row_computation(synthetic):
    _compare_all(synthetic)


def _sweep_dates(store) -> list[dt.date]:
    """Month ends over the reports' whole span, each quarter end, the day before and of a report day,
    and a date before any report."""
    first, last = store.query_rows("SELECT CAST(min(reported_at) AS DATE), CAST(max(reported_at) AS DATE) "
                                   "FROM progress")[0]
    months = pd.date_range(first, last + dt.timedelta(days=31), freq="ME").date.tolist()
    busy = _one(store, "SELECT CAST(reported_at AS DATE) FROM progress GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    return sorted({first - dt.timedelta(days=1), *months, busy - dt.timedelta(days=1), busy})


# organization_change rows stored after a row of a later day (0: a read back in time skips the earlier days' blocks)
OUT_OF_DAY_ORDER = ("SELECT count(*) FROM (SELECT on_day < lag(on_day) OVER (ORDER BY rowid) AS back "
                    "FROM organization_change) WHERE back")


def test_change_rows_read_back_to_any_day_equal_the_raw_rows(synthetic):
    """quarter_summary less the change rows after a date = the counts from the raw progress rows as of
    that date, per organization and nationally, at every month end over the data."""
    dates = _sweep_dates(synthetic)
    assert len(dates) > 40
    assert summaries.check_as_of(synthetic, dates) == {
        f"as of {d}{n}": 0 for d in dates for n in ("", ", national", ", organization totals")}
    # something moves on most days with reports, and nothing on days without
    assert _one(synthetic, "SELECT count(DISTINCT on_day) FROM quarter_change") > 100
    assert _one(synthetic, "SELECT count(*) FROM quarter_change WHERE on_day NOT IN "
                           "(SELECT CAST(reported_at AS DATE) FROM progress)") == 0
    assert _one(synthetic, "SELECT count(*) FROM national_quarter_change") < \
        _one(synthetic, "SELECT count(*) FROM quarter_change")
    # the organizations' total rows apart: as many as quarter_change's, stored in day order
    assert _one(synthetic, "SELECT count(*) FROM organization_change") == \
        _one(synthetic, "SELECT count(*) FROM quarter_change WHERE group_kind = 'total'") > 0
    assert _one(synthetic, OUT_OF_DAY_ORDER) == 0


SWEPT = ("kpis", "progress_by_quarter", "progress_by_group", "progress_rounds", "budget_by_dimension",
         "budget_by_year")


def test_reads_back_in_time_equal_the_raw_row_computation_at_every_date(synthetic):
    """Every read that subtracts the change rows, at each scope, two fiscal years and every month end,
    against the raw-row computation (tests/raw_dashboard.py)."""
    scopes = _scopes(synthetic)
    years = [None, _one(synthetic, "SELECT max(fiscal_year) - 1 FROM plan_item")]
    for as_of in _sweep_dates(synthetic)[::7]:
        for scope in scopes:
            for year in years:
                what = (scope, year, as_of)
                for name in SWEPT:
                    _same(getattr(dq, name)(synthetic, scope, year, as_of),
                          getattr(raw, name)(synthetic, scope, year, as_of), (name, *what))
                _same(dq.progress_by_unit(synthetic, scope, year, as_of, 5).drop(columns="matched"),
                      raw.progress_by_unit(synthetic, scope, year, as_of).head(5), ("progress_by_unit", *what))
                _same(dq.budget_by_unit(synthetic, scope, year, as_of, 3),
                      raw.budget_by_unit(synthetic, scope, year, as_of, 3), ("budget_by_unit", *what))
                _same(dq.organization_ranking(synthetic, scope, year, 2, as_of, 4),
                      raw.organization_ranking(synthetic, scope, year, 2, as_of, 4), ("ranking", *what))
                quarter_year = year or years[1]
                _same(dq.quarter_status(synthetic, scope, quarter_year, 3, as_of, True),
                      raw.quarter_status(synthetic, scope, quarter_year, 3, as_of), ("quarter_status", *what))
                _same(dq.decisions(synthetic, scope, year, as_of, 2), raw.decisions(synthetic, scope, year, as_of, 2),
                      ("decisions", *what))
                _same(dq.overdue_list(synthetic, scope, year, as_of, 2),
                      raw.overdue_list(synthetic, scope, year, as_of, 2), ("overdue_list", *what))


def test_every_write_path_keeps_summaries_exact(tmp_path):
    from lib.store.uploads import restore_progress, restore_version, update_record

    store = open_store(tmp_path / "w.duckdb")
    try:
        generate(store, "8", seed=3, as_of=AS_OF)
        item, org = store.query_rows("SELECT id, organization_id FROM plan_item p WHERE len(quarters) >= 2 "
                                     "AND organization_id IN (SELECT id FROM organization WHERE synthetic) "
                                     "ORDER BY id LIMIT 1")[0]
        before = dq.kpis(store, (org, None, None), None, AS_OF)

        # a progress report (now), one dated before an earlier report of the same quarter, and an undo
        first = store.record_progress("plan_item", item, 1, STATUS_BLOCKED, "ทดสอบ", reason="ไม่มีงบ", spent=10)
        moved = _one(store, "SELECT count(*) FROM organization_change WHERE on_day = "
                            "(SELECT CAST(reported_at AS DATE) FROM progress WHERE id = ?)", [first])
        assert moved > 0 and _one(store, OUT_OF_DAY_ORDER) == 0  # only today's rows were added, at the end
        store.record_progress("plan_item", item, 2, STATUS_DONE, "ทดสอบ", spent=25.5,
                              reported_at=dt.datetime(2022, 1, 1, 9))
        store.record_progress("plan_item", item, 1, STATUS_DONE, "ทดสอบ", spent=40)
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        restore_progress(store, first, "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        after = dq.kpis(store, (org, None, None), None, AS_OF + dt.timedelta(days=400))
        assert after == raw.kpis(store, (org, None, None), None, AS_OF + dt.timedelta(days=400))

        # a record edit that moves it to other quarters, another dimension and budget, then its undo
        update_record(store, "plan_item", item, {"quarters": (3, 4), "dimension": 4, "budget": 12345}, "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        _same(dq.budget_by_dimension(store, (org, None, None), None, AS_OF),
              raw.budget_by_dimension(store, (org, None, None), None, AS_OF), "after edit")
        first_edit = _one(store, "SELECT max(id) FROM history WHERE table_name = 'plan_item' AND record_id = ?", [item])
        update_record(store, "plan_item", item, {"quarters": (1,), "budget": 5}, "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        restore_version(store, "plan_item", item, first_edit, "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}

        # a whole document imported through the store
        from lib.ingest import read_path
        from lib.store import SEEDS_DIR

        seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
        store.import_document(read_path(seed), seed.read_bytes() + b"\n", "txt", "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        assert dq.kpis(store, (org, None, None), None, AS_OF) != before
        _compare_all(store, [((org, None, None), None, d) for d in AS_OFS] + [((None, None, None), None, AS_OF)])
        days = [dt.date(2021, 12, 31), dt.date(2022, 1, 1), *AS_OFS, dt.date.today() - dt.timedelta(days=1)]
        assert summaries.check_as_of(store, days) == {f"as of {d}{n}": 0 for d in days for n in ("", ", national", ", organization totals")}
    finally:
        store.close()


def test_one_write_over_organizations_of_several_provinces_keeps_summaries_exact(tmp_path):
    """The upkeep writes the touched organizations, fiscal years and provinces into its statements as
    constants: reports on a plan item and on measures with weak points, of organizations in other
    provinces (one awaiting its location), filed together and backdated, must still add up."""
    from lib.store import import_seeds

    store = open_store(tmp_path / "m.duckdb")
    try:
        generate(store, "8", seed=6, as_of=AS_OF)
        import_seeds(store)
        item, item_province = store.query_rows(
            "SELECT p.id, o.province FROM plan_item p JOIN organization o ON o.id = p.organization_id "
            "WHERE o.synthetic AND len(p.quarters) > 0 ORDER BY p.id LIMIT 1")[0]
        weak = store.query_rows(
            "SELECT m.id, o.province, m.quarters[1] FROM measure m JOIN organization o ON o.id = m.organization_id "
            "WHERE nullif(trim(m.weakness), '') IS NOT NULL AND len(m.quarters) > 0 ORDER BY m.id")
        weak += store.query_rows(  # and a measure of an organization whose location awaits confirmation
            "SELECT m.id, o.province, m.quarters[1] FROM measure m JOIN organization o ON o.id = m.organization_id "
            "WHERE o.province IS NULL AND len(m.quarters) > 0 ORDER BY m.id LIMIT 1")
        provinces = {item_province} | {province for _, province, _ in weak}
        assert len(provinces) >= 4 and None in provinces  # synthetic, seeded, and a location to confirm
        before = _one(store, "SELECT count(*) FILTER (WHERE under_way) FROM weak_point_summary")
        reports = [{"kind": "plan_item", "record_id": item, "quarter": 1, "status": STATUS_DONE, "spent": 7}] + [
            {"kind": "measure", "record_id": m, "quarter": q, "status": STATUS_IN_PROGRESS} for m, _, q in weak]
        store.record_progress_many(reports, "ทดสอบ")
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        assert _one(store, "SELECT count(*) FILTER (WHERE under_way) FROM weak_point_summary") > before
        # an earlier-dated report of the same quarters: it must not become the current one
        for m, _, q in weak[:2]:
            store.record_progress("measure", m, q, STATUS_DONE, "ทดสอบ", reported_at=dt.datetime(2021, 5, 1, 8))
        store.record_progress("plan_item", item, 1, STATUS_BLOCKED, "ทดสอบ", reason="รองบ",
                              reported_at=dt.datetime(2021, 5, 1, 8))
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        assert _one(store, "SELECT status FROM progress_latest WHERE record_kind = 'plan_item' AND record_id = ? "
                           "AND quarter = 1 AND until_at IS NULL", [item]) == STATUS_DONE
        _compare_all(store, [((None, None, None), None, AS_OF), ((None, item_province, None), None, AS_OF),
                             ((None, None, None), None, dt.date(2021, 6, 1))])
    finally:
        store.close()


def test_the_seed_import_keeps_summaries_with_one_upkeep_and_a_crash_in_between_leaves_nothing(tmp_path):
    from lib.store import SEEDS_DIR, import_seeds

    store = open_store(tmp_path / "seeds.duckdb")
    try:
        upkeeps = []
        keep, build = summaries.after_write, summaries.rebuild
        summaries.after_write = lambda cur, mark: (upkeeps.append("after_write"), keep(cur, mark))
        summaries.rebuild = lambda cur, **how: (upkeeps.append("rebuild"), build(cur, **how))
        try:
            results = import_seeds(store)
        finally:
            summaries.after_write, summaries.rebuild = keep, build
        # a new store: its summaries are built whole, once, from what the import wrote
        assert len(results) == 5 and all(r.created for r in results) and upkeeps == ["rebuild"]
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        assert summaries.is_current(store._con.cursor())
        assert _one(store, "SELECT sum(records) FROM record_summary WHERE group_kind IN ('dimension', 'instrument')") \
            == _one(store, "SELECT (SELECT count(*) FROM plan_item) + (SELECT count(*) FROM measure)") > 0
    finally:
        store.close()
    # a store that holds records already: one upkeep of what the import touched
    store = open_store(tmp_path / "held.duckdb")
    try:
        from lib.ingest import read_path

        first = sorted(SEEDS_DIR.glob("*.txt"))[2]
        store.import_document(read_path(first), first.read_bytes(), "txt", "ทดสอบ")
        upkeeps.clear()
        summaries.after_write = lambda cur, mark: (upkeeps.append("after_write"), keep(cur, mark))
        summaries.rebuild = lambda cur, **how: (upkeeps.append("rebuild"), build(cur, **how))
        try:
            results = import_seeds(store)
        finally:
            summaries.after_write, summaries.rebuild = keep, build
        assert [r.created for r in results] == [True, True, False, True, True] and upkeeps == ["after_write"]
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
    finally:
        store.close()
    # the process dies after the first document, before the one upkeep: one transaction, so nothing of the
    # import is there and the next start imports every seed, its summaries kept
    path = tmp_path / "crash.duckdb"
    seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
    child = subprocess.run([sys.executable, "-c", (
        "import os, sys; sys.path.insert(0, sys.argv[1]); from lib.ingest import read_path; "
        "from lib.store import open_store; from pathlib import Path; s = open_store(sys.argv[2]); "
        "upkeep = s.one_upkeep(); upkeep.__enter__(); seed = Path(sys.argv[3]); "
        "s.import_document(read_path(seed), seed.read_bytes(), 'txt', 'ทดสอบ'); "
        "print(s.query_rows('SELECT count(*) FROM source_document')[0][0], "
        "s.query_rows('SELECT count(*) FROM quarter_summary')[0][0], flush=True); os._exit(3)"),
        str(ROOT), str(path), str(seed)], capture_output=True, text=True)
    assert child.returncode == 3 and child.stdout.split() == ["1", "0"], child.stderr  # imported, not yet kept
    store = open_store(path)
    try:
        assert _one(store, "SELECT count(*) FROM source_document") == 0
        assert _one(store, "SELECT count(*) FROM quarter_summary") == 0
        assert [r.created for r in import_seeds(store)] == [True] * 5
        assert _one(store, "SELECT count(*) FROM quarter_summary") > 0
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
    finally:
        store.close()


def test_a_write_that_fails_inside_one_upkeep_fails_it_whole(tmp_path):
    """A caller that goes on after a failed write inside one_upkeep commits nothing of it."""
    from lib.ingest import read_path
    from lib.store import SEEDS_DIR, StoreError, import_seeds

    store = open_store(tmp_path / "whole.duckdb")
    try:
        first, second = sorted(SEEDS_DIR.glob("*.txt"))[:2]
        with pytest.raises(StoreError, match="ยกเลิกการนำเข้าทั้งชุด"), store.one_upkeep():
            store.import_document(read_path(first), first.read_bytes(), "txt", "ทดสอบ")
            try:
                with store.transaction() as cur:
                    cur.execute("INSERT INTO history (changed_at, actor, action, table_name) "
                                "VALUES (now(), 'ทดสอบ', 'test', 'test')")
                    raise RuntimeError("a write that fails after a statement")
            except RuntimeError:
                pass  # the caller goes on
            store.import_document(read_path(second), second.read_bytes(), "txt", "ทดสอบ")
        assert _one(store, "SELECT count(*) FROM source_document") == 0
        assert _one(store, "SELECT count(*) FROM history WHERE action IN ('import', 'test')") == 0
        assert _one(store, "SELECT count(*) FROM quarter_summary") == 0
        assert [r.created for r in import_seeds(store)] == [True] * 5
    finally:
        store.close()


def test_inside_one_upkeep_the_imports_history_is_written_before_a_later_write_of_another_kind(tmp_path):
    """The imports' history rows wait for one_upkeep's end (one statement); a write of another kind
    inside it writes them first: history keeps the order the writes were made in."""
    from lib.ingest import read_path
    from lib.store import SEEDS_DIR

    store = open_store(tmp_path / "order.duckdb")
    try:
        first, second = sorted(SEEDS_DIR.glob("*.txt"))[:2]
        with store.one_upkeep():
            store.import_document(read_path(first), first.read_bytes(), "txt", "ทดสอบ")
            measure = _one(store, "SELECT min(id) FROM measure")
            report = store.record_progress("measure", measure, 1, STATUS_DONE, "ผู้รายงาน")
            store.import_document(read_path(second), second.read_bytes(), "txt", "ทดสอบ")
        rows = store.query_rows("SELECT id, action, table_name, record_id, document_id FROM history "
                                "WHERE actor IN ('ทดสอบ', 'ผู้รายงาน') ORDER BY id")
        actions = [(action, table, document) for _, action, table, _, document in rows]
        reported = actions.index(("report", "progress", None))
        # 000's organization, the document, its 7 measures and the reports it states; the report; 001's the same way
        stated = _one(store, "SELECT count(*) FROM progress WHERE document_id = 1")
        assert actions[:reported] == [("create", "organization", None), ("import", "source_document", 1)] + \
            [("import", "measure", 1)] * 7 + [("import", "progress", 1)] * stated
        assert stated == 17
        assert rows[reported][3] == report
        assert actions[reported + 1:reported + 3] == [("create", "organization", None), ("import", "source_document", 2)]
        assert {a for a in actions[reported + 1:]} == {("create", "organization", None), ("import", "source_document", 2),
                                                      ("import", "measure", 2), ("import", "progress", 2)}
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
    finally:
        store.close()


def test_a_failed_write_changes_no_summary(tmp_path):
    store = open_store(tmp_path / "f.duckdb")
    try:
        generate(store, "5", seed=2, as_of=AS_OF)
        item = _one(store, "SELECT min(id) FROM plan_item")
        counts = store.query_rows("SELECT sum(reported), sum(done) FROM quarter_summary")
        with pytest.raises(RuntimeError), store.transaction() as cur:
            values = store.progress_values("plan_item", item, 1, STATUS_IN_PROGRESS, "ทดสอบ")
            store.insert_progress(cur, values)
            raise RuntimeError("crash after the insert")
        assert store.query_rows("SELECT sum(reported), sum(done) FROM quarter_summary") == counts
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
    finally:
        store.close()


def test_an_older_database_is_backfilled_on_open_and_the_check_finds_drift(tmp_path):
    path = tmp_path / "old.duckdb"
    store = open_store(path)
    generate(store, "5", seed=4, as_of=AS_OF)
    # as a database from before the summaries: empty tables, no state row
    with store.transaction(keep_summaries=False) as cur:
        for table in summaries.TABLES:
            cur.execute(f"DELETE FROM {table}")
        cur.execute("DELETE FROM summary_state")
    store.close()
    store = open_store(path)
    try:
        assert _one(store, "SELECT count(*) FROM quarter_summary") > 0
        assert summaries.check(store) == {t: 0 for t in summaries.TABLES}
        with store.transaction(keep_summaries=False) as cur:  # drift the check must see
            cur.execute("UPDATE quarter_summary SET done = done + 1 WHERE rowid = (SELECT min(rowid) FROM quarter_summary)")
        assert summaries.check(store)["quarter_summary"] == 2
    finally:
        store.close()
    cli = [sys.executable, "-m", "lib.store.summaries", "--db", str(path)]
    out = subprocess.run(cli + ["--check"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1 and "quarter_summary" in out.stdout
    assert subprocess.run(cli + ["--rebuild"], cwd=ROOT, capture_output=True, text=True).returncode == 0
    out = subprocess.run(cli + ["--check"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_packs_last_report_counts_the_raw_reports(synthetic):
    """lib/queries/pack.last_progress_report reads progress_latest (a row per report): the same counts
    as the raw progress rows of the records in scope."""
    from lib.progress import reports_cutoff
    from lib.queries import pack

    for scope in _scopes(synthetic):
        for year in (None, _one(synthetic, "SELECT max(fiscal_year) FROM plan_item")):
            for as_of in AS_OFS:
                cutoff = reports_cutoff(as_of)
                org_id, province, district = scope
                expected = synthetic.query_rows(
                    "SELECT max(reported_at) FILTER (reported_at < ?), count(*) FILTER (reported_at < ?), "
                    "count(*) FILTER (reported_at >= ?) FROM progress p JOIN ("
                    " SELECT 'plan_item' AS kind, id, organization_id, fiscal_year FROM plan_item"
                    " UNION ALL SELECT 'measure', id, organization_id, fiscal_year FROM measure) r"
                    " ON r.kind = p.record_kind AND r.id = p.record_id"
                    " JOIN organization o ON o.id = r.organization_id"
                    " WHERE (?::INTEGER IS NULL OR o.id = ?) AND (?::VARCHAR IS NULL OR o.province = ?)"
                    " AND (?::VARCHAR IS NULL OR o.district = ?) AND (?::INTEGER IS NULL OR r.fiscal_year = ?)",
                    [cutoff, cutoff, cutoff, org_id, org_id, province, province, district, district, year, year])[0]
                got = pack.last_progress_report(synthetic, scope, year, as_of)
                assert (got["reported_at"], got["reports"], got["later_reports"]) == expected, (scope, year, as_of)
                assert expected[1] + expected[2] > 0
