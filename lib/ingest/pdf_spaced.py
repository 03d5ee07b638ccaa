"""A PDF whose tables have no ruling lines, laid out as space-aligned text for lib/ingest/spaced.py.

The space reader already recovers columns from a header's positions and tells a wrapped cell from
a new row by widths (would the next word have fitted?). A PDF gives the same words with exact
positions, so instead of a second engine its lines are written as that text:
- a line's words closer than a cell's padding stay one piece (single spaces); a wider gap starts a
  new piece, written at its x position in columns of the document's typical letter width; a narrow
  table's cells may come closer than that, so a piece that begins where many lines' pieces begin
  (a column's left edge) after more than a word's space starts a new piece too;
- cells centred vertically in their rows are moved up to their row's first line, rows being the
  bands between gaps wider than a line's spacing (`_top_aligned`); rows in doubt are refused;
- each character's width in those columns is measured from the glyphs (`advances`), and the space
  reader counts widths with it, so "full" means the next word would not have fitted on the page;
- a gap between lines of more than a row's spacing gives blank lines (the space reader's blocks);
  the pages run on as one text (a row the page break cut goes on), their margins removed;
- a list's dash that the line breaking left alone on a line is put before its item (`_dashes_joined`);
- running headers and footers (the same text at the same place on most pages, page numbers) are
  left out;
- a word under a link annotation keeps its address (`<a href>`) once the rows are cut.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from statistics import median

from lib.ingest.pdf_layout import Line, Piece
from lib.thai import repair_pdf_text

_DIGITS = re.compile(r"[0-9๐-๙]+")


@dataclass
class Laid:
    lines: list[str]
    pages: list[int]
    advances: dict[str, float]  # a character's width in columns
    links: list[tuple[int, str, str]]  # (line index, a piece's plain text, the same with <a href>)
    hints: dict[int, str] = field(default_factory=dict)  # line index -> "start" / "continue" a row
    asked: list[tuple[int, str]] = field(default_factory=list)  # (page, its first words): joined, unsure
    paragraphs: set[tuple[int, str]] = field(default_factory=set)  # (line index, piece) opening a paragraph
    unsure_rows: list[tuple[int, str]] = field(default_factory=list)  # (page, words): centred cells, row unclear
    # (page, its first words): a full page's next line read as a new row that may go on the cut row
    new_rows_asked: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _dashes_joined(lines: list[tuple[int, list[Piece]]], pitch: float, unit: float) -> list[tuple[int, list[Piece]]]:
    """A list's dash set alone on a line in a running paragraph (the item after it too long to follow
    it there) put before its item: the line above runs to the paragraph's right edge and sits a line
    above, the next line begins where the dash does and opens no item of its own."""
    right: dict[int, float] = {}  # each page's right edge of text
    for page, pieces in lines:
        right[page] = max(right.get(page, 0.0), pieces[-1].x1)
    out: list[tuple[int, list[Piece]]] = []
    for page, pieces in lines:
        if len(out) >= 2 and out[-1][0] == page == out[-2][0] and [p.text for p in out[-1][1]] == ["-"]:
            dash, above = out[-1][1][0], out[-2][1]
            if abs(pieces[0].x0 - dash.x0) <= 0.5 * unit and right[page] - above[-1].x1 <= 3 * unit \
                    and dash.bottom - median(p.bottom for p in above) <= 1.2 * pitch \
                    and not re.match(r"[-•(๐-๙0-9]", pieces[0].text):
                out.pop()
                pieces = [replace(pieces[0], text=f"- {pieces[0].text}", x0=dash.x0)] + pieces[1:]
        out.append((page, pieces))
    return out


def char_advances(samples: dict[str, list[float]]) -> tuple[dict[str, float], float]:
    """Each character's median advance in columns, and the column's width (a typical letter's)."""
    letters = [median(v) for c, v in samples.items() if c.isalpha()]
    unit = median(letters) if letters else 5.0
    out = {c: median(v) / unit for c, v in samples.items()}
    out[" "] = 1.0
    return out, unit


def _furniture(pages: list[list[list[Piece]]]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers and footers: among a page's first or last two lines,
    the same text (digits aside: page numbers) at the same height on at least half the pages."""
    if len(pages) < 2:
        return set()
    seen: dict[tuple[str, int], set[int]] = {}
    where: dict[tuple[int, int], tuple[str, int]] = {}
    for pi, lines in enumerate(pages):
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        for li in edge:
            pieces = lines[li]
            key = (_DIGITS.sub("#", " ".join(p.text for p in pieces)).strip(), round(min(p.top for p in pieces) / 4))
            seen.setdefault(key, set()).add(pi)
            where[(pi, li)] = key
    out = set()
    for at, key in where.items():
        if len(seen[key]) >= max(2, len(pages) / 2):
            out.add(at)
    return out


# x positions (whole points) where the document's cells begin: left edges many lines share
_EDGES: ContextVar[frozenset[int]] = ContextVar("pdf_spaced_edges", default=frozenset())
# (text, x0) of words that begin at such an x where it is no edge: a word of a line near them runs across it
_CROSSED: ContextVar[frozenset[tuple[str, float]]] = ContextVar("pdf_spaced_crossed", default=frozenset())


def _edges(lines: list[tuple[int, list[Piece]]], gap: float) -> frozenset[int]:
    """Left edges at least four of the lines' pieces (cut at the layout's gap) begin at: a narrow
    table's columns, whose cells may come closer than that gap."""
    starts = Counter(round(b[0].x0) for _, pieces in lines for b in _blocks(pieces, gap))
    return frozenset(x for x in starts if sum(starts.get(x + d, 0) for d in (-1, 0, 1)) >= 4)


def _crossed(lines: list[tuple[int, list[Piece]]], edges: frozenset[int], gap: float) -> frozenset[tuple[str, float]]:
    """Words that begin at one of the document's cell edges while, within two lines of theirs on the
    page, a cell beginning where the cell before them on their line begins runs well across that x: the
    edge is another table's (tables differ in their columns), and here the word goes on its cell after
    a wide space."""
    blocks = [[(b[0].x0, max(q.x1 for q in b)) for b in _blocks(pieces, gap)] for _, pieces in lines]
    out = set()
    for k, (page, pieces) in enumerate(lines):
        for n, (x0, _) in enumerate(blocks[k][1:], 1):
            if round(x0) not in edges:
                continue
            before = blocks[k][n - 1][0]
            near = [j for j in range(k - 2, k + 3) if 0 <= j < len(lines) and j != k and lines[j][0] == page]
            if any(abs(a - before) <= gap / 2 and b > x0 + gap / 2 for j in near for a, b in blocks[j]):
                out.update((q.text, round(q.x0, 1)) for q in pieces if q.x0 == x0)
    return frozenset(out)


def _blocks(pieces: list[Piece], gap: float) -> list[list[Piece]]:
    out: list[list[Piece]] = []
    edges, crossed = _EDGES.get(), _CROSSED.get()
    for p in sorted(pieces, key=lambda p: p.x0):
        # a sara am's ink stops at its nikhahit: its sara aa takes up room the box does not show
        right = out[-1][-1].x1 + (0.5 * gap if out and out[-1][-1].text.endswith("\u0e33") else 0) if out else 0
        # wider than a word's space and where other lines' cells begin: a new cell, however near
        at_edge = p.x0 - right > gap / 1.5 and round(p.x0) in edges and (p.text, round(p.x0, 1)) not in crossed
        if out and p.x0 - right <= gap and p.cell == out[-1][-1].cell and not at_edge:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def _overlap(a: list[Piece], b: list[Piece], gap: float) -> bool:
    return any(p.x0 < q.x1 + gap and q.x0 < p.x1 + gap for p in a for q in b)


def _steps(lines: list[tuple[int, list[Piece]]]) -> list[float]:
    """From each line to the next line below it on the page that shares its place across (lines of
    different cells need not share baselines), sorted."""
    steps = []
    for k, (page, pieces) in enumerate(lines):
        base = median(p.bottom for p in pieces)
        for other_page, other in lines[k + 1:k + 6]:
            step = median(p.bottom for p in other) - base
            if other_page == page and step > 0 and _overlap(pieces, other, 0):
                steps.append(step)
                break
    return sorted(steps)


def _pitch(lines: list[tuple[int, list[Piece]]]) -> float | None:
    """Line spacing inside a cell."""
    steps = _steps(lines)
    if not steps:
        return None
    # the smallest common step: most steps may be wider (paragraphs with blank lines between them)
    low = steps[len(steps) // 10]
    return median(s for s in steps if s <= 1.25 * low)


def _paragraph_step(lines: list[tuple[int, list[Piece]]], pitch: float) -> float:
    """A cell's line further below the one above than this opens a paragraph (its spacing). A line
    height of a fraction of a pixel is drawn one pixel taller every few lines: when steps a little
    over the pitch are a quarter as common as those at it or more, they are line spacing too."""
    steps = _steps(lines)
    near = [s for s in steps if pitch + 0.4 < s <= pitch + 1.0]
    at = [s for s in steps if s <= pitch + 0.4]
    return max(near) + 0.4 if near and len(near) >= 0.25 * len(at) else pitch + 0.4


def _merged(lines: list[tuple[int, list[Piece]]], pitch: float, gap: float) -> list[tuple[int, list[Piece]]]:
    """Lines of different cells a little off each other's baseline (a list or another spacing in one
    cell) made one line when their words do not meet: each cell's lines keep their order, and a row's
    cells still begin on one line."""
    out: list[tuple[int, list[Piece], float]] = []
    for page, pieces in lines:
        base = median(p.bottom for p in pieces)
        if out and out[-1][0] == page and base - out[-1][2] < 0.6 * pitch and not _overlap(out[-1][1], pieces, gap):
            out[-1] = (page, sorted(out[-1][1] + pieces, key=lambda p: p.x0), out[-1][2])
        else:
            out.append((page, pieces, base))
    return [(page, pieces) for page, pieces, _ in out]


# Row bands: inside a row every height is covered by its tallest cell's lines (steps of a line pitch,
# a paragraph's spacing a little more); between rows lie both rows' padding. Steps between the two
# leave the band in doubt.
_IN_BAND = 1.25
_BETWEEN_BANDS = 1.45


@dataclass
class _Band:
    lines: list[int]  # indexes of its lines
    cells: list[tuple[float, float, list[Piece]]]  # per cell: its first and last baseline, its words
    doubtful: bool  # a step between its lines is neither a line's nor a row's spacing
    after_header: bool = False  # it follows a table header repeated at the top of its page
    copy_of: _Band | None = None  # a header repeated at the top of a page: the band it repeats

    def centred(self, first: float, last: float, bases: list[float], pitch: float) -> bool:
        return abs(first + last - bases[self.lines[0]] - bases[self.lines[-1]]) <= 0.7 * pitch


def _bands(lines: list[tuple[int, list[Piece]]], bases: list[float], pitch: float, gap: float) -> list[_Band]:
    """The page's lines cut into bands at steps wider than a line's spacing, and each band's cells: its
    words that meet across (a word a little off its line's baseline, another font's, is on that line)."""
    out: list[_Band] = []
    for k in range(len(lines)):
        step = bases[k] - bases[k - 1] if k and lines[k][0] == lines[k - 1][0] else None
        if step is not None and step < _BETWEEN_BANDS * pitch:
            out[-1].lines.append(k)
            out[-1].doubtful |= step >= _IN_BAND * pitch
        else:
            out.append(_Band([k], [], False))
    out = _repeats_split(out, lines, bases, pitch)
    for band in out:
        rows: list[list[int]] = []
        for k in band.lines:
            if rows and bases[k] - bases[rows[-1][0]] < 0.35 * pitch:
                rows[-1].append(k)
            else:
                rows.append([k])
        line_of = {id(p): k for k in band.lines for p in lines[k][1]}
        if not any(len(_blocks([p for k in row for p in lines[k][1]], gap)) > 1 for row in rows):
            continue  # no line of it is cut into cells: text, not a table's row
        # cells' words closer than the layout's gap (labels of a narrow header) are still two cells
        blocks = [b for row in rows for b in _blocks([p for k in row for p in lines[k][1]], 0.6 * gap)]
        spans: list[list] = []  # [x0, x1, words]
        for block in sorted(blocks, key=lambda b: b[0].x0):
            x0, x1 = block[0].x0, max(p.x1 for p in block)
            if spans and x0 < spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], x1)
                spans[-1][2].extend(block)
            else:
                spans.append([x0, x1, list(block)])
        for _, _, words in spans:
            at = [bases[line_of[id(p)]] for p in words]
            band.cells.append((min(at), max(at), words))
    return out


