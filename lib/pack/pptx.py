"""The meeting pack as PowerPoint: 16:9, large type, one topic per slide, native editable charts
(CategoryChartData, so the numbers stay in the chart's own workbook) and every run of text in
Sarabun for latin and complex script (a:cs), so Thai uses it too."""
from __future__ import annotations

import io
import math
import unicodedata

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from lib import sheets
from lib.pack.assemble import FONT, Chart, Pack, Topic

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


def text_height(lines: list[str], width: int, size: int, space_after: int) -> int:
    """How tall `lines` draw at `size` pt in a box `width` wide (estimated long, as table rows are)."""
    per_line = max(1, int((width - Inches(0.1)) / Pt(size * 0.6)))
    wrapped = sum(max(1, math.ceil(sum(1 for ch in line if not unicodedata.combining(ch)) / per_line))
                  for line in lines)
    return int(wrapped * Pt(size * 1.3) + len(lines) * Pt(space_after))


def fitted_size(lines: list[str], width: int, height: int, size: int, smallest: int, space_after: int) -> int:
    """The largest type from `size` down to `smallest` at which the lines fit the box: a text box does
    not shrink its text in every client (LibreOffice Impress lets it run off the slide)."""
    while size > smallest and text_height(lines, width, size, space_after) > height:
        size -= 1
    return size


def _fitted_box(slide, left, top, width, height, lines: list[str], size: int, smallest: int,
                space_after: int, **kw):
    size = fitted_size(lines, width, height, size, smallest, space_after)
    return _box(slide, left, top, width, height, lines, size, space_after=space_after, **kw)


def _chart(slide, chart: Chart, left, top, width, height) -> None:
    # each bar needs room for its value label: with many bars in the frame the type gets smaller
    # (Impress otherwise skips every other category label and piles the value labels together)
    bars = len(chart.categories) * (1 if chart.stacked else len(chart.series))
    room = (height if chart.horizontal else width) / max(1, bars)
    axis_size, label_size, title_size = (16, 14, 20) if room >= Pt(30) else (13, 11, 18)
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
    title_run.font.size = Pt(title_size)
    title_run.font.bold = True
    thai_font(title_run._r.get_or_add_rPr())
    # the legend is drawn beside the chart by _legend, outside its frame: a chart's own legend is laid
    # out by each client (LibreOffice Impress set it on the axis labels), a text box is not
    graphic.has_legend = False
    graphic.font.size = Pt(axis_size)
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
    plot.data_labels.font.size = Pt(label_size)
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
        run.font.size = Pt(label_size + 1)
        thai_font(run._r.get_or_add_rPr())
    if chart.horizontal:
        graphic.category_axis.reverse_order = True  # the first category on top, as on the page
    _every_category_label(graphic.category_axis)
    graphic.category_axis.tick_labels.font.size = Pt(axis_size if room >= Pt(30) else label_size)
    thai_font(graphic.category_axis.tick_labels.font._rPr)


def _every_category_label(axis) -> None:
    """tickLblSkip 1: a label on every category (Impress skips every other one when labels wrap)."""
    cat_ax = axis._element
    skip = cat_ax.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = etree.SubElement(cat_ax, qn("c:tickLblSkip"))
        # the schema's order: after lblAlgn/lblOffset, before tickMarkSkip/noMultiLvlLbl/extLst
        later = [c for c in cat_ax if c.tag in (qn("c:tickMarkSkip"), qn("c:noMultiLvlLbl"), qn("c:extLst"))]
        if later:
            later[0].addprevious(skip)
    skip.set("val", "1")


def _legend(slide, chart: Chart, left, top, width) -> None:
    """The series' names with their colours, in a text box above the chart (LEGEND_HEIGHT tall)."""
    shape = slide.shapes.add_textbox(left, top, width, LEGEND_HEIGHT)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Inches(0.05)
    paragraph = frame.paragraphs[0]
    for i, s in enumerate(chart.series):
        for text, color in (("■ ", RGBColor.from_string(s.color.lstrip("#").upper())),
                            (s.name + ("      " if i < len(chart.series) - 1 else ""), GREY)):
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(16)
            run.font.color.rgb = color
            thai_font(run._r.get_or_add_rPr())


