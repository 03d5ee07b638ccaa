"""Writes of collected records: template uploads, record updates, progress, undo.

An upload is first compared with the database (preview: added / changed old -> new /
unchanged, and every bad row with its Excel row number); only a confirmed preview is
committed, in one transaction, together with the uploaded file as a source document. Every
change appends `history`; undo restores an earlier version as a new change.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from lib.ingest import IngestError
from lib.ingest.safety import dangerous_content
from lib.ingest.tabular import Table, read_table
from lib.ingest.templates import (
    KIND_LABELS,
    TEMPLATES,
    Template,
    drop_down_values,
    missing_headers,
    read_cells,
    read_row,
)
from lib.records import STATUS_BLOCKED
from lib.store.db import Store, StoreError
from lib.store.history import timestamp
from lib.thai import clean_text

KEY_FIELDS = ("organization", "fiscal_year", "seq")
TABLE_OF = {"plan_items": "plan_item", "measures": "measure"}
KIND_OF_LABEL = {label: kind for kind, label in KIND_LABELS.items()}
LINK_FIELDS = ("item_codes", "framework_year")  # measure fields kept in measure_item_link
FIELD_LABELS = {c.key: c.header for t in TEMPLATES.values() for c in t.columns} | {"quarters": "ไตรมาส"}
_ACTIVE_LINK = "l.status IN ('as_read', 'confirmed')"



@dataclass
class RowResult:
    row: int  # as Excel shows it (header = 1)
    label: str  # the record, for people: "อบต.ตะโก 2569 ลำดับ 3"
    values: dict
    record_id: int | None = None
    changes: dict = field(default_factory=dict)  # field -> (old, new)


@dataclass
class Preview:
    template: Template
    file_name: str
    content: bytes
    fmt: str
    encoding: str | None
    added: list[RowResult] = field(default_factory=list)
    changed: list[RowResult] = field(default_factory=list)
    unchanged: list[RowResult] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, Thai message)
    already_imported: bool = False  # these exact bytes were imported before

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def signature(self) -> tuple:
        """What a commit would write; a commit refuses if this moved since the user confirmed."""
        return (tuple((r.row, r.record_id) for r in self.added),
                tuple((r.row, r.record_id, tuple(sorted((k, repr(v)) for k, v in r.changes.items())))
                      for r in self.changed))


@dataclass(frozen=True)
class CommitResult:
    document_id: int | None
    added: int
    changed: int


# -- comparing values --------------------------------------------------------------------

def _norm(value):
    """The value two sides are compared by: blank text is empty, lists are tuples."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        return value or None
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if value is not None and hasattr(value, "item"):  # numpy scalars
        return _norm(value.item())
    return value


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _dump(values: dict) -> str:
    return json.dumps({k: _jsonable(v) for k, v in values.items()}, ensure_ascii=False, default=str)


def record_fields(name: str) -> tuple[str, ...]:
    """Fields of a record the template carries (keys excluded; q1-q4 are one field 'quarters')."""
    out = []
    for column in TEMPLATES[name].columns:
        if column.key in KEY_FIELDS or column.kind == "info":
            continue
        key = "quarters" if column.kind == "check" else column.key
        if key not in out:
            out.append(key)
    return tuple(out)


# -- reads -----------------------------------------------------------------------------

def organization_names(store: Store) -> tuple[list[str], dict[str, list[int]]]:
    """Full names for the drop-down, and every full or short name -> organization ids."""
    rows = store.query_rows("SELECT id, name, short_name FROM organization ORDER BY name")
    lookup: dict[str, list[int]] = {}
    for org_id, name, short in rows:
        for key in {name.replace(" ", ""), short.replace(" ", "")}:
            lookup.setdefault(key, []).append(org_id)
    return [name for _, name, _ in rows], lookup


def dimension_names(store: Store) -> list[tuple[int, str]]:
    rows = store.query_rows("SELECT dimension, name, first_fiscal_year, last_fiscal_year FROM plan_dimension "
                            "ORDER BY first_fiscal_year DESC, dimension")
    return [(d, f"มิติ {d} {n} (ปีงบประมาณ {a}-{b})") for d, n, a, b in rows]


