"""The Thai date picker: day, Thai month and พ.ศ. year as three choices side by side. Streamlit's
st.date_input shows an English, Christian-Era calendar and refuses a typed พ.ศ. date, so no page uses it.

The caller passes the container to draw in (st, a column, the sidebar) and st.session_state: this module
draws through them and imports no Streamlit itself (lib.ui.cache stays the only module that does)."""
from __future__ import annotations

import calendar
import datetime as dt

from lib.thai import MONTHS_ABBR, be_to_ce, ce_to_be

PARTS = ("d", "m", "y")  # the keys of the three choices: f"{key}_d", f"{key}_m", f"{key}_y"


def picker(container, state, key: str, years: list[int], *, optional: bool = False) -> dt.date | None:
    """The chosen date; a day past the month's end is its last day (31 ก.พ. -> 28/29 ก.พ.). With
    `optional` each choice starts empty ("วัน", "เดือน", "ปี พ.ศ.") and the date is None until all three
    are chosen. `years` are พ.ศ. years, in the order they are offered."""
    empty = [None] if optional else []
    d, m, y = container.columns([1, 1.15, 1.25], gap="xxsmall")
    day = d.selectbox("วัน", [*empty, *range(1, 32)], key=f"{key}_d", label_visibility="collapsed",
                      placeholder="วัน", format_func=lambda v: "วัน" if v is None else str(v))
    month = m.selectbox("เดือน", [*empty, *range(1, 13)], key=f"{key}_m", label_visibility="collapsed",
                        placeholder="เดือน", format_func=lambda v: "เดือน" if v is None else MONTHS_ABBR[v - 1])
    year = y.selectbox("ปี (พ.ศ.)", [*empty, *years], key=f"{key}_y", label_visibility="collapsed",
                       placeholder="ปี พ.ศ.", format_func=lambda v: "ปี พ.ศ." if v is None else str(v))
    if day is None or month is None or year is None:
        return None
    ce = be_to_ce(year)
    return dt.date(ce, month, min(day, calendar.monthrange(ce, month)[1]))


def set_parts(state, key: str, value: dt.date) -> None:
    """Put a date into a picker's three choices (before it is drawn, or from a callback)."""
    state.update({f"{key}_d": value.day, f"{key}_m": value.month, f"{key}_y": ce_to_be(value.year)})


def year_problem(year: float | None, what: str, low: int = 2400, high: int = 2700) -> str | None:
    """What is wrong with a typed พ.ศ. year (`what`: ปีงบประมาณ, ปีประเมิน), in Thai, or None when it is one (or nothing was typed). Number
    boxes carry no min/max: Streamlit would say an out-of-range number in English."""
    if year is None or low <= year <= high:
        return None
    return (f"{int(year)} ไม่ใช่ปี พ.ศ. กรุณาพิมพ์{what}เป็น พ.ศ. เช่น 2567"
            + (f" (ปี ค.ศ. {int(year)} คือ พ.ศ. {int(year) + 543})" if 1900 <= year <= 2200 else ""))
