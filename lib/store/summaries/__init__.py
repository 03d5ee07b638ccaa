"""Summaries kept on write: the latest report per record and quarter, and per (organization, fiscal
year, group, quarter) counts that national, province and district views add up.

Tables (lib/store/migrations/0010_summaries.sql, 1410_area_and_unit_summaries.sql): `progress_latest`,
`record_summary` and `quarter_summary` (per organization, fiscal year and group: a dimension, an
instrument, a responsible unit, or all its records: TOTAL), `area_record_summary` / `area_quarter_summary` (the same added
up per province, which national and province views read), and `weak_point_summary` (1710,
weak_points.py: the gap page's weak points), and `quarter_change` / `national_quarter_change` (1450:
how the quarter rows moved on each day a record was reported on, per organization and nationally, so a
read as of a past date subtracts the later days: `changes`), and `organization_quarter` /
`organization_change` (1460: the organizations' TOTAL rows of those two apart, the changes in day order,
for the national lists ranking organizations). They are derived from plan_item, measure,
measure_item_link, progress and organization.province only, and are refreshed inside the
transaction of the write that changes those rows, so a committed write and its summaries are one:
a reader never sees one without the other.

How a write path keeps them right (new write paths included): write inside `Store.transaction()`
and append a `history` row per changed record (`table_name` 'plan_item' / 'measure' and its id) or
per progress report (`table_name` 'progress' and the report's id), as every write already must
(a measure's ITA links: `table_name` 'measure_item_link' and the measure's id).
Before it commits, the transaction calls `after_write`, which finds those history rows and
recomputes the summaries of exactly the records and (organization, fiscal year) pairs they touch.
A bulk writer that writes records without per-record history (bench/generate) calls
`rebuild(cur)` in its transaction instead.

All upkeep is plain SQL run on the transaction's cursor (DELETE ... USING, INSERT ... SELECT, window
functions; `unnest` and `bool_and` are the only non-core pieces), so another engine under the store
runs the same statements. `python -m lib.store.summaries --check` recomputes everything from the raw
rows and compares; `--rebuild` rewrites them.
"""
from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager, nullcontext

from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED
from lib.store.summaries import weak_points

VERSION = 5  # bump when the definition below changes: the next open rebuilds every database
CHANGE, NATIONAL_CHANGE = "quarter_change", "national_quarter_change"  # (1450: how the quarter rows moved per day)
# (1460) each organization's TOTAL rows of quarter_summary and quarter_change apart, the latter in day order
ORG_QUARTER, ORG_CHANGE = "organization_quarter", "organization_change"
TABLES = ("progress_latest", "record_summary", "quarter_summary", "area_record_summary", "area_quarter_summary",
          weak_points.TABLE, CHANGE, NATIONAL_CHANGE, ORG_QUARTER, ORG_CHANGE)
KEY = "organization_id, fiscal_year, group_kind, group_key"
NATIONAL_KEY = "fiscal_year, group_kind, group_key, quarter, on_day"  # a national_quarter_change row's
ORG_KEY = "organization_id, fiscal_year, quarter"  # an organization_quarter row's (organization_change: and on_day)
AREA_KEY = "province, fiscal_year, group_kind, group_key"
RECORD_COUNTS = ("records", "without_quarters", "with_budget", "without_budget", "budget", "q1", "q2", "q3", "q4")
COUNTS = ("planned", "reported", "done", "blocked", "spent", "records_through", "done_through", "in_progress",
          "not_started")
GROUPS = ("dimension", "instrument")  # group kinds that partition the records (the units are a second partition)
UNITS = ("plan_unit", "measure_unit")
# group kind (and key) of one row per organization, fiscal year (and quarter) over all its records: what the
# lists ranking organizations nationally add up (a fifth of the rows of the dimensions and instruments)
TOTAL = "total"
NO_UNIT = "ไม่ระบุผู้รับผิดชอบ"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


DONE, BLOCKED = _lit(STATUS_DONE), _lit(STATUS_BLOCKED)
IN_PROGRESS, NOT_STARTED = _lit(STATUS_IN_PROGRESS), _lit(STATUS_NOT_STARTED)


def unit_name(col: str) -> str:
    """A responsible unit as one name however a document spaced or abbreviated it: runs of white
    space (line breaks too) become one space and a closing "ฯ" goes ("กองสาธารณสุขฯ" = "กองสาธารณสุข")."""
    return (f"coalesce(nullif(regexp_replace(trim(regexp_replace({col}, '\\s+', ' ', 'g')), '\\s*ฯ$', ''), ''), "
            f"{_lit(NO_UNIT)})")


# Every record, once per grouping (its dimension or instrument, and its responsible unit); callers add a
# WHERE on the outer select.
def records_from(plan_items: str = "plan_item", measures: str = "measure") -> str:
    """RECORDS over other sources of the plan items' and measures' rows (a subquery each, say a few of them)."""
    return f"""
    SELECT 'plan_item' AS kind, id AS record_id, organization_id, fiscal_year, 'dimension' AS group_kind,
           CAST(dimension AS VARCHAR) AS group_key, quarters, budget FROM {plan_items}
    UNION ALL
    SELECT 'measure', id, organization_id, fiscal_year, 'instrument', coalesce(instrument, 'none'), quarters,
           NULL FROM {measures}
    UNION ALL
    SELECT 'plan_item', id, organization_id, fiscal_year, 'plan_unit', {unit_name('responsible')}, quarters, budget
    FROM {plan_items}
    UNION ALL
    SELECT 'measure', id, organization_id, fiscal_year, 'measure_unit', {unit_name('responsible')}, quarters, NULL
    FROM {measures}
    UNION ALL
    SELECT 'plan_item', id, organization_id, fiscal_year, '{TOTAL}', '{TOTAL}', quarters, budget FROM {plan_items}
    UNION ALL
    SELECT 'measure', id, organization_id, fiscal_year, '{TOTAL}', '{TOTAL}', quarters, NULL FROM {measures}
"""


