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
from lib.records import STATUS_BLOCKED, STATUS_DONE
from lib.store import Store, summaries

Scope = tuple[int | None, str | None, str | None]

# $1 organization, $2 province, $3 district, $4 fiscal year, $5 report cutoff,
# $6-$10 the quarter calendar of lib/progress.py, $11 the done status.
_SCOPE = """
WITH cal AS (
    SELECT *, ended AND NOT coalesce(lead(ended) OVER (PARTITION BY fiscal_year ORDER BY quarter), FALSE)
              AS last_ended  -- the last ended quarter of its year (ended quarters are Q1..Qk)
    FROM (SELECT unnest($6::INTEGER[]) AS fiscal_year, unnest($7::INTEGER[]) AS quarter,
                 unnest($8::DATE[]) AS quarter_end, unnest($9::BOOLEAN[]) AS ended,
                 unnest($10::INTEGER[]) AS days_late)),
org AS (
    SELECT id, short_name FROM organization
    WHERE ($1::INTEGER IS NULL OR id = $1) AND ($2::VARCHAR IS NULL OR province = $2)
      AND ($3::VARCHAR IS NULL OR district = $3))
"""

# The summaries in scope (lib/store/summaries). The stored rows count every report so far; as of an
# earlier date (some report made at or after the cutoff: none when the as-of date is today) the rows of
# how they moved on each later day (quarter_change) are taken off. National and province views add up
# the per-province rows (area_*) and, nationally, the national change rows; the others (and a
# province's changes) the rows of the organizations in scope.
# `qs` / `uqs`: quarter rows per fiscal year, group (dimension/instrument) or unit, and quarter;
# `oqs`: the same per organization; `ots`: per organization over all its records (group TOTAL);
# `rs` / `urs`: the records per fiscal year and group or unit.
_COLUMNS = ", ".join(summaries.COUNTS)
_NEGATED = ", ".join(f"-{c}" for c in summaries.COUNTS)
_SUMS = ", ".join(f"sum({c}) AS {c}" for c in summaries.COUNTS)
_RECORD_SUMS = ", ".join(f"sum(r.{c}) AS {c}" for c in summaries.RECORD_COUNTS)
_GROUPS = "('dimension', 'instrument')"
_TOTAL = f"'{summaries.TOTAL}'"  # the per-organization rows over all records
_UNITS = "('plan_unit', 'measure_unit')"
_YEAR = "($4::INTEGER IS NULL OR {t}.fiscal_year = $4)"
_AFTER = "{t}.on_day >= CAST($5 AS DATE)"  # the days after the as-of date (the cutoff is the next midnight)
LEVELS = ("national", "province", "organizations")  # what a scope reads: see _level


def _summary_sql(level: str, corrected: bool) -> str:
    """The summary CTEs for a national, province or narrower view (`level`); `corrected` when some
    report was made at or after the cutoff (else the stored rows are the counts as of the cutoff)."""
    org_changes = (f"SELECT c.organization_id, c.fiscal_year, c.group_kind, c.group_key, c.quarter, {_NEGATED} "
                   f"FROM {summaries.CHANGE} c JOIN org ON org.id = c.organization_id "
                   f"WHERE {_YEAR.format(t='c')} AND {_AFTER.format(t='c')}")
    changes = {"national": f"SELECT fiscal_year, group_kind, group_key, quarter, {_NEGATED} "
                           f"FROM {summaries.NATIONAL_CHANGE} c WHERE {_YEAR.format(t='c')} AND {_AFTER.format(t='c')}",
               "province": org_changes.replace("c.organization_id, ", "", 1),
               "organizations": org_changes.replace("c.organization_id, ", "", 1)}[level]
    if level != "organizations":
        quarters = (f"SELECT fiscal_year, group_kind, group_key, quarter, {_COLUMNS} FROM area_quarter_summary q "
                    f"WHERE ($2::VARCHAR IS NULL OR q.province = $2) AND {_YEAR.format(t='q')}")
        records = ("SELECT r.* FROM area_record_summary r "
                   f"WHERE ($2::VARCHAR IS NULL OR r.province = $2) AND {_YEAR.format(t='r')}")
    else:
        quarters = (f"SELECT q.fiscal_year, q.group_kind, q.group_key, q.quarter, {_COLUMNS} FROM quarter_summary q "
                    f"JOIN org ON org.id = q.organization_id WHERE {_YEAR.format(t='q')}")
        records = f"SELECT r.* FROM record_summary r JOIN org ON org.id = r.organization_id WHERE {_YEAR.format(t='r')}"
    org_quarters = (f"SELECT q.organization_id, q.fiscal_year, q.group_kind, q.group_key, q.quarter, {_COLUMNS} "
                    f"FROM quarter_summary q JOIN org ON org.id = q.organization_id WHERE {_YEAR.format(t='q')}")
    if corrected:
        qs_all = f"""
    SELECT fiscal_year, group_kind, group_key, quarter, {_SUMS} FROM ({quarters} UNION ALL {changes})
    GROUP BY fiscal_year, group_kind, group_key, quarter"""
        # (each organization's rows less its moves: the rows kept now are not grouped again)
        moved = (f"SELECT c.organization_id, c.fiscal_year, c.group_kind, c.group_key, c.quarter, {_SUMS} "
                 f"FROM {summaries.CHANGE} c JOIN org ON org.id = c.organization_id "
                 f"WHERE {_YEAR.format(t='c')} AND {_AFTER.format(t='c')} GROUP BY ALL")
        back = ", ".join(f"q.{c} - coalesce(m.{c}, 0) AS {c}" if c != "spent" else
                         "CASE WHEN m.spent IS NULL THEN q.spent ELSE coalesce(q.spent, 0) - m.spent END AS spent"
                         for c in summaries.COUNTS)
        oqs = f"""
    SELECT q.organization_id, q.fiscal_year, q.group_kind, q.group_key, q.quarter, {back}
    FROM quarter_summary q JOIN org ON org.id = q.organization_id
    LEFT JOIN ({moved}) m ON m.organization_id = q.organization_id AND m.fiscal_year = q.fiscal_year
         AND m.group_kind = q.group_kind AND m.group_key = q.group_key AND m.quarter = q.quarter
    WHERE {_YEAR.format(t='q')}"""
    else:
        qs_all = (f"SELECT fiscal_year, group_kind, group_key, quarter, {_SUMS} FROM ({quarters}) "
                  "GROUP BY fiscal_year, group_kind, group_key, quarter")
        oqs = org_quarters
    # `ots`: each organization's rows over all its records (organization_quarter); as of an earlier date
    # less its later days' moves: nationally and per province from organization_change (in day order: the
    # blocks of the later days only), for narrower views from the organizations' quarter_change rows
    tot = summaries.ORG_QUARTER
    ots = (f"SELECT q.organization_id, q.fiscal_year, q.quarter, {_COLUMNS} FROM {tot} q WHERE {_YEAR.format(t='q')}"
           if level == "national" else
           f"SELECT q.organization_id, q.fiscal_year, q.quarter, {_COLUMNS} FROM {tot} q "
           f"JOIN org ON org.id = q.organization_id WHERE {_YEAR.format(t='q')}")
    if corrected:
        source = (f"{summaries.CHANGE} c JOIN org ON org.id = c.organization_id WHERE c.group_kind = {_TOTAL} AND "
                  if level == "organizations" else f"{summaries.ORG_CHANGE} c WHERE " if level == "national" else
                  f"{summaries.ORG_CHANGE} c JOIN org ON org.id = c.organization_id WHERE ")
        moved = (f"SELECT c.organization_id, c.fiscal_year, c.quarter, {_SUMS} FROM {source}{_YEAR.format(t='c')} "
                 f"AND {_AFTER.format(t='c')} GROUP BY ALL")
        ots = f"""
    SELECT q.organization_id, q.fiscal_year, q.quarter, {back} FROM ({ots}) q
    LEFT JOIN ({moved}) m ON m.organization_id = q.organization_id AND m.fiscal_year = q.fiscal_year
         AND m.quarter = q.quarter"""
    # (the cutoff and done status are bound whether or not a CTE reads them)
    corr = ", bound AS (SELECT $5::TIMESTAMP AS cutoff, $11::VARCHAR AS done)"
    return _SCOPE + corr + f""",
qs_all AS ({qs_all}),
qs AS (SELECT * FROM qs_all WHERE group_kind IN {_GROUPS}),
uqs AS (SELECT * FROM qs_all WHERE group_kind IN {_UNITS}),
oqs AS ({oqs}),
ots AS ({ots}),
rs_all AS (
    SELECT r.fiscal_year, r.group_kind, r.group_key, {_RECORD_SUMS} FROM ({records}) r
    GROUP BY r.fiscal_year, r.group_kind, r.group_key),
rs AS (SELECT * FROM rs_all WHERE group_kind IN {_GROUPS}),
urs AS (SELECT * FROM rs_all WHERE group_kind IN {_UNITS})
"""


