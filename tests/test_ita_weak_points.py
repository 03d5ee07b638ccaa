"""Weak points the documents name (seeds 001 and 004), their measures and progress, by organization and by area;
catalog years the catalog does not hold; what a corrected list changes; score files marked as test data."""
import datetime as dt

import pandas as pd
import pytest

from lib.ita import gap
from lib.ita.catalog import catalog_diff, changed_codes
from lib.ita.scores import marked_as_test_data
from lib.ita.suggest import suggest_links
from lib.queries import ita as ita_queries
from lib.queries import records as queries
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED
from lib.store import import_seeds
from tests.conftest import ROOT

BONGTI_CODES = ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"]


@pytest.fixture
def seeded(store):
    import_seeds(store)
    orgs = queries.organizations(store).set_index("short_name")["id"]
    return store, int(orgs["อบต.บ้องตี้"]), int(orgs["ทต.ปรุใหญ่"])


# 001's own results (reports dated 30 Sep 2023, tests/test_results.py) make i7, o41 and o42 done; the gap
# logic below is checked as of the day before, when no report had been made
BEFORE_RESULTS = dt.date(2023, 9, 29)


def weak_points_of(store, org, year, as_of=None, gaps=None):
    fw = ita_queries.framework(store, year)
    return gap.weak_points(ita_queries.coverage_links(store, org, year, as_of), fw, gaps)


def test_bongti_eight_weak_items_from_its_document(seeded):
    store, bongti, _ = seeded
    today = weak_points_of(store, bongti, 2565).set_index("code")
    assert today.loc[["i7", "o41", "o42"], "state"].eq(gap.STATE_DONE).all()  # as the document reports them
    weak = weak_points_of(store, bongti, 2565, as_of=BEFORE_RESULTS)
    assert weak["code"].tolist() == BONGTI_CODES  # all without progress: document order IIT, EIT, OIT
    assert weak["instrument"].tolist() == ["IIT"] * 3 + ["EIT"] * 3 + ["OIT"] * 2
    assert (weak["state"] == gap.STATE_NO_PROGRESS).all() and weak["attention"].all()
    by_code = weak.set_index("code")
    assert by_code.loc["i7", "words"].startswith("ท่านรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปี")
    assert by_code.loc["o42", "catalog_title"] == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"  # 2565's own list
    assert [m.split(".")[0] for m in weak["measures"].map(lambda ms: ms[0])] == [str(n) for n in range(1, 9)]
    assert by_code.loc["i7", "statuses"] == ["1. ยังไม่มีรายงาน"]


def test_progress_moves_a_weak_item_down_and_counts_only_up_to_the_as_of_date(seeded):
    store, bongti, _ = seeded
    links = ita_queries.coverage_links(store, bongti, 2565).set_index("code")
    o41, i7 = int(links.loc["o41", "measure_id"]), int(links.loc["i7", "measure_id"])
    store.record_progress("measure", o41, 2, STATUS_IN_PROGRESS, "ผู้ทดสอบ", note="จัดทำรายงานแล้วครึ่งหนึ่ง",
                          reported_at=dt.datetime(2023, 3, 20, 10))
    store.record_progress("measure", i7, 1, STATUS_DONE, "ผู้ทดสอบ", reported_at=dt.datetime(2023, 1, 5, 9))
    weak = weak_points_of(store, bongti, 2565, as_of=BEFORE_RESULTS)
    assert weak["code"].tolist() == ["i8", "i12", "e11", "e14", "e15", "o42", "o41", "i7"]
    by_code = weak.set_index("code")
    assert by_code.loc["o41", "state"] == gap.STATE_IN_PROGRESS and by_code.loc["i7", "state"] == gap.STATE_DONE
    assert by_code.loc["o41", "statuses"] == [f"7. {STATUS_IN_PROGRESS} ไตรมาส 2"]
    assert by_code.loc["o41", "reports"] == ["7. จัดทำรายงานแล้วครึ่งหนึ่ง"]
    before = weak_points_of(store, bongti, 2565, as_of=dt.date(2023, 2, 1)).set_index("code")
    assert before.loc["o41", "state"] == gap.STATE_NO_PROGRESS and before.loc["i7", "state"] == gap.STATE_DONE


