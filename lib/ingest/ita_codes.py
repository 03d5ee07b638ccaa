"""The item codes of each assessment year's shipped list (data/catalog/ita/items_<year>.csv), read
without pandas: the importer checks a code read from a scan against them."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog" / "ita"


@lru_cache(maxsize=1)
def _lists() -> dict[int, frozenset[str]]:
    out: dict[int, set[str]] = {}
    for path in sorted(CATALOG_DIR.glob("items_*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out.setdefault(int(row["framework_year"]), set()).add(row["code"])
    return {year: frozenset(codes) for year, codes in out.items()}


def shipped_codes(year: int) -> frozenset[str] | None:
    """The codes of the year's list, None when the catalog has no list of that year."""
    return _lists().get(year)
