"""SQL of the follow-up pages (overview, quarterly progress, budget, register).

Every function aggregates in DuckDB and returns only what a page shows. A *scope* is
(organization_id, province, district), any of them None for "all"; `year` is a BE fiscal year
or None; `as_of` decides which quarters have ended and which reports count (lib/progress.py).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from lib import progress, thai
from lib.queries.records import fiscal_years
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED
from lib.store import Store

Scope = tuple[int | None, str | None, str | None]

# $1 organization, $2 province, $3 district, $4 fiscal year, $5 report cutoff,
# $6-$10 the quarter calendar of lib/progress.py, $11 the done status.
# One unit name however a document spaced it or ended it with "ฯ" (as lib/queries/dashboard.py)
_UNIT = "nullif(regexp_replace(trim(regexp_replace({c}, '\\s+', ' ', 'g')), '\\s*ฯ$', ''), '')"
_BASE = """
WITH cal AS (
    SELECT unnest($6::INTEGER[]) AS fiscal_year, unnest($7::INTEGER[]) AS quarter,
           unnest($8::DATE[]) AS quarter_end, unnest($9::BOOLEAN[]) AS ended,
           unnest($10::INTEGER[]) AS days_late),
org AS (
    SELECT id, short_name FROM organization
    WHERE ($1::INTEGER IS NULL OR id = $1) AND ($2::VARCHAR IS NULL OR province = $2)
      AND ($3::VARCHAR IS NULL OR district = $3)),
rec AS (
    SELECT 'plan_item' AS kind, p.id AS record_id, org.id AS organization_id, org.short_name AS organization,
           p.fiscal_year, p.seq,
           p.title, coalesce(""" + _UNIT.format(c="p.responsible") + """, 'ไม่ระบุผู้รับผิดชอบ') AS responsible,
           'dimension' AS group_kind, p.dimension::VARCHAR AS group_key,
           coalesce('มิติที่ ' || p.dimension || ' ' || d.name, 'มิติที่ ' || p.dimension) AS group_label,
           p.quarters, p.budget
    FROM plan_item p JOIN org ON org.id = p.organization_id
    LEFT JOIN plan_dimension d ON d.dimension = p.dimension
         AND p.fiscal_year BETWEEN d.first_fiscal_year AND d.last_fiscal_year
    WHERE $4::INTEGER IS NULL OR p.fiscal_year = $4
    UNION ALL
    SELECT 'measure', m.id, org.id, org.short_name, m.fiscal_year, m.seq, m.title,
           coalesce(""" + _UNIT.format(c="m.responsible") + """, 'ไม่ระบุผู้รับผิดชอบ'), 'instrument', coalesce(m.instrument, 'none'),
           coalesce('มาตรการ ' || m.instrument, 'มาตรการ (ไม่ระบุเครื่องมือ)'), m.quarters, NULL
    FROM measure m JOIN org ON org.id = m.organization_id
    WHERE $4::INTEGER IS NULL OR m.fiscal_year = $4),
latest AS (
    SELECT record_kind AS kind, record_id, quarter, status, reason, spent FROM progress
    WHERE reported_at < $5
    QUALIFY row_number() OVER (PARTITION BY record_kind, record_id, quarter
                               ORDER BY reported_at DESC, id DESC) = 1),
planned AS (
    SELECT r.* EXCLUDE (quarters, budget), c.quarter, c.quarter_end, c.ended, c.days_late, l.status,
           l.status IS NOT NULL AS reported, coalesce(l.status = $11, FALSE) AS done,
           c.ended AND NOT coalesce(l.status = $11, FALSE) AS overdue
    FROM (SELECT * , unnest(quarters) AS quarter FROM rec) r
    JOIN cal c ON c.fiscal_year = r.fiscal_year AND c.quarter = r.quarter
    LEFT JOIN latest l ON l.kind = r.kind AND l.record_id = r.record_id AND l.quarter = r.quarter)
