"""Renderings of the seeds as offices make them, that no reader was tuned on (tests/pdfs/renders/,
made by `python -m tests.renderings.office_renders`): each one that once read wrong reads to the
seed's very document now, with the seed's figures.

- `css_default`: a browser's own `<table border=1>` (each cell in its own box, two parallel rules
  between cells, cells centred vertically): the doubled rules made a narrow empty column between
  every two columns, and 002 and 004 read as 1 measure;
- `css_whole_rows`: rows kept whole across pages, rules only under rows, the header repeated on
  each page: a row whose first line opened with the same words as the first row under the header
  above (004's "การปรับปรุง…", "- จัดทำมาตรการส่ง…", "สำนักปลัด") lost that line as part of the
  repeated header (measure 5's title, responsible, steps and result cut short);
- `css_zebra_left`: no rules, zebra rows, the header repeated on each page: a row the page break cut
  whose page-top part fills its first column while the page's last line had only a later column
  (that column's list starts a line down) was read as a new row (004: 12 measures, silently); a page
  that ends full now joins it, and the reader asks;
- `css_garuda_land`: no rules, little padding, Garuda on A4 landscape: a row the break cut whose page-3
  part ends with its last column alone, and whose rest fills the first columns of page 4, was read as
  a new row (004: 12 measures, silently; then asked; a mark's short line step hid the rows' spacing and
  the rows were read as 19); the rest leaves two of the cut row's columns empty, which a new row never
  does in this table (its cells all begin on its first line): it is now joined and asked about, and
  the cells the layout marks as going on over the break are read as going on;
- `css_th_waree` (004), `css_center_head_norasi` (003): no rules, the header's labels centred over
  their columns (`<th>`; `thead td { text-align: center }`), Waree on A4 and Norasi on letter: a
  label starts right of its column's text, so the body's cells fell under the label on their left
  ("two cells in one column") and every such rendering was refused; the labels are now put at the
  left edge of the body column each stands over (columns from the body's gutters), and a centred
  first-column label no longer counts as a row's start in the rows' spacing;
- `css_th_kinnari_land` (made after the two above, not used to tune them): centred headers, Kinnari on
  A4 landscape, no spacing between rows to tell them by (the narrow first column is each row's longest
  cell): a row whose result cell opens with an empty paragraph begins that cell a line down, and was
  read as a new row (004: 16 measures, the questions asked none of it); where the first cell and two
  more run on into that line (none could have taken its next word) the line is now in doubt and the
  table refused naming it;
- `css_th_waree`, `css_th_garuda_land` (000): a label centred over a column whose lines mostly begin
  indented (a list under a paragraph in 000's row 7 result cell) while one paragraph begins at the
  column's edge: the column was taken from where most lines begin, the label (centred on the whole
  column, so reaching left of that) was left as drawn, and the paragraph fell under the column before
  ("two cells in one column"): refused; a column now reaches out to a cell that begins in the gutter
  before it and runs into it;
- `css_th_mid_norasi` (002), `css_mid_laksaman_b5` (003): cells and `<th>` labels centred vertically,
  the header repeated on each page: the rest of a row the page break cut follows the repeat closer than
  rows follow a header, and the two made one band of lines whose cells were neither at its top nor
  in its middle: refused (rows unclear). The repeat (the words of a header above, its first line or
  two perhaps gone as the page's running header) is now cut off and moved as the header it repeats;
  and a page that opens with a new table's header ends the table above: 002's page 3 opens with one
  under a full page 2, and the header took page 2's last two lines as labels (measure 7's steps and
  result cut short, measures 8-10 read without their results) once the rows were read;
- `css_zebra` (002), `css_th_kinnari_land` (000): a word after a wide space inside a cell began where
  another table's cells begin (the document's cell edges, where close cells are parted, were taken
  from all its tables): the cell was cut in two ("two cells in one column") and the table refused;
  such an edge no longer parts a word from its cell where a cell beginning with that cell's runs
  across it in a line near it;
- `css_rule_under`: a rule under each row only, Umpush on B5: the plan's narrow quarter columns put
  ticks in the next quarter (003: Q1 6 items, Q2 9, where the document says 15 and 1; its totals row
  disagreed, a warning only); a plan read from a PDF without rules must add up to its totals row;
- `lo_norasi`: a Word file in Norasi exported to PDF by LibreOffice Writer, whose text layer keeps the
  space each wrapped line was broken at: lines were joined without it ("ตุลาคม๒๕๖๕", "๒๕๖๖๓๐ วัน");
  003's budget "20,000.00", broken by Writer in its narrow column as "20,00" / "0.00", was refused
  ("0." taken for a list number, and the halves joined by a space);
- `lo_loma_a5`: the Word file on A5 paper, whose tables Writer lets run off the page's right edge:
  the cut-off column was read as what was left of it ("สำนักงดำเนินกทำแนวการ…") or as nothing;
- `via_odt`: a Word file saved by Writer as .odt and back to .docx: its cells' hyperlinks were read as
  plain text, and the records lost their links;
- `001_lo_norasi`: Writer exports no link annotations, so the links are the addresses in the text, which
  Writer breaks in a narrow column after a "/" or anywhere, and over a page; it draws a gap of a fifth
  of the type size where Thai meets Latin ("e/๑FAIp"): the links were cut ("https://ww", "https://www.")
  or lost, silently for two measures;
- `003_lo_garuda_land`: Writer draws some marks after the rest of their line, with the next letter's
  origin: sorted by origin, "ผลสัมฤทธิ์ต่อ" read "ผลสัมฤทธิต่์อ" (item 1's rationale).
"""
from pathlib import Path

