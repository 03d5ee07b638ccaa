"""Scanned PDF pages read by OCR: Tesseract with its Thai model (Debian tesseract-ocr-tha).

A page is rendered at 300 dpi, straightened (the angle whose rows of ink are sharpest), its
ruling lines found as long runs of ink and painted out (Tesseract reads them as | and [), and
the rest read by `tesseract ... -l tha+eng tsv`. Tesseract gives a box and a confidence per
character or word; they become the pieces lib/ingest/pdf_layout.py rebuilds into rows, with the
rules as the table's grid, in PDF points like a text layer. Ink in a table cell where Tesseract
read nothing is kept as a mark (☑, which the Thai model cannot read) with a low confidence, so
lib/ingest/ocr_checks.py asks the user about it. Thai digits are re-read by lib/ingest/thai_digits.py.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess

import numpy as np
from PIL import Image, ImageFilter

from lib.ingest.pdf_layout import Page, Piece

DPI = 300
SCALE = DPI / 72
LANGS = "tha+eng"
TIMEOUT_S = 120
MARK = "☑"
MARK_CONF = 50.0  # a mark found as ink that is not surely a tick: asked about
MARK_MAX_PX = 90  # 7.5 mm at 300 dpi
A3_LONG_PT = 1191
A4_LONG_PT = 842


class OcrError(Exception):
    """OCR could not run; the message is Thai."""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def _dark(gray: np.ndarray, lenient: bool = False) -> np.ndarray:
    """Ink by Otsu's threshold (scans differ in paper and ink); `lenient` also takes grey halfway
    to white: a thin rule printed at 0.5 pt comes out grey in a scan (only for finding rules,
    which are long straight runs that specks and text never make)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    total = gray.size
    cum = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    w0 = cum / total
    w1 = 1 - w0
    mu0 = mean / np.maximum(cum, 1)
    mu1 = (mean[-1] - mean) / np.maximum(total - cum, 1)
    threshold = int(np.argmax(w0 * w1 * (mu0 - mu1) ** 2))
    if lenient:
        threshold = min(threshold + (255 - threshold) // 2, 230)
    return gray <= threshold


def _skew_angle(dark: np.ndarray) -> float:
    """Degrees to rotate by so text rows and rules run level (-2..2, 0.1 steps)."""
    small = Image.fromarray((dark[::4, ::4] * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for step in range(-20, 21):
        angle = step / 10
        rows = np.asarray(small.rotate(angle, resample=Image.NEAREST, fillcolor=0)).sum(axis=1).astype(float)
        score = float(np.var(np.diff(rows)))
        if score > best_score:
            best, best_score = angle, score
    return best


def _rows_run_across(dark: np.ndarray) -> float:
    """How much more sharply ink changes from pixel row to row than from column to column: above 1
    when text rows run across the page and outweigh its rules (Chromium's ruled scans 1.2-1.6 upright,
    0.6-0.8 sideways); a hint only, Writer's ruled pages are 0.3-0.9 upright."""
    small = dark[::4, ::4].astype(float)
    across, down = np.var(np.diff(small.sum(axis=1))), np.var(np.diff(small.sum(axis=0)))
    return float(across / down) if down else 1.0


def _orientation(image: Image.Image) -> tuple[int, float]:
    """Tesseract's orientation and script detection (--psm 0, at 150 dpi): the degrees to turn the
    page clockwise to read it, and its confidence; (0, 0) when it cannot tell (too little text)."""
    buf = io.BytesIO()
    image.resize((image.width // 2, image.height // 2)).save(buf, "PNG")
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "0", "--dpi", str(DPI // 2)],
                              input=buf.getvalue(), capture_output=True, timeout=TIMEOUT_S, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        return 0, 0.0
    out = done.stdout.decode("utf-8", "replace")
    rotate, confidence = re.search(r"Rotate: (\d+)", out), re.search(r"Orientation confidence: ([\d.]+)", out)
    if done.returncode != 0 or not rotate or not confidence:
        return 0, 0.0
    return int(rotate.group(1)), float(confidence.group(1))


def _upright(image: Image.Image) -> tuple[Image.Image, int]:
    """The page turned the way it reads, and by how many degrees clockwise: a sheet fed sideways or
    upside down. Tesseract's detection (its confidence: 13-25 on upright corpus pages, 3-12 on sideways
    ones, under 2 where it cannot tell) is taken for a quarter turn at 2 or more when the ink does not
    say rows run across the page (a ruled page's columns can outweigh its rows: 0.3-0.9 on upright
    Writer scans), and for a half turn at 5 or more when the ink agrees rows run across."""
    rotate, confidence = _orientation(image)
    across = _rows_run_across(_dark(np.asarray(image)))
    if (rotate in (90, 270) and confidence >= 2 and across < 1.0) or (rotate == 180 and confidence >= 5 and across >= 1.0):
        return image.rotate(-rotate, expand=True, fillcolor=255), rotate
    return image, 0


def _runs(mask: np.ndarray, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of runs of True at least min_len long, row by row."""
    out = []
    padded = np.pad(mask, ((0, 0), (1, 1)))
    diff = np.diff(padded.astype(np.int8), axis=1)
    for r in np.nonzero(mask.sum(axis=1) >= min_len)[0]:
        starts = np.nonzero(diff[r] == 1)[0]
        ends = np.nonzero(diff[r] == -1)[0]
        for a, b in zip(starts, ends, strict=True):
            if b - a >= min_len:
                out.append((int(r), int(a), int(b)))
    return out


def _segments(runs: list[tuple[int, int, int]]) -> list[tuple[float, float, float, int, int]]:
    """Runs on neighbouring rows merged into one rule: (position, start, end, first row, last row)."""
    segs: list[list[float]] = []
    for r, a, b in runs:
        for s in segs:
            if r - s[4] <= 2 and a <= s[2] and b >= s[1]:
                s[1], s[2], s[4] = min(s[1], a), max(s[2], b), r
                break
        else:
            segs.append([r, a, b, r, r])
    return [((s[3] + s[4]) / 2, s[1], s[2], int(s[3]), int(s[4])) for s in segs if s[4] - s[3] <= 12]


def find_rules(dark: np.ndarray, min_len: int = 90):
    """Horizontal and vertical rules of the page: (y, x0, x1) and (x, y0, y1) in pixels."""
    h = _segments(_runs(dark, min_len))
    v = _segments(_runs(dark.T, min_len))
    return h, v


def _erase(dark: np.ndarray, hsegs, vsegs) -> np.ndarray:
    clean = dark.copy()
    for _, a, b, r0, r1 in hsegs:
        clean[max(r0 - 2, 0):r1 + 3, int(a):int(b)] = False
    for _, a, b, c0, c1 in vsegs:
        clean[int(a):int(b), max(c0 - 2, 0):c1 + 3] = False
    return clean


def run_tesseract(image: Image.Image) -> list[dict]:
    if not tesseract_available():
        raise OcrError("เครื่องนี้ไม่มีโปรแกรม OCR (tesseract) จึงอ่านหน้าที่เป็นภาพสแกนไม่ได้ "
                       "ผู้ดูแลระบบติดตั้งได้ด้วย apt-get install tesseract-ocr tesseract-ocr-tha")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    try:
        # one thread: on a small shared machine Tesseract's OpenMP threads spin against each other
        # (a page took 46 s with them and 17 s without, on 2 busy cores)
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", LANGS, "--psm", "6", "--dpi", str(DPI), "tsv"],
                              input=buf.getvalue(), capture_output=True, timeout=TIMEOUT_S, check=False,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR ใช้เวลาเกิน {TIMEOUT_S} วินาทีต่อหน้า ระบบหยุดอ่าน") from None
    if done.returncode != 0:
        raise OcrError("OCR อ่านหน้านี้ไม่สำเร็จ (ตรวจว่าติดตั้ง tesseract-ocr-tha แล้ว): "
                       + done.stderr.decode("utf-8", "replace")[-300:])
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    return [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]


def _split_at_rules(rows: list[dict], vsegs) -> list[dict]:
    """A box Tesseract drew across a column rule ("234" over three quarter columns) is cut there,
    its characters shared out by width."""
    out = []
    for r in rows:
        x0, w = int(r["left"]), int(r["width"])
        y = int(r["top"]) + int(r["height"]) / 2
        cuts = [c for c, a, b, *_ in vsegs if x0 + 4 < c < x0 + w - 4 and a <= y <= b]
        text = r["text"].strip()
        if not cuts or len(text) < 2:
            out.append(r)
            continue
        edges = [x0, *sorted(cuts), x0 + w]
        for a, b in zip(edges, edges[1:], strict=False):
            part = text[round((a - x0) / w * len(text)):round((b - x0) / w * len(text))]
            if part.strip():
                out.append({**r, "left": str(int(a)), "width": str(int(b - a)), "text": part})
    return out


def _words(rows: list[dict], vsegs) -> tuple[list[Piece], dict[int, list[tuple[str, int, int]]]]:
    """Tesseract's Thai model gives a box per character or two; characters of one line closer
    than a space become one word (in Tesseract's order, which keeps marks after their letter),
    never across a column rule. With the words, by id(), Tesseract's boxes inside each."""
    pieces: list[Piece] = []
    parts: dict[int, list[tuple[str, int, int]]] = {}
    last_key = None
    line_height: dict[tuple, int] = {}
    for r in rows:
        key = (r["block_num"], r["par_num"], r["line_num"])
        line_height[key] = max(line_height.get(key, 0), int(r["height"]))
    for r in _split_at_rules(rows, vsegs):
        x0, y0 = int(r["left"]), int(r["top"])
        x1, y1 = x0 + int(r["width"]), y0 + int(r["height"])
        conf = float(r["conf"])
        key = (r["block_num"], r["par_num"], r["line_num"])
        p = pieces[-1] if pieces else None
        ruled = p and any(p.x1 - 2 <= c <= x0 + 2 and a <= (y0 + y1) / 2 <= b for c, a, b, *_ in vsegs)
        if p and key == last_key and not ruled and x0 - p.x1 <= 0.2 * line_height[key]:
            p.text += r["text"].strip()
            p.x1, p.top, p.bottom = max(p.x1, x1), min(p.top, y0), max(p.bottom, y1)
            p.conf = min(p.conf, conf)
        else:
            p = Piece(r["text"].strip(), x0, x1, y0, y1, conf)
            pieces.append(p)
            parts[id(p)] = []
        parts[id(p)].append((r["text"].strip(), x0, x1))
        last_key = key
    return pieces, parts


_SPECK_NUMBER = re.compile(r"^[^\W\d]?([0-9๐-๙][0-9๐-๙,.]*[0-9๐-๙])[^\W\d]?$")


def _is_speck(p: Piece) -> bool:
    """A mark or two of punctuation Tesseract itself doubts: noise of the scan, not text."""
    return len(p.text) <= 2 and (p.conf or 0) < 60 and not re.search(r"[\w\u0e00-\u0e7f]", p.text)


def _strip_speck(p: Piece) -> Piece:
    """A number with one stray letter at an edge ("ว20,000.00": a speck of the erased rule read
    as a letter) is the number, and no longer a sure one: it will be asked about. An angle
    bracket in a word Tesseract doubts is a speck too ("<a", conf 53): left in, the text would
    read as markup and the whole document be refused as possible code."""
    if (p.conf or 0) < 60 and ("<" in p.text or ">" in p.text):
        p.text = p.text.replace("<", "").replace(">", "")
    # read from pixels, an angle bracket is never markup: shown as its look-alike, so OCR's "<i v"
    # cannot make the reader's cell markup look like code (the whole scan was refused for it)
    p.text = p.text.replace("<", "‹").replace(">", "›")
    m = _SPECK_NUMBER.match(p.text)
    if m and m.group(1) != p.text:
        p.text, p.conf = m.group(1), min(p.conf or 100.0, 60.0)
    return p


def tick_confidence(ink: np.ndarray) -> float:
    from lib.ingest.thai_digits import NOT_TICKS, SURE_CONF, TICKS, best_match, sure

    char, score, margin = best_match(ink, TICKS + NOT_TICKS)
    if char in TICKS and sure(score, margin):
        return SURE_CONF
    return SURE_CONF if char == "☑" and _ticked_box(ink, score) else MARK_CONF


# The middle of a box (a quarter of its side in from each edge) is inked 0.21-0.33 by a tick (☑), not
# at all when empty (☐) and 0.43-0.61 when crossed (☒): on 240 synthetic noisy boxes and the ticks of
# the 003 scans. A box's template leads the empty box's by only 0.09-0.1 in some scans (asked).
TICK_INK = (0.12, 0.4)


def _ticked_box(ink: np.ndarray, score: float) -> bool:
    """A glyph surely a box (its best template ☑, every template but the empty boxes 0.1 behind) with
    a tick's ink in its middle: an empty box cannot have it, and a crossed one has more."""
    from lib.ingest.thai_digits import MIN_MARGIN, MIN_SCORE, _scores, templates

    scores = _scores(ink)
    if scores is None or score < MIN_SCORE:
        return False
    rivals = [float(v) for v, label in zip(scores, templates()[1], strict=True) if label not in "☑☐□"]
    if score - max(rivals) < MIN_MARGIN:
        return False
    rows, cols = np.nonzero(ink)
    box = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = box.shape
    middle = box[h // 4:h - h // 4, w // 4:w - w // 4]
    return bool(middle.size) and TICK_INK[0] <= float(middle.mean()) <= TICK_INK[1]


def _cell_marks(clean: np.ndarray, hsegs, vsegs, pieces: list[Piece]) -> list[Piece]:
    """Ink in a ruled cell where no word was read: a check mark the model has no letter for,
    sure when it matches a tick's template (☑ ✓ ✔) clearly better than anything else."""
    ys = sorted({round(s[0]) for s in hsegs})
    xs = sorted({round(s[0]) for s in vsegs})
    marks = []
    for ya, yb in zip(ys, ys[1:], strict=False):
        if yb - ya < 25:
            continue
        for xa, xb in zip(xs, xs[1:], strict=False):
            if xb - xa < 25:
                continue
            if any(xa <= p.cx <= xb and ya <= p.cy <= yb for p in pieces):
                continue
            inner = clean[ya + 6:yb - 5, xa + 6:xb - 5]
            if inner.size and inner.sum() > 150:
                rr, cc = np.nonzero(inner)
                # a mark is one compact blob (a box with a tick is about a line high), not unread text
                if rr.max() - rr.min() > MARK_MAX_PX or cc.max() - cc.min() > MARK_MAX_PX:
                    continue
                x0, x1, y0, y1 = xa + 6 + cc.min(), xa + 6 + cc.max(), ya + 6 + rr.min(), ya + 6 + rr.max()
                marks.append(Piece(MARK, x0, x1, y0, y1, tick_confidence(clean[y0:y1 + 1, x0:x1 + 1])))
    return marks


def _item_codes(pieces: list[Piece], parts, clean: np.ndarray, vsegs, erased: np.ndarray) -> list[Piece]:
    """A word starting a ruled cell may be an ITA item code the Thai model misreads (i๗ as เซ):
    read again from the ink, it replaces Tesseract's word only when surely a code."""
    from lib.ingest.thai_digits import read_item_code

    out = []
    for p in pieces:
        starts_cell = any(0 <= p.x0 - x <= 40 and a <= p.cy <= b for x, a, b, *_ in vsegs)
        code = read_item_code(p, parts[id(p)], clean, erased) if starts_cell and parts.get(id(p)) else None
        out.extend(code or [p])
    return out


def paper_factor(width: float, height: float) -> float:
    """1 for a page of paper's size; for a page larger than A3, what turns it into A4: a picture made
    into a PDF without its resolution (PIL, ImageMagick, phone apps) gets a page of one point a pixel,
    a 300 dpi A4 scan a page 3508 points high. Rendered at 300 dpi of that page it would be 60 million
    pixels (gigabytes, minutes) with its letters four times a scan's size; read as the A4 paper it was,
    its pixels, letters and rules are a scan's, and its points the layout readers' (rows of ~14 points)."""
    longer = max(width, height)
    return 1.0 if longer <= A3_LONG_PT * 1.05 else A4_LONG_PT / longer


def ocr_page(page, number: int) -> Page:
    """A pypdfium2 page read by OCR, as a layout Page in PDF points (of A4 paper for a page larger
    than A3: `paper_factor`)."""
    from lib.ingest.thai_digits import reread_digits

    width, height = page.get_size()
    paper = paper_factor(width, height)
    # a median filter takes out the scanner's specks before anything is measured or read
    image = page.render(scale=SCALE * paper, grayscale=True).to_pil().convert("L").filter(ImageFilter.MedianFilter(3))
    image, turned = _upright(image)
    gray = np.asarray(image)
    angle = _skew_angle(_dark(gray))
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        gray = np.asarray(image)
    dark = _dark(gray)
    hsegs, vsegs = find_rules(_dark(gray, lenient=True))
    clean = _erase(dark, hsegs, vsegs)
    rows = run_tesseract(Image.fromarray(np.where(clean, 0, 255).astype(np.uint8)))
    words, parts = _words(rows, vsegs)
    erased = dark & ~clean
    pieces = _item_codes([p for p in map(_strip_speck, reread_digits(words, clean, parts, erased))
                          if p.text and not _is_speck(p)], parts, clean, vsegs, erased)
    pieces += _cell_marks(clean, hsegs, vsegs, pieces)
    for p in pieces:
        p.x0, p.x1, p.top, p.bottom = p.x0 / SCALE, p.x1 / SCALE, p.top / SCALE, p.bottom / SCALE
    return Page(number, image.width / SCALE, image.height / SCALE, pieces,
                [(s[0] / SCALE, s[1] / SCALE, s[2] / SCALE) for s in hsegs],
                [(s[0] / SCALE, s[1] / SCALE, s[2] / SCALE) for s in vsegs], turned=turned)
