"""The monthly meeting pack, assembled once: topics in order, each with its title, KPI lines, one
chart (categories + series of numbers), the table shown beside it and the tables behind it, plus the
as-of date and the data sources. The presentation page, the PowerPoint, the PDF and the Excel
workbook all render this one value, so they show the same figures as the dashboard pages: every
number comes from the query functions those pages call (lib/queries/dashboard.py, lib/queries/ita.py
with lib/ita/gap.py), never from a second calculation.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from lib import progress
from lib.ita import gap
from lib.ita.catalog import INSTRUMENTS
from lib.ita.scores import provenance
from lib.queries import dashboard as dq
from lib.queries import ita as ita_queries
from lib.queries import pack as pack_queries
from lib.records import DOCUMENT_KINDS
from lib.store import Store
from lib.ui import export
from lib.ui.charts import room_for_labels, wrap_thai
from lib.ui.filters import Filters
from lib.ui.format import money, money_unit, percent, thai_date

FONT = "Sarabun"
SLIDE_TABLE_ROWS = 6  # rows of a table that fit on a slide in large type; the workbook has them all
SOURCE_DOCUMENTS_LISTED = 5


@dataclass
class Series:
    name: str
    values: list[float]
    color: str


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[Series]
    horizontal: bool = False   # bars across (long category names) rather than columns
    stacked: bool = False
    value_title: str = ""
    number_format: str = "#,##0"

    @property
    def counts_only(self) -> bool:
        """Whole numbers up to 10 on the value axis (ticks of 1, never 0.5)."""
        if self.number_format != "#,##0":
            return False
        values = [v for s in self.series for v in s.values]
        top = (max((sum(col) for col in zip(*(s.values for s in self.series), strict=True)), default=0)
               if self.stacked else max(values, default=0))
        return bool(values) and all(float(v).is_integer() for v in values) and 0 < top <= 10


@dataclass
class Topic:
    key: str
    title: str
    lines: list[str]                      # the KPI lines, in large type
    chart: Chart | None = None
    table: pd.DataFrame | None = None     # shown on the slide (at most SLIDE_TABLE_ROWS rows)
    notes: list[str] = field(default_factory=list)    # definitions, warnings, what is missing
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)  # the tables behind it, for Excel


@dataclass
class Pack:
    organization: str | None
    fiscal_year: int | None
    as_of: dt.date
    filters: dict[str, str]               # Filters.describe(): the filters in Thai
    sources: list[str]                    # as-of date and data sources, as lines
    scope: dq.Scope                       # (the workbook's list of every document is read when it is made)
    topics: list[Topic]

    @property
    def title(self) -> str:
        return "รายงานการติดตามแผนป้องกันการทุจริตและมาตรการ ITA"

    @property
    def subtitle(self) -> str:
        return " · ".join(f"{label} {value}" for label, value in self.filters.items())

    def file_name(self, extension: str) -> str:
        """Organization and the date in พ.ศ. in the name, as every download of the app."""
        return export.file_name("ชุดนำเสนอประชุมประจำเดือน", self.organization, self.fiscal_year,
                                self.as_of).removesuffix(".xlsx") + "." + extension


def when(value) -> str:
    """A timestamp as '18 มิ.ย. 2569 09:30 น.'."""
    if value is None or value != value:
        return "-"
    return f"{thai_date(value)} {value:%H:%M} น."


def build(store: Store, scope: dq.Scope, year: int | None, as_of: dt.date) -> Pack:
    f = Filters(*scope, year, as_of)
    org = dq.organization_label(store, f.organization_id) if f.organization_id else None
    colors = dq.colors(store)
    k = dq.kpis(store, scope, year, as_of)
    documents = pack_queries.first_documents(store, scope, year, SOURCE_DOCUMENTS_LISTED)
    ita, ita_source = _ita(store, f.organization_id, org, year, as_of, colors)
    topics = [_summary(k), _quarters(store, f, k, colors), _budget(store, f, colors), ita,
              _overdue(store, f, k, colors)]
    sources = _sources(store, f, documents, ita_source)
    topics[0].notes = sources
    topics[0].sheets = {"สรุป": topics[0].sheets["สรุป"],
                        "แหล่งข้อมูล": pd.DataFrame({"แหล่งข้อมูล": sources})}
    return Pack(org, year, as_of, f.describe(org), sources, scope, topics)


def _sources(store: Store, f: Filters, documents: pd.DataFrame, ita_source: str | None) -> list[str]:
    """The as-of date and the data sources as lines (`documents`: pack_queries.first_documents)."""
    last = pack_queries.last_progress_report(store, f.scope, f.year, f.as_of)
    lines = [f"ข้อมูล ณ วันที่ {thai_date(f.as_of)}"]
    if documents.empty:
        lines.append("เอกสาร: ยังไม่มีเอกสารที่นำเข้าสำหรับตัวกรองนี้")
    else:
        matched = int(documents["matched"].iloc[0])
        lines.append(f"เอกสาร {matched:,} ฉบับ:")
        for d in documents.head(SOURCE_DOCUMENTS_LISTED).itertuples():
            lines.append(f"• {d.title or d.file_name} ({d.organization}, ไฟล์ {d.file_name})")
        if matched > SOURCE_DOCUMENTS_LISTED:
            lines.append(f"• และอีก {matched - SOURCE_DOCUMENTS_LISTED:,} ฉบับ (รายชื่อทั้งหมดอยู่ในไฟล์ Excel)")
        lines.append(f"นำเข้าเอกสารล่าสุด {when(documents['last_imported_at'].iloc[0])}")
    if last["reported_at"] is None:
        lines.append("รายงานความก้าวหน้าล่าสุด: ยังไม่มีรายงานภายในวันที่เลือก")
    else:
        lines.append(f"รายงานความก้าวหน้าล่าสุด {when(last['reported_at'])} "
                     f"(นับ {last['reports']:,} รายงานที่ส่งภายในวันที่เลือก)")
    if last["later_reports"]:
        lines.append(f"มีรายงานที่ส่งหลังวันที่เลือกอีก {last['later_reports']:,} รายงาน ซึ่งไม่นับในชุดนี้")
    if ita_source:
        lines.append(ita_source)
    return lines


def _share(k: dict) -> str:
    return "-" if k["share_done"] is None else f"{k['share_done']:.0%}"


def _summary(k: dict) -> Topic:
    rows = [("รายการในแผนปฏิบัติการ", f"{k['plan_items']:,} รายการ"),
            ("มาตรการ ITA", f"{k['measures']:,} มาตรการ"),
            ("เสร็จตามกำหนด", f"{_share(k)} ({k['done_ended']:,} จาก {k['planned_ended']:,} "
                              "งานรายไตรมาสที่ครบกำหนดแล้ว)"),
            ("เลยกำหนด", f"{k['overdue_records']:,} รายการ ({k['overdue']:,} งานรายไตรมาส)"),
            ("งบประมาณตามแผน", f"{k['budget']:,.0f} บาท (ไม่ใช้งบประมาณ {k['without_budget']:,} รายการ)"),
            ("ใช้จ่ายแล้ว", f"{k['spent']:,.0f} บาท ตามรายงานผล")]
    table = pd.DataFrame(rows, columns=["หัวข้อ", "ค่า"])
    return Topic("summary", "สรุปสถานะ", [f"{label}: {value}" for label, value in rows],
                 sheets={"สรุป": table})


QUARTER_COLUMNS = {"fiscal_year": "ปีงบประมาณ", "quarter": "ไตรมาส", "quarter_end": "สิ้นสุดไตรมาส",
                   "ended": "สถานะไตรมาส", "planned": "วางแผน", "reported": "มีรายงาน", "done": "แล้วเสร็จ",
                   "no_report": "ยังไม่มีรายงาน", "overdue": "เลยกำหนด", "cumulative_planned": "วางแผนสะสม",
                   "cumulative_done": "แล้วเสร็จสะสม"}


def _quarters(store: Store, f: Filters, k: dict, colors: dict) -> Topic:
    by_quarter = dq.progress_by_quarter(store, f.scope, f.year, f.as_of)
    title = "ความก้าวหน้ารายไตรมาส"
    lines = [f"เสร็จตามกำหนด {_share(k)} ({k['done_ended']:,} จาก {k['planned_ended']:,} งานรายไตรมาสที่ครบกำหนดแล้ว)",
             f"งานรายไตรมาสตามแผน {k['planned']:,} · ครบกำหนดแล้ว {k['planned_ended']:,}",
             f"เลยกำหนด {k['overdue']:,} งานรายไตรมาส"]
    if by_quarter.empty:
        return Topic("quarters", title, ["ไม่มีรายการที่วางแผนไว้สำหรับตัวกรองนี้"])
    if by_quarter["fiscal_year"].nunique() > 1:  # as the page's chart: quarters of different years are not one axis
        data = by_quarter.groupby("fiscal_year", as_index=False)[["planned", "reported", "done"]].sum()
        categories = [f"ปี {fy}" for fy in data["fiscal_year"]]
        chart_title = "ความก้าวหน้ารายปี (เลือกปีเพื่อดูรายไตรมาส)"
    else:
        data = by_quarter
        categories = [f"ไตรมาส {q}" + ("" if e else " (ยังไม่สิ้นสุด)")
                      for q, e in zip(data["quarter"], data["ended"], strict=True)]
        chart_title = f"ความก้าวหน้ารายไตรมาส ปีงบประมาณ {data['fiscal_year'].iloc[0]}"
    chart = Chart(chart_title, categories,
                  [Series(label, [int(v) for v in data[key]], colors["progress"][key])
                   for key, label in (("planned", "วางแผน"), ("reported", "มีรายงาน"), ("done", "แล้วเสร็จ"))],
                  value_title="จำนวนงานรายไตรมาส")
    table = by_quarter.assign(
        quarter=by_quarter["quarter"].map(lambda q: f"ไตรมาส {q}"),
        quarter_end=by_quarter["quarter_end"].map(thai_date),
        ended=by_quarter["ended"].map({True: "สิ้นสุดแล้ว", False: "ยังไม่สิ้นสุด"}))[list(QUARTER_COLUMNS)].rename(
        columns=QUARTER_COLUMNS)
    if k["without_quarters"]:
        lines.append(f"ไม่ระบุไตรมาส {k['without_quarters']:,} รายการ (ไม่นับในความก้าวหน้า)")
    return Topic("quarters", title, lines, chart, notes=[progress.SHARE_DONE_DEFINITION],
                 sheets={"ความก้าวหน้ารายไตรมาส": table})


BUDGET_COLUMNS = {"name": "มิติ", "items": "รายการ", "with_budget": "ใช้งบประมาณ (รายการ)",
                  "without_budget": "ไม่ใช้งบประมาณ (รายการ)", "budget": "งบประมาณตามแผน (บาท)",
                  "spent": "ใช้จ่ายแล้ว (บาท)", "q1": "ไตรมาส 1", "q2": "ไตรมาส 2", "q3": "ไตรมาส 3",
                  "q4": "ไตรมาส 4"}


def _budget(store: Store, f: Filters, colors: dict) -> Topic:
    by_dimension = dq.budget_by_dimension(store, f.scope, f.year, f.as_of)
    title = "งบประมาณตามมิติ"
    rows = by_dimension[by_dimension["dimension"].notna()]
    if rows.empty:  # (the rollup's totals row comes even with no plan item)
        return Topic("budget", title, ["ไม่มีรายการในแผนปฏิบัติการสำหรับตัวกรองนี้"])
    total = by_dimension[by_dimension["dimension"].isna()].iloc[0]
    budget, spent = float(total["budget"]), float(total["spent"])
    lines = [f"งบประมาณตามแผน {money(budget)}",
             f"ใช้จ่ายแล้ว {money(spent)}" + (f" ({percent(spent / budget)})" if budget else "") + " ตามรายงานผล",
             f"ใช้จ่ายเกินแผน {money(spent - budget)}" if spent > budget else f"คงเหลือ {money(budget - spent)}",
             f"ใช้งบประมาณ {int(total['with_budget']):,} รายการ · ไม่ใช้งบประมาณ {int(total['without_budget']):,} รายการ"]
    scale, unit = money_unit(max(budget, spent))  # as on the budget page: บาท, or ล้านบาท from a million
    chart = Chart(f"งบประมาณตามมิติ ({unit})", rows["name"].tolist(),
                  [Series("งบประมาณตามแผน", [float(v) / scale for v in rows["budget"]], colors["progress"]["planned"]),
                   Series("ใช้จ่ายแล้ว (ตามรายงาน)", [float(v) / scale for v in rows["spent"]],
                          colors["progress"]["spent"])],
                  horizontal=True, value_title=unit, number_format="#,##0" if scale == 1 else "#,##0.00")
    table = by_dimension[list(BUDGET_COLUMNS)].rename(columns=BUDGET_COLUMNS)
    return Topic("budget", title, lines, chart, sheets={"งบประมาณตามมิติ": table})


def _short(label: str, words, width: int = 48) -> str:
    """A weak point on a slide: its code (or instrument) and the start of the document's words."""
    text = " ".join(str(words).split()) if isinstance(words, str) else ""
    text = text if len(text) <= width else text[:width - 1].rstrip() + "…"
    label = label.removesuffix(" (ไม่มีรหัสข้อ)")
    return f"{label} · {text}" if text else label