RECORDS = records_from()
# Every record once: its organization and fiscal year.
RECORD_OWNERS = """
    SELECT 'plan_item' AS kind, id AS record_id, organization_id, fiscal_year FROM plan_item
    UNION ALL SELECT 'measure', id, organization_id, fiscal_year FROM measure
"""


def latest_at(cutoff_sql: str) -> str:
    """The condition on progress_latest for "the latest report made before `cutoff_sql`"."""
    return f"(reported_at < {cutoff_sql} AND (until_at IS NULL OR until_at >= {cutoff_sql}))"


def contributions(records: str, latest: str, done: str = DONE, by: tuple[str, ...] = ()) -> str:
    """A SELECT of quarter_summary rows (KEY, quarter, COUNTS) for the records of `records` (a SELECT
    of RECORDS' columns) given `latest` (a SELECT of kind, record_id, quarter, status, spent: the
    current report of each record and quarter). The one definition the stored summary, its check
    and the changes since a date (`changes`) all use (`done`: the done status as SQL). `by`: columns
    of `records` kept in the rows' key after KEY; the first, in `latest` too, tells apart several
    states of one record (its versions)."""
    k = "".join(f", {c}" for c in by)
    same = f" AND l.{by[0]} = pq.{by[0]}" if by else ""
    return f"""
    WITH rec AS ({records}),
    lat AS ({latest}),
    pq AS (SELECT kind, record_id, {KEY}{k}, unnest(quarters) AS quarter FROM rec),
    planned AS (
        SELECT pq.*, l.status FROM pq
        LEFT JOIN lat l ON l.kind = pq.kind AND l.record_id = pq.record_id AND l.quarter = pq.quarter{same}),
    through AS (  -- per record and quarter k: it plans some quarter <= k; all of those are done
        SELECT {KEY}{k}, k.k AS quarter,
               CASE WHEN bool_and(coalesce(p.status = {done}, FALSE)) THEN 1 ELSE 0 END AS all_done
        FROM planned p JOIN (VALUES (1), (2), (3), (4)) AS k(k) ON p.quarter <= k.k
        GROUP BY {KEY}{k}, p.kind, p.record_id, k.k)
    SELECT {KEY}{k}, quarter, {", ".join(f"sum({c}) AS {c}" for c in COUNTS)}
    FROM (
        SELECT {KEY}{k}, quarter, 1 AS planned, CASE WHEN status IS NULL THEN 0 ELSE 1 END AS reported,
               CASE WHEN status = {done} THEN 1 ELSE 0 END AS done,
               CASE WHEN status = {BLOCKED} THEN 1 ELSE 0 END AS blocked, CAST(NULL AS DECIMAL(18, 2)) AS spent,
               0 AS records_through, 0 AS done_through,
               CASE WHEN status = {IN_PROGRESS} THEN 1 ELSE 0 END AS in_progress,
               CASE WHEN status = {NOT_STARTED} THEN 1 ELSE 0 END AS not_started
        FROM planned
        UNION ALL
        SELECT {KEY}{k}, quarter, 0, 0, 0, 0, NULL, 1, all_done, 0, 0 FROM through
        UNION ALL
        SELECT r.organization_id, r.fiscal_year, r.group_kind, r.group_key{"".join(f", r.{c}" for c in by)}, l.quarter,
               0, 0, 0, 0, l.spent, 0, 0, 0, 0
        FROM lat l JOIN rec r ON r.kind = l.kind AND r.record_id = l.record_id{same.replace("pq.", "r.")}
    ) x
    GROUP BY {KEY}{k}, quarter"""


# the rows of changes that moved something (their sums: a day when nothing moved has no row)
MOVED = " OR ".join(f"coalesce(sum({c}), 0) <> 0" for c in COUNTS)


def national_rows(table: str, where: str = "") -> str:
    """A SELECT of national_quarter_change rows adding up the quarter_change rows of `table` (`where`: a
    condition on them, as `x`)."""
    return (f"SELECT {NATIONAL_KEY}, {', '.join(f'sum({c}) AS {c}' for c in COUNTS)} FROM {table} x {where} "
            f"GROUP BY {NATIONAL_KEY} HAVING {MOVED}")


def changes(records: str, spans: str) -> str:
    """A SELECT of quarter_change rows (KEY, quarter, day, COUNTS) for the records of `records` (as
    `contributions`) given `spans` (a SELECT of progress_latest rows of those records): for each day
    on which some of them were reported on, how their quarter_summary rows moved that day (the
    counts as of the day's end less those as of the day before). A day's rows summed over the days
    after D, taken off the rows kept now, give the rows as of D; days where nothing moved are left
    out. Each record is counted in each of its versions (`day`: from the end of the day of one of
    its reports, `next_day`: up to the end of its next report's day; NULL `day`: before any report)."""
    versions = """
        SELECT kind, record_id, day, lead(day) OVER (PARTITION BY kind, record_id ORDER BY day NULLS FIRST) AS next_day
        FROM (SELECT DISTINCT record_kind AS kind, record_id, CAST(reported_at AS DATE) AS day FROM s
              UNION ALL SELECT DISTINCT record_kind, record_id, CAST(NULL AS DATE) FROM s) e"""
    counts = ", ".join(f"coalesce(sum({c}), 0) AS {c}" for c in COUNTS)
    return f"""
    WITH s AS ({spans}),
    v AS ({versions}),
    c AS MATERIALIZED ({contributions(
        f"SELECT r.*, v.day, v.next_day FROM ({records}) r JOIN v ON v.kind = r.kind AND v.record_id = r.record_id",
        "SELECT s.record_kind AS kind, s.record_id, s.quarter, s.status, s.spent, v.day FROM s "
        "JOIN v ON v.kind = s.record_kind AND v.record_id = s.record_id AND v.day IS NOT NULL "
        "AND CAST(s.reported_at AS DATE) <= v.day AND (s.until_at IS NULL OR CAST(s.until_at AS DATE) > v.day)",
        by=("day", "next_day"))})
    SELECT {KEY}, quarter, day AS on_day, {counts} FROM (
        SELECT {KEY}, quarter, day, {", ".join(COUNTS)} FROM c WHERE day IS NOT NULL
        UNION ALL
        SELECT {KEY}, quarter, next_day, {", ".join(f"-{c}" for c in COUNTS)} FROM c WHERE next_day IS NOT NULL) x
    GROUP BY {KEY}, quarter, day
    HAVING {MOVED}"""


