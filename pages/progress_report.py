"""รายงานความก้าวหน้า: a quarter's progress of one plan item or measure, its history and undo."""

import streamlit as st

from lib import thai
from lib.ingest.templates import KIND_LABELS
from lib.queries import collect, dashboard
from lib.queries import records as record_queries
from lib.records import BLOCKED_REASONS, PROGRESS_STATUSES, STATUS_BLOCKED
from lib.store import StoreError, uploads
from lib.thai import fiscal_quarter_of, fiscal_year_of, quarter_bounds
from lib.ui import cache
from lib.ui.format import baht, thai_date

OTHER_REASON = "อื่น ๆ (ระบุ)"
MAX_ORGANIZATIONS_WITHOUT_CHOICE = 30  # beyond this, the record list waits for an organization

st.title("รายงานความก้าวหน้า")
org_id = st.session_state.get("filter_org")
year = st.session_state.get("filter_year")

if org_id is None and cache.read(dashboard.organization_count) > MAX_ORGANIZATIONS_WITHOUT_CHOICE:
    st.info("เลือกหน่วยงานที่แถบด้านซ้ายก่อน แล้วจึงเลือกรายการที่จะรายงานผล")
    st.stop()
kind = st.radio("ประเภทรายการ", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True, key="pr_kind")
records = cache.read(record_queries.plan_items if kind == "plan_item" else record_queries.measures, org_id, year)
if records.empty:
    st.info("ไม่มีรายการสำหรับหน่วยงานและปีงบประมาณที่เลือก (เปลี่ยนได้ที่แถบด้านซ้าย)")
    st.stop()
labels = {int(r.id): f"{r.organization} ปี {r.fiscal_year} · {r.seq}. {r.title}" for r in records.itertuples()}
record_id = st.selectbox("รายการ", list(labels), format_func=labels.get, key=f"pr_record:{kind}")
record = records.set_index("id").loc[record_id]
fiscal_year = int(record["fiscal_year"])
planned = [int(q) for q in record["quarters"]] if record["quarters"] is not None else []
st.caption("ไตรมาสที่วางแผนไว้: " + (", ".join(map(str, planned)) if planned else "ไม่ได้ระบุ"))

today = thai.today()
default_q = fiscal_quarter_of(today) if fiscal_year_of(today) == fiscal_year else (planned[0] if planned else 1)
refused = cache.current_access().cannot("บันทึกรายงาน")  # the store refuses it too
if refused:
    st.caption(refused)
else:
    with st.container(border=True):
        st.markdown("**รายงานผลไตรมาส**")
        quarter = st.selectbox("ไตรมาส", [1, 2, 3, 4], index=default_q - 1, key=f"pr_quarter:{kind}:{record_id}",
                               format_func=lambda q: f"ไตรมาส {q} ({thai_date(quarter_bounds(fiscal_year, q)[0])} - "
                                                     f"{thai_date(quarter_bounds(fiscal_year, q)[1])})")
        # Every value widget's key names the record and quarter it reports on: another record (or
        # quarter) gets fresh widgets, so a form can never save values typed for a different one.
        form_key = f"{kind}:{record_id}:q{quarter}"
        quarter_end = quarter_bounds(fiscal_year, quarter)[1]
        if quarter_end < today:
            st.warning(f"ไตรมาส {quarter} สิ้นสุดแล้วเมื่อ {thai_date(quarter_end)} รายงานนี้จะถูกบันทึกว่าส่งล่าช้า")
        status = st.selectbox("สถานะ", PROGRESS_STATUSES, key=f"pr_status:{form_key}")
        reason = None
        if status == STATUS_BLOCKED:
            choice = st.selectbox("เหตุผลที่ดำเนินการไม่ได้", [*BLOCKED_REASONS, OTHER_REASON], key=f"pr_reason:{form_key}")
            reason = st.text_input("ระบุเหตุผลอื่น", key=f"pr_reason_other:{form_key}") if choice == OTHER_REASON else choice
        # no min_value: Streamlit says a negative amount in English; the store refuses it in Thai
        spent = st.number_input("งบประมาณที่ใช้ (บาท)", step=100.0, format="%.2f", value=None,
                                key=f"pr_spent:{form_key}", help="เฉพาะยอดที่ใช้ในไตรมาสนี้ ไม่ใช่ยอดสะสม "
                                                     "(หน้างบประมาณรวมยอดของทุกไตรมาสให้)")
        note = st.text_area("รายละเอียดการดำเนินงาน", key=f"pr_note:{form_key}")
        evidence = st.text_input("ลิงก์หลักฐาน (http:// หรือ https://)", key=f"pr_evidence:{form_key}")
        actor = st.text_input("ชื่อผู้รายงาน (จำเป็น)", key="pr_actor")
        if st.button("บันทึกรายงาน", type="primary", key="pr_submit", disabled=not actor.strip()):
            try:
                cache.store().record_progress(kind, record_id, quarter, status, actor, reason=reason, spent=spent,
                                              note=note, evidence_url=evidence)
            except StoreError as e:
                st.error(str(e))
            else:
                cache.after_write()
                st.success(f"บันทึกรายงานไตรมาส {quarter} แล้ว")

