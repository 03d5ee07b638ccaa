"""The seeds as an office publishes them on its web site (HTML tables), copied by a user from Chromium:
`python -m tests.renderings.browser_copy OUT_DIR [--pages P ...] [--seeds 000 ...]`.

Each seed's text becomes a page (`page_html`): lines outside tables as paragraphs, each run of
tab-separated rows as a <table>, varied as offices' pages are (`Page`): a cell's paragraphs as <p>,
<br> lines or <div>s, lists (<ul>, <ol>) with the browser's markers (a copy has none of them), a header of <th> in <thead>, a header label
over the columns below it (colspan, 003's quarters), a category row as one cell over the row
(colspan, 002's "(๑) ..."), equal cells one under another as one cell (rowspan, 003's มิติ), &nbsp;
inside cells, the line above a table as its <caption>, the title as <h1>.
Two texts are taken from Chromium itself (`copy`):
- `copy`: what the clipboard holds after the user's select-all + copy (Ctrl+A, Ctrl+C, read back by
  navigator.clipboard): tabs between cells, a line per row, but after a cell whose content ends in a
  block (<p>, <div>, a list) Chromium writes no tab: the next cell starts the next line;
- `inner`: `document.body.innerText`, Chromium's rendered text: a tab before every cell after the first.
A cell a rowspan covers is absent from the rows below in both (their later cells shift left).
Needs Debian's chromium (`.ci/run` installs it).
"""
from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.pdfs.make_corpus import SEEDS, _font_face, _header_rows
from tests.renderings import blocks, generator_args
from tests.renderings.office_renders import TLWG, Printer, _Paragraphs

MODES = ("copy", "inner")
# columns an office merges down (rowspan) when the same value repeats: categories, not per-row values
_MERGED_HEADS = ("มิติ", "ผู้รับผิดชอบ", "ระยะเวลา")


@dataclass(frozen=True)
class Page:
    name: str
    font: str = "Loma"
    cell: str = "seed"  # a cell's paragraphs: "seed" (its own markup), "br" (lines), "div"
    lists: str = ""  # "ul" or "ol": a cell's paragraphs as list items with the browser's markers
    th: bool = False  # header rows as <th> in a <thead>
    merge: bool = False  # a header label followed by empty cells spans the labelled columns below
    category_span: bool = False  # a row with only its first cell: one cell over the whole row
    rowspan: bool = False  # equal cells one under another in a category column: one cell
    nbsp: bool = False  # every other space inside cells as &nbsp;, empty cells as &nbsp;
    caption: bool = False  # the line just above a table as its <caption>
    title: bool = False  # the first line as <h1>
    blank_lines: bool = True  # empty lines as <p>&nbsp;</p> (else left out, as a page's markup has none)


PAGES = (
    Page("plain"),
    Page("th_spans", font="Garuda", th=True, merge=True, category_span=True, caption=True, title=True),
    Page("br_nbsp", font="Waree", cell="br", nbsp=True, blank_lines=False),
    Page("rowspan", font="Norasi", th=True, merge=True, rowspan=True, category_span=True),
    Page("div_lists", font="Kinnari", cell="div", lists="ul", title=True, blank_lines=False),
    Page("ol_th", font="Umpush", lists="ol", th=True, merge=True, category_span=True, nbsp=True),
)
KINDS = tuple(f"browser_{p.name}_{m}" for p in PAGES for m in MODES)
CSS = """
body { font-family: 'Doc'; font-size: 15px; line-height: 1.4; margin: 16px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; }
td p { margin: 0 0 4px; }
"""


def _text(text: str, nbsp: bool) -> str:
    if not nbsp:
        return html.escape(text)
    words = text.split(" ")
    return "".join(html.escape(w) + ("" if k == len(words) - 1 else "&nbsp;" if k % 2 == 0 else " ")
                   for k, w in enumerate(words))


def _cell_html(raw: str, page: Page) -> str:
    raw = raw.strip()
    if page.cell == "seed" and not page.lists and not page.nbsp:
        return raw if "<" in raw else html.escape(raw)
    parser = _Paragraphs()
    parser.feed(raw if "<" in raw else html.escape(raw))
    paragraphs = []
    for runs in parser.paragraphs:
        if not "".join(t for t, _ in runs).strip():
            continue
        parts = []
        for n, (text, href) in enumerate(runs):
            text = " ".join(text.split()) if text.strip() else " "
            if n == 0:
                text = text.lstrip()
            inner = _text(text, page.nbsp)
            parts.append(f"<a href='{html.escape(href)}'>{inner}</a>" if href else inner)
        paragraphs.append("".join(parts).strip())
    if not paragraphs:
        return "&nbsp;" if page.nbsp else ""
    if page.lists and len(paragraphs) > 1:
        return f"<{page.lists}>" + "".join(f"<li>{p}</li>" for p in paragraphs) + f"</{page.lists}>"
    if page.cell == "br":
        return "<br>".join(paragraphs)
    if page.cell == "div":
        return "".join(f"<div>{p}</div>" for p in paragraphs)
    return "".join(f"<p>{p}</p>" for p in paragraphs) if len(paragraphs) > 1 else paragraphs[0]


