"""Space-aligned text extracted from the PDFs an office publishes (pdftotext -layout and the like):
each reads to the seed's records, or is refused saying what was found; never a wrong figure."""
import re

import pytest

from lib.ingest import IngestError, read_document, read_path
from lib.ingest.gutters import Pages, pages, realign
from lib.ingest.spaced import plain_spaces
from lib.ingest.versions import content_key
from lib.store import import_seeds, open_store
from lib.thai import clean_text
from tests.renderings.pdf_text import pdftotext
from tests.test_spaced_text import PINNED, figures, records, seed
from tests.test_versions import counts, tako

KINDS = ("ruled", "wide", "bare", "office")
# what each rendering gives today: the summary table of 003 is read where pdftotext's columns are
# apart (one space is enough) on every page that holds ticks, or a totals row marks the quarters
READ = {("003", "ruled", ""), ("003", "wide", ""), ("003", "ruled", "-fixed 3")}
# measure tables read row by row (lib.ingest.gutters.by_rows): the seed's content identity, with a
# question on each table's row count (no row numbers to check it against) and on a page's first line
# that starts every column
READ_BY_ROWS = {("002", "wide", ""), ("002", "ruled", "-fixed 3")}
RENDERINGS = [(p, k, "") for p in PINNED for k in KINDS] + \
    [(p, k, f) for p in PINNED for k in ("ruled", "wide") for f in ("-fixed 3", "-fixed 6")]


def _text(prefix: str, kind: str, fixed: str) -> str:
    return pdftotext(f"{prefix}_{kind}", "-layout", *fixed.split())


def _summary(doc):
    return [(p.seq, p.dimension, p.budget, p.quarters, p.detail_seq, re.sub(r"\s+", "", p.title))
            for p in doc.plan_items]


@pytest.mark.parametrize("prefix, kind, fixed", RENDERINGS, ids=["-".join(filter(None, r)) for r in RENDERINGS])
def test_pdftotext_layout_reads_to_the_seed_or_is_refused_saying_what_it_found(prefix, kind, fixed):
    """Renderings the reader was not tuned on (it was tuned on 003_ruled): never a wrong figure."""
    expected = read_path(seed(prefix))
    text = _text(prefix, kind, fixed)
    if (prefix, kind, fixed) in READ_BY_ROWS:
        doc = read_document(text.encode(), "copy.txt")
        assert figures(doc) == PINNED[prefix] == figures(expected)
        assert content_key(doc) == content_key(expected)
        asked = [i.message for i in doc.issues if i.code == "table.rows_unchecked"]
        assert asked and all("กรุณาตรวจ" in m for m in asked)
        return
    if (prefix, kind, fixed) not in READ:
        with pytest.raises(IngestError) as err:
            read_document(text.encode(), "copy.txt")
        message = str(err.value)
        assert expected.organization.short_name in message or "ระบบไม่นำเข้า" in message
        assert "ระบบไม่นำเข้า" in message or "นำเข้าไฟล์ PDF ต้นฉบับแทนได้" in message  # what to do instead
        return
    doc = read_document(text.encode(), "copy.txt")
    assert figures(doc) == PINNED[prefix] == figures(expected)
    assert _summary(doc) == _summary(expected)  # every row of the summary table, as the seed has it
    # wide's font leaves a gap inside "ปี งบประมาณ": the year is read across it
    assert (doc.fiscal_year, doc.organization.name) == (expected.fiscal_year, expected.organization.name)
    assert any(i.code == "table.spaced" and "แนวช่องว่าง" in i.message for i in doc.issues)
    assert not any(i.code == "text.control" for i in doc.issues)  # its form feeds are page breaks