# (level, corrected) -> the summary CTEs; see _variant.
_VARIANTS = [(level, corrected) for level in LEVELS for corrected in (False, True)]
_SUMMARY = {v: _summary_sql(*v) for v in _VARIANTS}


def _level(scope: Scope) -> str:
    """national (the per-province and national rows), province (that province's rows, its organizations'
    changes) or organizations (the rows of the organizations in scope)."""
    if scope[0] is not None or scope[2] is not None:
        return "organizations"
    return "national" if scope[1] is None else "province"


# A group's label, from (group_kind, group_key, fiscal_year) and plan_dimension `d` joined by _DIMENSION.
_LABEL = ("CASE WHEN {t}.group_kind = 'dimension' THEN coalesce('มิติที่ ' || {t}.group_key || ' ' || d.name, "
          "'มิติที่ ' || {t}.group_key) WHEN {t}.group_key = 'none' THEN 'มาตรการ (ไม่ระบุเครื่องมือ)' "
          "ELSE 'มาตรการ ' || {t}.group_key END")
_DIMENSION = ("LEFT JOIN plan_dimension d ON {t}.group_kind = 'dimension' "
              "AND CAST(d.dimension AS VARCHAR) = {t}.group_key "
              "AND {t}.fiscal_year BETWEEN d.first_fiscal_year AND d.last_fiscal_year")

# Per record, for the lists (overdue, decisions, register, units): scope and year are applied
# before any per-record work, and the latest report at the cutoff is a filter on progress_latest.
# `pcal` is the calendar the planned quarters are taken from: all of it, or (long ranked lists) only
# the oldest ended quarters that hold the first rows, found from the summaries (`levels`).
_REC = """
    SELECT 'plan_item' AS kind, p.id AS record_id, org.id AS organization_id, org.short_name AS organization,
           p.fiscal_year, p.seq, p.title,
           """ + summaries.unit_name("p.responsible") + """ AS responsible,
           'dimension' AS group_kind, p.dimension::VARCHAR AS group_key,
           coalesce('มิติที่ ' || p.dimension || ' ' || d.name, 'มิติที่ ' || p.dimension) AS group_label,
           p.quarters, p.budget
    FROM plan_item p JOIN org ON org.id = p.organization_id
    LEFT JOIN plan_dimension d ON d.dimension = p.dimension
         AND p.fiscal_year BETWEEN d.first_fiscal_year AND d.last_fiscal_year
    WHERE ($4::INTEGER IS NULL OR p.fiscal_year = $4) {years}
    UNION ALL
    SELECT 'measure', m.id, org.id, org.short_name, m.fiscal_year, m.seq, m.title,
           """ + summaries.unit_name("m.responsible") + """,
           'instrument', coalesce(m.instrument, 'none'),
           coalesce('มาตรการ ' || m.instrument, 'มาตรการ (ไม่ระบุเครื่องมือ)'), m.quarters, NULL
    FROM measure m JOIN org ON org.id = m.organization_id
    WHERE ($4::INTEGER IS NULL OR m.fiscal_year = $4) {years}"""


def _base(levels: str | None = None, orgs: str | None = None, records: str | None = None) -> dict[bool, str]:
    """The per-record CTEs; `levels` restricts the planned quarters (see pcal), `orgs` (a CTE body
    selecting organization ids) restricts the records and reports to those organizations, and
    `records` (a CTE body selecting kind, record_id) to those records."""
    years = "AND {t}.fiscal_year IN (SELECT fiscal_year FROM pcal)" if levels else ""
    if orgs:
        years += " AND {t}.organization_id IN (SELECT id FROM first_orgs)"
    if records:
        years += " AND {t}.{id} IN (SELECT record_id FROM only_records WHERE kind {kind})"
    return {v: _SUMMARY[v] + _per_record(years, levels, orgs, records) for v in _VARIANTS}


def _per_record(years: str, levels: str | None, orgs: str | None, records: str | None) -> str:
    p, m, lat = (years.format(t="p", id="id", kind="= 'plan_item'"), years.format(t="m", id="id", kind="= 'measure'"),
                 years.format(t="l", id="record_id", kind="IS NOT NULL"))  # (the join to rec matches the kind)
    # (materialized: the records, their reports and the lists read them; inlined, each read computed them again)
    return (f", first_orgs AS MATERIALIZED ({orgs})" if orgs else "") + (
        f", only_records AS MATERIALIZED ({records})" if records else "") + (
        f", levels AS ({levels}), pcal AS (SELECT c.* FROM cal c JOIN levels USING (fiscal_year, quarter))"
        if levels else ", pcal AS (SELECT * FROM cal)") + f"""
, rec AS ({_REC.replace("{years}", p, 1).replace("{years}", m, 1)}),
latest AS (
    SELECT l.record_kind AS kind, l.record_id, l.quarter, l.status, l.reason, l.spent
    FROM progress_latest l JOIN org ON org.id = l.organization_id  -- (no status: a withdrawn report, none)
    WHERE {summaries.latest_at('$5')} AND l.status IS NOT NULL AND ($4::INTEGER IS NULL OR l.fiscal_year = $4) {lat}),
planned AS (
    SELECT r.* EXCLUDE (quarters, budget), c.quarter, c.quarter_end, c.ended, c.days_late, l.status,
           l.status IS NOT NULL AS reported, coalesce(l.status = $11, FALSE) AS done,
           c.ended AND NOT coalesce(l.status = $11, FALSE) AS overdue
    FROM (SELECT * , unnest(quarters) AS quarter FROM rec) r
    JOIN pcal c ON c.fiscal_year = r.fiscal_year AND c.quarter = r.quarter
    LEFT JOIN latest l ON l.kind = r.kind AND l.record_id = r.record_id AND l.quarter = r.quarter)
"""