def _table(rows: list[list[str]], page: Page, caption: str | None) -> str:
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    head = _header_rows(rows) if len(rows) > 1 else 0
    blank = [[not c.strip() for c in r] for r in rows]
    category = [k >= head and not blank[k][0] and all(blank[k][1:]) for k in range(len(rows))]
    covered: set[tuple[int, int]] = set()
    out = []
    for k, row in enumerate(rows):
        tag = "th" if page.th and k < head else "td"
        cells = []
        if page.category_span and category[k]:
            cells.append(f"<{tag} colspan='{n}'>{_cell_html(row[0], page)}</{tag}>")
            row = []
        c = 0
        while c < len(row):
            if (k, c) in covered:
                c += 1
                continue
            attrs = ""
            span = 1
            if page.merge and k < head and k + 1 < len(rows) and not blank[k][c]:
                while c + span < n and blank[k][c + span] and not blank[k + 1][c + span]:
                    span += 1
                attrs = f" colspan='{span}'" if span > 1 else ""
            elif page.rowspan and k >= head and c > 0 and not blank[k][c] \
                    and any(h in rows[0][c] for h in _MERGED_HEADS):
                down = 1
                while k + down < len(rows) and not category[k + down] and rows[k + down][c] == row[c]:
                    covered.add((k + down, c))
                    down += 1
                attrs = f" rowspan='{down}'" if down > 1 else ""
            cells.append(f"<{tag}{attrs}>{_cell_html(row[c], page)}</{tag}>")
            c += span
        out.append("<tr>" + "".join(cells) + "</tr>")
    top = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    if page.th and head:
        return f"<table>{top}<thead>{''.join(out[:head])}</thead><tbody>{''.join(out[head:])}</tbody></table>"
    return f"<table>{top}{''.join(out)}</table>"


def page_html(text: str, page: Page) -> str:
    """The seed as the office's web page."""
    parts: list[str] = []  # (html of a line, or a table)
    titled = False
    for block in blocks(text):
        if isinstance(block, str):
            if not block.strip():
                if page.blank_lines:
                    parts.append("<p>&nbsp;</p>")
                continue
            if page.title and not titled:
                parts.append(f"<h1>{html.escape(block.strip())}</h1>")
                titled = True
                continue
            parts.append(f"<p>{html.escape(block)}</p>")
            continue
        caption = None
        if page.caption:
            # the line above the table (blank lines between left out) becomes its caption
            while parts and parts[-1] == "<p>&nbsp;</p>":
                parts.pop()
            if parts and parts[-1].startswith("<p>"):
                caption = html.unescape(parts.pop()[3:-4])
        parts.append(_table([r for r in block if r is not None], page, caption))
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{_font_face(TLWG / f'{page.font}.ttf')}"
            f"{CSS}</style></head><body>{''.join(parts)}</body></html>")


def copy(printer: Printer, page_html_text: str, mode: str) -> str:
    """What Chromium gives for the page: the clipboard after select-all + copy, or innerText."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page_html_text, encoding="utf-8")
        context = printer.browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        try:
            view = context.new_page()
            view.goto(source.as_uri())
            view.wait_for_load_state("networkidle")
            if mode == "inner":
                return view.evaluate("document.body.innerText")
            view.keyboard.press("Control+a")
            view.keyboard.press("Control+c")
            return view.evaluate("navigator.clipboard.readText()")
        finally:
            context.close()


def render(printer: Printer, text: str, kind: str) -> str:
    """The text of one `browser_<page>_<mode>` kind."""
    name, mode = kind.removeprefix("browser_").rsplit("_", 1)
    page = next(p for p in PAGES if p.name == name)
    return copy(printer, page_html(text, page), mode)


def main(argv: list[str] | None = None) -> None:
    args = generator_args(__doc__, KINDS, argv)
    with Printer() as printer:
        for prefix in args.seeds:
            text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
            for kind in args.kinds:
                (args.out / f"{prefix}_{kind}.txt").write_text(render(printer, text, kind), encoding="utf-8")
                print(prefix, kind, flush=True)


if __name__ == "__main__":
    main()
