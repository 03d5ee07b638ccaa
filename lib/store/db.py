"""The record store: the one place that opens DuckDB; imports, progress reports and answers to questions.

Every write runs in one transaction and appends to `history`. An import keeps the original
bytes of its source document; the same bytes imported again add nothing.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import lib.store.summaries as summaries
from lib.auth import LOCAL_ADMIN, Access
from lib.errors import AccessDenied, StoreError  # noqa: F401  (re-exported: callers catch StoreError)
from lib.ingest.organization import parse_location_option
from lib.ingest.versions import VersionDiff, asks_about_records, compare, content_key, same_document, unsure
from lib.records import (
    PROGRESS_STATUSES,
    RECORD_KINDS,
    STATUS_BLOCKED,
    OrganizationRef,
    ParsedDocument,
    parsed_from_jsonable,
    to_jsonable,
)
from lib.store.catalogs import load_ita_catalog
from lib.store.history import timestamp
from lib.store.scope import install_scope
from lib.thai import clean_text

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "ita.duckdb"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "data" / "seeds"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog"
# catalog file (data/catalog/<name>.csv) -> table it fills; each is replaced whole when its file changes
CATALOGS = {"plan_dimensions": "plan_dimension", "colors": "color"}
DB_ENV = "ITA_DB_PATH"
# DuckDB's bounds, set here only: its working memory (it spills to disk past it) and threads. The
# dashboard runs on small shared machines; ITA_DB_MEMORY / ITA_DB_THREADS override them. One thread:
# with a second one every statement waits for it to be scheduled (a count over a few rows 0.4 ms with
# one thread, 4 ms with two at load 9; a progress report's 20 statements 40 ms against 120 ms at load
# 1), and sessions already run their queries side by side; only a scan of millions of rows gains.
MEMORY_LIMIT = os.environ.get("ITA_DB_MEMORY", "300MB")
THREADS = int(os.environ.get("ITA_DB_THREADS", "0")) or 1
DOCUMENT_FORMATS = ("txt", "docx", "pdf")  # documents an office writes; versions are looked for among them


@dataclass(frozen=True)
class ImportResult:
    document_id: int
    created: bool  # False when the same document (same bytes, or the same content in any format) was imported
    plan_items: int
    measures: int
    organization: str
    version_of: int | None = None  # a revised version of this document, waiting for the user's choice
    diff: VersionDiff | None = None  # what the version adds, removes and changes
    read_otherwise: bool = False  # not created: the same document, read apart only where a reading asked

    @property
    def message(self) -> str:
        if not self.created and self.read_otherwise:
            return (f"เอกสารนี้นำเข้าแล้ว (เอกสาร #{self.document_id}: เนื้อหาเดียวกัน อ่านได้ต่างกันเฉพาะช่องที่ระบบถามไว้) "
                    f"ระบบไม่ได้เพิ่มข้อมูลซ้ำ คำถามและคำตอบของเอกสาร #{self.document_id} ยังอยู่ครบ "
                    "ตรวจหรือแก้ช่องเหล่านั้นได้ในหน้าเอกสารที่นำเข้าและทะเบียนมาตรการ/โครงการ")
        if not self.created:
            return (f"เอกสารนี้นำเข้าแล้ว (เอกสาร #{self.document_id}: เนื้อหาเดียวกัน แม้บันทึกต่างรูปแบบ) "
                    "ระบบไม่ได้เพิ่มข้อมูลซ้ำ")
        if self.version_of is not None:
            return (f"เอกสารนี้เป็นฉบับใหม่ของเอกสาร #{self.version_of} ({self.organization} ปีงบประมาณเดียวกัน): "
                    f"{self.diff.summary if self.diff else ''} · ยังไม่นับในหน้าต่าง ๆ จนกว่าจะเลือก "
                    "'แทนที่ฉบับเดิม' หรือ 'เก็บทั้งสองฉบับ'")
        return f"นำเข้าแล้ว: รายการแผน {self.plan_items} · มาตรการ {self.measures}"


def migration_files(directory: Path | None = None) -> list[tuple[int, Path]]:
    """The numbered migrations in order. The store applies each number once and skips a number it
    has applied, so two files with one number (or a file without one) would silently lose a change:
    that stops the start with a message instead."""
    directory = directory or MIGRATIONS
    found: dict[int, list[str]] = {}
    for path in sorted(directory.glob("*.sql")):
        head = path.name.split("_")[0]
        if not head.isdigit():
            raise StoreError(f"ไฟล์ปรับโครงสร้างฐานข้อมูล {path.name} ไม่ได้ขึ้นต้นด้วยเลขรุ่น "
                             "(รูปแบบ NNNN_ชื่อ.sql) ระบบจึงไม่เริ่มทำงาน กรุณาแจ้งผู้ดูแลระบบ")
        found.setdefault(int(head), []).append(path.name)
    clashes = {v: names for v, names in found.items() if len(names) > 1}
    if clashes:
        listed = "; ".join(f"รุ่น {v}: {', '.join(names)}" for v, names in sorted(clashes.items()))
        raise StoreError(f"ไฟล์ปรับโครงสร้างฐานข้อมูลใช้เลขรุ่นซ้ำกัน ({listed}) ระบบจะข้ามไฟล์หนึ่งไปโดยไม่บอก "
                         "จึงไม่เริ่มทำงาน กรุณาแจ้งผู้ดูแลระบบให้เปลี่ยนเลขรุ่นให้ไม่ซ้ำ")
    return sorted((v, directory / names[0]) for v, names in found.items())


LOCK_WAIT = float(os.environ.get("ITA_DB_LOCK_WAIT", "5"))  # seconds to wait for another process's lock


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    """The database file, opened read-write. Only one process may hold it: while another does, wait
    up to LOCK_WAIT seconds, then say which process to close (DuckDB's message names its PID)."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return duckdb.connect(path, config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise StoreError(f"เปิดฐานข้อมูล {path} ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ฐานข้อมูลของระบบนี้ "
                                 "กรุณาตรวจสอบชื่อไฟล์ หรือกู้คืนจากไฟล์สำรอง") from e
            if time.monotonic() >= deadline:
                raise StoreError(locked_message(path, str(e))) from None
            time.sleep(0.2)
        except duckdb.Error as e:
            raise StoreError(f"เปิดฐานข้อมูล {path} ไม่ได้: ไฟล์อาจเสียหายหรือไม่ใช่ฐานข้อมูลของระบบนี้ "
                             "กรุณาตรวจสอบชื่อไฟล์ หรือกู้คืนจากไฟล์สำรอง") from e


def locked_message(path: str, error: str) -> str:
    """Which process holds the database, from DuckDB's lock error ("... (PID 123) ...") and /proc."""
    found = re.search(r"PID (\d+)", error)
    pid = found.group(1) if found else None
    command = ""
    if pid:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            command = ""
        if not command:
            held = re.search(r"held in (.+?) \(PID", error)
            command = held.group(1) if held else ""
    who = (f"โปรแกรมหมายเลขโปรเซส (PID) {pid}" + (f" คือ \"{command[:200]}\"" if command else "")) if pid \
        else "โปรแกรมอื่น"
    return (f"ฐานข้อมูล {path} ถูกเปิดใช้อยู่โดย{who} รอแล้ว {LOCK_WAIT:g} วินาทียังไม่ว่าง "
            "กรุณาปิดโปรแกรมนั้นก่อน (เช่น หยุดแดชบอร์ด streamlit ที่เปิดฐานข้อมูลนี้ หรือรอให้คำสั่งนำเข้า/สำรองข้อมูล"
            "ที่กำลังทำงานเสร็จ) แล้วสั่งใหม่อีกครั้ง")


@dataclass
class _OneTransaction:
    """Store.one_upkeep's transaction: the thread writing in it, its cursor, whether a write failed, and
    the imports' history statements (SQL, parameters) waiting to be written at its end as one."""
    thread: int
    cur: duckdb.DuckDBPyConnection
    failed: bool = False
    history: list[tuple[str, list]] = field(default_factory=list)


