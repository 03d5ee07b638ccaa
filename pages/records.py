"""ทะเบียนมาตรการ/โครงการ: plan items and measures with search and filters; a record's detail shows
its source passage, ITA links, progress history and edit history."""
import streamlit as st

from lib import progress
from lib.queries import collect, dashboard
from lib.queries import records as record_queries
from lib.records import INSTRUMENTS, PROGRESS_STATUSES
from lib.store import StoreError, uploads
from lib.ui import cache, export, filters
from lib.ui.format import baht, codes, plain, quarters, thai_date

ROW_LIMIT = 500
f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)

st.title("ทะเบียนมาตรการ/โครงการ")
st.caption(" · ".join(shown_with.values()) + " (เปลี่ยนหน่วยงาน ปี หรือวันที่ได้ที่แถบด้านซ้าย)")

with st.container(border=True):
    c1, c2, c3 = st.columns([2, 1, 1])
    search = c1.text_input("ค้นหาชื่อรายการหรือผู้รับผิดชอบ", key="reg_search")
    instruments = c2.multiselect("เครื่องมือ ITA", INSTRUMENTS, key="reg_instruments", placeholder="ทั้งหมด")
    item_code = c3.selectbox("ข้อคำถาม ITA", [None, *cache.read(dashboard.item_codes, f.scope, f.year)],
                             key="reg_item", format_func=lambda c: "ทั้งหมด" if c is None else c, placeholder="ทั้งหมด")
    c4, c5, c6 = st.columns([2, 1, 1])
    unit = c4.text_input("หน่วยที่รับผิดชอบ", key="reg_unit", placeholder="เช่น กองคลัง")
    states = c5.multiselect("สถานะล่าสุด", [*PROGRESS_STATUSES, progress.NO_REPORT], key="reg_states",
                            placeholder="ทั้งหมด")
    planned = c6.multiselect("ไตรมาสที่วางแผน", [1, 2, 3, 4], key="reg_quarters", placeholder="ทั้งหมด",
                             format_func=lambda q: f"ไตรมาส {q}")
criteria = (search, tuple(instruments), item_code, unit, tuple(states), tuple(planned), ROW_LIMIT)
# Instruments and ITA items belong to measures: with either chosen, no plan item matches.
plan = cache.read(dashboard.register, f.scope, f.year, f.as_of, "plan_item", *criteria) \
    if not (instruments or item_code) else None
measures = cache.read(dashboard.register, f.scope, f.year, f.as_of, "measure", *criteria)
n_plan = 0 if plan is None or plan.empty else int(plan["matched"].iloc[0])
n_measures = 0 if measures.empty else int(measures["matched"].iloc[0])
st.caption(f"รายการในแผนปฏิบัติการ {n_plan:,} รายการ · มาตรการ {n_measures:,} รายการ")

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
    detail = cache.read(record_queries.record_detail, kind, record_id)
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
            # label and value side by side: the panel reads as a form, not a 3-screen list
            name, text = st.columns([1, 3], gap="small")
            name.markdown(f"**{label}**")
            text.text(str(value))
        links = detail.get("links")
        if links is not None and len(links):
            st.markdown("**ลิงก์หลักฐานในเอกสาร**")
            st.dataframe({"ลิงก์": list(links)}, hide_index=True, placeholder="—",
                         column_config={"ลิงก์": st.column_config.LinkColumn("ลิงก์")})
        with st.expander("ข้อความในเอกสารต้นฉบับ", expanded=True):
            st.text(detail["source_excerpt"])
        if kind == "measure":
            links = cache.read(dashboard.record_links, record_id)
            st.markdown(f"**ข้อคำถาม ITA ที่เชื่อมโยง ({len(links)})**")
            if links.empty:
                st.caption("เอกสารไม่ระบุข้อคำถาม ITA ของมาตรการนี้")
            else:
                st.dataframe(links.assign(
                    origin=links["origin"].map({"document": "ตามเอกสาร", "suggested": "ระบบแนะนำ"}),
                    status=links["status"].map({"as_read": "ตามที่อ่านได้", "pending": "รอยืนยัน",
                                                "confirmed": "ยืนยันแล้ว", "rejected": "ไม่ใช้"}))
                    .rename(columns={"framework_year": "กรอบปี", "code": "ข้อ", "origin": "ที่มา", "status": "สถานะ"}),
                    hide_index=True, placeholder="—", key=f"links_{record_id}",
                    column_config={"กรอบปี": st.column_config.NumberColumn(format="%d")})
        reports = cache.read(collect.progress_history, kind, record_id).iloc[::-1]  # newest first
        st.markdown(f"**ประวัติการรายงานผล ({len(reports)})**")
        if reports.empty:
            st.caption(f"{progress.NO_REPORT} — ทุกไตรมาสที่วางแผนไว้ยังไม่นับว่าแล้วเสร็จ")
        else:
            waiting = int((reports["current"] & reports["from_document"]).sum())
            if waiting:
                st.caption(f"รายงาน {waiting} ไตรมาสมาจากเอกสารผลการดำเนินการ (ระบบอ่านจากถ้อยคำ) "
                           "รอผู้ใช้ยืนยันหรือแก้ที่หน้ารายงานความก้าวหน้า")
            st.dataframe(reports.assign(quarter=reports["quarter"].map(lambda q: f"ไตรมาส {q}"),
                                        reported_at=reports["reported_at"].map(thai_date),
                                        late=reports["late"].map({True: "ส่งล่าช้า", False: ""}),
                                        source=collect.source_labels(reports))
                         [["quarter", "status", "source", "reason", "spent", "note", "evidence_url", "reported_at",
                           "reported_by", "late"]]
                         .rename(columns={"late": "การส่ง", "quarter": "ไตรมาส", "status": "สถานะ", "reason": "เหตุผล",
                                          "source": "ที่มา",
                                          "spent": "ใช้จ่าย (บาท)", "note": "หมายเหตุ", "evidence_url": "หลักฐาน",
                                          "reported_at": "รายงานเมื่อ", "reported_by": "ผู้รายงาน"}),
                         hide_index=True, placeholder="—", key=f"reports_{kind}_{record_id}",
                         column_config={"หลักฐาน": st.column_config.LinkColumn(),
                                        "ใช้จ่าย (บาท)": st.column_config.NumberColumn(format="%,.2f")})
        history = cache.read(collect.record_versions, kind, record_id)
        with st.expander(f"ประวัติการแก้ไข ({len(history)}) · ย้อนกลับได้ที่หน้ารายงานความก้าวหน้า"):
            st.dataframe(history.assign(changed_at=history["changed_at"].map(thai_date),
                                        action=history["action"].map(collect.action_label))
                         [["changed_at", "actor", "action", "summary"]], hide_index=True, placeholder="—",
                         column_config={"changed_at": "เมื่อ", "actor": "โดย", "action": "การกระทำ",
                                        "summary": "การเปลี่ยนแปลง"})
        if cache.current_access().can_write:
            edit_form(kind, record_id, detail, history)


