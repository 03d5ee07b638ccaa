"""ความก้าวหน้ารายไตรมาส: planned against reported against done, rounds, and what is overdue."""
import streamlit as st

from lib import progress
from lib.queries import dashboard
from lib.ui import cache, charts, export, filters
from lib.ui.format import thai_date

f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)
colors = cache.read(dashboard.colors)

st.title("ความก้าวหน้ารายไตรมาส")
st.caption(" · ".join(shown_with.values()))
st.caption(progress.SHARE_DONE_DEFINITION)

COUNT_LABELS = {"planned": "วางแผน", "reported": "มีรายงาน", "done": "แล้วเสร็จ",
                "no_report": "ยังไม่มีรายงาน", "overdue": "เลยกำหนด"}


def download(frame, topic: str, key: str, label: str = "ดาวน์โหลดตาราง (xlsx)") -> None:
    st.download_button(label, lambda t=frame: export.xlsx_bytes(t, shown_with), export.file_name(topic, org, f.year, f.as_of),
                       export.XLSX_MIME, key=key, on_click="ignore", icon=":material/download:")


k = cache.read(dashboard.kpis, f.scope, f.year, f.as_of)
if k["without_quarters"]:
    st.warning(f"มี {k['without_quarters']:,} รายการที่ไม่ระบุไตรมาส (อ่านช่วงเวลาจากเอกสารไม่ได้) "
               "จึงไม่นับในความก้าวหน้า แก้ช่วงเวลาได้ที่ทะเบียนมาตรการ/โครงการ")

by_quarter = cache.read(dashboard.progress_by_quarter, f.scope, f.year, f.as_of)
if by_quarter.empty:
    st.info("ไม่มีรายการสำหรับตัวกรองนี้")
    st.stop()

cols = st.columns(4)
cols[0].metric("งานรายไตรมาสตามแผน", f"{k['planned']:,}")
cols[1].metric("งานที่ครบกำหนดแล้ว", f"{k['planned_ended']:,}")
cols[2].metric("แล้วเสร็จตามกำหนด", "-" if k["share_done"] is None else f"{k['share_done']:.0%}",
               help=progress.SHARE_DONE_DEFINITION)
cols[3].metric("เลยกำหนด (งานรายไตรมาส)", f"{k['overdue']:,}", help=progress.OVERDUE_DEFINITION)

st.subheader("รายไตรมาส")
left, right = st.columns(2)
left.plotly_chart(charts.quarter_progress(by_quarter, colors), theme=None, key="progress_quarters")
if by_quarter["fiscal_year"].nunique() == 1:
    right.plotly_chart(charts.cumulative_progress(by_quarter, colors), theme=None, key="progress_cumulative")
else:
    right.info("เลือกปีงบประมาณที่แถบด้านซ้ายเพื่อดูเส้นความก้าวหน้าสะสมของปีนั้น")
quarter_table = by_quarter.assign(
    quarter=by_quarter["quarter"].map(lambda q: f"ไตรมาส {q}"),
    quarter_end=by_quarter["quarter_end"].map(thai_date),
    ended=by_quarter["ended"].map({True: "สิ้นสุดแล้ว", False: "ยังไม่สิ้นสุด"}))[
    ["fiscal_year", "quarter", "quarter_end", "ended", *COUNT_LABELS, "cumulative_planned", "cumulative_done"]
].rename(columns={"fiscal_year": "ปีงบประมาณ", "quarter": "ไตรมาส", "quarter_end": "สิ้นสุดไตรมาส",
                  "ended": "สถานะไตรมาส", **COUNT_LABELS, "cumulative_planned": "วางแผนสะสม",
                  "cumulative_done": "แล้วเสร็จสะสม"})