def template_lists(store: Store) -> dict[str, list]:
    names, _ = organization_names(store)
    dims = sorted({d for d, _ in dimension_names(store)})
    return drop_down_values(names, [(d, "") for d in dims])


def current_rows(store: Store, name: str) -> list[dict]:
    """Every stored record of a template as template fields (+ 'id'), in template order."""
    if name == "plan_items":
        cols = ", ".join(f"p.{f}" for f in record_fields(name))
        records = _records(store,
            f"SELECT p.id, o.name AS organization, p.fiscal_year, p.seq, {cols} FROM plan_item p "
            "JOIN organization o ON o.id = p.organization_id ORDER BY o.name, p.fiscal_year, p.seq")
    elif name == "measures":
        cols = ", ".join(f"m.{f}" for f in record_fields(name) if f not in LINK_FIELDS)
        records = _records(store,
            f"SELECT m.id, o.name AS organization, m.fiscal_year, m.seq, {cols}, "
            f" coalesce((SELECT list(l.code ORDER BY l.code) FROM measure_item_link l "
            f"           WHERE l.measure_id = m.id AND {_ACTIVE_LINK}), []) AS item_codes, "
            f" (SELECT min(l.framework_year) FROM measure_item_link l "
            f"  WHERE l.measure_id = m.id AND {_ACTIVE_LINK}) AS framework_year "
            "FROM measure m JOIN organization o ON o.id = m.organization_id ORDER BY o.name, m.fiscal_year, m.seq")
    else:
        records = _records(store,
            "SELECT g.id, o.name AS organization, g.fiscal_year, g.record_kind, r.seq, r.title AS record_title, "
            " g.quarter, g.status, g.reason, g.spent, g.note, g.evidence_url, g.reported_at, g.reported_by "
            "FROM progress g JOIN (SELECT 'plan_item' AS kind, id, organization_id, seq, title FROM plan_item "
            "  UNION ALL SELECT 'measure', id, organization_id, seq, title FROM measure) r "
            " ON r.kind = g.record_kind AND r.id = g.record_id "
            "JOIN organization o ON o.id = r.organization_id ORDER BY g.id")
    rows = []
    for record in records:
        if "quarters" in record:
            record["quarters"] = tuple(record["quarters"])
            record.update({f"q{q}": q in record["quarters"] for q in (1, 2, 3, 4)})
        for key in ("links", "item_codes"):
            if key in record:
                record[key] = tuple(record[key])
        if "record_kind" in record:
            record["record_kind"] = KIND_LABELS[record["record_kind"]]
        rows.append(record)
    return rows