"""


def _params(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> list:
    org_id, province, district = scope
    years = [year] if year is not None else fiscal_years(store, None)
    cal = progress.quarter_calendar(years, as_of)
    return [org_id, province, district, year, progress.reports_cutoff(as_of), cal["fiscal_year"],
            cal["quarter"], cal["quarter_end"], cal["ended"], cal["days_late"], STATUS_DONE]


def _query(store: Store, body: str, scope: Scope, year: int | None, as_of: dt.date,
           extra: list | None = None) -> pd.DataFrame:
    return store.query_df(_BASE + body, _params(store, scope, year, as_of) + (extra or []))


# -- organizations (sidebar) -------------------------------------------------------------------
def organization_count(store: Store) -> int:
    return store.query_rows("SELECT count(*) FROM organization")[0][0]


def provinces(store: Store) -> list[str]:
    return [r[0] for r in store.query_rows(
        "SELECT DISTINCT province FROM organization WHERE province IS NOT NULL ORDER BY province")]


def districts(store: Store, province: str | None) -> list[str]:
    return [r[0] for r in store.query_rows(
        "SELECT DISTINCT district FROM organization WHERE district IS NOT NULL AND province = ? "
        "ORDER BY district", [province])]


_ORG_OPTION = ("SELECT id, short_name || CASE WHEN province IS NULL THEN ' (ที่ตั้งรอยืนยัน)' "
               "ELSE ' (จ.' || province || ')' END AS label FROM organization ")


def organization_choices(store: Store, province: str | None, district: str | None, search: str,
                         limit: int) -> pd.DataFrame:
    """At most `limit` organizations in the province/district whose name contains `search`,
    plus `matched`: how many there are in all."""
    return store.query_df(
        _ORG_OPTION.replace(" AS label", " AS label, count(*) OVER () AS matched") +
        "WHERE (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR district = ?) "
        "AND (? = '' OR contains(name, ?) OR contains(short_name, ?)) "
        "ORDER BY province NULLS LAST, district NULLS LAST, short_name LIMIT ?",
        [province, province, district, district, search, search, search, limit])


def organization_option(store: Store, organization_id: int) -> pd.DataFrame:
    return store.query_df(_ORG_OPTION + "WHERE id = ?", [organization_id])


def organization_label(store: Store, organization_id: int) -> str:
    rows = store.query_rows("SELECT short_name FROM organization WHERE id = ?", [organization_id])
    return rows[0][0] if rows else ""


# -- catalogs ----------------------------------------------------------------------------------
def colors(store: Store) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind, key, color in store.query_rows("SELECT kind, key, color FROM color ORDER BY kind, key"):
        out.setdefault(kind, {})[key] = color
    return out


# -- progress ----------------------------------------------------------------------------------
def kpis(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> dict:
    """The overview's figures: counts, share done, budget, spent, overdue."""
    row = _query(store, """
        , spent AS (
            SELECT sum(l.spent)::DOUBLE AS spent FROM latest l
            JOIN rec r ON r.kind = l.kind AND r.record_id = l.record_id)
        SELECT
            (SELECT count(*) FILTER (kind = 'plan_item') FROM rec) AS plan_items,
            (SELECT count(*) FILTER (kind = 'measure') FROM rec) AS measures,
            (SELECT count(*) FROM rec WHERE len(quarters) = 0) AS without_quarters,
            (SELECT coalesce(sum(budget), 0)::DOUBLE FROM rec WHERE kind = 'plan_item') AS budget,
            (SELECT count(*) FROM rec WHERE kind = 'plan_item' AND budget = 0) AS without_budget,
            (SELECT coalesce(spent, 0) FROM spent) AS spent,
            (SELECT count(*) FROM planned) AS planned,
            (SELECT count(*) FILTER (ended) FROM planned) AS planned_ended,
            (SELECT count(*) FILTER (ended AND done) FROM planned) AS done_ended,
            (SELECT count(*) FILTER (overdue) FROM planned) AS overdue,
            (SELECT count(DISTINCT (kind, record_id)) FILTER (overdue) FROM planned) AS overdue_records
        """, scope, year, as_of)
    out = row.to_dict("records")[0]
    out["share_done"] = progress.share_done(out["done_ended"], out["planned_ended"])
    return out


