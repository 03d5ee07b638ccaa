"""The meeting pack as PowerPoint: 16:9, large type, one topic per slide, native editable charts
(CategoryChartData, so the numbers stay in the chart's own workbook) and every run of text in
Sarabun for latin and complex script (a:cs), so Thai uses it too."""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from lib import sheets
from lib.pack.assemble import FONT, SLIDE_TABLE_ROWS, Chart, Pack, Topic

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
DARK = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x55, 0x55, 0x55)
BLANK_LAYOUT = 6


def thai_font(rpr) -> None:
    """Name Sarabun in a run's (or a default's) properties for latin, east-asian and complex
    script: PowerPoint picks the a:cs typeface for Thai characters."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", FONT)
    # schema order: ... fill, effects, latin, ea, cs, sym, hlink...; keep the three in that order after any fill
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        rpr.remove(element)
        following = [c for c in rpr if c.tag in (qn("a:sym"), qn("a:hlinkClick"), qn("a:hlinkMouseOver"),
                                                 qn("a:rtl"), qn("a:extLst"))]
        if following:
            following[0].addprevious(element)
        else:
            rpr.append(element)


def _text(frame, lines: list[str], size: int, color: RGBColor = GREY, bold: bool = False,
          space_after: int = 6) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = color
        thai_font(run._r.get_or_add_rPr())


def _box(slide, left, top, width, height, lines: list[str], size: int, **kw):
    shape = slide.shapes.add_textbox(left, top, width, height)
    shape.text_frame.margin_left = shape.text_frame.margin_right = Inches(0.05)
    _text(shape.text_frame, lines, size, **kw)
    return shape


def _chart(slide, chart: Chart, left, top, width, height) -> None:
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = [sheets.value(c) for c in chart.categories]  # the chart's workbook: no formulas
    for s in chart.series:
        data.add_series(sheets.value(s.name), s.values)
    if chart.horizontal:
        kind = XL_CHART_TYPE.BAR_STACKED if chart.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    else:
        kind = XL_CHART_TYPE.COLUMN_STACKED if chart.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    graphic = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    graphic.has_title = True
    graphic.chart_title.text_frame.text = chart.title
    title_run = graphic.chart_title.text_frame.paragraphs[0].runs[0]
    title_run.font.size = Pt(20)
    title_run.font.bold = True
    thai_font(title_run._r.get_or_add_rPr())
    graphic.has_legend = True
    graphic.legend.position = XL_LEGEND_POSITION.TOP
    graphic.legend.include_in_layout = False
    graphic.font.size = Pt(16)
    thai_font(graphic.font._rPr)  # the chart's default text: axes, legend, labels
    plot = graphic.plots[0]
    plot.gap_width = 60
    if chart.stacked:
        plot.overlap = 100
    plot.has_data_labels = True
    # a stacked zero has no room for a label: the format's third (zero) section is empty
    plot.data_labels.number_format = f"{chart.number_format};-{chart.number_format};" if chart.stacked \
        else chart.number_format
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(14)
    thai_font(plot.data_labels.font._rPr)
    for series, spec in zip(plot.series, chart.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(spec.color.lstrip("#").upper())
    value_axis = graphic.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE6, 0xE6, 0xE6)
    value_axis.tick_labels.number_format = "#,##0"
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.minimum_scale = 0
    if chart.counts_only:
        value_axis.major_unit = 1
    if chart.stacked and chart.number_format.endswith(".00"):
        value_axis.maximum_scale = 100
    if chart.value_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = chart.value_title
        run = value_axis.axis_title.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(14)
        thai_font(run._r.get_or_add_rPr())
    if chart.horizontal:
        graphic.category_axis.reverse_order = True  # the first category on top, as on the page


def _table(slide, table, left, top, width, height) -> None:
    shown = table.head(SLIDE_TABLE_ROWS)
    shape = slide.shapes.add_table(len(shown) + 1, len(shown.columns), left, top, width, Emu(0))
    grid = shape.table
    widths = [max(4, min(40, max([len(str(c)), *(len(str(v)) for v in shown[c])]))) for c in shown.columns]
    for i, w in enumerate(widths):
        grid.columns[i].width = int(width * w / sum(widths))
    for r, row in enumerate([list(shown.columns), *shown.astype(object).itertuples(index=False)]):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.text_frame.text = ""
            text = "" if value is None or value != value else (f"{value:,}" if isinstance(value, int) else str(value))
            _text(cell.text_frame, [text], 13, color=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else GREY, bold=r == 0,
                  space_after=0)
    if len(table) > len(shown):
        _box(slide, left, top + height - Inches(0.4), width, Inches(0.4),
             [f"แสดง {len(shown):,} จาก {len(table):,} แถว · ทั้งหมดอยู่ในไฟล์ Excel"], 12)


def _slide(prs: Presentation, pack: Pack, topic: Topic, number: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    inner = WIDTH - 2 * MARGIN
    _box(slide, MARGIN, Inches(0.25), inner, Inches(0.8), [topic.title], 34, color=DARK, bold=True)
    _box(slide, MARGIN, Inches(0.95), inner, Inches(0.4), [pack.subtitle], 16)
    _box(slide, WIDTH - MARGIN - Inches(1), HEIGHT - Inches(0.45), Inches(1), Inches(0.35),
         [f"{number}/{len(pack.topics)}"], 12)
    top = Inches(1.45)
    notes_height = Inches(0.5) * min(2, len(topic.notes)) if (topic.chart or topic.table is not None) else 0
    bottom = HEIGHT - Inches(0.45) - notes_height
    if topic.chart and topic.table is not None:
        _box(slide, MARGIN, top, inner, Inches(0.9), [" · ".join(topic.lines)], 18, color=DARK)
        top += Inches(1.0)
        half = int(inner * 0.46)
        _chart(slide, topic.chart, MARGIN, top, half, bottom - top)
        _table(slide, topic.table, MARGIN + half + Inches(0.2), top, inner - half - Inches(0.2), bottom - top)
    elif topic.chart:
        left = int(inner * 0.34)
        _box(slide, MARGIN, top + Inches(0.2), left, bottom - top, topic.lines, 22, color=DARK, space_after=14)
        _chart(slide, topic.chart, MARGIN + left + Inches(0.2), top, inner - left - Inches(0.2), bottom - top)
    else:  # no chart: the lines, and the notes beside them (the summary's as-of date and sources)
        left = int(inner * 0.5)
        _box(slide, MARGIN, top + Inches(0.2), left, bottom - top, topic.lines, 24, color=DARK, space_after=14)
        _box(slide, MARGIN + left + Inches(0.3), top + Inches(0.2), inner - left - Inches(0.3), bottom - top,
             topic.notes, 16, space_after=8)
    if notes_height:
        _box(slide, MARGIN, bottom, inner - Inches(1.1), notes_height, topic.notes[:2], 11)
    slide.notes_slide.notes_text_frame.text = "\n".join([*topic.lines, *topic.notes])


def pptx_bytes(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    for number, topic in enumerate(pack.topics, 1):
        _slide(prs, pack, topic, number)
    prs.core_properties.title = f"{pack.title} {pack.subtitle}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

