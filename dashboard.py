"""Entry script: page setup, the shared sidebar filters, and navigation over pages/."""
import datetime as dt

import streamlit as st

from lib import progress, thai
from lib.auth import ROLE_LABELS, AccessDenied
from lib.errors import UserError, log_unexpected, unexpected_message
from lib.queries import dashboard, records
from lib.thai import ce_to_be, fiscal_quarter_of, fiscal_year_of, quarter_label
from lib.ui import cache, dates
from lib.ui.format import plain

st.set_page_config(page_title="ITA อปท. — ติดตามมาตรการและแผนป้องกันการทุจริต", page_icon="📋",
                   layout="wide")
# Less empty space above each page (the default 6rem pushed a page's answer below 768 px).
# Streamlit 1.67 has no setting for its own widget texts (no locale option; the file uploader's
# "Upload" and "200MB per file", the running indicator's "Stop" and an input's "Press Enter to apply" are fixed in
# its frontend): they are replaced here,
# by CSS on its test ids, and tests/test_browser.py fails if English shows again after an upgrade.
# A table's own "Download as CSV" is hidden: it writes cells as they are, so a document's "=HYPERLINK(...)"
# would run in Excel; every file handed out goes through lib/sheets.py (the pages' xlsx buttons).
st.html("""<style>
.stMainBlockContainer {padding-top: 3.5rem; padding-bottom: 2rem}
[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p {font-size: 0}
[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer] p::after {
  content: "เลือกไฟล์"; font-size: 1rem}
[data-testid=stFileUploaderDropzoneInstructions] span {font-size: 0}
[data-testid=stFileUploaderDropzoneInstructions] span::after {
  content: "หรือลากไฟล์มาวางที่นี่ (ชนิดไฟล์ตามที่ระบุด้านบน)"; font-size: 0.875rem}
[data-testid=stStatusWidget] button {font-size: 0}
[data-testid=stStatusWidget] button::after {content: "หยุด"; font-size: 0.875rem}
[data-testid=stElementToolbarButton]:has(button[aria-label="Download as CSV"]) {display: none}
[data-testid=InputInstructions] {font-size: 0}
[data-testid=InputInstructions]::after {content: "กด Enter เพื่อใช้ค่านี้"; font-size: 0.75rem}
[data-testid=stTextArea] [data-testid=InputInstructions]::after {content: "กด Ctrl+Enter เพื่อใช้ค่านี้"}
[data-testid=stForm] [data-testid=InputInstructions]::after {content: "กด Enter เพื่อส่งแบบฟอร์ม"}
</style>""")


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
                                key="filter_province", format_func=lambda p: ALL if p is None else p, placeholder=ALL)
        district_options = [None, *cache.read(dashboard.districts, province)] if province else [None]
        if st.session_state.get("filter_district") not in district_options:
            st.session_state["filter_district"] = None
        district = st.selectbox("อำเภอ", district_options, key="filter_district",
                                format_func=lambda d: ALL if d is None else d, disabled=province is None,
                                placeholder=ALL)
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
    # placeholder: Streamlit shows it (in English by default) when the chosen option is None
    org_id = st.selectbox("หน่วยงาน", [None, *labels], key="filter_org", placeholder=ALL,
                          format_func=lambda i: (f"{ALL}ใน จ.{province}" if province else ALL) if i is None
                          else labels[i])
    matched = int(choices["matched"].iloc[0]) if len(choices) else 0
    if matched > len(choices):
        st.caption(f"แสดง {len(choices):,} จาก {matched:,} หน่วยงาน · เลือกจังหวัด/อำเภอ หรือพิมพ์ชื่อเพื่อค้นหา")
    return org_id


AS_OF = "filter_as_of"


def _set_today() -> None:
    dates.set_parts(st.session_state, AS_OF, thai.today())


def as_of_picker(first_year: int | None) -> dt.date:
    """The as-of date as day, Thai month and พ.ศ. year (Streamlit's date_input shows an English,
    Christian-Era calendar and refuses a typed พ.ศ. date)."""
    today = thai.today()
    value = st.session_state.get(AS_OF) or today
    for part, v in (("d", value.day), ("m", value.month), ("y", ce_to_be(value.year))):
        st.session_state.setdefault(f"{AS_OF}_{part}", v)
    st.markdown("ข้อมูล ณ วันที่", help="ไตรมาสที่สิ้นสุดก่อนวันนี้นับว่าถึงกำหนดแล้ว และนับเฉพาะรายงานที่ส่งภายในวันนี้ "
                "(วัน เดือน ปี พ.ศ.)")
    years = list(range(min(first_year or ce_to_be(today.year), ce_to_be(value.year)) - 1, ce_to_be(today.year) + 2))
    if st.session_state[f"{AS_OF}_y"] not in years:
        st.session_state[f"{AS_OF}_y"] = ce_to_be(value.year)
    chosen = dates.picker(st, st.session_state, AS_OF, years)
    st.session_state[AS_OF] = chosen
    note, reset = st.columns([3, 1], vertical_alignment="center")
    note.caption(f"วันนี้อยู่ในปีงบประมาณ {fiscal_year_of(chosen)} ไตรมาส {fiscal_quarter_of(chosen)}"
                 if chosen == today else
                 f"วันที่เลือกอยู่ในปีงบประมาณ {fiscal_year_of(chosen)} ไตรมาส {fiscal_quarter_of(chosen)}")
    if chosen != today:
        reset.button("วันนี้", key="filter_as_of_today", on_click=_set_today, type="tertiary")
    return chosen


