"""The pages' main figures computed "the common way": records read from files into pandas and
aggregated in pandas on every rerun, to compare with the dashboard (DuckDB aggregates, cached reads).

Files: for the default database, the five seed .txt files re-parsed by lib.ingest; for a large
database, CSV exports of its tables (made once by `export`).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from lib import progress as rules
from lib.records import STATUS_BLOCKED, STATUS_DONE
from lib.store import SEEDS_DIR, Store
from lib.thai import quarter_bounds

EXPORTS = {
    "organization": "SELECT id, short_name, name, kind, district, province FROM organization",
    "source_document": "SELECT id, file_name, layout_label, organization_id, fiscal_year, imported_at, imported_by "
                       "FROM source_document",
    "plan_item": "SELECT id, organization_id, fiscal_year, seq, title, dimension, budget::DOUBLE AS budget, "
                 "array_to_string(quarters, '|') AS quarters, responsible, document_id FROM plan_item",
    "measure": "SELECT id, organization_id, fiscal_year, seq, title, instrument, array_to_string(quarters, '|') "
               "AS quarters, responsible, document_id FROM measure",
    "measure_item_link": "SELECT * FROM measure_item_link",
    "progress": "SELECT id, record_kind, record_id, fiscal_year, quarter, status, reason, spent::DOUBLE AS spent, "
                "reported_at FROM progress",
    "ita_score": "SELECT organization_id, framework_year, level, code, score::DOUBLE AS score FROM ita_score",
    "ita_item": "SELECT framework_year, code, instrument, indicator FROM ita_item_active",
}
# which files each page's figures need
PAGE_TABLES = {
    "overview": ("organization", "plan_item", "measure", "progress"),
    "progress": ("organization", "plan_item", "measure", "progress"),
    "budget": ("organization", "plan_item", "progress"),
    "records": ("organization", "plan_item", "measure", "progress", "measure_item_link"),
    "documents": ("organization", "source_document", "plan_item", "measure"),
    "ita_gap": ("organization", "ita_score", "ita_item"),
}


def export(store: Store, folder: Path) -> dict[str, float]:
    """Write each table as CSV once; returns MB per file."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, sql in EXPORTS.items():
        path = folder / f"{name}.csv"
        with store.cursor() as cur:
            cur.execute(f"COPY ({sql}) TO '{path}' (HEADER, DELIMITER ',')")
        sizes[name] = path.stat().st_size / 1e6
    return sizes


def read_csv_tables(folder: Path, names) -> dict[str, pd.DataFrame]:
    frames = {n: pd.read_csv(folder / f"{n}.csv") for n in names}
    for name in ("plan_item", "measure"):
        if name in frames:
            frames[name]["quarters"] = frames[name]["quarters"].fillna("").astype(str).map(
                lambda s: [int(q) for q in s.split("|") if q])
    if "progress" in frames:
        frames["progress"]["reported_at"] = pd.to_datetime(frames["progress"]["reported_at"])
    return frames


