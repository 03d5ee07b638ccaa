"""Every SQL read of the app. Each returns a small DataFrame shaped for what a page shows."""
from __future__ import annotations

import pandas as pd

from lib.ingest import IngestError, decode
from lib.store.db import Store, answer_effect
from lib.store.lookups import organizations  # noqa: F401
from lib.store.uploads import visible_original

INSTRUMENT_ORDER = ("IIT", "EIT", "OIT")


def fiscal_years(store: Store, organization_id: int | None = None) -> list[int]:
    """Fiscal years that hold records (of the organization), newest first; from the kept
    summaries, which have a row per organization, year and group that has records."""
    if organization_id is None:  # the per-province totals: a few thousand rows, not one per organization
        rows = store.query_rows("SELECT DISTINCT fiscal_year FROM area_record_summary ORDER BY fiscal_year DESC")
    else:
        rows = store.query_rows("SELECT DISTINCT fiscal_year FROM record_summary WHERE organization_id = ? "
                                "ORDER BY fiscal_year DESC", [organization_id])
    return [r[0] for r in rows]


# (document_id, fiscal_year) of every document without one fiscal year (an upload spanning years):
# the records it added or changed (history names the document on both) and the progress it brought
HELD_YEARS = """undated AS (SELECT id FROM source_document WHERE fiscal_year IS NULL),
        held_years AS (  -- (equality joins: a LEFT JOIN on table_name and id was a nested loop over history)
            SELECT h.document_id, p.fiscal_year FROM history h JOIN plan_item p ON p.id = h.record_id
            WHERE h.table_name = 'plan_item' AND h.document_id IN (SELECT id FROM undated)
            UNION SELECT h.document_id, m.fiscal_year FROM history h JOIN measure m ON m.id = h.record_id
            WHERE h.table_name = 'measure' AND h.document_id IN (SELECT id FROM undated)
            UNION SELECT document_id, fiscal_year FROM progress WHERE document_id IN (SELECT id FROM undated))"""


# The documents of an organization (its own, or an upload holding rows of it) and fiscal year (their
# year, or a year an undated upload holds rows of); NULL = all. Needs HELD_YEARS; args: _chosen_args.
_CHOSEN_DOCUMENTS = """
            SELECT * FROM source_document
            WHERE (? IS NULL OR organization_id = ? OR id IN (SELECT document_id FROM document_organization
                                                               WHERE organization_id = ?))
              AND (? IS NULL OR fiscal_year = ? OR id IN (SELECT document_id FROM held_years
                                                          WHERE fiscal_year = ?))"""


def _chosen_args(organization_id: int | None, fiscal_year: int | None) -> list:
    return [organization_id] * 3 + [fiscal_year] * 3