def _repeats_split(bands: list[_Band], lines: list[tuple[int, list[Piece]]], bases: list[float], pitch: float
                   ) -> list[_Band]:
    """A band at the top of a page whose first lines hold the very words of a band above (a table header
    repeated on each page; its first line or two may have gone as the page's running header) cut after
    them, the repeat marked as a copy of that band: the rest of a row the page break cut follows the
    repeat closer than rows follow a header (no padding above it), and would make one band of the two."""
    def words(ks) -> tuple[str, ...]:
        return tuple(sorted(p.text for k in ks for p in lines[k][1]))
    seen: dict[tuple[str, ...], _Band] = {}  # a band's words (less its first line or two): the band
    out: list[_Band] = []
    for band in bands:
        k0 = band.lines[0]
        cut = next((n for n in range(1, len(band.lines)) if (k0 == 0 or lines[k0 - 1][0] != lines[k0][0])
                    and words(band.lines[:n]) in seen), None)
        for j in range(min(3, len(band.lines) - 1)):
            seen.setdefault(words(band.lines[j:]), band)
        if cut is None:
            out.append(band)
            continue
        head, rest = band.lines[:cut], band.lines[cut:]
        out.append(_Band(head, [], False, copy_of=seen[words(head)]))
        doubtful = any(bases[b] - bases[a] >= _IN_BAND * pitch for a, b in zip(rest, rest[1:], strict=False))
        out.append(_Band(rest, [], doubtful, after_header=True))
    return out


