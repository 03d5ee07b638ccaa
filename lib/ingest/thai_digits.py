"""Thai digits, ITA item codes and quarter check marks in scans, read by matching glyph templates:
Debian's Thai OCR model has no ๔ ๖ ๗ ๘ ๙ (๒๕๖๘ comes out as ๒๕๒๕, tesseract-ocr/langdata_lstm#42)
nor ☑ / ✓, and these documents write years, item codes and budgets in Thai digits.

Templates are rendered from the shipped Sarabun fonts and the Thai fonts of the machine (TLWG),
for the ten Thai digits and for what could stand next to them or be mistaken for them: Thai
letters, Latin letters and digits, punctuation, check marks and empty boxes. A glyph (ink
between empty columns) is scaled to one box and compared with every template by correlation of
the blurred images. A glyph is taken as a digit only when a digit's template is its best match,
close enough, and clearly ahead of every template of another character; a number is taken only
when every glyph in it is; otherwise the word keeps a low confidence and the value is a question.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from lib.ingest.pdf_layout import Piece

FONTS_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = FONTS_DIR / "Sarabun-Regular.ttf"
# the shipped fonts first, then exactly the Debian fonts .ci/run installs (fonts-tlwg-laksaman/loma/
# norasi-ttf, fonts-dejavu-core): a fixed set, so a machine with more Thai fonts reads a scan the same
TEMPLATE_FONTS = (FONT, FONTS_DIR / "Sarabun-Bold.ttf",
                  *(Path("/usr/share/fonts/truetype/tlwg") / f"{name}.ttf" for name in ("Laksaman", "Loma", "Norasi")))
SYMBOL_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
OTHERS = ("กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮฤะาเแโใไๆฯ"
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()[]/%&@#")
TICKS = "☑✓✔"
NOT_TICKS = "☐☒✗✘□"
SIZE = 24
MIN_SCORE = 0.7  # correlation needed to take a glyph as a digit, a code letter or a tick
# and its lead over the best template of any other character: on 800 synthetic scanned numbers
# in five fonts at 27-48 px, none wrong, also with the number's font left out of the templates
MIN_MARGIN = 0.1
SURE_CONF = 95.0
UNSURE_CONF = 40.0
_DIGIT_RUN = re.compile(r"[๐-๙](?:[๐-๙,.]*[๐-๙])?")


def _normalise(ink: np.ndarray, size: int = SIZE) -> np.ndarray | None:
    rows, cols = np.nonzero(ink)
    if not len(rows):
        return None
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = ink.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.uint8)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = ink * 255
    img = Image.fromarray(square).resize((size, size), Image.BOX).filter(ImageFilter.GaussianBlur(1.0))
    v = np.asarray(img, dtype=np.float32).ravel()
    v = v - v.mean()
    norm = float(np.linalg.norm(v))
    return v / norm if norm else None


def _render(char: str, font: ImageFont.FreeTypeFont) -> np.ndarray | None:
    img = Image.new("L", (260, 260), 0)
    ImageDraw.Draw(img).text((60, 40), char, font=font, fill=255)
    ink = np.asarray(img) > 128
    return _normalise(ink) if ink.any() else None


def _has_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    # a font without the character draws its .notdef box, which must not become a template
    return font.getmask(char).getbbox() is not None and font.getmask(char).size != font.getmask("\U000f0000").size


@lru_cache(maxsize=1)
def templates() -> tuple[np.ndarray, list[str]]:
    """(matrix of template vectors, the character of each row)."""
    vectors, labels = [], []
    for path in TEMPLATE_FONTS:
        if not path.exists():
            continue
        font = ImageFont.truetype(str(path), 120)
        for char in THAI_DIGITS + OTHERS:
            v = _render(char, font)
            if v is not None:
                vectors.append(v)
                labels.append(char)
    for path in SYMBOL_FONTS:
        if not path.exists():
            continue
        font = ImageFont.truetype(str(path), 120)
        for char in TICKS + NOT_TICKS:
            if _has_glyph(font, char):
                v = _render(char, font)
                if v is not None:
                    vectors.append(v)
                    labels.append(char)
    return np.stack(vectors), labels


def _scores(ink: np.ndarray) -> np.ndarray | None:
    v = _normalise(ink)
    return None if v is None else templates()[0] @ v


def _best(scores: np.ndarray, allowed: str | None = None) -> tuple[str, float, float]:
    """The best character (among `allowed`, or any), its score and its lead over the best
    template of any other character (of all templates: a digit must beat every letter too)."""
    labels = templates()[1]
    order = np.argsort(-scores)
    pick = next((i for i in order if allowed is None or labels[i] in allowed), None)
    if pick is None:
        return "", 0.0, 0.0
    best = labels[pick]
    runner = next((float(scores[i]) for i in order if labels[i] != best), 0.0)
    return best, float(scores[pick]), float(scores[pick]) - runner


def classify(ink: np.ndarray) -> tuple[str, float, float]:
    """The best character for a glyph's ink, its correlation and its lead over the best template
    of any other character."""
    scores = _scores(ink)
    return ("", 0.0, 0.0) if scores is None else _settle_pair(ink, scores, *_best(scores))


# ๔ and ๕ differ only by the small hook of ๕ at the top right: at the templates' 24 px the two lead
# each other by 0.06-0.1, so the years ๒๕๖๖ of a scan were asked. A glyph surely one of the two
# (0.1 ahead of every other template) is told apart at 48 px with a light blur, where the hook shows.
# On 2,400 synthetic noisy glyphs in the template fonts and two others, a lead of 0.02 there was
# never wrong; 0.05 is asked of it.
PAIR = "๔๕"
PAIR_SIZE = 48
PAIR_MARGIN = 0.05


@lru_cache(maxsize=1)
def _pair_templates() -> tuple[np.ndarray, list[str]]:
    vectors, labels = [], []
    for path in TEMPLATE_FONTS:
        if path.exists():
            font = ImageFont.truetype(str(path), 120)
            for char in PAIR:
                img = Image.new("L", (260, 260), 0)
                ImageDraw.Draw(img).text((60, 40), char, font=font, fill=255)
                vectors.append(_normalise(np.asarray(img) > 128, PAIR_SIZE))
                labels.append(char)
    return np.stack(vectors), labels


def _settle_pair(ink: np.ndarray, scores: np.ndarray, char: str, score: float, margin: float
                 ) -> tuple[str, float, float]:
    """A ๔ or ๕ whose lead over the other is too small at 24 px, settled at 48 px when it is surely
    one of the two (the lead then given is MIN_MARGIN: sure); anything else as it was."""
    if char not in PAIR or sure(score, margin) or score < MIN_SCORE:
        return char, score, margin
    labels = templates()[1]
    if score - max(float(v) for v, label in zip(scores, labels, strict=True) if label not in PAIR) < MIN_MARGIN:
        return char, score, margin
    vectors, pair_labels = _pair_templates()
    pair_scores = vectors @ _normalise(ink, PAIR_SIZE)
    best = {c: max(float(v) for v, label in zip(pair_scores, pair_labels, strict=True) if label == c) for c in PAIR}
    winner = max(best, key=best.get)
    if winner == char and best[char] - min(best.values()) >= PAIR_MARGIN:
        return char, score, MIN_MARGIN
    return char, score, margin


def best_match(ink: np.ndarray, allowed: str) -> tuple[str, float, float]:
    """The best of the `allowed` characters for a glyph, its score and its lead over every
    other template."""
    scores = _scores(ink)
    return ("", 0.0, 0.0) if scores is None else _best(scores, allowed)


def sure(score: float, margin: float) -> bool:
    return score >= MIN_SCORE and margin >= MIN_MARGIN


def glyphs(ink: np.ndarray) -> list[tuple[int, int]]:
    """Column ranges of the ink separated by empty columns."""
    cols = ink.sum(axis=0) >= 1
    spans, start = [], None
    for x, filled in enumerate(cols):
        if filled and start is None:
            start = x
        elif not filled and start is not None:
            spans.append((start, x))
            start = None
    if start is not None:
        spans.append((start, len(cols)))
    return spans


def _denoise(ink: np.ndarray) -> np.ndarray:
    """Columns with one stray pixel do not join or widen glyphs."""
    out = ink.copy()
    out[:, ink.sum(axis=0) < 2] = False
    return out


def _separator(ink: np.ndarray, a: int, b: int, tallest: int, base: int) -> str | None:
    """',' '.' or "'" for a glyph much lower than the tallest: by where it sits against the
    baseline (`base`, the bottom row of the full-height glyphs)."""
    rows = np.nonzero(ink[:, a:b].any(axis=1))[0]
    if rows.max() - rows.min() + 1 >= 0.35 * tallest:
        return None
    if rows.max() < base - 0.45 * tallest:
        return "'"
    return "," if rows.max() > base + 0.06 * tallest else "."


def read_glyphs(ink: np.ndarray, allowed: str | None = None) -> list[tuple[str, float, float, int, int]]:
    """The glyphs of a strip of ink: (character, score, margin, first column, end column).

    Thin strokes of a scan break a glyph into pieces and touching glyphs make one; the strip
    is cut where the pieces, taken whole, split or merged, read best among `allowed`
    characters (weighted by width). A glyph much lower than the tallest is ',' '.' or "'"."""
    ink = _denoise(ink)
    spans = glyphs(ink)
    if not spans:
        return []
    extents = []
    for a, b in spans:
        rows = np.nonzero(ink[:, a:b].any(axis=1))[0]
        extents.append((rows.min(), rows.max()))
    tallest = max(r1 - r0 + 1 for r0, r1 in extents)
    base = int(np.median([r1 for r0, r1 in extents if r1 - r0 + 1 >= 0.5 * tallest]))
    cands: dict[tuple[int, int], tuple[str, float, float, int, int]] = {}

    def candidate(a: int, b: int) -> tuple[str, float, float, int, int]:
        if (a, b) not in cands:
            mark = _separator(ink, a, b, tallest, base)
            if mark:
                cands[(a, b)] = (mark, 1.0, 1.0, a, b)
            else:
                scores = _scores(ink[:, a:b])
                char, score, margin = ("", 0.0, 0.0) if scores is None else \
                    _settle_pair(ink[:, a:b], scores, *_best(scores, allowed))
                cands[(a, b)] = (char, score, margin, a, b)
        return cands[(a, b)]

    # pieces: the spans, and each wide span also cut at its thinnest columns (touching glyphs)
    counts = ink.sum(axis=0)
    cuts = sorted({x for a, b in spans for x in (a, b)})
    for a, b in spans:
        if b - a > 1.2 * tallest:
            for lo, hi in ((a + int(0.3 * (b - a)), a + int(0.7 * (b - a))),):
                cut = lo + int(np.argmin(counts[lo:hi]))
                cuts.append(cut)
    cuts = sorted(set(cuts))
    best: dict[int, tuple[float, list]] = {0: (0.0, [])}
    for j in range(1, len(cuts)):
        options = []
        for i in range(max(0, j - 4), j):
            if i not in best or cuts[j] - cuts[i] > 1.6 * tallest:
                continue
            a, b = cuts[i], cuts[j]
            if not ink[:, a:b].any():
                options.append((best[i][0], best[i][1]))
                continue
            glyph = candidate(a, b)
            options.append((best[i][0] + glyph[1] * (b - a), best[i][1] + [glyph]))
        if options:
            best[j] = max(options, key=lambda o: o[0])
    return best.get(len(cuts) - 1, (0.0, []))[1]


def read_digits(ink: np.ndarray) -> tuple[str, float] | None:
    """A strip of ink that should hold one number in Thai digits (with , and . between digits):
    the digits read and the confidence (0-100); None when no glyph is a Thai digit. The
    confidence is high only when every glyph is surely a Thai digit or a separator."""
    read = read_glyphs(ink, THAI_DIGITS)
    text = "".join(c for c, *_ in read)
    if not any(c in THAI_DIGITS for c in text):
        return None
    rows = np.nonzero(ink.any(axis=1))[0]
    height = rows.max() - rows.min() + 1
    # a gap as wide as a space: two numbers (๑ ๑ ต.ค.), not one
    spaced = any(b[3] - a[4] > 0.3 * height for a, b in zip(read, read[1:], strict=False))
    ok = all((c in THAI_DIGITS and sure(s, m)) or c in ",." for c, s, m, *_ in read) \
        and _DIGIT_RUN.fullmatch(text.rstrip(",.")) is not None and not spaced
    return text, SURE_CONF if ok else UNSURE_CONF


def _cluster(ink: np.ndarray, piece: Piece, x0: int, x1: int, gap_max: int = 3
             ) -> tuple[np.ndarray, int, int] | None:
    """The ink of the written word (glyphs closer than a space) that holds x0..x1 on the piece's
    line, taken whole (Tesseract's boxes clip a glyph's side), cut to the line's rows, with its
    first and end column; None when x0..x1 touches two words (one number or two cannot be told)."""
    # the rows around the box too: Tesseract's box can leave out a digit's rising stroke (the
    # hook of ๖, without which it reads as ๐)
    height = int(piece.bottom - piece.top)
    top, bottom = max(int(piece.top) - height // 2 - 3, 0), int(piece.bottom) + height // 2 + 4
    reach = 3 * height
    a, b = max(int(piece.x0) - reach, 0), min(int(piece.x1) + reach, ink.shape[1])
    band = _main_rows(ink[top:bottom, a:b], x0 - a, x1 - a, gap_max)
    spans = glyphs(_denoise(band))
    if not spans:
        return None
    height = band.shape[0]
    words: list[list[int]] = []
    for s, e in spans:
        if words and s - words[-1][1] <= 0.3 * height:
            words[-1][1] = e
        else:
            words.append([s, e])
    hit = [w for w in words if w[0] < x1 - a and w[1] > x0 - a]
    if len(hit) != 1:
        return None
    return band[:, hit[0][0]:hit[0][1]], a + hit[0][0], a + hit[0][1]


def _main_rows(strip: np.ndarray, x0: int = 0, x1: int | None = None, gap_max: int = 3) -> np.ndarray:
    a, b = _main_run(strip, x0, x1, gap_max)
    return strip[a:b]


def _main_run(strip: np.ndarray, x0: int = 0, x1: int | None = None, gap_max: int = 3) -> tuple[int, int]:
    """The strip cut to the rows of its line: the run of inked rows (between columns x0 and x1)
    holding most ink, so specks and the neighbouring lines' marks above and below are left out."""
    counts = strip[:, x0:x1].sum(axis=1)
    runs, start, gap = [], None, 0
    for y, n in enumerate(counts):
        if n:
            if start is None:
                start = y
            gap = 0
        elif start is not None:
            gap += 1
            if gap > gap_max:
                runs.append((start, y - gap + 1))
                start, gap = None, 0
    if start is not None:
        runs.append((start, len(counts) - gap))
    if not runs:
        return 0, strip.shape[0]
    return max(runs, key=lambda r: counts[r[0]:r[1]].sum())


