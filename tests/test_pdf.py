"""PDF documents: each rendering of a seed reads to the records the seed's .txt gives.

The corpus (tests/pdfs/, rebuilt by `python -m tests.pdfs.make_corpus`) holds each seed printed
by Chromium in two layouts that differ in font (Sarabun; Laksaman, whose text layer carries
TH Sarabun's private-use marks), page size, column widths and ruling.
"""
import copy
import json
import re
from pathlib import Path

import pytest

from lib.ingest import IngestError, read_document, read_path, versions
from tests.conftest import SEEDS

PDFS = Path(__file__).parent / "pdfs"
# every ruled text rendering in the corpus (seed_kind.pdf; the scans are read by tests/test_ocr.py);
# tables drawn without any rule (bare, loose) are read by lib/ingest/pdf_spaced.py, below
NO_RULES = ("_bare", "_loose")
CENTRED = ("_middle", "_midloma")  # cells centred vertically in their rows, no rules (below)
TEXT_PDFS = sorted(p for p in PDFS.glob("*.pdf") if not p.stem.endswith(("_scan", *CENTRED, *NO_RULES)))
NO_RULES_PDFS = sorted(p for p in PDFS.glob("*.pdf") if p.stem.endswith(NO_RULES))


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


# Renderings whose page breaks cut a table row with closed cells where the text cannot say whether
# a cell goes on or starts a new paragraph (LibreOffice moved a line over the page): the reader
# joins the row and asks. 000_office: the period of measures 2-3 (a paragraph "ธันวาคม | ๒๕๖๗").
ASKED = {"000_office"}


def _asks_about_a_row_across_pages(doc):
    return any(i.code == "pdf.row_across_pages" and i.severity == "question" for i in doc.issues)


@pytest.mark.parametrize("path", TEXT_PDFS, ids=[p.stem for p in TEXT_PDFS])
def test_text_pdf_reads_like_the_seed(seeds, path):
    seed = seeds[path.name[:3]]
    got = read_document(path.read_bytes(), path.name)
    # every record names the page its passage starts on
    records = got.plan_items + got.measures
    assert records and all(re.match(r"\[หน้า \d+\] ", r.source_excerpt) for r in records)
    if path.stem in ASKED:
        # same records, figures and codes; where a field differs, the reader asked about that page
        assert _asks_about_a_row_across_pages(got)
        assert [(p.seq, p.budget, p.quarters) for p in got.plan_items] == \
            [(p.seq, p.budget, p.quarters) for p in seed.plan_items]
        assert [(m.seq, m.item_codes, squash(m.title)) for m in got.measures] == \
            [(m.seq, m.item_codes, squash(m.title)) for m in seed.measures]
        return
    # questions about rows across pages are the PDF's own; everything else is the seed's
    got.issues = [i for i in got.issues if i.code != "pdf.row_across_pages"]
    assert_same_records(got, seed)
    # every field of every record (links, results, steps...) says what the seed says: the same document
    assert versions.records(got) == versions.records(seed)
    assert versions.content_key(got) == versions.content_key(seed)


@pytest.mark.parametrize("name, read, not_read", [
    ("000_wide.pdf", "ระยะเวลาที่กำหนด", "กำกำ"),  # a cluster's ActualText span, read once per span
    ("004_wide.pdf", "เจ้าหน้าที่ผู้รับผิดชอบ", "ผู้ผู้"),
    ("004_ruled.pdf", "E-Service", "\x02"),  # pdfium's mark for a hyphen that ends a line
    ("001_ruled.pdf", 'href="https://docs.google.com/forms/d/e/๑FAIp', "%E0%B9%91"),  # link annotation, as typed
    ("000_office.pdf", "ขั้นตอน", "ขนั้"),  # LibreOffice: a mark with the next letter's origin
    ("003_office.pdf", "ณ วันที่ 18 มิถุนายน", "1 8"),  # a narrow "1": the gap is in the ink only
    ("000_bare.pdf", "ที่จัดทำขึ้น", "ที่ ขึ้ ใ"),  # the top of a line the page cut, outside its clip
])
def test_text_layer_damage_repaired_on_real_pages(name, read, not_read):
    from lib.ingest.pdf import pdf_to_text

    text = pdf_to_text((PDFS / name).read_bytes()).text
    assert read in text and not_read not in text