def _as_its_original(band: _Band, shifts: dict[int, float], cell_of: dict[int, int], odd: list[_Band]) -> None:
    """A header repeated at a page's top moved as the header it repeats was (the same words at the same
    places across; a line or two of it may be missing): each word as its original's."""
    original = band.copy_of
    if original in odd:
        odd.append(band)
        return
    place = {(p.text, round(p.x0)): p for _, _, words in original.cells for p in words}
    n = len(cell_of)
    for _, _, words in band.cells:
        for p in words:
            twin = place.get((p.text, round(p.x0)))
            if twin is None:
                odd.append(band)  # not the same header after all: judged as any row would be, in doubt
                return
            if id(twin) in shifts:
                shifts[id(p)] = shifts[id(twin)]
            if id(twin) in cell_of:
                cell_of[id(p)] = n + cell_of[id(twin)]


def _top_aligned(lines: list[tuple[int, list[Piece]]], pitch: float, gap: float
                 ) -> tuple[list[tuple[int, list[Piece]]], list[tuple[int, str]], set[int]]:
    """Cells centred vertically in their rows moved up to their row's first line, as a top-aligned table
    draws them (the space reader's rows begin where a row's cells all begin). A row is a band of lines
    between gaps wider than a line's spacing; a cell is moved only when it sits in its band's middle,
    and only when most rows' shorter cells do (the rendering centres them). A row the page break cut is
    drawn top-aligned and stays as it is. Once the cells are centred, a row whose band is in doubt is
    not guessed: (page, words) of each is returned (a step in doubt inside it; a cell neither at its
    top nor in its middle, or a shorter one at its top; a cut row whose next page fills a column left
    of the last line's cells), with the ids of the words of lines that surely
    start a row (after a page that ends with a whole row of centred cells)."""
    bases = [median(p.bottom for p in pieces) for _, pieces in lines]
    bands = [b for b in _bands(lines, bases, pitch, gap) if len(b.cells) >= 2]
    shifts: dict[int, float] = {}  # id of a word -> how far up it moves
    cell_of: dict[int, int] = {}  # id of a word -> its cell, in a band whose cells move
    odd: list[_Band] = []
    cut: list[_Band] = []
    row_after_break: set[int] = set()  # ids of the words of a line that surely starts a row
    for band in bands:
        if band.copy_of is not None:
            _as_its_original(band, shifts, cell_of, odd)
            continue
        top, bottom = bases[band.lines[0]], bases[band.lines[-1]]
        shorter = [(first, last) for first, last, _ in band.cells if last - first < bottom - top - 0.3 * pitch]
        moved = False
        at_page_break = (band.after_header or band.lines[0] == 0 or lines[band.lines[0] - 1][0] != lines[band.lines[0]][0]
                         or band.lines[-1] + 1 == len(lines) or lines[band.lines[-1] + 1][0] != lines[band.lines[-1]][0])
        if at_page_break and all(first - top < 0.3 * pitch for first, _, _ in band.cells):
            cut.append(band)
            continue  # a row the page break cut is drawn top-aligned: its parts are joined as such
        for first, last, words in band.cells:
            if first - top < 0.3 * pitch:
                if (first, last) in shorter and not band.centred(first, last, bases, pitch):
                    odd.append(band)  # a shorter cell at the top of a row of centred cells: rows unclear
                continue
            if not band.centred(first, last, bases, pitch):
                odd.append(band)  # neither at the top nor in the middle: two rows in one band, or cut
                continue
            moved = True
            shifts.update((id(p), first - top) for p in words)
        k = band.lines[-1]
        if moved and band not in odd and k + 1 < len(lines) and lines[k + 1][0] != lines[k][0]:
            # a row of centred cells whole at the foot of its page: the break fell between rows
            row_after_break.update(id(p) for p in lines[k + 1][1])
        if moved:  # cells moved onto one line stay apart however close their words come
            n = len(cell_of)
            cell_of.update((id(p), n + c) for c, (_, _, words) in enumerate(band.cells) for p in words)
    # centring is the rendering's, not one row's: a top-aligned table's cell may begin a line down
    # and happen to sit in its row's middle; most rows' shorter cells must be in the middle
    # (rows a page break cut are drawn top-aligned whatever the cells' alignment: not counted)
    whole = [band for band in bands if band not in cut and band.copy_of is None]
    centred = sum(1 for band in whole for first, last, _ in band.cells
                  if first - bases[band.lines[0]] >= 0.3 * pitch and band.centred(first, last, bases, pitch))
    topped = sum(1 for band in whole for first, last, _ in band.cells
                 if first - bases[band.lines[0]] < 0.3 * pitch and last < bases[band.lines[-1]] - 0.3 * pitch)
    if not shifts or centred < 3 or centred < 3 * topped:
        return lines, [], set()
    unsure = {band.lines[0] for band in odd}
    unsure.update(band.lines[0] for band in bands if band.doubtful)
    # a row cut by the page break whose next part fills a column left of all the last line's cells: read
    # as top-aligned that starts a new row, but a centred table's first cell may well go on there
    # (under the header repeated at the next page's top, if any)
    after_cut = {band.lines[0] for band in cut}
    repeats = {band.lines[0]: band.lines[-1] + 1 for band in bands if band.copy_of is not None}
    for band in cut:
        k = band.lines[-1]
        j = repeats.get(k + 1, k + 1)
        if j in after_cut and lines[j][0] != lines[k][0] and lines[j][1][0].x0 < lines[k][1][0].x0 - gap:
            unsure.add(j)
    named = [(lines[k][0], " ".join(p.text for p in lines[k][1])[:40]) for k in sorted(unsure) if k < len(lines)]
    out: dict[tuple[int, float], list[Piece]] = {}
    starts: set[int] = set()
    for k, (page, pieces) in enumerate(lines):
        for p in pieces:
            s = shifts.get(id(p), 0.0)
            q = replace(p, top=p.top - s, bottom=p.bottom - s, cell=cell_of.get(id(p)))
            out.setdefault((page, round(bases[k] - s, 1)), []).append(q)
            if id(p) in row_after_break:
                starts.add(id(q))
    # a cell's lines moved up keep their own spacing: lines of a moved row that now nearly meet are one
    # line (their cells stay apart), as are other lines whose words do not meet (as `_merged` does)
    joined: list[tuple[int, float, list[Piece]]] = []
    for (page, base), pieces in sorted(out.items()):
        if joined and joined[-1][0] == page and base - joined[-1][1] < 0.3 * pitch and (
                all(p.cell is not None for p in joined[-1][2] + pieces) or not _overlap(joined[-1][2], pieces, gap)):
            joined[-1][2].extend(pieces)
        else:
            joined.append((page, base, pieces))
    return [(page, sorted(pieces, key=lambda p: p.x0)) for page, _, pieces in joined], named, starts