_HISTORY_INSERT = ("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id, "
                   "old_value)")


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)



class Store:
    def __init__(self, path: str | Path, catalogs: bool = True):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._con = _connect(self.path)
        # one writer at a time in this process (every session of the server is a thread of it): two tabs
        # importing the same document at once each looked it up before the other had written it
        self._write_lock = threading.RLock()
        self.access: Access = LOCAL_ADMIN
        self._catalog_reads: dict = {}
        self._migrate()
        self._backfill_content_keys()
        if catalogs:  # a restore builds the bare schema and fills every table from the backup
            self.load_catalogs()

    def close(self) -> None:
        self._con.close()

    # The embedded file is the database itself: there is nothing to follow (lib/store/shared.py has).
    shared = False
    version = 0

    def follow(self) -> bool:
        return False

    def catalog_reads(self, key: tuple, read):
        """`read()`'s result, read once per `key` for the life of the catalog tables (the ITA framework,
        the same for every user): kept on this store and its scoped views, forgotten when this process
        writes the catalog (catalog_written) and, in the shared deployment, when its copy applies a change
        (one another process wrote may be of the catalog)."""
        version, found = self._catalog_reads.get("version"), self._catalog_reads
        if version != self.version:
            found.clear()
            found["version"] = self.version
        if key not in found:
            found[key] = read()
        return found[key]

    def catalog_written(self) -> None:
        """The catalog tables changed (or may have): what catalog_reads kept is read again."""
        self._catalog_reads.clear()

    def scoped(self, access: Access) -> Store:
        """The same database as `access` may see and change it: reads hold only its
        organizations' rows, and every write checks its role and organizations."""
        view = copy.copy(self)
        view.access = access
        return view

    # -- reading -------------------------------------------------------------------------
    @contextmanager
    def cursor(self):
        """A fresh cursor per query or thread; callers fetch results inside the block (inside
        one_upkeep, this thread's reads use its transaction's cursor: they see its writes)."""
        one = self._joined()
        if one is not None:
            yield one.cur
            return
        cur = self._con.cursor()
        try:
            if self.access.organization_ids is not None:
                install_scope(cur, self.access.organization_ids)
            yield cur
        finally:
            cur.close()

    def owner_of(self, table: str, record_id: int) -> int | None:
        """The organization a record belongs to, looked up past the user's scope (for access checks)."""
        sql = {
            "organization": "SELECT id FROM organization WHERE id = ?",
            "plan_item": "SELECT organization_id FROM plan_item WHERE id = ?",
            "measure": "SELECT organization_id FROM measure WHERE id = ?",
            "source_document": "SELECT organization_id FROM source_document WHERE id = ?",
            "document_issue": "SELECT d.organization_id FROM document_issue i JOIN source_document d "
                              "ON d.id = i.document_id WHERE i.id = ?",
            "progress": "SELECT coalesce(p.organization_id, m.organization_id) FROM progress r "
                        "LEFT JOIN plan_item p ON r.record_kind = 'plan_item' AND p.id = r.record_id "
                        "LEFT JOIN measure m ON r.record_kind = 'measure' AND m.id = r.record_id WHERE r.id = ?",
        }[table]
        rows = self._raw_rows(sql, [record_id])
        return rows[0][0] if rows else None

    def require_write(self, table: str, record_id: int) -> None:
        if table in ("source_document", "document_issue"):  # a document may hold several organizations
            doc = record_id if table == "source_document" else next(iter(self._raw_rows(
                "SELECT document_id FROM document_issue WHERE id = ?", [record_id])), (None,))[0]
            for org_id in self.document_organizations(doc) or [None]:
                self.access.require_write(org_id)
            return
        self.access.require_write(self.owner_of(table, record_id))

    def document_organizations(self, document_id: int | None) -> list[int]:
        """Every organization whose rows a kept document holds (past the user's scope)."""
        return [r[0] for r in self._raw_rows(
            "SELECT organization_id FROM source_document WHERE id = ? AND organization_id IS NOT NULL "
            "UNION SELECT organization_id FROM document_organization WHERE document_id = ? ORDER BY 1",
            [document_id, document_id])]

    def _raw_rows(self, sql: str, params: list) -> list[tuple]:
        one = self._joined()
        if one is not None:
            return one.cur.execute(sql, params).fetchall()
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params).fetchall()
        finally:
            cur.close()

    def query_df(self, sql: str, params: list | tuple = ()):
        with self.cursor() as cur:
            return cur.execute(sql, list(params)).df()

    def query_rows(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(self, keep_summaries: bool = True):
        """One all-or-nothing write. Its cursor is not scoped: callers check access first.

        Before it commits, the summaries of every record and progress report the write appended
        history for are refreshed in the same transaction (lib/store/summaries.py says how).
        Inside one_upkeep (this thread's), the write is a part of its one transaction instead.
        """
        with self._write_lock:
            one = self._joined()
            if one is None:
                yield from self._transaction(keep_summaries)
                return
            self._write_waiting_history(one)  # a write of another kind: the imports' history rows before its own
            with self._part_of(one) as cur:
                yield cur

    @contextmanager
    def _import_transaction(self):
        """transaction() for an import: inside one_upkeep its history rows (written through _insert_history's
        `waiting`: the list this yields) wait for its end, to be written with the other imports' in one
        statement (one a document cost ~2 ms of a seed import); None when they are written at once."""
        one = self._joined()  # (this thread's: it holds the write lock)
        if one is None:
            with self.transaction() as cur:
                yield cur, None
            return
        with self._part_of(one) as cur:
            yield cur, one.history

    @staticmethod
    @contextmanager
    def _part_of(one: _OneTransaction):
        try:
            yield one.cur
        except BaseException:
            one.failed = True  # its statements so far stay in the one transaction: it must not commit
            raise

    @staticmethod
    def _write_waiting_history(one: _OneTransaction) -> None:
        if one.history:
            one.cur.execute(f"{_HISTORY_INSERT} " + " UNION ALL ".join(sql for sql, _ in one.history),
                            [v for _, params in one.history for v in params])
            one.history.clear()

    def _transaction(self, keep_summaries: bool):
        with self._begun() as cur:
            mark = summaries.history_mark(cur) if keep_summaries else None
            yield cur
            if mark is not None:
                summaries.after_write(cur, mark)

    @contextmanager
    def _begun(self):
        """A cursor of its own in a transaction: committed when the block ends, rolled back when it raises
        (transaction's and one_upkeep's; the caller holds the write lock)."""
        cur = self._con.cursor()
        try:
            cur.begin()
            try:
                yield cur
            except BaseException:
                cur.rollback()
                raise
            cur.commit()
        finally:
            cur.close()

    _one: _OneTransaction | None = None  # inside one_upkeep()

    def _joined(self) -> _OneTransaction | None:
        """one_upkeep's transaction when this thread is inside it (others wait for the write lock)."""
        one = self._one
        return one if one is not None and one.thread == threading.get_ident() and self.access.is_admin else None

    @contextmanager
    def one_upkeep(self):
        """Writes inside are one transaction, their summaries kept once at its end, not one each: a first
        start's seed import (five commits and five upkeeps cost a tenth of it). All or nothing: a write
        that fails inside fails it whole, even if the caller goes on; reads inside (this thread's) see
        its writes, so a document looked up finds the ones imported before it. Nothing written: nothing
        to keep. The system's (unscoped) writes only: the reads inside are not scoped."""
        self.access.require_admin()
        with self._write_lock, self._begun() as cur:
            mark, empty = cur.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM history), "
                "NOT EXISTS (SELECT 1 FROM plan_item) AND NOT EXISTS (SELECT 1 FROM measure)").fetchone()
            self._one = one = _OneTransaction(threading.get_ident(), cur)
            try:
                yield
            finally:
                self._one = None
            if one.failed:
                raise StoreError("การนำเข้าบางส่วนไม่สำเร็จ ระบบยกเลิกการนำเข้าทั้งชุดและไม่มีข้อมูลใดเปลี่ยน "
                                 "กรุณาแก้ไขเอกสารที่มีปัญหาแล้วนำเข้าใหม่")
            self._write_waiting_history(one)
            if summaries.history_mark(cur) > mark:
                if empty:  # a new store (a first start): every summary is of these writes, built whole
                    # (fewer statements than the upkeep of what they touched; its summaries were current:
                    # the store's open saw to it, and a store without records has no summary rows)
                    summaries.rebuild(cur, bulk=False, first=True)
                else:
                    summaries.after_write(cur, mark)

    def _migrate(self) -> None:
        with self.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migration "
                        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            done = {v for (v,) in cur.execute("SELECT version FROM schema_migration").fetchall()}
        applied = False
        for version, sql_file in migration_files():
            if version in done:
                continue
            with self.transaction(keep_summaries=False) as cur:
                cur.execute(sql_file.read_text(encoding="utf-8"))
                cur.execute("INSERT INTO schema_migration VALUES (?, ?, ?)",
                            [version, sql_file.name, timestamp()])
            applied = True
        if applied and self.path != ":memory:":
            # the new schema into the file at once: DuckDB 1.5.6 cannot replay a log holding an ALTER TABLE
            # ADD COLUMN ... DEFAULT (migration 1410), so a process killed before its first checkpoint
            # left a new database that would not open ("Failure while replaying WAL file")
            with self.cursor() as cur:
                cur.execute("CHECKPOINT")
        with self.transaction(keep_summaries=False) as cur:
            if not summaries.is_current(cur):  # a new database, or one older than the summaries
                summaries.rebuild(cur)

    def _backfill_content_keys(self) -> None:
        """Documents imported before versions existed get their content identity once."""
        from lib.ingest import IngestError

        rows = self._raw_rows("SELECT id FROM source_document WHERE content_key IS NULL AND format IN "
                              f"({', '.join('?' * len(DOCUMENT_FORMATS))})", list(DOCUMENT_FORMATS))
        for (doc_id,) in rows:
            try:
                key = content_key(self.parsed_document(doc_id))
            except (IngestError, StoreError):
                continue
            with self.transaction() as cur:
                cur.execute("UPDATE source_document SET content_key = ? WHERE id = ?", [key, doc_id])

    def load_catalogs(self, catalog_dir: Path = CATALOG_DIR) -> None:
        """Load each reviewed catalog file into its table when the file is new or changed."""
        for name, table in CATALOGS.items():
            path = catalog_dir / f"{name}.csv"
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if self.query_rows("SELECT 1 FROM catalog_file WHERE name = ? AND sha256 = ?", [name, sha]):
                continue
            now = timestamp()
            with self.transaction() as cur:
                cur.execute(f"DELETE FROM {table}")
                cur.execute(f"INSERT INTO {table} SELECT * FROM read_csv(?, header = true, all_varchar = false)",
                            [str(path)])
                cur.execute("INSERT OR REPLACE INTO catalog_file VALUES (?, ?, ?)", [name, sha, now])
                cur.execute("INSERT INTO history (changed_at, actor, action, table_name, new_value) "
                            "VALUES (?, 'ระบบ', 'load_catalog', ?, ?)",
                            [now, table, json.dumps({"file": path.name, "sha256": sha})])
        # the ITA framework is a folder of files with its own load shape (one item list per year)
        load_ita_catalog(self, catalog_dir)

    def schema_version(self) -> int:
        return self.query_rows("SELECT max(version) FROM schema_migration")[0][0]

    def import_document(self, doc: ParsedDocument, content: bytes, fmt: str = "txt",
                        actor: str = "ระบบ", fiscal_year: int | None = None) -> ImportResult:
        actor = clean_text(actor)
        sha = hashlib.sha256(content).hexdigest()
        fy = fiscal_year or doc.fiscal_year
        # the content identity, when the document can be filed at all: computed once, looked up with the bytes
        key = (content_key(dataclasses.replace(doc, fiscal_year=fy))
               if doc.organization is not None and fy is not None and 2400 <= fy <= 2700 else None)
        # a document with the same bytes (first), or the same content in any format, among those the user
        # sees, and the organization by name among all: one look-up when the user sees everything
        same = ("SELECT 'sha', id FROM source_document WHERE sha256 = ? "
                "UNION ALL SELECT 'key', min(id) FROM source_document WHERE content_key = ?")
        named = "SELECT 'organization', id FROM organization WHERE name = ?"
        name = doc.organization.name if doc.organization else None
        if self.access.organization_ids is None:
            found = dict(self._raw_rows(f"{same} UNION ALL {named}", [sha, key, name]))
        else:
            found = {**dict(self.query_rows(same, [sha, key])), **dict(self._raw_rows(named, [name]))}
        if found.get("sha") is not None:
            return self._already_imported(found["sha"])
        if doc.organization is None:
            raise StoreError(f"ไม่ทราบว่าเอกสาร {doc.file_name} เป็นของหน่วยงานใด "
                             "กรุณาเลือกหรือระบุหน่วยงานก่อนนำเข้า")
        known = [(found["organization"],)] if found.get("organization") is not None else []
        if known:
            self.access.require_write(known[0][0])
        elif not self.access.is_admin:
            raise AccessDenied(f"{doc.organization.short_name} ยังไม่มีในระบบ เฉพาะผู้ดูแลระบบเพิ่มหน่วยงานใหม่ได้")
        if fy is None:
            raise StoreError(f"ไม่พบปีงบประมาณของเอกสาร {doc.file_name} กรุณาระบุปีงบประมาณก่อนนำเข้า")
        if not (2400 <= fy <= 2700):
            raise StoreError(f"ปีงบประมาณ {fy} ไม่ใช่ปี พ.ศ. ที่ถูกต้อง")
        if found.get("key") is not None:
            return self._already_imported(found["key"])
        if known and fmt in DOCUMENT_FORMATS:
            same = self._same_read_otherwise(doc, known[0][0], fy)
            if same is not None:
                return dataclasses.replace(self._already_imported(same), read_otherwise=True)
        previous = self.current_version(known[0][0], fy, doc.kind) if known and fmt in DOCUMENT_FORMATS else None

        try:
            # inside one_upkeep the look-up above ran in the write's transaction: a name it did not find is new
            doc_id = self._write_import(doc, content, fmt, actor, fy, sha, key, previous,
                                        new_organization=not known and self._joined() is not None)
        except _ImportedMeanwhile as e:  # by another session between the look-up above and this write
            self.follow()  # the shared deployment reads its copy: bring that write into it
            return self._already_imported(e.document_id)
        except duckdb.Error as e:
            raise StoreError(f"บันทึกเอกสาร {doc.file_name} ไม่สำเร็จ ระบบยกเลิกทั้งหมดและไม่มีข้อมูลใดเปลี่ยน "
                             f"(รายละเอียดทางเทคนิค: {e})") from e
        if previous is not None:
            return ImportResult(doc_id, True, 0, 0, doc.organization.short_name, previous,
                                compare(self.parsed_document(previous), doc))
        return ImportResult(doc_id, True, len(doc.plan_items), len(doc.measures),
                            doc.organization.short_name)

    def _same_read_otherwise(self, doc: ParsedDocument, organization_id: int, fy: int) -> int | None:
        """A stored document of the organization, fiscal year and kind that `doc` is another reading of:
        the records differ only where one of the two readings asked (a PDF whose rows were read apart
        from its .txt). Only documents whose reading asked about a record are read again to see."""
        mine = any(u.fields or u.left_out for u in unsure(doc))
        subjects: dict[int, list[str]] = {}
        for doc_id, subject in self.query_rows(
                "SELECT d.id, i.subject FROM source_document d LEFT JOIN document_issue i ON i.document_id = d.id "
                "AND i.severity = 'question' WHERE d.organization_id = ? AND d.fiscal_year = ? AND d.kind = ? "
                f"AND d.format IN ({', '.join('?' * len(DOCUMENT_FORMATS))}) ORDER BY d.id",
                [organization_id, fy, doc.kind, *DOCUMENT_FORMATS]):
            subjects.setdefault(doc_id, []).append(subject)
        for doc_id, asked in subjects.items():
            if not (mine or asks_about_records(asked)):
                continue
            try:
                stored = self.parsed_document(doc_id)
            except StoreError:
                continue
            if same_document(dataclasses.replace(doc, fiscal_year=fy), stored):
                return doc_id
        return None

    def _already_imported(self, doc_id: int) -> ImportResult:
        """What a document already in the store holds (an import of the same document again adds nothing)."""
        rows = self.query_rows(
            "SELECT d.id, o.short_name, (SELECT count(*) FROM plan_item WHERE document_id = d.id),"
            " (SELECT count(*) FROM measure WHERE document_id = d.id) "
            "FROM source_document d LEFT JOIN organization o ON o.id = d.organization_id WHERE d.id = ?", [doc_id])
        if not rows:  # the same file, filed under an organization this user does not see
            raise StoreError("ไฟล์นี้ (เหมือนกันทุกไบต์) ถูกนำเข้าไว้แล้วภายใต้หน่วยงานอื่นที่บัญชีนี้ไม่มีสิทธิ์ดู "
                             "จึงไม่นำเข้าซ้ำ หากเป็นเอกสารของหน่วยงานของท่าน กรุณาติดต่อผู้ดูแลระบบ")
        _, org, n_plan, n_measures = rows[0]
        return ImportResult(doc_id, False, n_plan, n_measures, org)

    def current_version(self, organization_id: int, fiscal_year: int, kind: str) -> int | None:
        """The latest counted document of an organization, fiscal year and kind (plan or measures)."""
        rows = self._raw_rows(
            "SELECT id FROM source_document WHERE organization_id = ? AND fiscal_year = ? AND kind = ? "
            f"AND format IN ({', '.join('?' * len(DOCUMENT_FORMATS))}) AND version_state IS NULL "
            "ORDER BY id DESC LIMIT 1", [organization_id, fiscal_year, kind, *DOCUMENT_FORMATS])
        return rows[0][0] if rows else None

    def parsed_document(self, document_id: int) -> ParsedDocument:
        """A stored document as read at import, with the organization it was filed under: read again
        from its original bytes, or, for a document read by OCR, what the import kept of its reading."""
        from lib.ingest import read_document

        row = self._raw_rows(
            "SELECT d.file_name, d.content, d.fiscal_year, o.name, r.parsed FROM source_document d "
            "JOIN organization o ON o.id = d.organization_id "
            "LEFT JOIN document_reading r ON r.document_id = d.id WHERE d.id = ?", [document_id])
        if not row:
            raise StoreError("ไม่พบเอกสารที่ต้องการ")
        file_name, content, fy, org_name, parsed = row[0]
        found = self._raw_rows("SELECT name, kind, short_name, district, province, website FROM organization "
                               "WHERE name = ?", [org_name])[0]
        organization = OrganizationRef(*found, found_by="user")
        if parsed is not None:
            doc = dataclasses.replace(parsed_from_jsonable(json.loads(parsed)), organization=organization)
        else:
            doc = read_document(bytes(content), file_name, organization)
        doc.fiscal_year = fy
        return doc

    def _write_import(self, doc: ParsedDocument, content: bytes, fmt: str, actor: str, fy: int,
                      sha: str, key: str, version_of: int | None = None, new_organization: bool = False) -> int:
        now = timestamp()
        with self._import_transaction() as (cur, waiting):
            # looked up again inside the write (writers take turns): the same bytes or content written meanwhile
            # (inside one_upkeep, import_document's look-up already ran in this transaction)
            meanwhile = None if self._joined() else cur.execute(
                "SELECT min(id) FROM source_document WHERE sha256 = ? OR content_key = ?", [sha, key]).fetchone()[0]
            if meanwhile is not None:
                raise _ImportedMeanwhile(meanwhile)
            history: list[tuple] = []  # rows written with the document's own (one statement)
            org_id = self._upsert_organization(cur, doc, actor, now, history, new_organization)
            doc_id = cur.execute(
                "INSERT INTO source_document (file_name, sha256, format, layout, layout_label, kind, "
                "title, organization_id, fiscal_year, framework_year, report_round, period_text, "
                "period_start, period_end, as_of, content, imported_at, imported_by, content_key, version_of, "
                "version_state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                [doc.file_name, sha, fmt, doc.layout, doc.layout_label, doc.kind, doc.title, org_id,
                 fy, doc.framework_year, doc.report_round, doc.period_text, doc.start, doc.end,
                 doc.as_of, content, now, actor, key, version_of,
                 "pending" if version_of is not None else None]).fetchone()[0]
            if doc.scanned:  # kept so that showing it again never runs OCR again
                cur.execute("INSERT INTO document_reading VALUES (?, ?)",
                            [doc_id, json.dumps(to_jsonable(doc), ensure_ascii=False)])
            if version_of is not None:
                self._insert_history(cur, [*history, (
                    now, actor, "import_version", "source_document", doc_id,
                    json.dumps({"file_name": doc.file_name, "sha256": sha, "version_of": version_of},
                               ensure_ascii=False), doc_id)], waiting=waiting)
                return doc_id
            self._write_contents(cur, doc, doc_id, org_id, fy, sha, actor, now, history, waiting)
        return doc_id

    def _write_contents(self, cur, doc: ParsedDocument, doc_id: int, org_id: int, fy: int, sha: str,
                        actor: str, now: dt.datetime, history: list[tuple] | None = None,
                        waiting: list | None = None) -> None:
        """A document's issues, dimension names, records, their history and its progress reports: a
        statement per table (a statement per row cost most of a seed import). `history`: rows to write
        before the document's own (its organization's creation or update); `waiting`: _insert_history's."""
        if doc.issues:
            cur.execute("INSERT INTO document_issue (document_id, code, severity, message, options, subject) VALUES "
                        + ", ".join("(?,?,?,?,?,?)" for _ in doc.issues),
                        [v for issue in doc.issues for v in (doc_id, issue.code, issue.severity, issue.message,
                                                             list(issue.options), issue.subject)])
        if doc.dimension_names:
            cur.execute("INSERT INTO document_dimension VALUES " + ", ".join("(?,?,?)" for _ in doc.dimension_names),
                        [v for number, name in doc.dimension_names.items() for v in (doc_id, number, name)])
        self._insert_plan_items(cur, doc, org_id, fy, doc_id)
        measure_ids = self._insert_measures(cur, doc, org_id, fy, doc_id)
        reports = self._insert_document_reports(cur, doc, measure_ids, fy, doc_id, actor, now)
        imported = (now, actor, "import", "source_document", doc_id,
                    json.dumps({"file_name": doc.file_name, "sha256": sha, "plan_items": len(doc.plan_items),
                                "measures": len(doc.measures)}, ensure_ascii=False), doc_id)
        kinds = tuple(kind for kind, held in (("plan_item", doc.plan_items), ("measure", doc.measures)) if held)
        self._insert_history(cur, [*(history or ()), imported], (doc_id, now, actor, kinds), reports, waiting)

    @staticmethod
    def _insert_history(cur, rows: list[tuple], records_of: tuple | None = None, after: list[tuple] = (),
                        waiting: list | None = None) -> None:
        """History rows in one statement, in this order: `rows` (changed_at, actor, action, table_name,
        record_id, new_value, document_id, and old_value or not), then when `records_of` is (document id,
        time, actor, tables) an 'import' row for each record of that document in those of plan_item and
        measure it has rows in (the row as JSON; a table it has none in is left out of the statement:
        binding the JSON of its every column cost a millisecond for nothing), then `after`. `waiting`:
        a list the statement's (SQL after _HISTORY_INSERT, parameters) is appended to instead, for
        _import_transaction's caller to write with others."""
        def given(batch: list[tuple]) -> str:  # rows of one length: with an old value or without
            names = "abcdefgh"[:len(batch[0])]
            return ("SELECT CAST(a AS TIMESTAMP), CAST(b AS VARCHAR), CAST(c AS VARCHAR), CAST(d AS VARCHAR), "
                    "CAST(e AS INTEGER), CAST(f AS JSON), CAST(g AS INTEGER), "
                    + ("CAST(h AS JSON)" if len(names) == 8 else "CAST(NULL AS JSON)") + " FROM (VALUES "
                    + ", ".join(f"({', '.join('?' * len(names))})" for _ in batch) + f") AS v({', '.join(names)})")
        parts, params = [], []
        for _, batch in itertools.groupby(rows, len):
            batch = list(batch)
            parts.append(given(batch))
            params += [v for row in batch for v in row]
        if records_of is not None:
            doc_id, now, actor, tables = records_of
            for table in tables:
                parts.append(f"SELECT CAST(? AS TIMESTAMP), CAST(? AS VARCHAR), 'import', '{table}', id, to_json(t), "
                             f"document_id, CAST(NULL AS JSON) FROM {table} t WHERE document_id = ?")
                params += [now, actor, doc_id]
        if after:
            parts.append(given(list(after)))
            params += [v for row in after for v in row]
        if not parts:
            return
        if waiting is not None:
            waiting.append((" UNION ALL ".join(parts), params))
        else:
            cur.execute(f"{_HISTORY_INSERT} " + " UNION ALL ".join(parts), params)

    def resolve_version(self, document_id: int, choice: str, actor: str) -> None:
        """The user's choice for a version: 'replace' makes it the counted document (the one it is a
        version of leaves the pages, its records kept aside); 'keep' counts both (different documents).
        A replaced document chosen again ('replace' on it) comes back and replaces its replacement:
        that is the undo, and every step is in history."""
        actor = clean_text(actor or "")
        if choice not in ("replace", "keep"):
            raise StoreError("เลือกได้เฉพาะ 'แทนที่ฉบับเดิม' หรือ 'เก็บทั้งสองฉบับ'")
        if not (actor or "").strip():
            raise StoreError("กรุณาระบุชื่อผู้เลือก")
        self.require_write("source_document", document_id)
        row = self._raw_rows("SELECT version_state, kind, organization_id, fiscal_year, sha256 "
                             "FROM source_document WHERE id = ?", [document_id])
        if not row:
            raise StoreError("ไม่พบเอกสารที่ต้องการ")
        state, kind, org_id, fy, sha = row[0]
        other = self.current_version(org_id, fy, kind)  # the counted document it replaces
        if state not in ("pending", "replaced") or (state == "replaced" and choice != "replace"):
            raise StoreError("เอกสารนี้ไม่ได้รอการเลือกฉบับ")
        now = timestamp()
        doc = self.parsed_document(document_id) if state == "pending" else None
        with self.transaction() as cur:
            if state == "pending":
                self._write_contents(cur, doc, document_id, org_id, fy, sha, actor, now)
            else:
                self._move_records(cur, document_id, back=True, actor=actor, now=now)
            if choice == "replace" and other is not None:
                self._move_records(cur, other, back=False, actor=actor, now=now)
                cur.execute("UPDATE source_document SET version_state = 'replaced' WHERE id = ?", [other])
            cur.execute("UPDATE source_document SET version_state = ? WHERE id = ?",
                        [None if choice == "replace" else "kept", document_id])
            # the reports of records set aside (or brought back) leave (or re-enter) the summaries too
            cur.execute("CREATE OR REPLACE TEMP TABLE version_touched AS " + " UNION ALL ".join(
                f"SELECT '{kind}' AS kind, id AS record_id, TRUE AS reported FROM {table} WHERE document_id IN (?, ?)"
                for kind in ("plan_item", "measure") for table in (kind, f"{kind}_replaced")),
                [document_id, other if other is not None else document_id] * 4)
            try:
                summaries.refresh(cur, "version_touched")
            finally:
                cur.execute("DROP TABLE IF EXISTS version_touched")
            cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value, "
                        "document_id) VALUES (?,?,?,?,?,?,?,?)",
                        [now, actor, f"version_{choice}", "source_document", document_id,
                         json.dumps({"version_state": state}),
                         json.dumps({"version_state": None if choice == "replace" else "kept", "replaced": other}),
                         document_id])

    @staticmethod
    def _move_records(cur, document_id: int, back: bool, actor: str, now: dt.datetime) -> None:
        """Move a document's plan items, measures and their ITA links to the *_replaced tables (or back),
        ids kept, so progress reported on them counts again after an undo."""
        for table, where in (("measure_item_link", "measure_id IN (SELECT id FROM {measure} WHERE document_id = ?)"),
                             ("plan_item", "document_id = ?"), ("measure", "document_id = ?")):
            live, aside = table, f"{table}_replaced"
            missing = cur.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "AND column_name NOT IN (SELECT column_name FROM information_schema.columns WHERE table_name = ?)",
                [live, aside]).fetchall()
            for name, data_type in missing:  # a column a later migration added to the live table
                cur.execute(f'ALTER TABLE {aside} ADD COLUMN "{name}" {data_type}')
            src, dst = (aside, live) if back else (live, aside)
            cond = where.format(measure="measure_replaced" if back else "measure")
            if table != "measure_item_link":
                cur.execute(f"INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, "
                            f"document_id) SELECT ?, ?, ?, '{table}', id, to_json(t), document_id FROM {src} t "
                            f"WHERE {cond}", [now, actor, "version_restore" if back else "version_replace", document_id])
            # columns named (PostgreSQL has no INSERT ... BY NAME): the two tables' orders may differ
            columns = ", ".join(f'"{c}"' for (c,) in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [dst]).fetchall())
            cur.execute(f"INSERT INTO {dst} ({columns}) SELECT {columns} FROM {src} WHERE {cond}", [document_id])
            cur.execute(f"DELETE FROM {src} WHERE {cond}", [document_id])

    def _insert_document_reports(self, cur, doc: ParsedDocument, measure_ids: dict[int, int], fy: int,
                                 doc_id: int, actor: str, now: dt.datetime) -> list[tuple]:
        """The progress a results document states, through the one progress insert, marked from_document.
        Reports whose status the words do not give are not written: their question waits for an answer.
        Returns their history rows, for the caller to write."""
        from lib.ingest.results import reported_at as filed_at

        reported_at = filed_at(doc, now)
        history: list[tuple] = []
        self.insert_progress_many(cur, [{
            "record_kind": "measure", "record_id": measure_ids[m.seq], "fiscal_year": fy,
            "quarter": r.quarter, "status": r.status, "reason": r.reason, "spent": None, "note": r.text,
            "evidence_url": None, "reported_at": reported_at,
            "reported_by": f"ตามเอกสาร {doc.file_name}", "from_document": True, "document_id": doc_id}
            for m in doc.measures for r in m.reports if r.status is not None],
            action="import", actor=actor, document_id=doc_id, history=history)
        return history

    def _upsert_organization(self, cur, doc: ParsedDocument, actor: str, now, history: list[tuple],
                             new: bool = False) -> int:
        """The document's organization's id, created when new (its history row appended to `history`);
        `new`: known to be new in this transaction (not looked up again)."""
        org: OrganizationRef = doc.organization
        unresolved = any(i.subject == "organization.location" for i in doc.issues)
        row = None if new else cur.execute("SELECT id, district, province, website FROM organization WHERE name = ?",
                                           [org.name]).fetchone()
        if row is None:
            org_id = cur.execute(
                "INSERT INTO organization (name, short_name, kind, district, province, website, "
                "location_confirmed) VALUES (?,?,?,?,?,?,?) RETURNING id",
                [org.name, org.short_name, org.kind, org.district, org.province, org.website,
                 not unresolved and org.province is not None]).fetchone()[0]
            history.append((now, actor, "create", "organization", org_id,
                            json.dumps(to_jsonable(org), ensure_ascii=False), None))
            return org_id
        org_id, district, province, website = row
        if province is None and org.province is not None and not unresolved:
            self._update_organization(cur, org_id, {"district": org.district, "province": org.province,
                                                    "location_confirmed": True}, actor, now, history)
        elif org.province and (district, province) != (org.district, org.province):
            doc.warn("organization.location_other",
                     f"เอกสารระบุที่ตั้ง อ.{org.district} จ.{org.province} ต่างจากที่บันทึกไว้ "
                     f"(อ.{district} จ.{province}) จึงคงที่ตั้งเดิมไว้")
        if website is None and org.website:
            self._update_organization(cur, org_id, {"website": org.website}, actor, now, history)
        return org_id

    def _update_organization(self, cur, org_id: int, changes: dict, actor: str, now,
                             history: list[tuple] | None = None) -> None:
        """Change an organization's columns; its history row appended to `history`, else written now."""
        cols = list(changes)
        old = cur.execute(f"SELECT {', '.join(cols)} FROM organization WHERE id = ?", [org_id]).fetchone()
        cur.execute(f"UPDATE organization SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    [*changes.values(), org_id])
        row = (now, actor, "update", "organization", org_id, json.dumps(changes, ensure_ascii=False, default=str),
               None, json.dumps(dict(zip(cols, old, strict=True)), ensure_ascii=False, default=str))
        if history is not None:
            history.append(row)
        else:
            self._insert_history(cur, [row])

    @staticmethod
    def _insert_plan_items(cur, doc: ParsedDocument, org_id: int, fy: int, doc_id: int) -> None:
        if not doc.plan_items:
            return
        cur.execute(
            "INSERT INTO plan_item (organization_id, fiscal_year, seq, title, item_type, dimension, "
            "budget, quarters, remark, detail_seq, rationale, objectives, target_group, method, "
            "period_text, period_start, period_end, budget_text, responsible, outputs, outcomes, "
            "document_id, source_excerpt) VALUES "
            + ", ".join("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" for _ in doc.plan_items),
            [v for p in doc.plan_items for v in (
                org_id, fy, p.seq, p.title, p.item_type, p.dimension, p.budget, list(p.quarters),
                p.remark, p.detail_seq, p.rationale, p.objectives, p.target_group, p.method,
                p.period_text, p.start, p.end, p.budget_text, p.responsible, p.outputs, p.outcomes,
                doc_id, p.source_excerpt)])

    @staticmethod
    def _insert_measures(cur, doc: ParsedDocument, org_id: int, fy: int, doc_id: int) -> dict[int, int]:
        """Insert the measures; returns their ids by seq."""
        if not doc.measures:
            return {}
        # one statement for all (a statement each cost a third of a seed import); ids matched by seq,
        # which is unique in a document, not by RETURNING's row order
        found = cur.execute(
            "INSERT INTO measure (organization_id, fiscal_year, seq, title, instrument, item_topic, "
            "category, category_no, weakness, steps, responsible, monitoring, period_text, "
            "period_source, period_start, period_end, quarters, recurrence, result, outcome, links, "
            "document_id, source_excerpt) VALUES "
            + ", ".join("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" for _ in doc.measures)
            + " RETURNING seq, id",
            [v for m in doc.measures for v in (
                org_id, fy, m.seq, m.title, m.instrument, m.item_topic, m.category, m.category_no,
                m.weakness, m.steps, m.responsible, m.monitoring, m.period_text, m.period_source,
                m.start, m.end, list(m.quarters), m.recurrence, m.result, m.outcome, list(m.links),
                doc_id, m.source_excerpt)]).fetchall()
        ids = dict(found)
        if len(ids) != len(doc.measures):
            raise StoreError("มาตรการในเอกสารมีลำดับซ้ำกัน ระบบไม่นำเข้า")
        links = [(ids[m.seq], doc.framework_year, code) for m in doc.measures for code in m.item_codes]
        if links:
            cur.execute("INSERT INTO measure_item_link VALUES "
                        + ", ".join("(?,?,?,'document','as_read')" for _ in links), [v for link in links for v in link])
        return ids

    def record_progress(self, kind: str, record_id: int, quarter: int, status: str, actor: str,
                        reason: str | None = None, spent: float | None = None, note: str | None = None,
                        evidence_url: str | None = None, reported_at: dt.datetime | None = None) -> int:
        """Append a progress report for one quarter of a plan item or measure; returns its id.

        Reports are never overwritten: the latest one per record and quarter is the current state.
        """
        values = self.progress_values(kind, record_id, quarter, status, actor, reason, spent, note,
                                      evidence_url, reported_at)
        with self.transaction() as cur:
            return self.insert_progress(cur, values)

    def record_progress_many(self, reports: list[dict], actor: str) -> list[int]:
        """Append several reports (each a dict of record_progress's arguments but the actor) in one
        transaction: all are checked first, then all are written or none; one history row each."""
        now = timestamp()
        checked = []
        for report in reports:
            try:
                checked.append(self.progress_values(actor=actor, reported_at=now, **report))
            except TypeError as e:
                raise StoreError("ข้อมูลรายงานไม่ครบหรือมีช่องที่ไม่รู้จัก") from e
        if not checked:
            raise StoreError("ไม่มีรายงานที่ต้องบันทึก")
        with self.transaction() as cur:
            return [self.insert_progress(cur, values) for values in checked]

    def progress_values(self, kind: str, record_id: int, quarter: int, status: str | None, actor: str,
                        reason: str | None = None, spent: float | None = None, note: str | None = None,
                        evidence_url: str | None = None, reported_at: dt.datetime | None = None,
                        withdrawal: bool = False) -> dict:
        """The checked row of a progress report (StoreError in Thai when it is not valid); its texts
        without control characters, whichever way they came (form, reporting grid, upload).
        `withdrawal`: a report without a status (None), which withdraws the quarter's report before it
        (migration 1820: the quarter then counts as not reported)."""
        actor, reason, note, evidence_url = (clean_text(v) if isinstance(v, str) else v
                                             for v in (actor, reason, note, evidence_url))
        if kind not in RECORD_KINDS:
            raise StoreError(f"ประเภทรายการ '{kind}' ไม่ถูกต้อง")
        if self.owner_of(kind, record_id) is not None:
            self.require_write(kind, record_id)
        found = self.query_rows(f"SELECT fiscal_year FROM {kind} WHERE id = ?", [record_id])
        if not found:
            raise StoreError("ไม่พบรายการที่ต้องการรายงานผล")
        problems = []
        if quarter not in (1, 2, 3, 4):
            problems.append("ไตรมาสต้องเป็น 1 ถึง 4")
        if status not in PROGRESS_STATUSES and not (withdrawal and status is None):
            problems.append(f"สถานะต้องเป็นหนึ่งใน: {', '.join(PROGRESS_STATUSES)}")
        if status == STATUS_BLOCKED and not (reason or "").strip():
            problems.append("สถานะ 'ไม่สามารถดำเนินการได้' ต้องระบุเหตุผล")
        if spent is not None and (spent != spent or spent < 0):
            problems.append("งบประมาณที่ใช้ต้องเป็นจำนวนเงินไม่ติดลบ")
        if evidence_url and not evidence_url.strip().lower().startswith(("http://", "https://")):
            problems.append("ลิงก์หลักฐานต้องขึ้นต้นด้วย http:// หรือ https://")
        if not (actor or "").strip():
            problems.append("กรุณาระบุชื่อผู้รายงาน")
        if problems:
            raise StoreError("บันทึกผลไม่ได้: " + "; ".join(problems))
        values = {"record_kind": kind, "record_id": record_id, "fiscal_year": found[0][0], "quarter": quarter,
                  "status": status, "reason": (reason or "").strip() or None if status == STATUS_BLOCKED else None,
                  "spent": spent, "note": (note or "").strip() or None,
                  "evidence_url": (evidence_url or "").strip() or None,
                  "reported_at": reported_at or timestamp(), "reported_by": actor.strip()}
        return values

    @staticmethod
    def insert_progress(cur, values: dict, action: str = "report", actor: str | None = None,
                        document_id: int | None = None) -> int:
        """Append a checked progress row and its history row inside the caller's transaction."""
        return Store.insert_progress_many(cur, [values], action, actor, document_id)[0]

    @staticmethod
    def insert_progress_many(cur, rows: list[dict], action: str = "report", actor: str | None = None,
                             document_id: int | None = None, history: list[tuple] | None = None) -> list[int]:
        """Checked progress rows and their history rows in two statements (a statement per report cost
        most of a seed import); rows that repeat a (record, quarter) go one by one. The history's actor
        is `actor`, else each row's reporter. `history`: a list the history rows are appended to, for
        the caller to write with its own, instead of written here."""
        if not rows:
            return []
        keys = {(r["record_kind"], r["record_id"], r["quarter"]) for r in rows}
        if len(keys) < len(rows) or any(list(r) != list(rows[0]) for r in rows):
            pending = [] if history is None else history
            ids = [Store.insert_progress_many(cur, [r], action, actor, document_id, pending)[0] for r in rows]
            if history is None:
                Store._insert_history(cur, pending)
            return ids
        columns = list(rows[0])
        placeholders = ", ".join(f"({', '.join('?' * len(columns))})" for _ in rows)
        found = cur.execute(
            f"INSERT INTO progress ({', '.join(columns)}) VALUES {placeholders} "
            "RETURNING id, record_kind, record_id, quarter",
            [r[c] for r in rows for c in columns]).fetchall()
        # matched by (record, quarter), not by position: RETURNING's row order is not promised
        ids = {(kind, record_id, quarter): progress_id for progress_id, kind, record_id, quarter in found}
        progress_ids = [ids[(r["record_kind"], r["record_id"], r["quarter"])] for r in rows]
        written = [(r["reported_at"], actor or r["reported_by"], action, "progress", progress_id,
                    json.dumps(r, ensure_ascii=False, default=str), document_id)
                   for r, progress_id in zip(rows, progress_ids, strict=True)]
        if history is None:
            Store._insert_history(cur, written)
        else:
            history += written
        return progress_ids

    def refiled_values(self, progress_id: int, actor: str, now: dt.datetime | None = None) -> dict:
        """An earlier report `progress_id` checked to be filed again as its quarter's current one (the
        undo of the reports after it: `insert_refiled`); a withdrawal filed again withdraws again."""
        row = self.query_rows("SELECT record_kind, record_id, quarter, status, reason, spent, note, evidence_url "
                              "FROM progress WHERE id = ?", [progress_id])
        if not row:
            raise StoreError("ไม่พบรายงานที่ต้องการย้อนกลับ")
        kind, record_id, quarter, status, reason, spent, note, evidence_url = row[0]
        return self.progress_values(kind, record_id, quarter, status, actor, reason, spent, note, evidence_url,
                                    now, withdrawal=status is None)

    @staticmethod
    def insert_refiled(cur, values: dict, progress_id: int, actor: str) -> int:
        """File `refiled_values` inside the caller's transaction; its history row ('restore') names the
        report it restores."""
        new_id = Store.insert_progress(cur, values, action="restore", actor=actor)
        cur.execute("UPDATE history SET new_value = ? WHERE table_name = 'progress' AND record_id = ? "
                    "AND action = 'restore'",
                    [json.dumps({**values, "_restored_from": progress_id}, ensure_ascii=False, default=str), new_id])
        return new_id

    def _question_record(self, issue_id: int, kind: str, seq: int) -> tuple[int, str | None, int]:
        """The record a status question asks about: its id, the document's words on it, the document."""
        words_col = {"measure": "r.result", "plan_item": "r.outputs"}[kind]
        found = self.query_rows(f"SELECT r.id, {words_col}, i.document_id FROM {kind} r JOIN document_issue i "
                                f"ON i.document_id = r.document_id WHERE i.id = ? AND r.seq = ?", [issue_id, seq])
        if not found:
            raise StoreError("ไม่พบรายการที่คำถามนี้ถามถึง")
        return found[0]

    def _answer_undone(self, issue_id: int, subject: str | None, previous: str | None,
                       answered_at: dt.datetime | None, actor: str, now: dt.datetime) -> tuple[list, list[int]]:
        """What takes back the reports a status answer filed: per quarter whose current report is still
        the answer's, the report before it filed again (`refiled_values`), else a withdrawal (no
        status: the quarter counts as not reported). Returns those ((kind, values, restored id or None))
        and the quarters left as they are because a later report stands."""
        from lib.ingest.results import PROGRESS_SKIP, parse_progress_subject

        parsed = parse_progress_subject(subject or "")
        if parsed is None or previous is None or previous == PROGRESS_SKIP:
            return [], []
        kind, seq, quarters = parsed
        record_id, _, doc_id = self._question_record(issue_id, kind, seq)
        # this question's own reports: its answers' and their withdrawals (the record is the document's)
        rows = self.query_rows(
            "SELECT p.id, p.quarter, p.status, p.reported_at, coalesce(h.action, '') FROM progress p "
            "LEFT JOIN history h ON h.table_name = 'progress' AND h.record_id = p.id "
            "AND h.action IN ('answer', 'withdraw') AND p.document_id = ? "
            "WHERE p.record_kind = ? AND p.record_id = ? ORDER BY p.reported_at, p.id", [doc_id, kind, record_id])
        undone, left = [], []
        for q in quarters:
            reports = [r for r in rows if r[1] == q]
            # the answer's report: filed by an answer at the answer's time (the last such: an earlier
            # answer given in the same second was superseded by it)
            filed = [n for n, r in enumerate(reports) if r[4] == "answer" and r[3] == answered_at]
            if not filed:
                continue
            if filed[-1] != len(reports) - 1:
                left.append(q)
                continue
            # what counted before the question was answered (reports of earlier answers to it do not)
            before = next((r for r in reversed(reports[:filed[-1]]) if not r[4]), None)
            if before is not None and before[2] is not None:
                undone.append(("restore", self.refiled_values(before[0], actor, now), before[0]))
            else:
                undone.append(("withdraw", {**self.progress_values(
                    kind, record_id, q, None, actor, note=f"ถอนรายงานที่คำตอบ '{previous}' บันทึกไว้ "
                    f"(คำถามของเอกสาร #{doc_id})", reported_at=now, withdrawal=True),
                    "from_document": False, "document_id": doc_id}, None))
        return undone, left

    @staticmethod
    def _file_undone(cur, undone: list, actor: str) -> None:
        for how, values, restored in undone:
            if how == "restore":
                Store.insert_refiled(cur, values, restored, actor)
            else:
                Store.insert_progress(cur, values, action="withdraw", actor=actor, document_id=values["document_id"])

    def _answered_reports(self, issue_id: int, subject: str | None, answer: str, actor: str,
                          now: dt.datetime) -> list[dict]:
        """The progress rows a user's answer to a status question files: the status they chose for
        each quarter the document reports, the document's words as the note."""
        from lib.ingest.results import PROGRESS_SKIP, parse_progress_subject

        parsed = parse_progress_subject(subject or "")
        if parsed is None or answer == PROGRESS_SKIP:
            return []
        kind, seq, quarters = parsed
        record_id, words, doc_id = self._question_record(issue_id, kind, seq)
        return [{**self.progress_values(kind, record_id, q, answer, actor, note=words, reported_at=now),
                 "from_document": False, "document_id": doc_id} for q in quarters]

    def answer_question(self, issue_id: int, answer: str, actor: str) -> str:
        """Store the answer and apply what it means (`answer_effect`, which it returns). An answered
        question answered again: the earlier answer's effect is reversed in the same transaction (its
        reports superseded by the new answer's, or taken back when the new one files none; the location
        set anew); history keeps both answers."""
        actor = clean_text(actor or "")
        subject, options, previous, answered_at, org_id = self._question(issue_id)
        if options and answer not in options:
            raise StoreError(f"คำตอบ '{answer}' ไม่อยู่ในตัวเลือกของคำถามนี้")
        if not actor.strip():
            raise StoreError("กรุณาระบุชื่อผู้ตอบ")
        if previous is not None and answer == previous:
            raise StoreError(f"คำตอบ '{answer}' เป็นคำตอบที่ให้ไว้แล้ว ไม่มีอะไรเปลี่ยน")
        now = timestamp()
        reports = self._answered_reports(issue_id, subject, answer, actor, now)
        undone, left = self._answer_undone(issue_id, subject, previous, answered_at, actor, now)
        if reports:  # they supersede the earlier answer's (the latest report counts), nothing to take back
            undone = []  # a quarter someone reported on after the earlier answer keeps that report
            reports = [r for r in reports if r["quarter"] not in left]
        with self.transaction() as cur:
            self._file_undone(cur, undone, actor)
            for values in reports:
                self.insert_progress(cur, values, action="answer", actor=actor, document_id=values["document_id"])
            if subject == "organization.location":
                district, province = parse_location_option(answer)
                self._update_organization(cur, org_id, {"district": district, "province": province,
                                                        "location_confirmed": True}, actor, now)
            self._set_answer(cur, issue_id, "answer", previous, answer, actor, now)
        return answer_effect(subject, answer, previous, left, _restored(undone))

    def withdraw_answer(self, issue_id: int, actor: str) -> str:
        """Take back a status answer: the reports it filed stop counting (each quarter's report before
        them counts again, or none), the question waits for an answer again; history keeps the answer
        and the withdrawal. Returns `answer_effect` of the withdrawal."""
        from lib.ingest.results import parse_progress_subject

        actor = clean_text(actor or "")
        subject, _, previous, answered_at, _ = self._question(issue_id)
        if previous is None:
            raise StoreError("คำถามนี้ยังไม่มีคำตอบ จึงไม่มีคำตอบให้ถอน")
        if parse_progress_subject(subject or "") is None:
            raise StoreError("ถอนได้เฉพาะคำตอบที่บันทึกสถานะรายงานผล คำตอบอื่นเปลี่ยนได้โดยเลือกคำตอบใหม่")
        if not actor.strip():
            raise StoreError("กรุณาระบุชื่อผู้ถอนคำตอบ")
        now = timestamp()
        undone, left = self._answer_undone(issue_id, subject, previous, answered_at, actor, now)
        with self.transaction() as cur:
            self._file_undone(cur, undone, actor)
            self._set_answer(cur, issue_id, "withdraw_answer", previous, None, actor, now)
        return answer_effect(subject, None, previous, left, _restored(undone))

    def _question(self, issue_id: int) -> tuple:
        """A question's subject, options, answer, answered_at and organization, the user allowed to write it."""
        if self.owner_of("document_issue", issue_id) is not None:
            self.require_write("document_issue", issue_id)
        row = self.query_rows("SELECT i.subject, i.options, i.answer, i.answered_at, d.organization_id "
                              "FROM document_issue i JOIN source_document d ON d.id = i.document_id WHERE i.id = ?",
                              [issue_id])
        if not row:
            raise StoreError("ไม่พบคำถามที่ต้องการตอบ")
        return row[0]

    @staticmethod
    def _set_answer(cur, issue_id: int, action: str, previous: str | None, answer: str | None, actor: str,
                    now: dt.datetime) -> None:
        cur.execute("UPDATE document_issue SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ?",
                    [answer, None if answer is None else now, None if answer is None else actor, issue_id])
        cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [now, actor, action, "document_issue", issue_id,
                     json.dumps({"answer": previous}, ensure_ascii=False),
                     json.dumps({"answer": answer}, ensure_ascii=False)])


