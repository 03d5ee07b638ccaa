"""The schema in PostgreSQL: the product's DuckDB migrations, translated, plus what sharing needs.

Each numbered file of lib/store/migrations/ is applied once, in order, in one transaction with its
row in schema_migration, exactly as lib/store/db.py does for DuckDB; the few DuckDB-only type names
are translated (BLOB -> BYTEA, DOUBLE -> DOUBLE PRECISION, HUGEINT -> NUMERIC(38)). Then:

- `change_row`: one row per row written (table and primary key), numbered in commit order
  (writers take WRITE_LOCK), which every app process's DuckDB copy follows (lib/store/replica.py);
- a trigger on every table that appends to it;
- `copy_position` (where each live copy is) and `change_horizon` (changes up to it are pruned):
  `ita_prune_changes` deletes the changes every copy seen lately has applied; a copy behind the
  horizon (one idle past the stale interval) reloads whole;
- the app role's rights: read everything; write only what the app writes. The records of what
  happened are append-only for it (history, progress, source_document, ita_upload: INSERT, no
  UPDATE or DELETE, except history.new_value, which a progress undo fills in its own transaction, and
  source_document.version_state, which the user's choice between two versions sets);
  no DDL, no TRUNCATE, nothing on schema_migration or change_row but SELECT; sequences: next value
  and read (pg_dump reads them for the backup page).

Run as the schema's owner (`python -m lib.store.shared migrate`), never as the app role.
"""
from __future__ import annotations

import datetime as dt
import re

from lib.store.db import migration_files
from lib.store.pg import WRITE_LOCK, connect

