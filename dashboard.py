"""Entry script: page setup, the shared sidebar filters, and navigation over pages/."""

import streamlit as st

from lib import thai
from lib.auth import ROLE_LABELS, AccessDenied
from lib.queries import dashboard, records
from lib.thai import fiscal_quarter_of, fiscal_year_of
from lib.ui import cache
from lib.ui.format import plain, thai_date

st.set_page_config(page_title="ITA อปท. — ติดตามมาตรการและแผนป้องกันการทุจริต", page_icon="📋",
                   layout="wide")
cache.entered_through_dashboard()
cache.follow()


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def sign_in_gate() -> None:
    """With accounts configured, nobody sees a page before signing in."""
    if cache.accounts() is None or cache.signed_in():
        return
    if oidc_configured() and st.user.is_logged_in:
        try:
            cache.sign_in_by_email(st.user.get("email"))
            return
        except AccessDenied as e:
            st.error(plain(e))
    st.title("เข้าสู่ระบบ")
    with st.form("sign_in"):
        username = st.text_input("ชื่อผู้ใช้", key="sign_in_user")
        password = st.text_input("รหัสผ่าน", type="password", key="sign_in_password")
        if st.form_submit_button("เข้าสู่ระบบ"):
            try:
                cache.sign_in(username, password)
            except AccessDenied as e:
                st.error(plain(e))
            else:
                st.rerun()
    if oidc_configured():
        st.button("เข้าสู่ระบบด้วยบัญชีองค์กร (OpenID Connect)", on_click=st.login)
    st.stop()


def user_box() -> None:
    access = cache.current_access()
    with st.sidebar:
        if access.local_mode:
            st.caption("โหมดผู้ใช้คนเดียวบนเครื่องนี้: ยังไม่ได้ตั้งค่าบัญชีผู้ใช้ (config/accounts.toml) "
                       "ทุกคนที่เปิดหน้านี้แก้ไขข้อมูลได้")
            return
        st.caption(f"ผู้ใช้: {plain(access.name)} · {ROLE_LABELS[access.role]}")
        if st.button("ออกจากระบบ", key="sign_out"):
            cache.sign_out()
            if oidc_configured() and st.user.is_logged_in:
                st.logout()
            st.rerun()

ALL = "ทั้งหมด"
ORG_LIST_LIMIT = 30  # beyond this many organizations the sidebar asks for province, district or a name


def organization_picker() -> int | None:
    """Province -> district -> organization. With few organizations, one short list; with many,
    the list holds at most ORG_LIST_LIMIT names of the chosen area or the name searched."""
    province = district = None
    search = ""
    if cache.read(dashboard.organization_count) > ORG_LIST_LIMIT:
        province = st.selectbox("จังหวัด", [None, *cache.read(dashboard.provinces)],
                                key="filter_province", format_func=lambda p: ALL if p is None else p)
        district_options = [None, *cache.read(dashboard.districts, province)] if province else [None]
        if st.session_state.get("filter_district") not in district_options:
            st.session_state["filter_district"] = None
        district = st.selectbox("อำเภอ", district_options, key="filter_district",
                                format_func=lambda d: ALL if d is None else d, disabled=province is None)
        search = st.text_input("ค้นหาชื่อหน่วยงาน", key="filter_org_search", placeholder="เช่น ตะโก").strip()
    else:
        st.session_state.pop("filter_province", None)
        st.session_state.pop("filter_district", None)
    choices = cache.read(dashboard.organization_choices, province, district, search, ORG_LIST_LIMIT)
    labels = dict(zip(choices["id"].tolist(), choices["label"], strict=True))
    chosen = st.session_state.get("filter_org")
    if chosen is not None and chosen not in labels:  # keep the current choice while searching
        kept = cache.read(dashboard.organization_option, chosen)
        labels.update(zip(kept["id"].tolist(), kept["label"], strict=True))
        if chosen not in labels:
            st.session_state["filter_org"] = None
    org_id = st.selectbox("หน่วยงาน", [None, *labels], key="filter_org",
                          format_func=lambda i: (f"{ALL}ใน จ.{province}" if province else ALL) if i is None
                          else labels[i])
    matched = int(choices["matched"].iloc[0]) if len(choices) else 0
    if matched > len(choices):
        st.caption(f"แสดง {len(choices):,} จาก {matched:,} หน่วยงาน · เลือกจังหวัด/อำเภอ หรือพิมพ์ชื่อเพื่อค้นหา")
    return org_id