st.subheader("ประวัติรายงานความก้าวหน้า")
history = cache.read(collect.progress_history, kind, record_id)
if history.empty:
    st.caption("ยังไม่มีรายงาน")
else:
    shown = history.assign(
        status=history["status"].fillna(collect.WITHDRAWN),
        reported_at=history["reported_at"].map(lambda t: thai_date(t) + t.strftime(" %H:%M")),
        spent=history["spent"].map(lambda v: baht(v) if v == v else "-"),
        late=history["late"].map({True: "ล่าช้า", False: "ตรงเวลา"}),
        current=history["current"].map({True: "ปัจจุบัน", False: ""}),
        source=collect.source_labels(history))
    st.dataframe(shown[["id", "quarter", "status", "source", "reason", "spent", "note", "evidence_url", "reported_at",
                        "reported_by", "late", "current"]], hide_index=True, placeholder="—", width="stretch",
                 key="progress_history",
                 column_config={"id": "ฉบับ", "quarter": "ไตรมาส", "status": "สถานะ", "reason": "เหตุผล",
                                "spent": "ใช้งบ (บาท)", "note": "รายละเอียด",
                                "evidence_url": st.column_config.LinkColumn("หลักฐาน"),
                                "reported_at": "รายงานเมื่อ", "reported_by": "ผู้รายงาน", "source": "ที่มา",
                                "late": "ส่ง", "current": "สถานะปัจจุบัน"})
    from_document = history[history["current"] & history["from_document"]]
    if not from_document.empty and not refused:
        with st.container(border=True):
            st.markdown(f"**รายงานจากเอกสาร {len(from_document)} ไตรมาส รอผู้ใช้ยืนยัน** — ระบบอ่านสถานะจากถ้อยคำในเอกสาร"
                        " ยืนยันถ้าถูกต้อง หรือแก้โดยบันทึกรายงานใหม่ด้านบน (บันทึกเป็นรายงานใหม่ในประวัติ)")
            st.caption(" · ".join(f"ไตรมาส {r.quarter}: {r.status}" for r in from_document.itertuples()))
            confirm_actor = st.text_input("ชื่อผู้ยืนยัน (จำเป็น)", key="pr_confirm_actor")
            if st.button("ยืนยันตามเอกสาร", key="pr_confirm", disabled=not confirm_actor.strip()):
                try:
                    uploads.confirm_document_reports(cache.store(), kind, record_id, confirm_actor)
                except StoreError as e:
                    st.error(str(e))
                else:
                    cache.after_write()
                    st.rerun()
    earlier = history[~history["current"]]
    if not earlier.empty and not refused:
        with st.container(border=True):
            st.markdown("**ย้อนกลับเป็นรายงานฉบับก่อน** (บันทึกเป็นรายงานใหม่ ไม่มีการลบของเดิม)")
            back_to = st.selectbox("ฉบับ", earlier["id"].tolist(), key=f"pr_restore_id:{kind}:{record_id}",
                                   format_func=lambda i: f"#{i} ไตรมาส {history.set_index('id').loc[i, 'quarter']} · "
                                                         f"{shown.set_index('id').loc[i, 'status']}")
            undo_actor = st.text_input("ชื่อผู้ย้อนกลับ (จำเป็น)", key="pr_restore_actor")
            if st.button("ย้อนกลับ", key="pr_restore", disabled=not undo_actor.strip()):
                try:
                    uploads.restore_progress(cache.store(), int(back_to), undo_actor)
                except StoreError as e:
                    st.error(str(e))
                else:
                    cache.after_write()
                    st.rerun()

st.subheader("ประวัติการแก้ไขรายการ")
versions = cache.read(collect.record_versions, kind, record_id)
st.dataframe(versions.assign(changed_at=versions["changed_at"].map(lambda t: thai_date(t) + t.strftime(" %H:%M")),
                             action=versions["action"].map(collect.action_label))
             [["id", "changed_at", "actor", "action", "summary"]], hide_index=True, placeholder="—", width="stretch",
             key="record_versions",
             column_config={"id": "ฉบับ", "changed_at": "เมื่อ", "actor": "โดย", "action": "การกระทำ",
                            "summary": st.column_config.TextColumn("การเปลี่ยนแปลง", width="large")})
if len(versions) > 1 and not refused:
    with st.container(border=True):
        st.markdown("**ย้อนกลับข้อมูลรายการเป็นฉบับก่อน** (บันทึกเป็นการแก้ไขใหม่ในประวัติ)")
        version = st.selectbox("ฉบับ", versions["id"].tolist()[:-1], key=f"rv_id:{kind}:{record_id}",
                               format_func=lambda i: f"#{i} · " + versions.set_index("id").loc[i, "summary"][:80])
        version_actor = st.text_input("ชื่อผู้ย้อนกลับ (จำเป็น)", key="rv_actor")
        if st.button("ย้อนกลับข้อมูลรายการ", key="rv_restore", disabled=not version_actor.strip()):
            try:
                uploads.restore_version(cache.store(), kind, record_id, int(version), version_actor)
            except StoreError as e:
                st.error(str(e))
            else:
                cache.after_write()
                st.rerun()