def documents(store: Store, organization_id: int | None = None, fiscal_year: int | None = None,
              limit: int = 200) -> pd.DataFrame:
    """Imported documents (of an organization and year, when given) with their record and issue
    counts, by file name; at most `limit` rows, each carrying the total number that matched.
    A document without one fiscal year (an upload spanning years) is listed under each year it holds
    rows of, and `years` names them."""
    return store.query_df(
        """
        WITH """ + HELD_YEARS + """,
        chosen AS (""" + _CHOSEN_DOCUMENTS + """),
        page AS (  -- the rows shown, ranked and cut before anything is counted per document
            SELECT *, count(*) OVER () AS matched FROM chosen ORDER BY file_name, id LIMIT ?),
        years AS (SELECT document_id, string_agg(DISTINCT fiscal_year::VARCHAR, ', ' ORDER BY fiscal_year::VARCHAR)
                                      AS years
                  FROM held_years WHERE fiscal_year IS NOT NULL
                    AND document_id IN (SELECT id FROM page) GROUP BY document_id),
        held AS (SELECT id AS document_id, organization_id FROM page WHERE organization_id IS NOT NULL
                 UNION SELECT document_id, organization_id FROM document_organization
                 WHERE document_id IN (SELECT id FROM page)),
        names AS (SELECT h.document_id, string_agg(o.short_name, ', ' ORDER BY o.short_name) AS organization
                  FROM held h JOIN organization o ON o.id = h.organization_id GROUP BY ALL),
        plans AS (SELECT document_id, count(*) AS n FROM plan_item
                  WHERE document_id IN (SELECT id FROM page) GROUP BY ALL),
        measures AS (SELECT document_id, count(*) AS n FROM measure
                     WHERE document_id IN (SELECT id FROM page) GROUP BY ALL),
        issues AS (SELECT document_id, count(*) FILTER (severity = 'warning') AS warnings,
                          count(*) FILTER (severity = 'question' AND answer IS NULL) AS open_questions
                   FROM document_issue WHERE document_id IN (SELECT id FROM page) GROUP BY ALL)
        SELECT d.id, d.file_name, d.layout_label, n.organization, d.fiscal_year, y.years,
               d.report_round, d.imported_at, d.imported_by, d.version_state,
               coalesce(p.n, 0) AS plan_items, coalesce(m.n, 0) AS measures,
               coalesce(i.warnings, 0) AS warnings, coalesce(i.open_questions, 0) AS open_questions, d.matched
        FROM page d LEFT JOIN names n ON n.document_id = d.id
        LEFT JOIN plans p ON p.document_id = d.id LEFT JOIN measures m ON m.document_id = d.id
        LEFT JOIN issues i ON i.document_id = d.id LEFT JOIN years y ON y.document_id = d.id
        ORDER BY d.file_name, d.id
        """, [*_chosen_args(organization_id, fiscal_year), limit])


def record_totals(store: Store, organization_id: int | None = None, fiscal_year: int | None = None) -> dict[str, int]:
    """Documents, organizations, plan items, measures and open questions, of an organization and
    fiscal year when given (the documents page's filter: the same documents it lists)."""
    if organization_id is None and fiscal_year is None:
        row = store.query_rows(
            "SELECT (SELECT count(*) FROM source_document), (SELECT count(*) FROM organization),"
            " (SELECT count(*) FROM plan_item), (SELECT count(*) FROM measure),"
            " (SELECT count(*) FROM document_issue WHERE severity = 'question' AND answer IS NULL)")[0]
    else:
        records = "SELECT organization_id FROM {} WHERE (? IS NULL OR organization_id = ?) AND (? IS NULL OR fiscal_year = ?)"
        record_args = [organization_id, organization_id, fiscal_year, fiscal_year]
        row = store.query_rows(
            "WITH " + HELD_YEARS + ", chosen AS (" + _CHOSEN_DOCUMENTS + ") "
            "SELECT (SELECT count(*) FROM chosen),"
            " (SELECT count(*) FROM organization WHERE id IN (" + records.format("plan_item") + " UNION "
            + records.format("measure") + " UNION SELECT organization_id FROM chosen"
            " UNION SELECT organization_id FROM document_organization WHERE document_id IN (SELECT id FROM chosen))"
            " AND (? IS NULL OR id = ?)),"
            " (SELECT count(*) FROM (" + records.format("plan_item") + ") p),"
            " (SELECT count(*) FROM (" + records.format("measure") + ") m),"
            " (SELECT count(*) FROM document_issue WHERE severity = 'question' AND answer IS NULL"
            "  AND document_id IN (SELECT id FROM chosen))",
            [*_chosen_args(organization_id, fiscal_year), *record_args, *record_args, organization_id,
             organization_id, *record_args, *record_args])[0]
    return dict(zip(("documents", "organizations", "plan_items", "measures", "open_questions"), row, strict=True))


def document_issues(store: Store, document_ids: tuple[int, ...]) -> pd.DataFrame:
    """The warnings and questions of these documents; an answered question's `applied` says what its
    answer did (`answer_effect`)."""
    issues = store.query_df(
        "SELECT i.id, i.document_id, d.file_name, d.layout_label || ' · ' || coalesce(o.short_name, 'ไม่ทราบหน่วยงาน') "
        "|| coalesce(' ปี ' || d.fiscal_year, '') AS document_label, i.code, i.severity, i.message, i.options, "
        "i.subject, i.answer, i.answered_by, i.answered_at FROM document_issue i "
        "JOIN source_document d ON d.id = i.document_id LEFT JOIN organization o ON o.id = d.organization_id "
        "WHERE list_contains(?, i.document_id) "
        "ORDER BY i.document_id, i.id",
        [list(document_ids)])
    issues["applied"] = [answer_effect(subject, answer) if isinstance(answer, str) else None
                         for subject, answer in zip(issues["subject"], issues["answer"], strict=True)]
    return issues


