"""Reads of the collection pages: templates filled from the store, progress history, record versions."""
from __future__ import annotations

import json

import pandas as pd

from lib.errors import StoreError
from lib.ingest.templates import build_workbook
from lib.ingest.versions import VersionDiff, compare
from lib.store import uploads
from lib.store.db import Store
from lib.store.uploads import FIELD_LABELS
from lib.thai import quarter_bounds


def template_workbook(store, name: str) -> bytes:
    """A blank template with the store's organizations in its drop-down."""
    return build_workbook(name, uploads.template_lists(store),
                          dimension_names=[n for _, n in uploads.dimension_names(store)])


def export_workbook(store, name: str) -> bytes:
    """Every stored record of the template, written into it (imports back unchanged)."""
    return build_workbook(name, uploads.template_lists(store), uploads.current_rows(store, name),
                          [n for _, n in uploads.dimension_names(store)])


def progress_history(store: Store, kind: str, record_id: int) -> pd.DataFrame:
    """Every progress report of one record, oldest first, with 'late' and 'current' derived."""
    df = store.query_df(
        "SELECT id, fiscal_year, quarter, status, reason, spent::DOUBLE AS spent, note, evidence_url, "
        " reported_at, reported_by, coalesce(from_document, FALSE) AS from_document, document_id "
        "FROM progress WHERE record_kind = ? AND record_id = ? "
        "ORDER BY reported_at, id", [kind, record_id])
    if df.empty:
        return df.assign(late=pd.Series(dtype=bool), current=pd.Series(dtype=bool))
    # a results document reports its whole round at once, so its reports are never "late"
    df["late"] = [not doc and quarter_bounds(int(fy), int(q))[1] < pd.Timestamp(at).date()
                  for fy, q, at, doc in zip(df["fiscal_year"], df["quarter"], df["reported_at"], df["from_document"],
                                            strict=True)]
    last = df.groupby("quarter").tail(1).index  # ordered by reported_at, id: the last one is current
    df["current"] = df.index.isin(last)
    return df


# history.action as the history tables show it (the stored codes are English)
ACTION_LABELS = {"import": "นำเข้า", "update": "แก้ไข", "restore": "ย้อนกลับ", "report": "รายงานผล",
                 "confirm": "ยืนยัน", "create": "สร้าง", "answer": "ตอบคำถาม", "withdraw": "ถอนรายงาน",
                 "withdraw_answer": "ถอนคำตอบ"}
# a report without a status (a status answer withdrawn): the quarter counts as not reported
WITHDRAWN = "ถอนรายงานแล้ว (ไม่นับ)"


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def record_versions(store: Store, kind: str, record_id: int) -> pd.DataFrame:
    """History rows of one plan item or measure, oldest first, each with a Thai summary."""
    df = store.query_df(
        "SELECT id, changed_at, actor, action, old_value, new_value FROM history "
        "WHERE table_name = ? AND record_id = ? ORDER BY id", [kind, record_id])
    df["summary"] = [_summary(a, o, n) for a, o, n in zip(df["action"], df["old_value"], df["new_value"], strict=True)]
    return df


def _summary(action: str, old: str | None, new: str | None) -> str:
    if action == "import":
        return "นำเข้าจากเอกสาร"
    old_v, new_v = json.loads(old or "{}"), json.loads(new or "{}")
    parts = [f"{FIELD_LABELS.get(k, k)}: {_short(old_v.get(k))} → {_short(v)}"
             for k, v in new_v.items() if not k.startswith("_")]
    prefix = f"ย้อนกลับเป็นฉบับ #{new_v['_restored_from']} · " if "_restored_from" in new_v else ""
    return prefix + "; ".join(parts)


def _short(value) -> str:
    if value is None or value == [] or value == "":
        return "(ว่าง)"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def source_labels(history: pd.DataFrame) -> pd.Series:
    """Where each report of progress_history came from: a results document's report waits for a user
    only while it is the quarter's current one (once confirmed or corrected it is history), and a
    user's report filed from a document (a confirmation, an answer) says so."""
    return pd.Series([("ตามเอกสาร (รอยืนยัน)" if current else "ตามเอกสาร") if doc
                      else "ผู้ใช้ (ตามเอกสาร)" if pd.notna(doc_id) else "ผู้ใช้รายงาน"
                      for doc, current, doc_id in zip(history["from_document"], history["current"],
                                                      history["document_id"], strict=True)],
                     index=history.index, dtype=object)


def document_versions(store: Store, organization_id: int | None = None, fiscal_year: int | None = None) -> pd.DataFrame:
    """Documents that are versions of one another and not simply counted: pending a choice, replaced, kept."""
    return store.query_df(
        "SELECT d.id, d.file_name, o.short_name AS organization, d.fiscal_year, d.kind, d.version_state, "
        " d.version_of, d.imported_at, d.imported_by FROM source_document d "
        "LEFT JOIN organization o ON o.id = d.organization_id "
        "WHERE d.version_state IS NOT NULL AND (? IS NULL OR d.organization_id = ?) AND (? IS NULL OR d.fiscal_year = ?) "
        "ORDER BY d.version_state = 'pending' DESC, d.id DESC LIMIT 200",
        [organization_id, organization_id, fiscal_year, fiscal_year])


def version_diff(store: Store, document_id: int) -> VersionDiff:
    """What a version adds, removes and changes against the counted document of its organization,
    fiscal year and kind (both read again from their original bytes)."""
    row = store.query_rows("SELECT organization_id, fiscal_year, kind, version_of FROM source_document WHERE id = ?",
                           [document_id])
    if not row:
        raise StoreError("ไม่พบเอกสารที่ต้องการ")
    org_id, fy, kind, version_of = row[0]
    other = store.current_version(org_id, fy, kind)
    if other is None or other == document_id:
        other = version_of
    return compare(store.parsed_document(other), store.parsed_document(document_id))
