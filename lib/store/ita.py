"""Writes of the ITA area: the framework catalog, score imports, organization targets, link decisions.

Each write runs in one transaction and appends history; bad input raises StoreError (Thai) and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

from lib.ita.catalog import CATALOG_HEADERS, catalog_diff, check_catalog_rows
from lib.ita.scores import HEADERS, ScoreCheck, check_scores, marked_as_test_data, read_table, rename_columns
from lib.store import lookups
from lib.store.db import Store, StoreError
from lib.store.history import append_history, timestamp
from lib.thai import clean_text


# -- catalog ---------------------------------------------------------------------------------------
def read_catalog_file(store: Store, content: bytes, file_name: str) -> tuple[pd.DataFrame, list[str]]:
    try:
        table = read_table(content, file_name, CATALOG_HEADERS["code"])
    except ValueError as e:
        return pd.DataFrame(), [str(e)]
    table, missing = rename_columns(table, CATALOG_HEADERS)
    if "code" not in table.columns:
        return pd.DataFrame(), [f"ไม่พบคอลัมน์: {', '.join(missing)}"]
    for key in CATALOG_HEADERS:
        if key not in table.columns:
            table[key] = None
    return check_catalog_rows(table, lookups.indicators(store))


@dataclass
class CatalogPreview:
    """What importing a corrected item list for a year would change, before anything is written."""
    rows: pd.DataFrame           # the checked rows of the file
    problems: list[str]          # Thai, one per bad row (nothing can be imported while there are any)
    diff: pd.DataFrame           # lib.ita.catalog.catalog_diff: code, change, field, old, new
    replaces: str                # 'catalog' (the reviewed files), 'import' (an earlier correction) or 'none'
    scores: int                  # item scores of that year on codes removed or moved to another indicator
    links: int                   # measure links of that year to codes removed or whose title changes


def preview_catalog(store: Store, content: bytes, file_name: str, framework_year: int) -> CatalogPreview:
    rows, problems = read_catalog_file(store, content, file_name)
    old = lookups.catalog_items(store, framework_year)
    replaces = "none" if old.empty else ("import" if (old["origin"] == "import").any() else "catalog")
    if problems:
        return CatalogPreview(rows, problems, catalog_diff(old.iloc[0:0], old.iloc[0:0]), replaces, 0, 0)
    diff = catalog_diff(old, rows)
    removed = set(diff.loc[diff["change"] == "removed", "code"])
    moved = removed | set(diff.loc[(diff["change"] == "changed") & diff["field"].isin(["indicator", "instrument"]),
                                   "code"])
    retitled = removed | set(diff.loc[(diff["change"] == "changed") & (diff["field"] == "title"), "code"])
    scores = store.query_rows("SELECT count(*) FROM ita_score WHERE framework_year = ? AND level = 'item' "
                              "AND list_contains(?, code)", [framework_year, sorted(moved)])[0][0]
    links = store.query_rows("SELECT count(*) FROM measure_item_link WHERE framework_year = ? "
                             "AND status IN ('as_read', 'confirmed') AND list_contains(?, code)",
                             [framework_year, sorted(retitled)])[0][0]
    return CatalogPreview(rows, problems, diff, replaces, int(scores), int(links))


def import_catalog(store: Store, content: bytes, file_name: str, framework_year: int, actor: str) -> int:
    """A user's corrected item list for one year; it replaces the list of that year. Returns rows written."""
    store.access.require_admin()
    if not (actor or "").strip():
        raise StoreError("กรุณาระบุชื่อผู้นำเข้า")
    if not 2500 <= framework_year <= 2700:
        raise StoreError(f"ปีประเมิน {framework_year} ไม่ใช่ปี พ.ศ. ที่ถูกต้อง")
    rows, problems = read_catalog_file(store, content, file_name)
    if problems:
        raise StoreError("นำเข้าบัญชีข้อคำถามไม่ได้ ไม่มีข้อมูลใดเปลี่ยน: " + "; ".join(problems))
    now = timestamp()
    rows = rows.assign(framework_year=framework_year, origin="import",
                       source=rows["source"].fillna(f"นำเข้าโดย {actor.strip()} จากไฟล์ {file_name}"))
    old = lookups.catalog_items(store, framework_year)
    try:
        with store.transaction() as cur:
            upload_id = _upload(cur, "catalog", file_name, content, len(rows), 0, now, actor)
            cur.execute("DELETE FROM ita_item WHERE framework_year = ? AND origin = 'import'", [framework_year])
            cur.register("new_items", rows)
            cur.execute("INSERT INTO ita_item BY NAME SELECT * FROM new_items")
            cur.unregister("new_items")
            append_history(cur, actor.strip(), "import_catalog", "ita_item", upload_id,
                           old={"framework_year": framework_year, "items": old.to_dict("records")},
                           new={"framework_year": framework_year, "file": file_name, "items": len(rows)}, when=now)
    finally:
        store.catalog_written()
    return len(rows)