def sidebar_filters() -> None:
    """Organization, fiscal year and the as-of date, kept in session_state so every page sees
    the same choice."""
    with st.sidebar:
        st.markdown("### ตัวกรอง")
        org_id = organization_picker()
        years = cache.read(records.fiscal_years, org_id)
        if st.session_state.get("filter_year") not in (None, *years):
            st.session_state["filter_year"] = None
        st.selectbox("ปีงบประมาณ (พ.ศ.)", [None, *years], key="filter_year",
                     format_func=lambda y: ALL if y is None else str(y))
        if "filter_as_of" not in st.session_state:
            st.session_state["filter_as_of"] = thai.today()
        as_of = st.date_input("ข้อมูล ณ วันที่", key="filter_as_of", format="DD/MM/YYYY",
                              help="ไตรมาสที่สิ้นสุดก่อนวันนี้นับว่าถึงกำหนดแล้ว และนับเฉพาะรายงานที่ส่งภายในวันนี้")
        st.caption(f"ณ {thai_date(as_of)} (ปีงบประมาณ {fiscal_year_of(as_of)} ไตรมาส {fiscal_quarter_of(as_of)})")


pages = {
    "ติดตามผล": [
        st.Page("pages/overview.py", title="ภาพรวม", icon=":material/dashboard:", default=True),
        st.Page("pages/progress.py", title="ความก้าวหน้ารายไตรมาส", icon=":material/timeline:"),
        st.Page("pages/budget.py", title="งบประมาณตามมิติ", icon=":material/payments:"),
        st.Page("pages/records.py", title="ทะเบียนมาตรการ/โครงการ", icon=":material/table_view:"),
        st.Page("pages/presentation.py", title="โหมดนำเสนอ", icon=":material/co_present:"),
    ],
    "ITA": [
        st.Page("pages/ita_gap.py", title="ช่องว่างตัวชี้วัด ITA", icon=":material/target:"),
        st.Page("pages/ita_scores.py", title="นำเข้าคะแนน ITA", icon=":material/upload_file:"),
    ],
    "นำเข้าและรายงานผล": [
        st.Page("pages/documents.py", title="เอกสารที่นำเข้า", icon=":material/description:"),
        st.Page("pages/import_data.py", title="นำเข้าข้อมูล", icon=":material/upload_file:"),
        st.Page("pages/progress_report.py", title="รายงานความก้าวหน้า", icon=":material/edit_note:"),
    ],
    "ผู้ดูแลระบบ": [
        st.Page("pages/backup.py", title="สำรองและกู้คืนข้อมูล", icon=":material/backup:"),
    ],
}
sign_in_gate()
if not cache.current_access().is_admin:
    pages.pop("ผู้ดูแลระบบ")
navigation = st.navigation({section: entries for section, entries in pages.items() if entries})
user_box()
sidebar_filters()
synthetic = cache.read(records.synthetic_organizations)
if synthetic:
    st.warning(f"ข้อมูลสังเคราะห์: ฐานข้อมูลนี้มีหน่วยงานสังเคราะห์ {synthetic:,} แห่ง (ชื่อลงท้ายด้วย \"(สังเคราะห์)\") "
               "สร้างขึ้นเพื่อทดสอบความเร็ว ไม่ใช่ข้อมูลจริงของหน่วยงานใด", icon=":material/science:")
navigation.run()