# marks a cell that goes on over a page break; taken out again once the rows are cut
RUNS_ON = "\u200b"


def _repeated_headers(lines: list[tuple[int, list[Piece]]], bases: list[float], bottom: float, pitch: float,
                      render) -> tuple[set[int], set[int], set[int]]:
    """Indexes of the lines of a table header repeated at the top of a page (a Word or HTML header row
    printed on each page: drawn line for line as the header above, so its columns are the same), of
    the lines under such a repeat that surely start a new row (as far below it as the first row was
    below the header), and of the first lines of other headers at the top of a page (a new table's)."""
    from lib.ingest.spaced import header_at

    texts = [render(pieces) for _, pieces in lines]
    squashed = [re.sub(r"\s+", "", t) for t in texts]
    out: set[int] = set()
    new_rows: set[int] = set()
    tables_at_top: set[int] = set()
    last = None  # (the cells of the last header above, where it starts, its number of lines)
    k = 0
    while k < len(lines):
        # a header begins a page or follows a gap (a table's first lines end no table above)
        begins = k == 0 or lines[k][0] != lines[k - 1][0] or bases[k] - bases[k - 1] >= 1.3 * pitch
        found = header_at(texts, k) if begins and len(texts[k].split("  ")) > 1 else None
        if found is None:
            k += 1
            continue
        cells = [re.sub(r"\s+", "", c) for c in found[1]]
        top = k > 0 and lines[k][0] != lines[k - 1][0]
        if top and last and cells == last[0]:
            # the repeat is drawn line for line as the header was (its labels wrap the same way)
            # only the header's own lines: a first row may open with the same words as the one
            # under the header above (004's rows "การปรับปรุง… - จัดทำมาตรการส่ง… สำนักปลัด…")
            n = 0
            while k + n < len(lines) and n < last[2] and squashed[k + n] == squashed[last[1] + n]:
                n += 1
            out.update(range(k, k + n))
            h = last[1] + n  # the first row under the header where it was first drawn: a new row
            if n and k + n < len(lines) and h < len(lines) and lines[h][0] == lines[h - 1][0] \
                    and bases[k + n] - bases[k + n - 1] >= bases[h] - bases[h - 1] - 0.1 * pitch:
                new_rows.add(k + n)  # spaced from the header as a new row is: the page break fell between rows
            k += max(n, 1)
            continue
        if top:
            tables_at_top.add(k)
        # the header's lines: those header_at needed and any more a line apart (a label wrapped
        # further); its first row sits further down, by the cells' padding
        end = found[2]
        while end < len(lines) and lines[end][0] == lines[k][0] and bases[end] - bases[end - 1] < 1.3 * pitch:
            end += 1
        last = (cells, k, end - k)
        k = found[2]
    return out, new_rows, tables_at_top