import pytest

from lib.ingest import IngestError, read_document, read_path, versions
from tests.conftest import SEEDS
from tests.test_pdf import squash
from tests.test_spaced_text import PINNED, figures

DIR = Path(__file__).parent / "pdfs" / "renders"
CUT_OFF = {"001_lo_loma_a5", "003_css_rule_under", "004_css_th_kinnari_land"}  # refused (below)
ROW_SPLIT = {"000_css_th_waree", "000_css_whole_rows"}  # 000's row of two measures asks (below)
RENDERS = sorted(p for p in DIR.glob("*.*") if p.stem not in CUT_OFF | ROW_SPLIT)


@pytest.mark.parametrize("path", RENDERS, ids=lambda p: p.stem)
def test_an_office_rendering_reads_to_the_seed(path):
    seed = read_path(next(SEEDS.glob(f"{path.name[:3]}_*.txt")))
    got = read_document(path.read_bytes(), path.name)
    assert figures(got) == PINNED[path.name[:3]]
    assert [squash(m.title) for m in got.measures] == [squash(m.title) for m in seed.measures]
    assert versions.content_key(got) == versions.content_key(seed)


def test_the_renderings_cover_each_fault_fixed():
    assert {p.stem for p in RENDERS} >= {"002_css_default", "004_css_default", "004_css_whole_rows",
                                         "004_lo_norasi", "003_lo_norasi", "001_via_odt", "004_css_zebra_left",
                                         "004_css_th_waree", "003_css_center_head_norasi", "004_css_garuda_land",
                                         "001_lo_norasi", "003_lo_garuda_land", "002_css_th_mid_norasi",
                                         "003_css_mid_laksaman_b5", "000_css_th_garuda_land", "002_css_zebra",
                                         "000_css_th_kinnari_land"}
    assert all((DIR / f"{name}.pdf").exists() for name in CUT_OFF)


def test_text_past_the_page_edge_is_refused_naming_the_page():
    with pytest.raises(IngestError) as refused:
        read_document((DIR / "001_lo_loma_a5.pdf").read_bytes(), "001.pdf")
    assert "หน้า 1: มีข้อความเลยขอบกระดาษ" in str(refused.value) and ".docx" in str(refused.value)


def test_a_line_wrapped_at_a_space_the_text_layer_keeps_is_joined_with_it():
    got = read_document((DIR / "004_lo_norasi.pdf").read_bytes(), "004.pdf")
    assert "ภายในเดือนตุลาคม ๒๕๖๕" in got.measures[8].monitoring  # the line ended at "ตุลาคม "


def test_a_word_files_hyperlinks_are_the_records_links():
    seed = read_path(next(SEEDS.glob("001_*.txt")))
    got = read_document((DIR / "001_via_odt.docx").read_bytes(), "001.docx")
    assert [m.links for m in got.measures] == [m.links for m in seed.measures]
    assert got.measures[0].links == ("https://www.bongti.go.th/Plantypeplan",)


