"""ภาพรวม: the executives' page — KPIs, quarter progress, budget by dimension, what needs a decision."""
import streamlit as st

from lib import progress
from lib.queries import dashboard
from lib.queries import ita as ita_queries
from lib.ui import cache, charts, export, filters

f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)

st.title("ภาพรวม")
st.caption(" · ".join(shown_with.values()))

k = cache.read(dashboard.kpis, f.scope, f.year, f.as_of)
share = "-" if k["share_done"] is None else f"{k['share_done']:.0%}"

# One bordered group per topic; the ITA group (issue 3) is one more entry in this list.
kpi_groups = [
    ("แผนและมาตรการ", [("รายการในแผน", f"{k['plan_items']:,}", None),
                      ("มาตรการ ITA", f"{k['measures']:,}", None)]),
    ("ความก้าวหน้า", [("เสร็จตามกำหนด", share,
                       f"{k['done_ended']:,} จาก {k['planned_ended']:,} รายการ×ไตรมาสที่สิ้นสุดแล้ว"),
                      ("เลยกำหนด", f"{k['overdue_records']:,}", f"รายการ ({k['overdue']:,} รายการ×ไตรมาส)")]),
    ("งบประมาณ (บาท)", [("ตามแผน", f"{k['budget']:,.0f}", f"ไม่ใช้งบประมาณ {k['without_budget']:,} รายการ"),
                        ("ใช้จ่ายแล้ว", f"{k['spent']:,.0f}", "ตามรายงานผล")]),
]
ita = cache.read(ita_queries.overview_summary, f.organization_id) if f.organization_id else None
if ita:
    change = "" if ita["change"] is None else f" ({ita['change']:+.2f} จากปี {ita['previous_year']})"
    kpi_groups.append((f"ITA ปี {ita['framework_year']}", [
        ("คะแนนรวม", f"{ita['total']:.2f} ({ita['grade']})", f"เกรด {ita['grade']}{change} · {ita['source']}"),
        ("จุดอ่อนที่ยังไม่มีมาตรการ", f"{ita['weak_uncovered']:,}",
         f"จากข้อ/ตัวชี้วัดที่ต่ำกว่าเป้าหมาย {ita['weak']:,} รายการ"),
    ]))
else:
    kpi_groups.append(("ITA", [("คะแนนรวม", "-", "เลือกหน่วยงานที่มีคะแนน ITA ในแถบด้านซ้าย "
                                "(นำเข้าคะแนนได้ที่หน้านำเข้าคะแนน ITA)")]))
# two groups per row: four side by side leave no room for the figures on a laptop or projector
columns = [column for _ in range(0, len(kpi_groups), 2) for column in st.columns(2)]
for column, (group, metrics) in zip(columns, kpi_groups, strict=False):
    with column.container(border=True):
        st.markdown(f"**{group}**")
        for (label, value, note), cell in zip(metrics, st.columns(len(metrics)), strict=True):
            cell.metric(label, value, help=note)
            if note:
                cell.caption(note)
st.caption(progress.SHARE_DONE_DEFINITION)

colors = cache.read(dashboard.colors)
left, right = st.columns(2)
with left:
    by_quarter = cache.read(dashboard.progress_by_quarter, f.scope, f.year, f.as_of)
    if by_quarter.empty:
        st.info("ไม่มีรายการที่วางแผนไว้สำหรับตัวกรองนี้")
    else:
        st.plotly_chart(charts.quarter_progress(by_quarter, colors), theme=None, key="overview_quarters")
        quarter_table = by_quarter.assign(quarter=by_quarter["quarter"].map(lambda q: f"ไตรมาส {q}"))[
            ["fiscal_year", "quarter", "planned", "reported", "done", "no_report"]].rename(columns={
                "fiscal_year": "ปีงบประมาณ", "quarter": "ไตรมาส", "planned": "วางแผน", "reported": "มีรายงาน",
                "done": "แล้วเสร็จ", "no_report": "ยังไม่มีรายงาน"})
        st.download_button("ดาวน์โหลดข้อมูลกราฟ (xlsx)", lambda t=quarter_table: export.xlsx_bytes(t, shown_with),
                           export.file_name("ความก้าวหน้ารายไตรมาส", org, f.year, f.as_of), export.XLSX_MIME,
                           key="dl_overview_quarters", on_click="ignore", icon=":material/download:")
with right:
    budget = cache.read(dashboard.budget_by_dimension, f.scope, f.year, f.as_of)
    if budget.empty:
        st.info("ไม่มีรายการในแผนปฏิบัติการสำหรับตัวกรองนี้")
    else:
        st.plotly_chart(charts.budget_by_dimension(budget, colors), theme=None, key="overview_budget")
        budget_table = budget[["name", "items", "without_budget", "budget", "spent"]].rename(columns={
            "name": "มิติ", "items": "รายการ", "without_budget": "ไม่ใช้งบประมาณ (รายการ)",
            "budget": "งบประมาณตามแผน (บาท)", "spent": "ใช้จ่ายแล้ว (บาท)"})
        st.download_button("ดาวน์โหลดข้อมูลกราฟ (xlsx)", lambda t=budget_table: export.xlsx_bytes(t, shown_with),
                           export.file_name("งบประมาณตามมิติ", org, f.year, f.as_of), export.XLSX_MIME,
                           key="dl_overview_budget", on_click="ignore", icon=":material/download:")

st.subheader("เรื่องที่ต้องตัดสินใจ")
decisions = cache.read(dashboard.decisions, f.scope, f.year, f.as_of)
if decisions.empty:
    st.success("ไม่มีเรื่องค้าง: ไม่มีงานที่ดำเนินการไม่ได้ ไม่มีคำถามค้าง และไม่มีรายการเลยกำหนด")
else:
    shown = decisions.drop(columns=["rank"]).rename(columns={
        "topic": "เรื่อง", "organization": "หน่วยงาน", "title": "รายการ", "detail": "รายละเอียด",
        "days_late": "ล่าช้า (วัน)"})
    st.dataframe(shown, hide_index=True, width="stretch", key="decisions_table",
                 column_config={"รายการ": st.column_config.TextColumn(width="large")})
    st.caption(f"แสดงไม่เกิน 10 เรื่อง: งานที่ดำเนินการไม่ได้ คำถามจากเอกสาร แล้วจึงรายการที่ล่าช้านานที่สุด · "
               f"รายการเลยกำหนดทั้งหมด {k['overdue_records']:,} รายการ ดูได้ที่หน้าความก้าวหน้ารายไตรมาส")
    st.download_button("ดาวน์โหลดตาราง (xlsx)", lambda t=shown: export.xlsx_bytes(t, shown_with),
                       export.file_name("เรื่องที่ต้องตัดสินใจ", org, f.year, f.as_of), export.XLSX_MIME,
                       key="dl_decisions", on_click="ignore", icon=":material/download:")
