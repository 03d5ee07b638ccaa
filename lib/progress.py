"""The rules of progress tracking, stated once (pure: no database, no streamlit).

The unit of progress is a *planned quarter*: one plan item or measure in one quarter its
record plans (plan_item.quarters from the plan's summary table; measure.quarters from its
period). Its state is the latest progress report for that record and quarter made on or before
the as-of date; with no such report it is NO_REPORT, never done.

- A quarter has ended at an as-of date when its last day is before that date.
- Overdue: a planned quarter that has ended and whose state is not STATUS_DONE (no report
  counts as not done).
- Days late: the as-of date minus the planned quarter's last day.
- Share done by the as-of date: done planned quarters / planned quarters that have ended.
- The 6-month round covers Q1+Q2 (ต.ค.-มี.ค.), the 12-month round Q1-Q4 (the fiscal year).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from lib.records import STATUS_BLOCKED, STATUS_DONE
from lib.thai import fiscal_quarter_of, fiscal_year_of, quarter_bounds

NO_REPORT = "ยังไม่มีรายงาน"
ROUNDS: dict[int, tuple[int, ...]] = {6: (1, 2), 12: (1, 2, 3, 4)}
ROUND_LABELS = {6: "รอบ 6 เดือน (ไตรมาส 1-2: ต.ค.-มี.ค.)", 12: "รอบ 12 เดือน (ไตรมาส 1-4: ต.ค.-ก.ย.)"}
SHARE_DONE_DEFINITION = (
    "งานรายไตรมาส = รายการหนึ่งรายการในไตรมาสหนึ่งที่วางแผนไว้ (โครงการที่วางแผน 2 ไตรมาสนับเป็น 2 งาน) · "
    "สัดส่วนที่ดำเนินการแล้วเสร็จ = จำนวนงานรายไตรมาสที่ครบกำหนดแล้ว ณ วันที่เลือก "
    "และรายงานล่าสุดของไตรมาสนั้นเป็น \"ดำเนินการแล้วเสร็จ\" หารด้วยจำนวนงานรายไตรมาส "
    "ที่ครบกำหนดแล้วทั้งหมด · รายการที่ยังไม่มีรายงานนับเป็นยังไม่เสร็จ")
OVERDUE_DEFINITION = ("เลยกำหนด = ไตรมาสที่วางแผนไว้สิ้นสุดแล้ว แต่ยังไม่มีรายงานว่าดำเนินการแล้วเสร็จ · "
                      "จำนวนวันที่ล่าช้า = วันที่เลือก ลบ วันสุดท้ายของไตรมาสที่วางแผน")


def quarter_has_ended(fiscal_year: int, quarter: int, as_of: dt.date) -> bool:
    return quarter_bounds(fiscal_year, quarter)[1] < as_of


def ended_quarters(fiscal_year: int, as_of: dt.date) -> list[int]:
    return [q for q in (1, 2, 3, 4) if quarter_has_ended(fiscal_year, q, as_of)]


def days_late(fiscal_year: int, quarter: int, as_of: dt.date) -> int:
    """Days since the planned quarter's last day (0 or less while the quarter is running)."""
    return (as_of - quarter_bounds(fiscal_year, quarter)[1]).days


def state(status: str | None) -> str:
    """What a planned quarter shows: the latest report's status, or NO_REPORT."""
    return status if status else NO_REPORT


def is_done(status: str | None) -> bool:
    return status == STATUS_DONE


def is_overdue(fiscal_year: int, quarter: int, as_of: dt.date, status: str | None) -> bool:
    return quarter_has_ended(fiscal_year, quarter, as_of) and not is_done(status)


def share_done(done: int, ended_planned: int) -> float | None:
    """Share done by the as-of date; None when no planned quarter has ended yet."""
    return done / ended_planned if ended_planned else None