def reread_digits(pieces: list[Piece], ink: np.ndarray, parts: dict[int, list[tuple[str, int, int]]] | None = None,
                  erased: np.ndarray | None = None) -> list[Piece]:
    """Each OCR word holding a Thai digit: its runs of digits read again from the image.

    `parts` gives, by id() of a piece, the characters Tesseract read and their boxes (text, x0,
    x1): a run's ink is found from them. Without them only a word that is a number alone is
    re-read. A run not surely read, or touching a ruling line painted out (`erased`), leaves the
    word with a low confidence."""
    parts = dict(parts or {})
    pieces = _join_digit_runs(pieces, parts, ink)
    for p in pieces:
        if not any(ch in THAI_DIGITS for ch in p.text):
            continue
        boxes = parts.get(id(p)) or [(p.text, int(p.x0), int(p.x1))]
        text, conf = _reread(p, boxes, ink, erased)
        # Tesseract's own confidence is about the letters it read, not about these digits
        p.conf = conf if _DIGIT_RUN.fullmatch(text) else min(p.conf or 100.0, conf)
        p.text = text
    return pieces


def _near_rule(erased: np.ndarray | None, p: Piece, x0: int, x1: int) -> bool:
    """Whether a ruling line was painted out right by the word: a glyph touching a rule lost the
    part drawn on it (๖ cut by a column rule reads as ๐)."""
    if erased is None:
        return False
    return bool(erased[max(int(p.top) - 3, 0):int(p.bottom) + 4, max(x0 - 5, 0):x1 + 5].any())


