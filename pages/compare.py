"""เปรียบเทียบหน่วยงาน: the organizations of a district, a province or the country ranked by share
done, overdue records, the quarter's missing reports, disbursement and ITA score, as a table and
a heat table; choosing a row opens that organization's overview."""
import streamlit as st

from lib.queries import dashboard, ita
from lib.thai import quarter_label
from lib.ui import cache, export, filters
from lib.ui.format import plain

ROW_LIMIT = 200
ITA_LIMIT = 60  # ITA totals are computed from their parts per organization: only for a small area

cache.open_page()
f = filters.from_session(st.session_state)
st.title("เปรียบเทียบหน่วยงาน")
if f.organization_id is not None:
    st.info("กำลังดูหน่วยงานเดียว: เลือก \"ทั้งหมด\" ในช่องหน่วยงานที่แถบด้านซ้าย (และจังหวัด/อำเภอถ้ามี) "
            "เพื่อเปรียบเทียบทุกหน่วยงานในพื้นที่")
    st.stop()
shown_with = f.describe(None)
quarter_text = quarter_label(f.quarter) if f.quarter else None
st.caption(" · ".join(shown_with.values()) + " · หน่วยงานที่ล่าช้าที่สุดอยู่บนสุด · คลิกแถวเพื่อเปิดภาพรวมของหน่วยงานนั้น")

ranking = cache.read(dashboard.organization_ranking, f.scope, f.year, f.quarter, f.as_of, ROW_LIMIT)
if ranking.empty:
    st.info("ไม่มีหน่วยงานที่มีรายการในแผนหรือมาตรการสำหรับตัวกรองนี้")
    st.stop()
matched = int(ranking["matched"].iloc[0])
ita_years = cache.read(ita.score_years, None)
ita_column = None
if ita_years and matched <= ITA_LIMIT:
    year = max(ita_years)
    totals = cache.read(ita.indicator_matrix, year, f.province, f.district)
    if not totals.empty:
        ita_column = f"ITA ปี {year}"
        ranking = ranking.merge(totals[["organization", "total"]].rename(columns={"total": "ita"}),
                                on="organization", how="left")

# Short headers so every column fits 1366 px: the caption below says what each one means.
columns = {"organization": "หน่วยงาน", "place": "ที่ตั้ง", "share_done": "เสร็จตามกำหนด (%)",
           "overdue_records": "เลยกำหนด"}
if quarter_text:
    columns["no_report_quarter"] = f"ยังไม่รายงาน ไตรมาส {f.quarter}"
columns |= {"share_spent": "เบิกจ่าย (%)", "budget": "งบตามแผน (บาท)"}
if ita_column:
    columns["ita"] = ita_column
ranking = ranking.assign(place=["ที่ตั้งรอยืนยัน" if not isinstance(p, str) else f"อ.{d} จ.{p}" for d, p in
                                zip(ranking["district"], ranking["province"], strict=True)])
table = ranking.assign(share_done=ranking["share_done"] * 100, share_spent=ranking["share_spent"] * 100)
table = table[list(columns)].rename(columns=columns)


def heat(value, low_is_bad: bool, good: float, bad: float) -> str:
    """A cell's background: red where it lags, green where it is on track (no colour for blanks)."""
    if value is None or value != value:
        return ""
    t = (value - bad) / (good - bad) if good != bad else 1.0
    t = min(1.0, max(0.0, t))
    red, green = (248, 215, 218), (209, 231, 221)
    r, g, b = (round(red[i] + (green[i] - red[i]) * t) for i in range(3))
    return f"background-color: rgb({r},{g},{b})"


worst_overdue = max(1, int(ranking["overdue_records"].max()))
styled = (table.style
          .map(lambda v: heat(v, True, 100, 0), subset=[columns["share_done"]])
          .map(lambda v: heat(v, False, 0, worst_overdue), subset=[columns["overdue_records"]])
          .map(lambda v: heat(v, True, 100, 0), subset=[columns["share_spent"]])
          .format({columns["share_done"]: "{:.0f}%", columns["share_spent"]: "{:.0f}%",
                   columns["budget"]: "{:,.0f}"}, na_rep="-"))
if quarter_text:
    worst_missing = max(1, int(ranking["no_report_quarter"].max()))
    styled = styled.map(lambda v: heat(v, False, 0, worst_missing), subset=[columns["no_report_quarter"]])
if ita_column:
    styled = styled.map(lambda v: heat(v, True, 95, 50), subset=[ita_column]).format({ita_column: "{:.2f}"},
                                                                                       na_rep="-")


event = st.dataframe(styled, hide_index=True, placeholder="—", width="stretch", key="compare_table", on_select="rerun",
                     selection_mode="single-row",
                     column_config={columns["organization"]: st.column_config.TextColumn(width="medium")})
if event and event.selection.rows:
    # The sidebar's organization box is already drawn in this run: dashboard.py applies the pick
    # on the next run, before it draws the box, and that run opens the organization's overview.
    st.session_state["pick_organization"] = int(ranking.iloc[event.selection.rows[0]]["organization_id"])
    st.switch_page("pages/overview.py")
if matched > len(ranking):
    st.caption(f"แสดง {len(ranking):,} หน่วยงานที่ล่าช้าที่สุดจาก {matched:,} · เลือกจังหวัด/อำเภอเพื่อดูส่วนที่เหลือ")
if ita_column:  # where each score came from, beside the scores
    sources = ranking[ranking["ita"].notna()].merge(totals[["organization", "source"]], on="organization")["source"]
    counts = sources.value_counts()
    st.caption(f"ที่มาของคะแนน {ita_column}: " + " · ".join(
        plain(s) + (f" ({n:,} หน่วยงาน)" if len(counts) > 1 else "") for s, n in counts.head(3).items())
        + (f" · และอีก {len(counts) - 3:,} ที่มา (ดูที่หน้า 'ช่องว่างตัวชี้วัด ITA')" if len(counts) > 3 else ""))
if ita_years and ita_column is None:
    st.caption(f"คะแนน ITA แสดงเมื่อพื้นที่มีไม่เกิน {ITA_LIMIT} หน่วยงาน · เลือกจังหวัดหรืออำเภอ")
st.caption("เสร็จตามกำหนด = งานที่ถึงกำหนดแล้วและรายงานว่าแล้วเสร็จ หารด้วยงานที่ถึงกำหนดทั้งหมด · "
           "เลยกำหนด = จำนวนรายการที่มีไตรมาสเลยกำหนด · ยังไม่รายงาน = รายการที่วางแผนไว้ในไตรมาสที่เลือกแต่ยังไม่มีรายงาน · "
           "เบิกจ่าย = ใช้จ่ายตามรายงานผล หารด้วยงบประมาณตามแผน · สีแดง = ล่าช้า/ต่ำ สีเขียว = ตามกำหนด")
st.download_button("ดาวน์โหลดตาราง (xlsx)", lambda t=table: export.xlsx_bytes(t, shown_with),
                   export.file_name("เปรียบเทียบหน่วยงาน", None, f.year, f.as_of), export.XLSX_MIME,
                   key="dl_compare", on_click="ignore", icon=":material/download:")