def document_content(store: Store, document_id: int) -> tuple[str, str]:
    """File name and the original text of a document, as imported; of a document that also holds
    organizations the user may not see, only the rows they may see (StoreError: one they may not see)."""
    name, content, is_text = visible_original(store, document_id)
    if is_text:
        return name, content.decode("utf-8")
    if content[:5] == b"%PDF-":
        return name, _pdf_text(content)
    if name.lower().endswith(".txt"):
        try:
            return name, decode(content, name)[0]
        except IngestError:
            pass
    return name, content.decode("utf-8", errors="replace")


def _pdf_text(content: bytes) -> str:
    """A PDF's text as the importer rebuilt it, each page under its number."""
    from lib.ingest.pdf import PdfError, pdf_to_text

    try:
        text = pdf_to_text(content, ocr=False)  # a scan is not read again just to be shown
    except PdfError as e:
        return f"(ไฟล์ PDF ต้นฉบับเก็บไว้ครบ แต่แสดงเป็นข้อความไม่ได้: {e})"
    out, page = [], None
    for number, line in zip(text.pages, text.lines, strict=True):
        if number != page:
            out.append(f"— หน้า {number} —")
            page = number
        out.append(line.replace("\t", " | "))
    return "\n".join(out)


def plan_items(store: Store, organization_id: int | None, fiscal_year: int | None) -> pd.DataFrame:
    return store.query_df(
        """
        SELECT p.id, o.short_name AS organization, p.fiscal_year, p.seq, p.title, p.item_type,
               p.dimension, p.budget::DOUBLE AS budget, p.quarters, p.responsible, p.period_text,
               p.period_start, p.period_end, p.detail_seq, d.file_name
        FROM plan_item p JOIN organization o ON o.id = p.organization_id
        LEFT JOIN source_document d ON d.id = p.document_id
        WHERE (? IS NULL OR p.organization_id = ?) AND (? IS NULL OR p.fiscal_year = ?)
        ORDER BY o.short_name, p.fiscal_year, p.seq
        """, [organization_id, organization_id, fiscal_year, fiscal_year])


def measures(store: Store, organization_id: int | None, fiscal_year: int | None) -> pd.DataFrame:
    return store.query_df(
        """
        SELECT m.id, o.short_name AS organization, m.fiscal_year, m.seq, m.title, m.instrument,
               coalesce((SELECT list(l.code ORDER BY l.code) FROM measure_item_link l
                         WHERE l.measure_id = m.id AND l.status IN ('as_read', 'confirmed')), []) AS item_codes,
               m.category, m.responsible, m.period_text, m.period_start, m.period_end, m.quarters,
               d.file_name
        FROM measure m JOIN organization o ON o.id = m.organization_id
        LEFT JOIN source_document d ON d.id = m.document_id
        WHERE (? IS NULL OR m.organization_id = ?) AND (? IS NULL OR m.fiscal_year = ?)
        ORDER BY o.short_name, m.fiscal_year, m.seq
        """, [organization_id, organization_id, fiscal_year, fiscal_year])


def record_detail(store: Store, kind: str, record_id: int) -> dict:
    """All fields of one plan item or measure, with its source document's name."""
    table = {"plan_item": "plan_item", "measure": "measure"}[kind]
    df = store.query_df(
        f"SELECT r.*, d.file_name, d.layout_label FROM {table} r "
        f"LEFT JOIN source_document d ON d.id = r.document_id WHERE r.id = ?", [record_id])
    return df.iloc[0].to_dict() if len(df) else {}


def synthetic_organizations(store: Store) -> int:
    """How many organizations in view are synthetic (made by bench/generate), for the warning banner."""
    return store.query_rows("SELECT count(*) FROM organization WHERE synthetic")[0][0]