def test_a_cut_row_whose_first_cell_goes_on_at_the_next_page_top_is_joined_and_asked():
    got = read_document((DIR / "004_css_zebra_left.pdf").read_bytes(), "004.pdf")
    assert len(got.measures) == 11
    (asked,) = [i for i in got.issues if i.code == "pdf.row_across_pages"]
    assert asked.severity == "question" and asked.message.startswith("หน้า 5: ข้อความต้นหน้า 'งบประมาณ")


def test_a_cut_rows_rest_that_leaves_columns_of_the_row_empty_is_joined_and_asked():
    """Page 3 ends full with the last column alone; page 4 opens with the first, second and fourth
    columns, the responsible and result cells empty: the rest of the cut row (a new row fills every
    column it starts), joined, and asked about; page 5 opens with two of five columns: joined too."""
    got = read_document((DIR / "004_css_garuda_land.pdf").read_bytes(), "004.pdf")
    seed = read_path(next(SEEDS.glob("004_*.txt")))
    assert len(got.measures) == 11
    assert [squash(m.title) for m in got.measures] == [squash(m.title) for m in seed.measures]
    asked = [i.message for i in got.issues if i.code == "pdf.row_across_pages" and i.severity == "question"]
    assert len(asked) == 1 and asked[0].startswith("หน้า 4: ข้อความต้นหน้า 'ทุจริตประจำปี") and "อ่านเป็นส่วนต่อ" in asked[0]


def test_a_plan_without_rules_whose_ticks_do_not_add_up_to_its_totals_is_refused():
    with pytest.raises(IngestError) as refused:
        read_document((DIR / "003_css_rule_under.pdf").read_bytes(), "003.pdf")
    assert "แถวรวมทั้งสิ้นเขียนจำนวนไตรมาส 1 = 15 แต่นับจากรายการได้ 6" in str(refused.value)
    assert "ยอดรวมต้องตรงกับรายการ" in str(refused.value)


def test_a_closing_quote_wrapped_onto_a_line_of_its_own_is_kept():
    """Writer wrapped 003's 'มาตรการ “ส่งเสริม…ตะโก”' so the closing quote stood alone on a line; a line
    without a letter's body was dropped as marks cut off by the page edge, and the title lost it."""
    from lib.ingest.pdf import _Glyph, _words

    def glyph(text, x, base, top):
        return _Glyph(text, x, x + 5, top, base - 2, base, x, 14.0, x, x + 5)
    quote = [glyph("”", 100, 200, 188)]  # drawn high: no letter's body
    marks = [glyph("\u0e49", 100, 300, 286)]  # a tone mark alone: the top of a line the page cut
    words = _words(quote + marks)
    assert [p.text for p in words] == ["”"]


def test_a_plan_row_with_a_title_and_no_number_is_refused_not_dropped():
    """Writer on A5 cut 003's item 4 over a page break and the rest came out as a row of its own with
    no number; the summary reader skipped it, and item 4 was left titled 'กิจกรรม' with a warning."""
    lines = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").split("\n")
    row = next(k for k, line in enumerate(lines) if line.startswith("4\t"))
    cells = lines[row].split("\t")
    lines.insert(row + 1, "\t".join(["", "(หลักสูตรโตไปไม่โกง)"] + [""] * (len(cells) - 2)))
    with pytest.raises(IngestError) as refused:
        read_document("\n".join(lines).encode(), "003.txt")
    assert "แถวในตารางสรุปไม่มีลำดับ แต่มีชื่อโครงการ '(หลักสูตรโตไปไม่โกง)'" in str(refused.value)
    assert "รายการลำดับ 4" in str(refused.value)


def test_a_header_centred_over_its_columns_names_the_columns_of_the_body_under_it():
    got = read_document((DIR / "004_css_th_waree.pdf").read_bytes(), "004.pdf")
    seed = read_path(next(SEEDS.glob("004_*.txt")))
    assert [squash(m.responsible) for m in got.measures] == [squash(m.responsible) for m in seed.measures]
    assert versions.content_key(got) == versions.content_key(seed)
    asked = [i.message for i in got.issues if i.severity == "question"]
    assert len(asked) == 1 and asked[0].startswith("หน้า 4: ข้อความต้นหน้า 'การ ทุจริตประจำ")  # a cut row, joined
    plan = read_document((DIR / "003_css_center_head_norasi.pdf").read_bytes(), "003.pdf")
    assert [(p.seq, p.dimension, p.budget, p.quarters) for p in plan.plan_items] == \
        [(p.seq, p.dimension, p.budget, p.quarters) for p in read_path(next(SEEDS.glob("003_*.txt"))).plan_items]


