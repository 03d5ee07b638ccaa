"""Plotly figures of the follow-up pages: Sarabun in every figure, colours from the catalog
(`color` table, data/catalog/colors.csv), Thai axis titles and a value on every bar."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from pythainlp.tokenize import word_tokenize

from lib.ingest.organization import abbreviate
from lib.thai import shorten
from lib.ui.format import percent

FONT = "Sarabun, sans-serif"
STATE_LABELS = {"planned": "วางแผน", "reported": "มีรายงาน", "done": "แล้วเสร็จ", "no_report": "ยังไม่มีรายงาน"}


def wrap_thai(text: str, width: int = 28) -> str:
    """Break a Thai label into lines of about `width` characters at word boundaries."""
    lines, line = [], ""
    for word in word_tokenize(text or "", keep_whitespace=True):
        if line and len(line) + len(word) > width:
            lines.append(line.strip())
            line = ""
        line += word
    lines.append(line.strip())
    return "<br>".join(x for x in lines if x)


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 460) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 22}, "x": 0.01, "xanchor": "left", "y": 0.98, "yref": "container"},
        font={"family": FONT, "size": 17}, height=height, margin={"l": 10, "r": 10, "t": 95, "b": 10},
        barmode="group", legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left",
                                 "font": {"size": 16}},
        hoverlabel={"font": {"family": FONT}}, plot_bgcolor="white", paper_bgcolor="white",
        separators=".,", uniformtext={"minsize": 14, "mode": "show"})
    # "," on every axis: plotly would write 500000 as "500k", which is not Thai
    fig.update_xaxes(title_text=x_title, gridcolor="#e6e6e6", automargin=True, tickformat=",")
    fig.update_yaxes(title_text=y_title, gridcolor="#e6e6e6", automargin=True, rangemode="tozero", tickformat=",")
    return fig


def group_colour(colors: dict, group_kind: str, group_key: str) -> str:
    return colors.get(group_kind, {}).get(str(group_key), "#8C8C8C")


def _swatch(label: str, colour: str) -> str:
    return f"<span style='color:{colour}'>■</span> {label}"


def room_for_labels(fig: go.Figure, categories: int, top: float | None = None) -> None:
    """Vertical bars/points on category x with their figures written beside them: more than half
    a category of room at each end (an end label is centred on its point, wider than its bar) and,
    given the highest value `top`, a sixth more height, so no label is clipped or runs into the
    value axis and its tick labels."""
    fig.update_xaxes(range=[-0.75, categories - 0.25], autotickangles=[0, 30])
    if top is not None:
        fig.update_yaxes(range=[0, max(1, top) * 1.18])


def quarter_label(quarter: int, ended: bool | None) -> str:
    """'ไตรมาส 3', marked when it has not ended (None: several years, no mark)."""
    return f"ไตรมาส {quarter}" + ("<br>(ยังไม่สิ้นสุด)" if ended is False else "")


def quarter_progress(by_quarter: pd.DataFrame, colors: dict) -> go.Figure:
    """Planned, reported and done per quarter (grouped bars with their counts). With several
    fiscal years the bars are per year, since quarters of different years are not one axis."""
    several = by_quarter["fiscal_year"].nunique() > 1
    if several:
        data = by_quarter.groupby("fiscal_year", as_index=False)[["planned", "reported", "done"]].sum()
        x = [str(fy) for fy in data["fiscal_year"]]
        title, x_title = "ความก้าวหน้ารายปี (เลือกปีเพื่อดูรายไตรมาส)", "ปีงบประมาณ (พ.ศ.)"
    else:
        data = by_quarter
        x = [quarter_label(q, e) for q, e in zip(data["quarter"], data["ended"], strict=True)]
        title, x_title = f"ความก้าวหน้ารายไตรมาส ปีงบประมาณ {data['fiscal_year'].iloc[0]}", "ไตรมาส"
    fig = go.Figure()
    for key in ("planned", "reported", "done"):
        fig.add_bar(x=x, y=data[key].tolist(), name=STATE_LABELS[key], marker_color=colors["progress"][key],
                    texttemplate="%{y:,}", textposition="outside", textangle=0, cliponaxis=False,
                    textfont={"size": 14})
    room_for_labels(fig, len(x), float(data[["planned", "reported", "done"]].to_numpy().max()))
    return _layout(fig, title, x_title, "จำนวนงานรายไตรมาส")


def cumulative_progress(by_quarter: pd.DataFrame, colors: dict) -> go.Figure:
    """Cumulative planned against cumulative done, quarter by quarter, for one fiscal year."""
    if by_quarter["fiscal_year"].nunique() != 1:
        raise ValueError("cumulative progress is drawn for one fiscal year")
    x = [quarter_label(q, e) for q, e in zip(by_quarter["quarter"], by_quarter["ended"], strict=True)]
    fig = go.Figure()
    fig.add_scatter(x=x, y=by_quarter["cumulative_planned"].tolist(), name="วางแผนสะสม", mode="lines+markers+text",
                    line={"color": colors["progress"]["planned"], "width": 4, "dash": "dash"},
                    texttemplate="%{y:,}", textposition="top center", cliponaxis=False)
    share = [f"{d:,} ({d / p:.0%})" if p else "0" for d, p in
             zip(by_quarter["cumulative_done"], by_quarter["cumulative_planned"], strict=True)]
    fig.add_scatter(x=x, y=by_quarter["cumulative_done"].tolist(), name="แล้วเสร็จสะสม", mode="lines+markers+text",
                    line={"color": colors["progress"]["done"], "width": 4}, text=share, textposition="bottom center", cliponaxis=False)
    top = float(max(1, by_quarter["cumulative_planned"].max()))
    room_for_labels(fig, len(x), top)
    # the done line's labels sit under its points: room below zero for them
    fig.update_yaxes(range=[-0.12 * top, top * 1.25])
    return _layout(fig, f"ความก้าวหน้าสะสม ปีงบประมาณ {by_quarter['fiscal_year'].iloc[0]}", "ไตรมาส",
                   "จำนวนงานรายไตรมาส สะสม")


def group_progress(by_group: pd.DataFrame, colors: dict) -> go.Figure:
    """Planned, reported and done per dimension (plan items) and instrument (measures); each
    group's colour marks its label."""
    y = [_swatch(wrap_thai(r.group_label, 30), group_colour(colors, r.group_kind, r.group_key))
         for r in by_group.itertuples()]
    fig = go.Figure()
    for key in ("planned", "reported", "done"):
        fig.add_bar(y=y, x=by_group[key].tolist(), orientation="h", name=STATE_LABELS[key],
                    marker_color=colors["progress"][key], texttemplate="%{x:,}", textposition="outside",
                    textangle=0, cliponaxis=False)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=8)
    # the figures sit right of their bars: room for the longest one's
    top = float(by_group[["planned", "reported", "done"]].to_numpy().max()) if len(by_group) else 0
    fig.update_xaxes(range=[0, max(1, top) * 1.2])
    return _layout(fig, "ความก้าวหน้าตามมิติ/เครื่องมือ", "จำนวนงานรายไตรมาส", "",
                   height=max(360, 110 * len(by_group) + 120))