APPEND_ONLY = ("history", "progress", "source_document", "ita_upload")
SHARING = ("change_row", "copy_position", "change_horizon")
_TYPES = [(r"\bBLOB\b", "BYTEA"), (r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION"), (r"\bHUGEINT\b", "NUMERIC(38)")]

CHANGE_LOG = f"""
CREATE TABLE IF NOT EXISTS change_row (
    seq BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL,   -- '*' = everything changed (a bulk load): copies reload whole
    key JSONB NOT NULL,         -- the row's key (change_key); {{}} when a table has none (reloaded whole)
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS copy_position (  -- each app process's copy: the last change it applied
    copy_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS change_horizon (up_to BIGINT NOT NULL);  -- changes up to here are pruned
INSERT INTO change_horizon SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM change_horizon);
-- Prune what every copy seen within `stale_after` has applied; returns the rows removed. The horizon
-- is at most the last committed change: a writer's uncommitted changes (one writer at a time, under
-- the write lock) are numbered after it, so none is ever pruned.
CREATE OR REPLACE FUNCTION ita_prune_changes(stale_after INTERVAL) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    horizon BIGINT; removed BIGINT;
BEGIN
    DELETE FROM copy_position WHERE seen_at < now() - stale_after;
    SELECT least(min(p.seq), (SELECT max(seq) FROM change_row)) INTO horizon FROM copy_position p;
    IF horizon IS NULL OR horizon <= (SELECT up_to FROM change_horizon) THEN
        RETURN 0;
    END IF;
    UPDATE change_horizon SET up_to = horizon;
    DELETE FROM change_row WHERE seq <= horizon;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
CREATE OR REPLACE FUNCTION ita_capture_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    col TEXT; r JSONB; new_key JSONB := '{{}}'; old_key JSONB := '{{}}';
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    IF TG_OP <> 'DELETE' THEN
        r := to_jsonb(NEW);
        FOREACH col IN ARRAY TG_ARGV LOOP new_key := new_key || jsonb_build_object(col, r -> col); END LOOP;
        INSERT INTO change_row (table_name, key) VALUES (TG_TABLE_NAME, new_key);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        r := to_jsonb(OLD);
        FOREACH col IN ARRAY TG_ARGV LOOP old_key := old_key || jsonb_build_object(col, r -> col); END LOOP;
        IF TG_OP = 'DELETE' OR old_key <> new_key THEN
            INSERT INTO change_row (table_name, key) VALUES (TG_TABLE_NAME, old_key);
        END IF;
    END IF;
    RETURN NULL;
END $$;
"""


# PostgreSQL-only indexes: the rows a write looks up, so it does not read whole tables at national size.
# DuckDB (the embedded store and every copy) finds these rows by its zone maps and needs none. The
# summaries' upkeep (lib/store/summaries) reads reports by record and records, reports and summary rows
# by (organization, fiscal year); a copy following a change reads the changed rows by CHANGE_KEYS.
INDEXES = {
    "progress": [("record_kind", "record_id")],
    "plan_item": [("organization_id", "fiscal_year")],
    "measure": [("organization_id", "fiscal_year")],
    "progress_latest": [("progress_id",), ("record_kind", "record_id"), ("organization_id", "fiscal_year")],
    "record_summary": [("organization_id", "fiscal_year")],
    "quarter_summary": [("organization_id", "fiscal_year")],
    "quarter_change": [("organization_id", "fiscal_year")],
    "national_quarter_change": [("fiscal_year", "on_day")],
    "organization_quarter": [("organization_id", "fiscal_year")],
    "organization_change": [("organization_id", "fiscal_year"), ("on_day",)],
    "weak_point_summary": [("organization_id", "fiscal_year")],
}
# The change key of tables without a primary key (the summaries): narrower than their plain columns,
# so a copy replaces a report's row by its id and a summary by its (organization, fiscal year) rows.
CHANGE_KEYS = {
    "progress_latest": ["progress_id"],
    "record_summary": ["organization_id", "fiscal_year"],
    "quarter_summary": ["organization_id", "fiscal_year"],
    "quarter_change": ["organization_id", "fiscal_year"],
    # (a write moves the few national rows of the days its records were reported on)
    "national_quarter_change": ["fiscal_year", "group_kind", "group_key", "quarter", "on_day"],
    "organization_quarter": ["organization_id", "fiscal_year"],
    "organization_change": ["organization_id", "fiscal_year", "quarter", "on_day"],  # (a write moves a few days' rows)
    "weak_point_summary": ["organization_id", "fiscal_year"],
    # a replaced version's records, copied by CREATE TABLE AS (migration 1202: no key, no NOT NULL)
    "plan_item_replaced": ["id"],
    "measure_replaced": ["id"],
    "measure_item_link_replaced": ["measure_id", "framework_year", "code"],
}


def translate_migration(sql: str) -> str:
    if re.search(r"\b(MACRO|CREATE\s+TYPE|INSTALL|LOAD)\b", sql, re.I):
        raise ValueError("a DuckDB-only statement in a migration: translate it in lib/store/pg_schema.py")
    for pattern, replacement in _TYPES:
        sql = re.sub(pattern, replacement, sql, flags=re.I)
    return sql


def tables(cur) -> list[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def primary_key(cur, table: str) -> list[str]:
    cur.execute("SELECT a.attname FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) "
                "ON true JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY k.n", [table])
    return [r[0] for r in cur.fetchall()]


def change_key(cur, table: str) -> list[str]:
    """The columns a change of `table` is named by: its primary key; for a table without one (the
    summaries kept on write), CHANGE_KEYS or its NOT NULL columns of plain types. Copies replace every
    row that shares the changed rows' values of these columns, so any such set is right; a narrower one
    copies less."""
    return primary_key(cur, table) or _existing(cur, table, CHANGE_KEYS.get(table)) or [r[0] for r in cur.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
        "AND attnotnull AND atttypid = ANY(ARRAY['integer', 'bigint', 'smallint', 'text', 'varchar', 'boolean', "
        "'date', 'timestamp']::regtype[]) ORDER BY attnum", [table]).fetchall()]


def _existing(cur, table: str, columns: list[str] | None) -> list[str] | None:
    """`columns` when `table` has every one of them (a later migration may change a table)."""
    if not columns:
        return None
    cur.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = ANY(%s) "
                "AND NOT attisdropped", [table, columns])
    return columns if cur.fetchone()[0] == len(columns) else None


def create_indexes(cur) -> None:
    present = set(tables(cur))
    for table, indexes in INDEXES.items():
        for columns in indexes:
            if table in present and _existing(cur, table, list(columns)):
                name = "_".join((table, *columns))
                cur.execute(f'CREATE INDEX IF NOT EXISTS "ita_{name}" ON "{table}" ({", ".join(columns)})')


def migrate(owner_url: str, app_role: str = "ita_app") -> int:
    """Bring the database to the product's schema; returns the number of migrations applied."""
    applied = 0
    with connect(owner_url) as con:
        with con.transaction():
            cur = con.cursor()
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migration "
                        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            cur.execute(CHANGE_LOG)
            cur.execute("SELECT version FROM schema_migration")
            done = {v for (v,) in cur.fetchall()}
            for version, sql_file in migration_files():
                if version in done:
                    continue
                cur.execute(translate_migration(sql_file.read_text(encoding="utf-8")))
                cur.execute("INSERT INTO schema_migration VALUES (%s, %s, %s)",
                            [version, sql_file.name, dt.datetime.now().replace(microsecond=0)])
                applied += 1
            create_indexes(cur)
            for table in tables(cur):
                if table in SHARING:
                    continue
                args = ", ".join("'" + c.replace("'", "''") + "'" for c in change_key(cur, table))
                cur.execute(f'CREATE OR REPLACE TRIGGER ita_change AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                            f"FOR EACH ROW EXECUTE FUNCTION ita_capture_change({args})")
            grant(cur, app_role)
    return applied


def grant(cur, role: str) -> None:
    """The app role's rights, set anew from the current tables (see the module's docstring)."""
    r = '"' + role.replace('"', '""') + '"'
    cur.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}")
    cur.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}")
    cur.execute(f"REVOKE ALL ON SCHEMA public FROM {r}")
    cur.execute(f"GRANT USAGE ON SCHEMA public TO {r}")
    cur.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}")
    cur.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    for table in tables(cur):
        if table in SHARING or table == "schema_migration":
            continue
        rights = "INSERT" if table in APPEND_ONLY else "INSERT, UPDATE, DELETE"
        cur.execute(f'GRANT {rights} ON "{table}" TO {r}')
    cur.execute(f"GRANT UPDATE (new_value) ON history TO {r}")
    cur.execute(f"GRANT UPDATE (version_state) ON source_document TO {r}")  # a version chosen (or undone)
    cur.execute(f"GRANT INSERT, UPDATE, DELETE ON copy_position TO {r}")
    cur.execute("REVOKE EXECUTE ON FUNCTION ita_capture_change() FROM PUBLIC")
    cur.execute("REVOKE EXECUTE ON FUNCTION ita_prune_changes(INTERVAL) FROM PUBLIC")
    cur.execute(f"GRANT EXECUTE ON FUNCTION ita_prune_changes(INTERVAL) TO {r}")
