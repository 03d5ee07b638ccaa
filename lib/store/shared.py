"""The shared deployment's store: PostgreSQL is the system of record, DuckDB the query engine.

`SharedStore` is a `Store` whose writes run as PostgreSQL transactions (lib/store/pg.py: the same
write paths, the same all-or-nothing and history rules) and whose reads run on this process's
DuckDB copy (lib/store/replica.py), brought up to date by `follow()` at the start of every page run
and after each of its own writes. Selected by ITA_DATABASE_URL; without it nothing here is used.

Its command line (migrate, seed): lib/store/shared_cli.py.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import psycopg

import lib.store.summaries as summaries
from lib.auth import LOCAL_ADMIN, Access
from lib.errors import StoreError
from lib.store.db import Store, migration_files
from lib.store.pg import URL_ENV, WRITE_LOCK, PgCursor, as_duckdb_error, connect, safe_url
from lib.store.replica import Replica

REPLICA_DIR_ENV = "ITA_REPLICA_DIR"


class SharedStore(Store):
    shared = True

    def __init__(self, url: str):
        self.path = safe_url(url)
        self.access: Access = LOCAL_ADMIN
        self._catalog_reads: dict = {}
        try:
            self._url = url
            self._pg = connect(url, autocommit=True)
            self._replica = Replica(url, os.environ.get(REPLICA_DIR_ENV) or None)
        except psycopg.Error as e:
            raise StoreError(f"เชื่อมต่อฐานข้อมูลกลาง {self.path} ไม่ได้ กรุณาตรวจสอบว่าเซิร์ฟเวอร์ PostgreSQL "
                             f"ทำงานอยู่และค่า {URL_ENV} ถูกต้อง (รายละเอียดทางเทคนิค: {e})") from e
        self._con = self._replica.con
        self._write_lock = threading.Lock()
        try:
            self.follow()
            self._check_schema()
            if not self._summaries_current():  # a new database, or one older than the summaries
                with self.transaction(keep_summaries=False) as cur:
                    if not summaries.is_current(cur):
                        summaries.rebuild(cur)
            self.load_catalogs()
        except BaseException:
            self.close()
            raise

    def _summaries_current(self) -> bool:
        with self.cursor() as cur:
            return summaries.is_current(cur)

    def close(self) -> None:
        self._pg.close()
        self._replica.close()

    def _check_schema(self) -> None:
        expected = migration_files()[-1][0]
        have = self.query_rows("SELECT max(version) FROM schema_migration")[0][0]
        if have != expected:
            raise StoreError(f"ฐานข้อมูลกลางยังไม่ได้ปรับโครงสร้างเป็นรุ่นล่าสุด (รุ่น {have}, ต้องเป็นรุ่น {expected}) "
                             "ผู้ดูแลระบบต้องสั่ง python -m lib.store.shared migrate ก่อนเปิดแอป")

    def _migrate(self) -> None:  # the app role cannot change the schema: `migrate` runs as the owner
        self._check_schema()

    @property
    def url(self) -> str:
        """The app role's connection URL (with its password: for pg_dump, never shown)."""
        return self._url

    @property
    def version(self) -> int:
        """The last PostgreSQL change this process's copy holds (cached reads are keyed on it)."""
        return self._replica.seq

    def follow(self) -> bool:
        try:
            return self._replica.follow()
        except psycopg.Error as e:
            raise StoreError(f"อ่านการเปลี่ยนแปลงจากฐานข้อมูลกลางไม่ได้ (รายละเอียดทางเทคนิค: {e})") from e

    @contextmanager
    def transaction(self, keep_summaries: bool = True):
        """One all-or-nothing PostgreSQL transaction, its summaries refreshed inside it as in
        Store.transaction; on commit this process's copy follows it."""
        with self._write_lock:
            if self._pg.closed or self._pg.broken:
                self._pg = connect(self._url, autocommit=True)
            try:
                with self._pg.transaction():
                    cur = PgCursor(self._pg.cursor())
                    cur.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
                    # A write's statements join a few new rows to big tables by key. The planner's
                    # statistics predate those rows (ids above every histogram), so it took a merge join
                    # it thought would stop early and read all of progress in id order (2-3 s per report
                    # at national size); without merge joins it looks the few rows up by index.
                    cur.execute("SET LOCAL enable_mergejoin = off")
                    # after the lock: no writer between
                    mark = summaries.history_mark(cur) if keep_summaries and not self._one_upkeep else None
                    started = self._begin_upkeep(cur)
                    yield cur
                    if mark is not None:
                        summaries.after_write(cur, mark)
            except psycopg.Error as e:
                raise as_duckdb_error(e) from e
            self._upkeep_from = self._upkeep_from or started
        self.follow()

    _one_upkeep = False  # inside one_upkeep(): transactions leave the summaries to its end
    _upkeep_from: tuple[int, bool] | None = None  # one_upkeep's start, once a write inside it committed

    @contextmanager
    def one_upkeep(self):
        """Writes inside (each still its own transaction: PostgreSQL's, while reads come from this
        process's copy, which sees only what committed) have their summaries kept by one upkeep at the
        end, not one each: a first start's seed import. The first write that commits also says in
        summary_state that the summaries are not current (no transaction of its own), so a crash in
        between has the next open rebuild them from the raw rows. Nothing written: nothing to keep."""
        self._one_upkeep, self._upkeep_from = True, None
        try:
            yield
        finally:
            self._one_upkeep = False
            start, self._upkeep_from = self._upkeep_from, None
            if start is not None:
                with self.transaction(keep_summaries=False) as cur:
                    mark, empty = start
                    if empty:  # a new store (a first start): every summary is of these writes, built whole
                        summaries.rebuild(cur, bulk=False)  # (fewer statements than the upkeep of what they touched)
                    else:
                        summaries.after_write(cur, mark)
                        summaries.mark_current(cur)

    def _begin_upkeep(self, cur) -> tuple[int, bool] | None:
        """In one_upkeep, until a write has committed: where this transaction's history starts and whether
        the store holds no records yet, the summaries marked not current (transaction() keeps the start
        once its write commits)."""
        if not self._one_upkeep or self._upkeep_from is not None:
            return None
        start = cur.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM history), "
            "NOT EXISTS (SELECT 1 FROM plan_item) AND NOT EXISTS (SELECT 1 FROM measure)").fetchone()
        cur.execute("DELETE FROM summary_state")
        return tuple(start)


def open_shared(url: str | None = None) -> SharedStore:
    return SharedStore(url or os.environ[URL_ENV])
