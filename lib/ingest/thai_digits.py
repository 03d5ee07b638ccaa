"""Thai digits in scans, read by matching glyph templates: Debian's Thai OCR model has no ๔ ๖ ๗ ๘ ๙
(๒๕๖๘ comes out as ๒๕๒๕, tesseract-ocr/langdata_lstm#42), and these documents write years, item
codes and budgets in Thai digits.

Inside the box of every word Tesseract read with a Thai digit in it, the ink is cut into glyphs
at the columns with no ink; from the right, each glyph is compared with the ten Thai digits
rendered from the shipped Sarabun font (both scaled to one box, compared by overlap). The run of
glyphs that match a digit well replaces the word's digits; a glyph that matches none, or two
digits almost equally, leaves the word with a low confidence, so the value becomes a question.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lib.ingest.pdf_layout import Piece

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "Sarabun-Regular.ttf"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
SIZE = 32
MIN_SCORE = 0.55  # overlap needed to take a glyph as a digit
MIN_MARGIN = 0.04  # and how far ahead of the next best digit
_DIGIT_RUN = re.compile(r"^(.*?)([๐-๙][๐-๙,.]*)$")
_UNSURE_CONF = 40.0
PAD = 20  # pixels at 300 dpi, under 2 mm: Tesseract's boxes clip a digit's left side


def _normalise(ink: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(ink)
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    h, w = ink.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.uint8)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = ink * 255
    return np.asarray(Image.fromarray(square).resize((SIZE, SIZE), Image.BILINEAR)) > 96


@lru_cache(maxsize=1)
def templates() -> dict[str, np.ndarray]:
    font = ImageFont.truetype(str(FONT), 120)
    out = {}
    for digit in THAI_DIGITS:
        img = Image.new("L", (200, 200), 0)
        ImageDraw.Draw(img).text((20, 10), digit, font=font, fill=255)
        out[digit] = _normalise(np.asarray(img) > 128)
    return out


def _score(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 0.0


def classify(ink: np.ndarray) -> tuple[str, float, float]:
    """The best Thai digit for a glyph's ink, its overlap and its lead over the runner-up."""
    glyph = _normalise(ink)
    scores = sorted(((_score(glyph, t), d) for d, t in templates().items()), reverse=True)
    (best, digit), (second, _) = scores[0], scores[1]
    return digit, best, best - second


def glyphs(ink: np.ndarray) -> list[tuple[int, int]]:
    """Column ranges of the ink separated by empty columns; a range much wider than the ink is
    high is two digits touching (๕'s tail on ๖), cut where the ink is thinnest."""
    counts = ink.sum(axis=0)
    cols = counts >= 2  # a stray speck does not join two glyphs
    spans, start = [], None
    for x, filled in enumerate(cols):
        if filled and start is None:
            start = x
        elif not filled and start is not None:
            spans.append((start, x))
            start = None
    if start is not None:
        spans.append((start, len(cols)))
    rows = np.nonzero(ink.any(axis=1))[0]
    height = (rows.max() - rows.min() + 1) if len(rows) else 1
    out = []
    while spans:
        a, b = spans.pop(0)
        if b - a > 1.45 * height:
            lo, hi = a + int(0.3 * (b - a)), a + int(0.7 * (b - a))
            cut = lo + int(np.argmin(counts[lo:hi]))
            spans[:0] = [(a, cut), (cut + 1, b)]
            continue
        out.append((a, b))
    return out


def read_digits(ink: np.ndarray) -> tuple[str, float] | None:
    """The trailing run of Thai digits in a word's ink (with , and . between them), and the
    confidence (0-100) of its least certain digit; None when no glyph at the end is a digit."""
    spans = glyphs(ink)
    if not spans:
        return None
    height = ink.any(axis=1).sum()
    text, conf = "", 100.0
    for a, b in reversed(spans):
        part = ink[:, a:b]
        rows = np.nonzero(part.any(axis=1))[0]
        if rows.max() - rows.min() + 1 < 0.35 * height:
            if not text:
                return None
            text = ("," if rows.max() > 0.9 * ink.shape[0] else ".") + text  # small ink: a separator
            continue
        digit, score, margin = classify(part)
        if score < MIN_SCORE:
            break
        text = digit + text
        # sure when the digit is well ahead of the next best (๕ and ๖, ๓ and ๘ are close)
        conf = min(conf, _UNSURE_CONF if margin < MIN_MARGIN else 60 + 40 * min(1.0, (margin - MIN_MARGIN) / 0.16))
    text = text.lstrip(",.")
    return (text, conf) if text else None


def _join_digit_runs(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring words of one line that end and start with digits are one number that
    Tesseract cut (๒ | ๕๒๐๒ for ๒๕๖๖)."""
    out: list[Piece] = []
    for p in pieces:
        q = out[-1] if out else None
        if q and q.text and p.text and q.text[-1] in THAI_DIGITS and p.text[0] in THAI_DIGITS \
                and 0 <= p.x0 - q.x1 <= 25 and min(q.bottom, p.bottom) > max(q.top, p.top):
            q.text += p.text
            q.x1, q.top, q.bottom = p.x1, min(q.top, p.top), max(q.bottom, p.bottom)
            q.conf = min(q.conf or 100.0, p.conf or 100.0)
            continue
        out.append(p)
    return out


def reread_digits(pieces: list[Piece], ink: np.ndarray) -> list[Piece]:
    """Each OCR word holding a Thai digit, its digits read again from the image."""
    pieces = _join_digit_runs(pieces)
    for p in pieces:
        m = _DIGIT_RUN.match(p.text)
        if not m:
            if any(ch in THAI_DIGITS for ch in p.text):
                p.conf = min(p.conf or 100.0, _UNSURE_CONF)  # digits inside a word: not re-read
            continue
        box = ink[int(p.top):int(p.bottom) + 1, max(int(p.x0) - PAD, 0):int(p.x1) + 3]
        read = read_digits(box) if box.any() else None
        if read is None:
            p.conf = min(p.conf or 100.0, _UNSURE_CONF)
            continue
        digits, conf = read
        p.text = m.group(1) + digits
        # Tesseract's own confidence is about what it read, not about these digits
        p.conf = conf if not m.group(1) else min(p.conf or 100.0, conf)
    return pieces
