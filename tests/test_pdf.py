"""PDF documents: each rendering of a seed reads to the records the seed's .txt gives.

The corpus (tests/pdfs/, rebuilt by `python -m tests.pdfs.make_corpus`) holds each seed printed
by Chromium in two layouts that differ in font (Sarabun; Laksaman, whose text layer carries
TH Sarabun's private-use marks), page size, column widths and ruling.
"""
import json
import re
from pathlib import Path

import pytest

from lib.ingest import IngestError, read_document, read_path
from tests.conftest import SEEDS

PDFS = Path(__file__).parent / "pdfs"
RENDERINGS = ("ruled", "wide")


def squash(text):
    return re.sub(r"\s+", "", text or "")


@pytest.fixture(scope="module")
def seeds():
    return {p.name[:3]: read_path(p) for p in sorted(SEEDS.glob("*.txt"))}


def plan_fields(p):
    return (p.seq, p.dimension, p.budget, p.quarters, p.item_type, p.detail_seq, p.start, p.end,
            squash(p.title), squash(p.budget_text), squash(p.period_text))


def measure_fields(m):
    return (m.item_codes, m.instrument, m.category_no, squash(m.category), m.start, m.end, m.quarters,
            m.period_source, squash(m.period_text), squash(m.title)[:40], squash(m.responsible))


def assert_same_records(got, expected):
    assert got.layout == expected.layout
    assert got.organization == expected.organization
    assert (got.fiscal_year, got.framework_year, got.report_round, got.start, got.end, got.as_of) == \
        (expected.fiscal_year, expected.framework_year, expected.report_round, expected.start, expected.end,
         expected.as_of)
    assert got.dimension_names == expected.dimension_names
    assert [plan_fields(p) for p in got.plan_items] == [plan_fields(p) for p in expected.plan_items]
    assert [measure_fields(m) for m in got.measures] == [measure_fields(m) for m in expected.measures]
    assert sorted({i.code for i in got.issues}) == sorted({i.code for i in expected.issues})


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_text_pdf_reads_like_the_seed(seeds, seed, rendering):
    path = PDFS / f"{seed}_{rendering}.pdf"
    got = read_document(path.read_bytes(), path.name)
    assert_same_records(got, seeds[seed])
    # every record names the page its passage starts on
    records = got.plan_items + got.measures
    assert records and all(re.match(r"\[หน้า \d+\] ", r.source_excerpt) for r in records)


def test_cli_reads_and_imports_a_pdf_keeping_the_original(tmp_path):
    from lib.store import open_store
    from tests.test_cli import run

    pdf = PDFS / "003_ruled.pdf"
    shown = run(pdf, "--json")
    assert shown.returncode == 0, shown.stderr
    (doc,) = json.loads(shown.stdout)["documents"]
    assert len(doc["plan_items"]) == 16 and sum(p["budget"] for p in doc["plan_items"]) == 20000
    # page-by-page progress on stderr, one line a page
    assert shown.stderr.count("อ่านข้อความหน้า") == 27 and "อ่านครบทุกหน้า (27/27)" in shown.stderr
    db = tmp_path / "pdf.duckdb"
    imported = run(pdf, "--db", db)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"][0]["plan_items"] == 16
    store = open_store(db)
    try:
        fmt, content = store.query_rows("SELECT format, content FROM source_document WHERE file_name = ?",
                                        [pdf.name])[0]
        excerpt = store.query_rows("SELECT source_excerpt FROM plan_item WHERE seq = 7")[0][0]
    finally:
        store.close()
    assert fmt == "pdf" and bytes(content) == pdf.read_bytes()
    assert excerpt.startswith("[หน้า 1] ")


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF", "เปิดไฟล์ PDF ไม่ได้"),
    (b"hello, not a pdf", "ไม่ใช่ไฟล์ PDF"),
    (b"", "ว่างเปล่า"),
])
def test_broken_pdf_gets_a_thai_message(data, message):
    with pytest.raises(IngestError, match=message):
        read_document(data, "broken.pdf")


def test_a_stored_scan_is_shown_without_running_ocr_again():
    from lib.ingest.pdf import pdf_to_text

    shown = pdf_to_text((PDFS / "003_scan.pdf").read_bytes(), ocr=False)
    assert shown.lines == ["(หน้า 1 เป็นภาพสแกน ดูได้จากไฟล์ต้นฉบับ)", "(หน้า 2 เป็นภาพสแกน ดูได้จากไฟล์ต้นฉบับ)"]
    assert shown.ocr_pages == []