def edit_form(kind: str, record_id: int, detail: dict, history) -> None:
    """A one-word fix without a template round trip: checked as an upload's cells are, kept in the
    history, and the latest edit undone from here. Keys carry the record: no form shows another's values."""
    k = f"{kind}_{record_id}"
    with st.expander("แก้ไขรายการนี้ (บันทึกในประวัติ ย้อนกลับได้)"):
        with st.form(f"edit_{k}"):
            cells = {"title": st.text_input("ชื่อ", detail.get("title") or "", key=f"edit_title_{k}"),
                     "responsible": st.text_input("ผู้รับผิดชอบ", detail.get("responsible") or "",
                                                  key=f"edit_responsible_{k}")}
            if kind == "plan_item":
                cells["budget"] = st.text_input("งบประมาณ (บาท)", baht(float(detail.get("budget") or 0)),
                                                key=f"edit_budget_{k}", help="ไม่ใช้งบประมาณใส่ 0")
            planned = [int(q) for q in detail.get("quarters")] if detail.get("quarters") is not None else []
            cells["quarters"] = st.multiselect("ไตรมาสที่ดำเนินการ", [1, 2, 3, 4], default=planned,
                                               key=f"edit_quarters_{k}", format_func=lambda q: f"ไตรมาส {q}",
                                               placeholder="เลือกไตรมาส")
            if kind == "measure":
                links = cache.read(dashboard.record_links, record_id)
                active = links[links["status"].isin(["as_read", "confirmed"])]["code"].tolist()
                cells["item_codes"] = st.text_input("รหัสข้อคำถาม ITA", ", ".join(active), key=f"edit_codes_{k}",
                                                    help="เช่น i7, e11, o41 (คั่นด้วยจุลภาค)")
            actor = st.text_input("ชื่อผู้แก้ไข (จำเป็น)", key=f"edit_actor_{k}")
            if st.form_submit_button("บันทึกการแก้ไข"):
                try:
                    changed = uploads.edit_record(cache.store(), kind, record_id, cells, actor)
                except StoreError as e:
                    st.error(plain(e))
                else:
                    cache.after_write()
                    st.success(f"บันทึกการแก้ไขแล้ว {changed:,} ช่อง" if changed else "ไม่มีช่องที่เปลี่ยน")
        if len(history) > 1:
            last = history.iloc[-1]
            undo_actor = st.text_input("ชื่อผู้ย้อนกลับ (จำเป็น)", key=f"undo_actor_{k}")
            if st.button(f"ย้อนกลับการแก้ไขล่าสุด ({last['summary'][:60]})", key=f"undo_{k}",
                         disabled=not undo_actor.strip()):
                try:
                    uploads.restore_version(cache.store(), kind, record_id, int(history.iloc[-2]["id"]), undo_actor)
                except StoreError as e:
                    st.error(plain(e))
                else:
                    cache.after_write()
                    st.success("ย้อนกลับแล้ว (บันทึกเป็นการแก้ไขใหม่ในประวัติ)")


