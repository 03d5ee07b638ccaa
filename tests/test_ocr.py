"""Scanned PDFs (image pages, no text layer) read by OCR: every number is right or asked about.

The scans (tests/pdfs/*_scan.pdf, made by tests/pdfs/make_corpus.py) are pages of the ruled
rendering rasterised at 300 dpi, rotated a little, blurred and given noise: 003 pages 1-2 (the
summary table with its totals row), 001 page 1 (item codes in Thai digits). A value read by OCR
is either the seed's value or a question naming it; a fiscal year or item code OCR is unsure of
is not stored at all.
"""
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from lib.ingest import read_document, read_path
from lib.ingest.ocr import tesseract_available
from lib.ingest.thai_digits import FONT, read_digits
from tests.conftest import SEEDS
from tests.test_pdf import PDFS

pytestmark = pytest.mark.skipif(not tesseract_available(), reason="tesseract-ocr is installed by .ci/run")


@pytest.fixture(scope="module")
def scans():
    progress = []
    docs = {name: read_document((PDFS / f"{name}_scan.pdf").read_bytes(), f"{name}_scan.pdf",
                                progress=lambda done, pages, message: progress.append((done, pages, message)))
            for name in ("003", "001", "004")}
    return docs, progress


def questions_about(doc, label):
    return [i for i in doc.issues if i.severity == "question" and label in i.message]


def test_scanned_plan_003_right_or_asked(scans):
    docs, _ = scans
    doc, seed = docs["003"], read_path(next(SEEDS.glob("003_*.txt")))
    assert doc.layout == "action_plan" and doc.organization.short_name == "อบต.ตะโก"
    assert [p.seq for p in doc.plan_items] == list(range(1, 17))
    expected = {p.seq: p for p in seed.plan_items}
    for item in doc.plan_items:
        asked = questions_about(doc, f"โครงการลำดับ {item.seq} ")
        want = expected[item.seq]
        assert item.dimension == want.dimension or asked, item.seq
        assert item.budget == want.budget or asked, item.seq
        # check marks are not in the Thai model: read from the ☑ template, right or asked
        assert item.quarters == want.quarters or any("เครื่องหมาย" in q.message for q in asked), item.seq
        assert re.match(r"\[หน้า 1 · อ่านด้วย OCR ความมั่นใจ \d+%\] ", item.source_excerpt)
    assert sum(p.budget for p in doc.plan_items) == 20000
    assert any("20,000.00" in q.message for q in questions_about(doc, "โครงการลำดับ 7 ")) or \
        not questions_about(doc, "โครงการลำดับ 7 ")
    # the year is written ๒๕๖๙: right, or removed and asked for — never another year
    assert doc.fiscal_year in (2569, None)
    if doc.fiscal_year is None:
        assert [i.subject for i in doc.issues if i.code == "ocr.fiscal_year"] == ["fiscal_year"]
    assert "ocr.pages" in {i.code for i in doc.issues}
    # what the templates read surely is not asked: the year ๒๕๖๙ and the ticks of all 16 rows
    # (23 questions before Thai digits and ticks were read from templates)
    assert doc.fiscal_year == 2569
    assert not [q for q in doc.issues if "เครื่องหมาย" in q.message]
    assert len([i for i in doc.issues if i.severity == "question"]) <= 8


def test_scanned_item_codes_001_right_or_asked(scans):
    docs, _ = scans
    doc = docs["001"]
    assert doc.layout == "ita_item_report"
    assert doc.measures
    seed_codes = [("i7",), ("i8",), ("i12",), ("e11",), ("e14",), ("e15",), ("o41",), ("o42",)]
    for m in doc.measures:
        if m.item_codes:
            assert m.item_codes in seed_codes
        else:
            assert [i for i in doc.issues if i.code in ("ocr.item_code", "codes.missing") or "รหัส" in i.message]
    assert doc.fiscal_year in (2566, None)
    # i๗ i๘ i๑๒, which Tesseract reads as "เซ", "ig" and "[๑๒", are read from the glyph templates
    assert [m.item_codes for m in doc.measures] == seed_codes[:3]
    assert not [i for i in doc.issues if i.code == "ocr.item_code"]
    # 11 questions before; left: the organization (not on page 1) and dates in the result text
    assert len([i for i in doc.issues if i.severity == "question"]) <= 5


