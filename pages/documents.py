"""เอกสารที่นำเข้า: what was imported, what each document yielded, what needs a decision."""
import hashlib

import pandas as pd
import streamlit as st

from lib.ingest import MAX_BYTES, IngestError, read_document
from lib.ingest.organization import organization_from_name
from lib.ingest.results import parse_progress_subject
from lib.ingest.versions import FIELD_LABELS
from lib.queries import collect, dashboard, records
from lib.store import StoreError
from lib.ui import cache
from lib.ui.dates import year_problem
from lib.ui.format import baht, plain, quarters, quoting_html, thai_date

# Streamlit's own icon font, not emoji: a machine without an emoji font showed ❓ as an empty box
ICONS = {"question": ":material/help:", "warning": ":material/warning:"}

st.title("เอกสารที่นำเข้า")
st.caption("เอกสารต้นฉบับทุกฉบับถูกเก็บไว้ในระบบตามที่นำเข้า พร้อมคำเตือนที่พบระหว่างอ่าน")

org_id, year = st.session_state.get("filter_org"), st.session_state.get("filter_year")
access = cache.current_access()  # what its role cannot do is not offered (the store still refuses it)
totals = cache.read(records.record_totals, org_id, year)
everything = totals if org_id is None and year is None else cache.read(records.record_totals)
if everything is not totals:  # the counts, the list and the questions below follow the sidebar's filter
    shown = " · ".join([cache.read(dashboard.organization_label, org_id) if org_id is not None else "ทุกหน่วยงาน",
                        f"ปีงบประมาณ {year}" if year is not None else "ทุกปี"])
    st.info(f"แสดงตามตัวกรองที่แถบด้านซ้าย: {plain(shown)} — ในระบบทั้งหมดมีเอกสาร {everything['documents']:,} ฉบับ "
            f"คำถามที่รอคำตอบ {everything['open_questions']:,} ข้อ (เลือกหน่วยงาน 'ทั้งหมด' และปี 'ทุกปี' เพื่อดูทั้งหมด)",
            icon=":material/filter_alt:")
cols = st.columns(5)
cols[0].metric("เอกสาร", f"{totals['documents']:,}")
cols[1].metric("หน่วยงาน", f"{totals['organizations']:,}")
cols[2].metric("รายการในแผนปฏิบัติการ", f"{totals['plan_items']:,}")
cols[3].metric("มาตรการ", f"{totals['measures']:,}")
cols[4].metric("คำถามที่รอคำตอบ", f"{totals['open_questions']:,}")

docs = cache.read(records.documents, org_id, year)
st.subheader("รายการเอกสาร")
st.dataframe(
    docs.assign(imported_at=docs["imported_at"].map(thai_date),
                fiscal_year=[str(int(y)) if pd.notna(y) else (ys or None)
                             for y, ys in zip(docs["fiscal_year"], docs["years"].fillna(""), strict=True)],
                report_round=docs["report_round"].map(lambda r: f"{int(r)} เดือน" if pd.notna(r) else "-"),
                version_state=docs["version_state"].map({"pending": "ฉบับใหม่ รอเลือก", "replaced": "ถูกแทนที่แล้ว",
                                                         "kept": "เก็บทั้งสองฉบับ"}).fillna("นับในหน้าต่าง ๆ"))
    # which version counts, beside the file: at the table's end it was off-screen at 1366 px
    [["file_name", "version_state", "layout_label", "organization", "fiscal_year", "report_round", "plan_items",
      "measures", "warnings", "open_questions", "imported_at", "imported_by"]],
    hide_index=True, placeholder="—", width="stretch",
    column_config={
        "file_name": "ไฟล์", "layout_label": "รูปแบบเอกสาร", "organization": "หน่วยงาน",
        "fiscal_year": "ปีงบประมาณ",
        "report_round": "รอบรายงาน",
        "imported_at": "นำเข้าเมื่อ", "imported_by": "ผู้นำเข้า",
        "plan_items": "รายการแผน", "measures": "มาตรการ", "warnings": "คำเตือน",
        "open_questions": "คำถามรอตอบ", "version_state": "ฉบับ",
    })

if len(docs) and docs["matched"].iloc[0] > len(docs):
    st.caption(f"แสดง {len(docs):,} ฉบับแรกจาก {docs['matched'].iloc[0]:,} ฉบับ "
               "(เลือกหน่วยงานหรือปีงบประมาณที่แถบด้านซ้ายเพื่อดูเฉพาะที่ต้องการ)")
