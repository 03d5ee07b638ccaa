"""นำเข้าคะแนน ITA: score template and import with per-row checks and provenance; the framework catalog and its
corrections, previewed before they are imported."""

import streamlit as st

from lib import sheets, thai
from lib.ita.catalog import CATALOG_HEADERS, CONFIDENCE_TH, UNKNOWN_TITLE
from lib.ita.scores import template_csv, template_xlsx
from lib.queries import ita as ita_queries
from lib.queries import records
from lib.store import StoreError
from lib.store import ita as store_ita
from lib.thai import ce_to_be
from lib.ui import cache, dates
from lib.ui.format import thai_date

st.title("นำเข้าคะแนน ITA")
st.caption("นำเข้าผลคะแนน ITA (ไฟล์ Excel .xlsx หรือ CSV) ของหน่วยงานและปีที่ประเมิน ระบบตรวจทุกแถวก่อน "
           "ถ้ามีแถวผิดจะไม่บันทึกอะไรเลย เว้นแต่เลือกนำเข้าเฉพาะแถวที่ถูกต้อง")

orgs = cache.read(records.organizations)
years = cache.read(ita_queries.catalog_years)
UPLOAD_KEY = "ita_score_upload"  # (file name, bytes) of the file being checked


CATALOG_KEY = "ita_catalog_upload"  # (file name, bytes) of the corrected item list being previewed
CHANGE_TH = {"added": "เพิ่ม", "removed": "ตัดออก", "changed": "แก้ไข"}
FIELD_TH = {"instrument": "เครื่องมือ", "indicator": "ตัวชี้วัด", "sub_indicator": "ตัวชี้วัดย่อย", "title": "ชื่อข้อ",
            "confidence": "ความเชื่อมั่น"}
access = cache.current_access()


def remember_catalog() -> None:
    uploaded = st.session_state.get("catalog_file")
    st.session_state[CATALOG_KEY] = None if uploaded is None else (uploaded.name, uploaded.getvalue())


def show_catalog_preview(preview, year: int) -> None:
    """What the corrected list changes, before the admin confirms it."""
    if preview.problems:
        st.error("นำเข้าไม่ได้ ยังไม่มีอะไรเปลี่ยน:\n\n" + "\n".join(f"- {p}" for p in preview.problems))
        return
    diff = preview.diff
    counts = diff.drop_duplicates(["code", "change"])["change"].value_counts()
    replaced = {"none": f"ปี {year} ยังไม่มีบัญชีของตนเอง (ตอนนี้แสดงโดยไม่มีชื่อข้อ)",
                "catalog": f"แทนบัญชีปี {year} จากไฟล์ของระบบ (data/catalog/ita)",
                "import": f"แทนบัญชีปี {year} ที่ผู้ใช้นำเข้าไว้ก่อนหน้า"}[preview.replaces]
    st.markdown(f"**ถ้านำเข้า:** {len(preview.rows)} ข้อ · {replaced} · เพิ่ม {int(counts.get('added', 0))} ข้อ · "
                f"ตัดออก {int(counts.get('removed', 0))} ข้อ · แก้ไข {int(counts.get('changed', 0))} ข้อ")
    if preview.scores:
        st.warning(f"คะแนนรายข้อของปี {year} จำนวน {preview.scores} แถว อยู่ในข้อที่ถูกตัดออกหรือย้ายตัวชี้วัด "
                   "คะแนนรวมที่คำนวณจะเปลี่ยน")
    if preview.links:
        st.warning(f"มาตรการที่เชื่อมกับข้อของปี {year} จำนวน {preview.links} รายการ อยู่ในข้อที่ถูกตัดออกหรือเปลี่ยนชื่อ "
                   "ตรวจสอบว่ามาตรการยังตอบข้อเดิมหรือไม่")
    if diff.empty:
        st.info("ไฟล์นี้ตรงกับบัญชีปัจจุบันทุกข้อ ไม่มีอะไรเปลี่ยน")
    else:
        st.dataframe(diff.assign(change=diff["change"].map(CHANGE_TH), field=diff["field"].map(FIELD_TH),
                                 old=diff["old"].map(lambda v: "-" if v is None else str(v)),
                                 new=diff["new"].map(lambda v: "-" if v is None else str(v))),
                     hide_index=True, placeholder="—", key="catalog_diff",
                     column_config={"code": "รหัส", "change": "การเปลี่ยน", "field": "ช่อง", "old": "เดิม", "new": "ใหม่"})


def remember_upload() -> None:
    uploaded = st.session_state.get("score_file")
    st.session_state[UPLOAD_KEY] = None if uploaded is None else (uploaded.name, uploaded.getvalue())


