"""PDF files as the text shape the layout readers know, page by page (pypdfium2).

A page with a text layer gives its characters with their boxes; a page that is only an image
(a scan) is read by OCR (lib/ingest/ocr.py). Either way the words and the ruling lines go
through lib/ingest/pdf_layout.py, and the Thai is repaired once by lib.thai.repair_pdf_text.
Each output line remembers its page, so a record's source passage can name it.
"""
from __future__ import annotations

import ctypes
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from lib.ingest.pdf_layout import OutLine, Page, Piece, continues_row, glued_cells, merge_rows, page_lines, unsure_cells
from lib.thai import repair_pdf_text

MAX_PAGES = 300
# a page whose text layer has fewer letters than this, and that an image covers, is read by OCR
MIN_TEXT_CHARS = 20

Progress = Callable[[int, int, str], None]  # (page done, pages, what is happening)
# a text layer whose letters are this share or more neither Thai nor ASCII cannot be read as text
FOREIGN_SHARE = 0.1
# Thai fonts from before Unicode put Thai at the bytes Windows-874 gives it, and a PDF made with them
# says those bytes are Latin-1 letters ("¡Òû¯ÔºÑµÔ" for การปฏิบัติ)
_LEGACY_THAI = {b: bytes([b]).decode("cp874") for b in range(0xA1, 0xFC) if b not in (0xDB, 0xDC, 0xDD, 0xDE)}


class PdfError(Exception):
    """The bytes are not a PDF the importer can read; the message is Thai."""


@dataclass
class PdfText:
    lines: list[str]
    pages: list[int]  # page number of each line
    pieces: list[list[Piece]]  # the words each line was made from
    page_count: int
    ocr_pages: list[int] = field(default_factory=list)
    # pages whose text layer could not be read as text (fonts without a map to letters), read by OCR
    unreadable_pages: list[int] = field(default_factory=list)
    # scanned pages with another program's OCR hidden under the picture: read by our OCR instead
    hidden_text_pages: list[int] = field(default_factory=list)
    # scanned pages fed sideways or upside down: page -> the degrees OCR turned them clockwise
    turned_pages: dict[int, int] = field(default_factory=dict)
    # rows a page break cut that were joined on the evidence of one cell: (page, the text joined)
    joined_unsure: list[tuple[int, str]] = field(default_factory=list)
    # glyph advances by character, a sample: the widths of text laid out without rules (pdf_spaced)
    advances: dict[str, list[float]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    origin: float
    size: float
    lx0: float = 0.0  # the loose box (the glyph's advance): gaps between words are measured on it
    lx1: float = 0.0


def _actual_text_span(obj, spans: dict) -> int | None:
    """The marked-content span (`/Span <</ActualText ..>> BDC`) a text object is drawn in, by the
    identity of its mark, or None. Cached per object."""
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in spans:
        spans[key] = None
        name = (ctypes.c_ushort * 32)()  # UTF-16LE
        length = ctypes.c_ulong()
        for m in range(pdfium_c.FPDFPageObj_CountMarks(obj)):
            mark = pdfium_c.FPDFPageObj_GetMark(obj, m)
            for k in range(pdfium_c.FPDFPageObjMark_CountParams(mark)):
                pdfium_c.FPDFPageObjMark_GetParamKey(mark, k, name, ctypes.sizeof(name), ctypes.byref(length))
                if bytes(name)[:max(length.value - 2, 0)].decode("utf-16-le", "replace") == "ActualText":
                    spans[key] = ctypes.cast(mark, ctypes.c_void_p).value
    return spans[key]


def _clipped(obj, x: float, y: float, clips: dict) -> bool:
    """The point (a character's origin, PDF coordinates) lies outside the object's clip path's box."""
    key = ctypes.cast(obj, ctypes.c_void_p).value
    if key not in clips:
        clips[key] = None
        clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
        if clip:
            px, py = ctypes.c_float(), ctypes.c_float()
            xs, ys = [], []
            for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
                for k in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
                    seg = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, k)
                    pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py))
                    xs.append(px.value)
                    ys.append(py.value)
            clips[key] = (min(xs), min(ys), max(xs), max(ys)) if xs else None
    box = clips[key]
    return box is not None and not (box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1)