def area_rows(table: str, organizations: str = "organization", where: str = "") -> str:
    """A SELECT of area rows (per province) adding up the organization rows of `table`
    ('record_summary' or 'quarter_summary', or a table of the same columns) joined to `organizations`,
    filtered by `where` (on `s`, the summary rows, and `o`, the organization)."""
    quarterly = "quarter_summary" in table
    key = f"o.province, s.fiscal_year, s.group_kind, s.group_key{', s.quarter' if quarterly else ''}"
    sums = ", ".join(f"sum(s.{c}) AS {c}" for c in (COUNTS if quarterly else RECORD_COUNTS))  # named: a view reads them
    return (f"SELECT {key}, {sums} FROM {table} s JOIN {organizations} o ON o.id = s.organization_id "
            f"{where} GROUP BY {key}")


def _record_rows(records: str) -> str:
    return f"""
    SELECT {KEY}, count(*) AS records,
           count(*) FILTER (WHERE coalesce(array_length(quarters, 1), 0) = 0) AS without_quarters,
           count(*) FILTER (WHERE budget > 0) AS with_budget, count(*) FILTER (WHERE budget = 0) AS without_budget,
           sum(budget) AS budget,
           {", ".join(f"count(*) FILTER (WHERE array_position(quarters, {q}) IS NOT NULL) AS q{q}" for q in (1, 2, 3, 4))}
    FROM ({records}) r GROUP BY {KEY}"""


def _latest_rows(touched: str | dict | list | None) -> str:
    """progress_latest rows recomputed from the raw progress rows (of the `touched` records: a table,
    {kind: [ids]} written into the SQL as constants, or a list of (kind, id, organization, fiscal
    year): the owners as constants too, so a few records are found without a scan of the records)."""
    join, where, rec_where = "", "", ""
    owners = f"SELECT kind, record_id, organization_id, fiscal_year FROM ({RECORD_OWNERS}) x"
    if isinstance(touched, list):
        ids = {k: [i for kind, i, _, _ in touched if kind == k] for k in ("plan_item", "measure")}
        where = "WHERE " + _in("p.record_kind", "p.record_id", ids)
        owners = "SELECT * FROM (VALUES " + ", ".join(
            f"('{kind}', {int(i)}, {int(org)}, {int(fy)})" for kind, i, org, fy in touched
        ) + ") AS x(kind, record_id, organization_id, fiscal_year)"
    elif isinstance(touched, dict):
        where = "WHERE " + _in("p.record_kind", "p.record_id", touched)
        rec_where = "WHERE " + _in("x.kind", "x.record_id", touched)
    elif touched:
        join = f"JOIN {touched} t ON t.kind = p.record_kind AND t.record_id = p.record_id"
    return f"""
    SELECT p.id AS progress_id, p.record_kind, p.record_id, p.quarter, r.organization_id, r.fiscal_year,
           p.status, p.reason, p.spent, p.reported_at,
           lead(p.reported_at) OVER (PARTITION BY p.record_kind, p.record_id, p.quarter
                                     ORDER BY p.reported_at, p.id) AS until_at
    FROM progress p {join}
    JOIN ({owners} {rec_where}) r
      ON r.kind = p.record_kind AND r.record_id = p.record_id {where}"""


def _in(kind_col: str, id_col: str, ids: dict[str, list[int]]) -> str:
    parts = [f"({kind_col} = '{kind}' AND {id_col} IN ({', '.join(str(int(i)) for i in found)}))"
             for kind, found in ids.items() if found and kind in ("plan_item", "measure")]
    return "(" + (" OR ".join(parts) or "FALSE") + ")"