def _weak_table(weak: pd.DataFrame, scored: bool) -> pd.DataFrame:
    """The gap page's weak points as the slide and the workbook show them (no-measure and no-progress first)."""
    table = pd.DataFrame({
        "สถานะ": weak["state"], "จุดอ่อน": weak["label"],
        "จุดอ่อนตามเอกสาร": weak["words"].fillna("— (จากคะแนน)"), "ชื่อข้อในบัญชี": weak["catalog_title"].fillna(""),
        "มาตรการ (ลำดับ)": weak["measures"].map(lambda t: ", ".join(m.split(".")[0] for m in t) or "— ไม่มี —"),
        "มาตรการ": weak["measures"].map(lambda t: "\n".join(t) or "— ไม่มี —"),
        "สถานะล่าสุด": weak["statuses"].map(lambda t: "\n".join(t) or "-"),
        "รายงานล่าสุด": weak["reports"].map(lambda t: "\n".join(t) or "-")})
    if scored:
        table.insert(0, "ลำดับแก้", weak["rank"].astype("Int64"))
        table.insert(4, "คะแนนรวมเพิ่ม", pd.to_numeric(weak["points_gain"], errors="coerce"))
    return table


def _ita(store: Store, org_id: int | None, org: str | None, year: int | None, as_of: dt.date,
         colors: dict) -> tuple[Topic, str | None]:
    """The weak points the ITA gap page shows for the assessment year it opens on (fiscal year - 1, whose
    results that year's measures answer): those the documents name and, with scores, those below target."""
    title = "ตัวชี้วัด ITA ที่ต่ำกว่าเป้าหมาย และมาตรการที่รองรับ"
    if org_id is None:
        return Topic("ita", title, ["เลือกหน่วยงานที่แถบด้านซ้าย เพื่อดูคะแนน ITA และจุดอ่อนของหน่วยงานนั้น"]), None
    ita_year = ita_queries.assessment_year(store, org_id, year)
    view = ita_queries.weak_view(store, org_id, ita_year, as_of) if ita_year else None
    which = f"ปี {ita_year} " if ita_year else ""
    if view is None or (view.scores.empty and view.weak.empty):
        return Topic("ita", title, [f"ยังไม่มีคะแนน ITA {which}ของ {org} ในระบบ",
                                    "และเอกสารของหน่วยงานยังไม่ระบุจุดอ่อนของผลการประเมิน"
                                    + (f"ปี {ita_year}" if ita_year else " ITA")],
                     notes=["นำเข้าคะแนนผลการประเมินได้ที่หน้า 'นำเข้าคะแนน ITA' แล้วสร้างชุดนำเสนอใหม่"]), None
    fw = ita_queries.framework(store, ita_year)
    weak, scored = view.weak, not view.scores.empty
    counts = gap.state_counts(weak)
    lines = []
    if scored:
        result, gaps, target = view.result, view.gaps, view.target
        below = gaps[gaps["weak"]]
        lines += [f"คะแนนรวมปี {ita_year}: {'-' if result.total is None else f'{result.total:,.2f}'} "
                  f"ระดับ {gap.standing(result.grade, result.passes)}",
                  f"ต่ำกว่าเป้าหมาย {target:g}: ตัวชี้วัด {int((below['level'] == 'indicator').sum()):,} · "
                  f"ข้อ {int((below['level'] == 'item').sum()):,}"]
    lines += [f"จุดอ่อนปี {ita_year} {len(weak):,} จุด (เอกสารระบุ {view.named:,}"
              + (f" · คะแนนต่ำกว่าเป้าหมาย {int(weak['rank'].notna().sum()):,}" if scored else "")
              + f") · มาตรการปี {ita_year + 1} รองรับแล้ว {len(weak) - counts[gap.STATE_NO_MEASURE]:,}",
              gap.state_line(weak)]
    first = weak[weak["attention"]]
    if len(first):
        lines.append("ต้องดูก่อน: " + ", ".join(first["label"].head(8))
                     + (f" และอีก {len(first) - 8:,}" if len(first) > 8 else ""))
    state_colors = {gap.STATE_NO_MEASURE: colors["progress"]["no_report"],
                    gap.STATE_NO_PROGRESS: colors["progress"]["not_started"],
                    gap.STATE_IN_PROGRESS: colors["progress"]["in_progress"], gap.STATE_DONE: colors["progress"]["done"]}
    groups = [i for i in (*INSTRUMENTS, *sorted(set(weak["instrument"].dropna()) - set(INSTRUMENTS)))
              if (weak["instrument"] == i).any()] + ([None] if weak["instrument"].isna().any() else [])
    states = weak["state"].replace({gap.STATE_BLOCKED: gap.STATE_NO_PROGRESS})
    chart = Chart(f"จุดอ่อนปี {ita_year} ตามเครื่องมือ และความก้าวหน้าของมาตรการ",
                  [g or "ไม่ระบุเครื่องมือ" for g in groups],
                  [Series(state, [int(((weak["instrument"] == g if g else weak["instrument"].isna()) & (states == state))
                                      .sum()) for g in groups], color) for state, color in state_colors.items()],
                  horizontal=True, stacked=True, value_title="จำนวนจุดอ่อน")
    if scored:  # with scores, the gap page's chart: each indicator against the target
        indicators = view.gaps[view.gaps["level"] == "indicator"].sort_values("indicator")
        chart = Chart(f"คะแนนรายตัวชี้วัด ปี {ita_year} เทียบเป้าหมาย {view.target:g}",
                      [f"{c}. {n}" for c, n in zip(indicators["code"], indicators["name"], strict=True)],
                      [Series("คะแนน", [round(float(v), 2) for v in indicators["score"]],
                              colors["progress"]["reported"]),
                       Series("ขาดอีกถึงเป้าหมาย", [round(float(v), 2) for v in indicators["gap"]],
                              colors["progress"]["no_report"])],
                      horizontal=True, stacked=True, value_title="คะแนน (0-100)", number_format="#,##0.00")
    table = _weak_table(weak, scored)
    sheets = {"ITA จุดอ่อนและมาตรการ": table}
    notes = []
    if scored:
        gaps = view.gaps
        sheets["ITA คะแนนรายตัวชี้วัด"] = gaps.assign(level=gaps["level"].map(gap.LEVEL_TH))[
            ["rank", "level", "code", "name", "instrument", "score", "target", "gap", "weight", "points_gain"]].rename(
            columns={"rank": "ลำดับ", "level": "ระดับ", "code": "รหัส", "name": "ชื่อ", "instrument": "เครื่องมือ",
                     "score": "คะแนน", "target": "เป้าหมาย", "gap": "ขาดอีก", "weight": "น้ำหนัก",
                     "points_gain": "คะแนนรวมเพิ่ม"})
        notes += view.result.flags
        source = view.scores.iloc[0]
        origin = provenance(source).split(" · ")[0]  # where from and the date of the results, as the gap page says
        ita_source = (f"คะแนน ITA ปี {ita_year}: ไฟล์ {source['file_name']} นำเข้า {when(source['imported_at'])} "
                      f"โดย {source['imported_by']} · {origin}")
    else:
        notes.append(f"ยังไม่มีคะแนน ITA ปี {ita_year}: ไฟล์คะแนนจะเพิ่มคะแนนรายข้อ ช่องว่างถึงเป้าหมาย "
                     "และลำดับที่ควรแก้ก่อน (หน้า 'นำเข้าคะแนน ITA')")
        ita_source = (f"จุดอ่อน ITA ปี {ita_year}: ตามเอกสาร " + ", ".join(view.documents)) if view.documents else None
    if fw.borrowed:
        notes.append(fw.missing_list_note)
    elif not fw.verified:
        notes.append(f"บัญชีข้อคำถามปี {fw.list_year} ยังไม่ได้ยืนยันจากเอกสารทางการทั้งหมด")
    shown = table.drop(columns=["จุดอ่อน", "จุดอ่อนตามเอกสาร", "มาตรการ", "ชื่อข้อในบัญชี", "สถานะล่าสุด",
                                "รายงานล่าสุด"])
    shown.insert(1 if scored else 0, "จุดอ่อน", [_short(label, words) for label, words in zip(
        weak["label"], weak["words"], strict=True)])
    return Topic("ita", title, lines, chart, table=shown, notes=notes, sheets=sheets), ita_source