st.dataframe(quarter_table, hide_index=True, placeholder="—", width="stretch", key="quarter_table",
             column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d")})
download(quarter_table, "ความก้าวหน้ารายไตรมาส", "dl_quarters")

st.subheader("รอบรายงาน 6 เดือน และ 12 เดือน")
rounds = cache.read(dashboard.progress_rounds, f.scope, f.year, f.as_of)
rounds_table = rounds.assign(
    months=rounds["months"].map(progress.ROUND_LABELS),
    round_ended=rounds["round_ended"].map({True: "ครบรอบแล้ว", False: "ยังไม่ครบรอบ"}),
    share=[f"{d / p:.0%}" if p else "-" for d, p in zip(rounds["done"], rounds["planned"], strict=True)],
)[["fiscal_year", "months", "round_ended", *COUNT_LABELS, "share"]].rename(columns={
    "fiscal_year": "ปีงบประมาณ", "months": "รอบ", "round_ended": "สถานะรอบ", **COUNT_LABELS,
    "share": "สัดส่วนแล้วเสร็จ"})
st.dataframe(rounds_table, hide_index=True, placeholder="—", width="stretch", key="rounds_table",
             column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d")})
download(rounds_table, "รอบรายงาน", "dl_rounds")

st.subheader("ตามมิติ (แผนปฏิบัติการ) และเครื่องมือ (มาตรการ)")
by_group = cache.read(dashboard.progress_by_group, f.scope, f.year, f.as_of)
st.plotly_chart(charts.group_progress(by_group, colors), theme=None, key="progress_groups")
group_table = by_group[["group_label", *COUNT_LABELS]].rename(columns={"group_label": "มิติ/เครื่องมือ",
                                                                        **COUNT_LABELS})
st.dataframe(group_table, hide_index=True, placeholder="—", width="stretch", key="group_table")
download(group_table, "ความก้าวหน้าตามมิติ", "dl_groups")

st.subheader("ตามหน่วยที่รับผิดชอบ")
by_unit = cache.read(dashboard.progress_by_unit, f.scope, f.year, f.as_of)
if len(by_unit) and by_unit["matched"].iloc[0] > len(by_unit):
    st.caption(f"แสดง {len(by_unit):,} หน่วยที่เลยกำหนดมากที่สุดจาก {by_unit['matched'].iloc[0]:,} หน่วย "
               "(เลือกจังหวัด อำเภอ หรือหน่วยงานที่แถบด้านซ้ายเพื่อดูทั้งหมด)")
unit_table = by_unit.drop(columns=["matched"]).rename(columns={"responsible": "ผู้รับผิดชอบ", **COUNT_LABELS})
st.dataframe(unit_table, hide_index=True, placeholder="—", width="stretch", key="unit_table",
             column_config={"ผู้รับผิดชอบ": st.column_config.TextColumn(width="large")})
download(unit_table, "ความก้าวหน้าตามหน่วยงาน", "dl_units")

st.subheader("รายการเลยกำหนด")
st.caption(progress.OVERDUE_DEFINITION)
overdue = cache.read(dashboard.overdue_list, f.scope, f.year, f.as_of)
if overdue.empty:
    st.success("ไม่มีรายการเลยกำหนด ณ วันที่เลือก")
else:
    overdue_table = overdue.assign(
        kind=overdue["kind"].map({"plan_item": "แผนปฏิบัติการ", "measure": "มาตรการ"}),
        quarter=overdue["quarter"].map(lambda q: f"ไตรมาส {q}"),
        quarter_end=overdue["quarter_end"].map(thai_date),
        status=overdue["status"].map(progress.state),
    )[["organization", "fiscal_year", "kind", "seq", "title", "group_label", "responsible", "quarter",
       "quarter_end", "days_late", "status"]].rename(columns={
        "organization": "หน่วยงาน", "fiscal_year": "ปีงบประมาณ", "kind": "ประเภท", "seq": "ลำดับ",
        "title": "รายการ", "group_label": "มิติ/เครื่องมือ", "responsible": "ผู้รับผิดชอบ", "quarter": "ไตรมาส",
        "quarter_end": "กำหนดเสร็จ", "days_late": "ล่าช้า (วัน)", "status": "รายงานล่าสุด"})
    st.dataframe(overdue_table, hide_index=True, placeholder="—", width="stretch", key="overdue_table",
                 column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d"),
                                "รายการ": st.column_config.TextColumn(width="large")})
    if len(overdue) < k["overdue"]:
        st.caption(f"แสดง {len(overdue):,} จาก {k['overdue']:,} รายการ (ล่าช้านานที่สุดก่อน) · เลือกหน่วยงานเพื่อดูทั้งหมด")
    download(overdue_table, "รายการเลยกำหนด", "dl_overdue")
