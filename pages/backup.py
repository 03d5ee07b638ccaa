"""สำรองและกู้คืนข้อมูล: download the whole database, or restore it from a backup file."""

import streamlit as st

from lib import thai
from lib.store import StoreError
from lib.store.backup import backup_zip, restore_in_place
from lib.thai import ce_to_be
from lib.ui import cache

st.title("สำรองและกู้คืนข้อมูล")
shared = cache.store().shared
if shared:
    st.caption("ระบบนี้ใช้ฐานข้อมูลกลาง (PostgreSQL) ร่วมกันหลายเครื่อง ไฟล์สำรองสร้างด้วย pg_dump เก็บทุกตาราง "
               "(รวมเอกสารต้นฉบับและประวัติการแก้ไข) พร้อมค่าตรวจสอบของแต่ละตาราง ณ เวลาเดียวกัน")
else:
    st.caption("ไฟล์สำรองเก็บทุกตาราง (รวมเอกสารต้นฉบับและประวัติการแก้ไข) เป็นไฟล์ตารางมาตรฐาน พร้อมโครงสร้างฐานข้อมูล "
               "และค่าตรวจสอบของแต่ละตาราง")

st.subheader("สำรองข้อมูล")
if st.button("สร้างไฟล์สำรอง", key="make_backup"):
    st.session_state["backup_bytes"] = backup_zip(cache.store())
if "backup_bytes" in st.session_state:
    today = thai.today()
    st.download_button("ดาวน์โหลดไฟล์สำรอง (.zip)", st.session_state["backup_bytes"],
                       file_name=f"ita-backup-{ce_to_be(today.year)}{today:%m%d}.zip", mime="application/zip")

st.subheader("กู้คืนข้อมูล")
if shared:
    # the app's role may not create databases; a restore is the server operator's step
    st.info("ฐานข้อมูลกลางกู้คืนโดยผู้ดูแลเซิร์ฟเวอร์ ลงฐานข้อมูลใหม่ซึ่งระบบตรวจทุกตารางกับไฟล์สำรองก่อนใช้งาน:")
    st.code("python -m lib.store.shared_cli restore --from ita-backup.zip --database ita_restored", language="bash")
    st.caption("จากนั้นตั้งค่า ITA_DATABASE_URL ให้ชี้ฐานข้อมูลใหม่ แล้วเริ่มแอปทุกเครื่องใหม่ ฐานข้อมูลเดิมยังอยู่ครบ")
    st.stop()
st.warning("การกู้คืนจะแทนที่ข้อมูลปัจจุบันทั้งหมดด้วยข้อมูลในไฟล์สำรอง ไฟล์ฐานข้อมูลเดิมจะถูกเก็บไว้ข้างกัน "
           "(ชื่อเดิมต่อท้ายด้วยคำว่าก่อนกู้คืนเป็นภาษาอังกฤษ) ไม่มีข้อมูลใดถูกลบ")
upload = st.file_uploader("ไฟล์สำรอง (.zip)", type=["zip"], key="restore_file")
confirmed = st.checkbox("ยืนยันว่าต้องการแทนที่ข้อมูลปัจจุบันด้วยไฟล์สำรองนี้", key="restore_confirm")
if st.button("กู้คืน", disabled=upload is None or not confirmed, key="restore"):
    try:
        kept = restore_in_place(cache.store(), upload.getvalue())
    except StoreError as e:
        st.error(str(e))
    else:
        cache.reset_store()
        st.success(f"กู้คืนเรียบร้อย ไฟล์ฐานข้อมูลเดิมเก็บไว้ที่ {kept.name}")
