"""PDF documents: each rendering of a seed reads to the records the seed's .txt gives.

The corpus (tests/pdfs/, rebuilt by `python -m tests.pdfs.make_corpus`) holds each seed printed
by Chromium in two layouts that differ in font (Sarabun; Laksaman, whose text layer carries
TH Sarabun's private-use marks), page size, column widths and ruling.
"""
import re
from pathlib import Path

import pytest

from lib.ingest import read_document, read_path
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