def _overdue(store: Store, f: Filters, k: dict, colors: dict) -> Topic:
    title = "รายการเลยกำหนด และเรื่องที่ต้องตัดสินใจ"
    by_group = dq.progress_by_group(store, f.scope, f.year, f.as_of)
    decisions = dq.decisions(store, f.scope, f.year, f.as_of)
    overdue = dq.overdue_list(store, f.scope, f.year, f.as_of)
    lines = [f"เลยกำหนด {k['overdue_records']:,} รายการ ({k['overdue']:,} งานรายไตรมาส)"]
    for topic, label in (("ดำเนินการไม่ได้", "งานที่ดำเนินการไม่ได้"),
                         ("คำถามจากการนำเข้าเอกสาร", "คำถามจากเอกสารที่ยังไม่ตอบ")):
        count = int((decisions["topic"] == topic).sum())
        if count:
            lines.append(f"{label} {count:,} เรื่อง")
    chart = None
    if not by_group.empty:
        chart = Chart("เลยกำหนดตามมิติ/เครื่องมือ", by_group["group_label"].tolist(),
                      [Series("วางแผน", [int(v) for v in by_group["planned"]], colors["progress"]["planned"]),
                       Series("เลยกำหนด", [int(v) for v in by_group["overdue"]], colors["progress"]["no_report"])],
                      horizontal=True, value_title="จำนวนงานรายไตรมาส")
    shown = decisions.drop(columns=["rank"]).rename(columns={
        "topic": "เรื่อง", "organization": "หน่วยงาน", "title": "รายการ", "detail": "รายละเอียด",
        "days_late": "ล่าช้า (วัน)"})
    notes = [progress.OVERDUE_DEFINITION]
    if decisions.empty:
        lines.append("ไม่มีเรื่องค้าง: ไม่มีงานที่ดำเนินการไม่ได้ ไม่มีคำถามค้าง และไม่มีรายการเลยกำหนด")
    else:
        notes.insert(0, "เรื่องที่ต้องตัดสินใจ แสดงไม่เกิน 10 เรื่อง: งานที่ดำเนินการไม่ได้ คำถามจากเอกสาร "
                        "แล้วจึงรายการที่ล่าช้านานที่สุด")
    group_table = by_group[["group_label", "planned", "reported", "done", "no_report", "overdue"]].rename(columns={
        "group_label": "มิติ/เครื่องมือ", "planned": "วางแผน", "reported": "มีรายงาน", "done": "แล้วเสร็จ",
        "no_report": "ยังไม่มีรายงาน", "overdue": "เลยกำหนด"})
    overdue_table = overdue.assign(
        kind=overdue["kind"].map({"plan_item": "แผนปฏิบัติการ", "measure": "มาตรการ"}),
        quarter=overdue["quarter"].map(lambda q: f"ไตรมาส {q}"), quarter_end=overdue["quarter_end"].map(thai_date),
        status=overdue["status"].map(progress.state))[
        ["organization", "fiscal_year", "kind", "seq", "title", "group_label", "responsible", "quarter",
         "quarter_end", "days_late", "status"]].rename(columns={
            "organization": "หน่วยงาน", "fiscal_year": "ปีงบประมาณ", "kind": "ประเภท", "seq": "ลำดับ",
            "title": "รายการ", "group_label": "มิติ/เครื่องมือ", "responsible": "ผู้รับผิดชอบ", "quarter": "ไตรมาส",
            "quarter_end": "กำหนดเสร็จ", "days_late": "ล่าช้า (วัน)", "status": "รายงานล่าสุด"})
    return Topic("overdue", title, lines, chart,
                 table=None if shown.empty else shown[["เรื่อง", "รายการ", "รายละเอียด", "ล่าช้า (วัน)"]],
                 notes=notes, sheets={"เลยกำหนดตามมิติ": group_table, "เรื่องที่ต้องตัดสินใจ": shown,
                                      "รายการเลยกำหนด": overdue_table})