def period_picker(org_id: int | None) -> None:
    """Fiscal year and quarter (พ.ศ., Thai month names). Until the user picks, the period follows
    progress.default_period: today's quarter, or the latest planned year, said on the overview."""
    scope = (org_id, st.session_state.get("filter_province"), st.session_state.get("filter_district"))
    years = cache.read(records.fiscal_years, org_id)
    if "filter_year" not in st.session_state or st.session_state["filter_year"] not in (None, *years):
        year, quarter, note = progress.default_period(thai.today(), cache.read(dashboard.planned_quarters, scope))
        st.session_state.update({"filter_year": year if year in years else None, "filter_quarter": quarter,
                                 "filter_period_default": (year, quarter, note)})
    year = st.selectbox("ปีงบประมาณ (พ.ศ.)", [None, *years], key="filter_year", placeholder="ทุกปี",
                        format_func=lambda y: "ทุกปี" if y is None else str(y))
    if st.session_state.get("filter_quarter") not in (None, 1, 2, 3, 4):
        st.session_state["filter_quarter"] = None
    st.selectbox("ไตรมาส", [None, 1, 2, 3, 4], key="filter_quarter", disabled=year is None, placeholder="ทั้งปี",
                 format_func=lambda q: "ทั้งปี" if q is None else quarter_label(q, year))
    return years


def sidebar_filters() -> None:
    """Organization, fiscal year and quarter, and the as-of date, kept in session_state so every
    page sees the same choice."""
    if "pick_organization" in st.session_state:  # a row chosen on another page (เปรียบเทียบหน่วยงาน)
        st.session_state["filter_org"] = st.session_state.pop("pick_organization")
    own = cache.current_access().organization_ids
    if "filter_org" not in st.session_state and own is not None and len(own) == 1:
        st.session_state["filter_org"] = next(iter(own))  # a user of one organization opens on it
    with st.sidebar:
        st.markdown("### ตัวกรอง")
        org_id = organization_picker()
        years = period_picker(org_id)
        as_of_picker(min(years) if years else None)


pages = {
    "ติดตามผล": [
        st.Page("pages/overview.py", title="ภาพรวม", icon=":material/dashboard:", default=True),
        st.Page("pages/compare.py", title="เปรียบเทียบหน่วยงาน", icon=":material/leaderboard:"),
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
        st.Page("pages/report_quarter.py", title="รายงานผลรายไตรมาส", icon=":material/grid_on:"),
        st.Page("pages/progress_report.py", title="รายงานความก้าวหน้า", icon=":material/edit_note:"),
    ],
    "ผู้ดูแลระบบ": [
        st.Page("pages/backup.py", title="สำรองและกู้คืนข้อมูล", icon=":material/backup:"),
    ],
}


def wait_while_opening() -> None:
    """While the server's start-up (deploy/serve) is still opening the database, say so and look again
    every 2 s, instead of every visitor waiting on it: the first start after an upgrade recomputes the
    summaries (minutes on a national database)."""
    if cache.opening_for() is None:
        return
    st.navigation(pages, position="hidden")  # not run: only so that Streamlit lists no page files of its own
    st.title("กำลังเตรียมฐานข้อมูล")

    @st.fragment(run_every=2)
    def status() -> None:
        seconds = cache.opening_for()
        if seconds is None:
            st.rerun()
        st.info(f"ระบบเพิ่งเริ่มทำงานและกำลังเปิดฐานข้อมูล (เริ่มมาแล้ว {seconds:,.0f} วินาที) "
                "ครั้งแรกหลังปรับรุ่นโปรแกรม ระบบจะคำนวณตารางสรุปใหม่ทั้งหมดครั้งเดียว ซึ่งอาจใช้เวลาหลายนาทีเมื่อข้อมูลมาก "
                "หน้านี้จะแสดงข้อมูลเองเมื่อพร้อม ไม่ต้องโหลดหน้าใหม่", icon=":material/hourglass_top:")

    status()
    st.stop()


def main() -> None:
    cache.entered_through_dashboard()
    wait_while_opening()
    cache.follow()
    sign_in_gate()
    shown = {section: entries for section, entries in pages.items()
             if entries and (section != "ผู้ดูแลระบบ" or cache.current_access().is_admin)}
    # In the top bar, not the sidebar: eleven links there pushed the filters below the fold at 768 px.
    navigation = st.navigation(shown, position="top")
    st.session_state["_navigated"] = True
    user_box()
    sidebar_filters()
    synthetic = cache.read(records.synthetic_organizations)
    if synthetic:
        st.warning(f"ข้อมูลสังเคราะห์: ฐานข้อมูลนี้มีหน่วยงานสังเคราะห์ {synthetic:,} แห่ง (ชื่อลงท้ายด้วย \"(สังเคราะห์)\") "
                   "สร้างขึ้นเพื่อทดสอบความเร็ว ไม่ใช่ข้อมูลจริงของหน่วยงานใด", icon=":material/science:")
    navigation.run()


def run_guarded(run) -> None:
    """The error boundary of every page run: a message meant for the user that nothing caught is
    shown as it is; any other error becomes a Thai message saying what to do, its traceback goes to
    the log (lib.errors), never to the screen. st.stop and st.rerun are not errors (BaseException)."""
    st.session_state["_navigated"] = False
    try:
        run()
    except UserError as e:
        message = plain(e)
    except Exception:
        message = unexpected_message(log_unexpected("a page run"))
    else:
        return
    if not st.session_state["_navigated"]:  # else Streamlit lists pages/ by their file names in English
        st.navigation([entry for entries in pages.values() for entry in entries], position="hidden")
    st.error(message)


run_guarded(main)
