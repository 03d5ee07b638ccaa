"""เอกสารที่นำเข้า: what was imported, what each document yielded, what needs a decision."""
import hashlib

import pandas as pd
import streamlit as st

from lib.ingest import IngestError, read_document
from lib.ingest.organization import organization_from_name
from lib.queries import records
from lib.store import StoreError
from lib.ui import cache
from lib.ui.format import plain, thai_date

st.title("เอกสารที่นำเข้า")
st.caption("เอกสารต้นฉบับทุกฉบับถูกเก็บไว้ในระบบตามที่นำเข้า พร้อมคำเตือนที่พบระหว่างอ่าน")

totals = cache.read(records.record_totals)
cols = st.columns(5)
cols[0].metric("เอกสาร", f"{totals['documents']:,}")
cols[1].metric("หน่วยงาน", f"{totals['organizations']:,}")
cols[2].metric("รายการในแผนปฏิบัติการ", f"{totals['plan_items']:,}")
cols[3].metric("มาตรการ", f"{totals['measures']:,}")
cols[4].metric("คำถามที่รอคำตอบ", f"{totals['open_questions']:,}")

docs = cache.read(records.documents, st.session_state.get("filter_org"), st.session_state.get("filter_year"))
st.subheader("รายการเอกสาร")
st.dataframe(
    docs.assign(imported_at=docs["imported_at"].map(thai_date),
                report_round=docs["report_round"].map(lambda r: f"{int(r)} เดือน" if pd.notna(r) else "-"))
    .drop(columns=["id", "matched"]),
    hide_index=True, width="stretch",
    column_config={
        "file_name": "ไฟล์", "layout_label": "รูปแบบเอกสาร", "organization": "หน่วยงาน",
        "fiscal_year": st.column_config.NumberColumn("ปีงบประมาณ", format="%d"),
        "report_round": "รอบรายงาน",
        "imported_at": "นำเข้าเมื่อ", "imported_by": "ผู้นำเข้า",
        "plan_items": "รายการแผน", "measures": "มาตรการ", "warnings": "คำเตือน",
        "open_questions": "คำถามรอตอบ",
    })

if len(docs) and docs["matched"].iloc[0] > len(docs):
    st.caption(f"แสดง {len(docs):,} ฉบับแรกจาก {docs['matched'].iloc[0]:,} ฉบับ "
               "(เลือกหน่วยงานหรือปีงบประมาณที่แถบด้านซ้ายเพื่อดูเฉพาะที่ต้องการ)")
issues = cache.read(records.document_issues, tuple(int(i) for i in docs["id"]))
open_questions = issues[(issues["severity"] == "question") & issues["answer"].isna()]
if len(open_questions):
    st.subheader("เรื่องที่ต้องตัดสินใจ")
    for q in open_questions.itertuples():
        with st.container(border=True):
            st.markdown(f"**{plain(q.file_name)}**")
            st.markdown(plain(q.message))
            options = list(q.options) if q.options is not None else []
            choice = st.radio("เลือกคำตอบ", options, key=f"answer_{q.id}", index=None, format_func=plain)
            actor = st.text_input("ชื่อผู้ยืนยัน", key=f"actor_{q.id}")
            if st.button("ยืนยันคำตอบ", key=f"confirm_{q.id}", disabled=choice is None):
                try:
                    cache.store().answer_question(q.id, choice, actor)
                except StoreError as e:
                    st.error(plain(e))
                else:
                    cache.after_write()
                    st.rerun()

st.subheader("คำเตือนจากการอ่านเอกสาร")
flagged = docs[(docs["warnings"] + docs["open_questions"]) > 0]
if len(flagged) < len(docs):
    st.caption(f"เอกสารที่อ่านได้โดยไม่มีคำเตือน {len(docs) - len(flagged):,} ฉบับ ไม่ได้แสดงในส่วนนี้")