def _reread(p: Piece, boxes: list[tuple[str, int, int]], ink: np.ndarray, erased: np.ndarray | None = None
            ) -> tuple[str, float]:
    """The piece's text with its Thai digits read again, and the confidence of that reading.

    A word that is a number (Thai digits with , and .) is read whole. A word ending in a number
    (ครั้งที่๑) keeps Tesseract's letters: its last glyphs are read while they are surely digits,
    and the glyph before them must surely be something else. Digits anywhere else are not
    re-read. Only a sure reading replaces Tesseract's."""
    text = p.text
    found = _cluster(ink, p, boxes[0][1], boxes[-1][2])
    if found is None or not found[0].any() or _near_rule(erased, p, found[1], found[2]):
        return text, UNSURE_CONF
    cluster = found[0]
    if re.fullmatch(r"[๐-๙0-9,.]+", text):
        read = read_digits(cluster)
        if read and read[1] >= SURE_CONF and not text.endswith((",", ".")):
            read = (read[0].rstrip(",."), read[1])  # a full stop Tesseract left out of the word
        ok = read and read[1] >= SURE_CONF and _DIGIT_RUN.fullmatch(read[0].rstrip(",.")) and _agrees(read[0], text)
        return (read[0], SURE_CONF) if ok else (text, UNSURE_CONF)
    m = re.fullmatch(r"(.*[^๐-๙0-9,.])([๐-๙][๐-๙,.]*)", text)
    if not m or any(ch in THAI_DIGITS for ch in m.group(1)):
        return text, UNSURE_CONF
    glyph_list = read_glyphs(cluster)
    digits: list[str] = []
    for char, score, margin, *_ in reversed(glyph_list):
        if char in THAI_DIGITS and sure(score, margin):
            digits.insert(0, char)
            continue
        if char in ",." and digits:
            digits.insert(0, char)
            continue
        if char in THAI_DIGITS or not sure(score, margin) or not digits or digits[0] in ",.":
            return text, UNSURE_CONF
        break
    else:
        return text, UNSURE_CONF
    if not _agrees("".join(digits), m.group(2)):
        return text, UNSURE_CONF
    return m.group(1) + "".join(digits), SURE_CONF


