"""งบประมาณตามมิติ: planned against spent per dimension, unit and year, in the unit that fits (บาท or
ล้านบาท), with the share disbursed, what remains, and a warning where spending exceeds the plan."""
import pandas as pd
import streamlit as st

from lib.queries import dashboard
from lib.ui import cache, charts, export, filters
from lib.ui.format import in_unit, money, money_unit, percent, plain

f = filters.from_session(st.session_state)
org = cache.read(dashboard.organization_label, f.organization_id) if f.organization_id else None
shown_with = f.describe(org)

st.title("งบประมาณตามมิติ")
st.caption(" · ".join(shown_with.values()))


def download(frame, topic: str, key: str, label: str = "ดาวน์โหลดตาราง (xlsx)") -> None:
    # the xlsx is built only when the button is clicked, not on every rerun
    st.download_button(label, lambda t=frame: export.xlsx_bytes(t, shown_with), export.file_name(topic, org, f.year, f.as_of),
                       export.XLSX_MIME, key=key, on_click="ignore", icon=":material/download:")


by_dimension = cache.read(dashboard.budget_by_dimension, f.scope, f.year, f.as_of)
if by_dimension["dimension"].isna().all():  # the rollup's totals row comes even with no plan item
    st.info("ไม่มีรายการในแผนปฏิบัติการสำหรับตัวกรองนี้")
    st.stop()

total = by_dimension[by_dimension["dimension"].isna()].iloc[0]
unit = money_unit(max(total["budget"], total["spent"]))  # one unit for the figures, the chart and the tables
u = unit[1]
disbursed = total["spent"] / total["budget"] if total["budget"] else None
cols = st.columns(4)
cols[0].metric(f"งบประมาณตามแผน ({u})", in_unit(total["budget"], unit))
cols[1].metric(f"ใช้จ่ายแล้ว ({u})", in_unit(total["spent"], unit), help="ผลรวมงบที่ใช้ตามรายงานล่าสุดของแต่ละไตรมาส")
cols[2].metric("เบิกจ่ายแล้ว", percent(disbursed), help="ใช้จ่ายแล้ว ÷ งบประมาณตามแผน")
cols[3].metric(f"คงเหลือ ({u})", in_unit(total["budget"] - total["spent"], unit))
st.caption(f"ใช้งบประมาณ {int(total['with_budget']):,} รายการ · ไม่ใช้งบประมาณ {int(total['without_budget']):,} รายการ"
           + (" · ตัวเลขเป็นล้านบาท (1 ล้านบาท = 1,000,000 บาท)" if unit[0] != 1 else ""))

by_unit = cache.read(dashboard.budget_by_unit, f.scope, f.year, f.as_of)
over_dimensions = by_dimension[by_dimension["dimension"].notna() & (by_dimension["spent"] > by_dimension["budget"])]
over_units = by_unit[by_unit["spent"] > by_unit["budget"]]
if total["spent"] > total["budget"] or len(over_dimensions) or len(over_units):
    where = [f"{name} เกิน {money(s - b)}" for name, s, b in
             zip(over_dimensions["name"], over_dimensions["spent"], over_dimensions["budget"], strict=True)]
    where += [f"{o} · {r} เกิน {money(s - b)}" for o, r, s, b in
              zip(over_units["organization"], over_units["responsible"], over_units["spent"], over_units["budget"],
                  strict=True)][:5]
    head = (f"ใช้จ่ายเกินงบประมาณตามแผน {money(total['spent'] - total['budget'])} "
            f"(ใช้ {money(total['spent'])} จากแผน {money(total['budget'])})"
            if total["spent"] > total["budget"] else "บางส่วนใช้จ่ายเกินงบประมาณตามแผน")
    st.warning(plain(head) + "  \n" + "  \n".join(f"• {plain(w)}" for w in where)
               + "  \nตรวจรายงานผลที่หน้ารายงานความก้าวหน้า", icon=":material/warning:")

colors = cache.read(dashboard.colors)
st.plotly_chart(charts.budget_by_dimension(by_dimension, colors, unit), theme=None, key="budget_chart")