def test_the_corpus_has_every_seed_in_every_text_rendering():
    kinds = {p.stem[4:] for p in TEXT_PDFS}
    assert len(kinds) >= 3 and len(TEXT_PDFS) == 5 * len(kinds)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from lib.store import import_seeds, open_store

    store = open_store(tmp_path_factory.mktemp("pdf") / "db.duckdb")
    import_seeds(store)
    yield store
    store.close()


@pytest.mark.parametrize("path", TEXT_PDFS, ids=[p.stem for p in TEXT_PDFS])
def test_a_text_pdf_after_its_seed_adds_nothing_and_says_so(seeded, path):
    tables = ("plan_item", "measure", "measure_item_link", "progress", "document_issue", "source_document")
    before = {t: seeded.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    data = path.read_bytes()
    result = seeded.import_document(read_document(data, path.name), data, "pdf", "ทดสอบ")
    after = {t: seeded.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    # the ASKED ones differ from the seed only where their reading asked: the seed's document too
    assert not result.created and result.version_of is None and result.read_otherwise == (path.stem in ASKED)
    assert "นำเข้าแล้ว" in result.message and "ไม่ได้เพิ่มข้อมูลซ้ำ" in result.message
    assert after == before


# Tables without rules are read to the seed's very document (same content identity), except 001: the
# seed's rows after a page break of the original (blank lines in its text) are tables of their own
# without a header, whose columns Chromium sets apart from the header's. Such a block is read with
# the header above when one of its lines fills every column (the columns keep their order); the one
# block that cannot be placed (two cells at the top of page 2, x positions under other columns) is
# left out and asked about, naming its page and the row it runs on.
HEADERLESS = {"001_bare", "001_loose"}


@pytest.mark.parametrize("path", NO_RULES_PDFS, ids=[p.stem for p in NO_RULES_PDFS])
def test_a_table_without_rules_reads_like_the_seed(seeds, path):
    seed = seeds[path.name[:3]]
    if path.stem in HEADERLESS:
        from tests.test_spaced_text import assert_seed_or_asked

        got = read_document(path.read_bytes(), path.name)
        assert [m.item_codes for m in got.measures] == [m.item_codes for m in seed.measures]
        assert [squash(m.title) for m in got.measures] == [squash(m.title) for m in seed.measures][:2] + \
            [squash(got.measures[2].title)] + [squash(m.title) for m in seed.measures][3:]
        assert [sum(1 for m in got.measures if m.instrument == i) for i in ("IIT", "EIT", "OIT")] == [3, 3, 2]
        (asked,) = [i for i in got.issues if i.code == "cells.unplaced"]
        assert asked.severity == "question" and asked.message.startswith("หน้า 2: ข้อความต่อจากแถว 'i๑๒")
        assert "งบประมาณของ" in asked.message
        assert_seed_or_asked(got, seed)  # the rest of each record is the seed's own
        assert squash(seed.measures[2].title).startswith(squash(got.measures[2].title))
        return
    got = read_document(path.read_bytes(), path.name)
    assert any(i.code == "pdf.no_rules" and i.severity == "warning" for i in got.issues)
    records = got.plan_items + got.measures
    assert records and all(re.match(r"\[หน้า \d+\] ", r.source_excerpt) for r in records)
    # the name misspelt in a cell ("อบต.หนองแขวง") broken over two lines is not always seen: a warning only
    ignored = ("pdf.no_rules", "pdf.row_across_pages", "organization.spelling")
    got.issues = [i for i in got.issues if i.code not in ignored]
    seed = copy.copy(seed)  # the module's seeds stay as they are
    seed.issues = [i for i in seed.issues if i.code not in ignored]
    assert_same_records(got, seed)
    assert versions.content_key(got) == versions.content_key(seed)


# Cells centred vertically in their rows: rows are told from the bands between row gaps and each cell
# is moved up to its row's first line. `middle` (Laksaman, A4): 002 and 003 read to the seed's very
# document; 000 too, except the row of measures ๒ and ๓ whose shared period is asked (row.split), as
# from space-aligned text; 004 is refused (a row the page break cut, one of its cells neither at the
# top nor in the middle) and so is 001 (its blocks without a header, and a row in doubt).
# `midloma` (Loma, 250 x 300 mm; made after the reader, not tuned on): 002 and 003 read to the seed
# (003 once a list's dash that Chromium set alone on a line is put before its item: it was lost); 000,
# 001 and 004 are refused naming the rows in doubt.
CENTRED_READ = {
    "middle": {"000": "asked", "001": "refused", "002": "read", "003": "read", "004": "refused"},
    "midloma": {"000": "refused", "001": "refused", "002": "read", "003": "read", "004": "refused"},
}
CENTRED_PDFS = [p for p in sorted(PDFS.glob("*.pdf")) if p.stem.endswith(CENTRED)]


@pytest.mark.parametrize("path", CENTRED_PDFS, ids=lambda p: p.stem)
def test_vertically_centred_cells_read_like_the_seed_or_are_refused(seeds, path):
    """Whatever the reader does, it never stores records that differ from the seed's without a
    question naming them: the seed's document, or a question, or a refusal saying why."""
    from tests.test_spaced_text import assert_seed_or_asked

    seed = seeds[path.name[:3]]
    expected = CENTRED_READ[path.stem[4:]][path.name[:3]]
    if expected == "refused":
        with pytest.raises(IngestError) as refused:
            read_document(path.read_bytes(), path.name)
        message = str(refused.value)
        assert f"ปีงบประมาณ: {seed.fiscal_year}" in message and re.search(r"หน้า \d+ '", message)
        return
    got = read_document(path.read_bytes(), path.name)
    assert len(got.measures) == len(seed.measures) and len(got.plan_items) == len(seed.plan_items)
    if expected == "read":
        assert versions.content_key(got) == versions.content_key(seed)
    else:
        assert versions.content_key(got) != versions.content_key(seed)
        assert any(i.code == "row.split" and i.severity == "question" for i in got.issues)
        assert_seed_or_asked(got, seed)


def test_a_row_of_centred_cells_cut_by_a_page_break_is_refused_naming_its_page():
    with pytest.raises(IngestError) as refused:
        read_document((PDFS / "004_middle.pdf").read_bytes(), "004_middle.pdf")
    message = str(refused.value)
    assert "จัดกึ่งกลางแนวตั้ง" in message and "หน้า 2 'การปรับปรุง" in message
    assert "- หน่วยงาน: ทต.ปรุใหญ่" in message


def test_the_plan_without_rules_gives_the_pinned_figures():
    got = read_document((PDFS / "003_bare.pdf").read_bytes(), "003_bare.pdf")
    items = got.plan_items
    assert len(items) == 16 and sum(p.budget for p in items) == 20000
    assert [sum(1 for p in items if p.dimension == d) for d in (1, 2, 3, 4)] == [4, 6, 4, 2]
    assert sum(1 for p in items if 1 in p.quarters) == 15


def test_a_pdf_without_rules_after_its_seed_adds_nothing(seeded):
    path = PDFS / "004_bare.pdf"
    data = path.read_bytes()
    result = seeded.import_document(read_document(data, path.name), data, "pdf", "ทดสอบ")
    assert not result.created and result.version_of is None and "นำเข้าแล้ว" in result.message


def test_a_row_the_page_break_cut_with_closed_cells_is_joined():
    """LibreOffice closes the cells at a page break: 002's measure 8 title goes on at the top of page 6
    alone ("ใช้งบประมาณได้"), so the row is joined, and the reader asks (it might have been a heading)."""
    got = read_document((PDFS / "002_office.pdf").read_bytes(), "002_office.pdf")
    assert len(got.measures) == 14
    assert squash(got.measures[7].title).endswith("ตรวจสอบการใช้งบประมาณได้")
    (asked,) = [i for i in got.issues if i.code == "pdf.row_across_pages" and "หน้า 6" in i.message]
    assert "ใช้งบ" in asked.message and asked.options


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
    # a page tree whose page is itself: pdfium opens the file but cannot load the page
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [2 0 R] "
     b"/Count 1 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF", "หน้า 1: เปิดหน้านี้ไม่ได้"),
])
def test_broken_pdf_gets_a_thai_message(data, message):
    with pytest.raises(IngestError, match=message):
        read_document(data, "broken.pdf")


