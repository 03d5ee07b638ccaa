"""Reads the writes check their input against (organizations, the ITA framework of a year, targets).

They live in the store so a write never imports a query module; lib/queries re-exports them for pages.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from lib.ita.catalog import Framework, nearest_year
from lib.store.db import Store


def organizations(store: Store) -> pd.DataFrame:
    return store.query_df(
        "SELECT id, short_name, name, kind, district, province, website, location_confirmed "
        "FROM organization ORDER BY province NULLS LAST, district NULLS LAST, short_name")


def catalog_years(store: Store) -> list[int]:
    """Years with an item list of their own (from the catalog files or a user's import)."""
    return [r[0] for r in store.query_rows("SELECT DISTINCT framework_year FROM ita_item_active ORDER BY 1")]


def framework(store: Store, year: int) -> Framework | None:
    """The framework of assessment year `year`; a year without its own list borrows the nearest list.
    Read once per store and year for the life of the catalog (Store.catalog_reads): an ITA page's reads
    each ask for it (seven queries a time); callers get their own copy of its tables."""
    kept = store.catalog_reads(("framework", year), lambda: _framework(store, year))
    return None if kept is None else dataclasses.replace(kept, items=kept.items.copy(),
                                                         indicators=kept.indicators.copy())


def _framework(store: Store, year: int) -> Framework | None:
    list_year = nearest_year(year, catalog_years(store))
    if list_year is None:
        return None
    items = store.query_df(
        "SELECT code, instrument, indicator, sub_indicator, title, confidence, source, origin "
        "FROM ita_item_active WHERE framework_year = ? "
        "ORDER BY instrument = 'OIT', instrument = 'EIT', regexp_extract(code, '\\d+')::INTEGER", [list_year])
    weight_years = [r[0] for r in store.query_rows("SELECT DISTINCT framework_year FROM ita_weight")]
    weights = store.query_rows("SELECT instrument, weight::DOUBLE, confidence FROM ita_weight "
                               "WHERE framework_year = ?", [nearest_year(year, weight_years)])
    bands = store.query_rows("SELECT grade, min_score::DOUBLE, passes FROM ita_grade_band ORDER BY min_score DESC")
    verbal = store.query_rows("SELECT level, min_total::DOUBLE, min_each_instrument::DOUBLE FROM ita_verbal_level "
                              "ORDER BY rank")
    return Framework(year=year, list_year=list_year, items=items, indicators=indicators(store),
                     weights={i: w for i, w, _ in weights}, weight_confidence={i: c for i, _, c in weights},
                     bands=[(g, m, bool(p)) for g, m, p in bands], verbal=[(lv, t, e) for lv, t, e in verbal])


def indicators(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT indicator, name, instrument, confidence, source FROM ita_indicator ORDER BY 1")


def target(store: Store, organization_id: int, framework_year: int) -> float | None:
    rows = store.query_rows("SELECT target::DOUBLE FROM ita_target WHERE organization_id = ? AND framework_year = ?",
                            [organization_id, framework_year])
    return rows[0][0] if rows else None


def catalog_items(store: Store, framework_year: int) -> pd.DataFrame:
    """The item list in use for a year with its origin (catalog file or a user's import)."""
    return store.query_df("SELECT code, instrument, indicator, sub_indicator, title, confidence, source, origin "
                          "FROM ita_item_active WHERE framework_year = ? "
                          "ORDER BY instrument = 'OIT', instrument = 'EIT', regexp_extract(code, '\\d+')::INTEGER",
                          [framework_year])
