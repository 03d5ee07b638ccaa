"""The gap page's area read computed from the raw rows (measure, measure_item_link, progress), with
no summary: the reference tests/test_weak_point_summary.py compares lib/queries/ita.py's reads with."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib.progress import reports_cutoff
from lib.records import STATUS_DONE, STATUS_IN_PROGRESS
from lib.store import Store


def named_weak_points_by_area(store: Store, framework_year: int, province: str | None = None,
                              district: str | None = None, as_of: dt.date | None = None,
                              limit: int = 20) -> pd.DataFrame:
    cutoff = reports_cutoff(as_of) if as_of is not None else dt.datetime(9999, 1, 1)
    return store.query_df(
        """
        WITH m AS (
            SELECT m.id, m.organization_id, m.instrument, m.weakness FROM measure m
            JOIN organization o ON o.id = m.organization_id
            WHERE m.fiscal_year = $1 + 1 AND ($2::VARCHAR IS NULL OR o.province = $2)
              AND ($3::VARCHAR IS NULL OR o.district = $3)),
        linked AS (
            SELECT m.id AS measure_id, m.organization_id, l.code FROM measure_item_link l JOIN m ON m.id = l.measure_id
            WHERE l.framework_year = $1 AND l.status IN ('as_read', 'confirmed')),
        named AS (
            SELECT measure_id, organization_id, code, NULL::VARCHAR AS instrument FROM linked
            UNION ALL
            SELECT id, organization_id, NULL, instrument FROM m
            WHERE nullif(trim(weakness), '') IS NOT NULL AND id NOT IN (SELECT measure_id FROM linked)),
        current AS (  -- per measure and quarter, the latest report made before the cutoff
            SELECT p.record_id, p.quarter, arg_max(p.status, (p.reported_at, p.id)) AS status FROM progress p
            JOIN m ON p.record_kind = 'measure' AND p.record_id = m.id
            WHERE p.reported_at < $4 GROUP BY p.record_id, p.quarter),
        latest AS (SELECT record_id, arg_max(status, quarter) AS status FROM current GROUP BY record_id),
        per_org AS (
            SELECT n.code, n.instrument, n.organization_id,
                   bool_or(coalesce(p.status IN ($5, $6), FALSE)) AS under_way,
                   bool_and(coalesce(p.status = $6, FALSE)) AS done
            FROM named n LEFT JOIN latest p ON p.record_id = n.measure_id GROUP BY ALL),
        per_point AS (
            SELECT code, instrument, count(*) AS organizations, count(*) FILTER (WHERE under_way) AS under_way,
                   count(*) FILTER (WHERE done) AS done FROM per_org GROUP BY ALL)
        SELECT code, instrument, organizations, under_way, done, organizations - under_way AS no_progress,
               count(*) OVER () AS weak_points,
               (SELECT count(DISTINCT organization_id) FROM named) AS organizations_naming
        FROM per_point
        ORDER BY organizations DESC, no_progress DESC, code IS NULL,
                 list_position(['i', 'e', 'o'], lower(left(coalesce(code, instrument), 1))),
                 try_cast(substr(code, 2) AS INTEGER), instrument
        LIMIT $7
        """, [framework_year, province, district, cutoff, STATUS_IN_PROGRESS, STATUS_DONE, limit])


def named_weak_point_years(store: Store, organization_id: int | None = None) -> list[int]:
    return [r[0] for r in store.query_rows(
        """
        SELECT l.framework_year FROM measure_item_link l JOIN measure m ON m.id = l.measure_id
        WHERE l.status IN ('as_read', 'confirmed') AND m.fiscal_year = l.framework_year + 1
          AND ($1::INTEGER IS NULL OR m.organization_id = $1)
        UNION
        SELECT fiscal_year - 1 FROM measure WHERE nullif(trim(weakness), '') IS NOT NULL
          AND ($1::INTEGER IS NULL OR organization_id = $1)
        ORDER BY 1
        """, [organization_id])]
