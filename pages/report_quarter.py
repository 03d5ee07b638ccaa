"""รายงานผลรายไตรมาส: every record of one organization for one quarter in one grid; the changed
rows are checked row by row and saved in one transaction (one progress row and one history row
per changed record). The single-record form (รายงานความก้าวหน้า) keeps the detail and undo."""

import pandas as pd
import streamlit as st

from lib import progress, thai
from lib.queries import dashboard
from lib.records import BLOCKED_REASONS, PROGRESS_STATUSES, STATUS_BLOCKED
from lib.store import StoreError
from lib.thai import parse_number, quarter_label, to_arabic_digits
from lib.ui import cache, filters
from lib.ui.format import plain, thai_date

cache.open_page()
f = filters.from_session(st.session_state)
st.title("รายงานผลรายไตรมาส")
if f.year is None or f.quarter is None:
    st.info("เลือกปีงบประมาณและไตรมาสที่แถบด้านซ้าย แล้วรายงานผลทุกรายการของไตรมาสนั้นในตารางเดียว")
    st.stop()
if f.organization_id is None:
    st.info("เลือกหน่วยงานที่จะรายงานผล (หรือที่แถบด้านซ้าย): ตารางนี้รายงานได้ทีละหน่วยงาน")
    waiting = cache.read(dashboard.organization_ranking, f.scope, f.year, f.quarter, f.as_of, 200)
    waiting = waiting[waiting["planned_quarter"] > 0]
    if not waiting.empty:
        names = dict(zip(waiting["organization_id"].tolist(), waiting["organization"], strict=True))

        def choose() -> None:
            st.session_state["filter_org"] = st.session_state["rq_org"]

        st.selectbox("หน่วยงานที่มีรายการในไตรมาสนี้", list(names), index=None, key="rq_org", on_change=choose,
                     placeholder="เลือกหน่วยงาน", format_func=lambda i: f"{names[i]} (ยังไม่รายงาน "
                     f"{int(waiting.set_index('organization_id').loc[i, 'no_report_quarter']):,} รายการ)")
    st.stop()
org = cache.read(dashboard.organization_label, f.organization_id)
st.caption(f"{org} · ปีงบประมาณ {f.year} · {quarter_label(f.quarter, f.year)} · "
           "แก้ไขในตาราง แล้วกดบันทึกครั้งเดียว (บันทึกทั้งหมดหรือไม่บันทึกเลย)")

KINDS = {"plan_item": "แผน", "measure": "มาตรการ"}
EDITABLE = ["status", "spent", "reason", "note", "evidence_url"]
# What the clerk types comes right after the title, so it is on screen at 1366 px; the rest follows.
LABELS = {"seq": "ลำดับ", "title": "รายการ", "status": "สถานะ", "spent": "ใช้จ่ายไตรมาสนี้ (บาท)",
          "reason": "เหตุผล (เมื่อดำเนินการไม่ได้)", "note": "รายละเอียดการดำเนินงาน", "evidence_url": "ลิงก์หลักฐาน",
          "budget": "งบตามแผน (บาท)", "responsible": "ผู้รับผิดชอบ", "kind_label": "ประเภท"}
TEXT = ["reason", "note", "evidence_url"]  # spent is typed as text too: "1,500" or "๑,๕๐๐" both read

all_records = st.toggle("แสดงทุกรายการของปี (รวมรายการที่ไม่ได้วางแผนไว้ในไตรมาสนี้)", key="rq_all")
rows = cache.read(dashboard.quarter_records, f.organization_id, f.year, f.quarter, not all_records)
if rows.empty:
    st.info(f"ไม่มีรายการที่วางแผนไว้ใน{quarter_label(f.quarter)} ของปีงบประมาณ {f.year} "
            "(เปิด \"แสดงทุกรายการของปี\" เพื่อรายงานรายการอื่น)")
    st.stop()

original = rows.assign(kind_label=rows["kind"].map(KINDS))[list(LABELS) + ["kind", "record_id"]]
# Empty cells as "" (text) and NO_REPORT (status): Streamlit would print "None" in them.
original = original.assign(status=original["status"].fillna(progress.NO_REPORT),
                           spent=[f"{v:,.2f}" if v == v and v is not None else "" for v in original["spent"]],
                           **{c: original[c].fillna("") for c in TEXT})
generation = st.session_state.setdefault("rq_generation", 0)  # a new grid after each save
refused = cache.current_access().cannot("บันทึกรายงาน")  # a viewer reads the grid (the store refuses a save too)
edited = st.data_editor(
    original, key=f"rq_grid_{f.organization_id}_{f.year}_{f.quarter}_{all_records}_{generation}",
    hide_index=True, placeholder="—", width="stretch", num_rows="fixed", disabled=True if refused else [c for c in original if c not in EDITABLE],
    column_order=list(LABELS),
    column_config={
        "kind_label": st.column_config.TextColumn(LABELS["kind_label"], width="small"),
        "seq": st.column_config.NumberColumn(LABELS["seq"], width="small", format="%d"),
        "title": st.column_config.TextColumn(LABELS["title"], width="medium"),
        "responsible": st.column_config.TextColumn(LABELS["responsible"], width="medium"),
        "budget": st.column_config.NumberColumn(LABELS["budget"], format="%,.2f", width="small"),
        "status": st.column_config.SelectboxColumn(LABELS["status"], options=[progress.NO_REPORT,
                                                                               *PROGRESS_STATUSES],
                                                   width="medium", required=True),
        "reason": st.column_config.TextColumn(LABELS["reason"], help="เช่น " + ", ".join(BLOCKED_REASONS)),
        "spent": st.column_config.TextColumn(LABELS["spent"], help="เฉพาะยอดที่ใช้ในไตรมาสนี้ ไม่ใช่ยอดสะสม "
                                             "เช่น 1,500 หรือ ๑,๕๐๐ (เว้นว่างเมื่อไม่มีการใช้จ่าย)"),
        "note": st.column_config.TextColumn(LABELS["note"]),
        "evidence_url": st.column_config.TextColumn(LABELS["evidence_url"], help="ขึ้นต้นด้วย http:// หรือ https://"),
    })


