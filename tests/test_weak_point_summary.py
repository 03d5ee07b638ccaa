"""The weak-point summary kept on write (lib/store/summaries/weak_points.py): the gap page's area read and
its years built on it equal the raw-row computation (tests/raw_ita.py) on the seeds plus synthetic data, at
several scopes, years and as-of dates; every write that changes a weak point keeps it exact."""
import datetime as dt

import pandas as pd
import pytest

from bench.synthetic import generate
from lib.auth import Access
from lib.queries import ita as ita_queries
from lib.records import STATUS_DONE, STATUS_IN_PROGRESS
from lib.store import import_seeds, open_store, summaries
from lib.store import ita as store_ita
from tests import raw_ita as raw

AS_OF = dt.date(2026, 11, 22)
# today; the synthetic reports' own past; the day before 001's results (30 Sep 2023); before 004's 6-month report
AS_OFS = (AS_OF, dt.date(2026, 3, 15), dt.date(2025, 1, 10), dt.date(2023, 9, 29), dt.date(2023, 3, 1), None)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("weak") / "mixed.duckdb")
    import_seeds(store)
    generate(store, "25", seed=6, as_of=AS_OF)
    yield store
    store.close()


def _org(store, short_name):
    return store.query_rows("SELECT id FROM organization WHERE short_name = ?", [short_name])[0][0]


def _same(store, year, province=None, district=None, as_of=AS_OF, limit=1000):
    new = ita_queries.named_weak_points_by_area(store, year, province, district, as_of, limit)
    old = raw.named_weak_points_by_area(store, year, province, district, as_of, limit)
    pd.testing.assert_frame_equal(new, old, check_dtype=False, obj=str((year, province, district, as_of, limit)))
    return new


def _exact(store):
    assert summaries.check(store) == {t: 0 for t in summaries.TABLES}


def test_the_summary_holds_the_seeds_weak_points(mixed):
    _exact(mixed)
    bongti, prui = _org(mixed, "อบต.บ้องตี้"), _org(mixed, "ทต.ปรุใหญ่")
    rows = mixed.query_rows("SELECT organization_id, coalesce(code, instrument), measures, under_way, done "
                            "FROM weak_point_summary WHERE organization_id IN (?, ?) AND framework_year = 2565 "
                            "ORDER BY 1, 2", [bongti, prui])
    # 001: eight items, one measure each; i7, o41 and o42 done by its own results (30 Sep 2023)
    assert [r[1:] for r in rows if r[0] == bongti] == [
        (c, 1, c in ("i7", "o41", "o42"), c in ("i7", "o41", "o42"))
        for c in sorted(["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"])]
    # 004: its eleven weaknesses in words, 3 IIT, 3 EIT, 5 OIT measures, all reported done in its 6-month document
    assert [r[1:] for r in rows if r[0] == prui] == [("EIT", 3, True, True), ("IIT", 3, True, True),
                                                     ("OIT", 5, True, True)]
    assert mixed.query_rows("SELECT count(DISTINCT organization_id) FROM weak_point_summary")[0][0] == 27


def test_area_reads_equal_the_raw_rows(mixed):
    years = ita_queries.named_weak_point_years(mixed)
    assert years == raw.named_weak_point_years(mixed) and 2565 in years and len(years) >= 4
    for org in (_org(mixed, "อบต.บ้องตี้"), _org(mixed, "ทต.ปรุใหญ่")):
        assert ita_queries.named_weak_point_years(mixed, org) == raw.named_weak_point_years(mixed, org) == [2565]
    province, district = mixed.query_rows("SELECT province, district FROM organization WHERE synthetic "
                                          "GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1")[0]
    scopes = [(None, None), (province, None), (province, district), ("นครราชสีมา", None)]
    checked = 0
    for i, year in enumerate(years):
        for j, (p, d) in enumerate(scopes):
            for as_of in AS_OFS[(i + j) % 3::3]:
                found = _same(mixed, year, p, d, as_of)
                checked += len(found)
                _same(mixed, year, p, d, as_of, limit=3)
    assert checked > 100
    # the seeds' year at every as-of date: 004's weaknesses move to "under way" only once its report is made
    for as_of in AS_OFS:
        _same(mixed, 2565, None, None, as_of)
    before = _same(mixed, 2565, "นครราชสีมา", None, dt.date(2023, 3, 1)).set_index("instrument")
    after = _same(mixed, 2565, "นครราชสีมา", None, dt.date(2023, 4, 1)).set_index("instrument")
    assert before.loc["OIT", ["organizations", "under_way", "done"]].tolist() == [1, 0, 0]
    assert after.loc["OIT", ["organizations", "under_way", "done"]].tolist() == [1, 1, 1]


def test_a_scoped_user_sees_only_its_organizations_weak_points(mixed):
    bongti = _org(mixed, "อบต.บ้องตี้")
    scoped = mixed.scoped(Access("u", "ผู้ทดสอบ", "viewer", frozenset([bongti])))
    top = ita_queries.named_weak_points_by_area(scoped, 2565, None, None, AS_OF, 20)
    assert sorted(top["code"]) == sorted(["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"])
    assert set(top["organizations"]) == {1} and top["organizations_naming"].iloc[0] == 1
    assert ita_queries.named_weak_point_years(scoped) == [2565]