def _records(store: Store, sql: str, params: list | tuple = ()) -> list[dict]:
    """Rows as dicts of Python values (dates, Decimal, lists), as DuckDB returns them."""
    with store.cursor() as cur:
        cur.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def visible_original(store: Store, document_id: int) -> tuple[str, bytes, bool]:
    """A kept original as the user may see it: (file name, bytes, whether they are text to show as is).
    An upload is shown as its rows; one that also holds rows of organizations the user may not see
    (its content reads as NULL through their scope, lib/store/scope.py) only with the rows of their
    own organizations, under a Thai note; any other such document as a Thai note."""
    rows = store.query_rows("SELECT file_name, content, layout FROM source_document WHERE id = ?", [document_id])
    if not rows:
        raise StoreError(f"ไม่พบเอกสาร #{document_id} หรือคุณไม่มีสิทธิ์ดูเอกสารนี้ "
                         "(เลือกเอกสารจากรายการในหน้าเอกสารที่นำเข้า)")
    name, content, layout = rows[0]
    template = TEMPLATES.get(layout.removeprefix("template_"))
    note = "ต้นฉบับนี้มีข้อมูลของหน่วยงานที่คุณไม่มีสิทธิ์ดูรวมอยู่ด้วย จึงแสดงทั้งฉบับไม่ได้"
    if template is None:
        if content is None:
            return name, (note + " (ขอดูทั้งฉบับได้จากผู้ดูแลระบบ)").encode("utf-8"), True
        return name, bytes(content), False
    whole = content is not None
    kept = bytes(content) if whole else bytes(
        store._raw_rows("SELECT content FROM source_document WHERE id = ?", [document_id])[0][0])
    try:
        table = read_upload(kept, name, template.name)
    except IngestError:
        if whole:
            return name, kept, False
        return name, (note + " (ขอดูทั้งฉบับได้จากผู้ดูแลระบบ)").encode("utf-8"), True
    shown = table.rows
    if not whole:
        lists = template_lists(store)
        _, lookup = organization_names(store)  # through the user's scope: only their organizations
        shown = [(row_no, raw) for row_no, raw in table.rows
                 if (read_row(template, raw, lists)[0].get("organization") or "").replace(" ", "") in lookup]
    lines = [f"{note}: แสดงเฉพาะ {len(shown)} แถวของหน่วยงานที่คุณมีสิทธิ์ดู" if not whole
             else f"{template.layout_label} · {len(shown)} แถว", "", "\t".join(["แถวที่", *table.headers])]
    lines += ["\t".join([str(row_no), *("" if raw.get(h) is None else str(raw.get(h)) for h in table.headers)])
              for row_no, raw in shown]
    return name, "\n".join(lines).encode("utf-8"), True


# -- preview of an upload ----------------------------------------------------------------

def read_upload(data: bytes, file_name: str, template_name: str) -> Table:
    template = TEMPLATES[template_name]
    sheet = template.sheet if file_name.lower().endswith(".xlsx") else None
    try:
        table = read_table(data, file_name, sheet)
    except IngestError:
        if sheet is None:
            raise
        table = read_table(data, file_name)  # a workbook of its own: its first sheet
    missing = missing_headers(template, table.headers)
    if missing:
        raise IngestError(f"ไฟล์ {file_name} ไม่ใช่แบบฟอร์ม '{template.title}': ไม่พบหัวตาราง "
                          + ", ".join(f"'{h}'" for h in missing) + " ในแถวที่ 1 (ดาวน์โหลดแบบฟอร์มจากหน้านี้)")
    return table