def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value)) or "-"
    return "-" if value is None else str(value)


versions = cache.read(collect.document_versions, org_id, year)
if len(versions):
    st.subheader("ฉบับใหม่ของเอกสาร")
    st.caption("เอกสารของหน่วยงาน ปีงบประมาณ และประเภทเดียวกันที่เนื้อหาต่างกัน (เช่น แผนที่ปรับปรุง) "
               "หน้าต่าง ๆ นับเพียงฉบับเดียว จนกว่าจะเลือก 'เก็บทั้งสองฉบับ'")
    if "version_outcome" in st.session_state:  # the choice just made (its buttons are gone after the rerun)
        st.success(st.session_state.pop("version_outcome"))
    STATE_LABELS = {"pending": "รอเลือก", "replaced": "ถูกแทนที่แล้ว", "kept": "เก็บทั้งสองฉบับ"}
    for v in versions.itertuples():
        label = plain(f"{v.file_name} — {v.organization} ปี {v.fiscal_year} — {STATE_LABELS.get(v.version_state, '')}")
        with st.expander(label, expanded=v.version_state == "pending"):
            try:
                diff = cache.read(collect.version_diff, int(v.id))
            except (StoreError, IngestError) as e:
                st.error(plain(e))
                continue
            st.markdown(plain(("เมื่อเทียบกับฉบับที่นับอยู่: " if v.version_state != "kept" else "") + diff.summary))
            for title, listed, key in (("เพิ่ม", diff.added, "added"), ("ลบ", diff.removed, "removed")):
                if listed:  # with budget and quarters: what a clerk judges a revised plan by
                    st.markdown(f"**{title}**")
                    st.dataframe(pd.DataFrame([{"ลำดับ": x.seq, "รายการ": x.title,
                                                **({"งบประมาณ (บาท)": baht(x.budget)} if x.budget is not None else {}),
                                                "ไตรมาส": quarters(x.quarters)} for x in listed]),
                                 hide_index=True, placeholder="—", width="stretch", key=f"version_{key}_{v.id}")
            if diff.changed:
                st.markdown("**เปลี่ยน**")
                st.dataframe(pd.DataFrame([{"รายการ": c.title, "ข้อมูล": FIELD_LABELS.get(f, f), "เดิม": _shown(old),
                                            "ใหม่": _shown(new)} for c in diff.changed for f, old, new in c.fields]),
                             hide_index=True, placeholder="—", width="stretch", key=f"version_changes_{v.id}")
            if v.version_state == "kept":
                continue
            if not access.can_write:
                st.caption(access.cannot("เลือกฉบับ"))
                continue
            who = st.text_input("ชื่อผู้เลือก (จำเป็น)", key=f"version_actor_{v.id}")
            choices = ({"replace": "แทนที่ฉบับเดิม", "keep": "เก็บทั้งสองฉบับ (เป็นคนละเอกสาร)"}
                       if v.version_state == "pending" else {"replace": "นำฉบับนี้กลับมาใช้ (ย้อนการแทนที่)"})
            buttons = st.columns(len(choices))
            for col, (choice, text) in zip(buttons, choices.items(), strict=True):
                if col.button(text, key=f"version_{choice}_{v.id}", disabled=not who.strip()):
                    try:
                        cache.store().resolve_version(int(v.id), choice, who)
                    except StoreError as e:
                        st.error(plain(e))
                    else:
                        cache.after_write()
                        name = plain(v.file_name)
                        st.session_state["version_outcome"] = (
                            f"เก็บทั้งสองฉบับแล้ว: หน้าต่าง ๆ นับทั้ง {name} และฉบับเดิม" if choice == "keep" else
                            f"แทนที่แล้ว: หน้าต่าง ๆ นับ {name} แทนฉบับเดิม ย้อนได้โดยเปิดฉบับเดิม (ถูกแทนที่แล้ว) "
                            "ด้านล่างแล้วกด 'นำฉบับนี้กลับมาใช้'" if v.version_state == "pending" else
                            f"นำ {name} กลับมาใช้แล้ว: ฉบับที่เคยแทนที่ถูกแทนที่แทน (ย้อนได้ด้วยวิธีเดียวกัน)")
                        st.rerun()