@pytest.mark.parametrize("kind, fixed", [("ruled", ""), ("wide", ""), ("ruled", "-fixed 3"), ("ruled", "-nopgbrk")])
def test_the_plan_reads_to_the_seeds_whole_records(kind, fixed):
    # the rows' gutters give มิติ and งบประมาณ apart though the header writes them one space apart;
    # the detail sheets after the table are read as the seed's, but for item 16's rationale, where the
    # seed types a tone mark twice ("ทำให้้") and the PDF draws it once (the PDF reader reads it so too).
    # -fixed 3 sets loose marks run together on lines of their own ("ที่กี่", over "ผู้ที่เกี่ยวข้อง"):
    # they were read into item 12's method and item 16's outputs ("…ร้องเรียนรื่สั่ที่ที่กี่พื่๔)…").
    # -nopgbrk (a viewer's "save as text") has no form feeds to tell pdftotext's text: its lines of
    # loose marks over the words they belong to tell it ("พื่" over "เพื่อพัฒนา"); they were read into
    # items 1, 2, 7, 13 ("ขั้ถิ่ที่พระราชบัญญัติ…")
    doc = read_document(_text("003", kind, fixed).encode(), "copy.txt")
    differing = [(g["seq"], k) for g, w in zip(records(doc), records(read_path(seed("003"))), strict=True)
                 for k in w if g.get(k) != w[k]]
    assert differing == [(16, "rationale")]


def _realigned(text: str, code_points: bool = True):
    breaks = {i for i, line in enumerate(text.split("\n")) if "\f" in line}
    return realign(plain_spaces(clean_text(text)), Pages(frozenset(breaks), True), code_points)


def test_a_tick_between_two_quarter_headers_goes_where_the_totals_row_says_else_is_refused():
    text = _text("003", "ruled", "")
    lines = text.split("\n")
    row = next(k for k, line in enumerate(lines) if line.startswith("3 ") and "☑" in line)
    at = lines[row].index("☑")
    # item 3's tick stands under quarter 2 ("2" at the same place); two places right it is as near
    # to quarter 3's "3" as to quarter 2's
    q2, q3 = (lines[row - 5].index(d) for d in ("2", "3"))
    assert at == q2 and q3 - q2 == 4
    assert _realigned(text).reasons == {} and _realigned(text).by_totals == []
    lines[row] = lines[row][:at] + "  ☑"
    # the totals row (15 1 0 0) allows one way: the other 15 ticks, left of it, in quarter 1, it in quarter 2
    found = _realigned("\n".join(lines))
    assert found.reasons == {} and found.by_totals == [row + 1]
    doc = read_document("\n".join(lines).encode(), "plan.txt")
    assert [p.seq for p in doc.plan_items if p.quarters == (2,)] == [3]
    assert [p.quarters for p in doc.plan_items] == [p.quarters for p in read_path(seed("003")).plan_items]
    warned = [i.message for i in doc.issues if i.code == "plan.quarters_by_totals"]
    assert len(warned) == 1 and warned[0].startswith(f"บรรทัด {row + 1}:")
    # totals that fit only with ticks far apart in one quarter: the tick is not placed, nor the plan read
    total = next(k for k, line in enumerate(lines) if line.lstrip("\f").startswith("รวมทั้ง"))
    lines[total] = re.sub(r"15 +1 +0 +0$", "16   0   0   0", lines[total])
    assert lines[total].endswith("16   0   0   0")
    found = _realigned("\n".join(lines))
    assert found.text is None and "ไม่อยู่ใต้หัวไตรมาสใดชัดเจน" in found.reasons[row + 1]
    with pytest.raises(IngestError):
        read_document("\n".join(lines).encode(), "plan.txt")


def test_a_figure_run_into_the_text_beside_it_is_refused_naming_the_row():
    # 003 without rules: pdftotext puts item 8's dimension one space after its title ("...บริหาร 2"),
    # inside the title's column: the row has no dimension and the plan is refused, naming it
    with pytest.raises(IngestError) as err:
        read_document(_text("003", "bare", "").encode(), "copy.txt")
    assert "โครงการลำดับ 8" in str(err.value) and "มิติ" in str(err.value)