def preview_upload(store: Store, data: bytes, file_name: str, template_name: str) -> Preview:
    """Compare an uploaded template with the database; writes nothing."""
    template = TEMPLATES[template_name]
    table = read_upload(data, file_name, template_name)
    fmt = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
    preview = Preview(template, file_name, data, fmt, table.encoding)
    if not table.rows:
        raise IngestError(f"ไฟล์ {file_name} ไม่มีข้อมูล (มีแต่หัวตาราง)")
    lists = template_lists(store)
    _, org_lookup = organization_names(store)
    orgs = dict(store.query_rows("SELECT id, short_name FROM organization"))
    current = {(r["organization"], r["fiscal_year"], r["seq"]): r for r in current_rows(store, template_name)} \
        if template_name != "progress" else {}
    org_name = dict(store.query_rows("SELECT id, name FROM organization"))
    seen: dict[tuple, int] = {}
    for row_no, raw in table.rows:
        values, problems = read_row(template, raw, lists)
        problems += [f"คอลัมน์ '{header}': {danger.split(': ', 1)[-1]} ระบบไม่รับข้อความที่เป็นโค้ด"
                     for header, value in raw.items() if isinstance(value, str)
                     for danger in dangerous_content(value)]
        org_id = None
        if values.get("organization"):
            ids = org_lookup.get(values["organization"].replace(" ", ""), [])
            if not ids:
                problems.insert(0, f"ไม่พบหน่วยงาน '{values['organization']}' ในระบบ "
                                   "(ใช้ชื่อเต็มหรือชื่อย่อตามรายการให้เลือก)")
            elif len(ids) > 1:
                problems.insert(0, f"ชื่อหน่วยงาน '{values['organization']}' ตรงกับหลายหน่วยงาน กรุณาใช้ชื่อเต็ม")
            else:
                org_id = ids[0]
        fy = values.get("fiscal_year")
        if fy is not None and not 2400 <= fy <= 2700:
            problems.append(f"ปีงบประมาณ {fy} ไม่ใช่ปี พ.ศ. ที่ถูกต้อง")
        label = f"{orgs.get(org_id, values.get('organization') or '?')} ปี {fy} ลำดับ {values.get('seq')}"
        if problems:
            preview.problems.extend((row_no, p) for p in problems)
            continue
        values["organization_id"] = org_id
        if template_name == "progress":
            _preview_progress(store, preview, row_no, label, values)
            continue
        key = (org_id, fy, values["seq"])
        if key in seen:
            preview.problems.append((row_no, f"ซ้ำกับแถวที่ {seen[key]} (หน่วยงาน ปีงบประมาณ และลำดับเดียวกัน)"))
            continue
        seen[key] = row_no
        if template_name == "measures" and values["item_codes"] and values["framework_year"] is None:
            preview.problems.append((row_no, "มีรหัสข้อคำถาม ITA แต่ไม่ได้ระบุ 'ปีผลการประเมิน ITA ของรหัสข้อ'"))
            continue
        stored = current.get((org_name[org_id], fy, values["seq"]))
        if stored is None:
            preview.added.append(RowResult(row_no, label, values))
            continue
        changes = {f: (stored[f], values[f]) for f in record_fields(template_name)
                   if _norm(stored[f]) != _norm(values[f])}
        if template_name == "measures" and not values["item_codes"] and not stored["item_codes"]:
            changes.pop("framework_year", None)  # a year of no codes is no change
        result = RowResult(row_no, label, values, stored["id"], changes)
        (preview.changed if changes else preview.unchanged).append(result)
    preview.already_imported = bool(store.query_rows("SELECT 1 FROM source_document WHERE sha256 = ?",
                                                     [preview.sha256]))
    if preview.already_imported and template_name == "progress":
        # reports are appended, so the same file again would file them twice
        preview.unchanged += preview.added
        preview.added = []
    return preview


def _preview_progress(store: Store, preview: Preview, row_no: int, label: str, values: dict) -> None:
    kind = KIND_OF_LABEL[values["record_kind"]]
    found = store.query_rows(f"SELECT id FROM {kind} WHERE organization_id = ? AND fiscal_year = ? AND seq = ?",
                             [values["organization_id"], values["fiscal_year"], values["seq"]])
    if not found:
        preview.problems.append((row_no, f"ไม่พบ{values['record_kind']} {label} ในระบบ"))
        return
    record_id = found[0][0]
    if values["reason"] and values["status"] != STATUS_BLOCKED:
        preview.problems.append((row_no, f"ระบุเหตุผลได้เฉพาะสถานะ '{STATUS_BLOCKED}' (สถานะในแถวนี้คือ "
                                         f"'{values['status']}')"))
        return
    try:
        checked = store.progress_values(kind, record_id, values["quarter"], values["status"],
                                        values["reported_by"] or "ผู้นำเข้า", values["reason"], values["spent"],
                                        values["note"], values["evidence_url"], values["reported_at"])
    except StoreError as e:
        preview.problems.append((row_no, str(e).replace("บันทึกผลไม่ได้: ", "")))
        return
    same = store.query_rows(
        "SELECT id FROM progress WHERE record_kind = ? AND record_id = ? AND quarter = ? AND status = ? "
        "AND reason IS NOT DISTINCT FROM ? AND spent IS NOT DISTINCT FROM ? AND note IS NOT DISTINCT FROM ? "
        "AND evidence_url IS NOT DISTINCT FROM ? AND reported_at = ? AND (? IS NULL OR reported_by = ?)",
        [kind, record_id, checked["quarter"], checked["status"], checked["reason"], checked["spent"],
         checked["note"], checked["evidence_url"], values["reported_at"], values["reported_by"],
         values["reported_by"]]) if values["reported_at"] else []
    result = RowResult(row_no, f"{values['record_kind']} {label} ไตรมาส {values['quarter']}",
                       {**values, "record_kind": kind, "record_id": record_id}, record_id)
    (preview.unchanged if same else preview.added).append(result)