def _agrees(read: str, said: str) -> bool:
    """The templates' reading does not contradict Tesseract's where Tesseract can be trusted. Its
    model has ๐ ๑ ๒ ๓ ๕ and writes one or two of them for a digit it lacks (๖ as ๐, ๒ or ๒๐; ๗ as
    ๓ or ๑๕; ๘ as ๓; ๙ as ๕), so it writes each of these at least as often as it is there, and what
    it writes beyond that is at most two for each digit it lacks: a ๑ or ๓ more only beside a ๗ (or
    ๘ for ๓). A glyph the templates take for a digit Tesseract did not see is not sure (a Norasi ๓
    matched Sarabun's ๐; a noisy ๖ that Tesseract read as ๒ matched ๐)."""
    n, t = read.count, said.count
    extra = {d: t(d) - n(d) for d in "๐๑๒๓๕"}
    lacking = sum(n(d) for d in "๔๖๗๘๙")
    return min(extra.values()) >= 0 and sum(extra.values()) <= 2 * lacking \
        and extra["๑"] <= n("๗") and extra["๓"] <= n("๗") + n("๘")


def _one_word(ink: np.ndarray, q: Piece, p: Piece) -> bool:
    found = _cluster(ink, q, int(q.x0), int(q.x1))
    return found is not None and found[2] > p.x0