def money_first(frame: pd.DataFrame, keys: dict[str, str], counts: dict[str, str]) -> pd.DataFrame:
    """The key columns, then plan, spent, share disbursed and remaining in the page's unit, then the counts."""
    out = frame[list(keys)].rename(columns=keys)
    budget, spent = frame["budget"].astype(float), frame["spent"].astype(float)
    out[f"งบตามแผน ({u})"] = budget / unit[0]
    out[f"ใช้จ่ายแล้ว ({u})"] = spent / unit[0]
    out["เบิกจ่าย (%)"] = (spent / budget.where(budget > 0) * 100).round(1)
    out[f"คงเหลือ ({u})"] = (budget - spent) / unit[0]
    if (spent > budget).any():  # said beside the row only where it happens (the warning above names them)
        out["หมายเหตุ"] = ["ใช้เกินแผน" if s > b else "" for s, b in zip(spent, budget, strict=True)]
    for column, label in counts.items():
        out[label] = frame[column]
    return out


# widths that keep the key columns inside a 1366 px laptop screen; the counts follow (scrolled to)
MONEY = {f"{label} ({u})": st.column_config.NumberColumn(format="%,.2f", width=140)
         for label in ("งบตามแผน", "ใช้จ่ายแล้ว", "คงเหลือ")} | {
    "เบิกจ่าย (%)": st.column_config.NumberColumn(format="%.1f", width=85),
    "หมายเหตุ": st.column_config.TextColumn(width=85),
    "รายการ": st.column_config.NumberColumn(format="%,d", width=70),
    "ไม่ใช้งบประมาณ (รายการ)": st.column_config.NumberColumn(format="%,d")}
COUNTS = {"items": "รายการ", "without_budget": "ไม่ใช้งบประมาณ (รายการ)"}
dimension_table = money_first(by_dimension, {"name": "มิติ"},
                              COUNTS | {"q1": "ไตรมาส 1", "q2": "ไตรมาส 2", "q3": "ไตรมาส 3", "q4": "ไตรมาส 4"})
st.dataframe(dimension_table, hide_index=True, placeholder="—", width="stretch", key="budget_dimension_table",
             column_config={"มิติ": st.column_config.TextColumn(width=260), **MONEY})
st.caption("แถวรวมทั้งสิ้นคำนวณจากทุกรายการ เทียบได้กับแถวรวมในตารางสรุปของแผน "
           "(งบประมาณ และจำนวนรายการที่วางแผนในแต่ละไตรมาส) · เบิกจ่าย (%) ว่างเมื่อไม่มีงบประมาณตามแผน")
download(dimension_table, "งบประมาณตามมิติ", "dl_budget_dimension")

st.subheader("ตามหน่วยที่รับผิดชอบ")
if len(by_unit) and by_unit["matched"].iloc[0] > len(by_unit):
    st.caption(f"แสดง {len(by_unit):,} หน่วยที่งบประมาณสูงสุดจาก {by_unit['matched'].iloc[0]:,} หน่วย "
               "(เลือกจังหวัด อำเภอ หรือหน่วยงานที่แถบด้านซ้ายเพื่อดูทั้งหมด)")
unit_table = money_first(by_unit, {"organization": "หน่วยงาน", "responsible": "ผู้รับผิดชอบ"}, COUNTS)
st.dataframe(unit_table, hide_index=True, placeholder="—", width="stretch", key="budget_unit_table",
             column_config={"หน่วยงาน": st.column_config.TextColumn(width=150),
                            "ผู้รับผิดชอบ": st.column_config.TextColumn(width=160), **MONEY})
download(unit_table, "งบประมาณตามหน่วยงาน", "dl_budget_unit")

st.subheader("ตามปีงบประมาณ")
by_year = cache.read(dashboard.budget_by_year, f.scope, f.year, f.as_of)
year_table = money_first(by_year, {"fiscal_year": "ปีงบประมาณ", "name": "มิติ"}, COUNTS)
st.dataframe(year_table, hide_index=True, placeholder="—", width="stretch", key="budget_year_table",
             column_config={"ปีงบประมาณ": st.column_config.NumberColumn(format="%d", width=80),
                            "มิติ": st.column_config.TextColumn(width=200), **MONEY})
download(year_table, "งบประมาณตามปี", "dl_budget_year")