# -- template ------------------------------------------------------------------------------------------------
st.subheader("1. ดาวน์โหลดแบบฟอร์ม")
template_years = sorted({*years, max(years) + 1, max(years) + 2}, reverse=True)
template_year = st.selectbox("แบบฟอร์มสำหรับปีประเมิน (รายการรหัสข้อในแบบฟอร์มเป็นของปีนี้)", template_years,
                             index=template_years.index(max(years)), key="template_year",
                             format_func=lambda y: str(y) if y in years else f"{y} (ยังไม่มีบัญชีข้อคำถามของปีนี้)")
fw = cache.read(ita_queries.framework, template_year)
if fw.borrowed:
    st.warning(fw.missing_list_note)
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
    st.markdown("**ที่มาของคะแนน** (แสดงคู่กับคะแนนทุกที่)")
    left, mid, right = st.columns([1.6, 1.5, 1])  # the date's three choices need room for "เดือน"
    source = left.text_input("ได้คะแนนมาจากที่ใด", key="score_source",
                             placeholder="เช่น ระบบ ITAS (itas.nacc.go.th) หรือ หนังสือแจ้งผลจาก ป.ป.ช. จังหวัด ลงวันที่ ...")
    mid.markdown("วันที่ของผลคะแนน", help="วันที่ประกาศหรือได้รับผลการประเมิน (วัน เดือน ปี พ.ศ.)")
    this_year = ce_to_be(thai.today().year)
    source_date = dates.picker(mid, st.session_state, "score_source_date", list(range(this_year, this_year - 8, -1)),
                               optional=True)
    if source_date is not None and source_date > thai.today():
        mid.error(f"วันที่ของผลคะแนน ({thai_date(source_date)}) อยู่หลังวันนี้")
        source_date = None
    actor = right.text_input("ชื่อผู้นำเข้า", key="score_actor")
    ready = bool(source.strip()) and source_date is not None and bool(actor.strip())
    if not ready:
        st.caption("กรอกที่มา วันที่ของผล และชื่อผู้นำเข้าก่อนนำเข้า")
    left, right = st.columns(2)
    go_all = left.button("นำเข้าคะแนน", key="import_scores", disabled=not (check.ok and ready), type="primary")
    go_good = (right.button(f"นำเข้าเฉพาะแถวที่ถูกต้อง ({len(check.rows)} แถว, ข้าม {len(check.bad_rows)} แถว)",
                            key="import_good_rows", disabled=not ready)
               if check.problems and len(check.rows) and not check.refused else False)
    if go_all or go_good:
        try:
            done = store_ita.import_scores(cache.store(), content, name, actor, only_good_rows=bool(go_good),
                                           source=source, source_date=source_date)
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
                                    source=history["source"].fillna("-"),
                                    source_date=history["source_date"].map(thai_date),
                                    kind=history["kind"].map({"scores": "คะแนน", "catalog": "บัญชีข้อคำถาม"})),
                     hide_index=True, placeholder="—", key="upload_history",
                     column_config={"id": None, "kind": "ประเภท", "file_name": "ไฟล์", "source": "ที่มา",
                                    "source_date": "วันที่ของผล", "rows_written": "แถวที่บันทึก",
                                    "rows_skipped": "แถวที่ข้าม", "imported_at": "เมื่อ", "imported_by": "โดย"})

# -- the catalog ---------------------------------------------------------------------------------------------
st.subheader("3. บัญชีข้อคำถาม ITA")
st.caption(f"ข้อเท็จจริงทุกข้อมีระดับความเชื่อมั่น: ยืนยันแล้ว / จากแหล่งภายนอก / ยังไม่ยืนยัน · ระบบมีบัญชีของปี "
           f"{', '.join(map(str, sorted(years)))} · ปีอื่น (เช่น {max(years) + 1}, {max(years) + 2}) ยังไม่มีบัญชี: "
           "หน้าต่าง ๆ แสดงรหัสข้อของปีนั้นโดยไม่มีชื่อข้อ และใช้รายการรหัสของปีที่ใกล้ที่สุดตรวจไฟล์คะแนนเท่านั้น "
           "เพราะรหัสข้อเดียวกันอาจหมายถึงคนละเรื่องในต่างปี")
view_year = st.selectbox("ปีของบัญชี", sorted(years, reverse=True), key="catalog_year")
items = cache.read(ita_queries.catalog_items, view_year)
counts = items["confidence"].value_counts()
st.markdown(f"ปี {view_year}: {len(items)} ข้อ (IIT {int((items['instrument'] == 'IIT').sum())}, "
            f"EIT {int((items['instrument'] == 'EIT').sum())}, OIT {int((items['instrument'] == 'OIT').sum())}) · "
            + ", ".join(f"{CONFIDENCE_TH[c]} {int(n)}" for c, n in counts.items())
            + (" · **ใช้บัญชีที่ผู้ใช้นำเข้า**" if (items["origin"] == "import").any() else ""))