def test_a_stored_scan_is_shown_without_running_ocr_again():
    from lib.ingest.pdf import pdf_to_text

    shown = pdf_to_text((PDFS / "003_scan.pdf").read_bytes(), ocr=False)
    assert shown.lines == ["(หน้า 1 เป็นภาพสแกน ดูได้จากไฟล์ต้นฉบับ)", "(หน้า 2 เป็นภาพสแกน ดูได้จากไฟล์ต้นฉบับ)"]
    assert shown.ocr_pages == []


def test_a_centred_row_the_page_break_cut_whose_first_cell_may_go_on_is_not_guessed():
    """Rows of centred cells (a first cell of three lines, a one-line cell in the middle), then a row
    the page break cut: its part on page 2 fills the first column, left of every cell of page 1's last
    line. Read as a top-aligned table that starts a new row; a centred table's first cell may go on
    there: the row is named, not guessed."""
    from lib.ingest.pdf_layout import Piece
    from lib.ingest.pdf_spaced import _top_aligned

    def line(page, base, *cells):
        return page, [Piece(text, x, x + 40, base - 8, base) for x, text in cells]

    lines = []
    for row in range(3):
        top = 100 + 50 * row
        lines += [line(1, top, (10, "มาตรการ")), line(1, top + 10, (10, "ของ"), (100, "สำนักปลัด")),
                  line(1, top + 20, (10, "หน่วยงาน"))]
    lines += [line(1, 260, (10, "ประเด็น"), (100, "ขั้นตอนที่")), line(1, 270, (100, "หนึ่ง")),
              line(2, 50, (10, "ต่อ"), (100, "สอง")), line(2, 60, (100, "สาม"))]
    moved, unsure, _ = _top_aligned(lines, 10.0, 6.0)
    # the one-line cell in each row's middle moved up to the row's first line
    assert [[p.text for p in pieces] for _, pieces in moved[:3]] == [["มาตรการ", "สำนักปลัด"], ["ของ"], ["หน่วยงาน"]]
    assert moved[0][1][1].bottom == 100
    assert unsure == [(2, "ต่อ สอง")]


