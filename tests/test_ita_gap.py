"""Scores of the test file (made-up test data, not real results): totals, grades and gaps computed by hand."""
import pytest

from lib.ita import gap
from lib.queries import ita as ita_queries
from lib.queries import records as queries
from lib.store import StoreError, import_seeds
from lib.store import ita as store_ita
from tests.conftest import ROOT, TEST_SCORE_SOURCE, mark_as_test_organizations

SCORES = ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv"
BAD = ROOT / "tests" / "data" / "ita_scores_TESTDATA_bad_rows.csv"


@pytest.fixture
def loaded(store):
    import_seeds(store)
    mark_as_test_organizations(store)
    store_ita.import_scores(store, SCORES.read_bytes(), SCORES.name, "ผู้ทดสอบ", **TEST_SCORE_SOURCE)
    orgs = queries.organizations(store).set_index("short_name")["id"]
    return store, int(orgs["อบต.บ้องตี้"]), int(orgs["ทต.ปรุใหญ่"])


def test_bongti_2565_total_grade_and_typed_total_flag(loaded):
    store, bongti, _ = loaded
    result = gap.compute(ita_queries.framework(store, 2565), ita_queries.scores(store, bongti, 2565))
    # indicator 2 = mean(60, 70, 80, 80, 80, 62) = 72; indicator 10 = (7 x 100 + 0 + 50 + 100) / 10 = 85
    assert result.indicators == {1: 90, 2: 72, 3: 88, 4: 94, 5: 82, 6: 80, 7: 86, 8: 71, 9: 100, 10: 85}
    # IIT = (90+72+88+94+82)/5 = 85.2; EIT = (80+86+71)/3 = 79; OIT = (100+85)/2 = 92.5
    assert result.instruments == pytest.approx({"IIT": 85.2, "EIT": 79.0, "OIT": 92.5})
    # total = 85.2 x .3 + 79 x .3 + 92.5 x .4 = 25.56 + 23.7 + 37 = 86.26 -> A, passes; EIT < 85 so not ผ่านดี
    assert result.total == pytest.approx(86.26)
    assert (result.grade, result.passes, result.verbal) == ("A", True, "ผ่าน")
    assert any("86.00" in f and "86.26" in f for f in result.flags)


def test_other_years_and_organizations(loaded):
    store, bongti, prui = loaded
    r2564 = gap.compute(ita_queries.framework(store, 2564), ita_queries.scores(store, bongti, 2564))
    assert r2564.total == pytest.approx(80 * .3 + 75 * .3 + 70 * .4) and r2564.grade == "C"  # 74.5
    rp = gap.compute(ita_queries.framework(store, 2565), ita_queries.scores(store, prui, 2565))
    assert rp.instruments == pytest.approx({"IIT": 85, "EIT": 80, "OIT": 80})
    assert rp.total == pytest.approx(81.5) and rp.grade == "B" and rp.passes is False
    trend = ita_queries.results_by_year(store, bongti)
    assert trend["framework_year"].tolist() == [2564, 2565]
    assert trend["total"].round(2).tolist() == [74.5, 86.26]


def test_ranked_gap_list(loaded):
    store, bongti, _ = loaded
    table = gap.gap_table(ita_queries.framework(store, 2565), ita_queries.scores(store, bongti, 2565), 85)
    weak = table[table["weak"]]
    # points gained = gap x weight; weight of an indicator = instrument weight / 100 / its scored indicators,
    # of an item = its indicator's weight / its scored items: o41 85 x .4/2/10 = 1.70, indicator 8 14 x .3/3 = 1.40, ...
    assert list(zip(weak["code"], weak["points_gain"].round(2), strict=True)) == [
        ("o41", 1.70), ("8", 1.40), ("2", 0.78), ("o42", 0.70), ("6", 0.50), ("i7", 0.25), ("i12", 0.23),
        ("5", 0.18), ("i8", 0.15), ("i9", 0.05), ("i10", 0.05), ("i11", 0.05)]
    assert weak["gap"].tolist() == [85, 14, 13, 35, 5, 25, 23, 3, 15, 5, 5, 5]
    assert table.set_index("code").loc["10", "weak"] == False  # noqa: E712  (85 reaches the target 85)


def test_what_if_and_own_target(loaded):
    store, bongti, _ = loaded
    fw, scores = ita_queries.framework(store, 2565), ita_queries.scores(store, bongti, 2565)
    now, projected = gap.what_if(fw, scores, [("item", "o41"), ("indicator", "8")], 85)
    assert projected.total == pytest.approx(86.26 + 1.70 + 1.40)
    _, set_score = gap.what_if(fw, scores, [], 85, {("instrument", "EIT"): 100})
    assert set_score.total == pytest.approx(86.26 + 21 * .3)
    store_ita.set_target(store, bongti, 2565, 90, "ผู้ทดสอบ")
    assert ita_queries.target(store, bongti, 2565) == 90
    assert gap.gap_table(fw, scores, 90).set_index("code").loc["1", "weak"] == False  # noqa: E712  (90 = target)