Turn = Callable[[float, float], tuple[float, float]]


def _turn(page) -> Turn:
    """A point of the page as stored to the page as shown: a page's /Rotate entry turns it clockwise
    when shown (a viewer's "rotate and save", a landscape table on a portrait page), and its text,
    rules and links are stored the other way round."""
    rotation = page.get_rotation()
    width, height = page.get_size()  # as shown
    stored_width, stored_height = (height, width) if rotation in (90, 270) else (width, height)
    return {90: lambda x, y: (y, stored_width - x),
            180: lambda x, y: (stored_width - x, stored_height - y),
            270: lambda x, y: (stored_height - y, x)}.get(rotation, lambda x, y: (x, y))


def _turned_box(turn: Turn, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a box as shown."""
    xs, ys = zip(turn(left, bottom), turn(right, top), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _glyphs(textpage, height: float, turn: Turn) -> list[_Glyph]:
    """Characters grouped by the glyph that drew them (same origin, or one ActualText span).

    A cluster of several glyphs (a consonant with its marks, sara am as nikhahit + sara aa) is
    written by Chromium/Skia, LibreOffice and others as one `/ActualText` span; pdfium gives the
    span's text again for every text object inside it ("กำกำหนด", "ผู้ผู้"). Only the first object's
    characters are kept, with the box of the whole span.
    """
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose = pdfium_c.FS_RECTF()
    out: list[_Glyph] = []
    spans: dict = {}
    clips: dict = {}
    span_first: dict[int, tuple[int, _Glyph]] = {}  # span -> (its first text object, its glyph)
    for i in range(n):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue  # spaces and line breaks pdfium guessed; gaps are measured below instead
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0x0D, 0x0A, 0xFFFE, 0xFEFF):
            continue
        pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(loose))
        x0, y0, x1, y1 = _turned_box(turn, left.value, bottom.value, right.value, top.value)
        loose_x0, _, loose_x1, _ = _turned_box(turn, loose.left, loose.bottom, loose.right, loose.top)
        box = (x0, x1, height - y1, height - y0, loose_x0, loose_x1)
        origin_x, origin_y = turn(ox.value, oy.value)
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        if obj and _clipped(obj, ox.value, oy.value, clips):
            continue  # drawn outside its clip: the top of a line the page cut, shown again on the next page
        span = _actual_text_span(obj, spans) if obj else None
        # pdfium marks a hyphen that ends a line with U+0002
        ch = "-" if code == 0x02 else chr(code) if code < 0x110000 else ""
        if span is not None and span in span_first:
            obj_id, g = span_first[span]
            if obj_id == ctypes.cast(obj, ctypes.c_void_p).value:
                g.text += ch  # the span's text, read once
            _extend(g, box)  # else the span's text again, from another of its glyphs
            continue
        g = out[-1] if out else None
        # a mark drawn at the origin of the glyph before, or over it, belongs to it (LibreOffice gives
        # a mark the origin of the next letter: sorted by origin, "ขั้น" would read "ขนั้")
        if g and _is_mark(ch) and abs(g.base - (height - origin_y)) < 0.2 * g.size \
                and (abs(g.origin - origin_x) < 0.01 or g.x0 - 0.1 * g.size <= (box[0] + box[1]) / 2 <= g.x1 + 0.1 * g.size):
            g.text += ch
            _extend(g, box)
            continue
        out.append(_Glyph(ch, *box[:4], height - origin_y, origin_x, pdfium_c.FPDFText_GetFontSize(raw, i) or 10.0,
                          *box[4:]))
        if span is not None:
            span_first[span] = (ctypes.cast(obj, ctypes.c_void_p).value, out[-1])
    return _place_stray_marks(out)


def _place_stray_marks(glyphs: list[_Glyph]) -> list[_Glyph]:
    """A mark drawn apart from its letter (Writer draws some after the rest of the line, with the
    next letter's origin: sorted by origin, "ผลสัมฤทธิ์ต่อ" would read "ผลสัมฤทธิต่์อ") goes on the
    letter it is drawn over."""
    out = []
    for g in glyphs:
        if g.text and all(_is_mark(ch) for ch in g.text):
            centre = (g.x0 + g.x1) / 2
            under = [b for b in out[-300:] if not all(_is_mark(ch) for ch in b.text) and abs(b.base - g.base) < 0.2 * g.size
                     and b.x0 - 0.1 * g.size <= centre <= b.x1 + 0.1 * g.size]
            if under:
                letter = min(under, key=lambda b: abs((b.x0 + b.x1) / 2 - centre))
                letter.text += g.text
                _extend(letter, (g.x0, g.x1, g.top, g.bottom, g.lx0, g.lx1))
                continue
        out.append(g)
    return out


def _sample_advances(glyphs: list[_Glyph], samples: dict[str, list[float]], per_char: int = 40) -> None:
    """Each character drawn as a glyph of its own, its advance (a few dozen of each is enough)."""
    for g in glyphs:
        if len(g.text) == 1 and len(samples.setdefault(g.text, [])) < per_char:
            samples[g.text].append(g.lx1 - g.lx0)


def _is_mark(ch: str) -> bool:
    """A Thai vowel or tone mark drawn over or under a letter (or TH Sarabun's private-use form of one)."""
    return bool(ch.strip()) and (unicodedata.category(ch) == "Mn" or "\uf700" <= ch <= "\uf71f")


def _extend(g: _Glyph, box: tuple[float, ...]) -> None:
    g.x0, g.x1 = min(g.x0, box[0]), max(g.x1, box[1])
    g.top, g.bottom = min(g.top, box[2]), max(g.bottom, box[3])
    g.lx0, g.lx1 = min(g.lx0, box[4]), max(g.lx1, box[5])


def _is_body(g: _Glyph) -> bool:
    """The glyph covers the body of the line (a letter), not only the zone of marks above or below."""
    return g.top < g.base - 0.3 * g.size and g.bottom > g.base - 0.1 * g.size or not g.text.strip()


def _line_end_spaces(glyphs: list[_Glyph]) -> bool:
    """The text layer keeps the space each wrapped line was broken at (LibreOffice does, Chromium
    does not): some space is drawn with no letter after it on its line, or only one over an em away
    (the next cell)."""
    lines: dict[float, list[_Glyph]] = {}
    for g in glyphs:
        lines.setdefault(round(g.base), []).append(g)
    for line in lines.values():
        line.sort(key=lambda g: g.origin)
        for g, after in zip(line, line[1:] + [None], strict=True):
            if not g.text.strip() and (after is None or after.x0 - g.x1 > g.size):
                return True
    return False


_THAI_CHAR = re.compile("[\u0e00-\u0e7f]")


def _script_change(before: _Glyph, after: _Glyph) -> bool:
    """Thai next to a Latin letter or digit ("๒๕๖๕" "https", "e/๑" "FAIp")."""
    a, b = before.text[-1], after.text[0]
    return (_THAI_CHAR.match(a) is not None) != (_THAI_CHAR.match(b) is not None) \
        and all(_THAI_CHAR.match(c) or c.isascii() and c.isalnum() for c in (a, b))


def _words(glyphs: list[_Glyph], spaces: bool = False) -> list[Piece]:
    """Glyphs into words: a space character or a gap wider than a fifth of the type size splits.
    `spaces`: the writer draws every space as a character (LibreOffice), and puts a gap of about a
    fifth of the type size where Thai meets a Latin letter or digit: such a gap is no space."""
    lines: dict[float, list[_Glyph]] = {}
    for g in glyphs:
        key = next((b for b in lines if abs(b - g.base) <= 0.2 * g.size), g.base)
        lines.setdefault(key, []).append(g)
    pieces: list[Piece] = []
    for line in lines.values():
        if not any(_is_body(g) for g in line) and [g.text for g in line] != ["-"] \
                and not all(set(g.text) <= set("”’\")] ") for g in line):
            # marks alone: a line cut by the page edge, drawn again on the page before (a list's dash
            # alone on its line is kept: lib.ingest.pdf_spaced puts it before its item; so is a closing
            # quote that wrapped onto a line of its own)
            continue
        line.sort(key=lambda g: g.origin)
        word: list[_Glyph] = []
        right = loose = None
        for g in line:
            if not g.text.strip():
                if word:
                    pieces.append(_piece(word))
                    pieces[-1].space_after = True
                word, right = [], None
                continue
            # a sara am's box can stop at its nikhahit: the sara aa drawn after it is not in the box
            slack = 0.65 if word and word[-1].text.endswith("\u0e33") else 0.2
            # a gap in the ink that the glyphs' advances close is inside a word (a narrow "1" has
            # wide margins: "1 0" for "10")
            script = spaces and _script_change(word[-1], g) and g.lx0 - loose <= 0.25 * g.size if word else False
            if word and right is not None and g.x0 - right > slack * g.size and g.lx0 - loose > 0.1 * g.size \
                    and not script:
                pieces.append(_piece(word))
                word = []
            word.append(g)
            right = g.x1 if right is None else max(right, g.x1)
            loose = g.lx1 if len(word) == 1 else max(loose, g.lx1)
        if word:
            pieces.append(_piece(word))
    return pieces


def _piece(glyphs: list[_Glyph]) -> Piece:
    # baseline as the bottom: lines group on it, and marks below the line do not move it
    base = median(g.base for g in glyphs)
    return Piece("".join(g.text for g in glyphs), min(g.x0 for g in glyphs), max(g.x1 for g in glyphs),
                 min(g.top for g in glyphs), base)


# a PDF writer percent-encodes the non-ASCII letters of an address; shown as typed, as a browser does
_NON_ASCII_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def _unescape(m: re.Match) -> str:
    try:
        return bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return m.group(0)


def _links(pdf, page, height: float, turn: Turn) -> list[tuple[float, float, float, float, str]]:
    """Web links drawn on the page (link annotations with a URI): (x0, top, x1, bottom, uri)."""
    out = []
    pos, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
    rect = pdfium_c.FS_RECTF()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, None, 0)
        buf = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(pdf.raw, action, buf, size)
        uri = _NON_ASCII_ESCAPES.sub(_unescape, buf.value.decode("utf-8", "replace").strip())
        if uri and pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            left, bottom, right, top = _turned_box(turn, rect.left, rect.bottom, rect.right, rect.top)
            out.append((left, height - top, right, height - bottom, uri))
    return out


def _link_pieces(pieces: list[Piece], links) -> None:
    for p in pieces:
        p.link = next((uri for x0, top, x1, bottom, uri in links
                       if x0 <= p.cx <= x1 and top <= p.cy <= bottom), None)


def _rules(page, height: float, turn: Turn) -> tuple[list, list]:
    """Thin filled or stroked paths: the ruling lines of tables."""
    hrules, vrules = [], []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4):
        left, bottom, right, top = _turned_box(turn, *obj.get_bounds())
        w, h = right - left, top - bottom
        if h <= 2.5 and w > 4 * max(h, 0.5):
            hrules.append((height - (top + bottom) / 2, left, right))
        elif w <= 2.5 and h > 4 * max(w, 0.5):
            vrules.append(((left + right) / 2, height - top, height - bottom))
    return hrules, vrules


def _beyond_the_page(glyphs: list[_Glyph], width: float, height: float) -> bool:
    """Letters drawn past the page's edge: a table wider than the page (LibreOffice and Word let it
    run off the paper), whose cut-off text no reader can get back."""
    return any(g.text.strip() and (g.x1 > width + 1 or g.x0 < -1 or g.bottom > height + 1 or g.top < -1)
               for g in glyphs)


def _is_image_page(page, width: float, height: float) -> bool:
    """An image covers most of the page (a scan); a page with little text and no such image (the
    last lines of a document, a blank page) is read as text."""
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= 0.3 * width * height:
            return True
    return False


def _text_layer(glyphs: list[_Glyph]) -> str:
    """"text" when the letters are Thai or ASCII; "legacy" when the rest are Latin-1 letters standing
    for Thai (`_LEGACY_THAI`); "unreadable" when they are something else: a font without its map to
    letters gives the glyphs' own numbers (pdfium: 'ǘǨǗƶǨǎ' for มาตรการ), which only OCR can read."""
    letters = [c for g in glyphs for c in g.text if c.isalpha() or unicodedata.category(c) == "Mn"]
    foreign = [c for c in letters if not (c.isascii() or "\u0e00" <= c <= "\u0e7f" or "\uf700" <= c <= "\uf71f")]
    if len(foreign) < FOREIGN_SHARE * len(letters) or len(letters) < MIN_TEXT_CHARS:
        return "text"
    legacy = sum(ord(c) in _LEGACY_THAI for c in foreign)
    return "legacy" if legacy >= 0.9 * len(foreign) else "unreadable"


def _hidden_text(textpage) -> bool:
    """The page's text is all drawn invisible (render mode 3): a scanner's or another program's OCR
    laid under the picture ("searchable PDF"). Its Thai is that OCR's, and Tesseract's Thai model
    writes ๒๕๒๕ for ๒๕๖๘: never taken as text; the picture is read again (lib/ingest/ocr.py).
    Told from the text objects of up to 50 of the page's characters, not by walking every object
    (a ruled page's thousands of rules)."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    objects = [pdfium_c.FPDFText_GetTextObject(raw, i) for i in range(0, count, max(1, count // 50))]
    modes = {pdfium_c.FPDFTextObj_GetTextRenderMode(obj) for obj in objects if obj}
    return modes == {pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE}


def _from_legacy_thai(glyphs: list[_Glyph]) -> None:
    for g in glyphs:
        g.text = g.text.translate(_LEGACY_THAI)


def open_pdf(data: bytes):
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise PdfError("ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ กรุณาเปิดด้วยรหัสผ่านแล้วบันทึกเป็น PDF ที่ไม่มีรหัสผ่าน "
                           "แล้วนำเข้าใหม่") from None
        raise PdfError("เปิดไฟล์ PDF ไม่ได้ (ไฟล์อาจเสียหายหรือไม่ใช่ PDF)") from None
    if len(pdf) == 0:
        raise PdfError("ไฟล์ PDF นี้ไม่มีหน้าใดเลย")
    if len(pdf) > MAX_PAGES:
        raise PdfError(f"ไฟล์ PDF มี {len(pdf)} หน้า เกิน {MAX_PAGES} หน้าที่ระบบรับได้ กรุณาแยกไฟล์")
    return pdf


def pdf_to_text(data: bytes, progress: Progress | None = None, ocr: bool = True) -> PdfText:
    """`ocr=False` leaves scanned pages out (a note line in their place): for showing a stored PDF."""
    pdf = open_pdf(data)
    result = PdfText([], [], [], len(pdf))
    last: OutLine | None = None
    spaces = False  # the writer keeps line-end spaces (told by the pages read so far)
    try:
        for index in range(len(pdf)):
            number = index + 1
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise PdfError(f"หน้า {number}: เปิดหน้านี้ไม่ได้ (ไฟล์ PDF อาจเสียหาย) กรุณาเปิดไฟล์ด้วยโปรแกรมอ่าน PDF "
                               "แล้วพิมพ์หรือบันทึกเป็น PDF ใหม่ แล้วนำเข้าใหม่") from None
            width, height = page.get_size()
            textpage = page.get_textpage()
            turn = _turn(page)
            glyphs = _glyphs(textpage, height, turn)
            layer = "hidden" if _hidden_text(textpage) and _is_image_page(page, width, height) else _text_layer(glyphs)
            if layer == "legacy":
                _from_legacy_thai(glyphs)
            if layer == "unreadable":
                result.unreadable_pages.append(number)
            if layer == "hidden":
                result.hidden_text_pages.append(number)
            if layer in ("text", "legacy") and (sum(1 for g in glyphs if g.text.strip()) >= MIN_TEXT_CHARS
                                          or not _is_image_page(page, width, height)):
                if ocr and _beyond_the_page(glyphs, width, height):
                    raise PdfError(f"หน้า {number}: มีข้อความเลยขอบกระดาษ (ตารางหรือข้อความกว้างหรือยาวเกินหน้า "
                                   "ตัวอักษรที่เลยขอบถูกตัดหายไปจากหน้าที่พิมพ์) ระบบจึงไม่นำเข้าเพื่อไม่ให้ข้อมูลขาดหาย "
                                   "กรุณาปรับตารางให้พอดีหน้ากระดาษแล้วบันทึกเป็น PDF ใหม่ หรือส่งไฟล์ Word (.docx) ต้นฉบับ")
                hrules, vrules = _rules(page, height, turn)
                spaces = spaces or _line_end_spaces(glyphs)
                pieces = _words(glyphs, spaces)
                _sample_advances(glyphs, result.advances)
                _link_pieces(pieces, _links(pdf, page, height, turn))
                layout = Page(number, width, height, pieces, hrules, vrules, spaces)
                if progress:
                    progress(index, len(pdf), f"อ่านข้อความหน้า {number}/{len(pdf)}")
            elif not ocr:
                what = "ข้อความในหน้านี้อ่านไม่ได้" if layer == "unreadable" else "เป็นภาพสแกน"
                layout = Page(number, width, height, [Piece(f"(หน้า {number} {what} ดูได้จากไฟล์ต้นฉบับ)",
                                                            0, width, 0, 10)])
            else:
                from lib.ingest.ocr import OcrError, ocr_page

                if progress:
                    what = "อ่านภาพของหน้า" if layer == "unreadable" else "อ่านภาพสแกน"
                    progress(index, len(pdf), f"{what}ด้วย OCR หน้า {number}/{len(pdf)}")
                try:
                    layout = ocr_page(page, number)
                except OcrError as e:
                    raise PdfError(f"หน้า {number} เป็นภาพสแกน: {e}") from None
                result.ocr_pages.append(number)
                if layout.turned:
                    result.turned_pages[number] = layout.turned
            lines = page_lines(layout)
            _add(result, lines, number, last, spaces)
            last = lines[-1] if lines else None
    finally:
        pdf.close()
    if progress:
        progress(result.page_count, result.page_count, "อ่านครบทุกหน้า")
    return result


def _add(result: PdfText, lines: list[OutLine], number: int, last: OutLine | None, spaces: bool) -> None:
    """`last`: the last line of the page before, to find a table row the page break cut; `spaces`:
    the text layer keeps the spaces lines were broken at."""
    for i, line in enumerate(lines):
        text = repair_pdf_text(line.text)
        cut = continues_row(last, line) if i == 0 and last is not None and not line.continues else None
        if (line.continues or cut) and result.lines and "\t" in result.lines[-1]:
            merged = merge_rows(result.lines[-1], text, cut, glued_cells(last, spaces) if last else None)
            if merged is not None:
                result.lines[-1] = merged
                result.pieces[-1] = result.pieces[-1] + line.pieces
                if cut and (sum(cut) == 1 or unsure_cells(last, line, cut)):
                    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(text))).strip()
                    result.joined_unsure.append((number, shown[:50]))
                continue
        result.lines.append(text)
        result.pages.append(number)
        result.pieces.append(line.pieces)


def page_of_excerpt(excerpt: str, text: PdfText, start: int = 0) -> tuple[int | None, int]:
    """The page a record's source passage starts on, and where to look for the next one."""
    first = excerpt.split("\n", 1)[0]
    number, sep, rest = first.partition(": ")
    if sep and number.isdigit() and 0 < int(number) <= len(text.lines) and text.lines[int(number) - 1] == rest:
        return text.pages[int(number) - 1], int(number)
    for i in range(start, len(text.lines)):
        if text.lines[i] == first:
            return text.pages[i], i + 1
    return None, start


def record_lines(records, text: PdfText) -> list[list[int]]:
    """For each record, the indexes of the rebuilt lines its source passage was read from."""
    cursor, out = 0, []
    for record in records:
        page, end = page_of_excerpt(record.source_excerpt, text, cursor)
        if page is None:
            out.append([])
            continue
        cursor = end
        first = record.source_excerpt.split("\n", 1)[0]
        number, sep, _ = first.partition(": ")
        # a plan row cites one line; a measure row is the run of lines it quotes
        count = 1 if sep and number.isdigit() else record.source_excerpt.count("\n") + 1
        out.append(list(range(end - 1, min(end - 1 + count, len(text.lines)))))
    return out
