"""SQL reads of the ITA catalog, scores, targets and measure coverage. Each is fn(store, ...)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lib.ita.catalog import changed_codes as codes_whose_title_changed
from lib.ita.scores import provenance
from lib.progress import reports_cutoff
from lib.store import summaries
from lib.store.db import Store
from lib.store.lookups import catalog_items, catalog_years, framework, indicators, target  # noqa: F401
from lib.store.summaries import weak_points


def verbal_levels(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT level, min_total::DOUBLE AS min_total, min_each_instrument::DOUBLE AS min_each, "
                          "confidence, source FROM ita_verbal_level ORDER BY rank")


def grade_bands(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT grade, min_score::DOUBLE AS min_score, passes, confidence, source "
                          "FROM ita_grade_band ORDER BY min_score DESC")


def weights(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT framework_year, instrument, weight::DOUBLE AS weight, confidence, source "
                          "FROM ita_weight ORDER BY framework_year, instrument = 'OIT', instrument = 'EIT'")


def scores(store: Store, organization_id: int, framework_year: int) -> pd.DataFrame:
    return store.query_df(
        "SELECT s.level, s.code, s.score::DOUBLE AS score, u.file_name, u.imported_at, u.imported_by, u.source, "
        "u.source_date "
        "FROM ita_score s JOIN ita_upload u ON u.id = s.upload_id "
        "WHERE s.organization_id = ? AND s.framework_year = ? ORDER BY s.level, s.code",
        [organization_id, framework_year])


def score_years(store: Store, organization_id: int | None = None) -> list[int]:
    return [r[0] for r in store.query_rows(
        "SELECT DISTINCT framework_year FROM ita_score WHERE ? IS NULL OR organization_id = ? ORDER BY 1",
        [organization_id, organization_id])]


_IN_AREA = "(?::VARCHAR IS NULL OR o.province = ?) AND (?::VARCHAR IS NULL OR o.district = ?)"


def scored_organization_count(store: Store, framework_year: int, province: str | None = None,
                              district: str | None = None) -> int:
    """How many organizations of an area have scores for a year (decides whether a heatmap fits)."""
    return store.query_rows(
        f"SELECT count(DISTINCT s.organization_id) FROM ita_score s JOIN organization o ON o.id = s.organization_id "
        f"WHERE s.framework_year = ? AND {_IN_AREA}", [framework_year, province, province, district, district])[0][0]


def scores_of_year(store: Store, framework_year: int, province: str | None = None,
                   district: str | None = None) -> pd.DataFrame:
    """The scores of one year of every organization in an area (for the organization-by-indicator heatmap)."""
    return store.query_df(
        "SELECT o.id AS organization_id, o.short_name AS organization, s.level, s.code, s.score::DOUBLE AS score, "
        "u.file_name, u.imported_at, u.imported_by, u.source, u.source_date "
        "FROM ita_score s JOIN organization o ON o.id = s.organization_id JOIN ita_upload u ON u.id = s.upload_id "
        f"WHERE s.framework_year = ? AND {_IN_AREA} "
        "ORDER BY o.short_name", [framework_year, province, province, district, district])


def _cutoff(as_of: dt.date | None) -> dt.datetime:
    """Reports made on or before the as-of date count; with no date, every report."""
    return reports_cutoff(as_of) if as_of is not None else dt.datetime(9999, 1, 1)


def coverage_links(store: Store, organization_id: int, framework_year: int,
                   as_of: dt.date | None = None) -> pd.DataFrame:
    """Year Y's weak points that the organization's measures of fiscal year Y+1 answer, one row per
    (weak point, measure): an item code linked as read from the document or confirmed by a user (`code`), or,
    for a measure without such a code, its instrument and the weakness in the document's words (`code` NULL);
    with the measure's latest report of its fiscal year made on or before `as_of` (every report when None), and
    whether its document left its status as an open question (`status_question`)."""
    return store.query_df(
        f"""
        WITH m AS (
            SELECT id, seq, title, instrument, weakness, item_topic, fiscal_year, document_id FROM measure
            WHERE organization_id = $1 AND fiscal_year = $2 + 1),
        l AS (
            SELECT l.measure_id, l.code, l.origin, l.status FROM measure_item_link l JOIN m ON m.id = l.measure_id
            WHERE l.framework_year = $2 AND l.status IN ('as_read', 'confirmed')),
        last AS (  -- the report of the latest quarter reported, among the reports current at the cutoff
            SELECT l.record_id, arg_max(l.progress_id, l.quarter) AS progress_id FROM progress_latest l
            JOIN m ON l.record_kind = 'measure' AND l.record_id = m.id AND l.fiscal_year = m.fiscal_year
            WHERE {summaries.latest_at('$3')} AND l.status IS NOT NULL GROUP BY l.record_id),
        latest AS (
            SELECT p.record_id, p.quarter, p.status, p.note, p.reported_at, p.reported_by,
                   CASE WHEN coalesce(p.from_document, FALSE) THEN 'document' END AS origin FROM last
            JOIN progress p ON p.id = last.progress_id)
        SELECT l.code, m.instrument, m.weakness, m.item_topic, m.id AS measure_id, m.seq, m.title, m.fiscal_year,
               d.file_name, l.origin, l.status AS link_status, p.status AS progress_status,
               p.quarter AS progress_quarter, p.note AS progress_note, p.origin AS progress_origin,
               p.reported_at, p.reported_by,
               EXISTS (SELECT 1 FROM document_issue i WHERE i.document_id = m.document_id AND i.answer IS NULL
                       AND i.code = 'progress.unclear'
                       AND i.subject LIKE 'progress:measure:' || m.seq || ':%') AS status_question
        FROM m LEFT JOIN source_document d ON d.id = m.document_id
        LEFT JOIN l ON l.measure_id = m.id LEFT JOIN latest p ON p.record_id = m.id
        WHERE l.code IS NOT NULL OR nullif(trim(m.weakness), '') IS NOT NULL
        ORDER BY m.seq, l.code
        """, [organization_id, framework_year, _cutoff(as_of)])


def named_weak_points_by_area(store: Store, framework_year: int, province: str | None = None,
                              district: str | None = None, as_of: dt.date | None = None,
                              limit: int = 20) -> pd.DataFrame:
    """Across the organizations of an area: the weak points of year Y their documents name most often (as
    coverage_links reads them: an item code, or for measures without one their instrument), how many
    organizations name each, and of those how many have a measure of fiscal year Y+1 under way (latest report
    in progress or done) or done, at `as_of`. Ranked and limited in SQL; `weak_points` is the count in all,
    `organizations_naming` the organizations naming any.

    Read from weak_point_summary (kept on write, with every report so far). The organizations with a measure
    reported on after the cutoff (none when the as-of date is today) are counted again from the raw rows as
    of the cutoff, with the same definition (lib/store/summaries/weak_points.py)."""
    cutoff = _cutoff(as_of)
    # (a report at or after the cutoff at all: read from the column's statistics, none as of today)
    later = store.query_rows("SELECT EXISTS (SELECT 1 FROM progress_latest WHERE reported_at >= ?)", [cutoff])[0][0]
    changed, again = "SELECT CAST(NULL AS INTEGER) AS organization_id WHERE $4::TIMESTAMP IS NULL AND FALSE", ""
    if later:  # the organizations in the area with a measure of year Y+1 reported on at or after the cutoff
        changed = ("SELECT DISTINCT l.organization_id FROM progress_latest l JOIN organization o ON o.id = l.organization_id "
                   "WHERE l.record_kind = 'measure' AND l.fiscal_year = $1 + 1 AND l.reported_at >= $4 "
                   "AND ($2::VARCHAR IS NULL OR o.province = $2) AND ($3::VARCHAR IS NULL OR o.district = $3)")
        orgs = "(SELECT organization_id FROM changed)"
        latest = (f"SELECT * FROM progress_latest WHERE organization_id IN {orgs} AND fiscal_year = $1 + 1 "
                  f"AND {summaries.latest_at('$4')}")
        measures = f"SELECT * FROM measure WHERE organization_id IN {orgs} AND fiscal_year = $1 + 1"
        again = f"""
            UNION ALL
            SELECT organization_id, code, instrument, under_way, done FROM ({weak_points.rows(measures, latest)}) c"""
    return store.query_df(
        f"""
        WITH changed AS MATERIALIZED ({changed}),
        per_org AS MATERIALIZED (  -- (read twice below; the organizations counted again left out by a hash anti-join)
            SELECT w.organization_id, w.code, w.instrument, w.under_way, w.done
            FROM weak_point_summary w JOIN organization o ON o.id = w.organization_id
            WHERE w.framework_year = $1 AND ($2::VARCHAR IS NULL OR o.province = $2)
              AND ($3::VARCHAR IS NULL OR o.district = $3)
              AND w.organization_id NOT IN (SELECT organization_id FROM changed) {again}),
        per_point AS (
            SELECT code, instrument, count(*) AS organizations, count(*) FILTER (WHERE under_way) AS under_way,
                   count(*) FILTER (WHERE done) AS done FROM per_org GROUP BY code, instrument)
        SELECT code, instrument, organizations, under_way, done, organizations - under_way AS no_progress,
               count(*) OVER () AS weak_points,
               (SELECT count(DISTINCT organization_id) FROM per_org) AS organizations_naming
        FROM per_point
        ORDER BY organizations DESC, no_progress DESC, code IS NULL,
                 list_position(['i', 'e', 'o'], lower(left(coalesce(code, instrument), 1))),
                 try_cast(substr(code, 2) AS INTEGER), instrument
        LIMIT $5
        """, [framework_year, province, district, cutoff, limit])


def named_weak_point_years(store: Store, organization_id: int | None = None) -> list[int]:
    """Assessment years whose weak points the documents of an organization (or of all in view) name."""
    return [r[0] for r in store.query_rows(
        "SELECT DISTINCT framework_year FROM weak_point_summary WHERE ?::INTEGER IS NULL OR organization_id = ? "
        "ORDER BY 1", [organization_id, organization_id])]


def measures_without_codes(store: Store, organization_id: int, fiscal_year: int) -> pd.DataFrame:
    """Measures of a fiscal year with no item code read from their document (candidates for suggestions)."""
    return store.query_df(
        "SELECT m.id, m.seq, m.title, m.instrument, m.item_topic FROM measure m "
        "WHERE m.organization_id = ? AND m.fiscal_year = ? AND NOT EXISTS (SELECT 1 FROM measure_item_link l "
        "WHERE l.measure_id = m.id AND l.origin = 'document') ORDER BY m.seq", [organization_id, fiscal_year])


def link_decisions(store: Store, organization_id: int, framework_year: int) -> pd.DataFrame:
    """Suggested links a user has decided (confirmed or rejected), with the reason and who decided."""
    return store.query_df(
        "SELECT l.measure_id, l.code, l.status, r.reason, r.decided_at, r.decided_by FROM measure_item_link l "
        "JOIN measure m ON m.id = l.measure_id LEFT JOIN ita_link_reason r ON r.measure_id = l.measure_id "
        "AND r.framework_year = l.framework_year AND r.code = l.code "
        "WHERE l.origin = 'suggested' AND m.organization_id = ? AND l.framework_year = ? ORDER BY l.measure_id, l.code",
        [organization_id, framework_year])


def uploads(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT id, kind, file_name, source, source_date, rows_written, rows_skipped, imported_at, "
                          "imported_by FROM ita_upload ORDER BY id DESC")


def changed_codes(store: Store) -> pd.DataFrame:
    """Item codes whose title differs between the years of the catalog in use (code, framework_year, title)."""
    return codes_whose_title_changed(store.query_df("SELECT framework_year, code, title FROM ita_item_active"))


def instrument_colors(store: Store) -> dict[str, str]:
    return dict(store.query_rows("SELECT key, color FROM color WHERE kind = 'instrument'"))


def results_by_year(store: Store, organization_id: int) -> pd.DataFrame:
    """Total, instrument scores and grade of each year an organization has scores for (the trend)."""
    from lib.ita import gap

    rows = []
    for year in score_years(store, organization_id):
        year_scores = scores(store, organization_id, year)
        result = gap.compute(framework(store, year), year_scores)
        rows.append({"framework_year": year, "total": result.total, "grade": result.grade,
                     **{i: result.instruments.get(i) for i in ("IIT", "EIT", "OIT")},
                     "source": provenance(year_scores.iloc[0])})
    return pd.DataFrame(rows, columns=["framework_year", "total", "grade", "IIT", "EIT", "OIT", "source"])


def indicator_matrix(store: Store, framework_year: int, province: str | None = None,
                     district: str | None = None) -> pd.DataFrame:
    """Organization x indicator scores of one year (computed with the year's formula), for the heatmap."""
    from lib.ita import gap

    fw = framework(store, framework_year)
    all_scores = scores_of_year(store, framework_year, province, district)
    rows = []
    for (_org_id, org), part in all_scores.groupby(["organization_id", "organization"], sort=True):
        result = gap.compute(fw, part)
        rows.append({"organization": org, "total": result.total, **{str(k): v for k, v in result.indicators.items()},
                     "source": provenance(part.iloc[0])})
    columns = ["organization", "total", *[str(i) for i in range(1, 11)], "source"]
    return pd.DataFrame(rows).reindex(columns=columns)


def assessment_year(store: Store, organization_id: int, fiscal_year: int | None) -> int | None:
    """The assessment year the gap page opens on: fiscal year - 1 (that year's measures answer its results),
    or with no fiscal year chosen the latest year with scores or weak points the documents name."""
    if fiscal_year is not None:
        return fiscal_year - 1
    years = set(score_years(store, organization_id)) | set(named_weak_point_years(store, organization_id))
    return max(years) if years else None


@dataclass
class WeakView:
    """What the gap page shows for one organization and assessment year, read once for the page, the
    overview and the meeting pack: the weak points (named by documents, and below target when scored)."""
    framework_year: int
    scores: pd.DataFrame
    target: float | None          # the organization's own target, else the pass mark (with scores)
    own_target: bool
    result: object | None         # gap.Result with scores
    gaps: pd.DataFrame | None     # gap.gap_table with scores
    links: pd.DataFrame           # coverage_links
    weak: pd.DataFrame            # gap.weak_points

    @property
    def named(self) -> int:
        return int(self.weak["named_by_document"].sum()) if len(self.weak) else 0

    @property
    def documents(self) -> list[str]:
        return sorted(set(self.links["file_name"].dropna())) if len(self.links) else []


def weak_view(store: Store, organization_id: int, framework_year: int, as_of: dt.date | None = None) -> WeakView:
    from lib.ita import gap

    fw = framework(store, framework_year)
    year_scores = scores(store, organization_id, framework_year)
    links = coverage_links(store, organization_id, framework_year, as_of)
    if year_scores.empty:
        return WeakView(framework_year, year_scores, None, False, None, None, links,
                        gap.weak_points(links, fw, None))
    own = target(store, organization_id, framework_year)
    goal = own if own is not None else fw.pass_mark
    gaps = gap.gap_table(fw, year_scores, goal)
    return WeakView(framework_year, year_scores, goal, own is not None, gap.compute(fw, year_scores), gaps, links,
                    gap.weak_points(links, fw, gaps))


def overview_summary(store: Store, organization_id: int, fiscal_year: int | None = None,
                     as_of: dt.date | None = None) -> dict | None:
    """The overview's ITA figures for one organization and the assessment year the gap page opens on: the
    weak points it shows (named by documents, and below target when scored) by state; with scores, the
    year's total and grade and the change from the year before with scores. None when there is neither."""
    from lib.ita import gap

    year = assessment_year(store, organization_id, fiscal_year)
    if year is None:
        return None
    view = weak_view(store, organization_id, year, as_of)
    if view.scores.empty and view.weak.empty:
        return None
    out = {"framework_year": year, "weak": len(view.weak), "named": view.named, "states": gap.state_line(view.weak),
           "counts": gap.state_counts(view.weak), "total": None, "grade": None, "previous_year": None,
           "change": None, "source": None, "no_catalog": framework(store, year).borrowed,
           "scored": not view.scores.empty}
    if not view.scores.empty:
        trend = results_by_year(store, organization_id)
        earlier = trend[trend["framework_year"] < year]
        out.update(total=view.result.total, grade=view.result.grade, source=provenance(view.scores.iloc[0]))
        if len(earlier) and view.result.total is not None:
            previous = earlier.iloc[-1]
            out.update(previous_year=int(previous["framework_year"]), change=view.result.total - previous["total"])
    return out