def test_prui_eleven_weaknesses_in_the_documents_words(seeded):
    store, _, prui = seeded
    weak = weak_points_of(store, prui, 2565)
    assert len(weak) == 11 and weak["code"].isna().all() and weak["named_by_document"].all()
    assert weak["instrument"].value_counts().to_dict() == {"IIT": 3, "EIT": 3, "OIT": 5}
    assert weak["instrument"].tolist() == ["IIT"] * 3 + ["EIT"] * 3 + ["OIT"] * 5
    assert "E-Service URL ไม่เชื่อมโยง กับเว็บไซต์หลัก" in weak["words"].tolist()
    assert weak["label"].iloc[0] == "IIT (ไม่มีรหัสข้อ)"


def test_organizations_without_named_weak_points(seeded):
    store, _, _ = seeded
    orgs = queries.organizations(store).set_index("short_name")["id"]
    assert weak_points_of(store, int(orgs["อบต.ปอ"]), 2566).empty  # 002 names categories, not weak points
    assert weak_points_of(store, int(orgs["อบต.บ้องตี้"]), 2566).empty  # no measures of fiscal year 2567


def test_weak_point_state():
    assert gap.weak_point_state([]) == gap.STATE_NO_MEASURE
    assert gap.weak_point_state([None, STATUS_NOT_STARTED]) == gap.STATE_NO_PROGRESS
    assert gap.weak_point_state([STATUS_BLOCKED, None]) == gap.STATE_BLOCKED
    assert gap.weak_point_state([STATUS_BLOCKED, STATUS_IN_PROGRESS]) == gap.STATE_IN_PROGRESS
    assert gap.weak_point_state([STATUS_DONE, None]) == gap.STATE_IN_PROGRESS
    assert gap.weak_point_state([STATUS_DONE, STATUS_DONE]) == gap.STATE_DONE
    assert [gap.STATE_ORDER[s] for s in (gap.STATE_NO_MEASURE, gap.STATE_BLOCKED, gap.STATE_IN_PROGRESS,
                                         gap.STATE_DONE)] == [0, 1, 2, 3]


def test_most_named_weak_items_by_area(seeded):
    store, bongti, prui = seeded
    area = ita_queries.named_weak_points_by_area(store, 2565, as_of=BEFORE_RESULTS)
    coded = area[area["code"].notna()].set_index("code")
    assert sorted(coded.index) == sorted(BONGTI_CODES)
    assert (coded["organizations"] == 1).all() and (coded["under_way"] == 0).all()
    uncoded = area[area["code"].isna()].set_index("instrument")
    assert uncoded["organizations"].to_dict() == {"IIT": 1, "EIT": 1, "OIT": 1}  # ปรุใหญ่: 3, 3 and 5 weaknesses
    assert area["weak_points"].iloc[0] == 11 and area["organizations_naming"].iloc[0] == 2
    o41 = int(ita_queries.coverage_links(store, bongti, 2565).set_index("code").loc["o41", "measure_id"])
    store.record_progress("measure", o41, 2, STATUS_IN_PROGRESS, "ผู้ทดสอบ", reported_at=dt.datetime(2023, 3, 1))
    area = ita_queries.named_weak_points_by_area(store, 2565, as_of=BEFORE_RESULTS).set_index("code")
    assert area.loc["o41", "under_way"] == 1 and area.loc["o41", "no_progress"] == 0
    korat = ita_queries.named_weak_points_by_area(store, 2565, "นครราชสีมา")  # บ้องตี้ is in กาญจนบุรี
    assert korat["code"].isna().all() and korat["organizations"].sum() == 3
    assert len(ita_queries.named_weak_points_by_area(store, 2565, limit=4)) == 4
    assert ita_queries.named_weak_points_by_area(store, 2565, limit=4)["weak_points"].iloc[0] == 11


def test_a_year_the_catalog_does_not_hold_borrows_no_titles(seeded):
    store, bongti, _ = seeded
    fw = ita_queries.framework(store, 2568)
    assert fw.borrowed and fw.list_year == 2567
    assert fw.title("i1") == "ไม่ทราบชื่อข้อ (ยังไม่มีบัญชีข้อคำถามปี 2568)"
    assert "ปี 2568" in fw.missing_list_note and "ปี 2567" in fw.missing_list_note
    assert ita_queries.framework(store, 2567).missing_list_note is None
    assert ita_queries.framework(store, 2567).title("i1").startswith("บุคลากรปฏิบัติงาน")
    measures = pd.DataFrame([{"id": 1, "title": "จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
                              "instrument": "OIT", "item_topic": None}])
    assert suggest_links(measures, fw).empty  # no other year's titles to match against
    assert not suggest_links(measures, ita_queries.framework(store, 2566)).empty


