"""นำเข้าข้อมูล: template downloads, upload with row checks and a preview, then a confirmed commit."""
import pandas as pd
import streamlit as st

from lib.ingest import IngestError
from lib.ingest.templates import TEMPLATES
from lib.queries import collect
from lib.store import StoreError, uploads
from lib.ui import cache
from lib.ui.format import display

st.title("นำเข้าข้อมูล")
st.caption("กรอกแบบฟอร์ม Excel แล้วนำเข้า ระบบตรวจทุกแถวและแสดงสิ่งที่จะเพิ่มหรือเปลี่ยนก่อนบันทึก "
           "ไม่มีการเขียนทับโดยไม่แจ้ง และทุกการเปลี่ยนแปลงย้อนกลับได้")

st.subheader("1. ดาวน์โหลดแบบฟอร์ม")
for name, template in TEMPLATES.items():
    cols = st.columns([3, 2, 2])
    cols[0].markdown(f"**{template.title}**")
    # workbooks are built when their button is clicked: an export of every record can be large
    cols[1].download_button("แบบฟอร์มเปล่า (.xlsx)", lambda n=name: cache.read(collect.template_workbook, n),
                            file_name=f"แบบฟอร์ม_{template.sheet}.xlsx", key=f"blank_{name}", on_click="ignore",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    cols[2].download_button("ข้อมูลปัจจุบันทั้งหมด (.xlsx)", lambda n=name: cache.read(collect.export_workbook, n),
                            file_name=f"ข้อมูล_{template.sheet}.xlsx", key=f"export_{name}", on_click="ignore",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
with st.container(border=True):
    st.markdown("**คะแนน ITA (ผลคะแนนรายข้อ)**")
    st.info("คะแนน ITA มีแบบฟอร์มของตัวเอง เพราะต้องตรวจรหัสข้อกับบัญชีข้อคำถามของปีที่ประเมิน "
            "ดาวน์โหลดแบบฟอร์มและนำเข้าคะแนนได้ที่หน้านำเข้าคะแนน ITA")
    st.page_link("pages/ita_scores.py", label="ไปที่หน้านำเข้าคะแนน ITA", icon=":material/upload_file:")

st.subheader("2. นำเข้าแบบฟอร์มที่กรอกแล้ว")
if refused := cache.current_access().cannot("นำเข้าแบบฟอร์ม"):  # the store refuses it too
    st.info(refused, icon=":material/visibility:")
    st.stop()
template_name = st.selectbox("แบบฟอร์ม", list(TEMPLATES), format_func=lambda n: TEMPLATES[n].title,
                             key="upload_template")
upload = st.file_uploader("ไฟล์ .xlsx หรือ .csv", type=["xlsx", "csv"], key="upload_file")

if upload is None:
    st.session_state.pop("upload_preview", None)
elif st.button("ตรวจไฟล์", key="check_file", type="primary"):
    try:
        st.session_state["upload_preview"] = uploads.preview_upload(
            cache.store(), upload.getvalue(), upload.name, template_name)
    except (IngestError, StoreError) as e:
        st.session_state.pop("upload_preview", None)
        st.error(str(e))

preview = st.session_state.get("upload_preview")
if preview is not None and upload is not None and preview.template.name == template_name:
    if preview.encoding:
        st.caption(f"อ่านไฟล์ CSV ด้วยการเข้ารหัส {preview.encoding}")
    cols = st.columns(4)
    cols[0].metric("เพิ่มใหม่", len(preview.added))
    cols[1].metric("เปลี่ยนแปลง", len(preview.changed))
    cols[2].metric("ไม่เปลี่ยน", len(preview.unchanged))
    cols[3].metric("แถวที่ผิด", len({r for r, _ in preview.problems}))
    if preview.problems:
        st.error("พบแถวที่ผิด ระบบจะไม่บันทึกข้อมูลใดจากไฟล์นี้จนกว่าจะแก้ครบ (เลขแถวตามที่เห็นใน Excel)")
        st.dataframe(pd.DataFrame(preview.problems, columns=["แถว", "ปัญหา"]), hide_index=True, placeholder="—", width="stretch",
                     key="problems_table")
    else:
        if preview.already_imported:
            st.info("ไฟล์นี้เคยนำเข้าแล้ว")
        if preview.added:
            st.markdown("**รายการที่จะเพิ่ม**")
            st.dataframe(pd.DataFrame([(r.row, r.label, r.values.get("title") or r.values.get("status"))
                                       for r in preview.added], columns=["แถว", "รายการ", "ชื่อ/สถานะ"]),
                         hide_index=True, placeholder="—", width="stretch", key="added_table")
        if preview.changed:
            st.markdown("**รายการที่จะเปลี่ยน (ค่าเดิม → ค่าใหม่)**")
            st.dataframe(pd.DataFrame(
                [(r.row, r.label, uploads.FIELD_LABELS.get(f, f), display(old),
                  display(new)) for r in preview.changed for f, (old, new) in r.changes.items()],
                columns=["แถว", "รายการ", "ช่อง", "ค่าเดิม", "ค่าใหม่"]), hide_index=True, placeholder="—", width="stretch",
                key="changed_table")
        if not preview.added and not preview.changed:
            st.success("ข้อมูลในไฟล์ตรงกับที่มีในระบบทั้งหมด ไม่มีอะไรต้องบันทึก")
        else:
            actor = st.text_input("ชื่อผู้นำเข้า (จำเป็น)", key="upload_actor")
            confirmed = True
            if preview.changed:
                confirmed = st.checkbox(f"ยืนยันการเปลี่ยนค่าเดิมของ {len(preview.changed)} รายการตามตารางข้างบน",
                                        key="confirm_changes")
            if st.button("บันทึก", key="commit_upload", type="primary",
                         disabled=not actor.strip() or not confirmed):
                try:
                    result = uploads.commit_upload(cache.store(), preview, actor)
                except (IngestError, StoreError) as e:
                    st.error(str(e))
                else:
                    cache.after_write()
                    st.session_state.pop("upload_preview", None)
                    st.success(f"บันทึกแล้ว: เพิ่ม {result.added} รายการ เปลี่ยน {result.changed} รายการ "
                               "(เก็บไฟล์ต้นฉบับไว้ในเอกสารที่นำเข้า)")

st.subheader("3. นำเข้าเอกสารมาตรการหรือแผนปฏิบัติการ (.pdf, .docx, .txt)")
st.caption("เอกสารที่หน่วยงานเผยแพร่อยู่แล้ว ทั้งไฟล์ PDF (รวมถึงภาพสแกน) ไฟล์ Word และไฟล์ข้อความ นำเข้าได้ที่หน้าเอกสารที่นำเข้า "
           "ซึ่งแสดงคำเตือนและคำถามจากการอ่านเอกสารไว้ที่เดียวกัน")
st.page_link("pages/documents.py", label="ไปที่หน้าเอกสารที่นำเข้า", icon=":material/description:")
