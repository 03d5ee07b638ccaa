"""PostgreSQL connections, and the cursor the store's writes use in the shared deployment.

The store's write paths are written once, in DuckDB's SQL, and take a cursor from
`Store.transaction()`. In the shared deployment that cursor is a `PgCursor`: the same statements
run inside one PostgreSQL transaction. It translates the few DuckDB-only forms the store uses
(`?` parameters, INSERT OR REPLACE, CREATE OR REPLACE TEMP TABLE, list()/[] aggregates, list_contains and len of a list, to_json of a
row, ::DOUBLE, rows read by DuckDB from a CSV file or a registered DataFrame; DuckDB's memory_limit
and threads settings are skipped) and refuses any other DuckDB-only statement
rather than guessing. PostgreSQL errors reach the store as DuckDB's exception classes, so the
store's existing `except duckdb.Error` turns them into the same Thai messages.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import duckdb
import psycopg
from psycopg.types.string import TextLoader

URL_ENV = "ITA_DATABASE_URL"              # the app's role; setting it selects the shared deployment
OWNER_URL_ENV = "ITA_DATABASE_OWNER_URL"  # the schema's owner: migrations, restores, tests
# One writer at a time (a transaction-scoped advisory lock), so change numbers follow commit order and a
# replica that has applied change n has seen every transaction committed before it.
WRITE_LOCK = 7716


def connect(url: str, autocommit: bool = False) -> psycopg.Connection:
    # jit=off: the store's statements touch a few rows each, and compiling them cost seconds on a busy
    # machine (7 s of a 9 s progress report at national size was JIT compilation)
    con = psycopg.connect(url, autocommit=autocommit, connect_timeout=10, application_name="ita-dashboard",
                          options="-c jit=off")
    for name in ("json", "jsonb"):  # JSON as text, as DuckDB returns it
        con.adapters.register_loader(name, TextLoader)
    return con


def safe_url(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def as_duckdb_error(e: psycopg.Error) -> duckdb.Error:
    cls = duckdb.ConstraintException if isinstance(e, psycopg.errors.IntegrityError) else duckdb.Error
    return cls(str(e).strip())


_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_FROM_FRAME = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)(\s+BY\s+NAME)?\s+(SELECT\b.*)$", re.S | re.I)
_OR_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s+", re.I)
_REPLACE_TEMP = re.compile(r"^\s*CREATE\s+OR\s+REPLACE\s+TEMP(?:ORARY)?\s+TABLE\s+(\w+)\s+", re.I)
# DuckDB's engine settings (the summaries' rebuild raises memory_limit): nothing to set in PostgreSQL
_DUCKDB_SETTING = re.compile(r"^\s*SET\s+(memory_limit|threads|preserve_insertion_order)\b", re.I)


def _outside_quotes(sql: str, fn) -> str:
    """Apply `fn` to the parts of `sql` outside string literals and quoted names."""
    parts = _QUOTED.split(sql)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))


def _plain(text: str) -> str:
    text = text.replace("%", "%%").replace("?", "%s")
    text = re.sub(r"\blist\(", "array_agg(", text, flags=re.I)
    text = re.sub(r"(?<![\w\]])\[\]", "'{}'", text)
    text = re.sub(r"\bto_json\((\w+)\)", r"row_to_json(\1)", text, flags=re.I)
    text = re.sub(r"::DOUBLE\b(?!\s+PRECISION)", "::double precision", text, flags=re.I)
    text = re.sub(r"\blist_contains\(\s*([^(),]+?)\s*,\s*([^(),]+?)\s*\)", r"(\2 = ANY(\1))", text, flags=re.I)
    text = re.sub(r"\blen\(([^()]*\[\])\)", r"cardinality(\1)", text, flags=re.I)
    if re.search(r"\b(read_csv|read_parquet|read_json|list_\w+|struct_pack)\s*\(", text, re.I):
        raise duckdb.NotImplementedException(f"PostgreSQL: no translation for this DuckDB statement: {text[:200]}")
    return text


def translate(sql: str) -> str:
    return _outside_quotes(sql, _plain)


class PgCursor:
    """A DuckDB-like cursor over one PostgreSQL transaction (see the module's docstring)."""

    def __init__(self, cur: psycopg.Cursor):
        self._cur = cur
        self._frames: dict[str, object] = {}
        self._rows: list[tuple] | None = None
        self._columns: dict[str, tuple[list[str], list[str]]] = {}

    # -- DuckDB's cursor surface the store uses ---------------------------------------------
    def execute(self, sql: str, params=None) -> PgCursor:
        params = list(params or [])
        frame = _FROM_FRAME.match(sql)
        if frame and (re.search(r"\bread_csv\s*\(", frame.group(3), re.I)
                      or any(re.search(rf"\b{name}\b", frame.group(3)) for name in self._frames)):
            return self._insert_from_duckdb(frame.group(1), bool(frame.group(2)), frame.group(3), params)
        if _DUCKDB_SETTING.match(sql):
            self._rows = []
            return self
        sql = re.sub(r"current_setting\('(memory_limit|threads)'\)", "NULL", sql, flags=re.I)
        replace = _OR_REPLACE.match(sql)
        if replace:
            sql = self._upsert(replace.group(1), sql[replace.end():])
        temp = _REPLACE_TEMP.match(sql)
        if temp:
            self._run(f"DROP TABLE IF EXISTS {temp.group(1)}", [])
            sql = f"CREATE TEMP TABLE {temp.group(1)} " + sql[temp.end():]
        self._run(translate(sql), params)
        return self

    def executemany(self, sql: str, rows) -> PgCursor:
        try:
            self._cur.executemany(translate(sql), [list(r) for r in rows])
        except psycopg.Error as e:
            raise as_duckdb_error(e) from e
        self._rows = None
        return self

    def register(self, name: str, frame) -> None:
        self._frames[name] = frame

    def unregister(self, name: str) -> None:
        self._frames.pop(name, None)

    def fetchone(self):
        rows = self._fetched()
        return rows.pop(0) if rows else None

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._fetched(), []
        return rows

    def df(self):
        import pandas as pd

        names = [d[0] for d in self.description or []]
        return pd.DataFrame(self.fetchall(), columns=names)

    fetchdf = df

    @property
    def description(self):
        return self._cur.description

    # -- inside ------------------------------------------------------------------------------
    def _run(self, sql: str, params: list) -> None:
        try:
            self._cur.execute(sql, params)
        except psycopg.Error as e:
            raise as_duckdb_error(e) from e
        self._rows = None

    def _fetched(self) -> list[tuple]:
        if self._rows is None:
            self._rows = self._cur.fetchall() if self._cur.description else []
        return self._rows

    def table_columns(self, table: str) -> tuple[list[str], list[str]]:
        """(all columns in order, primary key columns) of a table."""
        if table not in self._columns:
            self._cur.execute(
                "SELECT a.attname, coalesce(a.attnum = ANY(i.indkey), false) FROM pg_attribute a "
                "LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                [table])
            rows = self._cur.fetchall()
            self._columns[table] = ([r[0] for r in rows], [r[0] for r in rows if r[1]])
        return self._columns[table]

    def _upsert(self, table: str, rest: str) -> str:
        columns, key = self.table_columns(table)
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in key)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        return f"INSERT INTO {table} {rest.rstrip().rstrip(';')} ON CONFLICT ({', '.join(key)}) {action}"

    def _insert_from_duckdb(self, table: str, by_name: bool, select: str, params: list) -> PgCursor:
        """Rows DuckDB reads (a CSV file, a DataFrame) inserted into PostgreSQL."""
        scratch = duckdb.connect()
        try:
            for name, frame in self._frames.items():
                scratch.register(name, frame)
            result = scratch.execute(select, params)
            names = [d[0] for d in result.description]
            rows = result.fetchall()
        finally:
            scratch.close()
        columns = names if by_name else self.table_columns(table)[0][:len(names)]
        if rows:
            quoted = ", ".join(f'"{c}"' for c in columns)
            self.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})", rows)
        self._rows = []
        return self