def test_web_addresses_writer_broke_over_lines_and_pages_are_the_records_links():
    seed = read_path(next(SEEDS.glob("001_*.txt")))
    got = read_document((DIR / "001_lo_norasi.pdf").read_bytes(), "001.pdf")
    assert [m.links for m in got.measures] == [m.links for m in seed.measures]
    # broken after its "/" over a page (a question asks about the row, not about the address)
    assert got.measures[5].links == ("https://docs.google.com/forms/d/e/๑FAIpQLScRucfmTtEWtHgkVH๕dBaYFdd๑๒Xf"
                                     "๘p๖Af๘๐DRVVo๔BNHthsA/viewform",)
    assert got.measures[4].links == ("https://www.bongti.go.th/manual",)


def test_a_mark_writer_drew_apart_from_its_letter_stays_on_it():
    got = read_document((DIR / "003_lo_garuda_land.pdf").read_bytes(), "003.pdf")
    assert "ผลสัมฤทธิ์ต่อภารกิจภาครัฐ" in got.plan_items[0].rationale


def test_an_amount_a_narrow_column_broke_inside_its_thousands_is_read_whole():
    """Writer without a grid broke 003's item 7 budget "20,000.00" as "20,00" / "0.00" (refused as not an
    amount); two numbers each whole on its line stay refused."""
    lines = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").split("\n")
    row = next(k for k, line in enumerate(lines) if line.startswith("7\t"))

    def with_budget(cell):
        changed = lines.copy()
        changed[row] = changed[row].replace("\t20,000.00\t", f"\t{cell}\t")
        assert changed[row] != lines[row]
        return "\n".join(changed).encode()
    assert figures(read_document(with_budget("<p>20,00</p><p>0.00</p>"), "003.txt")) == PINNED["003"]
    with pytest.raises(IngestError) as refused:
        read_document(with_budget("<p>20,000</p><p>0.00</p>"), "003.txt")
    assert "งบประมาณ '20,000\n0.00' ไม่ใช่จำนวนเงินที่ถูกต้อง" in str(refused.value)


def test_a_line_where_the_rows_cells_run_on_and_another_begins_is_refused_without_row_spacing():
    with pytest.raises(IngestError) as refused:
        read_document((DIR / "004_css_th_kinnari_land.pdf").read_bytes(), "004.pdf")
    assert "หน้า 2 'พัฒนา คุณภาพ" in str(refused.value)
    assert "ไม่แน่ใจว่าเป็นแถวใหม่หรือข้อความต่อจากแถวก่อน" in str(refused.value)


