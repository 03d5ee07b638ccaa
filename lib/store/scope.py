"""Organization scoping of every read, below the query layer.

A scoped cursor shadows each organization-owned table with a temporary view of the same name
that holds only the user's organizations' rows. Queries stay as written; whatever a page or a
direct lib call asks, it can only see what the user may see. Writes run on unscoped cursors
after an explicit Access check in the store.
"""
from __future__ import annotations

from lib.store.summaries import CHANGE, NATIONAL_CHANGE, area_rows, national_rows

# A document belongs to its organization_id and to every organization document_organization lists
# for it (an upload can hold several organizations' rows): the documents holding any of {orgs}.
_DOCUMENTS = ("(SELECT id FROM {db}.main.source_document WHERE organization_id IN ({orgs}) "
              "UNION SELECT document_id FROM {db}.main.document_organization WHERE organization_id IN ({orgs}))")
# ... and those holding only {orgs}: a kept original is shown whole only to a user who may see every
# organization whose rows it holds; to others its content reads as NULL (lib/store/uploads.py:
# visible_original shows them their own rows).
_WHOLE = ("((organization_id IS NULL OR organization_id IN ({orgs})) AND NOT EXISTS (SELECT 1 FROM "
          "{db}.main.document_organization x WHERE x.document_id = scoped_row.id AND x.organization_id NOT IN ({orgs})))")

# table -> the rows a user may see, given {orgs} (a list of ids) and {db} (the database name)
SCOPED_TABLES: dict[str, str] = {
    "organization": "id IN ({orgs})",
    "source_document": f"id IN {_DOCUMENTS}",
    "document_organization": "organization_id IN ({orgs})",
    "document_issue": f"document_id IN {_DOCUMENTS}",
    "document_dimension": f"document_id IN {_DOCUMENTS}",
    "plan_item": "organization_id IN ({orgs})",
    "measure": "organization_id IN ({orgs})",
    "measure_item_link": "measure_id IN (SELECT id FROM {db}.main.measure WHERE organization_id IN ({orgs}))",
    "progress": "(record_kind = 'plan_item' AND record_id IN (SELECT id FROM {db}.main.plan_item "
                "WHERE organization_id IN ({orgs}))) OR (record_kind = 'measure' AND record_id IN "
                "(SELECT id FROM {db}.main.measure WHERE organization_id IN ({orgs})))",
    "ita_score": "organization_id IN ({orgs})",
    "progress_latest": "organization_id IN ({orgs})",
    "record_summary": "organization_id IN ({orgs})",
    "quarter_summary": "organization_id IN ({orgs})",
    "quarter_change": "organization_id IN ({orgs})",
    "organization_quarter": "organization_id IN ({orgs})",
    "organization_change": "organization_id IN ({orgs})",
    "weak_point_summary": "organization_id IN ({orgs})",
    "ita_target": "organization_id IN ({orgs})",
    "ita_link_reason": "measure_id IN (SELECT id FROM {db}.main.measure WHERE organization_id IN ({orgs}))",
    "ita_upload": "id IN (SELECT upload_id FROM {db}.main.ita_score WHERE organization_id IN ({orgs}))",
    "history": "(table_name = 'organization' AND record_id IN ({orgs}))"
               " OR (table_name = 'plan_item' AND record_id IN (SELECT id FROM {db}.main.plan_item "
               "WHERE organization_id IN ({orgs})))"
               " OR (table_name = 'measure' AND record_id IN (SELECT id FROM {db}.main.measure "
               "WHERE organization_id IN ({orgs})))"
               f" OR (table_name = 'source_document' AND record_id IN {_DOCUMENTS})"
               " OR (table_name = 'progress' AND record_id IN (SELECT p.id FROM {db}.main.progress p "
               "WHERE (p.record_kind = 'plan_item' AND p.record_id IN (SELECT id FROM {db}.main.plan_item "
               "WHERE organization_id IN ({orgs}))) OR (p.record_kind = 'measure' AND p.record_id IN "
               "(SELECT id FROM {db}.main.measure WHERE organization_id IN ({orgs})))))",
}
# table -> its columns as a user sees them, where that is not all of them as stored
SCOPED_COLUMNS: dict[str, str] = {
    "source_document": f"* REPLACE (CASE WHEN {_WHOLE} THEN content END AS content)",
}


def install_scope(cur, organization_ids: frozenset[int]) -> None:
    """Shadow the organization-owned tables on this cursor (a connection of its own)."""
    db = '"' + cur.execute("SELECT current_database()").fetchone()[0].replace('"', '""') + '"'
    orgs = ", ".join(str(int(i)) for i in sorted(organization_ids)) or "NULL"
    existing = {r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
    for table, predicate in SCOPED_TABLES.items():
        if table in existing:
            columns = SCOPED_COLUMNS.get(table, "*").format(orgs=orgs, db=db)
            cur.execute(f'CREATE OR REPLACE TEMP VIEW "{table}" AS SELECT {columns} FROM {db}.main."{table}" AS scoped_row '
                        f"WHERE {predicate.format(orgs=orgs, db=db)}")
    # The per-province totals hold other organizations' figures: the user's are added up instead.
    for table in ("record_summary", "quarter_summary"):
        if f"area_{table}" in existing:
            cur.execute(f'CREATE OR REPLACE TEMP VIEW "area_{table}" AS ' + area_rows(
                f'{db}.main."{table}"', f"{db}.main.organization", f"WHERE s.organization_id IN ({orgs})"))
    if NATIONAL_CHANGE in existing:
        cur.execute(f'CREATE OR REPLACE TEMP VIEW "{NATIONAL_CHANGE}" AS ' + national_rows(
            f'{db}.main."{CHANGE}"', f"WHERE x.organization_id IN ({orgs})"))