def _as_legacy_thai(text: str) -> str:
    """Thai as a font from before Unicode gives it: the Windows-874 byte as a Latin-1 letter."""
    return "".join(chr(c.encode("cp874")[0]) if "\u0e01" <= c <= "\u0e5b" else c for c in text)


@pytest.mark.parametrize("name", ["001_ruled", "002_office", "003_middle"])
def test_thai_a_pre_unicode_font_wrote_as_latin_letters_reads_like_the_seed(name, monkeypatch):
    # "¡ÒÃ»¯ÔºÑµÔ" for การปฏิบัติ: the text layer of a PDF made with a Thai font from before Unicode
    import lib.ingest.pdf as pdf_module

    want = read_document((PDFS / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    glyphs = pdf_module._glyphs

    def legacy(*args):
        found = glyphs(*args)
        for g in found:
            g.text = _as_legacy_thai(g.text)
        return found

    monkeypatch.setattr(pdf_module, "_glyphs", legacy)
    got = read_document((PDFS / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    assert (got.organization.name, got.fiscal_year, got.layout) == (want.organization.name, want.fiscal_year, want.layout)
    assert [(r.seq, r.title, r.budget if hasattr(r, "budget") else r.item_codes) for r in got.plan_items + got.measures] \
        == [(r.seq, r.title, r.budget if hasattr(r, "budget") else r.item_codes) for r in want.plan_items + want.measures]
    assert [i.message for i in got.issues] == [i.message for i in want.issues]


def _stored_turned(pdf: bytes, rotation: int) -> bytes:
    """The PDF as a viewer's "rotate and save" stores it, written as an incremental update: each page's
    content stream put between "q <the turn the other way round> cm" and "Q", its /MediaBox turned
    and its /Rotate entry set to `rotation`, so it shows as before (for the corpus's plain-object
    PDFs; link annotations are left where they were)."""
    pages = re.finditer(rb"(\d+) 0 obj\s*<<(/Type\s*/Page\b(?:(?!endobj).)*)>>\s*endobj", pdf, re.S)
    size = max(int(n) for n in re.findall(rb"(\d+) 0 obj", pdf)) + 1
    objects: dict[int, bytes] = {}
    for page in pages:
        body = page.group(2)
        width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body).group(1).split()[2:])
        turn = {90: (0, 1, -1, 0, height, 0), 180: (-1, 0, 0, -1, width, height), 270: (0, -1, 1, 0, 0, width)}[rotation]
        shown = (height, width) if rotation != 180 else (width, height)
        before, after = size, size + 1
        size += 2
        objects[before] = "<</Length {}>>\nstream\n{}\nendstream".format(
            len(cm := "q " + " ".join(f"{v:g}" for v in turn) + " cm"), cm).encode()
        objects[after] = b"<</Length 1>>\nstream\nQ\nendstream"
        contents = re.search(rb"/Contents\s*(\d+ 0 R|\[[^\]]*\])", body).group(1).strip(b"[]")
        body = re.sub(rb"/(MediaBox|CropBox)\s*\[[^\]]*\]", f"/\\1 [0 0 {shown[0]:g} {shown[1]:g}]".encode(), body)
        body = re.sub(rb"/Contents\s*(\d+ 0 R|\[[^\]]*\])",
                      b"/Contents [%d 0 R " % before + contents + b" %d 0 R] /Rotate %d" % (after, rotation), body)
        objects[int(page.group(1))] = b"<<" + body + b">>"
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for number, value in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + value + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, o) for n, o in sorted(offsets.items()))
    root = re.findall(rb"/Root\s+(\d+ 0 R)", pdf)[-1]
    previous = re.findall(rb"startxref\s+(\d+)", pdf)[-1]
    out += b"trailer\n<</Size %d /Root " % size + root + b" /Prev " + previous + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@pytest.mark.parametrize("rotation", [90, 180, 270])
@pytest.mark.parametrize("name", ["003_wide", "002_ruled", "004_office"])
def test_a_page_turned_by_its_rotate_entry_reads_as_shown(name, rotation):
    # a viewer's "rotate and save" (or a landscape table on a portrait page): glyphs, rules and links
    # are stored turned; read as the page is shown, the same records and messages as the PDF it was
    import pypdfium2 as pdfium

    data = _stored_turned((PDFS / f"{name}.pdf").read_bytes(), rotation)
    assert pdfium.PdfDocument(data)[0].get_rotation() == rotation
    want = read_document((PDFS / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    got = read_document(data, f"{name}.pdf")
    assert len(got.plan_items + got.measures) == len(want.plan_items + want.measures) > 0
    for a, b in zip(got.plan_items + got.measures, want.plan_items + want.measures, strict=True):
        assert {**a.__dict__, "links": ()} == {**b.__dict__, "links": ()}  # links: annotations not turned here
    assert [i.message for i in got.issues] == [i.message for i in want.issues]