def _one_point_a_pixel(pdf: bytes) -> bytes:
    """The scan's page pictures, the same JPEG bytes, each on a page of one point a pixel: what a PDF
    of pictures made without their resolution is (PIL, ImageMagick, phone apps)."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    src, out = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    for page in src:
        picture = next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        width, height = picture.get_px_size()
        image = pdfium.PdfImage.new(out)
        image.load_jpeg(io.BytesIO(bytes(picture.get_data(decode_simple=False))), inline=False)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        new_page = out.new_page(width, height)
        new_page.insert_obj(image)
        new_page.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def test_a_scan_whose_pdf_says_a_point_a_pixel_reads_as_the_a4_scan_it_is():
    # a 300 dpi A4 scan on a page 3508 points high: rendered at 300 dpi of that page it was 60 million
    # pixels (2 GB, a minute a page) and refused; it is read as the A4 paper it was, like the scan
    data = _one_point_a_pixel((PDFS / "001_scan.pdf").read_bytes())
    import pypdfium2 as pdfium
    assert [round(x) for x in pdfium.PdfDocument(data)[0].get_size()] == [2479, 3508]
    doc = read_document(data, "001_scan_72dpi.pdf")
    assert doc.layout == "ita_item_report"
    assert [m.item_codes for m in doc.measures] == [("i7",), ("i8",), ("i12",)]
    assert doc.fiscal_year in (2566, None)
    assert len([i for i in doc.issues if i.severity == "question"]) <= 6


def test_a_text_layer_whose_font_names_no_letters_is_read_from_the_page_by_ocr(monkeypatch):
    # a font without its map to letters (no ToUnicode): pdfium gives the glyphs' numbers, 'ǘǨǗƶǨǎ' for
    # มาตรการ; refused before ("no table header"), now the page is read from its picture like a scan
    import io

    import pypdfium2 as pdfium

    import lib.ingest.pdf as pdf_module

    src, one = pdfium.PdfDocument((PDFS / "001_ruled.pdf").read_bytes()), pdfium.PdfDocument.new()
    one.import_pages(src, [0])
    buffer = io.BytesIO()
    one.save(buffer)
    glyphs = pdf_module._glyphs

    def glyph_numbers(*args):
        found = glyphs(*args)
        for g in found:
            g.text = "".join(chr(0x180 + ord(c) - 0xE00) if "\u0e01" <= c <= "\u0e5b" else c for c in g.text)
        return found

    monkeypatch.setattr(pdf_module, "_glyphs", glyph_numbers)
    progress = []
    doc = read_document(buffer.getvalue(), "001_page1.pdf", progress=lambda *a: progress.append(a[2]))
    assert "อ่านภาพของหน้าด้วย OCR หน้า 1/1" in progress
    assert doc.layout == "ita_item_report" and doc.organization.short_name == "อบต.บ้องตี้"
    assert [m.item_codes for m in doc.measures] == [("i7",), ("i8",), ("i12",)]
    assert [i.message.split(" จึง")[0] for i in doc.issues if i.code == "ocr.pages"] == \
        ["หน้า 1 มีข้อความแต่ฟอนต์ในไฟล์ไม่บอกว่าเป็นอักษรใด (อ่านเป็นตัวอักษรไม่ได้)"]


def _with_hidden_text(pdf: bytes, lines: list[str]) -> bytes:
    """The scan's first page with `lines` drawn invisible under its picture (text render mode 3), as a
    scanner's or another program's OCR makes a "searchable PDF"."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(pdf), [0])
    page = doc[0]
    font_bytes = FONT.read_bytes()
    font_buffer = (ctypes.c_uint8 * len(font_bytes)).from_buffer_copy(font_bytes)
    font = pdfium_c.FPDFText_LoadFont(doc.raw, font_buffer, len(font_bytes), pdfium_c.FPDF_FONT_TRUETYPE, 1)
    for k, line in enumerate(lines):
        text = pdfium_c.FPDFPageObj_CreateTextObj(doc.raw, font, 10.0)
        wide = (line + "\0").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(text, (ctypes.c_ushort * (len(wide) // 2)).from_buffer_copy(wide))
        pdfium_c.FPDFTextObj_SetTextRenderMode(text, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 40, 800 - 14 * k)
        pdfium_c.FPDFPage_InsertObject(page.raw, text)
    page.gen_content()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_scan_with_another_programs_ocr_hidden_under_it_is_read_by_ours():
    # a "searchable PDF": Tesseract's Thai model writes ๒๕๒๕ for ๒๕๖๖ (it has no ๖) and i๗ as "เซ";
    # the hidden words are never taken: the picture is read again, its digits from the templates
    seed = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").splitlines()[:60]
    damaged = [line.replace("๖", "๒").replace("i๗", "เซ").replace("\t", "  ")[:60] for line in seed]
    doc = read_document(_with_hidden_text((PDFS / "001_scan.pdf").read_bytes(), damaged), "001_searchable.pdf")
    assert doc.layout == "ita_item_report"
    assert [m.item_codes for m in doc.measures] == [("i7",), ("i8",), ("i12",)]
    assert doc.fiscal_year in (2566, None)
    assert not any("๒๕๒๕" in (m.period_text or "") + m.title for m in doc.measures)
    assert [i.message.split(" จึง")[0] for i in doc.issues if i.code == "ocr.pages"] == \
        ["หน้า 1 เป็นภาพสแกน (หน้า 1 มีข้อความจาก OCR ของโปรแกรมอื่นซ่อนอยู่ใต้ภาพ ระบบไม่ใช้ข้อความนั้น)"]


@pytest.mark.parametrize("fed, turned", [(90, "ตะแคง ระบบหมุนให้ 90 องศา"), (180, "กลับหัว ระบบหมุนให้ 180 องศา")])
def test_a_page_fed_sideways_or_upside_down_is_turned_before_it_is_read(fed, turned):
    # refused before ("no table"): Tesseract read the rows running down the page as nonsense
    import io

    import pypdfium2 as pdfium

    picture = pdfium.PdfDocument((PDFS / "001_scan.pdf").read_bytes())[0].render(scale=300 / 72, grayscale=True)
    buffer = io.BytesIO()
    picture.to_pil().rotate(fed, expand=True).save(buffer, "PDF", resolution=300)
    doc = read_document(buffer.getvalue(), "001_fed.pdf")
    assert doc.layout == "ita_item_report" and len(doc.measures) == 3
    for got, want in zip(doc.measures, [("i7",), ("i8",), ("i12",)], strict=True):
        assert got.item_codes == want or (not got.item_codes and questions_about(doc, f"มาตรการที่ {got.seq}:"))
    assert [i for i in doc.issues if i.code == "ocr.pages" and turned in i.message]


def test_scanned_results_004_year_read_from_thai_digits(scans):
    # page 1 of the 6-month report: "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖" read by the templates, not asked
    docs, _ = scans
    doc, seed = docs["004"], read_path(next(SEEDS.glob("004_*.txt")))
    assert doc.layout == "ita_instrument_report" and doc.organization.short_name == "ทต.ปรุใหญ่"
    assert doc.fiscal_year == 2566 == seed.fiscal_year
    assert len(doc.measures) >= 3
    assert not [i for i in doc.issues if i.code == "ocr.fiscal_year"]


def test_progress_is_told_page_by_page(scans):
    docs, progress = scans
    ocr_lines = [m for _, _, m in progress if "OCR" in m]
    assert not [i for doc in docs.values() for i in doc.issues if "ระบบหมุนให้" in i.message]  # upright: not turned
    assert ocr_lines == ["อ่านภาพสแกนด้วย OCR หน้า 1/2", "อ่านภาพสแกนด้วย OCR หน้า 2/2",
                         "อ่านภาพสแกนด้วย OCR หน้า 1/1", "อ่านภาพสแกนด้วย OCR หน้า 1/1"]


@pytest.mark.parametrize("number", ["๒๕๖๘", "๔๖๗๘๙", "๐๔๑", "๑๒"])
def test_thai_digits_the_model_lacks_are_read_from_templates(number):
    # rendered at scan size (13 px type at 300 dpi), blurred: the digits Tesseract's Thai model cannot emit
    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (40 * len(number) + 40, 80), 255)
    ImageDraw.Draw(img).text((20, 10), number, font=font, fill=0)
    ink = np.asarray(img) < 128
    read = read_digits(ink)
    assert read is not None and read[0] == number


def _ink(text, font_path, size=40):
    font = ImageFont.truetype(str(font_path), size)
    img = Image.new("L", (size * len(text) + 40, size * 2), 255)
    ImageDraw.Draw(img).text((20, 10), text, font=font, fill=0)
    return np.asarray(img) < 128


def test_a_tick_is_read_and_an_empty_box_is_not():
    from lib.ingest.ocr import MARK_CONF, tick_confidence
    from lib.ingest.thai_digits import SURE_CONF

    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    assert tick_confidence(_ink("☑", dejavu, 50)) == SURE_CONF  # the 13 px type of the scans at 300 dpi
    assert tick_confidence(_ink("✓", dejavu)) == SURE_CONF
    assert tick_confidence(_ink("☐", dejavu)) == MARK_CONF  # unticked: asked, never a quarter
    assert tick_confidence(_ink("☒", dejavu)) == MARK_CONF


@pytest.mark.parametrize("number", ["๒๕๖๗", "๒๔๖๗"])
def test_four_and_five_are_told_apart_where_the_small_templates_cannot(number):
    # a scan's ๒๕๖๗ (28 px, blurred): at the templates' 24 px ๕ leads ๔ by less than the margin and the
    # year was asked in every period of the scans; at 48 px the hook of ๕ tells the two apart
    from lib.ingest.thai_digits import MIN_MARGIN, THAI_DIGITS, _best, _scores, read_glyphs

    font = ImageFont.truetype(str(FONT), 28)
    img = Image.new("L", (180, 56), 255)
    ImageDraw.Draw(img).text((20, 8), number, font=font, fill=0)
    ink = np.asarray(img.filter(ImageFilter.GaussianBlur(0.9))) < 140
    second = read_glyphs(ink, THAI_DIGITS)[1]
    assert _best(_scores(ink[:, second[3]:second[4]]), THAI_DIGITS)[2] < MIN_MARGIN
    assert read_digits(ink) == (number, 95.0)


def test_a_tick_whose_box_leads_the_empty_box_by_little_is_told_by_its_middle():
    # 36 px, blurred: ☑'s template leads ☐'s by 0.055 (a LibreOffice scan of 003 asked about such
    # ticks); the box's middle holds the tick's ink. An empty box, and one with a speck, never does
    from lib.ingest.ocr import MARK_CONF, tick_confidence
    from lib.ingest.thai_digits import MIN_MARGIN, NOT_TICKS, SURE_CONF, TICKS, best_match

    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    font = ImageFont.truetype(dejavu, 36)

    def box(char, speck=False):
        img = Image.new("L", (72, 72), 255)
        ImageDraw.Draw(img).text((18, 12), char, font=font, fill=0)
        if speck:
            ImageDraw.Draw(img).rectangle((33, 36, 35, 38), fill=0)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.4))) < 150

    assert best_match(box("☑"), TICKS + NOT_TICKS)[2] < MIN_MARGIN
    assert tick_confidence(box("☑")) == SURE_CONF
    assert tick_confidence(box("☐")) == tick_confidence(box("☐", speck=True)) == MARK_CONF
    assert tick_confidence(box("☒")) == MARK_CONF


