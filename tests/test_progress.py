"""The progress rules (lib/progress.py) and the SQL that applies them (lib/queries/dashboard.py)."""
import datetime as dt

import pandas as pd

from lib import progress
from lib.queries import dashboard as dq
from lib.records import STATUS_BLOCKED, STATUS_DONE
from lib.store import import_seeds
from lib.ui import charts


def test_quarters_end_on_their_last_day():
    assert progress.ended_quarters(2569, dt.date(2025, 12, 31)) == []  # the last day of Q1 is still Q1
    assert progress.ended_quarters(2569, dt.date(2026, 1, 1)) == [1]
    assert progress.ended_quarters(2569, dt.date(2026, 6, 18)) == [1, 2]
    assert progress.ended_quarters(2569, dt.date(2026, 10, 1)) == [1, 2, 3, 4]
    assert progress.days_late(2569, 1, dt.date(2026, 6, 18)) == 169
    assert progress.days_late(2569, 2, dt.date(2026, 6, 18)) == 79


def test_overdue_and_share_done():
    as_of = dt.date(2026, 6, 18)
    assert progress.is_overdue(2569, 1, as_of, None)  # no report is not done
    assert progress.is_overdue(2569, 1, as_of, STATUS_BLOCKED)
    assert not progress.is_overdue(2569, 1, as_of, STATUS_DONE)
    assert not progress.is_overdue(2569, 3, as_of, None)  # quarter 3 is still running
    assert progress.state(None) == progress.NO_REPORT
    assert progress.share_done(4, 16) == 0.25 and progress.share_done(0, 0) is None
    assert progress.ROUNDS == {6: (1, 2), 12: (1, 2, 3, 4)}
    assert progress.round_has_ended(2569, 6, as_of) and not progress.round_has_ended(2569, 12, as_of)


def test_sql_overdue_list_agrees_with_the_rules(store):
    import_seeds(store)
    as_of = dt.date(2026, 6, 18)
    item = store.query_rows("SELECT id FROM plan_item WHERE seq = 1 AND fiscal_year = 2569")[0][0]
    store.record_progress("plan_item", item, 1, STATUS_DONE, "ทดสอบ", reported_at=dt.datetime(2026, 2, 1))
    store.record_progress("plan_item", item, 1, STATUS_BLOCKED, "ทดสอบ", reason="ไม่ได้รับงบประมาณ",
                          reported_at=dt.datetime(2026, 3, 1))  # the latest report wins
    overdue = dq.overdue_list(store, (None, None, None), None, as_of)
    for row in overdue.itertuples():
        assert progress.is_overdue(row.fiscal_year, row.quarter, as_of, row.status)
        assert row.days_late == progress.days_late(row.fiscal_year, row.quarter, as_of)
    tako = overdue[(overdue["organization"] == "อบต.ตะโก")]
    assert len(tako) == 16 and tako.loc[tako["record_id"] == item, "status"].tolist() == [STATUS_BLOCKED]
    k = dq.kpis(store, (None, None, None), 2569, as_of)
    assert (k["planned"], k["planned_ended"], k["done_ended"], k["overdue"]) == (16, 16, 0, 16)


def test_every_figure_is_set_in_sarabun_with_catalog_colours(store):
    import_seeds(store)
    as_of, scope = dt.date(2026, 6, 18), (None, None, None)
    colors = dq.colors(store)
    assert colors["dimension"] == {"1": "#0072B2", "2": "#E69F00", "3": "#009E73", "4": "#CC79A7"}
    assert set(colors["instrument"]) == {"IIT", "EIT", "OIT", "none"}
    by_quarter = dq.progress_by_quarter(store, scope, 2569, as_of)
    figures = [charts.quarter_progress(by_quarter, colors), charts.cumulative_progress(by_quarter, colors),
               charts.quarter_progress(dq.progress_by_quarter(store, scope, None, as_of), colors),
               charts.group_progress(dq.progress_by_group(store, scope, None, as_of), colors),
               charts.budget_by_dimension(dq.budget_by_dimension(store, scope, 2569, as_of), colors)]
    for fig in figures:
        assert fig.layout.font.family.startswith("Sarabun")
        assert fig.layout.title.text
    assert charts.wrap_thai("การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น", 28).count("<br>") == 2


def test_default_period_is_today_when_the_year_has_a_plan():
    from lib.progress import default_period

    year, quarter, note = default_period(dt.date(2026, 2, 3), {2569: {1: 15, 2: 1}, 2568: {1: 3}})
    assert (year, quarter) == (2569, 2)
    assert "ไตรมาสปัจจุบัน" in note