def _join_digit_runs(pieces: list[Piece], parts: dict[int, list[tuple[str, int, int]]], ink: np.ndarray
                     ) -> list[Piece]:
    """Neighbouring words of one line that end and start with digits are one number that
    Tesseract cut (๒ | ๕๒๐๒ for ๒๕๖๖) when their ink is one written word (no space between:
    "รอบ ๑ ๑ ต.ค." is two numbers)."""
    out: list[Piece] = []
    for p in pieces:
        q = out[-1] if out else None
        if q and q.text and p.text and q.text[-1] in THAI_DIGITS and p.text[0] in THAI_DIGITS \
                and 0 <= p.x0 - q.x1 <= 25 and min(q.bottom, p.bottom) > max(q.top, p.top) \
                and _one_word(ink, q, p):
            q.text += p.text
            q.x1, q.top, q.bottom = p.x1, min(q.top, p.top), max(q.bottom, p.bottom)
            q.conf = min(q.conf or 100.0, p.conf or 100.0)
            if id(q) in parts and id(p) in parts:
                parts[id(q)] = parts[id(q)] + parts[id(p)]
            else:
                parts.pop(id(q), None)
            continue
        out.append(p)
    return out


CODE_LETTERS = "ieo"


def _letter_sure(ink: np.ndarray) -> str | None:
    """i, e or o when the glyph is surely that letter: best of all templates, and clearly ahead
    of every template but its look-alikes (l I j 1 | ! and sara o for i): none of them stands
    before a Thai digit and a space at the start of a cell, and e and o are not among them."""
    scores = _scores(ink)
    if scores is None:
        return None
    labels = templates()[1]
    order = np.argsort(-scores)
    letter = labels[order[0]]
    if letter not in CODE_LETTERS or scores[order[0]] < MIN_SCORE:
        return None
    alike = {"i": "ilIj1|!โ", "e": "e", "o": "o"}[letter]
    runner = next(float(scores[i]) for i in order if labels[i] not in alike)
    return letter if scores[order[0]] - runner >= MIN_MARGIN else None