def _upload(cur, kind, file_name, content, written, skipped, now, actor, source=None, source_date=None) -> int:
    return cur.execute(
        "INSERT INTO ita_upload (kind, file_name, sha256, content, rows_written, rows_skipped, imported_at, "
        "imported_by, source, source_date) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
        [kind, file_name, hashlib.sha256(content).hexdigest(), content, written, skipped, now,
         actor.strip(), source, source_date]).fetchone()[0]


# -- scores ----------------------------------------------------------------------------------------
@dataclass
class ScoreImport:
    written: int
    skipped: int
    organizations_years: list[tuple[int, int]]


def check_score_file(store: Store, content: bytes, file_name: str) -> ScoreCheck:
    """Read and validate a score file without writing anything."""

    try:
        table = read_table(content, file_name, HEADERS["organization"])
    except ValueError as e:
        return ScoreCheck(pd.DataFrame(), [str(e)])
    table, missing = rename_columns(table, HEADERS)
    if missing:
        named = ", ".join(f"'{name}'" for name in missing)
        return ScoreCheck(pd.DataFrame(), [f"ไม่พบคอลัมน์ {named} กรุณาใช้แบบฟอร์มของระบบ"])
    years = set()
    for value in table["framework_year"]:
        try:
            years.add(int(float(str(value).strip())))
        except ValueError:
            continue
    frameworks = {y: f for y in years if 2500 <= y <= 2700 and (f := lookups.framework(store, y)) is not None}
    check = check_scores(table, lookups.organizations(store), frameworks)
    note = marked_as_test_data(table.attrs.get("notes", []))
    if note is not None and len(check.rows):
        ids = sorted({int(i) for i in check.rows["organization_id"]})
        real = [name for name, synthetic in store.query_rows(
            "SELECT short_name, coalesce(synthetic, FALSE) FROM organization WHERE list_contains(?, id) "
            "ORDER BY short_name", [ids]) if not synthetic]
        if real:
            check.refused = (f"ไฟล์นี้ระบุว่าเป็นข้อมูลทดสอบหรือตัวอย่าง (\"{note.lstrip('# ')}\") จึงนำเข้าเป็นคะแนนของ"
                             f"หน่วยงานจริงไม่ได้: {', '.join(real)} · ใช้ไฟล์ผลการประเมินจริง หรือใช้กับหน่วยงานทดสอบเท่านั้น")
            check.problems.insert(0, check.refused)
    return check


def import_scores(store: Store, content: bytes, file_name: str, actor: str, only_good_rows: bool = False, *,
                  source: str | None = None, source_date: dt.date | None = None) -> ScoreImport:
    """Write a checked score file. Any bad row stops the import unless `only_good_rows` is chosen.

    `source` (where the file came from, e.g. ITAS or the provincial NACC office's letter) and `source_date`
    (the date of the results) are kept with the upload and shown beside every score. The scores of each
    (organization, year) in the file replace the earlier ones; those go to history.
    """
    if not (actor or "").strip():
        raise StoreError("กรุณาระบุชื่อผู้นำเข้า")
    if not (source or "").strip():
        raise StoreError("กรุณาระบุที่มาของคะแนน เช่น ระบบ ITAS (itas.nacc.go.th) หรือหนังสือแจ้งผลจาก ป.ป.ช. จังหวัด")
    if not isinstance(source_date, dt.date) or not dt.date(2007, 1, 1) <= source_date <= dt.date.today():
        raise StoreError("กรุณาระบุวันที่ของผลคะแนน (วันที่ประกาศหรือได้รับผล) ที่ไม่อยู่ในอนาคต")
    check = check_score_file(store, content, file_name)
    if check.refused or (check.problems and (not only_good_rows or check.rows.empty)):
        raise StoreError("ไม่ได้นำเข้าคะแนน ไม่มีข้อมูลใดเปลี่ยน: " + " | ".join(check.problems))
    rows = check.rows
    now = timestamp()
    pairs = sorted({(int(o), int(y)) for o, y in zip(rows["organization_id"], rows["framework_year"], strict=True)})
    for org_id, _ in pairs:
        store.access.require_write(org_id)
    try:
        with store.transaction() as cur:
            upload_id = _upload(cur, "scores", file_name, content, len(rows), len(check.bad_rows), now, actor,
                                source.strip(), source_date)
            for org_id, year in pairs:
                old = cur.execute("SELECT level, code, score::DOUBLE FROM ita_score WHERE organization_id = ? "
                                  "AND framework_year = ? ORDER BY level, code", [org_id, year]).fetchall()
                cur.execute("DELETE FROM ita_score WHERE organization_id = ? AND framework_year = ?", [org_id, year])
                part = rows[(rows["organization_id"] == org_id) & (rows["framework_year"] == year)]
                cur.executemany("INSERT INTO ita_score VALUES (?,?,?,?,?,?)",
                                [[org_id, year, r.level, r.code, r.score, upload_id] for r in part.itertuples()])
                append_history(cur, actor.strip(), "import_scores", "ita_score", upload_id,
                         old={"organization_id": org_id, "framework_year": year, "scores": old} if old else None,
                         new={"organization_id": org_id, "framework_year": year, "file": file_name,
                              "scores": [[r.level, r.code, r.score] for r in part.itertuples()],
                              "skipped_rows": check.bad_rows}, when=now)
    except duckdb.Error as e:
        raise StoreError(f"บันทึกคะแนนไม่สำเร็จ ระบบยกเลิกทั้งหมด (รายละเอียดทางเทคนิค: {e})") from e
    return ScoreImport(len(rows), len(check.bad_rows), pairs)


