"""นำเข้าคะแนน ITA: score template and import with per-row checks; the framework catalog and its corrections."""
import streamlit as st

from lib.ita.catalog import CATALOG_HEADERS, CONFIDENCE_TH, UNKNOWN_TITLE
from lib.ita.scores import template_csv, template_xlsx
from lib.queries import ita as ita_queries
from lib.queries import records
from lib.store import StoreError
from lib.store import ita as store_ita
from lib.ui import cache
from lib.ui.format import thai_date

st.title("นำเข้าคะแนน ITA")
st.caption("นำเข้าผลคะแนน ITA (ไฟล์ Excel .xlsx หรือ CSV) ของหน่วยงานและปีที่ประเมิน ระบบตรวจทุกแถวก่อน "
           "ถ้ามีแถวผิดจะไม่บันทึกอะไรเลย เว้นแต่เลือกนำเข้าเฉพาะแถวที่ถูกต้อง")

orgs = cache.read(records.organizations)
years = cache.read(ita_queries.catalog_years)
UPLOAD_KEY = "ita_score_upload"  # (file name, bytes) of the file being checked


def remember_upload() -> None:
    uploaded = st.session_state.get("score_file")
    st.session_state[UPLOAD_KEY] = None if uploaded is None else (uploaded.name, uploaded.getvalue())


# -- template ------------------------------------------------------------------------------------------------
st.subheader("1. ดาวน์โหลดแบบฟอร์ม")
template_year = st.selectbox("แบบฟอร์มสำหรับปีประเมิน (รายการรหัสข้อในแบบฟอร์มเป็นของปีนี้)",
                             sorted({*years, max(years) + 1, max(years) + 2}, reverse=True), key="template_year")
