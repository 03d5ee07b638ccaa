"""Renderings of the five seeds as offices make them, none of which the readers were tuned on:
`python -m tests.renderings.office_renders OUT_DIR [--kinds K ...] [--seeds 000 ...]`.

- Chromium prints of the seed's HTML tables with other CSS, fonts and pages (`css_*`): a browser's
  default table (cells centred vertically, no rules), zebra rows with a merged header, small type
  on a landscape page, a narrow page where cells wrap a lot, rows kept whole across pages; without
  any rule, headers centred (`<th>` or `text-align: center`) in Waree, Loma, Norasi, Laksaman, Kinnari,
  Umpush and Garuda on A4, A5, B5, letter and legal, with and without a repeated header, cells
  centred vertically or not, other paddings and line heights (`css_th_*`, `css_center_head_*`, `css_mid_*`);
- text-layer damage (`sara_am`): the seed typed with sara am as nikhahit + sara aa, as some Word
  documents hold it, printed so the PDF's text carries it;
- LibreOffice Writer (`lo_*`): the seed as a Word file (`word`: cells of real paragraphs and
  hyperlinks, equal column widths) in another Thai font, page size and orientation, with or without a
  table grid, exported to PDF by Writer (on A5 its tables run off the page);
  and the Word file re-saved by Writer (`resave_docx`: docx -> docx, `via_odt`: docx -> odt -> docx).

Fonts: Debian fonts-tlwg-{garuda,kinnari,waree,umpush,norasi,loma,laksaman}-ttf (only needed to
regenerate); chromium, libreoffice-writer-nogui. The committed ones live in tests/pdfs/renders/.
"""
from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from tests.pdfs.make_corpus import SEEDS, seed_html
from tests.renderings import blocks, generator_args

TLWG = Path("/usr/share/fonts/truetype/tlwg")


def _css(font: str, *, page: str, margin: str, size: str, padding: str, valign: str = "top", border: str = "none",
         table: str = "8px", whole_rows: bool = False, extra: tuple[str, ...] = (), line: int = 2, paragraph: int = 2,
         indent: int | None = 12, **options) -> tuple[str, str, dict]:
    """A CSS kind: (font, the page's CSS, seed_html's options). `size` is "font size/line height"; the
    cells' rule is "th, td" when the header's cells are <th> (`th=True`); `extra`: rules after it (thead,
    zebra rows); `indent`: a cell's list indent (None: the browser's own)."""
    size, line_height = size.split("/")
    cells = "th, td" if options.get("th") else "td"
    lists = f" td ul {{ margin: 0; padding-left: {indent}px; }}" if indent is not None else ""
    return font, (f"\n@page {{ size: {page}; margin: {margin}; }}\n"
                  f"body {{ font-family: 'Doc'; font-size: {size}; line-height: {line_height}; }}\n"
                  f"table {{ border-collapse: collapse; width: 100%; margin: {table} 0; }}\n"
                  + ("tr { break-inside: avoid; }\n" if whole_rows else "")
                  + f"{cells} {{ border: {border}; padding: {padding}; vertical-align: {valign}; }}\n"
                  + "".join(rule + "\n" for rule in extra)
                  + f"p.line {{ margin: 0 0 {line}px; }} td p {{ margin: 0 0 {paragraph}px; }}{lists}\n"), options


