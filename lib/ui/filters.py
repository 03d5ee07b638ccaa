"""The sidebar's choices as one value the pages pass to queries, charts and exports (pure)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from lib import thai
from lib.ui.format import thai_date


@dataclass(frozen=True)
class Filters:
    organization_id: int | None
    province: str | None
    district: str | None
    year: int | None
    as_of: dt.date
    quarter: int | None = None  # the fiscal quarter the overview and the reporting grid are about

    @property
    def scope(self) -> tuple[int | None, str | None, str | None]:
        return (self.organization_id, self.province, self.district)

    def describe(self, organization: str | None) -> dict[str, str]:
        """The filters in Thai, for captions and the top of every downloaded sheet."""
        if organization:
            where = organization
        elif self.district:
            where = f"ทุกหน่วยงานใน อ.{self.district} จ.{self.province}"
        elif self.province:
            where = f"ทุกหน่วยงานใน จ.{self.province}"
        else:
            where = "ทุกหน่วยงาน"
        return {"หน่วยงาน": where,
                "ปีงบประมาณ (พ.ศ.)": str(self.year) if self.year else "ทุกปี",
                "ข้อมูล ณ วันที่": thai_date(self.as_of)}


def from_session(state: Mapping, today: dt.date | None = None) -> Filters:
    """Read the keys dashboard.py's sidebar writes; the as-of date defaults to today."""
    as_of = state.get("filter_as_of") or today or thai.today()
    return Filters(state.get("filter_org"), state.get("filter_province"), state.get("filter_district"),
                   state.get("filter_year"), as_of,
                   state.get("filter_quarter") if state.get("filter_year") else None)
