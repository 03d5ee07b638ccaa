"""python -m lib.ingest FILE... --json     print what the importers read (no database); FILE is .txt, .docx or .pdf
python -m lib.ingest FILE... --db PATH   import into that database
python -m lib.ingest --versions --db PATH          documents waiting for a choice (and replaced, kept ones)
python -m lib.ingest --replace ID --db PATH        that version is counted instead of the one it revises
python -m lib.ingest --keep ID --db PATH           both are counted (different documents)
A replaced document chosen again (--replace on it) comes back: that is the undo. Same store functions as
the documents page (Store.resolve_version), with history.
"""
from __future__ import annotations

import argparse
import json
import sys

from lib.errors import StoreError, run_cli
from lib.ingest import IngestError, read_path
from lib.ingest.organization import organization_from_name
from lib.records import STATUS_CODES, ParsedDocument, to_jsonable

_PLAN_KEYS = ("seq", "title", "dimension", "budget", "quarters")
_MEASURE_KEYS = ("title", "instrument", "item_codes", "responsible", "period_text", "start", "end", "category")


def document_json(doc: ParsedDocument) -> dict:
    def record(item, first_keys):
        full = to_jsonable(item)
        full.pop("source_excerpt", None)
        # status codes: lib.records.STATUS_CODES (done, in_progress, not_started, blocked); null when
        # the words do not say and the document carries a question for the user instead
        full["reports"] = [{"quarter": r.quarter, "status": STATUS_CODES.get(r.status), "status_label": r.status,
                            "reason": r.reason, "text": r.text} for r in getattr(item, "reports", ())]
        return {**{k: full[k] for k in first_keys}, **full}

    org = doc.organization
    return {
        "file": doc.file_name,
        "layout": doc.layout,
        "layout_label": doc.layout_label,
        "organization": org.name if org else None,
        "organization_detail": to_jsonable(org) if org else None,
        "fiscal_year": doc.fiscal_year,
        "framework_year": doc.framework_year,
        "report_round": doc.report_round,
        "period": {"text": doc.period_text, "start": to_jsonable(doc.start), "end": to_jsonable(doc.end)},
        "as_of": to_jsonable(doc.as_of),
        "encoding": doc.encoding,
        "warnings": [i.message for i in doc.issues],
        "questions": [to_jsonable(i) for i in doc.issues if i.severity == "question"],
        "dimension_names": to_jsonable(doc.dimension_names),
        "plan_items": [record(p, _PLAN_KEYS) for p in doc.plan_items],
        "measures": [record(m, _MEASURE_KEYS) for m in doc.measures],
    }


def _format_of(path: str) -> str:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return suffix if suffix in ("pdf", "docx") else "txt"


def _progress_line(path: str):
    """Page-by-page progress of a PDF on stderr (stdout stays JSON)."""
    def report(done: int, pages: int, message: str) -> None:
        print(f"{path}: {message} ({done}/{pages})", file=sys.stderr, flush=True)
    return report


_STATES = {"pending": "รอเลือก", "replaced": "ถูกแทนที่แล้ว", "kept": "เก็บทั้งสองฉบับ"}


def _versions(store) -> list[dict]:
    import pandas as pd

    from lib.queries import collect

    out = []
    for v in collect.document_versions(store).itertuples():
        try:
            diff = collect.version_diff(store, int(v.id)).as_json()
        except (IngestError, StoreError) as e:  # a document that cannot be read again still lists
            diff = {"summary": f"เทียบไม่ได้: {e}"}
        out.append({"document_id": int(v.id), "file": v.file_name, "organization": v.organization,
                    "fiscal_year": int(v.fiscal_year), "kind": v.kind, "state": v.version_state,
                    "state_label": _STATES.get(v.version_state, v.version_state),
                    "version_of": None if pd.isna(v.version_of) else int(v.version_of),
                    "diff": diff})
    return out