def set_target(store: Store, organization_id: int, framework_year: int, target: float | None, actor: str) -> None:
    """The organization's own target for a year (None = back to the pass mark)."""
    store.access.require_write(organization_id)
    if not (actor or "").strip():
        raise StoreError("กรุณาระบุชื่อผู้บันทึก")
    if target is not None and not 0 < target <= 100:
        raise StoreError("เป้าหมายต้องอยู่ระหว่าง 0 ถึง 100")
    old = lookups.target(store, organization_id, framework_year)
    now = timestamp()
    with store.transaction() as cur:
        cur.execute("DELETE FROM ita_target WHERE organization_id = ? AND framework_year = ?",
                    [organization_id, framework_year])
        if target is not None:
            cur.execute("INSERT INTO ita_target VALUES (?,?,?,?,?)",
                        [organization_id, framework_year, target, now, actor.strip()])
        append_history(cur, actor.strip(), "set_target", "ita_target", organization_id,
                 old={"framework_year": framework_year, "target": old},
                 new={"framework_year": framework_year, "target": target}, when=now)


# -- links -----------------------------------------------------------------------------------------
def decide_link(store: Store, measure_id: int, framework_year: int, code: str, confirm: bool, reason: str,
                actor: str) -> None:
    """Confirm or reject a suggested link of a measure to an ITA item; only confirmed ones count as coverage."""
    store.require_write("measure", measure_id)
    actor = clean_text(actor or "")
    reason = clean_text(reason) if isinstance(reason, str) else reason
    if not actor.strip():
        raise StoreError("กรุณาระบุชื่อผู้ยืนยัน")
    existing = store.query_rows("SELECT origin, status FROM measure_item_link WHERE measure_id = ? "
                                "AND framework_year = ? AND code = ?", [measure_id, framework_year, code])
    if existing and existing[0][0] == "document":
        raise StoreError(f"ข้อ {code} เชื่อมกับมาตรการนี้ตามเอกสารอยู่แล้ว จึงไม่ต้องยืนยัน")
    if not store.query_rows("SELECT 1 FROM measure WHERE id = ?", [measure_id]):
        raise StoreError("ไม่พบมาตรการนี้")
    status = "confirmed" if confirm else "rejected"
    now = timestamp()
    with store.transaction() as cur:
        cur.execute("DELETE FROM measure_item_link WHERE measure_id = ? AND framework_year = ? AND code = ?",
                    [measure_id, framework_year, code])
        cur.execute("INSERT INTO measure_item_link VALUES (?,?,?,'suggested',?)",
                    [measure_id, framework_year, code, status])
        cur.execute("DELETE FROM ita_link_reason WHERE measure_id = ? AND framework_year = ? AND code = ?",
                    [measure_id, framework_year, code])
        cur.execute("INSERT INTO ita_link_reason VALUES (?,?,?,?,?,?)",
                    [measure_id, framework_year, code, reason, now, actor.strip()])
        append_history(cur, actor.strip(), status, "measure_item_link", measure_id,
                 old=None if not existing else {"code": code, "status": existing[0][1]},
                 new={"framework_year": framework_year, "code": code, "status": status, "reason": reason}, when=now)