# -- commit --------------------------------------------------------------------------------

def commit_upload(store: Store, preview: Preview, actor: str) -> CommitResult:
    """Write a confirmed preview in one transaction; nothing at all when nothing differs."""
    actor = clean_text(actor or "").strip()
    if not actor:
        raise StoreError("กรุณาระบุชื่อผู้นำเข้า")
    fresh = preview_upload(store, preview.content, preview.file_name, preview.template.name)
    if fresh.problems:
        raise StoreError("ไฟล์ยังมีแถวที่ผิด จึงไม่บันทึกข้อมูลใดเลย กรุณาแก้ไขแล้วนำเข้าใหม่")
    if fresh.signature() != preview.signature():
        raise StoreError("ข้อมูลในระบบเปลี่ยนไปหลังจากตรวจไฟล์ กรุณากด 'ตรวจไฟล์' ใหม่แล้วยืนยันอีกครั้ง "
                         "(ยังไม่ได้บันทึกข้อมูลใด)")
    if not fresh.added and not fresh.changed:
        return CommitResult(None, 0, 0)
    for org_id in sorted({r.values["organization_id"] for r in fresh.added + fresh.changed}):
        store.access.require_write(org_id)
    now = timestamp()
    template = fresh.template
    with store.transaction() as cur:
        doc_id = _source_document(cur, fresh, actor, now)
        for row in fresh.added:
            if template.name == "progress":
                _add_progress(store, cur, row, actor, doc_id)
            else:
                _insert_record(cur, template.name, row, doc_id, actor, now)
        for row in fresh.changed:
            _apply_changes(cur, TABLE_OF[template.name], row.record_id,
                           {f: new for f, (_, new) in row.changes.items()},
                           {f: old for f, (old, _) in row.changes.items()}, actor, now, "update", doc_id)
    return CommitResult(doc_id, len(fresh.added), len(fresh.changed))


def _source_document(cur, preview: Preview, actor: str, now) -> int:
    """The uploaded file kept as a source document (the same bytes are stored once)."""
    found = cur.execute("SELECT id FROM source_document WHERE sha256 = ?", [preview.sha256]).fetchone()
    if found:
        return found[0]
    # the file is kept whole, so it belongs to every organization a row of it names, changed or not
    rows = preview.added + preview.changed + preview.unchanged
    orgs = sorted({r.values["organization_id"] for r in rows})
    years = {r.values["fiscal_year"] for r in rows}
    t = preview.template
    doc_id = cur.execute(
        "INSERT INTO source_document (file_name, sha256, format, layout, layout_label, kind, title, "
        "organization_id, fiscal_year, content, imported_at, imported_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
        "RETURNING id",
        [preview.file_name, preview.sha256, preview.fmt, t.layout, t.layout_label, t.kind, t.title,
         orgs[0] if len(orgs) == 1 else None, years.pop() if len(years) == 1 else None,
         preview.content, now, actor]).fetchone()[0]
    cur.executemany("INSERT INTO document_organization (document_id, organization_id) VALUES (?, ?)",
                    [[doc_id, org_id] for org_id in orgs])
    cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id) "
                "VALUES (?,?,?,?,?,?,?)",
                [now, actor, "import", "source_document", doc_id,
                 _dump({"file_name": preview.file_name, "sha256": preview.sha256, "template": t.name,
                        "added": len(preview.added), "changed": len(preview.changed),
                        "encoding": preview.encoding}), doc_id])
    return doc_id