# -- renderings shared by the presentation page and the PDF ------------------------------------
def xlsx(pack: Pack, store: Store) -> bytes:
    """The workbook: every table behind every chart and slide, one sheet each, the filters on top, and
    after the sources every document they come from (read now: tens of thousands nationally)."""
    sheets: dict[str, pd.DataFrame] = {}
    for topic in pack.topics:
        sheets.update(topic.sheets)
        if "แหล่งข้อมูล" in sheets and "เอกสาร" not in sheets:
            documents = pack_queries.documents(store, pack.scope, pack.fiscal_year)
            sheets["เอกสาร"] = documents.assign(kind=documents["kind"].map(lambda k: DOCUMENT_KINDS.get(k, k))).rename(
                columns={"file_name": "ไฟล์", "title": "ชื่อเอกสาร", "kind": "ประเภท", "organization": "หน่วยงาน",
                         "fiscal_year": "ปีงบประมาณ", "imported_at": "นำเข้าเมื่อ"})
    return export.xlsx_bytes(sheets, pack.filters)


def figure(chart: Chart, height: int = 520, font_size: int = 20) -> go.Figure:
    """The chart as a plotly figure in large type (the presentation screen and the PDF)."""
    fig = go.Figure()
    for s in chart.series:
        text = ["" if chart.stacked and not v else f"{v:,.2f}" if chart.number_format.endswith(".00") else f"{v:,.0f}"
                for v in s.values]  # a stacked zero has no room for a label
        bar = {"name": s.name, "marker_color": s.color, "text": text, "cliponaxis": False, "textangle": 0,
               "textposition": "inside" if chart.stacked else "outside", "textfont": {"size": font_size - 2}}
        if chart.horizontal:
            fig.add_bar(y=[_wrap(c) for c in chart.categories], x=s.values, orientation="h", **bar)
        else:
            fig.add_bar(x=[_wrap(c) for c in chart.categories], y=s.values, **bar)
    fig.update_layout(
        title={"text": chart.title, "font": {"size": font_size + 4}, "x": 0.01, "xanchor": "left"},
        font={"family": f"{FONT}, sans-serif", "size": font_size}, height=height,
        barmode="stack" if chart.stacked else "group", plot_bgcolor="white", paper_bgcolor="white",
        margin={"l": 10, "r": 30, "t": 110, "b": 10}, separators=".,",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"})
    # a stacked segment too thin for its figure goes without it (hover keeps it), not squeezed or turned; a
    # figure above a narrow bar keeps a readable size (plotly would shrink it to the bar's width)
    fig.update_layout(uniformtext={"minsize": font_size - (2 if chart.stacked else 4),
                                   "mode": "hide" if chart.stacked else "show"})
    value_axis = {"title_text": chart.value_title, "gridcolor": "#e6e6e6", "rangemode": "tozero",
                  "tickformat": ",.0f", "automargin": True}
    if chart.counts_only:
        value_axis["dtick"] = 1  # a few whole things: no 0.5 ticks printed as a second "1"
    if not chart.stacked:
        top = max((max(s.values, default=0) for s in chart.series), default=0)
        value_axis["range"] = [0, (top or 1) * (1.35 if chart.horizontal else 1.2)]
    category_axis = {"automargin": True}
    if chart.horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(autorange="reversed", **category_axis)
    else:
        fig.update_yaxes(**value_axis)
        fig.update_xaxes(**category_axis)
        if not chart.stacked:
            room_for_labels(fig, len(chart.categories))  # the first bar's figure clear of the value axis
    return fig


def _wrap(text: str) -> str:
    return wrap_thai(text, 26)  # the pages' line breaking of Thai labels
