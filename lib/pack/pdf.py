"""The meeting pack as PDF: the same topics laid out as 16:9 pages in HTML, Sarabun embedded
(@font-face, base64) and printed by Debian's Chromium through Playwright. Chromium shapes Thai
(vowels and tone marks above and below their consonant) and embeds the font, so the PDF reads
and copies as Thai. Charts are the pack's plotly figures drawn by the plotly.js bundled with the
plotly package (offline; no kaleido, no download)."""
from __future__ import annotations

import base64
import html
import json
import math
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import plotly.offline

from lib.pack.assemble import FONT, SLIDE_TABLE_ROWS, Pack, Topic, figure

PDF_MIME = "application/pdf"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
DPI = 96  # CSS pixels per inch: the page is 13.333 x 7.5 in = 1280 x 720 px
PAGE_W, PAGE_H = 1280, 720


class PdfError(RuntimeError):
    """The PDF could not be printed (no Chromium here, or it failed); the message is Thai."""


@cache
def _font_faces() -> str:
    faces = []
    for weight, name in ((400, "Regular"), (600, "SemiBold"), (700, "Bold")):
        data = base64.b64encode((FONTS / f"Sarabun-{name}.ttf").read_bytes()).decode()
        faces.append(f"@font-face {{font-family: '{FONT}'; font-weight: {weight}; "
                     f"src: url(data:font/ttf;base64,{data}) format('truetype');}}")
    return "\n".join(faces)


BAND_LINE = 100  # characters of the band (22 px) in one line of the slide

CSS = """
@page { size: 13.333in 7.5in; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Sarabun', sans-serif; color: #333; }
section { width: 1280px; height: 718px; padding: 22px 44px 16px; position: relative; overflow: hidden;
          page-break-after: always; display: flex; flex-direction: column; }
section:last-of-type { page-break-after: auto; }
h1 { font-size: 44px; color: #1F4E79; margin: 0; line-height: 1.25; font-weight: 700; }
.sub { font-size: 20px; color: #555; margin: 2px 0 12px; }
.body { flex: 1; display: flex; gap: 20px; min-height: 0; }
.lines { font-size: 28px; color: #1F4E79; line-height: 1.45; }
.lines p { margin: 0 0 14px; }
.band { font-size: 22px; color: #1F4E79; margin-bottom: 8px; }
.side { font-size: 21px; line-height: 1.45; color: #444; }
.side p { margin: 0 0 8px; }
.notes { font-size: 14px; color: #666; line-height: 1.35; margin-top: 6px; padding-right: 60px; }
.number { position: absolute; right: 44px; bottom: 14px; font-size: 15px; color: #666; }
table { border-collapse: collapse; font-size: 15px; width: 100%; }
th { background: #1F4E79; color: white; text-align: left; font-weight: 600; }
th, td { padding: 4px 6px; border-bottom: 1px solid #ddd; vertical-align: top; }
.more { font-size: 14px; color: #666; margin-top: 4px; }
"""


def _p(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def _table(topic: Topic) -> str:
    shown = topic.table.head(SLIDE_TABLE_ROWS)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in shown.astype(object).itertuples(index=False))
    more = (f"<div class='more'>แสดง {len(shown):,} จาก {len(topic.table):,} แถว · ทั้งหมดอยู่ในไฟล์ Excel</div>"
            if len(topic.table) > len(shown) else "")
    return f"<div><table><tr>{head}</tr>{rows}</table>{more}</div>"


def _cell(value) -> str:
    if value is None or value != value:
        return ""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _section(pack: Pack, topic: Topic, number: int, figures: dict) -> str:
    chart_id = f"chart{number}"
    body_h = 720 - 150 - (60 if topic.notes and (topic.chart or topic.table is not None) else 0)
    if topic.chart and topic.table is not None:
        band = " · ".join(topic.lines)
        # the band's lines above take the chart's room (about 100 characters a line at its size)
        height = body_h - 50 - 32 * (math.ceil(len(band) / BAND_LINE) - 1)
        figures[chart_id] = figure(topic.chart, height=height, font_size=15).update_layout(width=560)
        body = (f"<div class='band'>{html.escape(band)}</div>"
                f"<div class='body'><div id='{chart_id}' style='width:560px'></div>"
                f"<div style='flex:1'>{_table(topic)}</div></div>")
    elif topic.chart:
        figures[chart_id] = figure(topic.chart, height=body_h, font_size=17).update_layout(width=780)
        body = (f"<div class='body'><div class='lines' style='width:390px'>{_p(topic.lines)}</div>"
                f"<div id='{chart_id}' style='width:780px'></div></div>")
    else:
        body = (f"<div class='body'><div class='lines' style='width:580px'>{_p(topic.lines)}</div>"
                f"<div class='side' style='flex:1'>{_p(topic.notes)}</div></div>")
    notes = (f"<div class='notes'>{_p(topic.notes[:2])}</div>"
             if topic.notes and (topic.chart or topic.table is not None) else "")
    return (f"<section><h1>{html.escape(topic.title)}</h1><div class='sub'>{html.escape(pack.subtitle)}</div>"
            f"{body}{notes}<div class='number'>{number}/{len(pack.topics)}</div></section>")


def html_document(pack: Pack) -> str:
    """The whole pack as one HTML document (plotly.js and the fonts inline: it needs no network)."""
    figures: dict = {}
    sections = "".join(_section(pack, topic, n, figures) for n, topic in enumerate(pack.topics, 1))
    plots = json.dumps({key: json.loads(fig.to_json()) for key, fig in figures.items()})
    return f"""<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{html.escape(pack.title)}</title>
<style>{_font_faces()}{CSS}</style><script>{plotly.offline.get_plotlyjs()}</script></head>
<body>{sections}<script>
const figures = {plots};
document.fonts.load("20px Sarabun", "ภาษาไทย").then(() => document.fonts.ready).then(async () => {{
  for (const [id, fig] of Object.entries(figures)) {{
    await Plotly.newPlot(id, fig.data, fig.layout, {{staticPlot: true, displayModeBar: false}});
  }}
  document.body.dataset.ready = "1";
}});
</script></body></html>"""


def _print(document: str) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": PAGE_W, "height": PAGE_H})
                page.set_content(document, wait_until="load")
                page.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)
                return page.pdf(width="13.333in", height="7.5in", print_background=True,
                                prefer_css_page_size=True)
            finally:
                browser.close()
    except Error as e:
        raise PdfError(f"สร้างไฟล์ PDF ไม่สำเร็จ (Chromium): {str(e).splitlines()[0]}") from e


def pdf_bytes(pack: Pack) -> bytes:
    # Playwright's sync API refuses a thread that runs an asyncio loop: print from a thread of its own
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html_document(pack)).result()