def budget_by_dimension(by_dimension: pd.DataFrame, colors: dict, unit: tuple[float, str] = (1, "บาท")
                        ) -> go.Figure:
    """Planned against spent per dimension in `unit` (format.money_unit: บาท or ล้านบาท), bars in each
    dimension's colour (spent hatched), each labelled with its figure, the share spent, and an
    overspend said in words; the axis leaves room for the longest label so none is clipped."""
    rows = by_dimension[by_dimension["dimension"].notna()]
    scale, name = unit
    y = [wrap_thai(label, 30) for label in rows["name"]]
    dim_colours = [group_colour(colors, "dimension", str(int(d))) for d in rows["dimension"]]

    def figure(value: float) -> str:
        return f"{value / scale:,.2f}" if scale != 1 or not float(value).is_integer() else f"{value:,.0f}"

    planned = [f"{figure(b)} {name}" + (f" · ไม่ใช้งบ {n:,} รายการ" if n else "")
               for b, n in zip(rows["budget"], rows["without_budget"], strict=True)]
    spent = ["" if not s else f"ใช้ {figure(s)} ({percent(s / b)})" + (" เกินแผน" if s > b else "") if b else
             f"ใช้ {figure(s)} (ไม่มีงบตามแผน)" for s, b in zip(rows["spent"], rows["budget"], strict=True)]
    fig = go.Figure()
    fig.add_bar(y=y, x=(rows["budget"] / scale).tolist(), orientation="h", name="งบประมาณตามแผน",
                marker_color=dim_colours, text=planned, textposition="outside", cliponaxis=False)
    fig.add_bar(y=y, x=(rows["spent"] / scale).tolist(), orientation="h", name="ใช้จ่ายจริง (ตามรายงาน)",
                marker={"color": dim_colours, "pattern": {"shape": "/", "fgcolor": "white"}},
                text=spent, textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=8)  # a gap between a dimension's name and its bar
    top = float(max(rows["budget"].max() if len(rows) else 0, rows["spent"].max() if len(rows) else 0)) / scale
    # the labels sit right of their bars: the longest bar gets as much room again for its label
    fig.update_xaxes(range=[0, (top or 1) * 2.0], nticks=6)
    _layout(fig, f"งบประมาณตามมิติ ({name})", name, "", height=max(360, 120 * len(rows) + 120))
    # bars take their dimension's colour, so a legend swatch would show only one: say it in words
    fig.update_layout(showlegend=False, title_subtitle_text="แท่งทึบ: งบตามแผน · แท่งลาย: ใช้จ่ายจริงตามรายงาน",
                      title_subtitle_font_size=16)
    return fig


