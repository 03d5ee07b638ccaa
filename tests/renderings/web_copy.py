"""The seeds as text copied from a web page: each table drawn in fixed-width columns, every cell
wrapped inside its column (greedy, at spaces and Thai word boundaries, a URL never broken), a
cell's paragraphs on lines of their own, the row's lines top-aligned (or centred or bottom-aligned,
the text left-aligned in its column or centred or right-aligned); markup gone as a browser shows it. A `Style` says how: column widths, which columns wrap, gaps, blank lines between rows,
the space characters used, trailing spaces, zero-width and full-width characters, CRLF.

Used by tests/test_spaced_text.py and tests/test_versions.py; `python -m tests.renderings.web_copy
003 --wrap 0:12` prints one rendering to look at.
"""
from __future__ import annotations

import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from lib.ingest.cells import parse_cell
from tests.renderings import blocks

_THAI = re.compile(r"[\u0e00-\u0e7f]+")


@dataclass(frozen=True)
class Style:
    name: str
    wrap: dict[int, int] = field(default_factory=dict)  # column -> width it wraps at (others: not wrapped)
    max_width: int | None = None  # every column wraps at this width at most
    gaps: tuple[int, ...] = (3,)  # spaces after each column, cycled over the columns
    blank_between_rows: bool = False
    pad: str = " "  # the character filling the gaps ("\u00a0", "\u3000": two columns wide)
    trailing: bool = False  # random spaces left at line ends
    zero_width: bool = False  # U+200B between Thai words (pages that mark break points)
    fullwidth: bool = False  # ASCII letters and digits as full-width forms (U+FF01-U+FF5E)
    crlf: bool = False
    characters: bool = False  # padded and wrapped counting characters (Python's ljust), not display columns
    valign: str = "top"  # where a cell shorter than its row sits: "top", "middle" (centred), "bottom"
    halign: str = "left"  # where a line sits in its column: "left", "center", "right"
    # a browser's copy where a cell's own line break (a paragraph, a <br>, a list item) lands at the
    # start of the line: these columns' later paragraphs at column 0, on the row's line when the columns
    # before it are empty there and it fits (`to_start_inline`), else on a line of their own above it;
    # `to_start_wraps`: the lines a narrow column wrapped too
    to_start: tuple[int, ...] = ()
    to_start_inline: bool = False
    to_start_wraps: bool = False
    seed: int = 0

    def width(self, text: str) -> int:
        return len(text) if self.characters else display_width(text)


def display_width(text: str) -> int:
    out = 0
    for c in text:
        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        out += 2 if unicodedata.east_asian_width(c) in ("F", "W") else 1
    return out