def test_the_wide_plan_places_its_second_page_by_the_totals_row():
    # 003 wide: rows 8-16 are on page 2, shifted; the totals row's four counts there mark the quarters
    text = _text("003", "wide", "")
    assert text.split("\f")[1].lstrip().startswith("8 ")
    doc = read_document(text.encode(), "copy.txt")
    assert [p.seq for p in doc.plan_items if p.quarters == (1,)] == [s for s in range(1, 17) if s != 3]


def test_rows_left_outside_every_table_are_refused_not_dropped():
    # LibreOffice's 002: the first header (centred over nine lines) is not recognised, a repeated one
    # further down is; its table ended at blank lines and the reader used to count 2 measures of 14
    text = _text("002", "office", "")
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "002.txt")
    assert "อบต.ปอ" in str(err.value) and "นอกตารางที่ระบบอ่านได้" in str(err.value)


@pytest.mark.parametrize("kind", ["ruled", "wide"])
def test_the_plan_from_pdftotext_after_its_seed_never_changes_a_figure(tmp_path, kind):
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    before = counts(store)
    data = _text("003", kind, "").encode()
    result = store.import_document(read_document(data, "ตะโก.txt"), data, "txt", "ทดสอบ")
    # the same document, or (were a paragraph read otherwise) a version waiting for the user's choice,
    # counted nowhere until then
    assert result.version_of is not None or not result.created
    assert counts(store)["plan_item"] == before["plan_item"]
    assert tako(store) == (16, 20000.0)
    store.close()


def test_a_page_number_at_the_foot_of_a_table_page_is_not_a_row():
    # the corpus PDFs print no page numbers; an office's do: "- 1 -" centred under the last row of
    # the page, in the quarters' gutter, would otherwise join the columns or open a row
    text = _text("003", "ruled", "")
    first, rest = text.split("\f", 1)
    text = first.rstrip("\n") + "\n\n" + " " * 93 + "- 1 -\n\f" + rest
    doc = read_document(text.encode(), "copy.txt")
    assert figures(doc) == PINNED["003"]


def test_the_plan_saved_as_text_without_page_breaks_reads_or_is_refused():
    # a viewer's "save as text" keeps the layout but not the form feeds: the ruled plan's totals row,
    # on its own page, is placed by what its numbers are; the wide one's second page is laid out on
    # another scale, its columns run into the first page's and it is refused
    ruled = _text("003", "ruled", "").replace("\f", "")
    assert figures(read_document(ruled.encode(), "copy.txt")) == PINNED["003"]
    with pytest.raises(IngestError):
        read_document(_text("003", "wide", "").replace("\f", "").encode(), "copy.txt")


def test_a_gap_inside_the_word_for_fiscal_year_still_reads_the_year():
    # Laksaman's text as pdftotext gives it: "ปี งบประมาณ พ.ศ. ๒๕๖๙" (a document year and an item's period)
    from datetime import date

    from lib.ingest.header import read_header
    from lib.thai import read_period
    assert read_header("แผนปฏิบัติการป้องกันการทุจริต\nปี งบประมาณ พ.ศ. ๒๕๖๙\n").fiscal_year == 2569
    period = read_period("ปี งบประมาณ พ.ศ. ๒๕๖๙")
    assert (period.start, period.end) == (date(2025, 10, 1), date(2026, 9, 30))


def test_a_leading_vowel_pdftotext_left_on_a_line_of_its_own_is_not_text():
    # a Norasi A4 rendering put "ที่ … ไ" (a mark on its base and a lone sara ai) on their own line
    # above a detail sheet's paragraph, and the rationale began "ที่ไแผนแม่บท…"; no Thai word is a
    # leading vowel alone, so the line is dropped as the loose marks beside it are
    lines = _text("003", "ruled", "").split("\n")
    at = next(k for k, line in enumerate(lines) if line.startswith("แผนแม่บทภายใต้"))
    lines.insert(at, " " * 60 + "ที่" + " " * 40 + "ไ")
    doc = read_document("\n".join(lines).encode(), "copy.txt")
    differing = [(g["seq"], k) for g, w in zip(records(doc), records(read_path(seed("003"))), strict=True)
                 for k in w if g.get(k) != w[k]]
    assert differing == [(16, "rationale")]  # the seed's doubled tone mark, as in the test above