def test_coverage_uses_next_years_measures(loaded):
    store, bongti, _ = loaded
    fw, scores = ita_queries.framework(store, 2565), ita_queries.scores(store, bongti, 2565)
    cover = gap.coverage(gap.gap_table(fw, scores, 85), ita_queries.coverage_links(store, bongti, 2565), fw)
    by_code = cover.set_index("code")
    assert by_code.loc["o41", "measures"] == 1 and by_code.loc["o42", "measures"] == 1
    assert by_code.loc["2", "measures"] == 3  # i7, i8, i12 measures of 2566
    assert by_code.loc["8", "measures"] == 3  # e11, e14, e15
    assert sorted(cover.loc[~cover["covered"], "code"]) == ["5", "6", "i10", "i11", "i9"]
    # 001 reports its o41 measure done ("...เผยแพร่ผ่านหน้าเว็บไซต์หน่วยงานเมื่อวันที่ ๒๖ ตุลาคม พ.ศ. ๒๕๖๖")
    assert by_code.loc["o41", "statuses"] == ["ดำเนินการแล้วเสร็จ"]
    measure = int(ita_queries.coverage_links(store, bongti, 2565).set_index("code").loc["o41", "measure_id"])
    store.record_progress("measure", measure, 4, "อยู่ระหว่างดำเนินการ", "ผู้ทดสอบ")
    links = ita_queries.coverage_links(store, bongti, 2565)
    assert links.set_index("code").loc["o41", "progress_status"] == "อยู่ระหว่างดำเนินการ"


def test_bad_score_file_writes_nothing_and_names_each_row(loaded):
    store, bongti, _ = loaded
    before = store.query_rows("SELECT count(*), sum(score) FROM ita_score")
    check = store_ita.check_score_file(store, BAD.read_bytes(), BAD.name)
    assert check.bad_rows == [4, 5, 6, 7, 8]  # line 1 is the test-data note, line 2 the header
    with pytest.raises(StoreError) as e:
        store_ita.import_scores(store, BAD.read_bytes(), BAD.name, "ผู้ทดสอบ", **TEST_SCORE_SOURCE)
    for line, words in [(4, "นอกช่วง 0-100"), (5, "ไม่มีข้อ o99"), (6, "ไม่รู้จักหน่วยงาน"), (7, "IIT, EIT หรือ OIT"),
                        (8, "ไม่ใช่ตัวเลข")]:
        assert f"แถว {line}: " in str(e.value) and words in str(e.value)
    assert store.query_rows("SELECT count(*), sum(score) FROM ita_score") == before
    # the user may choose to import the one good row; it replaces that organization-year's scores
    done = store_ita.import_scores(store, BAD.read_bytes(), BAD.name, "ผู้ทดสอบ", only_good_rows=True,
                                   **TEST_SCORE_SOURCE)
    assert (done.written, done.skipped) == (1, 5)
    assert ita_queries.scores(store, bongti, 2565)[["code", "score"]].values.tolist() == [["i7", 60.0]]
    old = store.query_rows("SELECT old_value FROM history WHERE action = 'import_scores' ORDER BY id DESC LIMIT 1")
    assert '"o41"' in old[0][0]  # the replaced scores are kept


def test_xlsx_template_round_trip(store):
    import io

    import openpyxl

    from lib.ita.scores import template_xlsx

    import_seeds(store)
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(ita_queries.framework(store, 2565), ["อบต.บ้องตี้"])))
    assert book.sheetnames == ["คะแนน", "วิธีกรอก", "รหัสข้อปี 2565"]
    assert book["รหัสข้อปี 2565"].max_row == 89
    book["คะแนน"].append(["อบต.บ้องตี้", 2565, "เครื่องมือ", "IIT", "๘๐"])
    out = io.BytesIO()
    book.save(out)
    check = store_ita.check_score_file(store, out.getvalue(), "คะแนน.xlsx")
    assert check.ok and check.rows[["level", "code", "score"]].values.tolist() == [["instrument", "IIT", 80.0]]


def test_cp874_csv(store):
    import_seeds(store)
    content = "หน่วยงาน,ปีประเมิน ITA (พ.ศ.),ระดับ,รหัส,คะแนน (0-100)\nอบต.ปอ,2566,ข้อ,O36,70\n".encode("cp874")
    check = store_ita.check_score_file(store, content, "a.csv")
    assert check.ok and check.rows["code"].tolist() == ["o36"]
