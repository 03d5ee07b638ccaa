"""Word files: the tables of a .docx give the same records as the document's extracted text.

There are no original Word files in the repository, so each test builds one from a seed's
text the way Word holds it: one table per run of tab-separated rows (a table that runs across
pages stays one table), other lines as paragraphs. Variants put cell paragraphs in real Word
paragraphs instead of `<p>` markup and merge header cells the way the printed forms do.
"""
import dataclasses
import html
import io
import re

import pytest

from lib.ingest import IngestError, read_document, read_path
from tests.conftest import SEEDS
from tests.renderings.office_renders import word_document

SEED_001 = SEEDS / "001_8e3b2dce245d49ac.txt"
SEED_003 = SEEDS / "003_6500999ea339ae9f.txt"
SEED_000 = SEEDS / "000_38e36f7a6cd79625.txt"
# two or more plain <p> blocks: in Word these are separate paragraphs of the cell
PLAIN_PARAGRAPHS = re.compile(r"^<p>[^<]*</p>(?:\s*<p>[^<]*</p>)+$")


def _write_cell(cell, raw: str, paragraphs: bool) -> None:
    if paragraphs and PLAIN_PARAGRAPHS.match(raw.strip()):
        texts = [html.unescape(t) for t in re.findall(r"<p>([^<]*)</p>", raw.strip()) if t.strip()]
        cell.text = texts[0] if texts else ""
        for text in texts[1:]:
            cell.add_paragraph(text)
    else:
        cell.text = raw


def docx_from_text(text: str, paragraphs: bool = False):
    """A Word document holding the text, and its tables (so a test can merge cells)."""
    return word_document(text, lambda cell, raw: _write_cell(cell, raw, paragraphs))


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def records(doc):
    """Every field of every record except the excerpt (which cites line numbers of its own file)."""
    def fields(record):
        return {k: v for k, v in dataclasses.asdict(record).items() if k != "source_excerpt"}
    return [fields(p) for p in doc.plan_items], [fields(m) for m in doc.measures]


def assert_same_document(from_docx, from_text):
    assert from_docx.layout == from_text.layout
    assert from_docx.organization == from_text.organization
    assert (from_docx.fiscal_year, from_docx.framework_year, from_docx.period_text, from_docx.start,
            from_docx.end, from_docx.as_of) == (from_text.fiscal_year, from_text.framework_year,
                                                from_text.period_text, from_text.start, from_text.end,
                                                from_text.as_of)
    assert from_docx.dimension_names == from_text.dimension_names
    plan_docx, measures_docx = records(from_docx)
    plan_text, measures_text = records(from_text)
    assert len(plan_docx) == len(plan_text) and len(measures_docx) == len(measures_text)
    for got, expected in zip(plan_docx + measures_docx, plan_text + measures_text, strict=True):
        for field, value in expected.items():
            assert got[field] == value, (expected.get("seq"), field)
    assert sorted(i.code for i in from_docx.issues) == sorted(i.code for i in from_text.issues)


def test_measures_with_page_broken_rows_001():
    text = SEED_001.read_text(encoding="utf-8")
    document, tables = docx_from_text(text)
    assert len(tables) == 1  # the measure table across all pages is one Word table
    from_docx = read_document(to_bytes(document), "001.docx")
    from_text = read_path(SEED_001)
    assert len(from_text.measures) == 8
    assert_same_document(from_docx, from_text)
    assert [m.item_codes[0] for m in from_docx.measures] == ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"]
    assert all(m.links for m in from_docx.measures[:1])


def test_action_plan_003_with_merged_header_cells():
    text = SEED_003.read_text(encoding="utf-8")
    document, tables = docx_from_text(text)
    summary = tables[0]
    # The printed form: "ดำเนินการไตรมาส" spans the four quarter columns, and the other header
    # cells span both header rows.
    header = [c.text for c in summary.rows[0].cells]
    quarter_col = next(i for i, t in enumerate(header) if t.startswith("ดำเนินการไตรมาส"))
    summary.cell(0, quarter_col).merge(summary.cell(0, quarter_col + 3))
    for col in (0, 1, 2, 3):
        summary.cell(0, col).merge(summary.cell(1, col))
    from_docx = read_document(to_bytes(document), "003.docx")
    from_text = read_path(SEED_003)
    assert len(from_text.plan_items) == 16
    assert_same_document(from_docx, from_text)
    assert sum(p.budget for p in from_docx.plan_items) == 20000
    assert [p.dimension for p in from_docx.plan_items].count(2) == 6
    assert sum(1 in p.quarters for p in from_docx.plan_items) == 15
    assert from_docx.plan_items[0].objectives == from_text.plan_items[0].objectives is not None


@pytest.mark.parametrize("seed", [SEED_000, SEED_001], ids=["000", "001"])
def test_cell_paragraphs_as_word_paragraphs(seed):
    """In a real Word file a cell's paragraphs are Word paragraphs, not <p> markup."""
    text = seed.read_text(encoding="utf-8")
    document, _ = docx_from_text(text, paragraphs=True)
    assert_same_document(read_document(to_bytes(document), seed.stem + ".docx"), read_path(seed))


def test_some_cells_really_were_word_paragraphs():
    # the parametrized test above is only meaningful if the seeds have such cells
    total = 0
    for seed in (SEED_000, SEED_001):
        text = seed.read_text(encoding="utf-8")
        total += sum(1 for line in text.splitlines() if "\t" in line
                     for raw in line.split("\t") if PLAIN_PARAGRAPHS.match(raw.strip()))
    assert total >= 5


def test_broken_docx_is_refused_in_thai():
    with pytest.raises(IngestError) as err:
        read_document(b"PK\x03\x04 not really a zip", "แผน.docx")
    assert "แผน.docx" in str(err.value) and "Word" in str(err.value)