def _write(cur, target: dict[str, str], touched: str | dict | list | None, scope: str | None,
           parts: tuple[str, ...] = TABLES, where: str = "") -> None:
    """Recompute into the `target` tables (name -> table) the `parts` rows of the `touched` records
    (progress_latest) and the (organization, fiscal year) pairs of `scope` (a table joined) or `where`
    (a condition on x.organization_id and x.fiscal_year) (the others), or of everything when both are
    empty."""
    in_scope = (f"JOIN {scope} s ON s.organization_id = x.organization_id AND s.fiscal_year = x.fiscal_year"
                if scope else "")
    records = f"SELECT x.* FROM ({RECORDS}) x {in_scope} WHERE {where or 'TRUE'}"
    latest_scope = in_scope.replace("x.", "l.")
    latest = (f"SELECT l.record_kind AS kind, l.record_id, l.quarter, l.status, l.spent "
              f"FROM {target['progress_latest']} l {latest_scope} WHERE l.until_at IS NULL "
              f"AND {(where or 'TRUE').replace('x.', 'l.')}")
    if "progress_latest" in parts:
        cur.execute(f"INSERT INTO {target['progress_latest']} {_latest_rows(touched)} "
                    "ORDER BY r.organization_id, p.record_kind, p.record_id, p.quarter, p.reported_at")
    if "record_summary" in parts:
        cur.execute(f"INSERT INTO {target['record_summary']} {_record_rows(records)} ORDER BY {KEY}")
    cur.execute(f"INSERT INTO {target['quarter_summary']} SELECT * FROM ({contributions(records, latest)}) c "
                f"ORDER BY {KEY}, quarter")
    if ORG_QUARTER in parts:
        cur.execute(f"INSERT INTO {target[ORG_QUARTER]} {_org_rows(target['quarter_summary'], in_scope, where)} "
                    f"ORDER BY {ORG_KEY}")
    if CHANGE in parts:  # every report of those records, not only the current ones
        spans = (f"SELECT l.* FROM {target['progress_latest']} l {latest_scope} "
                 f"WHERE {(where or 'TRUE').replace('x.', 'l.')}")
        cur.execute(f"INSERT INTO {target[CHANGE]} SELECT * FROM ({changes(records, spans)}) c "
                    f"ORDER BY {KEY}, quarter, on_day")
    if ORG_CHANGE in parts:  # in day order: a read back in time reads only the blocks of the later days
        cur.execute(f"INSERT INTO {target[ORG_CHANGE]} {_org_rows(target[CHANGE], in_scope, where, 'on_day')} "
                    f"ORDER BY on_day, {ORG_KEY}")
    if weak_points.TABLE in parts:
        weak_points.write(cur, target[weak_points.TABLE], target["progress_latest"], in_scope, where)


def _org_rows(table: str, in_scope: str = "", where: str = "", day: str = "") -> str:
    """A SELECT of organization_quarter rows (`day` 'on_day': organization_change rows) from the TOTAL
    rows of `table` (quarter_summary or quarter_change, as `x`; `in_scope`, `where`: as _write's)."""
    return (f"SELECT {ORG_KEY}{', ' + day if day else ''}, {', '.join(COUNTS)} FROM {table} x {in_scope} "
            f"WHERE x.group_kind = '{TOTAL}' AND {where or 'TRUE'}")


def _write_areas(cur, target: dict[str, str]) -> None:
    """Add up every organization row of `target`'s tables into its area tables."""
    for table in ("record_summary", "quarter_summary"):
        cur.execute(f"INSERT INTO {target['area_' + table]} {area_rows(target[table])}")


def _write_national(cur, target: dict[str, str]) -> None:
    """Add up every organization's change rows of `target` into its national ones (by day: a read back
    in time takes the last days' rows)."""
    cur.execute(f"INSERT INTO {target[NATIONAL_CHANGE]} {national_rows(target[CHANGE])} ORDER BY fiscal_year, on_day")


def _national_moved(cur, where: str) -> list[tuple]:
    """The change rows of some organizations and fiscal years (`where`: a condition on x, or a JOIN)
    added up per national key: what they put into national_quarter_change."""
    return cur.execute(national_rows(CHANGE, where if where.startswith("JOIN") else f"WHERE {where}")).fetchall()


def _move_national(cur, before: list[tuple], after: list[tuple]) -> None:
    """national_quarter_change after some organizations' change rows went from `before` to `after`
    (national_rows of them): each national row moved by the difference, added where new, removed
    where nothing is left. The national rows of those keys are read first, so only the statements
    needed run (the keys are few: the days the touched records were reported on). Plain SQL on both
    engines."""
    n = len(COUNTS)
    diff: dict[tuple, list] = {}
    for sign, rows in ((-1, before), (1, after)):
        for row in rows:
            sums = diff.setdefault(tuple(row[:-n]), [0] * n)
            for i, v in enumerate(row[-n:]):
                sums[i] += sign * v
    diff = {k: v for k, v in diff.items() if any(v)}
    if not diff:
        return
    # (the fiscal years and days first: the engine skips the blocks outside them)
    near = (f"n.fiscal_year IN ({', '.join(sorted({str(int(k[0])) for k in diff}))}) AND n.on_day IN ("
            + ", ".join(f"DATE {_lit(d.isoformat())}" for d in sorted({k[4] for k in diff})) + ")")
    keys = NATIONAL_KEY.split(", ")
    found = {tuple(r[:-n]): r[-n:] for r in cur.execute(
        f"SELECT {NATIONAL_KEY}, {', '.join(COUNTS)} FROM {NATIONAL_CHANGE} n WHERE {near}").fetchall()}
    found = {k: v for k, v in found.items() if k in diff}
    moved = {k: [a + b for a, b in zip(found[k], d, strict=True)] for k, d in diff.items() if k in found}
    gone = [k for k, v in moved.items() if not any(v)]
    if gone or moved:
        cur.execute(f"DELETE FROM {NATIONAL_CHANGE} n WHERE {near} AND (" + " OR ".join(_key_is(k) for k in moved) + ")")
    added = {k: v for k, v in moved.items() if any(v)} | {k: d for k, d in diff.items() if k not in found}
    if added:
        cur.execute(f"INSERT INTO {NATIONAL_CHANGE} ({', '.join(keys)}, {', '.join(COUNTS)}) VALUES "
                    + ", ".join("(" + ", ".join(_sql_value(v) for v in (*k, *sums)) + ")"
                                for k, sums in sorted(added.items())))


