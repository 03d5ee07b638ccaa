"""The seeds as a clerk's copy whose tabs became spaces or pipes without alignment: each tab a fixed
run of spaces (`sed 's/\\t/  /g'`), tabs expanded to stops (`expand -t 8`: GNU expand counts bytes,
Python's expandtabs characters, an editor display columns; `fold -s` wrapping long lines after that),
cells between ` | ` or in a markdown table, and the same passed through an editor or e-mail: trailing
spaces trimmed (a row's trailing empty cells vanish), CRLF line ends, a BOM, cells padded with a space.

Used by tests/test_tab_spaces.py; `python -m tests.renderings.tab_copy 003 expand8-bytes` prints one.
"""
from __future__ import annotations

import sys
import unicodedata


def _display(text: str) -> int:
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in ("F", "W") else 1 for c in text)


_MEASURES = {"bytes": lambda t: len(t.encode("utf-8")), "chars": len, "display": _display}


def fixed(text: str, width: int) -> str:
    return text.replace("\t", " " * width)


def expand(text: str, size: int, measure: str = "bytes") -> str:
    """Each tab to the next stop, positions counted in bytes (GNU expand), characters or display columns."""
    count = _MEASURES[measure]
    out = []
    for line in text.split("\n"):
        pos, parts = 0, []
        for k, piece in enumerate(line.split("\t")):
            if k:
                pad = size - pos % size
                parts.append(" " * pad)
                pos += pad
            parts.append(piece)
            pos += count(piece)
        out.append("".join(parts))
    return "\n".join(out)


def folded(text: str, width: int) -> str:
    """`fold -s -w width`: every line longer than `width` broken after a space (a mail client's wrapping)."""
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", 0, width) + 1 or width
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


def pipes(text: str, markdown: bool = False, rule: bool = True) -> str:
    """Cells between " | ", or a markdown table ("| a | b |", a "|---|" rule under each header)."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        if not markdown:
            out.append(" | ".join(cells))
            continue
        out.append("| " + " | ".join(cells) + " |")
        if rule and any(w in line for w in ("ผู้รับผิดชอบ", "รายการโครงการ")):
            out.append("|" + "|".join("---" for _ in cells) + "|")
    return "\n".join(out)


def padded(text: str) -> str:
    """Every cell with a space either side (" a " between the tabs)."""
    return "\n".join("\t".join(f" {c} " for c in line.split("\t")) if "\t" in line else line
                     for line in text.split("\n"))


def trimmed(text: str) -> str:
    """Trailing spaces taken off every line, as editors do on save."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


KINDS = {
    "sed2": lambda t: fixed(t, 2),
    "sed3": lambda t: fixed(t, 3),
    "sed4": lambda t: fixed(t, 4),
    "sed6": lambda t: fixed(t, 6),
    "expand4-bytes": lambda t: expand(t, 4),
    "expand8-bytes": lambda t: expand(t, 8),
    "expand4-chars": lambda t: expand(t, 4, "chars"),
    "expand8-chars": lambda t: expand(t, 8, "chars"),
    "expand8-display": lambda t: expand(t, 8, "display"),
    "expand3-chars": lambda t: expand(t, 3, "chars"),
    "expand6-bytes": lambda t: expand(t, 6),
    "expand8-folded": lambda t: folded(expand(t, 8), 200),
    "pipes": pipes,
    "markdown": lambda t: pipes(t, markdown=True),
    "markdown-no-rule": lambda t: pipes(t, markdown=True, rule=False),
    "padded-sed2": lambda t: fixed(padded(t), 2),
    "padded-pipes": lambda t: pipes(padded(t)),
}
# what an editor or e-mail does on the way: applied after the kind
MIXTURES = {
    "": lambda t: t,
    "trimmed": trimmed,
    "crlf-bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "trimmed-crlf": lambda t: trimmed(t).replace("\n", "\r\n"),
}


def render(tab_text: str, kind: str, mixture: str = "") -> str:
    return MIXTURES[mixture](KINDS[kind](tab_text))


if __name__ == "__main__":
    from tests.conftest import SEEDS

    sys.stdout.write(render(next(SEEDS.glob(f"{sys.argv[1]}_*.txt")).read_text(encoding="utf-8"), sys.argv[2],
                            sys.argv[3] if len(sys.argv) > 3 else ""))


def column_t(text: str) -> str:
    """What `column -t -s $'\\t'` (util-linux) makes of it: every line a row of the one table it aligns
    (a line without a tab is a first cell alone), each cell padded to its column's display width plus
    two spaces, blank lines dropped, trailing spaces trimmed."""
    rows = [line.split("\t") for line in text.split("\n") if line.strip()]
    n = max(len(r) for r in rows)
    widths = [max((_display(r[k]) for r in rows if k < len(r)), default=0) for k in range(n)]
    return "\n".join("".join(c + " " * (widths[k] - _display(c) + 2) for k, c in enumerate(r)).rstrip()
                     for r in rows) + "\n"
