"""Each app process's DuckDB copy of the PostgreSQL tables: the query engine of the pages.

The copy has the tables and views of the product's DuckDB migrations (so every query reads the
same names and types as in the embedded deployment), without keys or constraints: PostgreSQL
enforces those, and the copy only mirrors committed rows. `follow()` reads, in one
REPEATABLE READ snapshot of PostgreSQL, the changes numbered after the last one applied
(change_row, lib/store/pg_schema.py) and the current rows they name, and applies them to DuckDB
in ONE transaction: a query sees a committed change whole or not at all, never half of it.

Each copy tells PostgreSQL the last change it applied (copy_position, at most once a minute when
nothing changed), and every few minutes asks it to prune the changes all copies seen lately have
applied (`ita_prune_changes`). A copy that finds changes it still needed pruned (it was idle past
STALE_AFTER) reloads every table, as on its first copy.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from lib.store.db import MEMORY_LIMIT, THREADS, migration_files
from lib.store.pg import connect
from lib.store.summaries import BULK_MEMORY

HEARTBEAT_S = 60      # a copy's position is written when it changes, or after this many seconds
PRUNE_EVERY_S = 300   # how often each process asks for the pruning of change_row
STALE_AFTER = "6 hours"  # a copy not heard from for this long holds no changes back
# More changed rows than this in one table since the last follow: copy the whole table instead.
WHOLE_TABLE_AFTER = 20_000
# A line may hold a whole source document as hex (imports stop at 20 MB: 40 MB of hex).
_CSV = ("header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
        "allow_quoted_nulls = false, max_line_size = 50331648, buffer_size = 50331648")


def product_schema() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the product's migrations applied (the shape to copy into)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for _, sql_file in migration_files():
        con.execute(sql_file.read_text(encoding="utf-8"))
    return con


class Replica:
    def __init__(self, url: str, directory: str | Path | None = None):
        self._url = url
        self._dir = Path(tempfile.mkdtemp(prefix="ita-replica-", dir=directory))
        # The copy is thrown away when the process ends, so it never needs a checkpoint: one ran at the
        # first commit after the first copy (WAL past DuckDB's 16 MB) and made that write 19-30 s at
        # national size. Changes stay in the WAL (a few KB a write); no checkpoint on close either.
        self.con = duckdb.connect(str(self._dir / "replica.duckdb"),
                                  config={"memory_limit": MEMORY_LIMIT, "threads": THREADS,
                                          "checkpoint_threshold": "64GB"})
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute("PRAGMA disable_checkpoint_on_shutdown")
        self._pg = connect(url, autocommit=True)
        self._lock = threading.Lock()
        self.seq = -1  # the last change applied; -1 = nothing copied yet
        self.columns: dict[str, list[tuple[str, str]]] = {}
        self._id = uuid.uuid4().hex
        self._told = (None, 0.0)  # (seq, monotonic time) last written to copy_position
        self._pruned_at = time.monotonic()
        self._build()

    def close(self) -> None:
        try:
            if not (self._pg.closed or self._pg.broken):
                self._pg.execute("DELETE FROM copy_position WHERE copy_id = %s", [self._id])
        except Exception:  # closing anyway; a stale position ages out (STALE_AFTER)
            pass
        self._pg.close()
        self.con.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _build(self) -> None:
        scratch = product_schema()
        try:
            for table, column, data_type in scratch.execute(
                    "SELECT table_name, column_name, data_type FROM duckdb_columns() "
                    "WHERE database_name = current_database() AND schema_name = 'main' "
                    "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()) "
                    "ORDER BY table_name, column_index").fetchall():
                self.columns.setdefault(table, []).append((column, data_type))
            views = scratch.execute("SELECT sql FROM duckdb_views() WHERE database_name = current_database() "
                                    "AND NOT internal").fetchall()
        finally:
            scratch.close()
        for table, cols in self.columns.items():
            self.con.execute(f'CREATE TABLE "{table}" ({", ".join(f"{_q(c)} {t}" for c, t in cols)})')
        for (sql,) in views:
            self.con.execute(sql)

    # -- following -------------------------------------------------------------------------
    def follow(self) -> bool:
        """Apply every change committed in PostgreSQL since the last call; True when some were."""
        with self._lock:
            if self._pg.closed or self._pg.broken:
                self._pg = connect(self._url, autocommit=True)
            with self._pg.transaction():
                cur = self._pg.cursor()
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cur.execute("SELECT greatest((SELECT max(seq) FROM change_row), up_to), up_to FROM change_horizon")
                last, horizon = cur.fetchone()
                changed = last != self.seq
                if changed:
                    if self.seq < horizon:  # the first copy, or changes it needed were pruned: reload whole
                        whole, keyed = set(self.columns), {}
                    else:
                        whole, keyed = self._changed(cur, last)
                    files = {t: self._export(cur, t, None) for t in whole}
                    keys = {t: self._keys(cur, t, k, last) for t, k in keyed.items()}
                    files.update({t: self._export(cur, t, (k, last)) for t, k in keyed.items()})
            if changed:
                self._apply(whole, keys, files)
                self.seq = last
            self._report()
            return changed

    def _report(self) -> None:
        """Write this copy's position when it moved or a minute passed; now and then prune."""
        now = time.monotonic()
        if self._told[0] != self.seq or now - self._told[1] > HEARTBEAT_S:
            self._pg.execute("INSERT INTO copy_position (copy_id, seq) VALUES (%s, %s) ON CONFLICT (copy_id) "
                             "DO UPDATE SET seq = excluded.seq, seen_at = now()", [self._id, self.seq])
            self._told = (self.seq, now)
        if now - self._pruned_at > PRUNE_EVERY_S:
            self.prune()

    def prune(self, stale_after: str = STALE_AFTER) -> int:
        """Ask PostgreSQL to drop the changes every live copy has applied; the rows removed."""
        self._pruned_at = time.monotonic()
        return self._pg.execute("SELECT ita_prune_changes(%s::interval)", [stale_after]).fetchone()[0]

    def _changed(self, cur, last: int) -> tuple[set[str], dict[str, list[str]]]:
        cur.execute("SELECT table_name, count(*), bool_or(key = '{}'::jsonb), "
                    " (array_agg(key ORDER BY seq))[1] FROM change_row WHERE seq > %s AND seq <= %s "
                    "GROUP BY table_name", [self.seq, last])
        whole, keyed = set(), {}
        for table, n, keyless, sample in cur.fetchall():
            if table == "*":
                return set(self.columns), {}
            if table not in self.columns:
                continue
            if keyless or n > WHOLE_TABLE_AFTER:
                whole.add(table)
            else:
                keyed[table] = list(json.loads(sample))
        return whole, keyed

    def _key_select(self, table: str, key: list[str]) -> str:
        types = dict(self.columns[table])
        return ", ".join(f"(key ->> '{c}')::{_pg_type(types[c])} AS {_q(c)}" for c in key)

    def _changed_keys_sql(self, table: str, key: list[str], last: int) -> str:
        return (f"SELECT DISTINCT {self._key_select(table, key)} FROM change_row "
                f"WHERE table_name = '{table}' AND seq > {int(self.seq)} AND seq <= {int(last)}")

    def _keys(self, cur, table: str, key: list[str], last: int) -> pd.DataFrame:
        cur.execute(self._changed_keys_sql(table, key, last))
        return pd.DataFrame(cur.fetchall(), columns=key)

    def _export(self, cur, table: str, changed: tuple[list[str], int] | None) -> Path:
        """The table's current rows (or only the changed ones) as CSV, in the snapshot's state."""
        exprs = []
        for column, data_type in self.columns[table]:
            if data_type.endswith("[]"):
                exprs.append(f"array_to_json({_q(column)})::text AS {_q(column)}")
            elif data_type == "BLOB":
                exprs.append(f"encode({_q(column)}, 'hex') AS {_q(column)}")
            else:
                exprs.append(_q(column))
        where = ""
        if changed:
            key, last = changed
            cols = ", ".join(_q(c) for c in key)
            where = f" WHERE ({cols}) IN ({self._changed_keys_sql(table, key, last)})"
        path = self._dir / f"{table}.csv"
        with path.open("wb") as out, cur.copy(
                f'COPY (SELECT {", ".join(exprs)} FROM "{table}"{where}) TO STDOUT (FORMAT csv, HEADER)') as copy:
            for data in copy:
                out.write(data)
        return path

    def _apply(self, whole: set[str], keys: dict[str, pd.DataFrame], files: dict[str, Path]) -> None:
        cur = self.con.cursor()
        if whole:  # copying whole tables (the first copy) gets the summaries' rebuild memory, as a bulk write
            before = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            cur.execute(f"SET memory_limit = '{BULK_MEMORY}'")
        try:
            cur.begin()
            try:
                for table in whole:
                    cur.execute(f'DELETE FROM "{table}"')
                for table, frame in keys.items():
                    if frame.empty:
                        continue
                    cur.register("changed_keys", frame)
                    match = " AND ".join(f't.{_q(c)} = k.{_q(c)}' for c in frame.columns)
                    cur.execute(f'DELETE FROM "{table}" t USING changed_keys k WHERE {match}')
                    cur.unregister("changed_keys")
                for table, path in files.items():
                    casts = ", ".join(_cast(c, t) for c, t in self.columns[table])
                    cur.execute(f'INSERT INTO "{table}" SELECT {casts} FROM read_csv(?, {_CSV})', [str(path)])
            except BaseException:
                cur.rollback()
                raise
            cur.commit()
        finally:
            if whole:
                cur.execute(f"SET memory_limit = '{before}'")
            cur.close()
            for path in files.values():
                path.unlink(missing_ok=True)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_type(duckdb_type: str) -> str:
    return {"VARCHAR": "text", "DOUBLE": "double precision", "BLOB": "bytea"}.get(duckdb_type, duckdb_type)


def _cast(column: str, data_type: str) -> str:
    c = _q(column)
    if data_type.endswith("[]"):
        element = data_type[:-2]
        return f"""from_json({c}, '["{element}"]')"""
    if data_type == "BLOB":
        return f"unhex({c})"
    return f"CAST({c} AS {data_type})"