def _org_moved(cur, where: str) -> dict[tuple, tuple]:
    """The organization_change rows of some organizations and fiscal years (`where`: a condition on x), read
    from quarter_change (kept in organization order: its blocks of those organizations only): key -> counts."""
    n = len(COUNTS)
    return {tuple(r[:-n]): tuple(r[-n:]) for r in cur.execute(_org_rows(CHANGE, "", where, "on_day")).fetchall()}


def _move_org(cur, before: dict[tuple, tuple], after: dict[tuple, tuple]) -> None:
    """organization_change after some organizations' rows went from `before` to `after` (_org_moved): only
    the rows that differ are deleted and written again (those of the days the write moved: today's for a
    report made now), so the table stays in day order without being rewritten."""
    moved = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if not moved:
        return
    keys = ORG_KEY.split(", ") + ["on_day"]
    days = ", ".join(sorted({f"DATE {_lit(k[3].isoformat())}" for k in moved}))
    gone = [k for k in moved if k in before]
    if gone:  # (the days first: the engine skips the blocks of the other days)
        cur.execute(f"DELETE FROM {ORG_CHANGE} n WHERE n.on_day IN ({days}) AND (" + " OR ".join(
            "(" + " AND ".join(f"n.{c} = {_sql_value(v)}" for c, v in zip(keys, k, strict=True)) + ")"
            for k in gone) + ")")
    added = [k for k in moved if k in after]
    if added:
        cur.execute(f"INSERT INTO {ORG_CHANGE} ({', '.join(keys)}, {', '.join(COUNTS)}) VALUES "
                    + ", ".join("(" + ", ".join(_sql_value(v) for v in (*k, *after[k])) + ")" for k in added))


def _sql_value(v) -> str:
    """A national row's value as an SQL literal (ints, decimals, dates, group names)."""
    if isinstance(v, str):
        return _lit(v)
    if isinstance(v, dt.date):
        return f"DATE {_lit(v.isoformat())}"
    return str(v)


def _key_is(key: tuple) -> str:
    """SQL true for the national row `n` of `key` (fiscal year, group kind, group key, quarter, day)."""
    year, kind, group, quarter, day = key
    return (f"(n.fiscal_year = {int(year)} AND n.group_kind = {_lit(kind)} AND n.group_key = {_lit(group)} "
            f"AND n.quarter = {int(quarter)} AND n.on_day = DATE {_lit(day.isoformat())})")


# A whole rebuild (a migration's backfill, bench/generate, --check) windows every report at once:
# it gets more working memory than page reads while it runs (store.db.MEMORY_LIMIT bounds those).
BULK_MEMORY = "1500MB"


@contextmanager
def _bulk_memory(cur, ordered: bool = True):
    """`ordered` False: rows need not be stored in their ORDER BY's order (the check's temporary
    rows); keeping that order, the national check ran out of BULK_MEMORY in its change rows."""
    before = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    cur.execute(f"SET memory_limit = '{BULK_MEMORY}'")
    if not ordered:
        cur.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        cur.execute(f"SET memory_limit = '{before}'")
        if not ordered:
            cur.execute("SET preserve_insertion_order = true")


@contextmanager
def _small_joins(cur):
    """Joins in the order the statements write them: the summaries of a first start's few hundred rows
    cost DuckDB more to plan than to run, a tenth of that in ordering their joins (at national size
    that order matters: only the seed import's rebuild skips it)."""
    cur.execute("SET disabled_optimizers = 'join_order'")
    try:
        yield
    finally:
        cur.execute("RESET disabled_optimizers")


def rebuild(cur, bulk: bool = True, first: bool = False) -> None:
    """Rewrite every summary from the raw rows (inside the caller's transaction); `bulk`: with the
    bulk working memory (False for a store known to be small: a new one's seed import). `first`: the
    transaction began on a store without records whose summaries were current, so every summary table
    is empty and stays marked current: nothing to delete or mark (twelve statements of a seed import's
    fifty-odd)."""
    if not first:
        for table in TABLES:
            cur.execute(f"DELETE FROM {table}")
    with _bulk_memory(cur) if bulk else _small_joins(cur) if first else nullcontext():
        _write(cur, {t: t for t in TABLES}, None, None)
        _write_areas(cur, {t: t for t in TABLES})
        _write_national(cur, {t: t for t in TABLES})
    if not first:
        mark_current(cur)


def mark_current(cur) -> None:
    """Record that the summaries are up to date with this VERSION."""
    cur.execute("DELETE FROM summary_state")
    cur.execute("INSERT INTO summary_state VALUES (?, ?)", [VERSION, dt.datetime.now().replace(microsecond=0)])


def history_mark(cur) -> int:
    """Where this transaction's history rows start (pass it to after_write)."""
    return cur.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]


# The records a transaction's history rows after a mark touch: (kind, record_id, reported, edited).
_TOUCHED = (
    "SELECT kind, record_id, bool_or(reported) AS reported, bool_or(NOT reported) AS edited FROM ("
    " SELECT CASE table_name WHEN 'measure_item_link' THEN 'measure' ELSE table_name END AS kind, record_id,"
    " FALSE AS reported FROM history"
    " WHERE id > ? AND table_name IN ('plan_item', 'measure', 'measure_item_link') AND record_id IS NOT NULL "
    " UNION ALL SELECT p.record_kind, p.record_id, TRUE FROM history h JOIN progress p ON p.id = h.record_id "
    " WHERE h.id > ? AND h.table_name = 'progress') t GROUP BY kind, record_id")