for doc in flagged.itertuples():
    doc_issues = issues[issues["document_id"] == doc.id]
    label = plain(f"{doc.file_name} — {doc.organization or '-'} — คำเตือน {doc.warnings} รายการ")
    with st.expander(label, expanded=False):
        if doc_issues.empty:
            st.write("ไม่พบปัญหาในการอ่านเอกสารนี้")
        for issue in doc_issues.itertuples():
            answered = f" (ตอบแล้ว: {issue.answer} โดย {issue.answered_by})" if isinstance(issue.answer, str) else ""
            icon = "❓" if issue.severity == "question" else "⚠️"
            st.text(f"{icon} {issue.message}{answered}")

st.subheader("ดูเอกสารต้นฉบับ")
if len(docs):
    names = dict(zip(docs["id"], docs["file_name"], strict=True))
    chosen = st.selectbox("เอกสาร", list(names), format_func=names.get)
    name, text = cache.read(records.document_content, int(chosen))
    with st.expander(f"ข้อความต้นฉบับของ {plain(name)}"):
        st.text(text)

st.subheader("นำเข้าเอกสารใหม่")
upload = st.file_uploader("เอกสารมาตรการหรือแผนปฏิบัติการ: ไฟล์ PDF (.pdf), Word (.docx) หรือไฟล์ข้อความ (.txt)",
                          type=["pdf", "docx", "txt"], key="upload_document")
if upload is not None:
    data = upload.getvalue()
    # a PDF is read once per file (a scan takes seconds a page), not on every rerun of the page
    read_key = ("read_document", upload.name, hashlib.sha256(data).hexdigest())
    if st.session_state.get("read_document_key") != read_key:
        bar = st.progress(0.0, text="กำลังอ่านเอกสาร")
        try:
            st.session_state["read_document_result"] = read_document(
                data, upload.name, progress=lambda done, pages, message: bar.progress(done / max(pages, 1), text=message))
        except IngestError as e:
            st.session_state["read_document_result"] = e
        st.session_state["read_document_key"] = read_key
        bar.empty()
    parsed = st.session_state["read_document_result"]
    if isinstance(parsed, IngestError):
        st.error(plain(parsed))
        st.stop()
    st.write(f"รูปแบบ: {parsed.layout_label} · ปีงบประมาณ: {parsed.fiscal_year or 'ไม่พบ'} · "
             f"รายการแผน {len(parsed.plan_items)} · มาตรการ {len(parsed.measures)}")
    for issue in parsed.issues:
        st.warning(plain(issue.message))
    if parsed.organization is None:
        known = cache.read(records.organizations)
        pick = st.selectbox("เอกสารไม่ระบุหน่วยงาน: เลือกหน่วยงาน", [None, *known["name"]],
                            format_func=lambda n: "— พิมพ์ชื่อใหม่ —" if n is None else n)
        typed = st.text_input("หรือพิมพ์ชื่อเต็มของหน่วยงาน เช่น องค์การบริหารส่วนตำบลบ้องตี้")
        try:
            parsed.organization = organization_from_name(pick or typed) if (pick or typed) else None
        except ValueError as e:
            st.error(plain(e))
    else:
        st.markdown(f"หน่วยงาน: {plain(parsed.organization.name)}")
    fiscal_year = parsed.fiscal_year
    if fiscal_year is None:
        # e.g. a year OCR could not read surely: the user types it, the importer never guesses it
        fiscal_year = st.number_input("ปีงบประมาณ (พ.ศ.) ของเอกสารนี้", min_value=2400, max_value=2700,
                                      value=None, step=1, key="import_fiscal_year")
    actor = st.text_input("ชื่อผู้นำเข้า", key="import_actor")
    if st.button("นำเข้า", disabled=parsed.organization is None or not actor.strip() or fiscal_year is None):
        try:
            result = cache.store().import_document(parsed, data, upload.name.rsplit(".", 1)[-1].lower(),
                                                   actor.strip(), fiscal_year=int(fiscal_year))
        except StoreError as e:
            st.error(plain(e))
        else:
            cache.after_write()
            if result.created:
                st.success(f"นำเข้าแล้ว: รายการแผน {result.plan_items} · มาตรการ {result.measures}")
            else:
                st.info("ไฟล์นี้เคยนำเข้าแล้ว ระบบไม่ได้เพิ่มข้อมูลซ้ำ")