def test_default_period_falls_back_to_the_latest_planned_year_and_says_so():
    from lib.progress import default_period

    # 1 Dec 2026 = fiscal year 2570 quarter 1; the seed data plans up to 2569 (15 in Q1, 1 in Q2)
    year, quarter, note = default_period(dt.date(2026, 12, 1), {2566: {1: 9, 2: 9}, 2569: {1: 15, 2: 1}})
    assert (year, quarter) == (2569, 1)
    assert "2570" in note and "2569" in note and "15 รายการ" in note
    # a tie goes to the later quarter; a quarter that has not begun is not chosen
    assert default_period(dt.date(2026, 12, 1), {2569: {1: 4, 3: 4}})[:2] == (2569, 3)
    assert default_period(dt.date(2025, 12, 1), {2568: {1: 2}, 2569: {1: 1, 2: 9}})[:2] == (2569, 1)
    # only future plans: the earliest year, on its first planned quarter
    assert default_period(dt.date(2020, 1, 1), {2569: {2: 1, 3: 5}})[:2] == (2569, 2)
    assert default_period(dt.date(2026, 1, 1), {})[:2] == (None, None)


def test_report_warnings_name_spending_that_contradicts_the_plan():
    from lib.progress import report_warnings

    assert report_warnings(STATUS_DONE, 15_000, 20_000, 4_000) == []
    over = report_warnings(STATUS_DONE, 17_000, 20_000, 20_000)
    assert over == ["ใช้จ่ายรวมทุกไตรมาส 37,000.00 บาท เกินงบประมาณตามแผน 20,000.00 บาท (17,000.00 บาท)"]
    assert report_warnings(STATUS_DONE, 500, 0) == ["รายการนี้ไม่ใช้งบประมาณตามแผน แต่รายงานใช้จ่าย 500.00 บาท"]
    blocked = report_warnings(STATUS_BLOCKED, 100, None)
    assert blocked == ["สถานะดำเนินการไม่ได้ แต่รายงานใช้จ่าย 100.00 บาท"]
    assert report_warnings(STATUS_BLOCKED, None, 0) == []


def test_national_size_figures_are_labelled_level_and_never_clipped():
    """Figures the size of a national database: a thin segment's figure is left out rather than
    squeezed or turned (its hover keeps it), a long unit name is cut on the axis and whole in the
    hover, and labels written beside bars or points have room inside the plot."""
    colors = {"progress": {k: "#000000" for k in ("planned", "reported", "done", "in_progress", "not_started",
                                                  "blocked", "no_report")}}
    long_name = "หน่วยตรวจสอบภายในองค์การบริหารส่วนตำบล"
    rows = pd.DataFrame({"key": ["มิติที่ 2", long_name], "planned": [24407, 14070], "done": [0, 0],
                         "in_progress": [1010, 1359], "not_started": [0, 0], "blocked": [0, 0],
                         "no_report": [23397, 12711]})
    fig = charts.quarter_states(rows, colors, legend=False)
    assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize == 13
    in_progress = next(t for t in fig.data if t.name == "อยู่ระหว่างดำเนินการ")
    assert in_progress.textangle == 0 and list(in_progress.text) == ["1,010", "1,359"]
    assert list(in_progress.y) == ["มิติที่ 2", "หน่วยตรวจสอบภายใน…"]  # อบต. written short, then cut
    assert list(in_progress.customdata) == ["มิติที่ 2", long_name]
    assert charts.quarter_states(rows.head(1), colors, legend=False).layout.height == 40 + 72  # room for its axis
    # the plan's responsible column of 003 names the whole office: its name, not "องค์การบริหารส่วน…"
    office = rows.assign(key=["องค์การบริหารส่วนตำบลตะโก", "เทศบาลตำบลนาดูน"])
    assert list(charts.quarter_states(office, colors, legend=False).data[0].y) == ["อบต.ตะโก", "ทต.นาดูน"]
    by_quarter = pd.DataFrame({"fiscal_year": 2570, "quarter": [1, 2, 3, 4], "ended": [False] * 4,
                               "planned": [112723, 135931, 131821, 103337], "reported": [10808, 0, 0, 0],
                               "done": [0, 0, 0, 0]})
    by_quarter = by_quarter.assign(cumulative_planned=by_quarter["planned"].cumsum(), cumulative_done=0)
    bars = charts.quarter_progress(by_quarter, colors)
    assert bars.layout.xaxis.range == (-0.75, 3.75) and bars.layout.yaxis.range[1] >= 135931 * 1.15
    line = charts.cumulative_progress(by_quarter, colors)
    assert line.layout.xaxis.range == (-0.75, 3.75)  # points sit at 0..3: half a category and more each side
    assert all(t.cliponaxis is False for t in line.data)
    assert [t.text for t in line.data][1] == ("0 (0%)",) * 4
    groups = pd.DataFrame({"group_label": ["EIT"], "group_kind": ["instrument"], "group_key": ["EIT"],
                           "planned": [120000], "reported": [30000], "done": [12000]})
    assert charts.group_progress(groups, colors).layout.xaxis.range == (0, 144000.0)