fw = cache.read(ita_queries.framework, template_year)
left, right = st.columns(2)
left.download_button("แบบฟอร์มคะแนน (Excel)", lambda: template_xlsx(fw, orgs["short_name"].tolist()),
                     file_name=f"แบบฟอร์มคะแนน_ITA_{template_year}.xlsx", key="template_xlsx", on_click="ignore",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
right.download_button("แบบฟอร์มคะแนน (CSV)", template_csv(), file_name=f"แบบฟอร์มคะแนน_ITA_{template_year}.csv",
                      mime="text/csv", key="template_csv")

# -- score import --------------------------------------------------------------------------------------------
st.subheader("2. นำเข้าคะแนน")
st.file_uploader("ไฟล์คะแนน (.xlsx หรือ .csv)", type=["xlsx", "csv"], key="score_file", on_change=remember_upload)
upload = st.session_state.get(UPLOAD_KEY)
if upload:
    name, content = upload
    check = store_ita.check_score_file(cache.store(), content, name)
    st.markdown(f"ไฟล์ **{name}**: แถวที่ถูกต้อง {len(check.rows)} แถว · แถวที่ผิด {len(check.bad_rows)} แถว")
    for note in check.notes:
        st.info(note)
    if check.problems:
        st.error("พบปัญหา ยังไม่ได้บันทึกอะไร:\n\n" + "\n".join(f"- {p}" for p in check.problems))
    actor = st.text_input("ชื่อผู้นำเข้า", key="score_actor")
    left, right = st.columns(2)
    go_all = left.button("นำเข้าคะแนน", key="import_scores", disabled=not check.ok, type="primary")
    go_good = (right.button(f"นำเข้าเฉพาะแถวที่ถูกต้อง ({len(check.rows)} แถว, ข้าม {len(check.bad_rows)} แถว)",
                            key="import_good_rows") if check.problems and len(check.rows) else False)
    if go_all or go_good:
        try:
            done = store_ita.import_scores(cache.store(), content, name, actor, only_good_rows=bool(go_good))
        except StoreError as e:
            st.error(str(e))
        else:
            cache.after_write()
            st.session_state[UPLOAD_KEY] = None
            names = dict(zip(orgs["id"], orgs["short_name"], strict=True))
            st.success(f"นำเข้าคะแนนแล้ว {done.written} แถว" + (f" (ข้าม {done.skipped} แถว)" if done.skipped else "")
                       + ": " + ", ".join(f"{names[o]} ปี {y}" for o, y in done.organizations_years)
                       + " · ดูผลที่หน้า 'ช่องว่างตัวชี้วัด ITA'")

history = cache.read(ita_queries.uploads)
if len(history):
    with st.expander(f"ไฟล์ที่นำเข้าแล้ว ({len(history)})"):
        st.dataframe(history.assign(imported_at=history["imported_at"].map(thai_date),
                                    kind=history["kind"].map({"scores": "คะแนน", "catalog": "บัญชีข้อคำถาม"})),
                     hide_index=True, key="upload_history",
                     column_config={"id": None, "kind": "ประเภท", "file_name": "ไฟล์", "rows_written": "แถวที่บันทึก",
                                    "rows_skipped": "แถวที่ข้าม", "imported_at": "เมื่อ", "imported_by": "โดย"})

# -- the catalog ---------------------------------------------------------------------------------------------
st.subheader("3. บัญชีข้อคำถาม ITA")
st.caption("ข้อเท็จจริงทุกข้อมีระดับความเชื่อมั่น: ยืนยันแล้ว / จากแหล่งภายนอก / ยังไม่ยืนยัน "
           "ปีที่ไม่มีบัญชีของตนเองจะใช้บัญชีของปีที่ใกล้ที่สุด รหัสข้อเดียวกันอาจหมายถึงคนละเรื่องในต่างปี")
view_year = st.selectbox("ปีของบัญชี", sorted(years, reverse=True), key="catalog_year")
items = cache.read(ita_queries.catalog_items, view_year)
counts = items["confidence"].value_counts()
st.markdown(f"ปี {view_year}: {len(items)} ข้อ (IIT {int((items['instrument'] == 'IIT').sum())}, "
            f"EIT {int((items['instrument'] == 'EIT').sum())}, OIT {int((items['instrument'] == 'OIT').sum())}) · "
            + ", ".join(f"{CONFIDENCE_TH[c]} {int(n)}" for c, n in counts.items())
            + (" · **ใช้บัญชีที่ผู้ใช้นำเข้า**" if (items["origin"] == "import").any() else ""))
st.dataframe(items.assign(title=items["title"].fillna(UNKNOWN_TITLE), sub_indicator=items["sub_indicator"].fillna(""),
                          confidence=items["confidence"].map(CONFIDENCE_TH)),
             hide_index=True, key="catalog_items",
             column_config={"code": "รหัส", "instrument": "เครื่องมือ", "indicator": "ตัวชี้วัด",
                            "sub_indicator": "ตัวชี้วัดย่อย", "title": "ชื่อข้อ", "confidence": "ความเชื่อมั่น",
                            "source": "แหล่งที่มา", "origin": None})
with st.expander("น้ำหนักเครื่องมือ ระดับผล และเกณฑ์ผ่าน"):
    st.dataframe(cache.read(ita_queries.weights), hide_index=True, key="weights_table",
                 column_config={"framework_year": st.column_config.NumberColumn("ปี", format="%d"),
                                "instrument": "เครื่องมือ", "weight": "น้ำหนัก (คะแนน)", "confidence": "ความเชื่อมั่น",
                                "source": "แหล่งที่มา"})
    st.dataframe(cache.read(ita_queries.grade_bands), hide_index=True, key="bands_table",
                 column_config={"grade": "ระดับ", "min_score": "คะแนนขั้นต่ำ", "passes": "ผ่าน",
                                "confidence": "ความเชื่อมั่น", "source": "แหล่งที่มา"})
    st.dataframe(cache.read(ita_queries.verbal_levels), hide_index=True, key="verbal_table",
                 column_config={"level": "ระดับแบบใหม่", "min_total": "คะแนนรวมขั้นต่ำ",
                                "min_each": "ทุกเครื่องมือขั้นต่ำ", "confidence": "ความเชื่อมั่น", "source": "แหล่งที่มา"})

with st.expander("นำเข้าบัญชีข้อคำถามที่แก้ไขแล้วสำหรับหนึ่งปี"):
    st.caption("ไฟล์ .xlsx หรือ .csv มีหัวคอลัมน์: " + ", ".join(CATALOG_HEADERS.values())
               + " · ระดับความเชื่อมั่นใช้ verified / third-party / unverified (เว้นว่าง = unverified) "
               "· บัญชีที่นำเข้าจะใช้แทนบัญชีเดิมของปีนั้น (บัญชีเดิมเก็บไว้ในประวัติ)")
    current = items.drop(columns="origin").rename(columns=CATALOG_HEADERS)
    st.download_button(f"ดาวน์โหลดบัญชีปี {view_year} เป็น CSV เพื่อแก้ไข", current.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"บัญชีข้อคำถาม_ITA_{view_year}.csv", mime="text/csv", key="catalog_csv")
    catalog_year = st.number_input("ปีประเมิน (พ.ศ.)", 2500, 2700, value=max(years) + 1, step=1, key="catalog_import_year")
    catalog_file = st.file_uploader("ไฟล์บัญชีข้อคำถาม", type=["xlsx", "csv"], key="catalog_file")
    catalog_actor = st.text_input("ชื่อผู้นำเข้า", key="catalog_actor")
    if catalog_file is not None and st.button("นำเข้าบัญชีข้อคำถาม", key="import_catalog"):
        try:
            n = store_ita.import_catalog(cache.store(), catalog_file.getvalue(), catalog_file.name, int(catalog_year),
                                         catalog_actor)
        except StoreError as e:
            st.error(str(e))
        else:
            cache.after_write()
            st.success(f"นำเข้าบัญชีข้อคำถามปี {int(catalog_year)} แล้ว {n} ข้อ")