def _value(v):
    if v is None or (isinstance(v, float) and v != v) or v == progress.NO_REPORT:
        return None
    return v.strip() or None if isinstance(v, str) else v


changed, problems, warnings = [], [], []
for i in range(len(original)):
    before = {c: _value(original.iloc[i][c]) for c in EDITABLE}
    after = {c: _value(edited.iloc[i][c]) for c in EDITABLE}
    if before == after:
        continue
    row = original.iloc[i]
    label = f"{row['kind_label']} ลำดับ {row['seq']}: {str(row['title'])[:50]}"
    if after["status"] is None:
        problems.append((label, "เลือกสถานะก่อนบันทึก"))
        continue
    spent = None
    if after["spent"] is not None:
        spent = parse_number(after["spent"])
        if spent is None and to_arabic_digits(after["spent"]).strip(" ,.0") != "":
            problems.append((label, f"อ่านจำนวนเงิน '{after['spent']}' ไม่ได้ (พิมพ์เป็นตัวเลข เช่น 1,500.50)"))
            continue
        spent = spent or 0.0
    report = {"kind": row["kind"], "record_id": int(row["record_id"]), "quarter": f.quarter,
              "status": after["status"], "reason": after["reason"] if after["status"] == STATUS_BLOCKED else None,
              "spent": spent, "note": after["note"],
              "evidence_url": after["evidence_url"]}
    try:
        cache.store().progress_values(actor="ตรวจสอบ", **report)
    except StoreError as e:
        problems.append((label, str(e).removeprefix("บันทึกผลไม่ได้: ")))
        continue
    budget = None if row["kind"] != "plan_item" else row["budget"]
    other = float(rows.iloc[i]["spent_other_quarters"])
    warnings += [(label, w) for w in progress.report_warnings(after["status"], report["spent"], budget, other)]
    changed.append(report)

flash = st.session_state.pop("rq_flash", None)
if flash:
    st.success(flash)
if refused:
    st.caption(refused)
else:
    with st.container(border=True):
        st.markdown(f"**แก้ไขแล้ว {len(changed) + len(problems):,} รายการ**" +
                    (f" · ต้องแก้ {len(problems):,}" if problems else "") +
                    (f" · คำเตือน {len(warnings):,}" if warnings else ""))
        for label, message in problems:
            st.error(f"{plain(label)} — {plain(message)}")
        for label, message in warnings:
            st.warning(f"{plain(label)} — {plain(message)}")
        c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
        actor = c1.text_input("ชื่อผู้รายงาน (จำเป็น)", key="rq_actor")
        confirmed = not warnings or st.checkbox("ตรวจแล้ว ตัวเลขที่มีคำเตือนถูกต้อง", key="rq_confirm")
        if c2.button("บันทึกทั้งหมด", type="primary", key="rq_save", width="stretch",
                     disabled=not changed or bool(problems) or not confirmed or not actor.strip()):
            try:
                ids = cache.store().record_progress_many(changed, actor)
            except StoreError as e:
                st.error(plain(e))
            else:
                cache.after_write()
                st.session_state["rq_generation"] = generation + 1
                st.session_state["rq_flash"] = (f"บันทึกรายงาน{quarter_label(f.quarter)} {len(ids):,} รายการแล้ว "
                                                "(ประวัติรายรายการอยู่ที่หน้ารายงานความก้าวหน้า)")
                st.rerun()

today = thai.today()  # the grid edits what is on file now, so it counts every report made so far
status = cache.read(dashboard.quarter_status, f.scope, f.year, f.quarter, today)
everything = status[status["part"] == "all"]
if not everything.empty:
    a = everything.iloc[0]
    end = thai_date(a["quarter_end"])
    st.subheader(f"ยังไม่รายงาน {int(a['no_report']):,} จาก {int(a['planned']):,} รายการที่วางแผนไว้ในไตรมาสนี้")
    units = status[(status["part"] == "unit") & (status["no_report"] > 0)]
    if not units.empty:
        st.dataframe(pd.DataFrame({"ผู้รับผิดชอบ": units["key"], "ยังไม่รายงาน": units["no_report"],
                                   "วางแผนไว้": units["planned"]}), hide_index=True, placeholder="—", width="stretch",
                     key="rq_missing")
    st.caption(f"ไตรมาสนี้สิ้นสุด {end} · นับทุกรายงานที่ส่งถึงวันนี้ ({thai_date(today)})")