def _insert_record(cur, name: str, row: RowResult, doc_id: int, actor: str, now) -> None:
    table = TABLE_OF[name]
    v = row.values
    fields = [f for f in record_fields(name) if f not in LINK_FIELDS]
    values = {"organization_id": v["organization_id"], "fiscal_year": v["fiscal_year"], "seq": v["seq"],
              **{f: _norm(v[f]) if not isinstance(v[f], tuple) else list(v[f]) for f in fields},
              "document_id": doc_id, "source_excerpt": f"{row.label}: แถวที่ {row.row} ของไฟล์ {table}"}
    if table == "measure":
        values["period_source"] = "row" if (v["period_text"] or v["period_start"]) else None
    record_id = cur.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))}) RETURNING id",
        list(values.values())).fetchone()[0]
    if table == "measure" and v["item_codes"]:
        _set_codes(cur, record_id, v["item_codes"], v["framework_year"])
    snapshot = cur.execute(f"SELECT to_json(t) FROM {table} t WHERE id = ?", [record_id]).fetchone()[0]
    snapshot = json.loads(snapshot)
    if table == "measure":
        snapshot.update(item_codes=list(v["item_codes"]), framework_year=v["framework_year"])
    cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value, document_id) "
                "VALUES (?,?,?,?,?,?,?)",
                [now, actor, "import", table, record_id, json.dumps(snapshot, ensure_ascii=False), doc_id])


def _set_codes(cur, measure_id: int, codes: tuple[str, ...], framework_year: int | None) -> None:
    """Make the measure's active ITA item links exactly `codes` of `framework_year`; links
    dropped are kept as 'rejected' (nothing is deleted)."""
    active = set(cur.execute(f"SELECT framework_year, code FROM measure_item_link l WHERE measure_id = ? "
                             f"AND {_ACTIVE_LINK}", [measure_id]).fetchall())
    target = {(framework_year, c) for c in codes}
    for fy, code in active - target:
        cur.execute("UPDATE measure_item_link SET status = 'rejected' WHERE measure_id = ? AND framework_year = ? "
                    "AND code = ?", [measure_id, fy, code])
    for fy, code in target - active:
        if cur.execute("SELECT 1 FROM measure_item_link WHERE measure_id = ? AND framework_year = ? AND code = ?",
                       [measure_id, fy, code]).fetchone():
            cur.execute("UPDATE measure_item_link SET status = 'confirmed' WHERE measure_id = ? "
                        "AND framework_year = ? AND code = ?", [measure_id, fy, code])
        else:
            cur.execute("INSERT INTO measure_item_link VALUES (?, ?, ?, 'document', 'as_read')",
                        [measure_id, fy, code])


def _apply_changes(cur, table: str, record_id: int, new: dict, old: dict, actor: str, now, action: str,
                   document_id: int | None, extra: dict | None = None) -> None:
    columns = {f: v for f, v in new.items() if f not in LINK_FIELDS}
    if columns:
        cur.execute(f"UPDATE {table} SET {', '.join(f + ' = ?' for f in columns)} WHERE id = ?",
                    [list(v) if isinstance(v, tuple) else _norm(v) for v in columns.values()] + [record_id])
    if table == "measure" and any(f in new for f in LINK_FIELDS):
        current = cur.execute(
            f"SELECT coalesce(list(code ORDER BY code), []), min(framework_year) FROM measure_item_link l "
            f"WHERE measure_id = ? AND {_ACTIVE_LINK}", [record_id]).fetchone()
        codes = tuple(new.get("item_codes", current[0]))
        year = new.get("framework_year", current[1])
        _set_codes(cur, record_id, codes, year)
    cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value, "
                "document_id) VALUES (?,?,?,?,?,?,?,?)",
                [now, actor, action, table, record_id, _dump(old), _dump({**new, **(extra or {})}), document_id])


def _add_progress(store: Store, cur, row: RowResult, actor: str, doc_id: int) -> None:
    v = row.values
    checked = store.progress_values(v["record_kind"], v["record_id"], v["quarter"], v["status"],
                                    v["reported_by"] or actor, v["reason"], v["spent"], v["note"],
                                    v["evidence_url"], v["reported_at"])
    Store.insert_progress(cur, checked, action="import", actor=actor, document_id=doc_id)