TABLE_FONT = 13  # pt
LINE_HEIGHT = Pt(TABLE_FONT * 1.3)
CELL_MARGIN = Inches(0.03)  # above and below each cell's text
CHAR_WIDTH = Pt(TABLE_FONT * 0.6)  # a wide average advance of Sarabun at TABLE_FONT: estimates err long
LEGEND_HEIGHT = Inches(0.4)


CELL_CHARS = 120  # a cell's text on a slide is cut here ("…"): one long question cannot outgrow a slide


def _cell_text(value) -> str:
    """A cell as the slide shows it; the workbook keeps the whole text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1].rstrip() + "…"


def _widths(table, width: int) -> list[int]:
    longest = [max(4, min(40, max([len(str(c)), *(len(_cell_text(v)) for v in table[c])]))) for c in table.columns]
    return [int(width * w / sum(longest)) for w in longest]


def _row_height(values, widths: list[int]) -> int:
    """How tall a row draws: its cell with the most wrapped lines (marks above and below a Thai letter
    take no width of their own), in LINE_HEIGHT lines, and the cell margins."""
    lines = 1
    for value, w in zip(values, widths, strict=True):
        per_line = max(1, int((w - Inches(0.1)) / CHAR_WIDTH))
        text = _cell_text(value)
        cells = [sum(1 for ch in part if not unicodedata.combining(ch)) for part in text.split("\n")]
        lines = max(lines, sum(max(1, math.ceil(n / per_line)) for n in cells))
    return int(lines * LINE_HEIGHT + 2 * CELL_MARGIN)


def paginate(table, width: int, height: int) -> list:
    """The table cut into pieces that each fit `height` with their header: the row budget of a slide is
    its table area's height in estimated row heights, so a long table continues on the next slide
    instead of running off the bottom. Each piece has at least one row."""
    widths = _widths(table, width)
    header = _row_height(list(table.columns), widths)
    pieces, start, used = [], 0, header
    for i, row in enumerate(table.astype(object).itertuples(index=False)):
        need = _row_height(list(row), widths)
        if i > start and used + need > height:
            pieces.append(table.iloc[start:i])
            start, used = i, header
        used += need
    pieces.append(table.iloc[start:])
    return pieces


def _table(slide, table, left, top, width, whole=None) -> None:
    """One piece of a table (paginate; `whole` the table it was cut from, which sets the column widths):
    rows as tall as estimated, so every client starts from the same layout."""
    shape = slide.shapes.add_table(len(table) + 1, len(table.columns), left, top, width, Emu(0))
    grid = shape.table
    widths = _widths(table if whole is None else whole, width)
    for i, w in enumerate(widths):
        grid.columns[i].width = w
    rows = [list(table.columns), *(list(r) for r in table.astype(object).itertuples(index=False))]
    for r, row in enumerate(rows):
        grid.rows[r].height = _row_height(row, widths)
    shape.height = sum(r.height for r in grid.rows)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.margin_top = cell.margin_bottom = CELL_MARGIN
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.text_frame.text = ""
            _text(cell.text_frame, [_cell_text(value)], TABLE_FONT, color=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else GREY,
                  bold=r == 0, space_after=0)


def _frame(slide, pack: Pack, title: str, number: int, total: int) -> None:
    inner = WIDTH - 2 * MARGIN
    _box(slide, MARGIN, Inches(0.25), inner, Inches(0.8), [title], 34, color=DARK, bold=True)
    _box(slide, MARGIN, Inches(0.95), inner, Inches(0.4), [pack.subtitle], 16)
    _box(slide, WIDTH - MARGIN - Inches(1), HEIGHT - Inches(0.45), Inches(1), Inches(0.35), [f"{number}/{total}"], 12)


TOP = Inches(1.45)


def _layout(topic: Topic) -> dict:
    """Where a topic's parts go on its first slide, and the pieces of its table on the slides after it.
    A chart and a table never share a slide: at half a slide's width Impress skipped every other
    category label of the chart and piled its value labels on one another."""
    inner = WIDTH - 2 * MARGIN
    notes_height = Inches(0.5) * min(2, len(topic.notes)) if (topic.chart or topic.table is not None) else 0
    bottom = HEIGHT - Inches(0.45) - notes_height
    spec = {"bottom": bottom, "notes_height": notes_height, "pieces": []}
    if topic.chart:
        left = int(inner * 0.34)
        spec["chart_box"] = (MARGIN + left + Inches(0.2), TOP, inner - left - Inches(0.2), bottom - TOP)
    if topic.table is not None and len(topic.table):
        # each piece on a slide of its own, the whole width below the title
        spec["pieces"] = paginate(topic.table, inner, HEIGHT - Inches(0.5) - TOP)
    return spec


def _slide_count(spec: dict) -> int:
    return 1 + len(spec["pieces"])


def _slides(prs: Presentation, pack: Pack, topic: Topic, spec: dict, number: int, total: int) -> None:
    inner = WIDTH - 2 * MARGIN
    slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _frame(slide, pack, topic.title, number, total)
    bottom, pieces = spec["bottom"], spec["pieces"]
    if topic.chart:
        left = int(inner * 0.34)
        lines = topic.lines + ([f"ตารางอยู่หน้าถัดไป ({len(topic.table):,} แถว)"] if pieces else [])
        _fitted_box(slide, MARGIN, TOP + Inches(0.2), left, bottom - TOP - Inches(0.2), lines, 22, 14,
                    14, color=DARK)
        cl, ct, cw, ch = spec["chart_box"]
        _legend(slide, topic.chart, cl, ct, cw)
        _chart(slide, topic.chart, cl, ct + LEGEND_HEIGHT, cw, ch - LEGEND_HEIGHT)
    elif pieces:
        _fitted_box(slide, MARGIN, TOP + Inches(0.2), inner, bottom - TOP - Inches(0.2),
                    topic.lines + [f"ตารางอยู่หน้าถัดไป ({len(topic.table):,} แถว)"], 24, 14, 14, color=DARK)
    else:  # no chart: the lines, and the notes beside them (the summary's as-of date and sources)
        left = int(inner * 0.5)
        _fitted_box(slide, MARGIN, TOP + Inches(0.2), left, bottom - TOP - Inches(0.2), topic.lines, 24, 14,
                    14, color=DARK)
        _fitted_box(slide, MARGIN + left + Inches(0.3), TOP + Inches(0.2), inner - left - Inches(0.3),
                    bottom - TOP - Inches(0.2), topic.notes, 16, 10, 8)
    if spec["notes_height"]:
        _box(slide, MARGIN, bottom, inner - Inches(1.1), spec["notes_height"], topic.notes[:2], 11)
    slide.notes_slide.notes_text_frame.text = "\n".join([*topic.lines, *topic.notes])
    shown = 0
    for i, piece in enumerate(pieces, 2):
        slide = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
        _frame(slide, pack, f"{topic.title} (ต่อ {i}/{len(pieces) + 1})", number + i - 1, total)
        _table(slide, piece, MARGIN, TOP, inner, whole=topic.table)
        shown += len(piece)
        slide.notes_slide.notes_text_frame.text = f"แถว {shown - len(piece) + 1:,}-{shown:,} จาก {len(topic.table):,}"


def pptx_bytes(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    specs = [_layout(topic) for topic in pack.topics]
    total = sum(_slide_count(spec) for spec in specs)
    number = 1
    for topic, spec in zip(pack.topics, specs, strict=True):
        _slides(prs, pack, topic, spec, number, total)
        number += _slide_count(spec)
    prs.core_properties.title = f"{pack.title} {pack.subtitle}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