def _cut_cell_marks(lines: list[tuple[int, list[Piece]]], bases: list[float], bottom: float, pitch: float,
                    gap: float, new_rows: set[int], unsure: list[int], goes_on: set[int]) -> dict[int, list[Piece]]:
    """A page that ends full ends inside a row the break cut, and each of its cells goes on at the top
    of the next page; a cell may push its next line over the page while another still fits one. The
    space reader starts a row where a line fills a cell the line above left empty (a row's cells all
    begin on its first line), so the page's last line gets a mark in each cell the next page's first
    line fills and it does not: {index of the page's last line: its marks}. A full page's next line
    that starts a row by its cells alone goes into `unsure` (the reader asks); one that leaves empty
    columns the cut row filled (`_short_of_the_cut_row`) goes into `goes_on` (the row goes on there)."""
    out = {}
    for k in range(1, len(lines)):
        if lines[k][0] == lines[k - 1][0] or bottom - bases[k - 1] > 2 * pitch or k in new_rows:
            continue
        last = lines[k - 1][1]
        blocks = _blocks(lines[k][1], gap)
        full = bottom - bases[k - 1] <= 0.5 * pitch
        if blocks[0][0].x0 < last[0].x0 - gap and not full:
            # the next page fills a column left of every cell the last line has: a new row, unless the
            # page ended full (a cut row's first cell may go on there: joined, and the reader asks)
            continue
        marks = [Piece(RUNS_ON, b[0].x0, b[0].x0, b[0].top, b[0].bottom) for b in blocks if not _overlap(last, b, gap)]
        if marks and len(marks) < len(blocks):
            out[k - 1] = marks
        elif marks and full and _short_of_the_cut_row(lines, k, bases, pitch, gap):
            out[k - 1] = marks
            goes_on.add(k)
        elif full and blocks[0][0].x0 < last[0].x0 - gap and len(blocks) > 1:
            unsure.append(k)  # read as a new row; it may be the rest of the row the break cut
    return out


def _short_of_the_cut_row(lines: list[tuple[int, list[Piece]]], k: int, bases: list[float], pitch: float,
                          gap: float) -> bool:
    """Does line k, the first of a page after a full one, leave empty two columns or more of those the
    row the break cut filled, all its cells being in that row's columns? A new row's cells all begin on
    its first line, and in these tables every row fills the same columns; the rest of a cut row fills
    only the cells that had more to say. The cut row begins at the last line of the page before that
    fills the first column under a line that does not, or under a gap wider than a line's."""
    page, left = lines[k - 1][0], min(p.x0 for _, pieces in lines[max(0, k - 40):k] for p in pieces)
    first = None
    for j in range(k - 1, -1, -1):
        if lines[j][0] != page:
            break
        opens = lines[j][1][0].x0 - left <= gap
        above = lines[j - 1][1] if j and lines[j - 1][0] == page else None
        if opens and (above is None or above[0].x0 - left > gap or bases[j] - bases[j - 1] >= 1.25 * pitch):
            first = j
            break
    if first is None:
        return False
    columns: list[float] = []  # where the cut row's cells begin (a cell may begin a line down)
    for x in sorted(b[0].x0 for j in range(first, k) for b in _blocks(lines[j][1], gap)):
        if not columns or x - columns[-1] > gap:
            columns.append(x)
    here = [b[0].x0 for b in _blocks(lines[k][1], gap)]
    homes = {min(range(len(columns)), key=lambda c: abs(columns[c] - x)) for x in here}
    return len(columns) >= 3 and all(min(abs(c - x) for c in columns) <= gap for x in here) \
        and len(homes) == len(here) and len(here) < len(columns) - 1