def test_two_numbers_a_space_apart_are_not_read_as_one():
    # "รอบ ๑ ๑ ต.ค.": Tesseract may give the two as neighbouring words; ๑๑ would be a wrong value
    read = read_digits(_ink("๑ ๑", FONT))
    assert read is None or read[1] < 85


def test_a_reading_that_contradicts_tesseract_where_it_is_reliable_is_unsure():
    from lib.ingest.thai_digits import _agrees

    assert _agrees("๒๕๖๙", "๒๕๐๕") and _agrees("๒๕๖๖", "๒๕๒๐๒๐") and _agrees("๘", "๓")
    assert not _agrees("๐", "๓")  # Norasi's ๓ matches Sarabun's ๐: Tesseract knows ๓
    assert not _agrees("๑๑", "๑")
    assert not _agrees("๐", "๒")  # a noisy ๖ Tesseract read as ๒ matched ๐ in 004_scan
    # ๗ written by Tesseract as ๓ or ๑๕ (Sarabun scans of 002: ๒๕๖๗ as ๒๕๒๓, ๒๕๒๐๓, ๒๕๒๑๕)
    assert _agrees("๒๕๖๗", "๒๕๒๓") and _agrees("๒๕๖๗", "๒๕๒๐๓") and _agrees("๒๕๖๗", "๒๕๒๑๕")
    assert not _agrees("๒๕๖๖", "๒๕๒๑๕")  # a ๑ Tesseract wrote beside no ๗: a digit the templates lost
    assert not _agrees("๓", "๓๑๕")  # more than two of its digits for each one it lacks


