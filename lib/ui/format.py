"""How numbers, dates and years read in the Thai UI."""
from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from lib.thai import format_thai_date


def baht(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def thai_date(value) -> str:
    if value is None or value != value:  # None or NaT/NaN
        return "-"
    if isinstance(value, dt.datetime):
        value = value.date()
    elif hasattr(value, "date") and not isinstance(value, dt.date):
        value = value.date()
    return format_thai_date(value)


def quarters(values) -> str:
    values = [] if values is None else list(values)
    return ", ".join(f"ไตรมาส {q}" for q in values) if values else "-"


def codes(values) -> str:
    values = [] if values is None else list(values)
    return ", ".join(values) if values else "-"


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$=")


def plain(text) -> str:
    """Text from a document or a user, escaped so st.markdown / st.error show it as written:
    no links, images, colours or formulas can be smuggled in through it."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


def display(value) -> str:
    """A compared value as the preview shows it in Thai."""
    if value is None or value == () or value == "":
        return "(ว่าง)"
    if isinstance(value, Decimal):
        return baht(float(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return thai_date(value) + (value.strftime(" %H:%M") if isinstance(value, dt.datetime) else "")
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def money(value: float | None) -> str:
    """Baht in the unit that reads: '20,000 บาท' below a million, '33.52 ล้านบาท' from a million."""
    if value is None or value != value:
        return "-"
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.2f} ล้านบาท"
    return f"{value:,.0f} บาท" if float(value).is_integer() else f"{value:,.2f} บาท"


def share(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.0%}"


def percent(value: float | None) -> str:
    """A share spent: one decimal below 10% (0.9%, not a rounded 1%), whole from there (62%)."""
    if value is None or value != value:
        return "-"
    return f"{value:.1%}" if abs(value) < 0.1 else f"{value:.0%}"


MILLION = 1_000_000


def money_unit(largest: float | None) -> tuple[float, str]:
    """The one unit a page's budget figures, axes and tables are given in: บาท, or ล้านบาท once the
    largest figure reaches a million (a 10-digit baht figure reads as nothing in a meeting)."""
    return (MILLION, "ล้านบาท") if largest is not None and abs(largest) >= MILLION else (1, "บาท")


def in_unit(value: float | None, unit: tuple[float, str]) -> str:
    """A figure in the page's unit, without the unit's name (the label carries it)."""
    if value is None or value != value:
        return "-"
    scaled = value / unit[0]
    return f"{scaled:,.2f}" if unit[0] != 1 or not float(value).is_integer() else f"{scaled:,.0f}"


_QUOTED = re.compile(r"""'([^']+)'|"([^"]+)"|“([^”]+)”""")


def quoting_html(message: str) -> str:
    """A message of ours that quotes a document ('...' or "..."), as HTML: everything escaped, each quoted
    span in a <q> element, so a reader (and the browser test) can tell the document's words from ours."""
    out, last = [], 0
    for m in _QUOTED.finditer(message):
        out.append(html.escape(message[last:m.start()]))
        out.append(f"<q>{html.escape(next(g for g in m.groups() if g is not None))}</q>")
        last = m.end()
    out.append(html.escape(message[last:]))
    return "".join(out)
