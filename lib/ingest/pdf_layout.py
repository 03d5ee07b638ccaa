"""Words with positions (a PDF's text layer or OCR) rebuilt into the lines the layout readers know.

The readers take text where each table row is one tab-separated line and a cell with several
paragraphs is written `<p>..</p><p>..</p>` (the shape of the seeds and of lib/ingest/docx.py).
A page gives words (pieces) with their boxes and the ruling lines drawn on it:
- a table is found from its rules: horizontal rules cut rows, vertical rules cut cells; the
  columns of a table are every vertical rule seen in it, so a cell spanning several columns gives
  its text to the first and empty cells to the others (a Word gridSpan), and a cell with no rule
  above it continues the cell above (a vertical merge);
- a row the page break cut (its rules stop at the page's edge) is put back together with its
  first part on the page before;
- a cell's lines are joined into paragraphs: a new paragraph where the spacing widens, a list
  marker starts the line, or the line before stopped short though the next word would have fitted;
- everything else becomes plain lines, in reading order.
Coordinates are top-down (y grows down the page), in any unit as long as a page uses one.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from statistics import median

_LIST_START = re.compile(r"^(?:[๐-๙0-9]{1,2}\s*[.)](?![๐-๙0-9])|\(\s*[๐-๙0-9]{1,2}\s*\)|[•●○▪➢✓])")
_DASHES = re.compile(r"-+")
_HYPHENATED = re.compile(r"[A-Za-z0-9]-$")
_BROKEN_TOKEN = re.compile(r"(?:https?://|www\.)[^\s<>]*$|(?<![^\s>])[0-9๐-๙][0-9๐-๙,.]*$")
# a web address at the end of a text (or the rest of one: "bongti.go.th/" after a page break)
_ADDRESS_END = re.compile(r"(?:https?://|www\.|(?<![^\s>])[A-Za-z0-9-]+\.[A-Za-z]{2,}\b)[^\s<>]*$")
_ADDRESS_GOES_ON = re.compile(r"[0-9A-Za-z๐-๙/._%#?=&-]")
# a piece of an address the line ends with, cut at one of its break characters ("๔BNHthsA/")
_ADDRESS_PART = re.compile(r"(?<![^\s>])[0-9A-Za-z๐-๙/._%#?=&-]*[A-Za-z][0-9A-Za-z๐-๙/._%#?=&-]*[/.?&=_-]$")
_THAI_DIGITS_AT_END = re.compile(r"/$|[๐-๙][^\s<>]*$")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


@dataclass
class Piece:
    """A word (no spaces inside) and its box; conf is OCR's confidence (0-100), None for a text layer."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float | None = None
    link: str | None = None  # the web address a link annotation over the word points to
    cell: int | None = None  # the table cell its row band put it in (lib.ingest.pdf_spaced), when told
    space_after: bool = False  # the text layer has a space after it (LibreOffice keeps a wrapped line's)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    pieces: list[Piece]
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vrules: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)
    spaces: bool = False  # the text layer keeps the space each wrapped line was broken at
    turned: int = 0  # a scan read turned by this many degrees clockwise (fed sideways or upside down)


@dataclass
class Line:
    pieces: list[Piece]

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def base(self) -> float:
        return median(p.bottom for p in self.pieces)

    @property
    def text(self) -> str:
        return " ".join(p.text for p in sorted(self.pieces, key=lambda p: p.x0))

    @property
    def markup(self) -> str:
        """The text as a cell's markup: escaped, words under a link as `<a href>` (as the seeds write it)."""
        out: list[str] = []
        pieces = sorted(self.pieces, key=lambda p: p.x0)
        for i, p in enumerate(pieces):
            word = html.escape(p.text, quote=False)
            if p.link and (i == 0 or pieces[i - 1].link != p.link):
                word = f'<a href="{html.escape(p.link)}">{word}'
            if p.link and (i + 1 == len(pieces) or pieces[i + 1].link != p.link):
                word += "</a>"
            out.append(word)
        return " ".join(out)


@dataclass
class OutLine:
    """One line of the rebuilt text and the pieces it was made from (for OCR confidence)."""

    text: str
    pieces: list[Piece]
    continues: bool = False  # a table row the page break cut: it goes on the row before
    cells: list[list[Piece]] | None = None  # a table row: each cell's words and its left and right edge
    edges: list[tuple[float, float]] | None = None


