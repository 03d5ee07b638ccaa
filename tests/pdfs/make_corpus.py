"""Regenerate the PDF corpus from the five seeds: `python -m tests.pdfs.make_corpus [--out DIR]`.

Each seed's text is laid out as HTML (lines outside tables as paragraphs, each run of
tab-separated rows as one table, cell markup rendered as paragraphs and lists) and printed by
Chromium in two renderings that lay text out differently:
- `ruled`: A4 portrait, Sarabun, every cell ruled (the shape of a Word table saved as PDF);
- `wide`: A4 landscape, Laksaman (TH Sarabun's free derivative, Debian fonts-tlwg-laksaman-ttf;
  Sarabun when it is missing: its text layer carries TH Sarabun's private-use marks), thin grey
  rules, other type size, padding and paragraph spacing (so other line breaks and page breaks),
  and a header label merged over the columns below it (colspan), as Word prints it.
Two more kinds were added later and were not used to tune the reader:
- `bare`: A4 portrait, Norasi (a serif TLWG font, Debian fonts-tlwg-norasi-ttf) at another size,
  tables drawn without any ruling line (cells found from the header and the gaps between columns);
- `office`: the same HTML, ruled, laid out and printed by LibreOffice Writer (`soffice --headless
  --convert-to pdf`, Debian libreoffice-writer-nogui: only needed to regenerate the corpus), in Loma
  (fonts-tlwg-loma-ttf), with LibreOffice's own line breaking and PDF writer.
- `loose` (added with the reader of tables without rules; its repeated headers and rows moved whole
  to the next page were first read wrong, and the reader learned them from it): A4 landscape,
  Loma (fonts-tlwg-loma-ttf), each table's first row a header Chromium repeats on every page it runs
  onto (<thead>), a single rule under that header and none elsewhere, zebra-striped rows, other
  padding, and a page-number footer ("หน้า 2 / 5") on every page.
- `middle` (not used to tune the reader of tables without rules; later the reader of centred cells was
  built on it): A4 portrait, Laksaman, no rule at all, each cell's text centred vertically in its row
  (a row's shorter cells begin below its first line).
- `midloma` (added with the reader of centred cells, not used to tune it): a page of another size
  (250 x 300 mm, wide margins), Loma, no rule, cells centred vertically, more padding and line height.
The scanned copies (`scan`) are pages of the ruled rendering rasterised at 300 dpi, rotated a
little, given noise and put back together as image-only PDF pages: small (one or two pages each)
so the OCR tests stay quick. Needs Debian's chromium and poppler-utils (pdftoppm).
"""
from __future__ import annotations

import argparse
import html
import io
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data" / "seeds"
FONTS = ROOT / "static" / "fonts"
OUT = Path(__file__).resolve().parent
LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
# (seed prefix, first page, last page) of the scanned copies: the 003 summary table with its
# totals row, the first rows of 001 (item codes in Thai digits), the first page of 004 (its year)
SCANS = (("003", 1, 2), ("001", 1, 1), ("004", 1, 1))