CSS = {
    # a page printed as the browser lays out a bare <table border=1>: cells centred vertically
    "css_default": ("Garuda", """
@page { size: A4; margin: 10mm; }
body { font-family: 'Doc'; font-size: 14px; }
table { border: 1px outset #888; border-spacing: 2px; width: 100%; }
td { border: 1px inset #888; padding: 1px; vertical-align: middle; }
""", {}),
    "css_zebra": _css("Kinnari", page="letter", margin="15mm 12mm", size="13px/1.5", padding="6px 8px",
        extra=("thead td { font-weight: bold; text-align: center; background: #dde; }",
               "tbody tr:nth-child(odd) td { background: #f2f2f2; }"),
        line=3, indent=14, merge=True, thead=True),
    "css_zebra_left": _css("Kinnari", page="letter", margin="15mm 12mm", size="13px/1.5", padding="6px 8px",
        extra=("thead td { font-weight: bold; background: #dde; }",
               "tbody tr:nth-child(odd) td { background: #f2f2f2; }"),
        line=3, indent=14, thead=True),
    "css_garuda_land": _css("Garuda", page="A4 landscape", margin="12mm", size="14px/1.3", padding="3px 6px",
        table="6px", thead=True),
    "css_rule_under": _css("Umpush", page="B5", margin="14mm 12mm", size="12.5px/1.4", padding="5px 4px",
        border="none; border-bottom: 0.6px solid #888", table="6px"),
    "css_small": _css("Waree", page="A4 landscape", margin="8mm", size="9px/1.3", padding="2px 3px",
        border="0.5px solid #000", table="4px", line=1, paragraph=1, indent=10),
    "css_narrow": _css("Umpush", page="A5", margin="10mm 8mm", size="11px/1.3", padding="2px 3px",
        border="0.7px solid #444", table="6px", indent=10),
    "css_whole_rows": _css("Norasi", page="B5", margin="12mm", size="12px/1.35", padding="4px 5px",
        border="none; border-bottom: 0.8px solid #999", table="6px", whole_rows=True, thead=True),
    # borderless web tables as browsers print them: <th> headers (centred, bold), header text centred
    # by CSS, cells centred vertically, other fonts, papers, paddings and line heights
    "css_th_waree": _css("Waree", page="A4", margin="12mm 10mm", size="13px/1.35", padding="4px 6px", th=True,
        thead=True),
    "css_th_mid_loma": _css("Loma", page="A4 landscape", margin="10mm 14mm", size="14px/1.4", padding="5px 7px",
        valign="middle", table="10px", line=3, indent=14, th=True),
    "css_center_head_norasi": _css("Norasi", page="letter", margin="14mm 12mm", size="13.5px/1.3", padding="4px 6px",
        valign="middle",
        extra=("thead td { text-align: center; font-weight: bold; }",
               "tbody tr:nth-child(even) td { background: #eee; }"),
        thead=True),
    "css_mid_laksaman_b5": _css("Laksaman", page="B5", margin="12mm", size="15px/1.25", padding="6px 5px",
        valign="middle", line=3, indent=14, thead=True),
    "css_th_kinnari_a5": _css("Kinnari", page="A5 landscape", margin="8mm", size="11px/1.2", padding="2px 3px",
        table="6px", line=1, paragraph=1, indent=10, th=True, merge=True),
    "css_th_umpush_legal": _css("Umpush", page="legal", margin="15mm", size="13px/1.6", padding="8px 10px",
        valign="middle", table="10px",
        extra=("tbody tr:nth-child(odd) td { background: #f4f4f4; }",), line=3, paragraph=3, indent=14, th=True,
        thead=True),
    "css_th_garuda_land": _css("Garuda", page="A4 landscape", margin="12mm", size="14px/1.3", padding="3px 6px",
        table="6px", th=True, thead=True),
    # (made after the reader of centred headers, not used to tune it) no row spacing to tell rows by:
    # the first column, narrow on a landscape page, is each row's longest cell
    "css_th_kinnari_land": _css("Kinnari", page="A4 landscape", margin="13mm", size="15px/1.3", padding="4px 6px",
        th=True),
    "css_th_loma_letter": _css("Loma", page="letter", margin="13mm", size="13px/1.45", padding="5px 8px", th=True,
        thead=True),
    "css_center_waree_b5": _css("Waree", page="B5", margin="13mm", size="12px/1.35", padding="3px 5px",
        extra=("thead td { text-align: center; font-weight: bold; }",), thead=True),
    "css_th_mid_norasi": _css("Norasi", page="A4", margin="13mm", size="14px/1.3", padding="6px", valign="middle",
        th=True, thead=True),
    "css_th_umpush_tight": _css("Umpush", page="A4", margin="13mm", size="13.5px/1.25", padding="2px 4px", th=True,
        thead=True),
    # (session 25, made to check the readers of centred rows and repeated headers, not used to tune
    # them) cells centred vertically on other fonts and papers, and lists with the browser's margins
    "css_mid_garuda_letter": _css("Garuda", page="letter", margin="12mm", size="13px/1.35", padding="5px 6px",
        valign="middle", th=True, thead=True),
    "css_mid_waree_land": _css("Waree", page="A4 landscape", margin="12mm", size="13px/1.3", padding="4px 6px",
        valign="middle",
        extra=("thead td { text-align: center; font-weight: bold; }",), thead=True),
    "css_mid_umpush_b5_zebra": _css("Umpush", page="B5", margin="12mm", size="12.5px/1.4", padding="5px 5px",
        valign="middle",
        extra=("tbody tr:nth-child(even) td { background: #eee; }",), th=True, thead=True),
    "css_th_loma_lists": _css("Loma", page="A4", margin="12mm", size="13px/1.35", padding="4px 6px", indent=None,
        th=True, thead=True),
}
SARA_AM = _css("Laksaman", page="A4", margin="14mm 12mm", size="15px/1.3", padding="3px 4px", border="1px solid #000",
               table="6px", paragraph=3, indent=16)
# Writer: (font, page (w, h) in mm, table grid)
WRITER = {
    "lo_norasi": ("Norasi", (210, 297), True),
    "lo_garuda_land": ("Garuda", (297, 210), True),
    "lo_kinnari_nogrid": ("Kinnari", (215.9, 279.4), False),
    "lo_loma_a5": ("Loma", (148, 210), True),
}
KINDS = (*CSS, "sara_am", *WRITER, "word", "resave_docx", "via_odt")


def _font(name: str) -> Path:
    return TLWG / f"{name}.ttf"