def progress_by_quarter(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Planned, reported and done planned-quarters per fiscal year and quarter (all four quarters
    of every year in scope, zero where nothing is planned), with the cumulative share done."""
    return _query(store, """
        , years AS (SELECT DISTINCT fiscal_year FROM rec)
        SELECT c.fiscal_year, c.quarter, c.quarter_end, c.ended,
               count(p.record_id) AS planned,
               count(p.record_id) FILTER (p.reported) AS reported,
               count(p.record_id) FILTER (p.done) AS done,
               count(p.record_id) FILTER (NOT p.reported) AS no_report,
               count(p.record_id) FILTER (p.overdue) AS overdue,
               (sum(count(p.record_id)) OVER w)::BIGINT AS cumulative_planned,
               (sum(count(p.record_id) FILTER (p.done)) OVER w)::BIGINT AS cumulative_done
        FROM cal c JOIN years y USING (fiscal_year)
        LEFT JOIN planned p ON p.fiscal_year = c.fiscal_year AND p.quarter = c.quarter
        GROUP BY c.fiscal_year, c.quarter, c.quarter_end, c.ended
        WINDOW w AS (PARTITION BY c.fiscal_year ORDER BY c.quarter)
        ORDER BY c.fiscal_year, c.quarter
        """, scope, year, as_of)


def _counts(p: str = "") -> str:
    """Planned, reported, done, no report and overdue planned quarters (`p`: table prefix)."""
    return (f"count(*) AS planned, count(*) FILTER ({p}reported) AS reported, "
            f"count(*) FILTER ({p}done) AS done, count(*) FILTER (NOT {p}reported) AS no_report, "
            f"count(*) FILTER ({p}overdue) AS overdue")


def progress_by_group(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Per dimension (plan items) and per instrument (measures)."""
    return _query(store, f"""
        SELECT group_kind, group_key, group_label, {_counts()}
        FROM planned GROUP BY group_kind, group_key, group_label
        ORDER BY group_kind, CASE group_key WHEN 'IIT' THEN 1 WHEN 'EIT' THEN 2 WHEN 'OIT' THEN 3
                                            WHEN 'none' THEN 4 ELSE 0 END, group_key
        """, scope, year, as_of)


def progress_by_unit(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    return _query(store, f"""
        SELECT responsible, {_counts()} FROM planned GROUP BY ALL ORDER BY overdue DESC, planned DESC, responsible
        """, scope, year, as_of)


def progress_rounds(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """The 6-month (Q1+Q2) and 12-month (Q1-Q4) rounds per fiscal year."""
    rounds = sorted(progress.ROUNDS.items())
    return _query(store, f"""
        , rounds AS (SELECT unnest($12::INTEGER[]) AS months, unnest($13::INTEGER[]) AS last_quarter)
        SELECT p.fiscal_year, r.months, {_counts('p.')},
               any_value(c.ended) AS round_ended
        FROM rounds r JOIN planned p ON p.quarter <= r.last_quarter
        JOIN cal c ON c.fiscal_year = p.fiscal_year AND c.quarter = r.last_quarter
        GROUP BY p.fiscal_year, r.months ORDER BY p.fiscal_year, r.months
        """, scope, year, as_of, [[m for m, _ in rounds], [qs[-1] for _, qs in rounds]])


def overdue_list(store: Store, scope: Scope, year: int | None, as_of: dt.date,
                 limit: int = 500) -> pd.DataFrame:
    """Planned quarters that ended without a done report, the longest late first."""
    return _query(store, """
        SELECT kind, record_id, organization, fiscal_year, seq, title, responsible, group_label, quarter,
               quarter_end, days_late, status
        FROM planned WHERE overdue
        ORDER BY days_late DESC, organization, kind DESC, seq LIMIT $12
        """, scope, year, as_of, [limit])


def decisions(store: Store, scope: Scope, year: int | None, as_of: dt.date, limit: int = 10) -> pd.DataFrame:
    """What needs an executive's decision, one row per record or document: blocked work (with its
    reasons and days late), open document questions (named by the document's title), then the
    longest overdue records not already listed as blocked. Organizations take turns, so one
    organization cannot fill the list."""
    return _query(store, """
        , per_record AS (
            SELECT p.kind, p.record_id, p.organization, p.title, bool_or(p.status = $12) AS blocked,
                   string_agg(CASE WHEN p.status = $12 THEN 'ไตรมาส ' || p.quarter || ': ' || coalesce(l.reason, '')
                              END, ' · ' ORDER BY p.quarter) AS reasons,
                   string_agg(CASE WHEN p.overdue THEN p.quarter::VARCHAR END, ', ' ORDER BY p.quarter) AS late_q,
                   string_agg(DISTINCT CASE WHEN p.overdue THEN coalesce(p.status, $13) END, ', '
                              ORDER BY CASE WHEN p.overdue THEN coalesce(p.status, $13) END) AS late_states,
                   coalesce(max(p.days_late) FILTER (p.overdue), 0) AS days_late
            FROM planned p LEFT JOIN latest l USING (kind, record_id, quarter)
            GROUP BY p.kind, p.record_id, p.organization, p.title
            HAVING bool_or(p.status = $12) OR bool_or(p.overdue)),
        topics AS (
            SELECT CASE WHEN blocked THEN 1 ELSE 3 END AS rank,
                   CASE WHEN blocked THEN 'ดำเนินการไม่ได้' ELSE 'เลยกำหนด' END AS topic, organization, title,
                   CASE WHEN blocked THEN reasons ELSE 'ไตรมาส ' || late_q || ' · ' || late_states END AS detail,
                   days_late
            FROM per_record
            UNION ALL
            SELECT 2, 'คำถามจากการนำเข้าเอกสาร', o.short_name,
                   coalesce(d.title, d.layout_label) || coalesce(' ปี ' || d.fiscal_year, ''), i.message, 0
            FROM document_issue i JOIN source_document d ON d.id = i.document_id
            JOIN org o ON o.id = d.organization_id
            WHERE i.severity = 'question' AND i.answer IS NULL AND ($4::INTEGER IS NULL OR d.fiscal_year = $4))
        SELECT rank, topic, organization, title, detail, days_late FROM topics
        ORDER BY row_number() OVER (PARTITION BY organization ORDER BY rank, days_late DESC, title, detail),
                 rank, days_late DESC, organization, title, detail
        LIMIT $14
        """, scope, year, as_of, [STATUS_BLOCKED, progress.NO_REPORT, limit])


# -- budget ------------------------------------------------------------------------------------
_SPENT_PER_ITEM = """
    , spent_item AS (SELECT record_id, sum(spent)::DOUBLE AS spent FROM latest
                     WHERE kind = 'plan_item' GROUP BY record_id),
    items AS (SELECT r.*, coalesce(s.spent, 0) AS spent FROM rec r
              LEFT JOIN spent_item s USING (record_id) WHERE r.kind = 'plan_item')
"""


def budget_by_dimension(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Per dimension, with a totals row (dimension NULL) computed by DuckDB: items, items without
    budget, planned and spent baht, and items planned per quarter (as a plan's totals row)."""
    return _query(store, _SPENT_PER_ITEM + """
        SELECT group_key::INTEGER AS dimension,
               CASE WHEN GROUPING(group_key) = 1 THEN 'รวมทั้งสิ้น' ELSE any_value(group_label) END AS name,
               count(*) AS items, count(*) FILTER (budget > 0) AS with_budget,
               count(*) FILTER (budget = 0) AS without_budget,
               sum(budget)::DOUBLE AS budget, sum(spent)::DOUBLE AS spent,
               count(*) FILTER (list_contains(quarters, 1)) AS q1,
               count(*) FILTER (list_contains(quarters, 2)) AS q2,
               count(*) FILTER (list_contains(quarters, 3)) AS q3,
               count(*) FILTER (list_contains(quarters, 4)) AS q4
        FROM items GROUP BY ROLLUP (group_key)
        ORDER BY GROUPING(group_key), dimension
        """, scope, year, as_of)


def budget_by_unit(store: Store, scope: Scope, year: int | None, as_of: dt.date, limit: int = 100
                   ) -> pd.DataFrame:
    """Budget per organization and responsible unit, largest first, at most `limit` rows; `matched`
    holds how many there are in all."""
    return _query(store, _SPENT_PER_ITEM + """
        SELECT organization, responsible, count(*) AS items, count(*) FILTER (budget = 0) AS without_budget,
               sum(budget)::DOUBLE AS budget, sum(spent)::DOUBLE AS spent, count(*) OVER () AS matched
        FROM items GROUP BY ALL ORDER BY budget DESC, organization, responsible LIMIT $12
        """, scope, year, as_of, [limit])


def budget_by_year(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    return _query(store, _SPENT_PER_ITEM + """
        SELECT fiscal_year, group_key::INTEGER AS dimension, any_value(group_label) AS name, count(*) AS items,
               count(*) FILTER (budget = 0) AS without_budget, sum(budget)::DOUBLE AS budget,
               sum(spent)::DOUBLE AS spent
        FROM items GROUP BY fiscal_year, group_key ORDER BY fiscal_year, dimension
        """, scope, year, as_of)


# -- register ----------------------------------------------------------------------------------
def register(store: Store, scope: Scope, year: int | None, as_of: dt.date, kind: str, search: str = "",
             instruments: tuple[str, ...] = (), item_code: str | None = None, unit: str = "",
             states: tuple[str, ...] = (), quarters: tuple[int, ...] = (), limit: int = 500) -> pd.DataFrame:
    """Plan items or measures matching the register's filters, at most `limit` rows. Each row
    carries how many rows matched (`matched`) and their budget (`matched_budget`), and its state:
    the report of its latest reported quarter up to the as-of date, or NO_REPORT."""
    return _query(store, """
        , state AS (
            SELECT kind, record_id, status, quarter FROM latest
            QUALIFY row_number() OVER (PARTITION BY kind, record_id ORDER BY quarter DESC) = 1),
        codes AS (  -- keyed by (kind, id) so the join is a plain equality join (a hash join)
            SELECT 'measure' AS kind, measure_id AS record_id, list(code ORDER BY code) AS item_codes
            FROM measure_item_link WHERE status IN ('as_read', 'confirmed') GROUP BY measure_id),
        late AS (  -- one pass over the planned quarters, not a correlated lookup per row
            SELECT kind, record_id, bool_or(overdue) AS overdue FROM planned WHERE kind = $12 GROUP BY ALL),
        rows AS (
            SELECT r.kind, r.record_id, r.organization, r.fiscal_year, r.seq, r.title, r.group_key,
                   r.group_label, r.responsible, r.quarters, r.budget::DOUBLE AS budget,
                   coalesce(c.item_codes, []) AS item_codes, coalesce(s.status, $13) AS state,
                   s.quarter AS state_quarter, coalesce(o.overdue, FALSE) AS overdue
            FROM rec r LEFT JOIN codes c ON c.kind = r.kind AND c.record_id = r.record_id
            LEFT JOIN state s ON s.kind = r.kind AND s.record_id = r.record_id
            LEFT JOIN late o ON o.kind = r.kind AND o.record_id = r.record_id
            WHERE r.kind = $12)
        SELECT *, count(*) OVER () AS matched, (sum(budget) OVER ())::DOUBLE AS matched_budget FROM rows
        WHERE ($14 = '' OR contains(lower(title), lower($14)) OR contains(lower(responsible), lower($14)))
          AND (len($15::VARCHAR[]) = 0 OR list_contains($15::VARCHAR[], group_key))
          AND ($16::VARCHAR IS NULL OR list_contains(item_codes, $16))
          AND ($17 = '' OR contains(lower(responsible), lower($17)))
          AND (len($18::VARCHAR[]) = 0 OR list_contains($18::VARCHAR[], state))
          AND (len($19::INTEGER[]) = 0 OR len(list_intersect(quarters, $19::INTEGER[])) > 0)
        ORDER BY organization, fiscal_year, seq LIMIT $20
        """, scope, year, as_of,
        [kind, progress.NO_REPORT, search.strip(), list(instruments), item_code, unit.strip(), list(states),
         list(quarters), limit])


def item_codes(store: Store, scope: Scope, year: int | None) -> list[str]:
    """ITA item codes linked to measures in scope, for the register's picker."""
    org_id, province, district = scope
    return [r[0] for r in store.query_rows(
        "SELECT DISTINCT l.code FROM measure_item_link l JOIN measure m ON m.id = l.measure_id "
        "JOIN organization o ON o.id = m.organization_id "
        "WHERE l.status IN ('as_read', 'confirmed') AND (?::INTEGER IS NULL OR o.id = ?) "
        "AND (?::VARCHAR IS NULL OR o.province = ?) AND (?::VARCHAR IS NULL OR o.district = ?) "
        "AND (?::INTEGER IS NULL OR m.fiscal_year = ?) "
        "ORDER BY CASE left(l.code, 1) WHEN 'i' THEN 1 WHEN 'e' THEN 2 ELSE 3 END, "
        "TRY_CAST(regexp_extract(l.code, '[0-9]+') AS INTEGER), l.code",
        [org_id, org_id, province, province, district, district, year, year])]


def record_links(store: Store, measure_id: int) -> pd.DataFrame:
    return store.query_df(
        "SELECT framework_year, code, origin, status FROM measure_item_link WHERE measure_id = ? "
        "ORDER BY code", [measure_id])


# -- this quarter (issue 15's reads, as they were computed record by record) -------------------
def planned_quarters(store: Store, scope: Scope, as_of: dt.date | None = None) -> dict[int, dict[int, int]]:
    as_of = as_of or thai.today()
    out: dict[int, dict[int, int]] = {}
    for year, quarter, n in _query(store, "SELECT fiscal_year, quarter, count(*) FROM planned GROUP BY ALL",
                                   scope, None, as_of).itertuples(index=False):
        out.setdefault(int(year), {})[int(quarter)] = int(n)
    return out


def quarter_status(store: Store, scope: Scope, year: int, quarter: int, as_of: dt.date) -> pd.DataFrame:
    return _query(store, """
        , q AS (SELECT * FROM planned WHERE quarter = $12)
        SELECT CASE WHEN GROUPING(group_label) = 0 THEN 'group' WHEN GROUPING(responsible) = 0 THEN 'unit'
                    WHEN GROUPING(organization) = 0 THEN 'organization' ELSE 'all' END AS part,
               coalesce(group_label, responsible, organization) AS key,
               CASE WHEN GROUPING(group_label) = 0 THEN any_value(group_kind) END AS group_kind,
               CASE WHEN GROUPING(group_label) = 0 THEN any_value(group_key) END AS group_key,
               count(*) AS planned, count(*) FILTER (kind = 'plan_item') AS plan_items,
               count(*) FILTER (kind = 'measure') AS measures, count(*) FILTER (reported) AS reported,
               count(*) FILTER (done) AS done, count(*) FILTER (status = $13) AS in_progress,
               count(*) FILTER (status = $14) AS not_started, count(*) FILTER (status = $15) AS blocked,
               count(*) FILTER (NOT reported) AS no_report, bool_or(ended) AS ended, max(quarter_end) AS quarter_end
        FROM q GROUP BY GROUPING SETS ((), (group_label), (responsible), (organization))
        ORDER BY part, CASE CASE WHEN GROUPING(group_label) = 0 THEN any_value(group_key) END
                       WHEN 'IIT' THEN 1 WHEN 'EIT' THEN 2 WHEN 'OIT' THEN 3 WHEN 'none' THEN 4 ELSE 0 END,
                 planned DESC, key
        """, scope, year, as_of, [quarter, STATUS_IN_PROGRESS, STATUS_NOT_STARTED, STATUS_BLOCKED])


def organization_ranking(store: Store, scope: Scope, year: int | None, quarter: int | None, as_of: dt.date,
                         limit: int = 200) -> pd.DataFrame:
    return _query(store, """
        , pl AS (SELECT organization_id, count(*) FILTER (ended) AS planned_ended,
                        count(*) FILTER (ended AND done) AS done_ended,
                        count(DISTINCT (kind, record_id)) FILTER (overdue) AS overdue_records,
                        count(*) FILTER (quarter = $12) AS planned_quarter,
                        count(*) FILTER (quarter = $12 AND NOT reported) AS no_report_quarter
                 FROM planned GROUP BY 1),
        rc AS (SELECT organization_id, any_value(organization) AS organization, count(*) AS records,
                      coalesce(sum(budget) FILTER (kind = 'plan_item'), 0)::DOUBLE AS budget
               FROM rec GROUP BY 1),
        sp AS (SELECT r.organization_id, sum(l.spent)::DOUBLE AS spent
               FROM latest l JOIN rec r ON r.kind = l.kind AND r.record_id = l.record_id GROUP BY 1)
        SELECT rc.organization_id, rc.organization, o.province, o.district, rc.records,
               coalesce(pl.planned_ended, 0) AS planned_ended, coalesce(pl.done_ended, 0) AS done_ended,
               CASE WHEN pl.planned_ended > 0 THEN pl.done_ended / pl.planned_ended END AS share_done,
               coalesce(pl.overdue_records, 0) AS overdue_records,
               coalesce(pl.planned_quarter, 0) AS planned_quarter,
               coalesce(pl.no_report_quarter, 0) AS no_report_quarter,
               rc.budget, coalesce(sp.spent, 0) AS spent,
               CASE WHEN rc.budget > 0 THEN coalesce(sp.spent, 0) / rc.budget END AS share_spent,
               count(*) OVER () AS matched
        FROM rc JOIN organization o ON o.id = rc.organization_id
        LEFT JOIN pl USING (organization_id) LEFT JOIN sp USING (organization_id)
        ORDER BY share_done NULLS LAST, overdue_records DESC, rc.organization LIMIT $13
        """, scope, year, as_of, [quarter or 0, limit])