def test_codes_whose_meaning_changed_between_years(store):
    items = pd.concat([ita_queries.catalog_items(store, y).assign(framework_year=y) for y in (2564, 2566, 2567)])
    changed = changed_codes(items)
    o36 = changed[changed["code"] == "o36"].set_index("framework_year")["title"]
    assert o36[2564] == "การประเมินความเสี่ยงการทุจริตประจำปี" and o36[2566] == "แผนปฏิบัติการป้องกันการทุจริต"
    assert "i1" not in set(changed["code"])  # same wording every year
    assert "o4" in set(changed["code"])  # 2567's o4 is ข้อมูลการติดต่อ (§3.3)


def test_catalog_diff_names_every_change():
    old = pd.DataFrame([{"code": "i1", "instrument": "IIT", "indicator": 1, "sub_indicator": None, "title": "ก",
                         "confidence": "third-party"},
                        {"code": "o43", "instrument": "OIT", "indicator": 10.0, "sub_indicator": "10.2", "title": "ข",
                         "confidence": "unverified"}])
    new = pd.DataFrame([{"code": "i1", "instrument": "IIT", "indicator": 1, "sub_indicator": None, "title": "ก ใหม่",
                         "confidence": "verified"},
                        {"code": "o44", "instrument": "OIT", "indicator": 10, "sub_indicator": None, "title": "ค",
                         "confidence": "verified"}])
    diff = catalog_diff(old, new)
    assert diff[["code", "change", "field", "old", "new"]].values.tolist() == [
        ["i1", "changed", "title", "ก", "ก ใหม่"], ["i1", "changed", "confidence", "third-party", "verified"],
        ["o43", "removed", "title", "ข", None], ["o44", "added", "title", None, "ค"]]
    assert catalog_diff(old, old).empty


def test_a_score_file_that_says_it_is_test_data():
    from lib.ita.scores import read_table

    content = (ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv").read_bytes()
    table = read_table(content, "x.csv", "หน่วยงาน")
    assert marked_as_test_data(table.attrs["notes"]).startswith("# TEST DATA ONLY")
    for note in ("ข้อมูลตัวอย่างสำหรับฝึกกรอก", "SAMPLE - do not use", "ข้อมูลสมมติ"):
        assert marked_as_test_data([note]) == note
    assert marked_as_test_data(["ผลการประเมิน ITA ปี 2565 จาก itas.nacc.go.th", "ป.ป.ช. จังหวัดกาญจนบุรี"]) is None
    assert marked_as_test_data([]) is None


def corrected_2565(store) -> bytes:
    """2565's list with o41 retitled, o42 removed and o44 added, as an admin would correct it."""
    from lib.ita.catalog import CATALOG_HEADERS

    items = ita_queries.catalog_items(store, 2565).drop(columns="origin")
    items = items[items["code"] != "o42"].copy()
    items.loc[items["code"] == "o41", "title"] = "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี (ฉบับแก้)"
    extra = pd.DataFrame([{"code": "o44", "instrument": "OIT", "indicator": 10, "title": "ข้อใหม่", "confidence": "verified",
                           "source": "คู่มือ"}])
    return pd.concat([items, extra]).rename(columns=CATALOG_HEADERS).to_csv(index=False).encode("utf-8-sig")


def test_a_corrected_list_is_previewed_with_what_it_changes(seeded):
    from lib.store import ita as store_ita

    store, _, _ = seeded
    preview = store_ita.preview_catalog(store, corrected_2565(store), "2565.csv", 2565)
    assert not preview.problems and preview.replaces == "catalog" and len(preview.rows) == 88
    changes = preview.diff.drop_duplicates(["code", "change"]).set_index("code")["change"].to_dict()
    assert changes == {"o41": "changed", "o42": "removed", "o44": "added"}
    assert preview.links == 2  # บ้องตี้'s measures 7 and 8 answer o41 and o42 of 2565 (seed 001)
    assert preview.scores == 0
    assert len(ita_queries.catalog_items(store, 2565)) == 88  # a preview writes nothing
    assert store_ita.preview_catalog(store, b"\xff\xfe", "x.csv", 2565).problems
    fresh = store_ita.preview_catalog(store, corrected_2565(store), "2569.csv", 2569)
    assert fresh.replaces == "none" and set(fresh.diff["change"]) == {"added"}