# -- undo ------------------------------------------------------------------------------------

def _fields_of(kind: str) -> tuple[str, ...]:
    return record_fields({"plan_item": "plan_items", "measure": "measures"}[kind])


def _typed(field_name: str, value):
    if value is None:
        return None
    if field_name in ("budget", "spent"):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if field_name in ("period_start", "period_end"):
        return dt.date.fromisoformat(str(value)[:10])
    if isinstance(value, list):
        return tuple(clean_text(v) if isinstance(v, str) else v for v in value)
    return clean_text(value) if isinstance(value, str) else value


def version_state(store: Store, kind: str, record_id: int, history_id: int) -> dict:
    """The record's fields as they were right after history row `history_id`.

    A field's value then is the new value of its last change up to that row; if it changed
    only later, the old value of its first later change; if it never changed, today's value.
    """
    rows = store.query_rows("SELECT id, old_value, new_value FROM history WHERE table_name = ? AND record_id = ? "
                            "ORDER BY id", [kind, record_id])
    if history_id not in {r[0] for r in rows}:
        raise StoreError("ไม่พบฉบับที่ต้องการย้อนกลับของรายการนี้")
    name = {"plan_item": "plan_items", "measure": "measures"}[kind]
    today = next(r for r in current_rows(store, name) if r["id"] == record_id)
    state = {}
    for f in _fields_of(kind):
        before = [json.loads(n) for i, _, n in rows if i <= history_id and n and f in json.loads(n)]
        after = [json.loads(o or "{}") for i, o, n in rows if i > history_id and n and f in json.loads(n)]
        if before:
            state[f] = _typed(f, before[-1][f])
        elif after and f in after[0]:
            state[f] = _typed(f, after[0][f])
        else:
            state[f] = today[f]
    return state


def restore_version(store: Store, kind: str, record_id: int, history_id: int, actor: str) -> int:
    """Undo: make the record as it was after `history_id`; appends a 'restore' history row."""
    store.require_write(kind, record_id)
    actor = (actor or "").strip()
    if not actor:
        raise StoreError("กรุณาระบุชื่อผู้แก้ไข")
    state = version_state(store, kind, record_id, history_id)
    name = {"plan_item": "plan_items", "measure": "measures"}[kind]
    today = next(r for r in current_rows(store, name) if r["id"] == record_id)
    changes = {f: (today[f], v) for f, v in state.items() if _norm(today[f]) != _norm(v)}
    if kind == "measure" and not state.get("item_codes") and not today["item_codes"]:
        changes.pop("framework_year", None)
    if not changes:
        raise StoreError("ข้อมูลปัจจุบันตรงกับฉบับนี้อยู่แล้ว ไม่มีอะไรต้องย้อนกลับ")
    with store.transaction() as cur:
        _apply_changes(cur, kind, record_id, {f: n for f, (_, n) in changes.items()},
                       {f: o for f, (o, _) in changes.items()}, actor, timestamp(), "restore", None,
                       {"_restored_from": history_id})
        return cur.execute("SELECT max(id) FROM history").fetchone()[0]


def update_record(store: Store, kind: str, record_id: int, new: dict, actor: str) -> int:
    """Change fields of one plan item or measure (history keeps old and new); returns changed count."""
    store.require_write(kind, record_id)
    actor = clean_text(actor or "").strip()
    if not actor:
        raise StoreError("กรุณาระบุชื่อผู้แก้ไข")
    name = {"plan_item": "plan_items", "measure": "measures"}[kind]
    today = next((r for r in current_rows(store, name) if r["id"] == record_id), None)
    if today is None:
        raise StoreError("ไม่พบรายการที่ต้องการแก้ไข")
    unknown = set(new) - set(_fields_of(kind))
    if unknown:
        raise StoreError(f"แก้ไขช่อง {', '.join(sorted(unknown))} ไม่ได้")
    new = {f: _typed(f, v) for f, v in new.items()}
    changes = {f: (today[f], v) for f, v in new.items() if _norm(today[f]) != _norm(v)}
    if changes:
        with store.transaction() as cur:
            _apply_changes(cur, kind, record_id, {f: n for f, (_, n) in changes.items()},
                           {f: o for f, (o, _) in changes.items()}, actor, timestamp(), "update", None)
    return len(changes)


