"""Other renderings of the seed documents, made here so the importer is checked on the kind of input
(text copied from a web page, re-saved files) rather than on one file."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from lib.ingest.spaced import width


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def blocks(tab_text: str):
    """The text's lines, each table's run of tab-separated lines (blank lines inside it as None) given
    as one list of rows: yields a line (str) or a table (list of cell lists and None)."""
    lines = tab_text.splitlines()
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            yield lines[i]
            i += 1
            continue
        j = i
        while j < len(lines) and ("\t" in lines[j] or not lines[j].strip()):
            j += 1
        while not lines[j - 1].strip():  # blank lines after the table are the text's, not the table's
            j -= 1
        yield [line.split("\t") if "\t" in line else None for line in lines[i:j]]
        i = j


def spaced(tab_text: str, gap: int = 3) -> str:
    """The text with each table's tab-separated cells padded into aligned columns (runs of spaces),
    as a fixed-width print or a web page copied as text gives them."""
    out = []
    for block in blocks(tab_text):
        if isinstance(block, str):
            out.append(block)
            continue
        table = [[_cell(c) for c in row] if row is not None else None for row in block]
        n = max(len(r) for r in table if r)
        widths = [max((width(r[k]) for r in table if r and k < len(r)), default=0) for k in range(n)]
        for row in table:
            if row is None:
                out.append("")
                continue
            row = row + [""] * (n - len(row))
            out.append("".join(c + " " * (widths[k] - width(c) + gap) for k, c in enumerate(row)).rstrip())
    return "\n".join(out) + "\n"


def spaced_wrapped(tab_text: str, gap: int = 3) -> str:
    """Like `spaced`, but a cell's paragraphs go on lines of their own below the row (the first column
    left empty), as a web page's table cells with several paragraphs copy."""
    from lib.ingest.cells import parse_cell

    lines = []
    for line in tab_text.splitlines():
        if "\t" not in line:
            lines.append(line)
            continue
        # a paragraph's own line breaks (<br>) go on lines of their own too, under their column
        cells = [[part for p in parse_cell(c).paragraphs for part in p.split("\n")] or [""]
                 for c in line.split("\t")]
        depth = max(len(c) for c in cells)
        for k in range(depth):
            lines.append("\t".join(c[k] if k < len(c) else "" for c in cells))
    return spaced("\n".join(lines), gap)


def generator_args(doc: str, kinds, argv: list[str] | None) -> argparse.Namespace:
    """The command line every rendering generator takes: an output folder, --kinds, --seeds."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--kinds", nargs="+", choices=kinds, default=list(kinds))
    parser.add_argument("--seeds", nargs="+", default=["000", "001", "002", "003", "004"])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args