def _choose(store, document_id: int, choice: str, actor: str) -> dict:
    row = store.query_rows("SELECT file_name, version_state, organization_id, fiscal_year, kind "
                           "FROM source_document WHERE id = ?", [document_id])
    if not row:
        raise _Refused(f"ไม่พบเอกสารหมายเลข {document_id} (ดูรายการด้วย --versions)")
    file_name, state, org_id, fy, kind = row[0]
    counted = store.current_version(org_id, fy, kind)
    store.resolve_version(document_id, choice, actor)
    if choice == "keep":
        message = f"เก็บทั้งสองฉบับแล้ว: {file_name} (#{document_id}) นับคู่กับเอกสาร #{counted}"
    elif state == "replaced":
        message = (f"ย้อนการแทนที่แล้ว: {file_name} (#{document_id}) กลับมานับแทนเอกสาร #{counted}")
    else:
        message = (f"แทนที่ฉบับเดิมแล้ว: {file_name} (#{document_id}) นับแทนเอกสาร #{counted} "
                   f"(ย้อนกลับได้ด้วย --replace {counted})")
    return {"document_id": document_id, "choice": choice, "replaced": counted if choice == "replace" else None,
            "message": message}


class _Refused(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    return run_cli(_main, argv, "python -m lib.ingest")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.ingest",
                                     description="อ่านเอกสารมาตรการ/แผนปฏิบัติการ และนำเข้าฐานข้อมูล")
    parser.add_argument("files", nargs="*")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="พิมพ์สิ่งที่อ่านได้เป็น JSON โดยไม่แตะฐานข้อมูล")
    mode.add_argument("--db", metavar="PATH", help="นำเข้าฐานข้อมูล DuckDB ที่ระบุ")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--versions", action="store_true", help="รายการเอกสารฉบับใหม่ที่รอเลือก (ต้องใช้กับ --db)")
    choice.add_argument("--replace", type=int, metavar="ID", help="ให้เอกสาร ID นับแทนฉบับเดิม (หรือย้อนการแทนที่)")
    choice.add_argument("--keep", type=int, metavar="ID", help="เก็บทั้งสองฉบับ (เป็นคนละเอกสาร)")
    parser.add_argument("--organization", help="ชื่อเต็มของหน่วยงาน เมื่อเอกสารไม่ระบุ เช่น องค์การบริหารส่วนตำบลบ้องตี้")
    parser.add_argument("--actor", default="บรรทัดคำสั่ง", help="ชื่อผู้นำเข้าหรือผู้เลือกฉบับ (บันทึกในประวัติ)")
    args = parser.parse_args(argv)
    choosing = args.versions or args.replace is not None or args.keep is not None
    if choosing and (args.json or args.files):
        parser.error("--versions, --replace และ --keep ใช้กับ --db เท่านั้น และไม่รับชื่อไฟล์")
    if not choosing and not args.files:
        parser.error("กรุณาระบุไฟล์ที่จะอ่าน หรือ --versions / --replace ID / --keep ID กับ --db")

    if choosing:
        from lib.store import open_store

        store = open_store(args.db)
        try:
            if args.versions:
                out = {"versions": _versions(store)}
            else:
                doc_id, what = (args.replace, "replace") if args.replace is not None else (args.keep, "keep")
                out = {"chosen": _choose(store, doc_id, what, args.actor), "versions": _versions(store)}
        except (StoreError, _Refused) as e:
            print(str(e), file=sys.stderr)
            return 1
        finally:
            store.close()
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        if "chosen" in out:
            print(out["chosen"]["message"], file=sys.stderr)
        return 0

    organization = organization_from_name(args.organization) if args.organization else None
    docs, failed = [], 0
    for path in args.files:
        try:
            docs.append((path, read_path(path, organization, progress=_progress_line(path))))
        except IngestError as e:
            print(f"{path}: {e}", file=sys.stderr)
            failed += 1

    if args.json:
        json.dump({"documents": [document_json(d) for _, d in docs]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 1 if failed else 0

    from lib.store import open_store

    store = open_store(args.db)
    results = []
    try:
        for path, doc in docs:
            try:
                with open(path, "rb") as f:
                    r = store.import_document(doc, f.read(), _format_of(path), args.actor)
                results.append({"file": doc.file_name, "document_id": r.document_id, "created": r.created,
                                "organization": r.organization, "plan_items": r.plan_items,
                                "measures": r.measures, "version_of": r.version_of,
                                "diff": r.diff.as_json() if r.diff else None, "message": r.message})
                if r.version_of is not None:
                    print(f"{path}: {r.message} เลือกด้วย --replace {r.document_id} หรือ --keep {r.document_id}",
                          file=sys.stderr)
            except StoreError as e:
                print(f"{path}: {e}", file=sys.stderr)
                failed += 1
    finally:
        store.close()
    json.dump({"imported": results}, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
