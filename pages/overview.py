"""ภาพรวม: this quarter on one screen at 1366×768 — headline sentences, status by dimension and
by responsible unit, budget in the unit that fits, and what needs a decision across organizations."""
import streamlit as st

from lib import progress
from lib.queries import dashboard, ita
from lib.thai import quarter_bounds, quarter_label, shorten
from lib.ui import cache, charts, export, filters
from lib.ui.format import money, plain, share, thai_date

f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)

st.title("ภาพรวม")
default = st.session_state.get("filter_period_default")
note = default[2] if default and default[:2] == (f.year, f.quarter) else None  # said while it is still the choice
st.caption(f"{shown_with['หน่วยงาน']} · ข้อมูล ณ {shown_with['ข้อมูล ณ วันที่']}" + (f" — {note}" if note else ""))

k = cache.read(dashboard.kpis, f.scope, f.year, f.as_of)
status = cache.read(dashboard.quarter_status, f.scope, f.year, f.quarter, f.as_of) \
    if f.year is not None and f.quarter is not None else None
everything = None if status is None or status.empty else status[status["part"] == "all"].iloc[0]
ita_summary = cache.read(ita.overview_summary, f.organization_id, f.year, f.as_of) if f.organization_id else None

# The answer first, in the sentences said in the meeting; the figures behind them follow.
lines = []
if f.quarter is None:
    lines.append("เลือกปีงบประมาณและไตรมาสที่แถบด้านซ้ายเพื่อดูสถานะของไตรมาสนั้น")
elif everything is None:
    lines.append(f"ไม่มีรายการที่วางแผนไว้ใน{quarter_label(f.quarter, f.year)}")
else:
    a = everything
    kinds = " · ".join(x for x in (f"โครงการ/กิจกรรมในแผน {int(a['plan_items']):,}" if a["plan_items"] else "",
                                   f"มาตรการ ITA {int(a['measures']):,}" if a["measures"] else "") if x)
    lines.append(f"**{int(a['no_report']):,} จาก {int(a['planned']):,} รายการ** ที่วางแผนไว้ใน"
                 f"{quarter_label(f.quarter, f.year)} ยังไม่รายงานผล ({kinds})")
    lines.append(f"แล้วเสร็จ **{int(a['done']):,}** · อยู่ระหว่างดำเนินการ **{int(a['in_progress']):,}** · "
                 f"ยังไม่เริ่ม **{int(a['not_started']):,}** · ดำเนินการไม่ได้ **{int(a['blocked']):,}**")
    end = quarter_bounds(f.year, f.quarter)[1]
    lines.append(f"ไตรมาสนี้สิ้นสุดแล้วเมื่อ {thai_date(end)}" if end < f.as_of else
                 f"ไตรมาสนี้สิ้นสุด {thai_date(end)} (อีก {(end - f.as_of).days:,} วัน)")
if f.year is not None:
    lines.append(f"ทั้งปี {f.year} ถึง {thai_date(f.as_of)}: แล้วเสร็จตามกำหนด **{share(k['share_done'])}** "
                 f"({k['done_ended']:,} จาก {k['planned_ended']:,} งานที่ถึงกำหนด) · "
                 f"เลยกำหนด **{k['overdue_records']:,} รายการ**")
spent_share = k["spent"] / k["budget"] if k["budget"] else None
lines.append(f"งบประมาณตามแผน **{money(k['budget'])}** · ใช้จ่ายแล้ว **{money(k['spent'])}**"
             + (f" ({share(spent_share)})" if spent_share is not None else "")
             + f" · คงเหลือ **{money(k['budget'] - k['spent'])}**"
             + (f" · ไม่ใช้งบประมาณ {k['without_budget']:,} รายการ" if k["without_budget"] else ""))
if ita_summary:  # the weak points the gap page shows: named by documents, and below target when scored
    s = ita_summary
    change = "" if s["change"] is None else f" ({s['change']:+.2f} จากปี {s['previous_year']})"
    head = (f"ITA ปี {s['framework_year']}: **{s['total']:.2f}** ({s['grade']}){change}" if s["total"] is not None
            else f"ITA ปี {s['framework_year']}: คะแนนรวมคำนวณไม่ได้ (คะแนนไม่ครบทุกเครื่องมือ)" if s["scored"]
            else f"ITA ปี {s['framework_year']} (ยังไม่มีคะแนน)")
    if s["no_catalog"]:
        head += " (ยังไม่มีบัญชีข้อคำถามของปีนี้: ไม่แสดงชื่อข้อ)"
    lines.append(f"{head} · จุดอ่อน **{s['weak']:,}** (เอกสารระบุ {s['named']:,}): {s['states']} · "
                 + (plain(s["source"]) if s["source"] else "รายละเอียดที่หน้า 'ช่องว่างตัวชี้วัด ITA'"))
