"""A table recovered without tabs must come out whole or not at all: text that poppler's pdftotext
gives of a PDF (one cell a line, page by page) is a kind of copy offices make, and a reader that cut
its rows apart must refuse it rather than store records without titles or codes."""
import shutil
import subprocess
from pathlib import Path

import pytest

from lib.ingest import IngestError, read_text

PDFS = Path(__file__).parent / "pdfs"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def pdftotext(name: str, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(PDFS / name), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode()


@pytest.mark.parametrize("options", [(), ("-layout",)], ids=["raw", "layout"])
def test_pdftotext_of_the_item_report_reads_its_eight_codes_or_is_refused(options):
    """001 (บ้องตี้) is a report by ITA question: a reading either has its eight codes or is refused.
    The raw copy once read as 23 measures without a code, three of them without a title."""
    text = pdftotext("001_ruled.pdf", *options)
    try:
        doc = read_text(text, "001.txt")
    except IngestError as e:
        assert "ไม่นำเข้า" in str(e) or "อ่านได้" in str(e), str(e)
        return
    assert sorted(c for m in doc.measures for c in m.item_codes) == sorted(
        ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"])
    assert all(m.title.strip() for m in doc.measures)