def after_write(cur, mark: int) -> None:
    """Refresh the summaries of what the history rows after `mark` changed (see the module doc)."""
    touched: dict[tuple[str, int], list[bool]] = {}  # (kind, record id) -> [reported, edited]
    report_ids, moved = [], False
    for table, row_id, changed in cur.execute(
            "SELECT table_name, record_id, CASE WHEN table_name = 'organization' AND action = 'update' "
            "THEN new_value END FROM history WHERE id > ?", [mark]).fetchall():
        if table in ("plan_item", "measure", "measure_item_link") and row_id is not None:
            touched.setdefault(("measure" if table == "measure_item_link" else table, row_id), [False, False])[1] = True
        elif table == "progress" and row_id is not None:
            report_ids.append(row_id)
        # an organization's province set or changed (its website alone moves no total)
        if isinstance(changed, str):  # JSON comes back as text from DuckDB, parsed from PostgreSQL
            changed = json.loads(changed)
        moved = moved or (changed is not None and "province" in changed)
    new_reports = []  # the reports added (progress is append-only): id, kind, record, quarter, status, reason, spent, at
    if 0 < len(report_ids) <= FEW:
        new_reports = cur.execute(
            "SELECT id, record_kind, record_id, quarter, status, reason, spent, reported_at FROM progress "
            f"WHERE id IN ({', '.join(str(int(i)) for i in sorted(set(report_ids)))})").fetchall()
        for _, kind, record_id, *_ in new_reports:
            touched.setdefault((kind, record_id), [False, False])[0] = True
    reports = any(rep for rep, _ in touched.values())
    records = any(edited for _, edited in touched.values())
    if len(touched) > FEW or len(report_ids) > FEW:  # a bulk write: the records as a table, joined
        cur.execute(f"CREATE OR REPLACE TEMP TABLE summary_touched AS {_TOUCHED}", [mark, mark])
        try:
            refresh(cur, "summary_touched", reports=reports, records=records)
        finally:
            cur.execute("DROP TABLE IF EXISTS summary_touched")
    elif touched:
        _refresh_few(cur, [(kind, i, rep) for (kind, i), (rep, _) in touched.items()], reports, records,
                     areas=not moved, new_reports=new_reports)
    if moved:  # an organization's location (rarely) changes: every area total is added up again
        for table in ("area_record_summary", "area_quarter_summary"):
            cur.execute(f"DELETE FROM {table}")
        _write_areas(cur, {t: t for t in TABLES})


FEW = 5000  # up to this many records touched, their ids go into the SQL as constants


def refresh(cur, touched: str, reports: bool = True, records: bool = True) -> None:
    """Recompute the summaries of the records in table `touched` (kind, record_id, reported): the
    spans of the reports of those `reported` (when `reports`), and the summary rows of their
    (organization, fiscal year) pairs (record_summary only when `records` changed)."""
    rows = cur.execute(f"SELECT kind, record_id, reported FROM {touched} LIMIT {FEW + 1}").fetchall()
    if len(rows) <= FEW:
        _refresh_few(cur, rows, reports, records)
        return
    parts = ("quarter_summary", CHANGE, ORG_QUARTER, ORG_CHANGE, weak_points.TABLE) + \
        (("progress_latest",) if reports else ()) + (("record_summary",) if records else ())
    reported = f"(SELECT * FROM {touched} WHERE reported)"
    if reports:
        cur.execute(f"DELETE FROM progress_latest USING {touched} t WHERE t.reported "
                    "AND t.kind = progress_latest.record_kind AND t.record_id = progress_latest.record_id")
    cur.execute(f"CREATE OR REPLACE TEMP TABLE summary_scope AS SELECT DISTINCT organization_id, fiscal_year FROM "
                f"({RECORDS}) r JOIN {touched} t ON t.kind = r.kind AND t.record_id = r.record_id")
    try:
        in_scope = "JOIN summary_scope s ON s.organization_id = x.organization_id AND s.fiscal_year = x.fiscal_year"
        before = _national_moved(cur, in_scope)
        for table in [t for t in ("record_summary", "quarter_summary") if t in parts] + [
                CHANGE, ORG_QUARTER, ORG_CHANGE, weak_points.TABLE]:
            cur.execute(f"DELETE FROM {table} USING summary_scope s WHERE s.organization_id = {table}.organization_id "
                        f"AND s.fiscal_year = {table}.fiscal_year")
        _write(cur, {t: t for t in TABLES}, reported, "summary_scope", parts)
        _move_national(cur, before, _national_moved(cur, in_scope))
        # the provinces' totals of those fiscal years, added up again from their organizations' rows
        area = ("EXISTS (SELECT 1 FROM summary_scope a JOIN organization ao ON ao.id = a.organization_id "
                "WHERE ao.province IS NOT DISTINCT FROM {province} AND a.fiscal_year = {year})")
        for table in [t for t in ("record_summary", "quarter_summary") if t in parts]:
            cur.execute(f"DELETE FROM area_{table} WHERE " + area.format(
                province=f"area_{table}.province", year=f"area_{table}.fiscal_year"))
            cur.execute(f"INSERT INTO area_{table} " + area_rows(table, where=(
                # the organizations of those provinces first: their ids narrow the scan of the summary rows
                "WHERE s.organization_id IN (SELECT po.id FROM organization po JOIN (SELECT DISTINCT ao.province "
                "FROM summary_scope a JOIN organization ao ON ao.id = a.organization_id) pp "
                "ON pp.province IS NOT DISTINCT FROM po.province) "
                "AND s.fiscal_year IN (SELECT fiscal_year FROM summary_scope) AND "
                + area.format(province="o.province", year="s.fiscal_year"))))
    finally:
        cur.execute("DROP TABLE IF EXISTS summary_scope")