st.dataframe(items.assign(title=items["title"].fillna(UNKNOWN_TITLE), sub_indicator=items["sub_indicator"].fillna(""),
                          confidence=items["confidence"].map(CONFIDENCE_TH)),
             hide_index=True, placeholder="—", key="catalog_items",
             column_config={"code": "รหัส", "instrument": "เครื่องมือ", "indicator": "ตัวชี้วัด",
                            "sub_indicator": "ตัวชี้วัดย่อย", "title": "ชื่อข้อ", "confidence": "ความเชื่อมั่น",
                            "source": "แหล่งที่มา", "origin": None})
changed = cache.read(ita_queries.changed_codes)
if len(changed):
    with st.expander(f"รหัสข้อที่ความหมายเปลี่ยนระหว่างปี ({changed['code'].nunique()} รหัส)"):
        st.caption("รหัสเหล่านี้มีชื่อข้อต่างกันในบัญชีต่างปี ระบบจึงแสดงชื่อข้อตามปีของผลการประเมินเท่านั้น")
        st.dataframe(changed, hide_index=True, placeholder="—", key="changed_codes",
                     column_config={"code": "รหัส", "framework_year": st.column_config.NumberColumn("ปี", format="%d"),
                                    "title": "ชื่อข้อในบัญชีปีนั้น"})
with st.expander("น้ำหนักเครื่องมือ ระดับผล และเกณฑ์ผ่าน"):
    st.dataframe(cache.read(ita_queries.weights), hide_index=True, placeholder="—", key="weights_table",
                 column_config={"framework_year": st.column_config.NumberColumn("ปี", format="%d"),
                                "instrument": "เครื่องมือ", "weight": "น้ำหนัก (คะแนน)", "confidence": "ความเชื่อมั่น",
                                "source": "แหล่งที่มา"})
    st.dataframe(cache.read(ita_queries.grade_bands), hide_index=True, placeholder="—", key="bands_table",
                 column_config={"grade": "ระดับ", "min_score": "คะแนนขั้นต่ำ", "passes": "ผ่าน",
                                "confidence": "ความเชื่อมั่น", "source": "แหล่งที่มา"})
    st.dataframe(cache.read(ita_queries.verbal_levels), hide_index=True, placeholder="—", key="verbal_table",
                 column_config={"level": "ระดับแบบใหม่", "min_total": "คะแนนรวมขั้นต่ำ",
                                "min_each": "ทุกเครื่องมือขั้นต่ำ", "confidence": "ความเชื่อมั่น", "source": "แหล่งที่มา"})

with st.expander("นำเข้าบัญชีข้อคำถามที่แก้ไขแล้วสำหรับหนึ่งปี"):
    st.caption("ไฟล์ .xlsx หรือ .csv มีหัวคอลัมน์: " + ", ".join(CATALOG_HEADERS.values())
               + " · ระดับความเชื่อมั่นใช้ verified / third-party / unverified (เว้นว่าง = unverified) "
               "· บัญชีที่นำเข้าจะใช้แทนบัญชีเดิมของปีนั้น (บัญชีเดิมเก็บไว้ในประวัติ)")
    current = items.drop(columns="origin").rename(columns=CATALOG_HEADERS)
    st.download_button(f"ดาวน์โหลดบัญชีปี {view_year} เป็น CSV เพื่อแก้ไข", sheets.csv_bytes(list(current.columns), current.itertuples(index=False)),
                       file_name=f"บัญชีข้อคำถาม_ITA_{view_year}.csv", mime="text/csv", key="catalog_csv")
    catalog_year = st.number_input("ปีประเมิน (พ.ศ.)", value=max(years) + 1, step=1, key="catalog_import_year")
    if problem := dates.year_problem(catalog_year, "ปีประเมิน", 2500, 2700):
        st.error(problem)
    st.file_uploader("ไฟล์บัญชีข้อคำถาม", type=["xlsx", "csv"], key="catalog_file", on_change=remember_catalog)
    catalog = st.session_state.get(CATALOG_KEY)
    if catalog and not problem:
        catalog_name, catalog_content = catalog
        preview = store_ita.preview_catalog(cache.store(), catalog_content, catalog_name, int(catalog_year))
        show_catalog_preview(preview, int(catalog_year))
        catalog_actor = st.text_input("ชื่อผู้นำเข้า", key="catalog_actor")
        if st.button(f"ยืนยันนำเข้าบัญชีข้อคำถามปี {int(catalog_year)}", key="import_catalog",
                     disabled=bool(preview.problems) or not access.is_admin):
            try:
                n = store_ita.import_catalog(cache.store(), catalog_content, catalog_name, int(catalog_year),
                                             catalog_actor)
            except StoreError as e:
                st.error(str(e))
            else:
                cache.after_write()
                st.session_state[CATALOG_KEY] = None
                st.success(f"นำเข้าบัญชีข้อคำถามปี {int(catalog_year)} แล้ว {n} ข้อ")
