"""An embedded database copied whole into an empty shared one (moving an office to the shared
deployment; the national benchmark dataset).

Every table of the DuckDB file that the PostgreSQL schema has is written by COPY in one PostgreSQL
transaction, as the schema's owner, with the change-log triggers off for the copy and one '*' change
at the end: every app process's copy then reloads whole instead of following millions of rows one by
one. The schema versions must be the same, and the shared database must hold no records yet.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import duckdb

from lib.errors import StoreError
from lib.store.pg import WRITE_LOCK, connect
from lib.store.pg_schema import SHARING, tables


def _pg_text(column: str, data_type: str) -> str:
    """A DuckDB expression giving the column as PostgreSQL's COPY reads it."""
    c = '"' + column.replace('"', '""') + '"'
    if data_type.endswith("[]"):
        element = ("'\"' || replace(replace(x, '\\', '\\\\'), '\"', '\\\"') || '\"'"
                   if data_type.startswith("VARCHAR") else "CAST(x AS VARCHAR)")
        return f"CASE WHEN {c} IS NULL THEN NULL ELSE '{{' || array_to_string(list_transform({c}, x -> " \
               f"coalesce({element}, 'NULL')), ',') || '}}' END AS {c}"
    if data_type == "BLOB":
        return f"'\\x' || hex({c}) AS {c}"
    return c


def _parents_first(cur, names: list[str]) -> list[str]:
    """The tables ordered so a table comes after every table its foreign keys point to."""
    cur.execute("SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'")
    parents: dict[str, set[str]] = {n: set() for n in names}
    for child, parent in cur.fetchall():
        if child in parents and parent != child:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, p in parents.items() if not p - set(ordered))
        ordered += ready
        for t in ready:
            del parents[t]
    return ordered


def load_embedded(source: str | Path, owner_url: str) -> dict:
    """Copy the DuckDB file `source` into the shared database; returns rows per table and seconds."""
    started = time.perf_counter()
    if not Path(source).exists():
        raise StoreError(f"ไม่พบฐานข้อมูล {source}")
    try:
        duck = duckdb.connect(str(source), read_only=True)
    except duckdb.Error as e:
        raise StoreError(f"เปิดฐานข้อมูล {source} ไม่ได้ (ถ้าแอปหรือคำสั่งอื่นเปิดไฟล์นี้อยู่ ให้ปิดก่อน) "
                         f"(รายละเอียดทางเทคนิค: {e})") from e
    duck.execute("SET enable_progress_bar = false")
    counts = {}
    try:
        with connect(owner_url) as con, con.transaction(), tempfile.TemporaryDirectory() as tmp:
            cur = con.cursor()
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            versions = lambda rows: sorted(v for (v,) in rows)  # noqa: E731
            theirs = versions(duck.execute("SELECT version FROM schema_migration").fetchall())
            cur.execute("SELECT version FROM schema_migration")
            if versions(cur.fetchall()) != theirs:
                raise StoreError("โครงสร้างฐานข้อมูลทั้งสองไม่ใช่รุ่นเดียวกัน สั่ง migrate ให้ตรงกันก่อนคัดลอก")
            names = _parents_first(cur, [t for t in tables(cur) if t not in SHARING and t != "schema_migration"])
            cur.execute("SELECT (SELECT count(*) FROM organization) + (SELECT count(*) FROM source_document)")
            if cur.fetchone()[0]:
                raise StoreError("ฐานข้อมูลกลางมีข้อมูลแล้ว คัดลอกได้เฉพาะลงฐานข้อมูลใหม่ที่ยังว่าง")
            for table in reversed(names):
                cur.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER ita_change')
                cur.execute(f'DELETE FROM "{table}"')  # catalogs an app process may have loaded already
            for table in names:
                cols = duck.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                                    "AND database_name = current_database() ORDER BY column_index",
                                    [table]).fetchall()
                if not cols:
                    continue
                path = Path(tmp) / f"{table}.csv"
                duck.execute(f'COPY (SELECT {", ".join(_pg_text(c, t) for c, t in cols)} FROM "{table}") '
                             f"TO '{path}' (HEADER, DELIMITER ',', QUOTE '\"', ESCAPE '\"')")
                quoted = ", ".join('"' + c.replace('"', '""') + '"' for c, _ in cols)
                with path.open("rb") as f, cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT csv, HEADER)') as copy:
                    while data := f.read(1 << 20):
                        copy.write(data)
                path.unlink()
                cur.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cur.fetchone()[0]
                cur.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER ita_change')
            # sequences continue after the copied ids
            cur.execute("SELECT table_name, column_name, column_default FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND column_default LIKE 'nextval(%%'")
            for table, column, default in cur.fetchall():
                if table in names:
                    sequence = default.split("'")[1]
                    cur.execute(f"SELECT setval('{sequence}', coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, "
                                "false)")
            cur.execute("INSERT INTO change_row (table_name, key) VALUES ('*', '{}')")
            for table in names:  # the planner's statistics now, not when autovacuum gets to them
                cur.execute(f'ANALYZE "{table}"')
    finally:
        duck.close()
    return {"tables": counts, "seconds": round(time.perf_counter() - started, 1)}