def register_table(rows, kind: str):
    """The rows as shown (Thai headers), in the order of the page."""
    shown = rows.assign(quarters=rows["quarters"].map(quarters), item_codes=rows["item_codes"].map(codes),
                        overdue=rows["overdue"].map({True: "เลยกำหนด", False: ""}))
    # the key columns first (what, whose, where it stands, due, money): they fit a 1366 px laptop
    if kind == "plan_item":
        columns = {"seq": "ลำดับ", "title": "รายการ", "organization": "หน่วยงาน", "state": "สถานะล่าสุด",
                   "overdue": "กำหนด", "budget": "งบประมาณ (บาท)", "quarters": "ไตรมาส", "group_key": "มิติ",
                   "responsible": "ผู้รับผิดชอบ", "fiscal_year": "ปีงบประมาณ"}
        shown = shown.assign(group_key=shown["group_key"].astype(int))
    else:
        columns = {"seq": "ลำดับ", "title": "มาตรการ", "organization": "หน่วยงาน", "state": "สถานะล่าสุด",
                   "overdue": "กำหนด", "item_codes": "ข้อ ITA", "quarters": "ไตรมาส", "group_key": "เครื่องมือ",
                   "responsible": "ผู้รับผิดชอบ", "fiscal_year": "ปีงบประมาณ"}
        shown = shown.assign(group_key=shown["group_key"].replace({"none": "-"}))
    return shown[list(columns)].rename(columns=columns)


def show_register(rows, kind: str, matched: int, table_key: str, topic: str) -> None:
    if rows is None or rows.empty:
        st.info("ไม่มีรายการที่ตรงกับตัวกรองนี้")
        return
    shown = register_table(rows, kind)
    event = st.dataframe(
        shown, hide_index=True, placeholder="—", width="stretch", on_select="rerun", selection_mode="single-row", key=table_key,
        column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d"),
                       "ลำดับ": st.column_config.NumberColumn(width=55),
                       "รายการ": st.column_config.TextColumn(width=340),
                       "มาตรการ": st.column_config.TextColumn(width=340),
                       "หน่วยงาน": st.column_config.TextColumn(width=110),
                       "สถานะล่าสุด": st.column_config.TextColumn(width=150),
                       "กำหนด": st.column_config.TextColumn(width=80),
                       "งบประมาณ (บาท)": st.column_config.NumberColumn(format="%,.2f", width=115)})
    if kind == "plan_item":
        st.markdown(f"**รวมงบประมาณ {baht(float(rows['matched_budget'].iloc[0]))} บาท**")
    if matched > len(rows):
        st.caption(f"แสดง {len(rows):,} รายการแรกจาก {matched:,} · ค้นหาหรือกรองเพิ่มเพื่อดูส่วนที่เหลือ")
    st.download_button("ดาวน์โหลดตาราง (xlsx)", lambda t=shown: export.xlsx_bytes(t, shown_with),
                       export.file_name(topic, org, f.year, f.as_of), export.XLSX_MIME, key=f"dl_{table_key}",
                       on_click="ignore", icon=":material/download:")
    selected = event.selection.rows if event else []
    chosen = (kind, int(rows.iloc[selected[0]]["record_id"])) if selected else None
    if chosen is None:
        st.session_state.pop(DISMISSED, None)  # a row chosen again after closing opens again
    elif st.session_state.get(DISMISSED) != chosen:
        row = rows.iloc[selected[0]]
        detail_panel(kind, chosen[1], f"{row['organization']} · {row['fiscal_year']} ลำดับ {row['seq']}")
    st.caption("คลิกแถวเพื่อเปิดรายละเอียด ข้อความต้นฉบับ ข้อ ITA ประวัติการรายงานผล และการแก้ไข (แผงด้านขวา)")


DISMISSED = "reg_detail_closed"  # the record whose panel the user closed while its row stays selected


def _closed(kind: str, record_id: int) -> None:
    st.session_state[DISMISSED] = (kind, record_id)


def detail_panel(kind: str, record_id: int, where: str) -> None:
    """The record's detail in a panel over the right of the page, where the user is looking, instead of
    below a long table (at 1366×768 it opened 5,400 px down)."""
    @st.dialog("รายละเอียดรายการ", width="medium", position="right",
               on_dismiss=lambda: _closed(kind, record_id))
    def panel() -> None:
        st.caption(plain(where))
        show_detail(kind, record_id)
    panel()


plan_tab, measure_tab = st.tabs([f"แผนปฏิบัติการ ({n_plan:,})", f"มาตรการ ITA ({n_measures:,})"])
with plan_tab:
    show_register(plan, "plan_item", n_plan, "plan_table", "ทะเบียนแผนปฏิบัติการ")
with measure_tab:
    show_register(measures, "measure", n_measures, "measure_table", "ทะเบียนมาตรการ")