def test_letters_with_marks_run_together_are_loose_marks_only_where_the_lines_around_hold_them():
    from lib.ingest.gutters import _stray_line
    lines = ["", " " * 30 + "ที่กี่" + " " * 20 + "พื่", "๑) จัดอบรมให้ความรู้ที่เกี่ยวข้องกับบทบาทเพื่อ"]
    assert _stray_line(lines, 1)
    # the same letters with nothing around that holds them: a word ("ที่นี่" is one), kept as text
    assert not _stray_line(["", " " * 30 + "ที่นี่", "๑) จัดอบรมให้ความรู้"], 1)
    assert not _stray_line(["", "ที่กี่ กิจกรรม", "ที่เกี่ยว"], 1)  # a word with a bare letter is text


def test_text_is_taken_for_pdftotexts_only_on_two_lines_of_loose_marks_over_their_words():
    from lib.ingest.gutters import _from_pdftotext
    over = ["       พื่", "- ๑) เพื่อพัฒนาสถานศึกษา", "  พื่        ขั้", "เพื่อให้ทราบขั้นตอน"]
    assert _from_pdftotext(over)
    assert not _from_pdftotext(over[:2])  # one such line: a cell's "ที่" in a web copy may be one
    assert not _from_pdftotext(["ที่", "กิจกรรม", "ที่", "โครงการ"])  # words not found below: text


def test_a_cell_beginning_a_line_below_its_row_is_refused_not_read_as_a_row():
    # 004 wide: the monitoring cell of "การปรับปรุงการ…" starts one line under the row's first line (a
    # list's top margin). Read as a new row it made a one-line measure and merged the next one across
    # the page break (15 measures instead of 11); it cannot be told from a one-line row, so it is refused
    with pytest.raises(IngestError) as err:
        read_document(_text("004", "wide", "").encode(), "copy.txt")
    assert "เริ่มต่ำกว่าแถว" in str(err.value) and "ทต.ปรุใหญ่" in str(err.value)


def test_a_header_repeated_on_each_page_with_a_page_number_above_it_reads_row_by_row():
    # loose: "หน้า 2 / 5" at the top of each page, then the header repeated word for word, then the
    # lines of a row that runs on from the page before. Only the header's own lines are the repeat:
    # taking every line under it that fits the header's columns lost the lines that run the row on
    # (measure 2's title and period cut short, with the right count)
    expected = read_path(seed("002"))
    doc = read_document(pdftotext("002_loose", "-layout").encode(), "copy.txt")
    assert figures(doc) == PINNED["002"]
    assert content_key(doc) == content_key(expected)
    assert any(i.code == "table.rows_unchecked" for i in doc.issues)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_without_page_breaks_a_repeated_header_is_not_taken_for_a_new_table(prefix):
    """-nopgbrk (a viewer's "save as text") loses the form feeds: a header repeated at a page's top looks like
    a new table's, and the row the page cut ran on below it. 002_loose read that row's end as a 15th measure
    (seq 3 to 15 shifted, no question). Each copy reads to the seed's records or is refused; never more or
    fewer records."""
    expected = read_path(seed(prefix))
    for kind in ("loose", "bare", "middle", "office"):
        text = pdftotext(f"{prefix}_{kind}", "-layout", "-nopgbrk")
        try:
            doc = read_document(text.encode(), "copy.txt")
        except IngestError:
            continue
        assert figures(doc) == figures(expected)
        assert content_key(doc) == content_key(expected)