def _pairs(a: str, b: str, pairs, literal=str) -> str:
    """SQL true for the rows whose (`a`, `b`) is one of `pairs` (constants): both columns' IN lists
    first, which the engine checks against each block's min/max and skips the rest, then the pairs."""
    if not pairs:
        return "FALSE"
    both = " OR ".join(f"({a} IS NULL AND {b} = {int(y)})" if x is None else f"({a} = {literal(x)} AND {b} = {int(y)})"
                       for x, y in sorted(pairs, key=lambda p: (p[0] is None, p)))
    firsts = sorted({literal(x) for x, _ in pairs if x is not None})
    narrow = f"{a} IN ({', '.join(firsts)}) AND " if firsts and all(x is not None for x, _ in pairs) else ""
    return f"({narrow}{b} IN ({', '.join(sorted({str(int(y)) for _, y in pairs}))}) AND ({both}))"


_LATEST_COLUMNS = ("progress_id", "record_kind", "record_id", "quarter", "organization_id", "fiscal_year", "status",
                   "reason", "spent", "reported_at", "until_at")
SPANS = 400  # up to this many progress_latest rows of the touched records, _add_spans works them out in Python


def _add_spans(cur, owners: list[tuple], added: list[tuple], where: str) -> bool:
    """progress_latest for the records of `owners` (kind, id, organization, fiscal year) after the
    reports `added` (id, kind, record, quarter, status, reason, spent, reported_at) were added: their rows already there (found by organization first) and the new
    reports, each span ending at the next report of its record and quarter (by time, then id), as
    _latest_rows's window. False (nothing done) past SPANS rows: the caller recomputes them."""
    if not owners:
        return True
    records = {k: [i for kind, i, _, _ in owners if kind == k] for k in ("plan_item", "measure")}
    found = f"{where} AND {_in('x.record_kind', 'x.record_id', records)}"
    old = cur.execute(f"SELECT {', '.join(_LATEST_COLUMNS[:-1])} FROM progress_latest x WHERE {found} "
                      f"LIMIT {SPANS + 1}").fetchall()
    owner = {(kind, i): (org, fy) for kind, i, org, fy in owners}
    new = [(pid, kind, i, q, *owner[(kind, i)], status, reason, spent, at)
           for pid, kind, i, q, status, reason, spent, at in added if (kind, i) in owner]
    rows = {r[0]: r for r in old + new}  # a report already spanned in this transaction counts once
    if len(rows) > SPANS:
        return False
    spans = []
    ordered = sorted(rows.values(), key=lambda r: (r[1], r[2], r[3], r[9], r[0]))
    for n, r in enumerate(ordered):
        following = ordered[n + 1] if n + 1 < len(ordered) else None
        same = following is not None and following[1:4] == r[1:4]
        spans.append((*r, following[9] if same else None))
    cur.execute(f"DELETE FROM progress_latest x WHERE {found}")
    if spans:
        cur.execute(f"INSERT INTO progress_latest ({', '.join(_LATEST_COLUMNS)}) VALUES "
                    + ", ".join(["(" + ", ".join("?" * len(_LATEST_COLUMNS)) + ")"] * len(spans)),
                    [v for span in spans for v in span])
    return True


def _refresh_few(cur, rows: list[tuple], reports: bool, records: bool, areas: bool = True,
                 new_reports: list[tuple] | None = None) -> None:
    """refresh() for a few records (kind, record_id, reported): their ids, owners and provinces go into
    each statement as constants, so each reads only the blocks of those organizations (a progress
    report at national size: one statement per table, a few ms each). `areas`: False when the caller
    adds up every province's totals again anyway. `new_reports`: every report the write added (rows
    of progress as after_write reads them; progress is append-only): the spans are then worked out from the records' rows already in
    progress_latest and those, not from all of progress, which is in time order, not record order."""
    ids = {k: sorted({i for kind, i, _ in rows if kind == k}) for k in ("plan_item", "measure")}
    owners = cur.execute(" UNION ALL ".join(
        f"SELECT '{kind}', x.id, x.organization_id, x.fiscal_year, o.province FROM {kind} x "
        f"LEFT JOIN organization o ON o.id = x.organization_id WHERE x.id IN ({', '.join(map(str, found))})"
        for kind, found in ids.items() if found) or "SELECT NULL, NULL, NULL, NULL, NULL WHERE FALSE").fetchall()
    reported = {(kind, i) for kind, i, rep in rows if rep}
    pairs = {(org, fy) for _, _, org, fy, _ in owners}
    where = _pairs("x.organization_id", "x.fiscal_year", pairs)
    latest = [(kind, i, org, fy) for kind, i, org, fy, _ in owners if (kind, i) in reported]
    if reports and not (new_reports is not None and _add_spans(cur, latest, new_reports, where)):
        cur.execute("DELETE FROM progress_latest WHERE " + _in("record_kind", "record_id", {
            k: [i for kind, i in reported if kind == k] for k in ("plan_item", "measure")}))
    else:
        latest = []
    if not pairs:  # records that left the tables (set aside): only their reports' spans went
        return
    tables = ("record_summary", "quarter_summary") if records else ("quarter_summary",)
    # weak points are measures' (their links, their reports): a plan item's report leaves them as they are
    weak = (weak_points.TABLE,) if any(kind == "measure" for kind, *_ in owners) else ()
    before, totals = _national_moved(cur, where), _org_moved(cur, where)
    for table in (*tables, ORG_QUARTER, CHANGE, *weak):
        cur.execute(f"DELETE FROM {table} x WHERE {where}")
    parts = tables + (ORG_QUARTER, CHANGE) + weak + (("progress_latest",) if latest else ())
    _write(cur, {t: t for t in TABLES}, latest, None, parts, where)
    _move_national(cur, before, _national_moved(cur, where))
    _move_org(cur, totals, _org_moved(cur, where))
    if not areas:
        return
    # the provinces' totals of those fiscal years, added up again from their organizations' rows
    provinces = {(province, fy) for _, _, _, fy, province in owners}
    names = sorted({p for p, _ in provinces if p is not None})
    members = cur.execute("SELECT id FROM organization WHERE " + " OR ".join(
        ([f"province IN ({', '.join(map(_lit, names))})"] if names else []) +
        (["province IS NULL"] if any(p is None for p, _ in provinces) else []))).fetchall()
    area_where = (f"WHERE s.organization_id IN ({', '.join(str(m) for (m,) in members) or 'NULL'}) AND "
                  + _pairs("o.province", "s.fiscal_year", provinces, _lit))
    for table in tables:
        cur.execute(f"DELETE FROM area_{table} x WHERE " + _pairs("x.province", "x.fiscal_year", provinces, _lit))
        cur.execute(f"INSERT INTO area_{table} " + area_rows(table, where=area_where))