RULED_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: 'Doc'; font-size: 13px; line-height: 1.35; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
td { border: 1px solid #000; padding: 3px 4px; vertical-align: top; }
p.line { margin: 0 0 2px; }
td p { margin: 0 0 3px; } td ul { margin: 0; padding-left: 16px; }
"""
WIDE_CSS = """
@page { size: A4 landscape; margin: 10mm 16mm; }
body { font-family: 'Doc'; font-size: 15px; line-height: 1.2; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; }
td { border: 0.6px solid #555; padding: 5px 8px; vertical-align: top; }
p.line { margin: 0 0 4px; }
td p { margin: 0 0 2px; } td ul { margin: 0; padding-left: 12px; }
"""

BARE_CSS = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: 'Doc'; font-size: 14.5px; line-height: 1.3; }
table { border-collapse: separate; border-spacing: 0; width: 100%; margin: 14px 0; }
td { border: none; padding: 5px 7px; vertical-align: top; }
p.line { margin: 0 0 3px; }
td p { margin: 0 0 1px; } td ul { margin: 0; padding-left: 14px; }
"""
LOOSE_CSS = """
@page { size: A4 landscape; margin: 12mm 14mm 18mm; }
body { font-family: 'Doc'; font-size: 13.5px; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin: 10px 0; }
td { border: none; padding: 4px 9px; vertical-align: top; }
thead td { border-bottom: 1.2px solid #333; }
tbody tr:nth-child(even) td { background: #ececec; }
p.line { margin: 0 0 2px; }
td p { margin: 0 0 2px; } td ul { margin: 0; padding-left: 12px; }
"""
MIDDLE_CSS = """
@page { size: A4; margin: 12mm 10mm; }
body { font-family: 'Doc'; font-size: 15px; line-height: 1.25; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; }
td { border: none; padding: 6px 5px; vertical-align: middle; }
p.line { margin: 0 0 3px; }
td p { margin: 0 0 2px; } td ul { margin: 0; padding-left: 14px; }
"""
MIDLOMA_CSS = """
@page { size: 250mm 300mm; margin: 22mm 26mm; }
body { font-family: 'Doc'; font-size: 14px; line-height: 1.45; }
table { border-collapse: collapse; border: 0; width: 100%; margin: 16px 0; }
td { border: 0; padding: 8px 6px; vertical-align: middle; }
p.line { margin: 0 0 4px; }
td p { margin: 0 0 3px; } td ul { margin: 0; padding-left: 16px; }
"""
LOOSE_FOOTER = ("<div style='font-family: Loma, sans-serif; font-size: 9px; width: 100%; text-align: center;'>"
                "หน้า <span class='pageNumber'></span> / <span class='totalPages'></span></div>")
OFFICE_CSS = """
body { font-family: 'Loma', 'Doc'; font-size: 11pt; }
"""
NORASI = Path("/usr/share/fonts/truetype/tlwg/Norasi.ttf")
LOMA = Path("/usr/share/fonts/truetype/tlwg/Loma.ttf")
KINDS = ("ruled", "wide", "bare", "office", "scan", "loose", "middle", "midloma")


def _font_face(path: Path) -> str:
    return f"@font-face {{ font-family: 'Doc'; src: url('{path.as_uri()}'); }}"


def _cell(raw: str) -> str:
    raw = raw.strip()
    # cell markup (<p>, <ul>, <a href>) in the seeds is the documents' own: render it
    return raw if "<" in raw else html.escape(raw)


def _row(cells: list[str], below: list[str] | None, merge: bool, tag: str = "td") -> str:
    """A table row; with `merge`, a header label followed by empty cells that have labels below
    them spans those columns."""
    out, i = [], 0
    while i < len(cells):
        span = 1
        if merge and below and cells[i].strip():
            while i + span < len(cells) and not cells[i + span].strip() and i + span < len(below) \
                    and below[i + span].strip():
                span += 1
        out.append(f"<{tag} colspan='{span}'>{_cell(cells[i])}</{tag}>" if span > 1 else f"<{tag}>{_cell(cells[i])}</{tag}>")
        i += span
    return "<tr>" + "".join(out) + "</tr>"


def _header_rows(rows: list[list[str]]) -> int:
    """How many rows the table's header takes: its first row and the rows of short labels under it
    with an empty first cell (003's quarter numbers 1 2 3 4 under "ดำเนินการไตรมาส")."""
    n = 1
    while n < len(rows) and not rows[n][0].strip() and all(len(c.strip()) <= 3 for c in rows[n]):
        n += 1
    return n


def seed_html(text: str, css: str, font: Path, merge: bool = False, thead: bool = False, th: bool = False) -> str:
    """With `th`, the header's rows are <th> cells (a browser centres and bolds them) and, with `thead`,
    all of them are repeated on each page."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(f"<p class='line'>{html.escape(lines[i]) or '&nbsp;'}</p>")
            i += 1
            continue
        rows = []
        while i < len(lines) and "\t" in lines[i]:
            rows.append(lines[i].split("\t"))
            i += 1
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        head = _header_rows(rows) if th else 1
        body = [_row(r, rows[k + 1] if k + 1 < len(rows) else None, merge and k == 0,
                     "th" if th and k < head else "td") for k, r in enumerate(rows)]
        if thead:  # the header as the browser repeats it on each page the table runs onto
            out.append(f"<table><thead>{''.join(body[:head])}</thead><tbody>{''.join(body[head:])}</tbody></table>")
        else:
            out.append(f"<table>{''.join(body)}</table>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{_font_face(font)}{css}</style>"
            f"</head><body>{''.join(out)}</body></html>")


def print_pdf(page_html: str, landscape: bool = False, footer: str | None = None) -> bytes:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        source = Path(tmp) / "doc.html"
        source.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(source.as_uri())
        page.wait_for_load_state("networkidle")
        data = page.pdf(prefer_css_page_size=True, landscape=landscape, print_background=True,
                        display_header_footer=footer is not None, header_template="<div></div>",
                        footer_template=footer or "")
        browser.close()
    return data


def office_pdf(text: str) -> bytes:
    """The seed's HTML opened by LibreOffice Writer (its own layout, fonts and PDF writer), ruled."""
    page_html = seed_html(text, OFFICE_CSS, FONTS / "Sarabun-Regular.ttf").replace(
        "<table>", "<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
    # Writer ignores list-style-type: none and would print bullets the seed's text does not have
    page_html = re.sub(r"<[uo]l[^>]*>|</[uo]l>", "", page_html).replace("<li>", "<p>").replace("</li>", "</p>")
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.html"
        source.write_text(page_html, encoding="utf-8")
        subprocess.run([soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=300)
        return (Path(tmp) / "doc.pdf").read_bytes()


def scan(pdf: bytes, first: int, last: int, seed: int, dpi: int = 300, noise: float = 0.12) -> bytes:
    """Pages rasterised, slightly rotated, with noise, saved again as image-only PDF pages."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(first), "-l", str(last), "-png",
                        str(src), str(Path(tmp) / "page")], check=True)
        pages = []
        for png in sorted(Path(tmp).glob("page*.png")):
            img = Image.open(png).convert("L")
            img = img.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(0.6))
            img = Image.blend(img, Image.effect_noise(img.size, 28), noise)
            pages.append(img)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=55)
    return out.getvalue()


def render(kind: str, text: str) -> bytes:
    """One seed's text-layer rendering `kind` (any of KINDS but scan), as a PDF's bytes."""
    plain_font = LAKSAMAN if LAKSAMAN.exists() else FONTS / "Sarabun-Regular.ttf"
    bare_font = NORASI if NORASI.exists() else FONTS / "Sarabun-Regular.ttf"
    loma = LOMA if LOMA.exists() else bare_font
    if kind == "ruled":
        return print_pdf(seed_html(text, RULED_CSS, FONTS / "Sarabun-Regular.ttf"))
    if kind == "wide":
        return print_pdf(seed_html(text, WIDE_CSS, plain_font, True), True)
    if kind == "bare":
        return print_pdf(seed_html(text, BARE_CSS, bare_font))
    if kind == "loose":
        return print_pdf(seed_html(text, LOOSE_CSS, loma, thead=True), True, LOOSE_FOOTER)
    if kind == "middle":
        return print_pdf(seed_html(text, MIDDLE_CSS, plain_font))
    if kind == "midloma":
        return print_pdf(seed_html(text, MIDLOMA_CSS, loma))
    if kind == "office":
        return office_pdf(text)
    raise ValueError(kind)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="renderings to make (default: all)")
    parser.add_argument("--scan-from", choices=("ruled", "wide", "office"), default="ruled",
                        help="rendering the scans are made from (another font and layout: checks on scans not tuned on)")
    parser.add_argument("--scan-dpi", type=int, default=300)
    parser.add_argument("--scan-noise", type=float, default=0.12)
    parser.add_argument("--scan-seed", type=int, default=0, help="added to the random seed of rotation and noise")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    scans = dict((s, (a, b)) for s, a, b in SCANS)
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        prefix = seed.name[:3]
        scanning = "scan" in args.kinds and prefix in scans
        made = {kind: render(kind, text) for kind in KINDS
                if kind != "scan" and (kind in args.kinds or scanning and args.scan_from == kind)}
        if scanning:
            made["scan"] = scan(made[args.scan_from], *scans[prefix], seed=int(prefix) + 1 + args.scan_seed,
                                dpi=args.scan_dpi, noise=args.scan_noise)
        for kind, data in made.items():
            if kind in args.kinds:
                (args.out / f"{prefix}_{kind}.pdf").write_bytes(data)
        print(prefix, "done")


if __name__ == "__main__":
    main()