def read_item_code(p: Piece, boxes: list[tuple[str, int, int]], ink: np.ndarray, erased: np.ndarray | None = None
                   ) -> list[Piece] | None:
    """A word that starts a table cell, read again as an ITA item code (i๗, e๑๑, o๔๑): Tesseract
    reads i๗ as "เซ". Its first glyph must be surely a letter i, e or o, followed by one or two
    glyphs surely Thai digits and then a space; then the code becomes a piece of its own and
    Tesseract's characters after it the rest. None when the ink is not surely a code."""
    height = int(p.bottom - p.top)
    top = max(int(p.top) - 3, 0)
    a, b = max(int(p.x0) - height, 0), min(int(p.x1) + height, ink.shape[1])
    strip = ink[top:int(p.bottom) + 4, a:b]
    r0, r1 = _main_run(strip, boxes[0][1] - a, boxes[0][2] - a)
    band = strip[r0:r1]
    spans = [s for s in glyphs(_denoise(band)) if s[1] > int(p.x0) - a - 2]
    if len(spans) < 2:
        return None
    heights = [np.nonzero(band[:, s:e].any(axis=1))[0] for s, e in spans]
    xheight = float(np.median([h.max() - h.min() + 1 for h in heights]))
    # the letter with what lies above the line (the dot of i)
    letter = _letter_sure(strip[max(r0 - int(0.6 * xheight), 0):r1, spans[0][0]:spans[0][1]])
    if letter is None:
        return None
    digits = ""
    for (s, e), (_, pe) in zip(spans[1:], spans, strict=False):
        if s - pe > 0.3 * xheight:
            break
        char, score, margin = classify(band[:, s:e])
        if char not in THAI_DIGITS or not sure(score, margin):
            return None
        digits += char
        end = e
    if not 1 <= len(digits) <= 2 or (len(spans) > len(digits) + 1 and spans[len(digits) + 1][0] - end <= 0.3 * xheight):
        return None
    end += a
    if _near_rule(erased, p, a + spans[0][0], end):
        return None
    rest = [b for b in boxes if (b[1] + b[2]) / 2 > end]
    out = [Piece(letter + digits, p.x0, end, p.top, p.bottom, SURE_CONF)]
    if rest:
        out.append(Piece("".join(b[0] for b in rest), rest[0][1], p.x1, p.top, p.bottom, p.conf))
    return out