with st.container(border=True):
    st.markdown("\n".join(f"- {line}" for line in lines), help=progress.SHARE_DONE_DEFINITION)
if k["budget"] and k["spent"] > k["budget"]:
    st.warning(f"ใช้จ่ายเกินงบประมาณตามแผน {money(k['spent'] - k['budget'])} — ตรวจรายงานผลที่หน้างบประมาณตามมิติ")

colors = cache.read(dashboard.colors)
left, middle, right = st.columns([1, 1, 1.2])
if status is not None and everything is not None:
    groups = status[status["part"] == "group"]
    groups = groups.assign(key=[f"มิติที่ {k}" if kind == "dimension" else ("ไม่ระบุ" if k == "none" else k)
                                for kind, k in zip(groups["group_kind"], groups["group_key"], strict=True)])
    all_units = status[status["part"] == "unit"]
    units = all_units.head(5)
    with left:
        st.markdown(f"**ตามมิติ/เครื่องมือ ITA · ไตรมาส {f.quarter}**")
        st.plotly_chart(charts.quarter_states(groups, colors, legend=False), theme=None, key="overview_groups",
                        config={"displayModeBar": False})
    with middle:
        st.markdown(f"**ตามผู้รับผิดชอบ · ไตรมาส {f.quarter}**" +
                    (f" (5 จาก {len(all_units):,})" if len(all_units) > 5 else ""))
        st.plotly_chart(charts.quarter_states(units, colors, legend=False), theme=None, key="overview_units",
                        config={"displayModeBar": False})

        def quarter_sheet():
            """The download's rows, one per organization too: read when the file is asked for (thousands of
            organizations nationally), not on every run of the page."""
            parts = {"group": "มิติ/เครื่องมือ", "unit": "ผู้รับผิดชอบ", "organization": "หน่วยงาน", "all": "รวม"}
            rows = cache.read(dashboard.quarter_status, f.scope, f.year, f.quarter, f.as_of, True)
            return export.xlsx_bytes(rows.assign(part=rows["part"].map(parts))[
                ["part", "key", "planned", "done", "in_progress", "not_started", "blocked", "no_report"]].rename(
                columns={"part": "แยกตาม", "key": "กลุ่ม", "planned": "วางแผนไว้", "done": "แล้วเสร็จ",
                         "in_progress": "อยู่ระหว่างดำเนินการ", "not_started": "ยังไม่เริ่ม",
                         "blocked": "ดำเนินการไม่ได้", "no_report": "ยังไม่รายงาน"}),
                shown_with | {"ไตรมาส": quarter_label(f.quarter, f.year)})

        st.download_button("ดาวน์โหลดข้อมูลไตรมาส (xlsx)", quarter_sheet,
            export.file_name(f"สถานะไตรมาส{f.quarter}", org, f.year, f.as_of), export.XLSX_MIME,
            key="dl_overview_quarter", on_click="ignore", icon=":material/download:", type="tertiary")
        st.caption(":green[■] แล้วเสร็จ · :blue[■] อยู่ระหว่างดำเนินการ · :gray[■] ยังไม่เริ่ม · "
                   ":orange[■] ดำเนินการไม่ได้ · :red[■] ยังไม่รายงาน · ตัวเลขในแท่ง = จำนวนรายการ")
with right:
    st.markdown("**เรื่องที่ต้องตัดสินใจ**")
    decisions = cache.read(dashboard.decisions, f.scope, f.year, f.as_of, 4)
    if decisions.empty:
        st.success("ไม่มีเรื่องค้าง: ไม่มีงานที่ดำเนินการไม่ได้ ไม่มีคำถามค้าง และไม่มีรายการเลยกำหนด")
    else:
        items = []
        for d in decisions.itertuples():
            late = f" {d.days_late:,} วัน" if d.days_late > 0 else ""
            title = shorten(str(d.title), 38)
            why = f" · {plain(str(d.detail)[:40])}" if d.rank != 3 and d.detail else ""  # blocked: the reason
            items.append(f"- **{plain(d.topic)}{late}** · {plain(d.organization)}{why}  \n{plain(title)}")
        st.markdown("\n".join(items))
        st.caption("ทั้งหมด: หน้าความก้าวหน้ารายไตรมาส · เอกสารที่นำเข้า")