def merge_rows(above: str, below: str, cut: list[bool] | None = None, glued: list[bool] | None = None) -> str:
    """A table row cut by a page break, put back together cell by cell: the text of a cell that was
    cut runs on (every cell, unless `cut` says which); another cell's text below is a new paragraph.
    `glued`: the cells whose last line above ends with no space where the text layer keeps them."""
    a, b = above.split("\t"), below.split("\t")
    if len(a) != len(b):
        return None
    out = []
    for c, (x, y) in enumerate(zip(a, b, strict=True)):
        if not x or not y:
            out.append(x or y)
            continue
        px = re.findall(r"<p>(.*?)</p>", x) or [x]
        py = re.findall(r"<p>(.*?)</p>", y) or [y]
        runs_on = cut is None or cut[c]
        on = _join(px[-1], py[0], glued=bool(glued and glued[c]))
        joined = px[:-1] + ([on] + py[1:] if runs_on else [px[-1]] + py)
        out.append(joined[0] if len(joined) == 1 else "".join(f"<p>{p}</p>" for p in joined))
    return "\t".join(out)


def group_lines(pieces: list[Piece]) -> list[Line]:
    """Pieces into lines: a piece joins the line whose vertical middle band it shares."""
    if not pieces:
        return []
    height = median(p.bottom - p.top for p in pieces) or 1.0
    lines: list[Line] = []
    for p in sorted(pieces, key=lambda p: (p.bottom, p.x0)):
        if lines and abs(p.bottom - lines[-1].pieces[-1].bottom) <= 0.45 * height:
            lines[-1].pieces.append(p)
        elif lines and abs(p.cy - (lines[-1].top + lines[-1].bottom) / 2) <= 0.3 * height:
            lines[-1].pieces.append(p)
        else:
            lines.append(Line([p]))
    for line in lines:
        line.pieces.sort(key=lambda p: p.x0)
    return lines


def _goes_on(a: str, b: str) -> bool:
    """`b` can be the rest of the address or number `a` ends with (a Thai digit only after a "/" or
    where the address already holds one: "e/๑FAIp", "Xf" "๘p๖Af")."""
    return _ADDRESS_GOES_ON.match(b) is not None and (not _THAI.match(b[0]) or _THAI_DIGITS_AT_END.search(a) is not None)


def _join(a: str, b: str, space: bool = False, glued: bool = False) -> str:
    # Lines wrapped inside a Thai sentence break between words that are written without a space,
    # unless the text layer keeps the space the line was broken at (`space`)
    if a and b and _THAI.match(a[-1]) and _THAI.match(b[0]) and not space:
        return a + b
    # a web address or a number broken where no space was (`glued`: the text layer keeps the spaces
    # lines were broken at, there was none, and the line was full): LibreOffice breaks a word too
    # long for its cell anywhere ("20,00" "0.00"); any other line end without a space may end a
    # paragraph (a Word paragraph mark is no space)
    if glued and (_BROKEN_TOKEN.search(a) or _ADDRESS_PART.search(a)) and _goes_on(a, b):
        return a + b
    # an address broken after its "/" (or . ? & = _ -), as Writer and browsers break one too long for
    # the line, also where a page break cut its row: no text puts a space there
    if a[-1:] in ("/", ".", "?", "&", "=", "_", "-") and _ADDRESS_END.search(a) and _goes_on(a, b) and not space:
        return a + b
    if _DASHES.fullmatch(a) and _DASHES.fullmatch(b):  # a separator row of dashes, wrapped
        return a + b
    if _HYPHENATED.search(a) and b[:1].isalnum():  # "E-" / "Service": broken after a word's hyphen
        return a + b
    return f"{a} {b}" if a else b