issues = cache.read(records.document_issues, tuple(int(i) for i in docs["id"]))
# Documents are named by what they are, not by their (often hashed) file names; the table keeps those.
doc_labels = {int(d.id): f"{d.layout_label} · {d.organization or 'ไม่ทราบหน่วยงาน'}"
              + (f" ปี {int(d.fiscal_year)}" if pd.notna(d.fiscal_year) else "") for d in docs.itertuples()}
open_questions = issues[(issues["severity"] == "question") & issues["answer"].isna()]
if len(open_questions) or "answer_outcome" in st.session_state:
    st.subheader("เรื่องที่ต้องตัดสินใจ")
    if "answer_outcome" in st.session_state:  # what the answer just given did (its question is gone after the rerun)
        st.success(st.session_state.pop("answer_outcome"))
    if not access.can_write:
        st.caption(access.cannot("ตอบคำถาม"))
    for q in open_questions.itertuples():
        with st.container(border=True):
            st.markdown(f"**{plain(q.document_label)}**")
            st.html(f"<p>{quoting_html(q.message)}</p>")  # the document's own words marked as quotations
            if not access.can_write:
                continue
            options = list(q.options) if q.options is not None else []
            choice = st.radio("เลือกคำตอบ", options, key=f"answer_{q.id}", index=None, format_func=plain)
            actor = st.text_input("ชื่อผู้ยืนยัน", key=f"actor_{q.id}")
            if st.button("ยืนยันคำตอบ", key=f"confirm_{q.id}", disabled=choice is None):
                try:
                    applied = cache.store().answer_question(q.id, choice, actor)
                except StoreError as e:
                    st.error(plain(e))
                else:
                    cache.after_write()
                    st.session_state["answer_outcome"] = plain(f"ตอบแล้ว: {applied}")
                    st.rerun()

answered = issues[(issues["severity"] == "question") & issues["answer"].notna()]
if len(answered) or "reanswer_outcome" in st.session_state:
    st.subheader("คำตอบที่ให้ไว้แล้ว")
    st.caption("ตอบผิดไป เปลี่ยนคำตอบได้ ระบบกลับผลของคำตอบเดิมในคราวเดียวกัน (รายงานผลที่คำตอบเดิมบันทึกถูกแทนหรือถอน "
               "ที่ตั้งถูกตั้งใหม่) และเก็บทั้งสองคำตอบไว้ในประวัติ")
    if "reanswer_outcome" in st.session_state:  # what the change just made did
        st.success(st.session_state.pop("reanswer_outcome"))
    for q in answered.itertuples():
        label = plain(f"{q.document_label} · ตอบแล้ว: {q.answer} (โดย {q.answered_by})")
        with st.expander(label, expanded=False):
            st.html(f"<p>{quoting_html(q.message)}</p>")
            st.markdown(plain(f"ผลของคำตอบ: {q.applied}"))
            if not access.can_write:
                st.caption(access.cannot("เปลี่ยนคำตอบ"))
                continue
            others = [o for o in (list(q.options) if q.options is not None else []) if o != q.answer]
            choice = st.radio("เปลี่ยนเป็น", others, key=f"reanswer_{q.id}", index=None, format_func=plain)
            actor = st.text_input("ชื่อผู้แก้คำตอบ", key=f"reactor_{q.id}")
            buttons = st.columns(2)
            try:
                if buttons[0].button("เปลี่ยนคำตอบ", key=f"change_{q.id}", disabled=choice is None):
                    applied = cache.store().answer_question(q.id, choice, actor)
                elif parse_progress_subject(q.subject) is not None and buttons[1].button(
                        "ถอนคำตอบนี้", key=f"withdraw_{q.id}",
                        help="รายงานผลที่คำตอบนี้บันทึกไว้จะไม่นับในหน้าต่าง ๆ และคำถามกลับไปรอคำตอบ"):
                    applied = cache.store().withdraw_answer(q.id, actor)
                else:
                    applied = None
            except StoreError as e:
                st.error(plain(e))
            else:
                if applied is not None:
                    cache.after_write()
                    st.session_state["reanswer_outcome"] = plain(applied)
                    st.rerun()

st.subheader("คำเตือนจากการอ่านเอกสาร")
flagged = docs[(docs["warnings"] + docs["open_questions"]) > 0]
if len(flagged) < len(docs):
    st.caption(f"เอกสารที่อ่านได้โดยไม่มีคำเตือน {len(docs) - len(flagged):,} ฉบับ ไม่ได้แสดงในส่วนนี้")
