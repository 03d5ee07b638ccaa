"""Word (.docx) files as the text shape the layout readers know.

The five source layouts reach us as text where each table row is one tab-separated line and
a cell holding several paragraphs is written as `<p>..</p><p>..</p>`. A Word file is turned
into the same shape: body paragraphs and tables in document order; a table row becomes one
line; a cell with several paragraphs (or line breaks) becomes `<p>` blocks; a horizontally
merged cell gives its text to its first grid column and empty cells to the others; a cell
continuing a vertical merge is empty (its text belongs to the row where the merge starts).
"""
from __future__ import annotations

import html
import io

from docx import Document
from docx.oxml.ns import qn

from lib.errors import log_unexpected
from lib.ingest.archive import check_xml_parts, check_zip

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_HYPERLINK = qn("w:hyperlink")


class DocxError(Exception):
    """The bytes are not a readable Word file; the message is Thai."""


def _paragraph_text(p, links: dict[str, str] | None = None) -> str:
    """Text of a <w:p>: runs, tabs as spaces, line breaks as newlines. With `links` (relationship
    id -> web address), a hyperlink's text is written `<a href>` as the seeds write a cell's links,
    and the rest escaped (unless it holds markup of its own, pasted from the web)."""
    parts: list[tuple[str, str | None]] = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            run = node.getparent()
            holder = run.getparent() if run is not None else None
            href = None
            if links and holder is not None and holder.tag == _W_HYPERLINK:
                href = links.get(holder.get(qn("r:id")))
            parts.append((node.text or "", href))
        elif node.tag == qn("w:tab"):
            parts.append((" ", None))
        else:
            parts.append(("\n", None))
    if not any(href for _, href in parts):
        return "".join(text for text, _ in parts)
    out: list[str] = []
    for k, (text, href) in enumerate(parts):
        text = text if "<" in text else html.escape(text, quote=False)
        if href and (k == 0 or parts[k - 1][1] != href):
            text = f'<a href="{html.escape(href)}">{text}'
        if href and (k + 1 == len(parts) or parts[k + 1][1] != href):
            text += "</a>"
        out.append(text)
    return "".join(out)


def _cell_text(tc, links: dict[str, str] | None = None) -> str:
    """One line for a table cell; nested tables are read as further paragraphs of the cell."""
    paragraphs: list[str] = []
    for p in tc.iter(_W_P):
        for line in _paragraph_text(p, links).split("\n"):
            if line.strip():
                paragraphs.append(line.replace("\t", " ").strip())
    if not paragraphs:
        return ""
    if len(paragraphs) == 1:
        return paragraphs[0]
    # Markup already in the text (documents pasted from the web) stays as it is; plain
    # paragraphs are escaped so parse_cell reads them back exactly.
    return "".join(f"<p>{p if '<' in p else html.escape(p, quote=False)}</p>" for p in paragraphs)


def _row_cells(tr, links: dict[str, str] | None = None) -> list[str]:
    cells: list[str] = []
    for tc in tr.iterchildren(_W_TC):
        tc_pr = tc.find(qn("w:tcPr"))
        span = 1
        continues = False
        if tc_pr is not None:
            grid_span = tc_pr.find(qn("w:gridSpan"))
            if grid_span is not None:
                span = int(grid_span.get(qn("w:val"), "1"))
            v_merge = tc_pr.find(qn("w:vMerge"))
            # <w:vMerge/> without a value (or val="continue") continues the cell above
            continues = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
        cells.append("" if continues else _cell_text(tc, links))
        cells.extend([""] * (span - 1))
    return cells


_REPAIR = "กรุณาเปิดไฟล์ด้วย Word แล้วบันทึกใหม่เป็น .docx (Save As) แล้วนำเข้าอีกครั้ง"


def docx_to_text(data: bytes) -> str:
    try:
        check_zip(data, None, "Word (.docx)")
    except ValueError as e:
        raise DocxError(str(e)) from None
    try:
        check_xml_parts(data, "Word", _REPAIR)
    except ValueError as e:
        raise DocxError(str(e)) from None
    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        # a cell's hyperlinks keep their addresses (a record's links), as in the seeds' text
        links = {rid: rel.target_ref for rid, rel in document.part.rels.items()
                 if rel.is_external and rel.target_ref.lower().startswith(("http://", "https://"))}
        for block in document.element.body.iterchildren():
            if block.tag == _W_P:
                lines.extend(_paragraph_text(block).split("\n"))
            elif block.tag == _W_TBL:
                for tr in block.iterchildren(_W_TR):
                    lines.append("\t".join(_row_cells(tr, links)))
    except DocxError:
        raise
    except Exception:  # a part or relationship python-docx cannot follow, whatever it raises
        log_unexpected("reading a Word file")
        raise DocxError("เปิดไฟล์ Word ไม่ได้: โครงสร้างภายในไฟล์ไม่ถูกต้อง (เช่น ส่วนที่ไฟล์อ้างถึงไม่มีอยู่ "
                        f"หรือความสัมพันธ์ระหว่างส่วนต่าง ๆ เสีย) {_REPAIR}") from None
    return "\n".join(lines) + "\n"
