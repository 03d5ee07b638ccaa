"""Entry script: page setup, the shared sidebar filters, and navigation over pages/."""
import streamlit as st

from lib import cache

st.set_page_config(page_title="ITA อปท. — ติดตามมาตรการและแผนป้องกันการทุจริต", page_icon="📋",
                   layout="wide")

ALL = "ทั้งหมด"


def sidebar_filters() -> None:
    """Organization and fiscal year, kept in session_state so every page sees the same choice."""
    orgs = cache.read("organizations")
    labels = {row.id: row.short_name + (f" (จ.{row.province})" if isinstance(row.province, str)
                                        else " (ที่ตั้งรอยืนยัน)")
              for row in orgs.itertuples()}
    with st.sidebar:
        st.markdown("### ตัวกรอง")
        org_id = st.selectbox("หน่วยงาน", [None, *labels], key="filter_org",
                              format_func=lambda i: ALL if i is None else labels[i])
        years = cache.read("fiscal_years", org_id)
        if st.session_state.get("filter_year") not in (None, *years):
            st.session_state["filter_year"] = None
        st.selectbox("ปีงบประมาณ (พ.ศ.)", [None, *years], key="filter_year",
                     format_func=lambda y: ALL if y is None else str(y))


pages = {
    "ติดตามผล": [
        st.Page("pages/documents.py", title="เอกสารที่นำเข้า", icon=":material/description:", default=True),
        st.Page("pages/records.py", title="ทะเบียนแผนและมาตรการ", icon=":material/table_view:"),
    ],
    "ITA": [
    ],
    "นำเข้าและรายงานผล": [
    ],
    "ผู้ดูแลระบบ": [
        st.Page("pages/backup.py", title="สำรองและกู้คืนข้อมูล", icon=":material/backup:"),
    ],
}
navigation = st.navigation({section: entries for section, entries in pages.items() if entries})
sidebar_filters()
navigation.run()