def round_has_ended(fiscal_year: int, months: int, as_of: dt.date) -> bool:
    return quarter_has_ended(fiscal_year, ROUNDS[months][-1], as_of)


def quarter_calendar(fiscal_years: Iterable[int], as_of: dt.date) -> dict[str, list]:
    """Columns of a (fiscal_year, quarter) table with each quarter's end, whether it has ended
    and days late at `as_of`; the SQL joins it so the rules above are the only ones applied."""
    cols: dict[str, list] = {"fiscal_year": [], "quarter": [], "quarter_end": [], "ended": [], "days_late": []}
    for fy in sorted(set(fiscal_years)):
        for q in (1, 2, 3, 4):
            cols["fiscal_year"].append(fy)
            cols["quarter"].append(q)
            cols["quarter_end"].append(quarter_bounds(fy, q)[1])
            cols["ended"].append(quarter_has_ended(fy, q, as_of))
            cols["days_late"].append(days_late(fy, q, as_of))
    return cols


def reports_cutoff(as_of: dt.date) -> dt.datetime:
    """Reports made on the as-of date count; later ones do not."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


def default_period(today: dt.date, planned: Mapping[int, Mapping[int, int]]) -> tuple[int | None, int | None, str]:
    """The fiscal year and quarter a page opens on, and why, in Thai.

    `planned` maps each fiscal year that has planned work to {quarter: records planned in it}.
    Today's fiscal year and quarter when that year has a plan; otherwise the latest year that has
    one before today (or the earliest after it), on its quarter with the most planned work among
    those that have begun (the later one on a tie).
    """
    year, quarter = fiscal_year_of(today), fiscal_quarter_of(today)
    years = sorted(y for y, qs in planned.items() if any(qs.values()))
    if not years:
        return None, None, "ยังไม่มีรายการที่วางแผนไว้ในฐานข้อมูล"
    if year in years:
        return year, quarter, f"ปีงบประมาณ {year} ไตรมาส {quarter} (ไตรมาสปัจจุบัน)"
    earlier = [y for y in years if y < year]
    chosen = earlier[-1] if earlier else years[0]
    counts = {q: n for q, n in planned[chosen].items() if n}
    begun = {q: n for q, n in counts.items() if quarter_bounds(chosen, q)[0] <= today} or \
        {min(counts): counts[min(counts)]}
    chosen_q = max(begun, key=lambda q: (begun[q], q))
    which = "ปีล่าสุดที่มีแผน" if earlier else "ปีแรกที่มีแผน"
    return chosen, chosen_q, (f"ยังไม่มีแผนของปีงบประมาณ {year} (ปีปัจจุบัน) จึงแสดงปี {chosen} {which} "
                              f"ไตรมาส {chosen_q} ซึ่งมีงานตามแผนมากที่สุด ({begun[chosen_q]:,} รายการ)")


def report_warnings(status: str | None, spent: float | None, budget: float | None,
                    spent_other_quarters: float = 0.0) -> list[str]:
    """What a progress report's figures contradict, in Thai: spending above the plan's budget
    (with what the other quarters already spent), spending on an item planned without budget,
    and spending on work that could not be done. The report may still be right; a person confirms."""
    spent = spent or 0.0
    if spent <= 0:
        return []
    out = []
    total = spent + (spent_other_quarters or 0.0)
    if budget is not None and budget == budget:
        if budget == 0:
            out.append(f"รายการนี้ไม่ใช้งบประมาณตามแผน แต่รายงานใช้จ่าย {total:,.2f} บาท")
        elif total > budget:
            out.append(f"ใช้จ่ายรวมทุกไตรมาส {total:,.2f} บาท เกินงบประมาณตามแผน {budget:,.2f} บาท "
                       f"({total - budget:,.2f} บาท)")
    if status == STATUS_BLOCKED:
        out.append(f"สถานะดำเนินการไม่ได้ แต่รายงานใช้จ่าย {spent:,.2f} บาท")
    return out