def read_seed_tables(names) -> dict[str, pd.DataFrame]:
    """The five seed documents parsed again (what an app without a database does on every rerun)."""
    from lib.ingest import read_path
    from lib.ingest.results import reported_at as filed_at

    orgs, docs, items, measures, links, reports = [], [], [], [], [], []
    now = dt.datetime.now()
    for doc_id, path in enumerate(sorted(SEEDS_DIR.glob("*.txt")), start=1):
        doc = read_path(path)
        reported_at = filed_at(doc, now)
        org_names = [o["name"] for o in orgs]
        if doc.organization.name not in org_names:
            orgs.append({"id": len(orgs) + 1, "short_name": doc.organization.short_name, "name": doc.organization.name,
                         "kind": doc.organization.kind, "district": doc.organization.district,
                         "province": doc.organization.province})
        org_id = next(o["id"] for o in orgs if o["name"] == doc.organization.name)
        docs.append({"id": doc_id, "file_name": path.name, "layout_label": doc.layout_label, "organization_id": org_id,
                     "fiscal_year": doc.fiscal_year})
        for p in doc.plan_items:
            items.append({"id": len(items) + 1, "organization_id": org_id, "fiscal_year": doc.fiscal_year,
                          "seq": p.seq, "title": p.title, "dimension": p.dimension, "budget": p.budget,
                          "quarters": list(p.quarters), "responsible": p.responsible, "document_id": doc_id})
        for m in doc.measures:
            measures.append({"id": len(measures) + 1, "organization_id": org_id, "fiscal_year": doc.fiscal_year,
                             "seq": m.seq, "title": m.title, "instrument": m.instrument, "quarters": list(m.quarters),
                             "responsible": m.responsible, "document_id": doc_id})
            links += [{"measure_id": len(measures), "framework_year": doc.framework_year, "code": c,
                       "origin": "document", "status": "as_read"} for c in m.item_codes]
            # a results document's stated progress (the store writes the same, marked from the document)
            reports += [{"id": len(reports) + k + 1, "record_kind": "measure", "record_id": len(measures),
                         "fiscal_year": doc.fiscal_year, "quarter": r.quarter, "status": r.status,
                         "reason": r.reason, "spent": None, "reported_at": reported_at}
                        for k, r in enumerate(x for x in m.reports if x.status is not None)]
    frames = {"organization": pd.DataFrame(orgs), "source_document": pd.DataFrame(docs),
              "plan_item": pd.DataFrame(items), "measure": pd.DataFrame(measures),
              "measure_item_link": pd.DataFrame(links, columns=["measure_id", "framework_year", "code", "origin",
                                                                "status"]),
              "progress": pd.DataFrame(reports, columns=["id", "record_kind", "record_id", "fiscal_year", "quarter",
                                                         "status", "reason", "spent", "reported_at"]),
              "ita_score": pd.DataFrame(columns=["organization_id", "framework_year", "level", "code", "score"]),
              "ita_item": pd.DataFrame(columns=["framework_year", "code", "instrument", "indicator"])}
    frames["progress"]["reported_at"] = pd.to_datetime(frames["progress"]["reported_at"])
    return {n: frames[n] for n in names}