QUARTER_STATES = {"done": "แล้วเสร็จ", "in_progress": "อยู่ระหว่างดำเนินการ", "not_started": "ยังไม่เริ่ม",
                  "blocked": "ดำเนินการไม่ได้", "no_report": "ยังไม่รายงาน"}


def quarter_states(rows: pd.DataFrame, colors: dict, legend: bool = True, label_width: int = 18) -> go.Figure:
    """The records planned in one quarter per group (rows of dashboard.quarter_status), one
    stacked bar per group split by state, small enough for three side by side on a laptop (the
    page titles it; the legend goes under the bars so it cannot cover them). On the axis an
    organization's kind is written short (อบต.) and a name still longer than `label_width` is cut
    with "…" (the hover gives it whole); a segment carries its
    figure only where the figure fits inside it, level (the hover gives every figure)."""
    names = [str(k) for k in rows["key"]]
    y = [shorten(abbreviate(k), label_width) for k in names]
    fig = go.Figure()
    for key, label in QUARTER_STATES.items():
        values = rows[key].tolist()
        fig.add_bar(y=y, x=values, orientation="h", name=label, marker_color=colors["progress"][key],
                    text=[f"{v:,}" if v else "" for v in values], textposition="inside", textangle=0,
                    insidetextanchor="middle", textfont={"color": "white", "size": 13}, customdata=names,
                    hovertemplate=f"%{{customdata}}<br>{label}: %{{x:,}}<extra></extra>")
    fig.update_yaxes(autorange="reversed", automargin=True, ticklabelstandoff=4)
    fig.update_xaxes(tickformat=",d", automargin=True, title_text="", nticks=3, tickangle=0)
    # two rows high at least: one row alone left no room for the value axis under it (its ticks were cut)
    _layout(fig, "", "", "", height=(95 if legend else 40) + 36 * max(2, len(rows)))
    # "hide": a figure that would have to shrink below the others' size to fit its segment is left
    # out rather than squeezed over the next segment or the axis
    fig.update_layout(barmode="stack", margin={"l": 4, "r": 4, "t": 4, "b": 4}, font={"size": 13}, bargap=0.25,
                      uniformtext={"minsize": 13, "mode": "hide"},
                      showlegend=legend, legend={"font": {"size": 12}, "orientation": "h", "y": -0.08,
                                                 "yanchor": "top", "x": 0, "traceorder": "normal"})
    return fig