def _first_word_width(line: Line) -> float:
    """Width of what the line breaker would have had to fit on the line before: the first word
    (Thai is cut into words by the dictionary, its width estimated by its share of letters)."""
    from pythainlp.tokenize import word_tokenize

    first = line.pieces[0]
    if len(first.text) <= 2 and not _THAI.search(first.text) and len(line.pieces) > 1:
        return (line.pieces[1].x0 - first.x0) + _first_word_width(Line(line.pieces[1:]))
    if not _THAI.search(first.text):
        return first.x1 - first.x0
    words = word_tokenize(first.text, keep_whitespace=False) or [first.text]
    # no line break next to "." "," ")" and the like (UAX #14): "ต.หนองแขวง" breaks as one unit
    head = words[0]
    for w in words[1:]:
        if _THAI.search(head[-1]) and _THAI.search(w[0]):
            break
        head += w
    words[0] = head

    def letters(s):
        return sum(1 for ch in s if not ("\u0e31" == ch or "\u0e34" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"))
    return (first.x1 - first.x0) * letters(words[0]) / max(letters(first.text), 1)


def _paragraph_ends(prev: Line, line: Line, right: float, pitch: float) -> bool:
    if line.base - prev.base > 1.1 * pitch or _LIST_START.match(line.text):
        return True
    return _stopped_short(prev, line, right)


def _stopped_short(prev: Line, line: Line, right: float) -> bool:
    """The line before stopped short although the next line's first word would have fitted: the
    text did not wrap there."""
    room = right - prev.pieces[-1].x1
    return room > _first_word_width(line) + 1.0 * (line.bottom - line.top)


def glued_cells(line: OutLine, spaces: bool) -> list[bool] | None:
    """Which cells of a row's line end with no space where the text layer keeps them (`spaces`): a
    word the page break cut, when the row goes on over the page."""
    if not (spaces and line.cells):
        return None
    return [bool(pieces) and not group_lines(pieces)[-1].pieces[-1].space_after for pieces in line.cells]


def continues_row(above: OutLine, below: OutLine) -> list[bool] | None:
    """Whether the first table row of a page is the rest of the last row of the page before, when
    the writer closed the cells at the page break (LibreOffice, Word) so no open rule shows it.

    A row is only split when it does not fit, so the cells that go on were mostly cut mid-text:
    their part above reaches the bottom of that row and its last line is full (the first word
    below would not have fitted on it); a cell may also go on with a new paragraph. At a row
    boundary only the tallest cells of the row above reach its bottom, and their last line is full
    only by chance; short cells (a number, a date) never are. So: at least two cells cut, and more
    than half of the cells below. Returns which cells were cut (their text runs on), or None."""
    if not (above.cells and below.cells) or len(above.cells) != len(below.cells):
        return False
    if any(abs(a[0] - b[0]) > 3 or abs(a[1] - b[1]) > 3 for a, b in zip(above.edges, below.edges, strict=True)):
        return False
    used = [c for c, pieces in enumerate(below.cells) if pieces]
    last = {c: group_lines(pieces)[-1] for c, pieces in enumerate(above.cells) if pieces}
    if not last:
        return False
    bottom = max(line.base for line in last.values())
    height = median(p.bottom - p.top for ps in above.cells for p in ps)
    cut, full = [False] * len(below.cells), [False] * len(below.cells)
    for c in used:
        if c not in last:
            continue
        first = group_lines(below.cells[c])[0]
        # the cell's right edge less its padding, as far as its own lines show it
        right = max(above.edges[c][1] - 0.5 * height, max(p.x1 for p in above.cells[c] + below.cells[c]))
        full[c] = not _stopped_short(last[c], first, right)
        cut[c] = full[c] and last[c].base >= bottom - 0.6 * height
    if sum(cut) >= 2 and sum(cut) > len(used) / 2:
        return cut
    # one cell alone, cut: most likely the rest of a long first cell, but it may be a heading row
    # that starts the page; the reader joins it and asks (PdfText.joined_unsure)
    return cut if len(used) == 1 and cut[used[0]] else None


def unsure_cells(above: OutLine, below: OutLine, cut: list[bool]) -> list[int]:
    """Cells of a joined row whose text above ends in a full line higher than the row's bottom: a new
    paragraph below, or the rest of that line pushed over the page (widow control)? Read as a new
    paragraph; the reader asks."""
    out = []
    for c, pieces in enumerate(below.cells):
        if pieces and above.cells[c] and not cut[c]:
            last, first = group_lines(above.cells[c])[-1], group_lines(pieces)[0]
            height = median(p.bottom - p.top for p in above.cells[c])
            right = max(above.edges[c][1] - 0.5 * height, max(p.x1 for p in above.cells[c] + pieces))
            if not _stopped_short(last, first, right):
                out.append(c)
    return out


def cell_text(pieces: list[Piece], pitch: float, spaces: bool = False) -> str:
    """A cell's words as one line: paragraphs (a wider gap, a list marker or a line that stops
    short of the cell's width) as <p> blocks. `spaces`: the text layer keeps the space a line was
    broken at (so a line without one was broken inside a word)."""
    lines = group_lines(pieces)
    if not lines:
        return ""
    right = max(p.x1 for p in pieces)
    steps = [b.base - a.base for a, b in zip(lines, lines[1:], strict=False)]
    # the cell's own line spacing when it wraps; wider steps are paragraph spacing
    pitch = min([pitch, *[s for s in steps if s >= 0.9 * pitch]])
    paragraphs = [lines[0].markup]
    for prev, line in zip(lines, lines[1:], strict=False):
        last = prev.pieces[-1].space_after
        if spaces and not last and _ADDRESS_END.search(paragraphs[-1]) and _goes_on(paragraphs[-1], line.markup) \
                and not _LIST_START.match(line.text):
            # a web address broken where the text layer keeps no space (Writer breaks one too long
            # for its cell at its "/", or anywhere, and leaves lines a few letters long)
            paragraphs[-1] += line.markup
        elif _paragraph_ends(prev, line, right, pitch):
            paragraphs.append(line.markup)
        else:
            full = right - prev.pieces[-1].x1 < line.bottom - line.top
            paragraphs[-1] = _join(paragraphs[-1], line.markup, last, spaces and not last and full)
    if len(paragraphs) == 1:
        return paragraphs[0]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def cells_pitch(cells: list[list[Piece]], fallback: float) -> float:
    """Line spacing inside cells: the median of each multi-line cell's smallest step."""
    steps = []
    for pieces in cells:
        lines = group_lines(pieces)
        diffs = [b.base - a.base for a, b in zip(lines, lines[1:], strict=False) if b.base - a.base > 0]
        if diffs:
            steps.append(min(diffs))
    return median(steps) if steps else fallback


def line_pitch(lines: list[Line]) -> float:
    """Typical distance between baselines of consecutive lines of one paragraph."""
    height = median(ln.bottom - ln.top for ln in lines) if lines else 1.0
    gaps = [b.base - a.base for a, b in zip(lines, lines[1:], strict=False)
            if 0.6 * height < b.base - a.base < 2.5 * height]
    return median(gaps) if gaps else 1.25 * height


# ---- ruled tables -------------------------------------------------------------------------

def _merge_rules(rules, tol: float) -> list[tuple[float, float, float]]:
    """Segments at (nearly) the same position joined where they touch."""
    out: list[list[float]] = []
    for pos, a, b in sorted(rules, key=lambda r: (round(r[0] / tol), r[1])):
        for seg in reversed(out[-40:]):
            if abs(seg[0] - pos) <= tol and a <= seg[2] + tol and b >= seg[1] - tol:
                seg[1], seg[2] = min(seg[1], a), max(seg[2], b)
                break
        else:
            out.append([pos, a, b])
    return [tuple(s) for s in out]


def _single_rules(rules, gap: float) -> list[tuple[float, float, float]]:
    """Double rules as one, at their middle: cells drawn each in its own box (a browser's
    `<table border=1>`, CSS `border-collapse: separate`) or a double border put two parallel rules
    closer than any text fits between (`gap`: half a letter's height) along one boundary."""
    out: list[list[float]] = []
    for pos, a, b in sorted(rules):
        for seg in reversed(out[-60:]):
            if pos - seg[0] > gap:
                continue
            overlap = min(b, seg[2]) - max(a, seg[1])
            if overlap >= 0.8 * min(b - a, seg[2] - seg[1]):
                seg[0], seg[1], seg[2] = (seg[0] + pos) / 2, min(seg[1], a), max(seg[2], b)
                break
        else:
            out.append([pos, a, b])
    return [tuple(s) for s in out]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


@dataclass
class _Table:
    x0: float
    x1: float
    ys: list[float]  # row boundaries, top to bottom
    xs: list[float]  # column boundaries, left to right
    pieces: list[Piece] = field(default_factory=list)
    open_top: bool = False  # the page cut it at its top: its first row continues the page before


def _ruled_tables(page: Page, tol: float) -> list[_Table]:
    hrules = _merge_rules(page.hrules, tol)
    vrules = _merge_rules(page.vrules, tol)
    if len(vrules) < 2 or not hrules:
        return []

    def meets_rule(x: float, y: float) -> bool:
        return any(abs(v[0] - x) <= 2 * tol and v[1] - 2 * tol <= y <= v[2] + 2 * tol for v in vrules)
    # a row boundary runs from rule to rule; a link's underline touches none
    hrules = [h for h in hrules if meets_rule(h[1], h[0]) and meets_rule(h[2], h[0])]
    if len(hrules) < 1:
        return []
    # a row broken by the page has no rule where the page cuts it: the vertical rules' ends stand in
    open_top = None
    for y in (min(v[1] for v in vrules), max(v[2] for v in vrules)):
        if not any(abs(h[0] - y) <= 2 * tol for h in hrules):
            ends = [v[0] for v in vrules if abs(v[1] - y) <= tol or abs(v[2] - y) <= tol]
            hrules.append((y, min(ends), max(ends)))
            if y == min(v[1] for v in vrules):
                open_top = y
    ys = _cluster([h[0] for h in hrules], tol)
    tables: list[_Table] = []
    for ya, yb in zip(ys, ys[1:], strict=False):
        if yb - ya < 2 * tol:
            continue
        cuts = sorted(v[0] for v in vrules if v[1] <= ya + tol and v[2] >= yb - tol)
        cuts = _cluster(cuts, tol)
        if len(cuts) < 2:
            continue
        t = tables[-1] if tables else None
        if t and abs(t.ys[-1] - ya) <= tol and cuts[0] < t.x1 and cuts[-1] > t.x0:
            t.ys.append(yb)
            t.xs = _cluster(t.xs + cuts, tol)
            t.x0, t.x1 = min(t.x0, cuts[0]), max(t.x1, cuts[-1])
        else:
            tables.append(_Table(cuts[0], cuts[-1], [ya, yb], cuts))
    tables = [t for t in tables if len(t.xs) >= 3 or len(t.ys) >= 3]
    for t in tables:
        t.open_top = open_top is not None and abs(t.ys[0] - open_top) <= tol
    return tables


def _ruled_rows(t: _Table, page: Page, tol: float, pitch: float) -> list[tuple[float, OutLine]]:
    vrules = _merge_rules(page.vrules, tol)
    hrules = _merge_rules(page.hrules, tol)
    ncols = len(t.xs) - 1
    # cells[(row, col)] -> pieces, keyed by the cell where a merged cell starts
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, (ya, yb) in enumerate(zip(t.ys, t.ys[1:], strict=False)):
        mid_y = (ya + yb) / 2
        start = 0
        for c in range(1, ncols + 1):
            x = t.xs[c]
            boundary = c == ncols or any(abs(v[0] - x) <= tol and v[1] <= mid_y <= v[2] for v in vrules)
            if boundary:
                mid_x = (t.xs[start] + t.xs[c]) / 2
                ruled_above = r == 0 or any(abs(h[0] - ya) <= tol and h[1] - tol <= mid_x <= h[2] + tol
                                            for h in hrules)
                key = (r, start) if ruled_above else owner.get((r - 1, start), (r, start))
                for cc in range(start, c):
                    owner[(r, cc)] = key
                start = c
    contents: dict[tuple[int, int], list[Piece]] = {}
    for p in t.pieces:
        r = next((i for i in range(len(t.ys) - 1) if t.ys[i] <= p.cy < t.ys[i + 1]), None)
        c = next((i for i in range(ncols) if t.xs[i] <= p.cx < t.xs[i + 1]), None)
        if r is not None and c is not None:
            contents.setdefault(owner.get((r, c), (r, c)), []).append(p)
    pitch = cells_pitch(list(contents.values()), pitch)
    out: list[tuple[float, OutLine]] = []
    for r in range(len(t.ys) - 1):
        cells, used, words, edges = [], [], [], []
        for c in range(ncols):
            key = owner.get((r, c), (r, c))
            pieces = contents.get(key, []) if key == (r, c) else []
            cells.append(cell_text(pieces, pitch, page.spaces) if key == (r, c) else "")
            used.extend(pieces)
            words.append(pieces)
            edges.append((t.xs[c], t.xs[c + 1]))
        if any(cells):
            out.append((t.ys[r], OutLine("\t".join(cells), used, continues=t.open_top and r == 0,
                                         cells=words, edges=edges)))
    return out


def page_lines(page: Page, tol: float = 2.0) -> list[OutLine]:
    """The page's lines in reading order: ruled tables as tab-separated rows, the rest as text."""
    pitch = line_pitch(group_lines(page.pieces))
    if page.pieces:
        gap = 0.5 * median(p.bottom - p.top for p in page.pieces)
        page = replace(page, hrules=_single_rules(page.hrules, gap), vrules=_single_rules(page.vrules, gap))
    tables = _ruled_tables(page, tol)
    placed: list[tuple[float, OutLine]] = []
    free: list[Piece] = []
    for p in page.pieces:
        t = next((t for t in tables if t.x0 - tol <= p.cx <= t.x1 + tol
                  and t.ys[0] - tol <= p.cy <= t.ys[-1] + tol), None)
        (t.pieces if t else free).append(p)
    for t in tables:
        placed.extend(_ruled_rows(t, page, tol, pitch))
    placed.extend((line.top, OutLine(line.text, line.pieces)) for line in group_lines(free))
    placed.sort(key=lambda t: t[0])
    return [o for _, o in placed]