def test_every_write_that_changes_a_weak_point_keeps_the_summary_exact(tmp_path):
    from lib.store.uploads import restore_progress, update_record

    store = open_store(tmp_path / "w.duckdb")
    try:
        import_seeds(store)
        generate(store, "6", seed=3, as_of=AS_OF)
        bongti = _org(store, "อบต.บ้องตี้")

        def i8():
            found = _same(store, 2565, "กาญจนบุรี", None, None)  # every report, those made just now too
            return found.set_index("code").loc["i8", ["under_way", "done"]].tolist()

        assert i8() == [0, 0]
        # a progress report makes i8 under way, a later one done, and filing the first again takes it back
        measure = store.query_rows("SELECT l.measure_id FROM measure_item_link l JOIN measure m ON m.id = l.measure_id "
                                   "WHERE l.code = 'i8' AND m.organization_id = ?", [bongti])[0][0]
        started = store.record_progress("measure", measure, 1, STATUS_IN_PROGRESS, "ทดสอบ")
        _exact(store)
        assert i8() == [1, 0]
        store.record_progress("measure", measure, 1, STATUS_DONE, "ทดสอบ")
        _exact(store)
        assert i8() == [1, 1]
        restore_progress(store, started, "ทดสอบ")
        _exact(store)
        assert i8() == [1, 0]

        # a measure's item codes edited: i8 leaves the list, i9 is named instead
        update_record(store, "measure", measure, {"item_codes": ("i9",), "framework_year": 2565}, "ทดสอบ")
        _exact(store)
        codes = set(_same(store, 2565, "กาญจนบุรี", None, None)["code"])
        assert "i9" in codes and "i8" not in codes

        # a suggested link confirmed, then rejected (a measure of 004 named in words only gets a code)
        prui = _org(store, "ทต.ปรุใหญ่")
        words_only = store.query_rows("SELECT min(id) FROM measure WHERE organization_id = ? AND instrument = 'IIT'",
                                      [prui])[0][0]
        store_ita.decide_link(store, words_only, 2565, "i1", True, "ทดสอบ", "ทดสอบ")
        _exact(store)
        named = _same(store, 2565, "นครราชสีมา")
        assert named.set_index("code").loc["i1", "organizations"] == 1
        assert named.set_index("instrument").loc["IIT", "organizations"] == 1  # its two other IIT measures
        store_ita.decide_link(store, words_only, 2565, "i1", False, "ทดสอบ", "ทดสอบ")
        _exact(store)
        assert "i1" not in set(_same(store, 2565, "นครราชสีมา")["code"])

        # a failed write leaves the summary as it was
        before = store.query_df("SELECT * FROM weak_point_summary ORDER BY ALL")
        with pytest.raises(RuntimeError), store.transaction() as cur:
            store.insert_progress(cur, store.progress_values("measure", measure, 3, STATUS_DONE, "ทดสอบ"))
            raise RuntimeError("crash after the insert")
        pd.testing.assert_frame_equal(store.query_df("SELECT * FROM weak_point_summary ORDER BY ALL"), before)
        assert ita_queries.named_weak_point_years(store, bongti) == [2565]
    finally:
        store.close()


def test_the_seeds_weak_points_follow_writes_on_either_backend(store):
    """With the `store` fixture: on PostgreSQL too (ITA_TEST_BACKEND=shared), where the upkeep runs there."""
    import_seeds(store)
    _exact(store)
    prui = _org(store, "ทต.ปรุใหญ่")
    top = ita_queries.named_weak_points_by_area(store, 2565, "นครราชสีมา", None, AS_OF, 20)
    assert [(r.instrument, r.organizations, r.under_way, r.done) for r in top.itertuples()] == [
        ("IIT", 1, 1, 1), ("EIT", 1, 1, 1), ("OIT", 1, 1, 1)]
    measure = store.query_rows("SELECT min(id) FROM measure WHERE organization_id = ? AND instrument = 'EIT'",
                               [prui])[0][0]
    store_ita.decide_link(store, measure, 2565, "e5", True, "ทดสอบ", "ทดสอบ")
    store.record_progress("measure", measure, 3, STATUS_IN_PROGRESS, "ทดสอบ")
    store.follow()
    _exact(store)
    top = ita_queries.named_weak_points_by_area(store, 2565, "นครราชสีมา", None, None, 20).fillna("")
    # the measure now answers e5 (its latest quarter in progress), no longer EIT in words
    assert [(r.code, r.instrument, r.organizations, r.under_way, r.done) for r in top.itertuples()] == [
        ("e5", "", 1, 1, 0), ("", "IIT", 1, 1, 1), ("", "EIT", 1, 1, 1), ("", "OIT", 1, 1, 1)]