@pytest.mark.parametrize("name", sorted(ROW_SPLIT))
def test_a_rendering_of_000_reads_to_the_seed_asking_about_its_row_of_two_measures(name):
    seed = read_path(next(SEEDS.glob("000_*.txt")))
    got = read_document((DIR / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    assert figures(got) == PINNED["000"]
    assert versions.same_document(got, seed)
    asked = [i for i in got.issues if i.code == "row.split"]
    assert len(asked) == 1 and "2 มาตรการ" in asked[0].message


def test_a_header_repeated_over_centred_cells_is_moved_as_the_header_it_repeats():
    seed = read_path(next(SEEDS.glob("002_*.txt")))
    got = read_document((DIR / "002_css_th_mid_norasi.pdf").read_bytes(), "002.pdf")
    assert versions.content_key(got) == versions.content_key(seed)
    assert [squash(m.result) for m in got.measures[6:10]] == [squash(m.result) for m in seed.measures[6:10]]
    assert squash(got.measures[7].result) == squash("รายงานความก้าวหน้ารอบ ๖ เดือน / ณ สิ้นปีงบประมาณ")
    assert not [i for i in got.issues if i.code == "pdf.row_across_pages"]
    plan = read_document((DIR / "003_css_mid_laksaman_b5.pdf").read_bytes(), "003.pdf")
    assert [(p.seq, p.dimension, p.budget, p.quarters) for p in plan.plan_items] == \
        [(p.seq, p.dimension, p.budget, p.quarters) for p in read_path(next(SEEDS.glob("003_*.txt"))).plan_items]


def test_a_column_reaches_out_to_a_paragraph_that_begins_left_of_its_indented_lines():
    """000's row 7 result: a paragraph at the column's edge, then a list indented under it (000 printed
    with centred labels on A4 and on A4 landscape; refused as 'two cells in one column' before)."""
    seed = read_path(next(SEEDS.glob("000_*.txt")))
    for name in ("000_css_th_waree", "000_css_th_garuda_land"):
        got = read_document((DIR / f"{name}.pdf").read_bytes(), f"{name}.pdf")
        assert figures(got) == PINNED["000"]
        assert versions.same_document(got, seed)
        assert got.measures[6].result.startswith("มีการจัดทำช่องทางการติดต่อสื่อสาร\n๑. ช่องทางการร้องเรียน")
        assert got.measures[6].period_text == seed.measures[6].period_text == "ตุลาคม ๒๕๖๗ - กันยายน ๒๕๖๘"


def test_a_columns_edge_is_its_leftmost_cell_begun_in_the_gutter_before_it():
    from lib.ingest.pdf_layout import Piece
    from lib.ingest.pdf_spaced import _column_spans

    def line(y, *cells):
        return [Piece(text, x0, x1, y - 10, y) for text, x0, x1 in cells]
    # column 2's lines begin at 130 (a list's indent), one paragraph at 110; column 1 ends at 90
    lines = [line(20 + 12 * k, ("ก", 10, 90), ("ข", 130, 200), ("ค", 230, 300)) for k in range(4)]
    lines.append(line(80, ("ก", 10, 60), ("ขขขข", 110, 200), ("ค", 230, 280)))
    assert [round(lo) for lo, _ in _column_spans(lines, 8.0)] == [10, 110, 230]
    # a cell of column 1 running on towards column 2 is column 1's: column 2 keeps its edge
    lines[-1] = line(80, ("กกกก", 10, 100), ("ข", 130, 200), ("ค", 230, 280))
    assert [round(lo) for lo, _ in _column_spans(lines, 8.0)] == [10, 130, 230]


def test_another_tables_cell_edge_parts_no_word_from_its_cell():
    from lib.ingest import pdf_spaced
    from lib.ingest.pdf_layout import Piece

    def line(page, y, *words):
        return (page, [Piece(text, x0, x1, y - 10, y) for text, x0, x1 in words])
    # a table whose third column begins at 449; its last line's cell comes close to the second's
    table = [line(1, 20 + 12 * k, ("ก", 10, 60), ("ข", 368, 420), ("ค", 449, 500)) for k in range(4)]
    table.append(line(1, 68, ("ก", 10, 60), ("ขขขข", 368, 443), ("ค", 449, 500)))
    # another table: one cell from 368 to 470, whose word after a space (5.7 wide) begins at 449
    other = [line(2, 20, ("ก", 10, 60), ("ประชาสัมพันธ์", 368, 423), ("ให้บุคคล", 426.6, 459.5)),
             line(2, 32, ("ก", 10, 60), ("ภายนอกได้รับทราบ", 368, 443), ("และ", 448.7, 463.1)),
             line(2, 44, ("ก", 10, 60), ("สามารถ", 368, 398), ("ตรวจสอบข้อมูล", 402, 460))]
    lines, gap = table + other, 8.5
    edges = pdf_spaced._edges(lines, gap)
    assert 449 in edges
    token = pdf_spaced._EDGES.set(edges)
    try:
        crossed = pdf_spaced._crossed(lines, edges, gap)
        token2 = pdf_spaced._CROSSED.set(crossed)
        assert [len(b) for b in pdf_spaced._blocks(other[1][1], gap)] == [1, 2]  # และ goes on its cell
        assert len(pdf_spaced._blocks(table[-1][1], gap)) == 3  # the table's own columns stay apart
        pdf_spaced._CROSSED.reset(token2)
        assert [len(b) for b in pdf_spaced._blocks(other[1][1], gap)] == [1, 1, 1]  # as it was cut before
    finally:
        pdf_spaced._EDGES.reset(token)