def _unsure_joins(laid: Laid, marked: dict[int, list[Piece]], left: float, unit: float) -> None:
    """A row joined over a page break where both lines have first-column text: the rest of a cut row,
    or a new row that began at the top of the page? Read as the rest; the reader asks."""
    for index, pieces in marked.items():
        if laid.lines[index] == laid.lines[index].replace(RUNS_ON, "") or index + 1 >= len(laid.lines):
            continue
        below = laid.lines[index + 1]
        if pieces[0].x0 - left <= 3 * unit and below[:3].strip():
            laid.asked.append((laid.pages[index + 1], " ".join(below.split())[:50]))


def lay_out(lines: list[list[Piece]], pages: list[int], samples: dict[str, list[float]]) -> Laid | None:
    """The lines (each the words it was made from, and its page) as space-aligned text."""
    token, crossed = _EDGES.set(frozenset()), _CROSSED.set(frozenset())
    try:
        return _lay_out(lines, pages, samples)
    finally:
        _EDGES.reset(token)
        _CROSSED.reset(crossed)


def _lay_out(lines: list[list[Piece]], pages: list[int], samples: dict[str, list[float]]) -> Laid | None:
    advances, unit = char_advances(samples)
    by_page: dict[int, list[list[Piece]]] = {}
    for pieces, page in zip(lines, pages, strict=True):
        if pieces:
            by_page.setdefault(page, []).append(sorted(pieces, key=lambda p: p.x0))
    if not by_page:
        return None
    numbers = sorted(by_page)
    furniture = _furniture([by_page[n] for n in numbers])
    kept = [(n, pieces) for pi, n in enumerate(numbers) for li, pieces in enumerate(by_page[n])
            if (pi, li) not in furniture]
    if not kept:
        return None
    gap = 1.5 * unit
    kept.sort(key=lambda k: (k[0], median(p.bottom for p in k[1])))
    pitch = _pitch(kept) or 1.3 * unit
    kept = _dashes_joined(kept, pitch, unit)
    _EDGES.set(_edges(kept, gap))
    _CROSSED.set(_crossed(kept, _EDGES.get(), gap))
    kept, unsure_rows, row_starts = _top_aligned(kept, pitch, gap)
    kept = _merged(kept, pitch, gap)
    paragraph_step = _paragraph_step(kept, pitch)
    bases = [median(p.bottom for p in pieces) for _, pieces in kept]
    bottom = max(bases)
    left = min(p.x0 for _, pieces in kept for p in pieces)
    out = Laid([], [], advances, [], unsure_rows=unsure_rows)

    def width(text: str) -> float:
        # every character gets a width here, so the space reader counts exactly as this layout did
        for c in text:
            if c not in advances:
                advances[c] = 0.0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1.0
        return sum(advances[c] for c in text)

    def render(pieces: list[Piece], index: int | None) -> str:
        line, at = "", 0.0
        for block in _blocks(pieces, gap):
            text = "".join(p.text for p in block) if all(p.text == RUNS_ON for p in block) \
                else html.escape(repair_pdf_text(" ".join(p.text for p in block)), quote=False)
            n = round((block[0].x0 - left) / unit - at)
            n = max(n, 2) if line else max(n, 0)
            line += " " * n + text
            at += n + width(text)
            if index is not None and any(p.link for p in block):
                out.links.append((index, text, repair_pdf_text(Line(block).markup)))
        return line

    repeated, new_rows, tables_at_top = _repeated_headers(kept, bases, bottom, pitch,
                                                          lambda pieces: render(pieces, None))
    if repeated:
        new_rows = {k - sum(1 for r in repeated if r < k) for k in new_rows}
        tables_at_top = {k - sum(1 for r in repeated if r < k) for k in tables_at_top}
        kept = [line for k, line in enumerate(kept) if k not in repeated]
        bases = [b for k, b in enumerate(bases) if k not in repeated]
    new_rows |= {k for k, (_, pieces) in enumerate(kept) if any(id(p) in row_starts for p in pieces)}
    page_tops: list[int] = []
    goes_on: set[int] = set()
    marks = _cut_cell_marks(kept, bases, bottom, pitch, gap, new_rows | tables_at_top, page_tops, goes_on)
    continued: list[int] = []  # out line indexes of lines that surely go on the row above

    marked: dict[int, list[Piece]] = {}
    drawn: dict[int, list[Piece]] = {}  # out line index -> the words it was drawn from
    recent: list[tuple[int, float, float, float]] = []  # the last blocks: (page, x0, x1, baseline)
    # (line index, step from the line above, first column filled there, and above, cells there and above)
    steps: list[tuple[int, float, bool, bool, int]] = []
    for k, ((page, pieces), base) in enumerate(zip(kept, bases, strict=True)):
        if k and kept[k - 1][0] == page and int((base - bases[k - 1]) / pitch - 0.75) <= 0:
            above = kept[k - 1][1]
            steps.append((len(out.lines), base - bases[k - 1], pieces[0].x0 - left <= 3 * unit,
                          above[0].x0 - left <= 3 * unit, len(_blocks(pieces, gap)) + len(_blocks(above, gap))))
        if k:
            before, last = kept[k - 1][0], bases[k - 1]
            if before == page:
                blanks = int((base - last) / pitch - 0.75) if base > last else 0
            else:
                # pages run on (a row the page break cut goes on); a page that ended with room to
                # spare ended where a row or a table did: one blank line (a row starts)
                # a page that opens with a table's header ended the table above (its last row's lines
                # are no part of the header)
                blanks = 1 if bottom - last > 2 * pitch or k in tables_at_top else 0
            for _ in range(min(blanks, 3)):
                out.lines.append("")
                out.pages.append(page)
        if k in marks:
            marked[len(out.lines)] = sorted(pieces + marks[k], key=lambda p: p.x0)
        if k in page_tops:
            out.new_rows_asked.append((page, " ".join(p.text for p in pieces)[:50]))
        for block in _blocks(pieces, gap):
            # a cell's line a little further below the one above it than its line pitch: paragraph spacing
            b = median(p.bottom for p in block)
            above = next((a for a in reversed(recent) if a[0] == page and a[1] < block[-1].x1 and block[0].x0 < a[2]
                          and a[3] < b), None)
            if above and paragraph_step < b - above[3] < 1.2 * pitch:
                out.paragraphs.add((len(out.lines), html.escape(repair_pdf_text(" ".join(p.text for p in block)),
                                                                 quote=False)))
            recent.append((page, block[0].x0, block[-1].x1, b))
        del recent[:-40]
        if k in goes_on:
            continued.append(len(out.lines))
        drawn[len(out.lines)] = pieces
        out.lines.append(render(pieces, len(out.lines)))
        out.pages.append(page)
    # a header's labels are no row's lines (centred ones would look like rows starting)
    heads = _headers_to_columns(out, drawn, unit, gap, lambda pieces: render(pieces, None))
    out.hints = _row_hints([s for s in steps if s[0] not in heads], pitch)
    out.hints.update((index, "continue") for index in continued)
    from lib.ingest.spaced import header_at

    for index, pieces in marked.items():
        # a header the page break cut, or one that starts the next page, is no row's: no marks; a row whose
        # rest leaves the row's columns empty goes on however near its header is (004's OIT table: the
        # page ends a row under its header) unless the header's own lines reach the page's end
        near = range(max(0, index - 4), min(index + 2, len(out.lines)))
        if index + 1 in continued:
            near = [j for j in near if j > index or (found := header_at(out.lines, j)) and found[2] >= index - 1]
        if not any(header_at(out.lines, j) for j in near):
            out.lines[index] = render(pieces, None)
    _unsure_joins(out, marked, left, unit)
    return out