def is_current(cur) -> bool:
    rows = cur.execute("SELECT max(version) FROM summary_state").fetchall()
    return bool(rows) and rows[0][0] == VERSION


def check(store) -> dict[str, int]:
    """Recompute every summary from the raw rows into temporary tables and compare with the stored
    ones: table -> number of rows that differ (either way); all zeros when they agree."""
    out = {}
    with store.cursor() as cur:  # temporary tables only: nothing in the database changes
        expected = {t: f"expected_{t}" for t in TABLES}
        for table, temp in expected.items():
            cur.execute(f"CREATE OR REPLACE TEMP TABLE {temp} AS SELECT * FROM {table} LIMIT 0")
        with _bulk_memory(cur, ordered=False):
            _write(cur, expected, None, None)
            _write_areas(cur, expected)
            _write_national(cur, expected)
        for table, temp in expected.items():
            out[table] = cur.execute(
                f"SELECT (SELECT count(*) FROM (SELECT * FROM {table} EXCEPT ALL SELECT * FROM {temp}) a) + "
                f"(SELECT count(*) FROM (SELECT * FROM {temp} EXCEPT ALL SELECT * FROM {table}) b)").fetchone()[0]
            cur.execute(f"DROP TABLE {temp}")
    return out


def check_as_of(store, dates) -> dict[str, int]:
    """For each as-of date: the quarter rows read back in time (the rows kept now less the change rows
    of the later days, per organization and added up nationally) compared with the same rows counted
    from the raw progress rows as of that date (the latest report per record and quarter made up to
    its end, found again from progress, not from progress_latest's spans): 'as of D', 'as of D,
    national' and 'as of D, organization totals' (organization_quarter less organization_change) -> the
    number of rows that differ. Rows with nothing counted are left out on both sides."""
    counts = ", ".join(f"coalesce(sum({c}), 0) AS {c}" for c in COUNTS)
    some = " OR ".join(f"{c} <> 0" for c in COUNTS)
    out = {}
    with store.cursor() as cur:
        for day in dates:
            cutoff = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
            raw = (f"SELECT kind, record_id, quarter, status, spent FROM ("
                   f"SELECT record_kind AS kind, record_id, quarter, status, spent, row_number() OVER ("
                   f"PARTITION BY record_kind, record_id, quarter ORDER BY reported_at DESC, id DESC) AS n "
                   f"FROM progress WHERE reported_at < {_lit(cutoff.isoformat(' '))}) p WHERE n = 1")
            expected = f"SELECT {KEY}, quarter, {counts} FROM ({contributions(RECORDS, raw)}) e GROUP BY {KEY}, quarter"
            after = f"on_day > {_lit(day.isoformat())}"
            back = (f"SELECT {KEY}, quarter, {counts} FROM (SELECT {KEY}, quarter, {', '.join(COUNTS)} FROM "
                    f"quarter_summary UNION ALL SELECT {KEY}, quarter, {', '.join(f'-{c}' for c in COUNTS)} "
                    f"FROM {CHANGE} WHERE {after}) b GROUP BY {KEY}, quarter")
            nkey = "fiscal_year, group_kind, group_key, quarter"
            national = (f"SELECT {nkey}, {counts} FROM (SELECT {nkey}, {', '.join(COUNTS)} FROM area_quarter_summary "
                        f"UNION ALL SELECT {nkey}, {', '.join(f'-{c}' for c in COUNTS)} FROM {NATIONAL_CHANGE} "
                        f"WHERE {after}) b GROUP BY {nkey}")
            expected_national = f"SELECT {nkey}, {counts} FROM ({expected}) e GROUP BY {nkey}"
            totals = (f"SELECT {ORG_KEY}, {counts} FROM (SELECT {ORG_KEY}, {', '.join(COUNTS)} FROM {ORG_QUARTER} "
                      f"UNION ALL SELECT {ORG_KEY}, {', '.join(f'-{c}' for c in COUNTS)} FROM {ORG_CHANGE} "
                      f"WHERE {after}) b GROUP BY {ORG_KEY}")
            expected_totals = f"SELECT {ORG_KEY}, {counts} FROM ({expected}) e WHERE group_kind = '{TOTAL}' GROUP BY {ORG_KEY}"
            for label, mine, theirs in ((f"as of {day}", back, expected),
                                        (f"as of {day}, national", national, expected_national),
                                        (f"as of {day}, organization totals", totals, expected_totals)):
                mine, theirs = f"SELECT * FROM ({mine}) m WHERE {some}", f"SELECT * FROM ({theirs}) t WHERE {some}"
                out[label] = cur.execute(
                    f"SELECT (SELECT count(*) FROM ({mine} EXCEPT ALL {theirs}) a) + "
                    f"(SELECT count(*) FROM ({theirs} EXCEPT ALL {mine}) b)").fetchone()[0]
    return out

