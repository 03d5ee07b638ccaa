"""ช่องว่างตัวชี้วัด ITA: the weak points an organization's documents name, the measures answering them and their
progress; with scores, the points each is worth and what to fix first; across organizations, the most named."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.ita import gap
from lib.ita.catalog import CONFIDENCE_TH, INSTRUMENTS
from lib.ita.scores import provenance, template_csv, template_xlsx
from lib.ita.suggest import suggest_links
from lib.queries import dashboard, records
from lib.queries import ita as ita_queries
from lib.store import StoreError
from lib.store import ita as store_ita
from lib.ui import cache, charts, filters
from lib.ui.format import plain, thai_date

FONT = {"family": "Sarabun, sans-serif", "size": 14}
AREA_LIMIT = 20  # weak points listed across organizations (the most named)

st.title("ช่องว่างตัวชี้วัด ITA")
st.caption("จุดอ่อน ITA ที่เอกสารของหน่วยงานระบุ (รหัสข้อ หรือเครื่องมือและจุดอ่อนตามคำในเอกสาร) มาตรการที่ตอบจุดอ่อนนั้น "
           "และความก้าวหน้าในปีงบประมาณ · เมื่อนำเข้าคะแนน ITA แล้ว หน้านี้เพิ่มคะแนน ช่องว่างถึงเป้าหมาย "
           "และลำดับที่ควรแก้ก่อน · เลือกหน่วยงานที่แถบด้านซ้าย หรือไม่เลือกเพื่อดูภาพรวมของพื้นที่")

area = filters.from_session(st.session_state)
org_id, fiscal_year = area.organization_id, area.year
colors = cache.read(ita_queries.instrument_colors)

catalog_years = cache.read(ita_queries.catalog_years)
data_years = set(cache.read(ita_queries.score_years, org_id)) | set(
    cache.read(ita_queries.named_weak_point_years, org_id))
year_options = sorted(data_years | set(catalog_years) | ({fiscal_year - 1} if fiscal_year else set()), reverse=True)
answered = fiscal_year - 1 if fiscal_year else None  # the results the chosen fiscal year's measures answer
default_year = answered
if answered is None or (data_years and answered not in data_years):  # open where the data is: the latest
    earlier = [y for y in data_years if answered is None or y <= answered]  # year with data, at or before it
    default_year = max(earlier or data_years) if data_years else year_options[0]
year = st.selectbox("ปีผลการประเมิน ITA (พ.ศ.)", year_options, index=year_options.index(default_year), key="ita_year",
                    format_func=lambda y: str(y) if y in catalog_years else f"{y} (ยังไม่มีบัญชีข้อคำถามของปีนี้)",
                    help="มาตรการของปีงบประมาณ พ.ศ. N ตอบผลการประเมิน ITA ปี N-1")
fw = cache.read(ita_queries.framework, year)
if answered is not None and year == default_year != answered:
    st.caption(f"มาตรการปีงบประมาณ {fiscal_year} ตอบผลการประเมินปี {answered} ซึ่งยังไม่มีจุดอ่อนที่เอกสารระบุและยังไม่มีคะแนน "
               f"จึงเปิดที่ปี {default_year} ปีล่าสุดที่มีข้อมูล · เลือกปีอื่นได้ที่ช่องด้านบน")

# -- which catalog is in use, and how sure we are of it (said once, with any note on the scores) ------------
catalog_note = None
if fw.borrowed:
    catalog_note = fw.missing_list_note
else:
    st.caption(f"บัญชีข้อคำถามปี {year} ({len(fw.items)} ข้อ) · น้ำหนัก IIT {fw.weights['IIT']:g} / "
               f"EIT {fw.weights['EIT']:g} / OIT {fw.weights['OIT']:g} คะแนน · ผ่านเมื่อคะแนนรวม ≥ {fw.pass_mark:g}")
    if not fw.verified:
        counts = fw.confidence_counts()
        catalog_note = (f"บัญชีข้อคำถามปี {year} ยังไม่ได้ยืนยันจากเอกสารทางการทั้งหมด: "
                        + ", ".join(f"{CONFIDENCE_TH[c]} {n} ข้อ" for c, n in counts.items() if n)
                        + " · น้ำหนัก: " + ", ".join(f"{i} {CONFIDENCE_TH[c]}" for i, c in fw.weight_confidence.items())
                        + " · แก้บัญชีได้ที่หน้า 'นำเข้าคะแนน ITA'")


def notice(notes: list[str]) -> None:
    """What to bear in mind before reading the figures, in one box (it was three stacked boxes)."""
    notes = [n for n in notes if n]
    if len(notes) == 1:
        st.warning(notes[0])
    elif notes:
        st.warning("ข้อควรทราบก่อนอ่านคะแนน  \n" + "  \n".join(f"{i}. {n}" for i, n in enumerate(notes, 1)))


def figure_layout(fig: go.Figure, height: int = 380) -> go.Figure:
    fig.update_layout(font=FONT, height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "y": 1.12})
    return fig


HEATMAP_LIMIT = 60  # organizations one heatmap can show readably


def heatmap() -> None:
    area = filters.from_session(st.session_state)
    count = cache.read(ita_queries.scored_organization_count, year, area.province, area.district)
    if count < 2:
        return
    st.subheader(f"เปรียบเทียบหน่วยงาน: คะแนนรายตัวชี้วัด ปี {year}")
    if count > HEATMAP_LIMIT:
        st.info(f"มีคะแนนของ {count:,} หน่วยงาน มากเกินกว่าจะเปรียบเทียบในภาพเดียว (ไม่เกิน {HEATMAP_LIMIT}) "
                "เลือกจังหวัดหรืออำเภอที่แถบด้านซ้ายเพื่อดูแผนภาพเปรียบเทียบ")
        return
    matrix = cache.read(ita_queries.indicator_matrix, year, area.province, area.district)
    values = matrix[[str(i) for i in range(1, 11)]]
    labels = [f"{i}. {fw.indicator_name(i)}" for i in range(1, 11)]
    # red below the pass mark, green above: 50 -> 100 with the pass mark at its place in between
    middle = (fw.pass_mark - 50) / 50
    fig = go.Figure(go.Heatmap(z=values.values, x=labels, y=matrix["organization"], zmin=50, zmax=100,
                               colorscale=[[0, "#C0392B"], [middle, "#F7E08A"], [1, "#1B7F3B"]], text=values.round(2).values, texttemplate="%{text}",
                               hovertemplate="%{y}<br>%{x}<br>คะแนน %{z:.2f}<extra></extra>",
                               colorbar={"title": "คะแนน"}))
    st.plotly_chart(figure_layout(fig, 140 + 60 * len(matrix)), key="heatmap")
    st.dataframe(matrix.rename(columns={"organization": "หน่วยงาน", "total": "คะแนนรวม", "source": "ที่มาของคะแนน"}),
                 hide_index=True, placeholder="—",
                 key="heatmap_table", column_config={c: st.column_config.NumberColumn(format="%.2f")
                                                     for c in ["คะแนนรวม", *map(str, range(1, 11))]})


def point_label(code, instrument) -> str:
    return code if isinstance(code, str) else f"{instrument or 'ไม่ระบุเครื่องมือ'} (ไม่มีรหัสข้อ)"


def area_view() -> None:
    """Across the organizations in view: the weak points their documents name most, and how many act on each."""
    where = area.describe(None)["หน่วยงาน"]
    st.subheader(f"จุดอ่อนที่เอกสารระบุบ่อยที่สุด: {where}")
    top = cache.read(ita_queries.named_weak_points_by_area, year, area.province, area.district, area.as_of,
                     AREA_LIMIT)
    if top.empty:
        st.info(f"เอกสารของ{where}ยังไม่ระบุจุดอ่อนของผลการประเมินปี {year} (มาตรการปีงบประมาณ {year + 1}) "
                "· เลือกปีอื่น หรือเลือกหน่วยงานที่แถบด้านซ้าย")
        return
    total, naming = int(top["weak_points"].iloc[0]), int(top["organizations_naming"].iloc[0])
    st.caption(f"ผลการประเมินปี {year} → มาตรการปีงบประมาณ {year + 1} · หน่วยงานที่เอกสารระบุจุดอ่อน {naming:,} แห่ง "
               f"· จุดอ่อน {total:,} รายการ" + (f" (แสดง {len(top)} รายการที่ระบุบ่อยที่สุด)" if total > len(top) else "")
               + f" · ดำเนินการอยู่ = รายงานล่าสุดของมาตรการที่ตอบจุดอ่อนนั้นเป็น 'อยู่ระหว่างดำเนินการ' หรือ "
               f"'ดำเนินการแล้วเสร็จ' ณ {thai_date(area.as_of)}")
    labels = [point_label(c, i) for c, i in zip(top["code"], top["instrument"], strict=True)]
    fig = go.Figure()
    fig.add_bar(y=labels, x=top["under_way"], name="มีมาตรการที่ดำเนินการอยู่หรือเสร็จแล้ว", orientation="h",
                marker_color="#1B7F3B", hovertemplate="%{y}: %{x:,} หน่วยงาน<extra></extra>")
    fig.add_bar(y=labels, x=top["no_progress"], name="ยังไม่มีความก้าวหน้า", orientation="h", marker_color="#C0392B",
                hovertemplate="%{y}: %{x:,} หน่วยงาน<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title="จำนวนหน่วยงานที่เอกสารระบุว่าเป็นจุดอ่อน", rangemode="tozero",
                     dtick=1 if top["organizations"].max() <= 10 else None)  # counts of organizations: no 0.2 ticks
    st.plotly_chart(figure_layout(fig, 120 + 28 * len(top)), key="area_chart")
    st.dataframe(pd.DataFrame({
        "จุดอ่อน": labels,
        f"ชื่อข้อในบัญชีปี {year}": [fw.title(c) if isinstance(c, str) else "จุดอ่อนตามคำในเอกสารของแต่ละหน่วยงาน"
                                    for c in top["code"]],
        "หน่วยงานที่ระบุ": top["organizations"], "มีมาตรการที่ดำเนินการอยู่": top["under_way"],
        "ดำเนินการแล้วเสร็จ": top["done"], "ยังไม่มีความก้าวหน้า": top["no_progress"]}),
        hide_index=True, placeholder="—", key="area_table", height=36 * (len(top) + 1) + 4)


if org_id is None:
    notice([catalog_note])
    area_view()
    heatmap()
    st.stop()

name = cache.read(dashboard.organization_label, org_id)
view = cache.read(ita_queries.weak_view, org_id, year, area.as_of)  # as the overview and the pack read it
scores, gaps, weak = view.scores, view.gaps, view.weak
if scores.empty:
    notice([catalog_note])
    st.info(f"ยังไม่มีคะแนน ITA ปี {year} ของ {name}: ไฟล์คะแนนจะเพิ่มคะแนนของแต่ละข้อ ช่องว่างถึงเป้าหมาย "
            "และลำดับที่ควรแก้ก่อน · นำเข้าได้ที่หน้า 'นำเข้าคะแนน ITA' (เมนู ITA ด้านซ้าย)")
    with st.expander("แบบฟอร์มคะแนน"):
        orgs = cache.read(records.organizations)  # (every organization, named in the template: read only here)
        left, right = st.columns(2)
        left.download_button("ดาวน์โหลดแบบฟอร์มคะแนน (Excel)", lambda: template_xlsx(fw, orgs["short_name"].tolist()),
                             file_name=f"แบบฟอร์มคะแนน_ITA_{year}.xlsx", key="template_xlsx", on_click="ignore",
                             mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        right.download_button("ดาวน์โหลดแบบฟอร์มคะแนน (CSV)", template_csv(),
                              file_name=f"แบบฟอร์มคะแนน_ITA_{year}.csv", mime="text/csv", key="template_csv")
else:
    target, result = view.target, view.result
    source = provenance(scores.iloc[0])
    st.caption(f"{source} · เป้าหมาย {target:g} "
               + ("(เป้าหมายที่หน่วยงานกำหนดเอง)" if view.own_target else "(เกณฑ์ผ่าน)"))

    def fmt(value, digits=2) -> str:
        return "-" if value is None else f"{value:,.{digits}f}"

    notice([catalog_note, *result.flags])
    cols = st.columns(5)
    cols[0].metric("คะแนนรวม", fmt(result.total), help=source)
    # one wording, from the year's grade bands (the unverified verbal levels said "ผ่านดี" beside "ผ่าน")
    cols[1].metric("ระดับผล", gap.standing(result.grade, result.passes), help=gap.STANDING_HELP)
    for col, instrument in zip(cols[2:], INSTRUMENTS, strict=True):
        points = result.points(instrument, fw.weights)
        col.metric(instrument, "-" if points is None else f"{points:.2f} / {fw.weights[instrument]:g}")
    cols = st.columns(5)
    cols[0].metric("ตัวชี้วัดต่ำกว่าเป้าหมาย", str(int(((gaps["level"] == "indicator") & gaps["weak"]).sum())))
    cols[1].metric("ข้อต่ำกว่าเป้าหมาย", str(int(((gaps["level"] == "item") & gaps["weak"]).sum())))
    st.caption("วิธีคำนวณ: ตัวชี้วัด = ค่าเฉลี่ยของข้อ (ถ้ามีคะแนนรายข้อ) · เครื่องมือ = ค่าเฉลี่ยของตัวชี้วัด · "
               "คะแนนรวม = ผลรวมของคะแนนเครื่องมือ × น้ำหนัก ÷ 100 · ระดับผล AA ≥ 95, A ≥ 85, B ≥ 75, C ≥ 65, "
               "D ≥ 55, E ≥ 50, F < 50 (วิธีเฉลี่ยภายในเครื่องมือยังไม่ได้ยืนยันจากคู่มือทางการ)")

    st.subheader("คะแนนเทียบเป้าหมาย รายตัวชี้วัด")
    indicators = gaps[gaps["level"] == "indicator"].sort_values("indicator")
    fig = go.Figure()
    for instrument in INSTRUMENTS:
        part = indicators[indicators["instrument"] == instrument]
        if part.empty:
            continue
        fig.add_bar(x=[f"{c}. {n}" for c, n in zip(part["code"], part["name"], strict=True)], y=part["score"],
                    name=instrument, marker_color=colors.get(instrument), text=part["score"].round(2),
                    textposition="outside", hovertemplate="%{x}<br>คะแนน %{y:.2f}<extra></extra>")
    # the target as a legend entry, not a label on the line (it sat on the bars' own labels)
    fig.add_scatter(x=[f"{c}. {n}" for c, n in zip(indicators["code"], indicators["name"], strict=True)],
                    y=[target] * len(indicators), mode="lines", name=f"เป้าหมาย {target:g}", hoverinfo="skip",
                    line={"dash": "dash", "color": "#C0392B"})
    fig.update_yaxes(range=[0, 108], title="คะแนน (0-100)")
    st.plotly_chart(figure_layout(fig), key="indicator_chart")

# -- the weak points, the measures answering them and their progress -----------------------------------------
st.subheader(f"จุดอ่อนและมาตรการที่รองรับ: ผลการประเมินปี {year} → มาตรการปีงบประมาณ {year + 1}")
if weak.empty:
    st.info(f"เอกสารของ {name} ไม่ได้ระบุจุดอ่อนของผลการประเมินปี {year} (ไม่มีรหัสข้อ และไม่มีช่องจุดอ่อนในมาตรการ"
            f"ปีงบประมาณ {year + 1})" + ("" if gaps is None else " และทุกข้อที่มีคะแนนถึงเป้าหมายแล้ว"))
else:
    states = weak["state"]
    cols = st.columns(5)
    cols[0].metric("จุดอ่อน", f"{len(weak):,}", help="ที่เอกสารระบุ" + ("" if gaps is None else " และที่คะแนนต่ำกว่าเป้าหมาย"))
    for col, (state, count) in zip(cols[1:], gap.state_counts(weak).items(), strict=True):
        col.metric(state, f"{count:,}", help="ยังไม่มีรายงาน รายงานว่ายังไม่เริ่ม หรือดำเนินการไม่ได้"
                   if state == gap.STATE_NO_PROGRESS else None)
    missing = weak[states == gap.STATE_NO_MEASURE]
    if len(missing):
        st.error("ยังไม่มีมาตรการรองรับ: " + plain(", ".join(missing["label"])))
    st.caption("เรียงให้จุดอ่อนที่ยังไม่มีมาตรการ และที่มาตรการยังไม่มีความก้าวหน้า มาก่อน"
               + ("" if gaps is None else " แล้วตามคะแนนรวมที่จะเพิ่มถ้าถึงเป้าหมาย")
               + f" · สถานะ = รายงานล่าสุดของมาตรการในปีงบประมาณ {year + 1} ที่ส่งภายใน {thai_date(area.as_of)}"
               + ("" if gaps is None else f" · {source}"))
    title_column = f"ชื่อข้อในบัญชีปี {year}"
    others = sorted(set(weak["instrument"].dropna()) - set(INSTRUMENTS))  # as a document or template wrote it
    for instrument in (*INSTRUMENTS, *others, None):
        part = weak[weak["instrument"] == instrument] if instrument else weak[weak["instrument"].isna()]
        if part.empty:
            continue
        st.markdown(f"**ด้าน {plain(instrument or 'ไม่ระบุเครื่องมือ')}** · {len(part)} จุดอ่อน")
        table = pd.DataFrame({
            "ต้องดูก่อน": part["attention"].map({True: "⚠️", False: ""}),
            "สถานะ": part["state"],
            "รหัส": part["label"],
            "จุดอ่อนตามเอกสาร": part["words"].fillna("— (จากคะแนน)"),
            title_column: part["catalog_title"].fillna(""),
            "มาตรการ": part["measures"].map(lambda t: "\n".join(t) or "— ไม่มี —"),
            "สถานะล่าสุด": part["statuses"].map(lambda t: "\n".join(t) or "-"),
            "รายงานล่าสุด": part["reports"].map(lambda t: "\n".join(t) or "-")})
        if not part["catalog_title"].fillna("").astype(bool).any():
            table = table.drop(columns=title_column)  # weaknesses without a code: no catalog title to show
        config = {"ต้องดูก่อน": st.column_config.TextColumn(width="small"),
                  "รหัส": st.column_config.TextColumn(width="small"),
                  "จุดอ่อนตามเอกสาร": st.column_config.TextColumn(width="medium"),
                  title_column: st.column_config.TextColumn(width="small"),
                  "มาตรการ": st.column_config.TextColumn(width="medium"),
                  "รายงานล่าสุด": st.column_config.TextColumn(width="medium")}
        if gaps is not None:
            table.insert(0, "ลำดับแก้", part["rank"].astype("Int64"))
            for at, (column, key) in enumerate((("คะแนน", "score"), ("ขาดอีก", "gap"), ("คะแนนรวมเพิ่ม", "points_gain"))):
                table.insert(5 + at, column, pd.to_numeric(part[key], errors="coerce"))  # no score: empty, not "None"
            config.update({c: st.column_config.NumberColumn(c, format="%.2f") for c in ("คะแนน", "ขาดอีก", "คะแนนรวมเพิ่ม")})
        st.dataframe(table, hide_index=True, placeholder="—", key=f"weak_{instrument}", column_config=config,
                     height=36 * (len(table) + 1) + 4)

if gaps is not None:
    # -- what to fix first (the ranking by points) ---------------------------------------------------------
    st.subheader("แก้อะไรก่อน")
    ranked = gaps[gaps["weak"]].merge(weak[["level", "code", "measures"]].assign(
        measures=weak["measures"].map(len)), on=["level", "code"], how="left")
    if ranked.empty:
        st.success(f"ทุกตัวชี้วัดและทุกข้อที่มีคะแนนถึงเป้าหมาย {target:g} แล้ว")
    else:
        st.caption("เรียงตามคะแนนรวมที่จะเพิ่มขึ้นถ้าตัวชี้วัดหรือข้อนั้นถึงเป้าหมาย (มากไปน้อย) · "
                   f"น้ำหนัก = คะแนนรวมที่เพิ่มต่อคะแนนที่เพิ่ม 1 คะแนนของข้อหรือตัวชี้วัดนั้น · {source}")
        st.dataframe(
            ranked.assign(level=ranked["level"].map(gap.LEVEL_TH), rank=range(1, len(ranked) + 1))[
                ["rank", "level", "code", "name", "instrument", "score", "target", "gap", "weight", "points_gain",
                 "measures"]],
            hide_index=True, placeholder="—", key="fix_first", height=36 * (len(ranked) + 1) + 4,
            column_config={"rank": "ลำดับ", "level": "ระดับ", "code": "รหัส", "name": "ชื่อ", "instrument": "เครื่องมือ",
                           "score": st.column_config.NumberColumn("คะแนน", format="%.2f"),
                           "target": st.column_config.NumberColumn("เป้าหมาย", format="%.2f"),
                           "gap": st.column_config.NumberColumn("ขาดอีก", format="%.2f"),
                           "weight": st.column_config.NumberColumn("น้ำหนัก", format="%.4f"),
                           "points_gain": st.column_config.NumberColumn("คะแนนรวมเพิ่ม", format="%.2f"),
                           "measures": st.column_config.NumberColumn("มาตรการที่รองรับ", format="%d")})
    items = weak[(weak["level"] == "item") & weak["measures"].map(bool)]
    measure_seqs = sorted({m for titles in items["measures"] for m in titles}, key=lambda t: int(t.split(".")[0]))
    if measure_seqs:
        st.caption("ตารางจับคู่ข้อที่อ่อนกับมาตรการ (✓ = มาตรการเชื่อมกับข้อนั้นตามเอกสารหรือผู้ใช้ยืนยันแล้ว)")
        matrix = pd.DataFrame([{"ข้อ": r.code, **{m.split(".")[0]: ("✓" if m in r.measures else "")
                                                 for m in measure_seqs}} for r in items.itertuples()])
        st.dataframe(matrix.rename(columns={m.split(".")[0]: f"มาตรการ {m.split('.')[0]}" for m in measure_seqs}),
                     hide_index=True, placeholder="—", key="coverage_matrix")

# -- suggestions for measures without item codes ------------------------------------------------------------
candidates = cache.read(ita_queries.measures_without_codes, org_id, year + 1)
decided = cache.read(ita_queries.link_decisions, org_id, year)
suggestions = suggest_links(candidates, fw)
if not decided.empty:
    done = set(zip(decided["measure_id"], decided["code"], strict=True))
    suggestions = suggestions[[(m, c) not in done for m, c in zip(suggestions["measure_id"], suggestions["code"],
                                                                  strict=True)]]
if len(candidates):
    st.subheader("ข้อเสนอการเชื่อมมาตรการกับข้อ ITA (รอยืนยัน)")
    st.caption(f"มาตรการปี {year + 1} จำนวน {len(candidates)} รายการไม่มีรหัสข้อในเอกสาร ระบบเสนอข้อที่น่าจะตรงจากข้อความ "
               "เฉพาะที่ยืนยันแล้วเท่านั้นจึงนับเป็นมาตรการที่รองรับ")
    actor = st.text_input("ชื่อผู้ยืนยัน", key="link_actor")
    titles = dict(zip(candidates["id"], candidates["seq"].astype(str) + ". " + candidates["title"], strict=True))
    for s in suggestions.itertuples():
        with st.container(border=True):
            st.markdown(f"**มาตรการ {titles[s.measure_id]}** → ข้อ **{s.code}** {s.title}")
            st.caption(s.reason)
            ok, no = st.columns(2)
            for column, confirm, label in ((ok, True, "ยืนยัน"), (no, False, "ไม่ใช่")):
                if column.button(label, key=f"{'ok' if confirm else 'no'}_{s.measure_id}_{s.code}"):
                    try:
                        store_ita.decide_link(cache.store(), int(s.measure_id), year, s.code, confirm, s.reason, actor)
                    except StoreError as e:
                        st.error(str(e))
                    else:
                        cache.after_write()
                        st.rerun()
    if suggestions.empty:
        st.caption(f"ไม่เสนอ: ยังไม่มีบัญชีข้อคำถามปี {year} และชื่อข้อของปีอื่นอาจหมายถึงคนละเรื่อง" if fw.borrowed
                   else "ไม่มีข้อเสนอที่รอยืนยัน")
    if not decided.empty:
        with st.expander(f"ที่ตัดสินแล้ว ({len(decided)})"):
            st.dataframe(decided.assign(status=decided["status"].map({"confirmed": "ยืนยัน", "rejected": "ไม่ใช่"})),
                         hide_index=True, placeholder="—", key="decided",
                         column_config={"measure_id": "มาตรการ (รหัสระบบ)", "code": "ข้อ", "status": "ผล",
                                        "reason": "เหตุผลที่เสนอ", "decided_at": "เมื่อ", "decided_by": "โดย"})

if gaps is not None:
    # -- what-if ------------------------------------------------------------------------------------------------
    st.subheader("ถ้าแก้แล้ว คะแนนจะเป็นเท่าไร")
    weak_keys = [(r.level, r.code) for r in gaps[gaps["weak"]].itertuples()]
    labels = {key: f"{gap.LEVEL_TH[key[0]]} {key[1]}" for key in weak_keys}
    fixed = st.multiselect("ทำเครื่องหมายว่าแก้แล้ว (ถึงเป้าหมาย)", weak_keys, format_func=labels.get, key="whatif_fixed",
                           placeholder="เลือกข้อหรือตัวชี้วัดที่อ่อน")
    all_keys = [(r.level, r.code) for r in gaps.itertuples()]
    left, right = st.columns(2)
    chosen = left.selectbox("หรือกำหนดคะแนนของ", [None, *all_keys], key="whatif_code", placeholder="— ไม่กำหนด —",
                            format_func=lambda k: "— ไม่กำหนด —" if k is None else f"{gap.LEVEL_TH[k[0]]} {k[1]}")
    new_score = right.number_input("คะแนนใหม่", value=target, step=1.0, key="whatif_score")  # no min/max: English
    if new_score is None or not 0 <= new_score <= 100:
        right.error("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
        chosen = None
    now, projected = gap.what_if(fw, scores, fixed, target, {chosen: new_score} if chosen else None)
    cols = st.columns(3)
    delta = None if now.total is None or projected.total is None else projected.total - now.total
    cols[0].metric("คะแนนรวมที่คาด", fmt(projected.total), None if delta is None or round(delta, 2) == 0 else f"{delta:+.2f}")
    was, will = gap.standing(now.grade, now.passes), gap.standing(projected.grade, projected.passes)
    cols[1].metric("ระดับผลที่คาด", will, None if will == was else f"จาก {was}", delta_color="off",
                   help=gap.STANDING_HELP)

    # -- the organization's own target --------------------------------------------------------------------------
    with st.expander("กำหนดเป้าหมายของหน่วยงานเอง"):
        left, mid, right = st.columns([1, 1, 1])
        # the key names the organization and year: a target typed for one is never saved for another
        new_target = left.number_input("เป้าหมาย (0-100)", value=float(target), step=1.0,  # the store refuses in Thai
                                       key=f"target_value:{org_id}:{year}")
        who = mid.text_input("ชื่อผู้บันทึก", key="target_actor")
        if right.button("บันทึกเป้าหมาย", key="target_save"):
            try:
                store_ita.set_target(cache.store(), org_id, year, new_target, who)
            except StoreError as e:
                st.error(str(e))
            else:
                cache.after_write()
                st.rerun()

    # -- trend and comparison -----------------------------------------------------------------------------------
    trend = cache.read(ita_queries.results_by_year, org_id)
    if trend["total"].notna().sum() >= 2:
        st.subheader("แนวโน้มคะแนนรวมรายปี")
        years = trend["framework_year"].astype(str)
        # a score's label sits on its side of the pass line (above when passing, below when not), and the
        # pass line is named in the legend: no label of the line to run into the scores' labels
        fig = go.Figure(go.Scatter(x=years, y=trend["total"], mode="lines+markers+text",
                                   text=[f"{t:.2f} ({g})" for t, g in zip(trend["total"], trend["grade"], strict=True)],
                                   textposition=["top center" if t >= fw.pass_mark else "bottom center"
                                                 for t in trend["total"]],
                                   line_color="#1F4E79", name="คะแนนรวม", cliponaxis=False))
        fig.add_scatter(x=years, y=[fw.pass_mark] * len(years), mode="lines", name=f"เกณฑ์ผ่าน {fw.pass_mark:g}",
                        line={"dash": "dash", "color": "#C0392B"}, hoverinfo="skip")
        low = min(float(trend["total"].min()), fw.pass_mark)
        fig.update_yaxes(range=[max(0.0, low - 12), 104], title="คะแนนรวม")
        fig.update_xaxes(type="category", title="ปีผลการประเมิน")
        charts.room_for_labels(fig, len(years))
        st.plotly_chart(figure_layout(fig, 340), key="trend_chart")
        st.caption("ที่มาของคะแนน: " + " · ".join(f"ปี {y}: {plain(src)}" for y, src in zip(
            trend["framework_year"], trend["source"], strict=True) if isinstance(src, str)))
heatmap()