def _column_spans(lines: list[list[Piece]], gap: float) -> list[tuple[float, float]]:
    """The x ranges a table's body text covers between its gutters: each x covered by the cells (cut at
    the layout's gap) of at least two lines that have two cells or more (a paragraph, a title or one
    stray line across a gutter does not close it)."""
    spans = sorted((b[0].x0, max(p.x1 for p in b)) for pieces in lines
                   if len(blocks := _blocks(pieces, gap)) >= 2 for b in blocks)
    edges = sorted([(x0, 1) for x0, _ in spans] + [(x1, -1) for _, x1 in spans])
    out: list[tuple[float, float]] = []
    depth, opened = 0, 0.0
    for x, d in edges:
        if depth < 2 <= depth + d:
            opened = x
        elif depth >= 2 > depth + d and x > opened:
            if out and opened - out[-1][1] < gap:
                out[-1] = (out[-1][0], x)
            else:
                out.append((opened, x))
        depth += d
    return _widened_left(out, spans, gap)


def _widened_left(out: list[tuple[float, float]], cells: list[tuple[float, float]], gap: float
                  ) -> list[tuple[float, float]]:
    """Each column's left edge moved out to the leftmost cell that begins in the gutter before it and
    runs into it: a column's lines mostly begin further in (a list's indent) while one paragraph begins
    at the column's true edge, which a label centred over the column is centred on."""
    widened = []
    for c, (lo, hi) in enumerate(out):
        floor = out[c - 1][1] + gap if c else float("-inf")
        starts = [x0 for x0, x1 in cells if floor < x0 < lo and x1 > lo]
        widened.append((min([lo, *starts]), hi))
    return widened


