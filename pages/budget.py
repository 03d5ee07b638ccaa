"""งบประมาณตามมิติ: planned against spent baht per dimension, unit and year."""
import streamlit as st

from lib.queries import dashboard
from lib.ui import cache, charts, export, filters
from lib.ui.format import baht

f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)

st.title("งบประมาณตามมิติ")
st.caption(" · ".join(shown_with.values()))


def download(frame, topic: str, key: str, label: str = "ดาวน์โหลดตาราง (xlsx)") -> None:
    # the xlsx is built only when the button is clicked, not on every rerun
    st.download_button(label, lambda t=frame: export.xlsx_bytes(t, shown_with), export.file_name(topic, org, f.year, f.as_of),
                       export.XLSX_MIME, key=key, on_click="ignore", icon=":material/download:")


by_dimension = cache.read(dashboard.budget_by_dimension, f.scope, f.year, f.as_of)
if by_dimension.empty:
    st.info("ไม่มีรายการในแผนปฏิบัติการสำหรับตัวกรองนี้")
    st.stop()

total = by_dimension[by_dimension["dimension"].isna()].iloc[0]
cols = st.columns(4)
cols[0].metric("งบประมาณตามแผน (บาท)", baht(total["budget"]))
cols[1].metric("ใช้จ่ายแล้ว (บาท)", baht(total["spent"]), help="ผลรวมงบที่ใช้ตามรายงานล่าสุดของแต่ละไตรมาส")
cols[2].metric("รายการที่ใช้งบประมาณ", f"{int(total['with_budget']):,}")
cols[3].metric("รายการที่ไม่ใช้งบประมาณ", f"{int(total['without_budget']):,}")

colors = cache.read(dashboard.colors)
st.plotly_chart(charts.budget_by_dimension(by_dimension, colors), theme=None, key="budget_chart")

DIMENSION_COLUMNS = {"name": "มิติ", "items": "รายการ", "with_budget": "ใช้งบประมาณ (รายการ)",
                     "without_budget": "ไม่ใช้งบประมาณ (รายการ)", "budget": "งบประมาณตามแผน (บาท)",
                     "spent": "ใช้จ่ายแล้ว (บาท)", "q1": "ไตรมาส 1", "q2": "ไตรมาส 2", "q3": "ไตรมาส 3",
                     "q4": "ไตรมาส 4"}
MONEY = {"งบประมาณตามแผน (บาท)": st.column_config.NumberColumn(format="%,.2f"),
         "ใช้จ่ายแล้ว (บาท)": st.column_config.NumberColumn(format="%,.2f")}
dimension_table = by_dimension[list(DIMENSION_COLUMNS)].rename(columns=DIMENSION_COLUMNS)
st.dataframe(dimension_table, hide_index=True, placeholder="—", width="stretch", key="budget_dimension_table",
             column_config={"มิติ": st.column_config.TextColumn(width="large"), **MONEY})
st.caption("แถวรวมทั้งสิ้นคำนวณจากทุกรายการ เทียบได้กับแถวรวมในตารางสรุปของแผน "
           "(งบประมาณ และจำนวนรายการที่วางแผนในแต่ละไตรมาส)")
download(dimension_table, "งบประมาณตามมิติ", "dl_budget_dimension")

st.subheader("ตามหน่วยที่รับผิดชอบ")
by_unit = cache.read(dashboard.budget_by_unit, f.scope, f.year, f.as_of)
if len(by_unit) and by_unit["matched"].iloc[0] > len(by_unit):
    st.caption(f"แสดง {len(by_unit):,} หน่วยที่งบประมาณสูงสุดจาก {by_unit['matched'].iloc[0]:,} หน่วย "
               "(เลือกจังหวัด อำเภอ หรือหน่วยงานที่แถบด้านซ้ายเพื่อดูทั้งหมด)")
unit_table = by_unit.drop(columns=["matched"]).rename(columns={"organization": "หน่วยงาน", "responsible": "ผู้รับผิดชอบ", "items": "รายการ",
                                     "without_budget": "ไม่ใช้งบประมาณ (รายการ)",
                                     "budget": "งบประมาณตามแผน (บาท)", "spent": "ใช้จ่ายแล้ว (บาท)"})
st.dataframe(unit_table, hide_index=True, placeholder="—", width="stretch", key="budget_unit_table", column_config=MONEY)
download(unit_table, "งบประมาณตามหน่วยงาน", "dl_budget_unit")

st.subheader("ตามปีงบประมาณ")
by_year = cache.read(dashboard.budget_by_year, f.scope, f.year, f.as_of)
year_table = by_year.drop(columns=["dimension"]).rename(columns={
    "fiscal_year": "ปีงบประมาณ", "name": "มิติ", "items": "รายการ", "without_budget": "ไม่ใช้งบประมาณ (รายการ)",
    "budget": "งบประมาณตามแผน (บาท)", "spent": "ใช้จ่ายแล้ว (บาท)"})
st.dataframe(year_table, hide_index=True, placeholder="—", width="stretch", key="budget_year_table",
             column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d"), **MONEY})
download(year_table, "งบประมาณตามปี", "dl_budget_year")
