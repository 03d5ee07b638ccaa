"""The record store: the one place that opens DuckDB; imports, progress reports and answers to questions.

Every write runs in one transaction and appends to `history`. An import keeps the original
bytes of its source document; the same bytes imported again add nothing.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

import lib.store.summaries as summaries
from lib.auth import LOCAL_ADMIN, Access
from lib.errors import AccessDenied, StoreError  # noqa: F401  (re-exported: callers catch StoreError)
from lib.ingest.organization import parse_location_option
from lib.records import (
    PROGRESS_STATUSES,
    RECORD_KINDS,
    STATUS_BLOCKED,
    OrganizationRef,
    ParsedDocument,
    to_jsonable,
)
from lib.store.catalogs import load_ita_catalog
from lib.store.history import timestamp
from lib.store.scope import install_scope

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "ita.duckdb"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "data" / "seeds"
CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog"
# catalog file (data/catalog/<name>.csv) -> table it fills; each is replaced whole when its file changes
CATALOGS = {"plan_dimensions": "plan_dimension", "colors": "color"}
DB_ENV = "ITA_DB_PATH"
# DuckDB's bounds, set here only: its working memory (it spills to disk past it) and threads. The
# dashboard runs on small shared machines; ITA_DB_MEMORY / ITA_DB_THREADS override them.
MEMORY_LIMIT = os.environ.get("ITA_DB_MEMORY", "300MB")
THREADS = int(os.environ.get("ITA_DB_THREADS", "0")) or min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class ImportResult:
    document_id: int
    created: bool  # False when the same file was already imported
    plan_items: int
    measures: int
    organization: str


def db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)



class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(self.path, config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
        self.access: Access = LOCAL_ADMIN
        self._migrate()
        self.load_catalogs()

    def close(self) -> None:
        self._con.close()

    # The embedded file is the database itself: there is nothing to follow (lib/store/shared.py has).
    shared = False
    version = 0

    def follow(self) -> bool:
        return False

    def scoped(self, access: Access) -> Store:
        """The same database as `access` may see and change it: reads hold only its
        organizations' rows, and every write checks its role and organizations."""
        view = copy.copy(self)
        view.access = access
        return view

    # -- reading -------------------------------------------------------------------------
    @contextmanager
    def cursor(self):
        """A fresh cursor per query or thread; callers fetch results inside the block."""
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
        self.access.require_write(self.owner_of(table, record_id))

    def _raw_rows(self, sql: str, params: list) -> list[tuple]:
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
        """
        cur = self._con.cursor()
        try:
            cur.begin()
            try:
                mark = summaries.history_mark(cur) if keep_summaries else None
                yield cur
                if mark is not None:
                    summaries.after_write(cur, mark)
            except BaseException:
                cur.rollback()
                raise
            cur.commit()
        finally:
            cur.close()

    def _migrate(self) -> None:
        with self.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_migration "
                        "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            done = {v for (v,) in cur.execute("SELECT version FROM schema_migration").fetchall()}
        for sql_file in sorted(MIGRATIONS.glob("*.sql")):
            version = int(sql_file.name.split("_")[0])
            if version in done:
                continue
            with self.transaction(keep_summaries=False) as cur:
                cur.execute(sql_file.read_text(encoding="utf-8"))
                cur.execute("INSERT INTO schema_migration VALUES (?, ?, ?)",
                            [version, sql_file.name, timestamp()])
        with self.transaction(keep_summaries=False) as cur:
            if not summaries.is_current(cur):  # a new database, or one older than the summaries
                summaries.rebuild(cur)

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
        sha = hashlib.sha256(content).hexdigest()
        existing = self.query_rows(
            "SELECT d.id, o.short_name, "
            " (SELECT count(*) FROM plan_item WHERE document_id = d.id),"
            " (SELECT count(*) FROM measure WHERE document_id = d.id) "
            "FROM source_document d LEFT JOIN organization o ON o.id = d.organization_id "
            "WHERE sha256 = ?", [sha])
        if existing:
            doc_id, org, n_plan, n_measures = existing[0]
            return ImportResult(doc_id, False, n_plan, n_measures, org)
        if doc.organization is None:
            raise StoreError(f"ไม่ทราบว่าเอกสาร {doc.file_name} เป็นของหน่วยงานใด "
                             "กรุณาเลือกหรือระบุหน่วยงานก่อนนำเข้า")
        known = self._raw_rows("SELECT id FROM organization WHERE name = ?", [doc.organization.name])
        if known:
            self.access.require_write(known[0][0])
        elif not self.access.is_admin:
            raise AccessDenied(f"{doc.organization.short_name} ยังไม่มีในระบบ เฉพาะผู้ดูแลระบบเพิ่มหน่วยงานใหม่ได้")
        fy = fiscal_year or doc.fiscal_year
        if fy is None:
            raise StoreError(f"ไม่พบปีงบประมาณของเอกสาร {doc.file_name} กรุณาระบุปีงบประมาณก่อนนำเข้า")
        if not (2400 <= fy <= 2700):
            raise StoreError(f"ปีงบประมาณ {fy} ไม่ใช่ปี พ.ศ. ที่ถูกต้อง")

        try:
            doc_id = self._write_import(doc, content, fmt, actor, fy, sha)
        except duckdb.Error as e:
            raise StoreError(f"บันทึกเอกสาร {doc.file_name} ไม่สำเร็จ ระบบยกเลิกทั้งหมดและไม่มีข้อมูลใดเปลี่ยน "
                             f"(รายละเอียดทางเทคนิค: {e})") from e
        return ImportResult(doc_id, True, len(doc.plan_items), len(doc.measures),
                            doc.organization.short_name)

    def _write_import(self, doc: ParsedDocument, content: bytes, fmt: str, actor: str, fy: int,
                      sha: str) -> int:
        now = timestamp()
        with self.transaction() as cur:
            org_id = self._upsert_organization(cur, doc, actor, now)
            doc_id = cur.execute(
                "INSERT INTO source_document (file_name, sha256, format, layout, layout_label, kind, "
                "title, organization_id, fiscal_year, framework_year, report_round, period_text, "
                "period_start, period_end, as_of, content, imported_at, imported_by) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                [doc.file_name, sha, fmt, doc.layout, doc.layout_label, doc.kind, doc.title, org_id,
                 fy, doc.framework_year, doc.report_round, doc.period_text, doc.start, doc.end,
                 doc.as_of, content, now, actor]).fetchone()[0]
            for issue in doc.issues:
                cur.execute("INSERT INTO document_issue (document_id, code, severity, message, options, "
                            "subject) VALUES (?,?,?,?,?,?)",
                            [doc_id, issue.code, issue.severity, issue.message, list(issue.options),
                             issue.subject])
            for number, name in doc.dimension_names.items():
                cur.execute("INSERT INTO document_dimension VALUES (?,?,?)", [doc_id, number, name])
            self._insert_plan_items(cur, doc, org_id, fy, doc_id)
            self._insert_measures(cur, doc, org_id, fy, doc_id)
            cur.execute(
                "INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id) "
                "VALUES (?,?,?,?,?,?,?)",
                [now, actor, "import", "source_document", doc_id,
                 json.dumps({"file_name": doc.file_name, "sha256": sha, "plan_items": len(doc.plan_items),
                             "measures": len(doc.measures)}, ensure_ascii=False), doc_id])
            for table in ("plan_item", "measure"):
                cur.execute(
                    f"INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id) "
                    f"SELECT ?, ?, 'import', '{table}', id, to_json(t), document_id FROM {table} t "
                    f"WHERE document_id = ?", [now, actor, doc_id])
        return doc_id

    def _upsert_organization(self, cur, doc: ParsedDocument, actor: str, now) -> int:
        org: OrganizationRef = doc.organization
        unresolved = any(i.subject == "organization.location" for i in doc.issues)
        row = cur.execute("SELECT id, district, province, website FROM organization WHERE name = ?",
                          [org.name]).fetchone()
        if row is None:
            org_id = cur.execute(
                "INSERT INTO organization (name, short_name, kind, district, province, website, "
                "location_confirmed) VALUES (?,?,?,?,?,?,?) RETURNING id",
                [org.name, org.short_name, org.kind, org.district, org.province, org.website,
                 not unresolved and org.province is not None]).fetchone()[0]
            cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value) "
                        "VALUES (?,?,?,?,?,?)",
                        [now, actor, "create", "organization", org_id,
                         json.dumps(to_jsonable(org), ensure_ascii=False)])
            return org_id
        org_id, district, province, website = row
        if province is None and org.province is not None and not unresolved:
            self._update_organization(cur, org_id, {"district": org.district, "province": org.province,
                                                    "location_confirmed": True}, actor, now)
        elif org.province and (district, province) != (org.district, org.province):
            doc.warn("organization.location_other",
                     f"เอกสารระบุที่ตั้ง อ.{org.district} จ.{org.province} ต่างจากที่บันทึกไว้ "
                     f"(อ.{district} จ.{province}) จึงคงที่ตั้งเดิมไว้")
        if website is None and org.website:
            self._update_organization(cur, org_id, {"website": org.website}, actor, now)
        return org_id

    def _update_organization(self, cur, org_id: int, changes: dict, actor: str, now) -> None:
        cols = list(changes)
        old = cur.execute(f"SELECT {', '.join(cols)} FROM organization WHERE id = ?", [org_id]).fetchone()
        cur.execute(f"UPDATE organization SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    [*changes.values(), org_id])
        cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [now, actor, "update", "organization", org_id,
                     json.dumps(dict(zip(cols, old, strict=True)), ensure_ascii=False, default=str),
                     json.dumps(changes, ensure_ascii=False, default=str)])

    @staticmethod
    def _insert_plan_items(cur, doc: ParsedDocument, org_id: int, fy: int, doc_id: int) -> None:
        if not doc.plan_items:
            return
        cur.executemany(
            "INSERT INTO plan_item (organization_id, fiscal_year, seq, title, item_type, dimension, "
            "budget, quarters, remark, detail_seq, rationale, objectives, target_group, method, "
            "period_text, period_start, period_end, budget_text, responsible, outputs, outcomes, "
            "document_id, source_excerpt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [[org_id, fy, p.seq, p.title, p.item_type, p.dimension, p.budget, list(p.quarters),
              p.remark, p.detail_seq, p.rationale, p.objectives, p.target_group, p.method,
              p.period_text, p.start, p.end, p.budget_text, p.responsible, p.outputs, p.outcomes,
              doc_id, p.source_excerpt] for p in doc.plan_items])

    @staticmethod
    def _insert_measures(cur, doc: ParsedDocument, org_id: int, fy: int, doc_id: int) -> None:
        for m in doc.measures:
            measure_id = cur.execute(
                "INSERT INTO measure (organization_id, fiscal_year, seq, title, instrument, item_topic, "
                "category, category_no, weakness, steps, responsible, monitoring, period_text, "
                "period_source, period_start, period_end, quarters, recurrence, result, outcome, links, "
                "document_id, source_excerpt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "RETURNING id",
                [org_id, fy, m.seq, m.title, m.instrument, m.item_topic, m.category, m.category_no,
                 m.weakness, m.steps, m.responsible, m.monitoring, m.period_text, m.period_source,
                 m.start, m.end, list(m.quarters), m.recurrence, m.result, m.outcome, list(m.links),
                 doc_id, m.source_excerpt]).fetchone()[0]
            for code in m.item_codes:
                cur.execute("INSERT INTO measure_item_link VALUES (?,?,?,'document','as_read')",
                            [measure_id, doc.framework_year, code])

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

    def progress_values(self, kind: str, record_id: int, quarter: int, status: str, actor: str,
                        reason: str | None = None, spent: float | None = None, note: str | None = None,
                        evidence_url: str | None = None, reported_at: dt.datetime | None = None) -> dict:
        """The checked row of a progress report (StoreError in Thai when it is not valid)."""
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
        if status not in PROGRESS_STATUSES:
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
        progress_id = cur.execute(
            f"INSERT INTO progress ({', '.join(values)}) VALUES ({', '.join('?' * len(values))}) RETURNING id",
            list(values.values())).fetchone()[0]
        cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [values["reported_at"], actor or values["reported_by"], action, "progress", progress_id,
                     json.dumps(values, ensure_ascii=False, default=str), document_id])
        return progress_id

    def answer_question(self, issue_id: int, answer: str, actor: str) -> None:
        if self.owner_of("document_issue", issue_id) is not None:
            self.require_write("document_issue", issue_id)
        row = self.query_rows("SELECT i.subject, i.options, i.answer, d.organization_id FROM document_issue i "
                              "JOIN source_document d ON d.id = i.document_id WHERE i.id = ?", [issue_id])
        if not row:
            raise StoreError("ไม่พบคำถามที่ต้องการตอบ")
        subject, options, previous, org_id = row[0]
        if options and answer not in options:
            raise StoreError(f"คำตอบ '{answer}' ไม่อยู่ในตัวเลือกของคำถามนี้")
        if not actor.strip():
            raise StoreError("กรุณาระบุชื่อผู้ตอบ")
        now = timestamp()
        with self.transaction() as cur:
            if subject == "organization.location":
                district, province = parse_location_option(answer)
                self._update_organization(cur, org_id, {"district": district, "province": province,
                                                        "location_confirmed": True}, actor, now)
            cur.execute("UPDATE document_issue SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ?",
                        [answer, now, actor, issue_id])
            cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value) "
                        "VALUES (?,?,?,?,?,?,?)",
                        [now, actor, "answer", "document_issue", issue_id,
                         json.dumps({"answer": previous}, ensure_ascii=False),
                         json.dumps({"answer": answer}, ensure_ascii=False)])


def open_store(path: str | Path | None = None) -> Store:
    return Store(path if path is not None else db_path())


def import_seeds(store: Store, seeds_dir: Path = SEEDS_DIR) -> list[ImportResult]:
    """Import the default documents; files already in the store add nothing."""
    from lib.ingest import read_path

    results = []
    for path in sorted(seeds_dir.glob("*.txt")):
        results.append(store.import_document(read_path(path), path.read_bytes(), "txt", "ระบบ (ข้อมูลตั้งต้น)"))
    return results