def _restored(undone: list) -> list[int]:
    return [values["quarter"] for how, values, _ in undone if how == "restore"]


def answer_effect(subject: str | None, answer: str | None, previous: str | None = None,
                  left: list[int] | tuple[int, ...] = (), restored: list[int] | tuple[int, ...] = ()) -> str:
    """What an answer did, in Thai: the reports it filed, the location it set, or that it is kept and
    changed nothing (an answer that confirms a reading, or says the user will correct the register).
    `previous`: the answer it replaced (what changed is said first); `answer` None: `previous` withdrawn.
    `left`: quarters whose reports the earlier answer filed but a later report superseded (not taken back);
    `restored`: quarters taken back to the report they had before the answer (the others to none)."""
    from lib.ingest.results import PROGRESS_SKIP, parse_progress_subject

    parsed = parse_progress_subject(subject or "")
    changed = f"เปลี่ยนคำตอบจาก '{previous}' เป็น '{answer}': " if previous is not None and answer is not None else ""
    if parsed is not None:
        kind, seq, quarters = parsed
        record = {"measure": "มาตรการที่", "plan_item": "โครงการลำดับ"}[kind] + f" {seq}"
        kept = (f" ส่วนไตรมาส {', '.join(map(str, left))} คงรายงานที่บันทึกภายหลังคำตอบเดิมไว้ "
                "(แก้ได้ที่หน้ารายงานความก้าวหน้า)") if left else ""
        if answer is not None and answer != PROGRESS_SKIP:
            instead = "แทนรายงานตามคำตอบเดิม " if previous not in (None, PROGRESS_SKIP) else ""
            listed = ", ".join(str(q) for q in quarters if q not in left)
            if not listed:
                return f"{changed}ไม่ได้บันทึกรายงานใหม่{kept}"
            return (f"{changed}บันทึกรายงานผลของ{record} ไตรมาส {listed} เป็น '{answer}' แล้ว {instead}"
                    f"(เป็นรายงานใหม่ในประวัติ แก้ได้ที่หน้ารายงานความก้าวหน้า){kept}")
        head = changed or (f"ถอนคำตอบ '{previous}' แล้ว: " if answer is None else "")
        tail = " คำถามนี้กลับไปรอคำตอบ" if answer is None else ""
        if previous is not None and previous != PROGRESS_SKIP:
            taken = [q for q in quarters if q not in left]
            text = (f"รายงานผลของ{record} ไตรมาส {', '.join(map(str, taken))} ที่คำตอบเดิมบันทึกไว้ไม่นับในหน้าต่าง ๆ แล้ว"
                    + (f" ไตรมาส {', '.join(map(str, restored))} กลับไปนับรายงานที่มีก่อนคำตอบ" if restored else "")
                    + " (รายงานทั้งหมดยังอยู่ในประวัติ)" if taken else f"ไม่มีรายงานของ{record} ที่ต้องถอน")
            return head + text + kept + tail
        if answer is None:
            return f"{head}ไม่มีรายงานที่ต้องถอน{tail}"
    if subject == "organization.location":
        if previous is not None:
            return f"เปลี่ยนที่ตั้งของหน่วยงานจาก {previous} เป็น {answer} แล้ว (บันทึกในประวัติ)"
        return f"ตั้งที่ตั้งของหน่วยงานเป็น {answer} แล้ว (บันทึกในประวัติ)"
    return changed + "เก็บคำตอบไว้แล้ว ข้อมูลในทะเบียนไม่เปลี่ยน (หากต้องแก้ แก้ได้ที่หน้าทะเบียนมาตรการ/โครงการ)"


def open_store(path: str | Path | None = None) -> Store:
    return Store(path if path is not None else db_path())


class _ImportedMeanwhile(Exception):
    def __init__(self, document_id: int):
        super().__init__(document_id)
        self.document_id = document_id


def import_seeds(store: Store, seeds_dir: Path = SEEDS_DIR) -> list[ImportResult]:
    """Import the default documents; files already in the store add nothing."""
    from lib.ingest import read_path

    with store.one_upkeep():
        return [store.import_document(read_path(path), path.read_bytes(), "txt", "ระบบ (ข้อมูลตั้งต้น)")
                for path in sorted(seeds_dir.glob("*.txt"))]