for doc in flagged.itertuples():
    doc_issues = issues[issues["document_id"] == doc.id]
    label = plain(f"{doc_labels[int(doc.id)]} — คำเตือน {doc.warnings} รายการ")
    with st.expander(label, expanded=False):
        if doc_issues.empty:
            st.write("ไม่พบปัญหาในการอ่านเอกสารนี้")
        for issue in doc_issues.itertuples():
            answered = (f" (ตอบแล้ว: {issue.answer} โดย {issue.answered_by} · {issue.applied})"
                        if isinstance(issue.answer, str) else "")
            icon = ICONS.get(issue.severity, ICONS["warning"])
            st.markdown(f"{icon} " + plain(f"{issue.message}{answered}").replace("\n", "  \n"))

st.subheader("ดูเอกสารต้นฉบับ")
if len(docs):
    chosen = st.selectbox("เอกสาร", list(doc_labels), format_func=doc_labels.get)
    try:
        name, text = cache.read(records.document_content, int(chosen))
    except StoreError as e:
        st.error(plain(e))
    else:
        with st.expander(f"ข้อความต้นฉบับของ {plain(doc_labels[int(chosen)])}"):
            st.text(text)

st.subheader("นำเข้าเอกสารใหม่")
if not access.can_write:
    st.info(access.cannot("นำเข้าเอกสาร"), icon=":material/visibility:")
    st.stop()
upload = st.file_uploader("เอกสารมาตรการหรือแผนปฏิบัติการ: ไฟล์ PDF (.pdf รวมถึงภาพสแกน), Word (.docx) "
                          f"หรือไฟล์ข้อความ (.txt) ขนาดไม่เกิน {MAX_BYTES // (1024 * 1024)} เมกะไบต์",
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
        st.error(plain(parsed).replace("\n", "  \n"))  # what was recognised, one finding a line
        st.stop()
    st.write(f"รูปแบบ: {parsed.layout_label} · ปีงบประมาณ: {parsed.fiscal_year or 'ไม่พบ'} · "
             f"รายการแผน {len(parsed.plan_items)} · มาตรการ {len(parsed.measures)}")
    for issue in parsed.issues:  # a question (to check against the original) is marked apart from a warning
        st.warning(plain(issue.message), icon=ICONS.get(issue.severity, ICONS["warning"]))
    if parsed.organization is None:
        known = cache.read(records.organizations)
        pick = st.selectbox("เอกสารไม่ระบุหน่วยงาน: เลือกหน่วยงาน", [None, *known["name"]],
                            format_func=lambda n: "— พิมพ์ชื่อใหม่ —" if n is None else n, placeholder="— พิมพ์ชื่อใหม่ —")
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
        # no min/max: Streamlit says an out-of-range number in English; the page says it in Thai
        fiscal_year = st.number_input("ปีงบประมาณ (พ.ศ.) ของเอกสารนี้", value=None, step=1, key="import_fiscal_year",
                                      placeholder="เช่น 2567")
        if problem := year_problem(fiscal_year, "ปีงบประมาณ"):
            st.error(problem)
            fiscal_year = None
    outcome = st.session_state.get("import_outcome")
    if outcome is not None and outcome[0] == read_key:  # this file was imported: what it did, no second button
        getattr(st, outcome[1])(outcome[2])
        st.stop()
    actor = st.text_input("ชื่อผู้นำเข้า", key="import_actor")
    if st.button("นำเข้า", disabled=parsed.organization is None or not actor.strip() or fiscal_year is None):
        try:
            result = cache.store().import_document(parsed, data, upload.name.rsplit(".", 1)[-1].lower(),
                                                   actor.strip(), fiscal_year=int(fiscal_year))
        except StoreError as e:
            st.error(plain(e))
        else:
            cache.after_write()
            if result.version_of is not None:
                outcome = ("warning", plain(result.message) + "  \nเลือกได้ที่ส่วน 'ฉบับใหม่ของเอกสาร' ด้านบน")
            else:
                outcome = ("success" if result.created else "info", plain(result.message))
            # run the page again: the counts, the list and the versions above were drawn before this import
            st.session_state["import_outcome"] = (read_key, *outcome)
            st.rerun()