@lru_cache(maxsize=4096)
def _thai_words(run: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize
    return tuple(word_tokenize(run, keep_whitespace=False))


def _units(paragraph: str) -> list[tuple[str, bool]]:
    """(unit, a space before it) in order: the places a line may break."""
    out: list[tuple[str, bool]] = []
    for token in paragraph.split():
        if token.startswith("http") or not _THAI.search(token):
            out.append((token, True))
            continue
        first = True
        for piece in re.split(r"([\u0e00-\u0e7f]+)", token):
            if not piece:
                continue
            words = _thai_words(piece) if _THAI.fullmatch(piece) else (piece,)
            for w in words:
                out.append((w, first))
                first = False
    return out


def wrap(paragraph: str, width: int | None, measure=None) -> list[str]:
    measure = measure or display_width
    if width is None:
        return [paragraph]
    lines: list[str] = []
    line = ""
    for unit, spaced in _units(paragraph):
        joined = (line + (" " if spaced else "") + unit) if line else unit
        if line and measure(joined) > width:
            lines.append(line)
            line = unit
        else:
            line = joined
    if line:
        lines.append(line)
    return lines


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def _cell_lines(raw: str, width: int | None, style: Style, rng: random.Random) -> list[str]:
    return [line for line, _ in _cell_pieces(raw, width, style)]


def _cell_pieces(raw: str, width: int | None, style: Style) -> list[tuple[str, bool]]:
    """The cell's lines, each with whether it opens a paragraph (or a line of its own: a list item)."""
    out: list[tuple[str, bool]] = []
    for paragraph in parse_cell(raw).paragraphs:
        for block in paragraph.split("\n"):  # list items inside a paragraph are lines of their own
            wrapped = wrap(_fullwidth(block) if style.fullwidth else block, width, style.width)
            out.extend((line, k == 0) for k, line in enumerate(wrapped))
    if style.zero_width:
        out = [("\u200b".join(_split_keep(line)), opens) for line, opens in out]
    return out


def _split_keep(line: str) -> list[str]:
    parts: list[str] = []
    for piece in re.split(r"([\u0e00-\u0e7f]+)", line):
        if _THAI.fullmatch(piece or "-"):
            parts.extend(_thai_words(piece))
        elif piece:
            parts.append(piece)
    return parts


def _pad(n: int, style: Style) -> str:
    if style.pad == "\u3000":
        return "\u3000" * (n // 2) + " " * (n % 2)
    return style.pad * n


def _table(rows: list[list[str] | None], style: Style, rng: random.Random) -> list[str]:
    n = max(len(r) for r in rows if r)
    rows = [r + [""] * (n - len(r)) if r else None for r in rows]
    limit = {k: w for k, w in style.wrap.items() if k < n}
    if style.max_width:
        for k in range(n):
            limit[k] = min(limit.get(k, style.max_width), style.max_width)
    pieces = [[_cell_pieces(c, limit.get(k), style) for k, c in enumerate(r)] if r else None for r in rows]
    cells = [[[line for line, _ in c] for c in r] if r else None for r in pieces]
    widths = [max((style.width(line) for r in cells if r for line in r[k]), default=0) for k in range(n)]
    out: list[str] = []
    for r, opens in zip(cells, pieces, strict=True):
        if r is None:
            out.append("")
            continue
        if style.blank_between_rows and out and out[-1]:
            out.append("")
        depth_of_row = max(1, *(len(c) for c in r))
        shift = [{"top": 0, "middle": (depth_of_row - len(c)) // 2, "bottom": depth_of_row - len(c)}[style.valign]
                 for c in r]
        for depth in range(depth_of_row):
            parts = []
            moved: list[str] = []  # pieces that land at the line's start (to_start)
            for k, c in enumerate(r):
                at = depth - shift[k]
                text = c[at] if 0 <= at < len(c) else ""
                if text and at > 0 and k in style.to_start and (style.to_start_wraps or opens[k][at][1]):
                    moved.append(text)
                    text = ""
                gap = style.gaps[k % len(style.gaps)]
                room = widths[k] - style.width(text)
                before = {"left": 0, "center": room // 2, "right": room}[style.halign] if text else 0
                parts.append(_pad(before, style) + text + _pad(room - before + gap, style))
            line = "".join(parts).rstrip(" \u00a0\u3000")
            if moved and style.to_start_inline:
                rest = line.lstrip(" \u00a0\u3000")
                lead = style.width(line[:len(line) - len(rest)].replace("\u3000", "  "))
                piece = moved[-1]
                if not rest or style.width(piece) + 2 <= lead:
                    moved.pop()
                    line = (piece + _pad(lead - style.width(piece), style) + rest) if rest else piece
            out.extend(moved)
            if style.trailing and rng.random() < 0.5:
                line += " " * rng.randint(1, 4)
            out.append(line)
    return out


def render(tab_text: str, style: Style) -> str:
    """The seed's text with every tab-separated table drawn as `style` says; other lines unchanged."""
    rng = random.Random(style.seed)
    out: list[str] = []
    for block in blocks(tab_text):
        out.extend([block] if isinstance(block, str) else _table(block, style, rng))
    text = "\n".join(out) + "\n"
    return text.replace("\n", "\r\n") if style.crlf else text


def line_per_cell(tab_text: str, blank_rows: bool = False, paragraph_lines: bool = False) -> str:
    """Every cell of every table on a line of its own (a table pasted into a plain editor): a cell's
    paragraphs on its one line (or, `paragraph_lines`, each on a line of its own, as a browser copies
    a cell of several paragraphs); an empty cell an empty line, or (`blank_rows`) rows separated by a
    blank line and empty cells left out."""
    out: list[str] = []
    for line in tab_text.splitlines():
        if "\t" not in line:
            out.append(line)
            continue
        cells = [[p for para in parse_cell(c).paragraphs for p in para.split("\n")] for c in line.split("\t")]
        for cell in cells:
            if paragraph_lines and cell:
                out.extend(cell)
            elif cell or not blank_rows:
                out.append(" ".join(cell))
        if blank_rows:
            out.append("")
    return "\n".join(out) + "\n"


STYLES = (
    Style("wide"),
    Style("first-column-narrow", wrap={0: 14}),
    Style("first-column-very-narrow", wrap={0: 9}, gaps=(2,)),
    Style("middle-column-narrow", wrap={1: 16, 2: 12}, gaps=(4, 2)),
    Style("last-column-narrow", wrap={4: 18, 5: 18, 8: 6}, blank_between_rows=True),
    Style("all-narrow", max_width=22, gaps=(2, 5, 3)),
    Style("all-narrow-blank-rows", max_width=30, blank_between_rows=True, trailing=True, seed=4),
    Style("nbsp", wrap={0: 20}, pad="\u00a0", trailing=True, seed=1),
    Style("ideographic-space", max_width=26, pad="\u3000", seed=2),
    Style("zero-width", wrap={0: 18, 3: 20}, zero_width=True, gaps=(2,)),
    Style("fullwidth-crlf", wrap={0: 16}, fullwidth=True, crlf=True, gaps=(3, 2)),
    Style("characters-wide", characters=True),
    Style("characters-narrow", characters=True, max_width=28, gaps=(2, 4)),
)

# Cells not at the top-left of their room: the reader takes them only when every row and column can
# still be told, and refuses them otherwise (never a record with another row's text).
ALIGNMENTS = (
    Style("middle", valign="middle"),
    Style("middle-narrow", valign="middle", wrap={0: 14}, max_width=30),
    Style("bottom-blank-rows", valign="bottom", max_width=30, blank_between_rows=True),
    Style("middle-blank-rows", valign="middle", max_width=26, blank_between_rows=True),
    Style("centred", halign="center"),
    Style("centred-narrow", halign="center", max_width=28),
    Style("right-narrow", halign="right", max_width=30),
    Style("right", halign="right", gaps=(2,)),
    Style("centred-middle", halign="center", valign="middle", max_width=24),
)

# A cell's later lines at the start of the line, as a browser's copy can leave a cell's own line breaks:
# such a line looks like first-column text, so the reader reads it right only where that is certain and
# otherwise asks (the text left out, quoted) or refuses; never a title or row made of another cell's text.
_ALL = tuple(range(1, 12))
TO_START = (
    Style("br-start", to_start=_ALL),
    Style("br-start-inline", to_start=_ALL, to_start_inline=True),
    Style("br-start-narrow", max_width=30, to_start=(2,)),
    Style("br-start-narrow-inline", max_width=26, to_start=(1, 3), to_start_inline=True, gaps=(2,)),
    Style("wraps-start-inline", max_width=28, to_start=(1,), to_start_wraps=True, to_start_inline=True),
    Style("wraps-start-last", wrap={0: 14, 4: 20, 5: 20}, to_start=(4, 5), to_start_wraps=True,
          to_start_inline=True),
    Style("wraps-start-blank-rows", max_width=30, to_start=_ALL, to_start_wraps=True, blank_between_rows=True),
)


if __name__ == "__main__":
    from tests.conftest import SEEDS

    prefix = sys.argv[1]
    style = Style("cli", wrap={int(k): int(w) for k, w in (a.split(":") for a in sys.argv[3:4])}) \
        if "--wrap" in sys.argv else STYLES[0]
    print(render(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"), style))
