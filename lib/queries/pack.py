"""SQL of the meeting pack's data sources: which documents its figures come from, when the last
one was imported and when the last progress report it counts was made. Each is fn(store, ...).

A scope is (organization_id, province, district) as in lib/queries/dashboard.py; `year` is a BE
fiscal year or None for all years.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import progress
from lib.queries.records import HELD_YEARS
from lib.store import Store

Scope = tuple[int | None, str | None, str | None]

_ORG = ("SELECT id, short_name FROM organization WHERE (?::INTEGER IS NULL OR id = ?) "
        "AND (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR district = ?)")


def _org_params(scope: Scope) -> list:
    org_id, province, district = scope
    return [org_id, org_id, province, province, district, district]


# (document, organization) pairs as one equi-join: an OR with a correlated subquery in the join
# condition compared every document with every organization (56 s at national scope)
_DOCUMENTS = (
    f"WITH org AS ({_ORG}), {HELD_YEARS}, belongs AS ("
    "  SELECT id AS document_id, organization_id FROM source_document WHERE organization_id IS NOT NULL "
    "  UNION SELECT document_id, organization_id FROM document_organization), "
    "docs AS (SELECT d.file_name, d.title, d.kind, org.short_name AS organization, d.fiscal_year, d.imported_at, d.id "
    "  FROM belongs b JOIN source_document d ON d.id = b.document_id JOIN org ON org.id = b.organization_id "
    "  WHERE ?::INTEGER IS NULL OR d.fiscal_year = ? "
    "     OR d.id IN (SELECT document_id FROM held_years WHERE fiscal_year = ?)) ")
_COLUMNS = "file_name, title, kind, organization, fiscal_year, imported_at"


def documents(store: Store, scope: Scope, year: int | None) -> pd.DataFrame:
    """The imported documents of the organizations in scope (and of the fiscal year), oldest first."""
    return store.query_df(_DOCUMENTS + f"SELECT {_COLUMNS} FROM docs ORDER BY imported_at, id, organization",
                          [*_org_params(scope), year, year, year])


def first_documents(store: Store, scope: Scope, year: int | None, limit: int) -> pd.DataFrame:
    """The first `limit` rows of `documents`, each with how many there are in all (`matched`) and when the
    latest of all was imported (`last_imported_at`): what the pack's sources say, without reading every row."""
    return store.query_df(
        _DOCUMENTS + f"SELECT {_COLUMNS}, count(*) OVER () AS matched, max(imported_at) OVER () AS last_imported_at "
        "FROM docs ORDER BY imported_at, id, organization LIMIT ?", [*_org_params(scope), year, year, year, limit])


def last_progress_report(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> dict:
    """The latest progress report the pack counts (made up to the as-of date) on the plan items and
    measures in scope, how many such reports there are, and how many were made after the as-of date."""
    cutoff = progress.reports_cutoff(as_of)
    row = store.query_rows(  # progress_latest: one row per report, with its record's organization and year
        f"WITH org AS ({_ORG}) "
        "SELECT max(reported_at) FILTER (reported_at < ?), count(*) FILTER (reported_at < ?), "
        "       count(*) FILTER (reported_at >= ?) "
        "FROM progress_latest l JOIN org ON org.id = l.organization_id "
        "WHERE l.status IS NOT NULL AND (?::INTEGER IS NULL OR l.fiscal_year = ?)",  # (no status: a withdrawal)
        [*_org_params(scope), cutoff, cutoff, cutoff, year, year])[0]
    return {"reported_at": row[0], "reports": row[1], "later_reports": row[2]}
