"""The weak-point summary: per (organization, framework year, weak point) the measures of the next
fiscal year that name it and whether one is under way or all are done, with every report so far.

A weak point is what the gap page lists (lib/queries/ita.py): an ITA item code linked to a measure of
fiscal year Y+1 for assessment year Y (as read from its document, or confirmed by a user), or, for a
measure with no such code but with a weakness in its document's words, the measure's instrument.
"Under way" is the status of the measure's latest reported quarter being in progress or done.

The rows are kept by `lib.store.summaries` with the other summaries: recomputed for the
(organization, fiscal year) pairs a write touches, in its transaction. `rows` is the one definition
the stored summary, its check and the as-of reads of lib/queries/ita.py use.
"""
from __future__ import annotations

from lib.records import STATUS_DONE, STATUS_IN_PROGRESS

TABLE = "weak_point_summary"
ACTIVE_LINK = "('as_read', 'confirmed')"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def rows(measures: str, latest: str) -> str:
    """A SELECT of weak_point_summary rows for the measures of `measures` (a SELECT of measure rows:
    id, organization_id, fiscal_year, instrument, weakness) given `latest` (a SELECT of progress_latest
    rows: the reports current at some cutoff). Plain SQL, the same in DuckDB and PostgreSQL."""
    return f"""
    WITH m AS (SELECT id, organization_id, fiscal_year, instrument, weakness FROM ({measures}) mm),
    linked AS (
        SELECT m.id AS measure_id, m.organization_id, m.fiscal_year, l.code
        FROM measure_item_link l JOIN m ON m.id = l.measure_id
        WHERE l.framework_year = m.fiscal_year - 1 AND l.status IN {ACTIVE_LINK}),
    named AS (
        SELECT measure_id, organization_id, fiscal_year, code, CAST(NULL AS VARCHAR) AS instrument FROM linked
        UNION ALL
        SELECT id, organization_id, fiscal_year, NULL, instrument FROM m
        WHERE nullif(trim(weakness), '') IS NOT NULL AND id NOT IN (SELECT measure_id FROM linked)),
    reported AS (  -- per measure, the status of its latest quarter reported
        SELECT record_id, status FROM (
            SELECT l.record_id, l.status, row_number() OVER (PARTITION BY l.record_id ORDER BY l.quarter DESC) AS n
            FROM ({latest}) l JOIN m ON l.record_kind = 'measure' AND l.record_id = m.id
            WHERE l.status IS NOT NULL) r  -- (no status: a withdrawn report, not reported)
        WHERE n = 1)
    SELECT n.organization_id, n.fiscal_year - 1 AS framework_year, n.fiscal_year, n.code, n.instrument,
           count(*) AS measures,
           bool_or(coalesce(p.status IN ({_lit(STATUS_IN_PROGRESS)}, {_lit(STATUS_DONE)}), FALSE)) AS under_way,
           bool_and(coalesce(p.status = {_lit(STATUS_DONE)}, FALSE)) AS done
    FROM named n LEFT JOIN reported p ON p.record_id = n.measure_id
    GROUP BY n.organization_id, n.fiscal_year, n.code, n.instrument"""


def write(cur, table: str, progress_latest: str, in_scope: str, where: str = "") -> None:
    """Insert into `table` the rows of the measures `in_scope` joins to (a JOIN on x.organization_id and
    x.fiscal_year, or '' for every measure) and `where` keeps (a condition on the same columns), from
    the current reports of `progress_latest`."""
    where = where or "TRUE"
    measures = f"SELECT x.* FROM measure x {in_scope} WHERE {where}"
    latest = (f"SELECT l.* FROM {progress_latest} l {in_scope.replace('x.', 'l.')} "
              f"WHERE l.until_at IS NULL AND {where.replace('x.', 'l.')}")
    cur.execute(f"INSERT INTO {table} SELECT * FROM ({rows(measures, latest)}) w "
                "ORDER BY organization_id, framework_year, code, instrument")