EDITABLE_FIELDS = {"plan_item": ("title", "responsible", "budget", "quarters"),
                   "measure": ("title", "responsible", "quarters", "item_codes", "framework_year")}


def edit_record(store: Store, kind: str, record_id: int, cells: dict, actor: str) -> int:
    """One record edited in place (the register's detail): the cells are read and checked as an
    uploaded template row's are (types, required cells, no code or SQL), then written by
    update_record (history with old and new, undone by restore_version). Returns changed fields."""
    if kind not in EDITABLE_FIELDS or set(cells) - set(EDITABLE_FIELDS[kind]):
        raise StoreError("แก้ไขช่องนี้จากหน้าทะเบียนไม่ได้ (ใช้การนำเข้าแบบฟอร์ม)")
    template = TEMPLATES[{"plan_item": "plan_items", "measure": "measures"}[kind]]
    values, problems = read_cells(template, cells, template_lists(store))
    problems += [f"ช่อง '{key}': {danger.split(': ', 1)[-1]} ระบบไม่รับข้อความที่เป็นโค้ด"
                 for key, value in cells.items() if isinstance(value, str) for danger in dangerous_content(value)]
    if kind == "measure" and values.get("item_codes") and values.get("framework_year") is None:
        current = store.query_rows("SELECT min(framework_year) FROM measure_item_link WHERE measure_id = ?",
                                   [record_id])[0][0]
        if current is None:
            problems.append("มีรหัสข้อคำถาม ITA แต่ไม่ได้ระบุปีผลการประเมิน ITA ของรหัสข้อ")
        else:
            values["framework_year"] = current
    if problems:
        raise StoreError("บันทึกการแก้ไขไม่ได้: " + "; ".join(problems))
    return update_record(store, kind, record_id, values, actor)


def restore_progress(store: Store, progress_id: int, actor: str) -> int:
    """Undo a progress report: the earlier report `progress_id` is filed again as the current one
    (dated now, by `actor`); its history row says which report it restores."""
    store.require_write("progress", progress_id)
    actor = (actor or "").strip()
    if not actor:
        raise StoreError("กรุณาระบุชื่อผู้แก้ไข")
    values = store.refiled_values(progress_id, actor)
    with store.transaction() as cur:
        return Store.insert_refiled(cur, values, progress_id, actor)


def confirm_document_reports(store: Store, kind: str, record_id: int, actor: str) -> list[int]:
    """A user confirms what a results document said: each current report of the record that came
    from the document is filed again as the user's own (a new report in history; the document's
    report stays). To correct one instead, the user files a report with another status."""
    actor = (actor or "").strip()
    if not actor:
        raise StoreError("กรุณาระบุชื่อผู้ยืนยัน")
    rows = store.query_rows(
        "SELECT id, quarter, status, reason, spent, note, evidence_url, document_id FROM progress p "
        "WHERE record_kind = ? AND record_id = ? AND from_document AND id = (SELECT max_by(id, (reported_at, id)) "
        "FROM progress q WHERE q.record_kind = p.record_kind AND q.record_id = p.record_id AND q.quarter = p.quarter) "
        "ORDER BY quarter", [kind, record_id])
    if not rows:
        raise StoreError("รายการนี้ไม่มีรายงานจากเอกสารที่รอยืนยัน")
    checked = [(pid, doc_id, store.progress_values(kind, record_id, quarter, status, actor, reason, spent, note,
                                                   evidence_url))
               for pid, quarter, status, reason, spent, note, evidence_url, doc_id in rows]
    with store.transaction() as cur:
        return [Store.insert_progress(cur, {**values, "document_id": doc_id}, action="confirm", actor=actor,
                                      document_id=doc_id) for _, doc_id, values in checked]