def _headers_to_columns(laid: Laid, drawn: dict[int, list[Piece]], unit: float, gap: float, render) -> set[int]:
    """A header whose labels are centred over their columns (<th>, text-align: center) redrawn with each
    label at the left edge of the body column it stands over, as the space reader places cells by the
    header's positions. The columns are the body's (its text between gutters, `_column_spans`); a label
    is moved only when it stands over one column alone, clear of the columns beside it, where no line
    of the header has two labels (a column the body's text does not part); a label over no body text
    (an empty column) or over several columns (a group's label) stays where it is; a header line with a
    label whose column is not clear is left as drawn (the reader then judges it as before). Returns the
    indexes of the headers' lines."""
    from lib.ingest.spaced import header_at

    heads = [k for k in range(len(laid.lines)) if k in drawn and header_at(laid.lines, k)]
    lines: set[int] = set()
    for n, k in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(laid.lines)
        head_end = header_at(laid.lines, k)[2]
        lines.update(range(k, head_end))
        spans = _column_spans([drawn[j] for j in _table_lines(laid.lines, head_end, end) if j in drawn], gap)
        if len(spans) < 3:
            continue
        # the header's lines run on to a blank line or to the first row's line: every cell of it at its
        # column's edge, the first column's among them
        header = [k]
        for j in range(k + 1, min(k + 6, end)):
            blocks = _blocks(drawn[j], gap) if j in drawn else []
            if not blocks or (abs(blocks[0][0].x0 - spans[0][0]) <= unit / 2 and all(
                    any(abs(b[0].x0 - lo) <= unit / 2 for lo, _ in spans) for b in blocks)):
                break
            header.append(j)
        lines.update(header)
        shared = {c for j in header for c in range(len(spans))
                  if sum(1 for b in _blocks(drawn[j], gap) if _over(b, spans[c])) > 1}
        for j in header:
            moved = _labels_moved(drawn[j], spans, shared, unit, gap)
            if moved is not None:
                laid.lines[j] = render(moved)
    return lines


def _over(block: list[Piece], span: tuple[float, float]) -> bool:
    return block[0].x0 < span[1] and span[0] < max(p.x1 for p in block)


def _table_lines(lines: list[str], start: int, end: int) -> range:
    """The lines from `start` up to the table's end as the space reader ends it: two blank lines in a
    row, or a plan's totals row (รวม...), or `end` (the next header)."""
    k = start
    while k < end:
        if not lines[k].strip() and k + 1 < end and not lines[k + 1].strip():
            break
        k += 1
        if lines[k - 1].strip().startswith("รวม"):
            break
    return range(start, k)


def _labels_moved(pieces: list[Piece], spans: list[tuple[float, float]], shared: set[int], unit: float,
                  gap: float) -> list[Piece] | None:
    """The line's words with each label that starts inside the column it stands over moved to that
    column's left edge, or None when nothing moves or a label's column is not clear."""
    out: list[Piece] = []
    used: set[int] = set()
    moves = False
    for block in _blocks(pieces, gap):
        x0, x1 = block[0].x0, max(p.x1 for p in block)
        over = [c for c, span in enumerate(spans) if _over(block, span)]
        if len(over) != 1:
            # a column no row has text in (a quarter without ticks, หมายเหตุ), or a label over several
            # (ดำเนินการ over the quarters, whose own labels are on the line below): where it is
            out.extend(block)
            continue
        c = over[0]
        clear = (c == 0 or x0 > spans[c - 1][1] + unit / 2) and (c + 1 == len(spans) or x1 < spans[c + 1][0] - unit / 2)
        if not clear or c in used or c in shared:
            return None
        used.add(c)
        shift = x0 - spans[c][0]
        if shift > unit / 2:  # a label reaching left of its column's text (wider than it) already leads it
            moves = True
            out.extend(replace(p, x0=p.x0 - shift, x1=p.x1 - shift) for p in block)
        else:
            out.extend(block)
    return out if moves else None


def _row_hints(steps: list[tuple[int, float, bool, bool, int]], pitch: float) -> dict[int, str]:
    """When the document spaces its rows apart (cell padding), a line with first-column text starts a
    row where it is spaced as rows are, and continues one where it follows as a cell's lines do. The
    spacing is trusted only when it separates the lines that surely start a row (first-column text
    under a line without any) from those that surely continue one (no first-column text): every sure
    start spaced wider than nearly every sure continuation (paragraph spacing inside cells included)."""
    starts, goes_on = [], []
    for _, step, first, before, cells in steps:
        if cells < 3:
            continue  # one line or the other is not a table's (a paragraph, a title)
        if first and not before and step >= 0.75 * pitch:  # less is no line step (a line's tall marks)
            starts.append(step)
        elif not first:
            goes_on.append(step)
    if len(starts) < 3 or len(goes_on) < 5:
        return {}
    goes_on.sort()
    row_gap, line_gap = min(starts), goes_on[int(0.97 * (len(goes_on) - 1))]
    if row_gap < 1.25 * pitch or row_gap - line_gap < 0.08 * pitch:
        return {}
    return {index: "start" if step >= row_gap - 0.02 * pitch else "continue"
            for index, step, first, _, _ in steps if first and (step >= row_gap - 0.02 * pitch or step <= line_gap)}


def with_links(laid: Laid, tab_text: str) -> list[str]:
    """The space reader's rows (one per line, a row on its first line) with each linked piece's
    address put back: the piece's text in the row that holds its line becomes its `<a href>` markup."""
    rows = tab_text.split("\n")
    for index, plain, marked in laid.links:
        row = next((k for k in range(index, -1, -1) if rows[k].strip()), None)
        if row is None:
            continue
        # the first copy outside a link put back already (an address broken over two lines: the second
        # piece is inside the first piece's address too)
        linked = [m.span() for m in _LINKED.finditer(rows[row])]
        at = rows[row].find(plain)
        while at >= 0 and any(a <= at < b for a, b in linked):
            at = rows[row].find(plain, at + 1)
        if at >= 0:
            rows[row] = rows[row][:at] + marked + rows[row][at + len(plain):]
    return rows


_LINKED = re.compile(r"<a\s[^>]*>.*?</a>", re.S)