def test_an_angle_bracket_tesseract_doubts_is_a_speck_not_markup():
    # a scan of 004 in another font gave "<a" (conf 53): read as a tag, the document was refused
    from lib.ingest.ocr import _strip_speck
    from lib.ingest.pdf_layout import Piece

    assert _strip_speck(Piece("<a", 0, 10, 0, 10, 53.0)).text == "a"
    # one it is sure of stays, as its look-alike: read from pixels it is never markup ("<i v" at
    # conf 90 had a whole scan of 000 refused as code)
    assert _strip_speck(Piece("<๕", 0, 10, 0, 10, 95.0)).text == "‹๕"
    assert _strip_speck(Piece("<i v", 0, 10, 0, 10, 90.0)).text == "‹i v"


def test_a_scanned_version_is_diffed_from_what_its_import_read(scans, tmp_path, monkeypatch):
    # 003_scan imported after the seed waits as a version (what OCR read differs from the text); its
    # differences are shown from the reading kept at import: OCR does not run again (it took 40 s)
    from lib.ingest import ocr
    from lib.queries import collect
    from lib.store import import_seeds, open_store

    docs, _ = scans
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    result = store.import_document(docs["003"], (PDFS / "003_scan.pdf").read_bytes(), "pdf", "สมชาย")
    assert result.created and result.version_of is not None
    monkeypatch.setattr(ocr, "ocr_page", lambda *a, **k: pytest.fail("OCR ran again"))
    diff = collect.version_diff(store, result.document_id)
    assert (diff.added, diff.removed) == ([], [])
    assert [(c.title, c.fields) for c in diff.changed] == [(c.title, c.fields) for c in result.diff.changed]
    assert diff.unchanged == result.diff.unchanged == 16 - len(diff.changed)
    store.close()
