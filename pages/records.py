"""ทะเบียนแผนและมาตรการ: plan items and measures for the organization and year in the sidebar."""
import streamlit as st

from lib import cache
from lib.format import baht, codes, quarters, thai_date

st.title("ทะเบียนแผนและมาตรการ")
org_id = st.session_state.get("filter_org")
year = st.session_state.get("filter_year")

plan = cache.read("plan_items", org_id, year)
measures = cache.read("measures", org_id, year)
st.caption(f"รายการในแผนปฏิบัติการ {len(plan):,} รายการ · มาตรการ {len(measures):,} รายการ "
           "(เปลี่ยนหน่วยงานหรือปีงบประมาณได้ที่แถบด้านซ้าย)")

DETAIL_LABELS = {
    "title": "ชื่อ", "item_type": "ประเภท", "dimension": "มิติ", "budget": "งบประมาณ (บาท)",
    "quarters": "ไตรมาสที่ดำเนินการ", "instrument": "เครื่องมือประเมิน", "item_topic": "ข้อคำถาม ITA",
    "category": "หมวด", "weakness": "ประเด็นที่เป็นข้อบกพร่อง/จุดอ่อน", "objectives": "วัตถุประสงค์",
    "target_group": "กลุ่มเป้าหมาย", "method": "วิธีดำเนินการ", "steps": "ขั้นตอน/วิธีการ",
    "responsible": "ผู้รับผิดชอบ", "monitoring": "การรายงานผลและการกำกับติดตาม",
    "period_text": "ระยะเวลา (ตามเอกสาร)", "period_start": "เริ่ม", "period_end": "สิ้นสุด",
    "recurrence": "ความถี่", "budget_text": "งบประมาณ (ตามรายละเอียด)", "outputs": "ผลผลิต",
    "outcomes": "ผลลัพธ์", "result": "ผลการดำเนินการ", "outcome": "ผลลัพธ์/ความสำเร็จ",
    "file_name": "เอกสารต้นฉบับ",
}


def show_detail(kind: str, record_id: int) -> None:
    detail = cache.read("record_detail", kind, record_id)
    with st.container(border=True):
        for key, label in DETAIL_LABELS.items():
            if key not in detail or detail[key] is None or (isinstance(detail[key], float) and detail[key] != detail[key]):
                continue
            value = detail[key]
            if key in ("period_start", "period_end"):
                value = thai_date(value)
            elif key == "quarters":
                value = quarters(value)
            elif key == "budget":
                value = baht(float(value))
            st.markdown(f"**{label}**")
            st.text(str(value))
        links = detail.get("links")
        if links is not None and len(links):
            st.markdown("**ลิงก์หลักฐานในเอกสาร**")
            st.dataframe({"ลิงก์": list(links)}, hide_index=True,
                         column_config={"ลิงก์": st.column_config.LinkColumn("ลิงก์")})
        with st.expander("ข้อความในเอกสารต้นฉบับ"):
            st.text(detail["source_excerpt"])
        history = cache.read("record_history", kind, record_id)
        with st.expander(f"ประวัติการแก้ไข ({len(history)})"):
            st.dataframe(history.assign(changed_at=history["changed_at"].map(thai_date)), hide_index=True,
                         column_config={"changed_at": "เมื่อ", "actor": "โดย", "action": "การกระทำ",
                                        "old_value": "ค่าเดิม", "new_value": "ค่าใหม่"})


plan_tab, measure_tab = st.tabs([f"แผนปฏิบัติการ ({len(plan)})", f"มาตรการ ITA ({len(measures)})"])

with plan_tab:
    if plan.empty:
        st.info("ไม่มีรายการแผนปฏิบัติการสำหรับตัวกรองนี้")
    else:
        shown = plan.assign(quarters=plan["quarters"].map(quarters))
        event = st.dataframe(
            shown[["organization", "fiscal_year", "seq", "title", "item_type", "dimension", "budget",
                   "quarters", "file_name"]],
            hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
            key="plan_table",
            column_config={
                "organization": "หน่วยงาน", "fiscal_year": st.column_config.NumberColumn("ปีงบประมาณ", format="%d"),
                "seq": "ลำดับ", "title": st.column_config.TextColumn("รายการ", width="large"),
                "item_type": "ประเภท", "dimension": "มิติ",
                "budget": st.column_config.NumberColumn("งบประมาณ (บาท)", format="%,.2f"),
                "quarters": "ไตรมาส", "file_name": "เอกสาร",
            })
        st.markdown(f"**รวมงบประมาณ {baht(plan['budget'].sum())} บาท**")
        rows = event.selection.rows if event else []
        if rows:
            show_detail("plan_item", int(plan.iloc[rows[0]]["id"]))
        else:
            st.caption("คลิกแถวเพื่อดูรายละเอียด ข้อความต้นฉบับ และประวัติ")

with measure_tab:
    if measures.empty:
        st.info("ไม่มีมาตรการสำหรับตัวกรองนี้")
    else:
        shown = measures.assign(item_codes=measures["item_codes"].map(codes),
                                period_start=measures["period_start"].map(thai_date),
                                period_end=measures["period_end"].map(thai_date))
        event = st.dataframe(
            shown[["organization", "fiscal_year", "seq", "title", "instrument", "item_codes", "category",
                   "responsible", "period_text", "period_start", "period_end", "file_name"]],
            hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
            key="measure_table",
            column_config={
                "organization": "หน่วยงาน", "fiscal_year": st.column_config.NumberColumn("ปีงบประมาณ", format="%d"),
                "seq": "ลำดับ", "title": st.column_config.TextColumn("มาตรการ", width="large"),
                "instrument": "เครื่องมือ", "item_codes": "ข้อ ITA", "category": "หมวด",
                "responsible": "ผู้รับผิดชอบ", "period_text": "ระยะเวลา (ตามเอกสาร)",
                "period_start": "เริ่ม", "period_end": "สิ้นสุด", "file_name": "เอกสาร",
            })
        rows = event.selection.rows if event else []
        if rows:
            show_detail("measure", int(measures.iloc[rows[0]]["id"]))
        else:
            st.caption("คลิกแถวเพื่อดูรายละเอียด ข้อความต้นฉบับ และประวัติ")