class Printer:
    """One Chromium for every print."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self._p = sync_playwright().start()
        self._browser = self._p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        return self

    def __exit__(self, *exc):
        self._browser.close()
        self._p.stop()

    @property
    def browser(self):
        return self._browser

    def pdf(self, page_html: str) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "doc.html"
            source.write_text(page_html, encoding="utf-8")
            page = self._browser.new_page()
            page.goto(source.as_uri())
            page.wait_for_load_state("networkidle")
            data = page.pdf(prefer_css_page_size=True, print_background=True)
            page.close()
        return data


class _Paragraphs(HTMLParser):
    """A cell's markup as Word holds it: paragraphs (<p>, list items, line breaks) of runs, each run
    (text, the address of the link it is in or None)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[tuple[str, str | None]]] = [[]]
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "br", "ul", "ol", "div") and self.paragraphs[-1]:
            self.paragraphs.append([])
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if data.strip() or self.paragraphs[-1]:
            self.paragraphs[-1].append((data, self._href))


def _write_cell(cell, raw: str) -> None:
    """The cell's paragraphs as Word paragraphs, its links as Word hyperlinks."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    parser = _Paragraphs()
    parser.feed(raw.strip() if "<" in raw else html.escape(raw.strip()))
    paragraphs = [[(t, h) for t, h in runs] for runs in parser.paragraphs if "".join(t for t, _ in runs).strip()]
    for k, runs in enumerate(paragraphs or [[("", None)]]):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        for n, (text, href) in enumerate(runs):
            text = re.sub(r"\s+", " ", text)  # a space between runs ("พ.ศ. ๒๕๖๕ " + a link) is the text's
            if n == 0:
                text = text.lstrip()
            if href is None:
                paragraph.add_run(text)
                continue
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = text
            t.set(qn("xml:space"), "preserve")
            run.append(t)
            link.append(run)
            paragraph._p.append(link)


def word_document(text: str, write_cell):
    """A Word document of the tab text: its lines as paragraphs (the line after its last line break
    too, empty), each table (`blocks`) as one Word table whose cells `write_cell(cell, raw)` fills, blank
    lines after a table left out (the table's own spacing stands for them); the document and its tables."""
    from docx import Document

    document, tables = Document(), []
    after_table = False
    for block in blocks(text + "\n"):
        if isinstance(block, str):
            if block.strip() or not after_table:
                document.add_paragraph(block)
                after_table = False
            continue
        rows = [row for row in block if row is not None]
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for r, cells in enumerate(rows):
            for c, raw in enumerate(cells):
                write_cell(table.cell(r, c), raw)
        tables.append(table)
        after_table = True
    return document, tables


def word_file(text: str, font: str, size_mm: tuple[float, float], grid: bool) -> bytes:
    """The seed as a Word file (`word_document`) whose cells hold real paragraphs and hyperlinks
    (no markup), in `font` on a page of `size_mm`, its tables with or without a grid."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document, tables = word_document(text, _write_cell)
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(14 if size_mm[0] > 150 else 11)
    fonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    size = normal.element.rPr.find(qn("w:sz"))
    cs = size.makeelement(qn("w:szCs"), {qn("w:val"): size.get(qn("w:val"))})
    size.addnext(cs)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(size_mm[0]), Mm(size_mm[1])
    section.orientation = WD_ORIENT.LANDSCAPE if size_mm[0] > size_mm[1] else WD_ORIENT.PORTRAIT
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    if grid:
        for table in tables:
            table.style = document.styles["Table Grid"]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice(data: bytes, suffix: str, to: str) -> bytes:
    """`data` (a file ending in `suffix`) converted by LibreOffice Writer `--convert-to to`."""
    exe = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in" / f"doc{suffix}"
        source.parent.mkdir()
        source.write_bytes(data)
        subprocess.run([exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=600)
        return (Path(tmp) / f"doc.{to.split(':')[0]}").read_bytes()


def make(kind: str, text: str, printer: Printer | None) -> tuple[str, bytes]:
    """(file suffix, bytes) of one rendering."""
    if kind in CSS:
        font, css, options = CSS[kind]
        return ".pdf", printer.pdf(seed_html(text, css, _font(font), **options))
    if kind == "sara_am":
        font, css, options = SARA_AM
        return ".pdf", printer.pdf(seed_html(text.replace("\u0e33", "\u0e4d\u0e32"), css, _font(font), **options))
    if kind in WRITER:
        return ".pdf", soffice(word_file(text, *WRITER[kind]), ".docx", "pdf:writer_pdf_Export")
    plain = word_file(text, "Norasi", (210, 297), True)
    if kind == "word":
        return ".docx", plain
    if kind == "resave_docx":
        return ".docx", soffice(plain, ".docx", "docx:MS Word 2007 XML")
    if kind == "via_odt":
        return ".docx", soffice(soffice(plain, ".docx", "odt"), ".odt", "docx:MS Word 2007 XML")
    raise ValueError(kind)


def main(argv: list[str] | None = None) -> None:
    args = generator_args(__doc__, KINDS, argv)
    browser = any(k in CSS or k == "sara_am" for k in args.kinds)
    with (Printer() if browser else _Nothing()) as printer:
        for prefix in args.seeds:
            text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
            for kind in args.kinds:
                suffix, data = make(kind, text, printer)
                (args.out / f"{prefix}_{kind}{suffix}").write_bytes(data)
                print(prefix, kind, len(data), flush=True)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return None


if __name__ == "__main__":
    main()