_BASE = _base()
# The oldest ended quarters holding the first $12 overdue planned quarters (days late falls with
# each later quarter, so the longest late are there).
_OVERDUE_LEVELS = """
    SELECT fiscal_year, quarter FROM (
        SELECT q.fiscal_year, q.quarter,
               coalesce(sum(sum(q.planned - q.done)) OVER (ORDER BY q.fiscal_year, q.quarter
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM qs q JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        WHERE c.ended GROUP BY q.fiscal_year, q.quarter)
    WHERE before < $12"""
_OVERDUE_BASE = _base(_OVERDUE_LEVELS)


def _params(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> list:
    org_id, province, district = scope
    years = [year] if year is not None else fiscal_years(store, None)
    cal = progress.quarter_calendar(years, as_of)
    return [org_id, province, district, year, progress.reports_cutoff(as_of), cal["fiscal_year"],
            cal["quarter"], cal["quarter_end"], cal["ended"], cal["days_late"], STATUS_DONE]


def _variant(store: Store, scope: Scope, cutoff: dt.datetime) -> tuple[str, bool]:
    """Which form of the summary CTEs a read takes: its level, and whether the stored counts need the
    later days' changes taken off (only when a report was made at or after the cutoff: none when the
    as-of date is today; the check reads column statistics, well under 1 ms)."""
    return _level(scope), store.query_rows(
        "SELECT EXISTS (SELECT 1 FROM progress_latest WHERE reported_at >= ?)", [cutoff])[0][0]


def _query(store: Store, body: str, scope: Scope, year: int | None, as_of: dt.date,
           extra: list | None = None, base: dict[tuple[str, bool], str] = _BASE) -> pd.DataFrame:
    params = _params(store, scope, year, as_of)
    return store.query_df(base[_variant(store, scope, params[4])] + body, params + (extra or []))


def _summary(store: Store, body: str, scope: Scope, year: int | None, as_of: dt.date,
             extra: list | None = None) -> pd.DataFrame:
    return _query(store, body, scope, year, as_of, extra, _SUMMARY)


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
    row = _summary(store, """
        SELECT
            (SELECT coalesce(sum(records) FILTER (WHERE group_kind = 'dimension'), 0) FROM rs)::BIGINT AS plan_items,
            (SELECT coalesce(sum(records) FILTER (WHERE group_kind = 'instrument'), 0) FROM rs)::BIGINT AS measures,
            (SELECT coalesce(sum(without_quarters), 0) FROM rs)::BIGINT AS without_quarters,
            (SELECT coalesce(sum(budget) FILTER (WHERE group_kind = 'dimension'), 0) FROM rs)::DOUBLE AS budget,
            (SELECT coalesce(sum(without_budget), 0) FROM rs)::BIGINT AS without_budget,
            (SELECT coalesce(sum(spent), 0) FROM qs)::DOUBLE AS spent,
            coalesce(sum(q.planned), 0)::BIGINT AS planned,
            coalesce(sum(q.planned) FILTER (WHERE c.ended), 0)::BIGINT AS planned_ended,
            coalesce(sum(q.done) FILTER (WHERE c.ended), 0)::BIGINT AS done_ended,
            coalesce(sum(q.planned - q.done) FILTER (WHERE c.ended), 0)::BIGINT AS overdue,
            coalesce(sum(q.records_through - q.done_through) FILTER (WHERE c.last_ended), 0)::BIGINT
                AS overdue_records
        FROM qs q JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        """, scope, year, as_of)
    out = row.to_dict("records")[0]
    out["share_done"] = progress.share_done(out["done_ended"], out["planned_ended"])
    return out


def progress_by_quarter(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Planned, reported and done planned-quarters per fiscal year and quarter (all four quarters
    of every year in scope, zero where nothing is planned), with the cumulative share done."""
    return _summary(store, """
        , years AS (SELECT DISTINCT fiscal_year FROM rs),
        agg AS (SELECT fiscal_year, quarter, sum(planned) AS planned, sum(reported) AS reported, sum(done) AS done
                FROM qs GROUP BY fiscal_year, quarter)
        SELECT c.fiscal_year, c.quarter, c.quarter_end, c.ended,
               coalesce(a.planned, 0)::BIGINT AS planned, coalesce(a.reported, 0)::BIGINT AS reported,
               coalesce(a.done, 0)::BIGINT AS done, coalesce(a.planned - a.reported, 0)::BIGINT AS no_report,
               (CASE WHEN c.ended THEN coalesce(a.planned - a.done, 0) ELSE 0 END)::BIGINT AS overdue,
               (sum(coalesce(a.planned, 0)) OVER w)::BIGINT AS cumulative_planned,
               (sum(coalesce(a.done, 0)) OVER w)::BIGINT AS cumulative_done
        FROM cal c JOIN years y USING (fiscal_year)
        LEFT JOIN agg a ON a.fiscal_year = c.fiscal_year AND a.quarter = c.quarter
        WINDOW w AS (PARTITION BY c.fiscal_year ORDER BY c.quarter)
        ORDER BY c.fiscal_year, c.quarter
        """, scope, year, as_of)


def _summed(q: str = "q", c: str = "c") -> str:
    """Planned, reported, done, no report and overdue planned quarters summed from summary rows `q`
    joined to their calendar quarters `c`."""
    return (f"sum({q}.planned)::BIGINT AS planned, sum({q}.reported)::BIGINT AS reported, "
            f"sum({q}.done)::BIGINT AS done, sum({q}.planned - {q}.reported)::BIGINT AS no_report, "
            f"coalesce(sum({q}.planned - {q}.done) FILTER (WHERE {c}.ended), 0)::BIGINT AS overdue")


def progress_by_group(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Per dimension (plan items) and per instrument (measures)."""
    return _summary(store, f"""
        SELECT * FROM (
            SELECT q.group_kind, q.group_key, {_LABEL.format(t="q")} AS group_label, {_summed()}
            FROM qs q JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
            {_DIMENSION.format(t="q")}
            GROUP BY 1, 2, 3 HAVING sum(q.planned) > 0)
        ORDER BY group_kind, CASE group_key WHEN 'IIT' THEN 1 WHEN 'EIT' THEN 2 WHEN 'OIT' THEN 3
                                            WHEN 'none' THEN 4 ELSE 0 END, group_key
        """, scope, year, as_of)


def progress_by_unit(store: Store, scope: Scope, year: int | None, as_of: dt.date, limit: int = 100
                     ) -> pd.DataFrame:
    """Per responsible unit, the most overdue first, at most `limit` rows; `matched` holds how many
    units there are in all."""
    return _summary(store, f"""
        SELECT q.group_key AS responsible, {_summed()}, count(*) OVER () AS matched
        FROM uqs q JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        GROUP BY q.group_key HAVING sum(q.planned) > 0
        ORDER BY overdue DESC, planned DESC, responsible LIMIT $12
        """, scope, year, as_of, [limit])


def progress_rounds(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """The 6-month (Q1+Q2) and 12-month (Q1-Q4) rounds per fiscal year."""
    rounds = sorted(progress.ROUNDS.items())
    return _summary(store, f"""
        , rounds AS (SELECT unnest($12::INTEGER[]) AS months, unnest($13::INTEGER[]) AS last_quarter)
        SELECT q.fiscal_year, r.months, {_summed()}, any_value(e.ended) AS round_ended
        FROM rounds r JOIN qs q ON q.quarter <= r.last_quarter
        JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        JOIN cal e ON e.fiscal_year = q.fiscal_year AND e.quarter = r.last_quarter
        GROUP BY q.fiscal_year, r.months HAVING sum(q.planned) > 0 ORDER BY q.fiscal_year, r.months
        """, scope, year, as_of, [[m for m, _ in rounds], [qs[-1] for _, qs in rounds]])


# The oldest ended quarter in scope that holds overdue work (no planned quarter is more days late).
_OLDEST_LATE = """
    , oldest AS (
        SELECT min(q.fiscal_year * 10 + q.quarter) AS yq FROM qs q
        JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        WHERE c.ended AND c.days_late > 0 AND q.planned > q.done)"""
# The organization names, in order, whose overdue planned quarters in the oldest late quarter reach
# $12 rows (`late`: how many they hold up to each name); `yq` names the quarter.
_OVERDUE_NAMES = _OLDEST_LATE + """
    SELECT short_name, late, (SELECT yq FROM oldest) AS yq FROM (
        SELECT short_name, sum(n) OVER (ORDER BY short_name) AS late FROM (
            SELECT org.short_name, sum(q.planned - q.done) AS n FROM ots q JOIN org ON org.id = q.organization_id
            WHERE q.fiscal_year = (SELECT yq // 10 FROM oldest)
              AND q.quarter = (SELECT yq % 10 FROM oldest)
            GROUP BY 1 HAVING sum(q.planned - q.done) > 0))
    QUALIFY coalesce(lag(late) OVER (ORDER BY short_name), 0) < $12
    ORDER BY short_name"""
_OVERDUE_UP_TO = _base("SELECT fiscal_year, quarter FROM cal WHERE fiscal_year * 10 + quarter = $13",
                       "SELECT id FROM org WHERE short_name <= $14")
_OVERDUE = """
        SELECT kind, record_id, organization, fiscal_year, seq, title, responsible, group_label, quarter,
               quarter_end, days_late, status
        FROM planned WHERE overdue
        ORDER BY days_late DESC, organization, kind DESC, seq LIMIT $12
        """


def overdue_list(store: Store, scope: Scope, year: int | None, as_of: dt.date,
                 limit: int = 500) -> pd.DataFrame:
    """Planned quarters that ended without a done report, the longest late first.

    When the oldest late quarter alone holds `limit` of them, they are that quarter's, by organization
    name: the organizations up to the name where they reach `limit` (from the summaries) are read."""
    names = _summary(store, _OVERDUE_NAMES, scope, year, as_of, [limit]) if scope[0] is None else None
    if names is not None and not names.empty and names["late"].iloc[-1] >= limit:
        return _query(store, _OVERDUE, scope, year, as_of,
                      [limit, int(names["yq"].iloc[0]), names["short_name"].iloc[-1]], _OVERDUE_UP_TO)
    return _query(store, _OVERDUE, scope, year, as_of, [limit], _OVERDUE_BASE)


_DECISIONS = """
        , questions AS (
            SELECT 2 AS rank, 'คำถามจากการนำเข้าเอกสาร' AS topic, o.short_name AS organization,
                   coalesce(d.title, d.layout_label) || coalesce(' ปี ' || d.fiscal_year, '') AS title,
                   i.message AS detail, 0 AS days_late
            FROM document_issue i JOIN source_document d ON d.id = i.document_id
            JOIN org o ON o.id = d.organization_id
            WHERE i.severity = 'question' AND i.answer IS NULL AND ($4::INTEGER IS NULL OR d.fiscal_year = $4))
        {first}
        , per_record AS (
            SELECT p.kind, p.record_id, p.organization, p.title, bool_or(p.status = $12) AS blocked,
                   -- (lists sorted after the aggregate: an ordered string_agg costs ~0.1 ms per record)
                   array_to_string(list_transform(list_sort(list({'q': p.quarter, 't': 'ไตรมาส ' || p.quarter || ': '
                                   || coalesce(l.reason, '')}) FILTER (WHERE p.status = $12)), x -> x.t), ' · ') AS reasons,
                   array_to_string(list_sort(list(p.quarter) FILTER (WHERE p.overdue)), ', ') AS late_q,
                   array_to_string(list_sort(list_distinct(list(coalesce(p.status, $13)) FILTER (WHERE p.overdue))),
                                   ', ') AS late_states,
                   coalesce(max(p.days_late) FILTER (p.overdue), 0) AS days_late
            FROM planned p LEFT JOIN latest l USING (kind, record_id, quarter) {join}
            GROUP BY p.kind, p.record_id, p.organization, p.title
            HAVING bool_or(p.status = $12) OR bool_or(p.overdue)),
        topics AS (
            SELECT CASE WHEN blocked THEN 1 ELSE 3 END AS rank,
                   CASE WHEN blocked THEN 'ดำเนินการไม่ได้' ELSE 'เลยกำหนด' END AS topic, organization, title,
                   CASE WHEN blocked THEN reasons ELSE 'ไตรมาส ' || late_q || ' · ' || late_states END AS detail,
                   days_late
            FROM per_record
            UNION ALL SELECT * FROM questions)
        SELECT rank, topic, organization, title, detail, days_late, {organizations} AS organizations
        FROM topics
        ORDER BY row_number() OVER (PARTITION BY organization ORDER BY rank, days_late DESC, title, detail),
                 rank, days_late DESC, organization, title, detail
        LIMIT $14
"""
_BLOCKED_RECORDS = f"""
    SELECT DISTINCT l.record_kind AS kind, l.record_id FROM progress_latest l JOIN org ON org.id = l.organization_id
    WHERE l.status = $12 AND {summaries.latest_at('$5')} AND ($4::INTEGER IS NULL OR l.fiscal_year = $4)"""
# Per organization, the records planned in its oldest ended quarter that is not all done (found from
# the summaries): its longest overdue records are among them.
_OLDEST_LATE_RECORDS = """
    WITH oldest AS (
        SELECT organization_id, min(q.fiscal_year * 10 + q.quarter) AS yq
        FROM ots q JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
        WHERE c.ended AND q.planned > q.done GROUP BY organization_id)
    SELECT 'plan_item' AS kind, p.id AS record_id FROM plan_item p
    JOIN oldest o ON o.organization_id = p.organization_id AND p.fiscal_year = o.yq // 10
    WHERE list_contains(p.quarters, o.yq % 10)
    UNION ALL
    SELECT 'measure', m.id FROM measure m
    JOIN oldest o ON o.organization_id = m.organization_id AND m.fiscal_year = o.yq // 10
    WHERE list_contains(m.quarters, o.yq % 10)"""
# When only each organization's first row is wanted: its records that can give it (first by
# blocked, days late and title, ties kept), so the texts are put together for those alone.
_FIRST_ONLY = ("""
        , light AS (
            SELECT kind, record_id, organization, title, CASE WHEN bool_or(status = $12) THEN 1 ELSE 3 END AS rank,
                   coalesce(max(days_late) FILTER (overdue), 0) AS days_late
            FROM planned GROUP BY kind, record_id, organization, title
            HAVING bool_or(status = $12) OR bool_or(overdue)),
        best AS (
            SELECT * FROM light
            QUALIFY rank() OVER (PARTITION BY organization ORDER BY rank, days_late DESC, title) = 1),
        front AS (  -- the organizations whose first rows can be among the first $14 (a question only comes earlier)
            SELECT organization FROM (SELECT DISTINCT organization, rank, days_late FROM best)
            ORDER BY rank, days_late DESC, organization LIMIT $14)""",
               "JOIN best b ON b.kind = p.kind AND b.record_id = p.record_id "
               "AND b.organization IN (SELECT organization FROM front)",
               # organizations with a row of rank <= {rank} (counted before the texts are put together)
               "(SELECT count(DISTINCT organization) FROM (SELECT organization, rank FROM light "
               "UNION ALL SELECT organization, rank FROM questions) WHERE rank <= {rank})")
# The blocked records of the fiscal years up to the `limit`-th organization's oldest blocked planned
# quarter that has ended (found from the summaries; every year when fewer organizations have one).
# Those `limit` organizations each have a blocked record at least that many days late, and a record of
# a later fiscal year is fewer days late than any ended quarter of an earlier year, so the first
# `limit` organizations' blocked rows, ties included, are among these records.
_OLD_BLOCKED_RECORDS = _BLOCKED_RECORDS + """
    AND l.fiscal_year <= coalesce((
        SELECT yq // 10 FROM (
            SELECT org.short_name, min(q.fiscal_year * 10 + q.quarter) AS yq
            FROM ots q JOIN org ON org.id = q.organization_id
            JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
            WHERE c.ended AND c.days_late > 0 AND q.blocked > 0 GROUP BY 1)
        ORDER BY yq LIMIT 1 OFFSET $14 - 1), l.fiscal_year)"""
_DECISION_BASES = (_base(records=_OLD_BLOCKED_RECORDS),
                   _base(records=_BLOCKED_RECORDS + " UNION SELECT * FROM (" + _OLDEST_LATE_RECORDS + ")"))
# The first `limit` names (by name) of the organizations with blocked work planned in the oldest ended
# quarter that holds any overdue work in scope. No record is more days late than that quarter's, so
# those organizations come first, by name; the first `limit` organizations of the list are therefore
# among the names up to the last of these (whatever the others have), and a read of just those
# organizations gives the list's first `limit` rows.
_OLDEST_BLOCKED_NAMES = _OLDEST_LATE + """
    SELECT DISTINCT org.short_name FROM ots q JOIN org ON org.id = q.organization_id
    WHERE q.blocked > 0 AND q.fiscal_year = (SELECT yq // 10 FROM oldest)
      AND q.quarter = (SELECT yq % 10 FROM oldest)
    ORDER BY org.short_name LIMIT $12"""
_DECISIONS_UP_TO = _base(orgs="SELECT id FROM org WHERE short_name <= $15")
_DECISIONS_OF_FEW = _base(orgs="SELECT id FROM org WHERE list_contains($15::VARCHAR[], short_name)")


def _names_in_scope(store: Store, scope: Scope) -> int:
    """How many organization names the scope holds (the lists take turns by name)."""
    org_id, province, district = scope
    return store.query_rows(
        "SELECT count(DISTINCT short_name) FROM organization WHERE (?::INTEGER IS NULL OR id = ?) "
        "AND (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR district = ?)",
        [org_id, org_id, province, province, district, district])[0][0]


def decisions(store: Store, scope: Scope, year: int | None, as_of: dt.date, limit: int = 10) -> pd.DataFrame:
    """What needs an executive's decision, one row per record or document: blocked work (with its
    reasons and days late), open document questions (named by the document's title), then the
    longest overdue records not already listed as blocked. Organizations take turns, so one
    organization cannot fill the list.

    The first `limit` rows are each organization's first row before any organization's second,
    and blocked work comes first. So when `limit` organizations have blocked work, the blocked
    records alone give the answer; else, when `limit` organizations have something, the blocked
    records and each organization's longest overdue ones do; else the few organizations that have
    something are read record by record."""
    extra = [STATUS_BLOCKED, progress.NO_REPORT, limit]
    every = _DECISIONS.replace("{first}", "").replace("{join}", "").replace(
        "{organizations}", "(SELECT count(DISTINCT organization) FROM topics)")
    if _names_in_scope(store, scope) < limit:  # (one organization, a small district) read record by record
        return _query(store, every, scope, year, as_of, extra).drop(columns="organizations")
    names = _summary(store, _OLDEST_BLOCKED_NAMES, scope, year, as_of, [limit])["short_name"].tolist()
    if len(names) == limit:  # the first `limit` organizations are among those up to the last of these names
        return _query(store, every, scope, year, as_of, extra + [names[-1]], _DECISIONS_UP_TO).drop(
            columns="organizations")
    first = _DECISIONS.replace("{first}", _FIRST_ONLY[0]).replace("{join}", _FIRST_ONLY[1]).replace(
        "{organizations}", _FIRST_ONLY[2])
    for rank, base in zip((1, 3), _DECISION_BASES, strict=True):  # organizations with blocked work, with anything
        out = _query(store, first.replace("{rank}", str(rank)), scope, year, as_of, extra, base)
        if not out.empty and out["organizations"].iloc[0] >= limit:
            return out.drop(columns="organizations")
    if not out.empty:  # fewer than `limit` organizations have something: all of them are in `out`
        out = _query(store, every, scope, year, as_of, extra + [out["organization"].unique().tolist()],
                     _DECISIONS_OF_FEW)
    return out.drop(columns="organizations")


# -- budget ------------------------------------------------------------------------------------
_BUDGET = """
    , spent AS (SELECT fiscal_year, group_key, sum(spent) AS spent FROM qs WHERE group_kind = 'dimension'
                GROUP BY ALL),
    items AS (  -- per fiscal year and dimension
        SELECT r.fiscal_year, r.group_key, {label} AS group_label, sum(r.records) AS items,
               sum(r.with_budget) AS with_budget, sum(r.without_budget) AS without_budget, sum(r.budget) AS budget,
               sum(r.q1) AS q1, sum(r.q2) AS q2, sum(r.q3) AS q3, sum(r.q4) AS q4
        FROM rs r {dimension} WHERE r.group_kind = 'dimension' GROUP BY ALL),
    items_spent AS (SELECT i.*, coalesce(s.spent, 0) AS spent FROM items i LEFT JOIN spent s USING (fiscal_year, group_key))
""".format(label=_LABEL.format(t="r"), dimension=_DIMENSION.format(t="r"))


def budget_by_dimension(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    """Per dimension, with a totals row (dimension NULL) computed by DuckDB: items, items without
    budget, planned and spent baht, and items planned per quarter (as a plan's totals row)."""
    return _summary(store, _BUDGET + """
        SELECT group_key::INTEGER AS dimension,
               CASE WHEN GROUPING(group_key) = 1 THEN 'รวมทั้งสิ้น' ELSE min(group_label) END AS name,
               sum(items)::BIGINT AS items, sum(with_budget)::BIGINT AS with_budget,
               sum(without_budget)::BIGINT AS without_budget,
               sum(budget)::DOUBLE AS budget, sum(spent)::DOUBLE AS spent,
               sum(q1)::BIGINT AS q1, sum(q2)::BIGINT AS q2, sum(q3)::BIGINT AS q3, sum(q4)::BIGINT AS q4
        FROM items_spent GROUP BY ROLLUP (group_key)
        ORDER BY GROUPING(group_key), dimension
        """, scope, year, as_of)


def budget_by_unit(store: Store, scope: Scope, year: int | None, as_of: dt.date, limit: int = 100
                   ) -> pd.DataFrame:
    """Budget per organization and responsible unit, largest first, at most `limit` rows; `matched`
    holds how many there are in all. Ranked on the summaries; what the rows shown spent by the as-of
    date is then read from their units' rows in the summaries, for those organizations alone."""
    top = _summary(store, f"""
        , units AS (
            SELECT org.short_name AS organization, r.group_key AS responsible, sum(r.records) AS items,
                   sum(r.without_budget) AS without_budget, sum(r.budget) AS budget
            FROM record_summary r JOIN org ON org.id = r.organization_id
            WHERE r.group_kind = 'plan_unit' AND {_YEAR.format(t='r')} GROUP BY 1, 2)
        SELECT organization, responsible, items, without_budget, budget::DOUBLE AS budget,
               count(*) OVER () AS matched
        FROM units ORDER BY budget DESC, organization, responsible LIMIT $12
        """, scope, year, as_of, [limit])
    org_id, province, district = scope
    ids = [r[0] for r in store.query_rows(  # the shown organizations in scope (a name may be in several places)
        "SELECT id FROM organization WHERE list_contains(?, short_name) AND (?::INTEGER IS NULL OR id = ?) "
        "AND (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR district = ?) ORDER BY id",
        [sorted(set(top["organization"])), org_id, org_id, province, province, district, district])]
    columns = ["organization", "responsible", "items", "without_budget", "budget", "spent", "matched"]
    if not ids:
        return top.assign(spent=0.0)[columns]
    # what the latest reports as of the cutoff spent: the rows kept now less the later days' moves, of
    # these organizations only (their ids as constants: the engine reads only their blocks)
    # (the range lets the engine skip the blocks outside it, one organization's all but its own; list_contains
    # stays a filter in the scan: an IN list of many ids became a join after reading the rows)
    within = f"group_kind = 'plan_unit' AND organization_id BETWEEN {min(ids)} AND {max(ids)} " \
             f"AND list_contains([{', '.join(map(str, ids))}], organization_id) AND (?::INTEGER IS NULL OR fiscal_year = ?)"
    cutoff = progress.reports_cutoff(as_of)
    later = _variant(store, scope, cutoff)[1]  # (no change rows to take off as of today)
    spent = store.query_df(
        f"SELECT o.short_name AS organization, q.group_key AS responsible, sum(q.spent)::DOUBLE AS spent FROM ("
        f"SELECT organization_id, group_key, spent FROM quarter_summary WHERE {within}"
        + (f" UNION ALL SELECT organization_id, group_key, -spent FROM {summaries.CHANGE} WHERE {within} "
           "AND on_day >= CAST(? AS DATE)" if later else "")
        + ") q JOIN organization o ON o.id = q.organization_id GROUP BY 1, 2",
        [year, year] + ([year, year, cutoff] if later else []))
    out = top.merge(spent, on=["organization", "responsible"], how="left")
    return out.assign(spent=out["spent"].fillna(0.0))[columns]


def budget_by_year(store: Store, scope: Scope, year: int | None, as_of: dt.date) -> pd.DataFrame:
    return _summary(store, _BUDGET + """
        SELECT fiscal_year, group_key::INTEGER AS dimension, group_label AS name, items::BIGINT AS items,
               without_budget::BIGINT AS without_budget, budget::DOUBLE AS budget, spent::DOUBLE AS spent
        FROM items_spent ORDER BY fiscal_year, dimension
        """, scope, year, as_of)


# -- register ----------------------------------------------------------------------------------
# The register's filters that need no report, applied to the records before any per-record work
# (the same conditions are applied again to the rows); with states chosen, and no report not among
# them, only records with a report in one of those states at the cutoff can match.
_REGISTER_BASE = _base(records=f"""
    SELECT kind, record_id FROM (
        SELECT 'plan_item' AS kind, p.id AS record_id, p.title, {summaries.unit_name('p.responsible')} AS responsible,
               CAST(p.dimension AS VARCHAR) AS group_key, p.quarters
        FROM plan_item p JOIN org ON org.id = p.organization_id
        WHERE $12 = 'plan_item' AND ($4::INTEGER IS NULL OR p.fiscal_year = $4)
        UNION ALL
        SELECT 'measure', m.id, m.title, {summaries.unit_name('m.responsible')}, coalesce(m.instrument, 'none'),
               m.quarters
        FROM measure m JOIN org ON org.id = m.organization_id
        WHERE $12 = 'measure' AND ($4::INTEGER IS NULL OR m.fiscal_year = $4)) r
    WHERE ($14 = '' OR contains(lower(title), lower($14)) OR contains(lower(responsible), lower($14)))
      AND (len($15::VARCHAR[]) = 0 OR list_contains($15::VARCHAR[], group_key))
      AND ($16::VARCHAR IS NULL OR (kind = 'measure' AND record_id IN (
          SELECT measure_id FROM measure_item_link WHERE code = $16 AND status IN ('as_read', 'confirmed'))))
      AND ($17 = '' OR contains(lower(responsible), lower($17)))
      AND (len($19::INTEGER[]) = 0 OR len(list_intersect(quarters, $19::INTEGER[])) > 0)
      AND (len($18::VARCHAR[]) = 0 OR list_contains($18::VARCHAR[], $13) OR record_id IN (
          SELECT l.record_id FROM progress_latest l JOIN org ON org.id = l.organization_id
          WHERE l.record_kind = $12 AND list_contains($18::VARCHAR[], l.status) AND {summaries.latest_at('$5')}))""")


def register(store: Store, scope: Scope, year: int | None, as_of: dt.date, kind: str, search: str = "",
             instruments: tuple[str, ...] = (), item_code: str | None = None, unit: str = "",
             states: tuple[str, ...] = (), quarters: tuple[int, ...] = (), limit: int = 500) -> pd.DataFrame:
    """Plan items or measures matching the register's filters, at most `limit` rows. Each row
    carries how many rows matched (`matched`) and their budget (`matched_budget`), and its state:
    the report of its latest reported quarter up to the as-of date, or NO_REPORT.

    Without filters the counts come from the summaries, and only the organizations (by name, the
    list's order) that hold the first `limit` records are read record by record."""
    unfiltered = not (search.strip() or instruments or item_code or unit.strip() or states or quarters)
    matched = "count(*) OVER () AS matched, (sum(budget) OVER ())::DOUBLE AS matched_budget"
    base = _REGISTER_BASE
    if unfiltered:
        group = "CASE $12 WHEN 'plan_item' THEN 'dimension' ELSE 'instrument' END"
        matched = (f"(SELECT coalesce(sum(records), 0) FROM rs WHERE group_kind = {group})::BIGINT AS matched, "
                   f"(SELECT sum(budget) FROM rs WHERE group_kind = {group})::DOUBLE AS matched_budget")
        base = _base(orgs=f"""
            SELECT org.id FROM org WHERE org.short_name IN (
                SELECT short_name FROM (
                    SELECT o.short_name, sum(r.records) AS n FROM record_summary r JOIN org o ON o.id = r.organization_id
                    WHERE r.group_kind = {group} AND ($4::INTEGER IS NULL OR r.fiscal_year = $4)
                    GROUP BY o.short_name)
                QUALIFY coalesce(sum(n) OVER (ORDER BY short_name ROWS BETWEEN UNBOUNDED PRECEDING
                                                                 AND 1 PRECEDING), 0) < $20)""")
    return _query(store, """
        , state AS (
            SELECT kind, record_id, status, quarter FROM latest
            QUALIFY row_number() OVER (PARTITION BY kind, record_id ORDER BY quarter DESC) = 1),
        codes AS (  -- keyed by (kind, id) so the join is a plain equality join (a hash join)
            SELECT 'measure' AS kind, measure_id AS record_id, list(code ORDER BY code) AS item_codes
            FROM measure_item_link WHERE status IN ('as_read', 'confirmed') AND $12 = 'measure'
              AND measure_id IN (SELECT record_id FROM rec WHERE kind = 'measure') GROUP BY measure_id),
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
        SELECT *, {matched} FROM rows
        WHERE ($14 = '' OR contains(lower(title), lower($14)) OR contains(lower(responsible), lower($14)))
          AND (len($15::VARCHAR[]) = 0 OR list_contains($15::VARCHAR[], group_key))
          AND ($16::VARCHAR IS NULL OR list_contains(item_codes, $16))
          AND ($17 = '' OR contains(lower(responsible), lower($17)))
          AND (len($18::VARCHAR[]) = 0 OR list_contains($18::VARCHAR[], state))
          AND (len($19::INTEGER[]) = 0 OR len(list_intersect(quarters, $19::INTEGER[])) > 0)
        ORDER BY organization, fiscal_year, seq LIMIT $20
        """.replace("{matched}", matched), scope, year, as_of,
        [kind, progress.NO_REPORT, search.strip(), list(instruments), item_code, unit.strip(), list(states),
         list(quarters), limit], base)


def item_codes(store: Store, scope: Scope, year: int | None) -> list[str]:
    """ITA item codes linked to measures in scope, for the register's picker."""
    org_id, province, district = scope
    measures = "SELECT id FROM measure WHERE (?::INTEGER IS NULL OR fiscal_year = ?)"
    params = [year, year]
    if scope != (None, None, None):  # (nationally every organization: no join to them)
        measures += (" AND organization_id IN (SELECT id FROM organization WHERE (?::INTEGER IS NULL OR id = ?) "
                     "AND (?::VARCHAR IS NULL OR province = ?) AND (?::VARCHAR IS NULL OR district = ?))")
        params += [org_id, org_id, province, province, district, district]
    if year is None and scope == (None, None, None):
        measures = "SELECT id FROM measure"
        params = []
    return [r[0] for r in store.query_rows(
        f"SELECT code FROM (SELECT DISTINCT l.code FROM measure_item_link l WHERE l.status IN ('as_read', 'confirmed') "
        f"AND l.measure_id IN ({measures})) "
        "ORDER BY CASE left(code, 1) WHEN 'i' THEN 1 WHEN 'e' THEN 2 ELSE 3 END, "
        "TRY_CAST(regexp_extract(code, '[0-9]+') AS INTEGER), code", params)]


def record_links(store: Store, measure_id: int) -> pd.DataFrame:
    return store.query_df(
        "SELECT framework_year, code, origin, status FROM measure_item_link WHERE measure_id = ? "
        "ORDER BY code", [measure_id])


# -- this quarter (overview, reporting grid) ---------------------------------------------------
def planned_quarters(store: Store, scope: Scope) -> dict[int, dict[int, int]]:
    """Each fiscal year in scope that has planned work: {quarter: records planned in it}."""
    out: dict[int, dict[int, int]] = {}
    for year, *counts in _summary(store, """
            SELECT fiscal_year, sum(q1), sum(q2), sum(q3), sum(q4) FROM rs
            WHERE fiscal_year IN (SELECT fiscal_year FROM cal) GROUP BY fiscal_year
            """, scope, None, thai.today()).itertuples(index=False):
        for quarter, n in enumerate(counts, start=1):
            if n:
                out.setdefault(int(year), {})[quarter] = int(n)
    return out


def quarter_status(store: Store, scope: Scope, year: int, quarter: int, as_of: dt.date,
                   organizations: bool = False) -> pd.DataFrame:
    """The records planned in one quarter by their state there: one row for all of them
    (`part` = 'all'), then per dimension/instrument ('group'), responsible unit ('unit') and, with
    `organizations` (one row per organization in scope: thousands nationally, so only for the download),
    organization ('organization'), each with planned, reported, done, in progress, not started,
    blocked and not reported counts. group_kind and group_key name the group ('group' rows only)."""
    sums = ("sum(planned) AS planned, sum(planned) FILTER (WHERE group_kind IN ('dimension', 'plan_unit')) "
            "AS plan_items, sum(planned) FILTER (WHERE group_kind IN ('instrument', 'measure_unit')) AS measures, "
            "sum(reported) AS reported, sum(done) AS done, sum(in_progress) AS in_progress, "
            "sum(not_started) AS not_started, sum(blocked) AS blocked, sum(planned - reported) AS no_report, "
            "bool_or(ended) AS ended, max(quarter_end) AS quarter_end")
    return _summary(store, f"""
        , q AS (SELECT q.*, c.ended, c.quarter_end FROM qs_all q
                JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
                WHERE q.quarter = $12 AND q.planned > 0),
        o AS (SELECT q.*, c.ended, c.quarter_end, org.short_name FROM oqs q JOIN org ON org.id = q.organization_id
              JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
              WHERE $13 AND q.quarter = $12 AND q.planned > 0 AND q.group_kind IN {_GROUPS}),
        parts AS (
            SELECT 'all' AS part, NULL AS key, NULL AS group_kind, NULL AS group_key, {sums}
            FROM q WHERE group_kind IN {_GROUPS}
            UNION ALL
            SELECT 'group', {_LABEL.format(t="q")}, q.group_kind, q.group_key, {sums}
            FROM q {_DIMENSION.format(t="q")} WHERE q.group_kind IN {_GROUPS} GROUP BY ALL
            UNION ALL
            SELECT 'unit', group_key, NULL, NULL, {sums} FROM q WHERE group_kind IN {_UNITS} GROUP BY group_key
            UNION ALL
            SELECT 'organization', short_name, NULL, NULL, {sums} FROM o GROUP BY short_name)
        SELECT part, key, group_kind, group_key, coalesce(planned, 0)::BIGINT AS planned,
               coalesce(plan_items, 0)::BIGINT AS plan_items, coalesce(measures, 0)::BIGINT AS measures,
               coalesce(reported, 0)::BIGINT AS reported, coalesce(done, 0)::BIGINT AS done,
               coalesce(in_progress, 0)::BIGINT AS in_progress, coalesce(not_started, 0)::BIGINT AS not_started,
               coalesce(blocked, 0)::BIGINT AS blocked, coalesce(no_report, 0)::BIGINT AS no_report,
               ended, quarter_end
        FROM parts
        ORDER BY part, CASE group_key WHEN 'IIT' THEN 1 WHEN 'EIT' THEN 2 WHEN 'OIT' THEN 3
                                      WHEN 'none' THEN 4 ELSE 0 END, planned DESC, key
        """, scope, year, as_of, [quarter, organizations])


def quarter_records(store: Store, organization_id: int, year: int, quarter: int,
                    planned_only: bool = True) -> pd.DataFrame:
    """Every record of one organization and fiscal year for the reporting grid: those planned in
    `quarter` (or all of them), each with its latest report for that quarter (whenever made: the
    grid edits what is on file now), its budget and what its other quarters already spent."""
    return _query(store, """
        , now AS (SELECT * FROM progress
                  QUALIFY row_number() OVER (PARTITION BY record_kind, record_id, quarter
                                             ORDER BY reported_at DESC, id DESC) = 1),
        other AS (SELECT record_kind, record_id, sum(spent)::DOUBLE AS spent FROM now WHERE quarter <> $12
                  GROUP BY ALL),
        cur AS (SELECT * FROM now WHERE quarter = $12)
        SELECT r.kind, r.record_id, r.seq, r.title, r.group_label, r.responsible, r.quarters,
               r.budget::DOUBLE AS budget, coalesce(o.spent, 0) AS spent_other_quarters,
               list_contains(r.quarters, $12) AS planned_here,
               c.status, c.reason, c.spent::DOUBLE AS spent, c.note, c.evidence_url, c.reported_at, c.reported_by
        FROM rec r LEFT JOIN cur c ON c.record_kind = r.kind AND c.record_id = r.record_id
        LEFT JOIN other o ON o.record_kind = r.kind AND o.record_id = r.record_id
        WHERE NOT $13 OR list_contains(r.quarters, $12) OR c.id IS NOT NULL
        ORDER BY r.kind DESC, r.seq
        """, (organization_id, None, None), year, thai.today(), [quarter, planned_only])


def organization_ranking(store: Store, scope: Scope, year: int | None, quarter: int | None, as_of: dt.date,
                         limit: int = 200) -> pd.DataFrame:
    """Every organization in scope with records: share done of its ended planned quarters,
    overdue records, budget and spent (share disbursed), and how many of the quarter's planned
    records are not reported; the laggards first, at most `limit` rows (`matched`: how many in all)."""
    return _summary(store, f"""
        , pl AS (SELECT q.organization_id, sum(q.planned) FILTER (WHERE c.ended) AS planned_ended,
                        sum(q.done) FILTER (WHERE c.ended) AS done_ended,
                        sum(q.records_through - q.done_through) FILTER (WHERE c.last_ended) AS overdue_records,
                        sum(q.planned) FILTER (WHERE q.quarter = $12) AS planned_quarter,
                        sum(q.planned - q.reported) FILTER (WHERE q.quarter = $12) AS no_report_quarter,
                        sum(q.spent) AS spent
                 FROM ots q LEFT JOIN cal c ON c.fiscal_year = q.fiscal_year AND c.quarter = q.quarter
                 GROUP BY 1),
        rc AS (SELECT r.organization_id, any_value(org.short_name) AS organization, sum(r.records) AS records,
                      coalesce(sum(r.budget), 0)::DOUBLE AS budget  -- (plan items'; a measure has none)
               FROM record_summary r JOIN org ON org.id = r.organization_id
               WHERE r.group_kind = {_TOTAL} AND {_YEAR.format(t='r')} GROUP BY 1 HAVING sum(r.records) > 0)
        SELECT rc.organization_id, rc.organization, o.province, o.district, rc.records::BIGINT AS records,
               coalesce(pl.planned_ended, 0)::BIGINT AS planned_ended, coalesce(pl.done_ended, 0)::BIGINT AS done_ended,
               CASE WHEN pl.planned_ended > 0 THEN pl.done_ended / pl.planned_ended END AS share_done,
               coalesce(pl.overdue_records, 0)::BIGINT AS overdue_records,
               coalesce(pl.planned_quarter, 0)::BIGINT AS planned_quarter,
               coalesce(pl.no_report_quarter, 0)::BIGINT AS no_report_quarter,
               rc.budget, coalesce(pl.spent, 0)::DOUBLE AS spent,
               CASE WHEN rc.budget > 0 THEN coalesce(pl.spent, 0)::DOUBLE / rc.budget END AS share_spent,
               count(*) OVER () AS matched
        FROM rc JOIN organization o ON o.id = rc.organization_id
        LEFT JOIN pl USING (organization_id)
        ORDER BY share_done NULLS LAST, overdue_records DESC, rc.organization LIMIT $13
        """, scope, year, as_of, [quarter or 0, limit])