def test_without_page_breaks_the_page_footers_give_the_pages():
    """-nopgbrk of 002_loose: 'หน้า 1 / 5' ... 'หน้า 5 / 5' at each page's foot place the pages the form
    feeds of the -layout copy mark, and the copy is read as that one is: the seed's records, the same
    questions (it was refused: a header repeated word for word, page unknown)."""
    paged = pdftotext("002_loose", "-layout")
    text = pdftotext("002_loose", "-layout", "-nopgbrk")
    breaks = {i for i, line in enumerate(paged.split("\n")) if "\f" in line}
    assert pages(text, set()) == Pages(frozenset(breaks - {max(breaks)}), True)  # the last: the end of the text
    doc, expected = read_document(text.encode(), "copy.txt"), read_document(paged.encode(), "copy.txt")
    assert figures(doc) == PINNED["002"]
    assert content_key(doc) == content_key(read_path(seed("002"))) == content_key(expected)
    assert sorted(i.message for i in doc.issues) == sorted(i.message for i in expected.issues)


def test_page_footers_are_placed_only_when_their_numbers_and_ends_say_where_they_stand():
    body = ["มาตรการ", "ข้อความ", ""]
    foot = [*body, "- 1 -", *body, "- 2 -", *body, "- 3 -", ""]
    assert pages("\n".join(foot), set()) == Pages(frozenset({4, 8}), True)
    top = ["หน้า 1", *body, "หน้า 2", *body, "หน้า 3", *body]
    assert pages("\n".join(top), set()) == Pages(frozenset({4, 8}), True)
    # text before the first and after the last, or numbers not one by one: a PDF's, its pages unknown
    assert pages("\n".join([*body, "- 2 -", *body, "- 3 -", *body]), set()) == Pages(frozenset(), True)
    assert pages("\n".join([*body, "- 1 -", *body, "- 3 -", ""]), set()) == Pages(frozenset(), True)
    assert pages("\n".join(body), set()) == Pages(frozenset(), False)
    assert pages("\n".join(body), {2}) == Pages(frozenset({2}), True)  # form feeds


def _ticks_shifted(text: str, places: int) -> str:
    """003's first page with every tick `places` to the right, as pdftotext sets a page's columns apart
    from the sub-headers ("1           2 3 4" over ticks centred in wider cells)."""
    first, rest = text.split("\f", 1)
    return first.replace("☑", " " * places + "☑") + "\f" + rest


def test_ticks_under_no_quarter_are_placed_by_the_one_way_the_totals_row_allows():
    # shifted three places the ticks of page 1 stand under no quarter's sub-header; the totals row
    # (15 1 0 0) allows one way to give the two places ticks hold on page 1 and the one on page 2
    # quarters left to right: page 1's left place and page 2's are quarter 1, page 1's right one quarter 2
    text = _ticks_shifted(_text("003", "wide", ""), 3)
    doc = read_document(text.encode(), "copy.txt")
    assert [(p.seq, p.quarters) for p in doc.plan_items] == [(p.seq, p.quarters) for p in read_path(seed("003")).plan_items]
    assert [p.seq for p in doc.plan_items if p.quarters == (2,)] == [3]
    assert _summary(doc) == _summary(read_path(seed("003")))
    assert any(i.code == "plan.quarters_by_totals" for i in doc.issues)  # said, for the user to check


@pytest.mark.parametrize("totals", ["16   0   0   0", "14   2   0   0"])
def test_ticks_the_totals_row_does_not_place_are_refused(totals):
    # 16 0 0 0 fits only with page 1's two places (five apart) in one quarter; 14 2 0 0 fits no way:
    # the ticks under no sub-header are not placed, the plan is refused naming the line
    text = _ticks_shifted(_text("003", "wide", ""), 3).replace("15   1   0   0", totals)
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "copy.txt")
    assert "ไม่อยู่ใต้หัวไตรมาสใดชัดเจน" in str(err.value)
