"""Space-aligned text extracted from the PDFs an office publishes (pdftotext -layout and the like):
each reads to the seed's records, or is refused saying what was found; never a wrong figure."""
import pytest

from lib.ingest import IngestError, read_document
from tests.renderings.pdf_text import pdftotext


def test_rows_left_outside_every_table_are_refused_not_dropped():
    # LibreOffice's 002: the first header (centred over nine lines) is not recognised, a repeated one
    # further down is; its table ended at blank lines and the reader used to count 2 measures of 14
    text = pdftotext("002_office", "-layout")
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "002.txt")
    assert "อบต.ปอ" in str(err.value) and "นอกตารางที่ระบบอ่านได้" in str(err.value)