# -- the figures, in pandas -------------------------------------------------------------------------
def _records(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [f["plan_item"].assign(kind="plan_item", group=f["plan_item"]["dimension"].astype(str))]
    if "measure" in f:
        parts.append(f["measure"].assign(kind="measure", group=f["measure"]["instrument"].fillna("none"), budget=0.0))
    rec = pd.concat(parts, ignore_index=True)
    names = f["organization"].set_index("id")["short_name"]
    return rec.assign(organization=rec["organization_id"].map(names),
                      responsible=rec["responsible"].fillna("ไม่ระบุผู้รับผิดชอบ"))


def _latest(f, as_of: dt.date) -> pd.DataFrame:
    p = f["progress"]
    p = p[p["reported_at"] < pd.Timestamp(rules.reports_cutoff(as_of))]
    p = p.sort_values(["reported_at", "id"]).drop_duplicates(["record_kind", "record_id", "quarter"], keep="last")
    return p.drop(columns="id").rename(columns={"record_kind": "kind", "record_id": "id"})


def _planned(rec: pd.DataFrame, latest: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    planned = rec[["kind", "id", "organization", "fiscal_year", "group", "responsible", "title", "quarters"]]
    planned = planned.explode("quarters").dropna(subset=["quarters"]).rename(columns={"quarters": "quarter"})
    planned["quarter"] = planned["quarter"].astype(int)
    ends = {(y, q): quarter_bounds(int(y), q)[1] for y in planned["fiscal_year"].unique() for q in (1, 2, 3, 4)}
    planned["quarter_end"] = [ends[k] for k in zip(planned["fiscal_year"], planned["quarter"], strict=True)]
    planned = planned.merge(latest[["kind", "id", "quarter", "status", "spent"]], on=["kind", "id", "quarter"],
                            how="left")
    planned["ended"] = planned["quarter_end"] < as_of
    planned["done"] = planned["status"] == STATUS_DONE
    planned["reported"] = planned["status"].notna()
    planned["overdue"] = planned["ended"] & ~planned["done"]
    return planned


def overview(f, as_of):
    rec, latest = _records(f), _latest(f, as_of)
    planned = _planned(rec, latest, as_of)
    kpis = {"plan_items": int((rec["kind"] == "plan_item").sum()), "measures": int((rec["kind"] == "measure").sum()),
            "budget": float(rec.loc[rec["kind"] == "plan_item", "budget"].sum()),
            "planned_ended": int(planned["ended"].sum()), "done_ended": int((planned["ended"] & planned["done"]).sum())}
    by_quarter = planned.groupby(["fiscal_year", "quarter"])[["reported", "done", "overdue"]].sum()
    budget = rec[rec["kind"] == "plan_item"].groupby("group")["budget"].agg(["count", "sum"])
    blocked = planned[planned["status"] == STATUS_BLOCKED].head(10)
    overdue = (planned[planned["overdue"]].groupby(["kind", "id", "organization", "title"])["quarter_end"].min()
               .sort_values().head(10))
    return kpis, by_quarter, budget, blocked, overdue


def progress_page(f, as_of):
    planned = _planned(_records(f), _latest(f, as_of), as_of)
    cols = ["reported", "done", "overdue"]
    return (planned.groupby(["fiscal_year", "quarter"])[cols].sum(), planned.groupby(["kind", "group"])[cols].sum(),
            planned.groupby("responsible")[cols].sum().sort_values("overdue", ascending=False))


def budget_page(f, as_of):
    items = _records(f)
    latest = _latest(f, as_of)
    spent = latest[latest["kind"] == "plan_item"].groupby("id")["spent"].sum()
    items = items.assign(spent=items["id"].map(spent).fillna(0))
    return (items.groupby("group")[["budget", "spent"]].sum(),
            items.groupby(["organization", "responsible"])[["budget", "spent"]].sum().sort_values("budget"),
            items.groupby(["fiscal_year", "group"])[["budget", "spent"]].sum())


def records_page(f, as_of, limit=500):
    rec, latest = _records(f), _latest(f, as_of)
    state = latest.sort_values("quarter").drop_duplicates(["kind", "id"], keep="last")[["kind", "id", "status"]]
    links = f["measure_item_link"]
    codes = links[links["status"].isin(["as_read", "confirmed"])].groupby("measure_id")["code"].agg(sorted)
    rec = rec.merge(state, on=["kind", "id"], how="left")
    rec["item_codes"] = rec["id"].map(codes).where(rec["kind"] == "measure")
    out = []
    for kind in ("plan_item", "measure"):
        part = rec[rec["kind"] == kind].sort_values(["organization", "fiscal_year", "seq"])
        out.append(part.head(limit))
    return out


def documents_page(f, as_of):
    docs = f["source_document"]
    plan = f["plan_item"].groupby("document_id").size()
    meas = f["measure"].groupby("document_id").size()
    names = f["organization"].set_index("id")["short_name"]
    return docs.assign(organization=docs["organization_id"].map(names), plan_items=docs["id"].map(plan).fillna(0),
                       measures=docs["id"].map(meas).fillna(0)).sort_values("file_name")


def ita_gap_page(f, as_of):
    scores = f["ita_score"]
    if scores.empty:
        return scores
    year = scores["framework_year"].max()
    items = f["ita_item"]
    list_year = items.loc[items["framework_year"] <= year, "framework_year"].max()
    part = scores[(scores["framework_year"] == year) & (scores["level"] == "item")].merge(
        items[items["framework_year"] == list_year][["code", "instrument", "indicator"]], on="code")
    indicators = part.groupby(["organization_id", "instrument", "indicator"])["score"].mean().reset_index()
    instruments = indicators.groupby(["organization_id", "instrument"])["score"].mean().unstack()
    total = instruments["IIT"] * 0.3 + instruments["EIT"] * 0.3 + instruments["OIT"] * 0.4
    return indicators.pivot_table(index="organization_id", columns="indicator", values="score").assign(total=total)


PAGES = {"overview": overview, "progress": progress_page, "budget": budget_page, "records": records_page,
         "documents": documents_page, "ita_gap": ita_gap_page}
