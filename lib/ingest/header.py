"""Facts a document states on its title page: fiscal year, period covered, reporting round."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lib.thai import Period, read_period, to_arabic_digits

_FISCAL_YEAR = re.compile(r"ปี ?งบประมาณ\s*(?:พ\.\s*ศ\.?)?\s*(\d{4})")
_SINCE = re.compile(r"ตั้งแต่(?:วันที่)?\s*([^\n]+)")
_PARENTHESIZED = re.compile(r"\(([^()\n]*\d{4}[^()\n]*)\)")
_ROUND = re.compile(r"รอบ\s*(\d{1,2})\s*เดือน")
_ASSESSED = re.compile(
    r"ผลการประเมินคุณธรรมและความโปร่งใส[^\n]{0,80}?ปีงบประมาณ\s*(?:พ\.\s*ศ\.?)?\s*(\d{4})")


@dataclass(frozen=True)
class Header:
    title: str
    fiscal_year: int | None
    period: Period | None
    report_round: int | None
    assessed_year: int | None  # "จากการวิเคราะห์ผลการประเมิน ... ประจำปีงบประมาณ พ.ศ. X"


def head_end(text: str) -> int:
    """Offset of the first table row: what comes before it is the title page and introduction."""
    m = re.search(r"^[^\n]*\t", text, re.MULTILINE)
    return m.start() if m else len(text)


def read_header(text: str) -> Header:
    head = to_arabic_digits(text[: head_end(text)])
    lines = [re.sub(r"[#*]+", "", line).strip() for line in head.splitlines()]
    title_lines: list[str] = []
    for line in lines:
        if line:
            title_lines.append(line)
        elif title_lines:
            break
    title = " ".join(title_lines)

    period = None
    m = _SINCE.search(head)
    candidates = [m.group(1)] if m else []
    candidates += [p for p in _PARENTHESIZED.findall(head) if re.search(r"[ก-๙]", p)]
    for candidate in candidates:
        p = read_period(candidate)
        if p.readable:
            period = p
            break

    fy = _FISCAL_YEAR.search(head)
    fiscal_year = int(fy.group(1)) if fy else (period.fiscal_year if period else None)
    rnd = _ROUND.search(head)
    assessed = _ASSESSED.search(head)
    return Header(
        title=title,
        fiscal_year=fiscal_year,
        period=period,
        report_round=int(rnd.group(1)) if rnd else None,
        assessed_year=int(assessed.group(1)) if assessed else None,
    )
