"""Text of the committed PDFs (tests/pdfs) as an office gets it from poppler's pdftotext: with
`-layout` (space-aligned, what a viewer's "save as text" gives too), `-fixed N` variations, or
without (reading order). Made at test time; pdftotext comes with poppler-utils (.ci/run)."""
from __future__ import annotations

import subprocess
from pathlib import Path

PDFS = Path(__file__).resolve().parents[1] / "pdfs"


def pdftotext(name: str, *options: str) -> str:
    """`name` is a corpus file without .pdf ("003_ruled"); options as pdftotext takes them."""
    return pdf_file_text(PDFS / f"{name}.pdf", *options)


def pdf_file_text(path: Path, *options: str) -> str:
    done = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True, timeout=120)
    return done.stdout.decode("utf-8")
