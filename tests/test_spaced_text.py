"""Text without tabs: tables copied from a web page (cells separated by runs of spaces, cells broken
onto more lines) read to the same records as the tab-separated seeds; what cannot be placed safely is
refused with what was found and what is needed."""
import itertools
import re
from collections import Counter

import pytest

from lib.ingest import IngestError, read_document, read_path
from lib.ingest.spaced import header_at, unread_headers
from lib.records import to_jsonable
from tests.conftest import SEEDS
from tests.renderings import spaced, spaced_wrapped
from tests.renderings.web_copy import ALIGNMENTS, STYLES, TO_START, Style, line_per_cell, render


def _same_looking(text: str) -> str:
    """Thai as it looks: sara am written as nikhahit + sara aa, a mark written twice."""
    return re.sub(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+", r"\1", text.replace("\u0e4d\u0e32", "\u0e33"))


def records(doc, repair=False):
    """The records as JSON, whitespace taken out (`repair`: damaged Thai as it looks, which the reader
    of text laid out by its gutters repairs as a PDF's: lib.thai.repair_pdf_text)."""
    def norm(v):
        if isinstance(v, str):
            return re.sub(r"\s+", "", _same_looking(v) if repair else v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items() if k != "source_excerpt"}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v
    return [norm(to_jsonable(r)) for r in doc.measures + doc.plan_items]


def seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_aligned_columns_read_like_the_tab_seed(prefix):
    path = seed(prefix)
    expected = read_path(path)
    text = spaced(path.read_text(encoding="utf-8"))
    assert "\t" not in text
    doc = read_document(text.encode(), "copied.txt")
    assert records(doc) == records(expected)
    assert (doc.layout, doc.fiscal_year, doc.organization) == (expected.layout, expected.fiscal_year,
                                                               expected.organization)
    assert any(i.code == "table.spaced" for i in doc.issues)  # the user is told how the columns were found


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_cells_broken_onto_more_lines_join_their_row(prefix):
    path = seed(prefix)
    doc = read_document(spaced_wrapped(path.read_text(encoding="utf-8")).encode(), "copied.txt")
    assert records(doc) == records(read_path(path))


def test_003_plan_totals_from_spaced_text():
    doc = read_document(spaced(seed("003").read_text(encoding="utf-8")).encode(), "plan.txt")
    assert len(doc.plan_items) == 16 and sum(p.budget for p in doc.plan_items) == 20000
    assert [p.quarters for p in doc.plan_items].count((1,)) == 15


def test_cells_that_cannot_be_placed_are_refused_with_what_was_found():
    # tabs become two or three spaces in turn, no alignment: neither a tab's width nor the header's
    # positions place the empty quarter cells (each tab as the same run reads: tests/test_tab_spaces.py)
    gaps = itertools.cycle(["  ", "   "])
    text = "".join(next(gaps) if c == "\t" else c for c in seed("003").read_text(encoding="utf-8"))
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "plan.txt")
    message = str(err.value)
    assert "อบต.ตะโก" in message and "2569" in message and "แผนปฏิบัติการป้องกันการทุจริต" in message
    assert "ลำดับ | รายการโครงการ (ตั้งต้น) | มิติ | งบประมาณ (บาท)" in message  # the header it saw
    assert "บรรทัด 21" in message  # the first row it could not place
    assert "แท็บ" in message and "รูปแบบที่ระบบอ่านได้" in message


def test_a_document_without_a_table_says_what_it_recognised():
    text = ("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม\nองค์การบริหารส่วนตำบลปอ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
            "มาตรการ ขั้นตอน ผู้รับผิดชอบ ระยะเวลา\nประชุมประจำเดือน ทุกกอง ต.ค. ๒๕๖๖\n")
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "memo.txt")
    message = str(err.value)
    assert "หน่วยงาน: อบต.ปอ" in message and "ปีงบประมาณ: 2567" in message
    assert "ลักษณะเอกสาร: รายงานผลการดำเนินการตามมาตรการ" in message
    assert "คำในหัวตาราง (บรรทัด 3): มาตรการ, ขั้นตอน, ผู้รับผิดชอบ, ระยะเวลา" in message
    assert "แผนปฏิบัติการป้องกันการทุจริต (ตารางสรุป + รายละเอียดโครงการ)" in message  # supported layouts


# What every rendering of a seed must read to (tests/test_ingest_seeds.py pins the same figures).
PINNED = {
    "000": {"measures": 7, "codes": [], "instruments": {None: 7}},
    "001": {"measures": 8, "codes": ["i7", "i8", "i12", "e11", "e14", "e15", "o41", "o42"],
            "instruments": {"IIT": 3, "EIT": 3, "OIT": 2}},
    "002": {"measures": 14, "codes": [], "instruments": {None: 14}, "categories": 6},
    "003": {"items": 16, "dimensions": {1: 4, 2: 6, 3: 4, 4: 2}, "budget": 20000.0, "q1": 15, "q2": [3]},
    "004": {"measures": 11, "codes": [], "instruments": {"IIT": 3, "EIT": 3, "OIT": 5}},
}
# the fields a question about one column of a row holding two measures covers
_ASKED_FIELDS = {
    "responsible": {"responsible"}, "steps": {"steps"}, "outcome": {"outcome"}, "result": {"result", "reports"},
    "monitoring": {"monitoring"}, "weakness": {"weakness", "title"},
    "period": {"period_text", "start", "end", "quarters", "recurrence", "period_source", "reports"},
    # a title column (table.tab_unsure asks about it only when every reading makes the same measures)
    "measure": {"title"}, "topic": {"item_topic"},
}


def figures(doc):
    if doc.kind == "plan":
        items = doc.plan_items
        return {"items": len(items), "dimensions": dict(Counter(p.dimension for p in items)),
                "budget": sum(p.budget for p in items), "q1": sum(1 in p.quarters for p in items),
                "q2": [p.seq for p in items if 2 in p.quarters]}
    out = {"measures": len(doc.measures), "codes": [c for m in doc.measures for c in m.item_codes],
           "instruments": dict(Counter(m.instrument for m in doc.measures))}
    if any(m.category_no for m in doc.measures):
        out["categories"] = len({m.category_no for m in doc.measures})
    return out


@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_web_copies_read_to_the_seed_or_ask(prefix, style):
    """Web-copied renderings the reader was not tuned on (widths, wrapping in the first, middle or
    last columns, gaps, blank lines between rows, NBSP and ideographic spaces, zero-width and
    full-width characters, CRLF): the pinned figures exactly, and every record the seed's own, or
    asked about in a question naming its row and column (never a different value said silently)."""
    path = seed(prefix)
    text = render(path.read_text(encoding="utf-8"), style)
    assert "\t" not in text
    doc = read_document(text.encode("utf-8"), "copied.txt")
    expected = read_path(path)
    assert figures(doc) == PINNED[prefix] == figures(expected)
    assert (doc.fiscal_year, doc.organization.name, doc.layout) == (expected.fiscal_year,
                                                                    expected.organization.name, expected.layout)
    assert_seed_or_asked(doc, expected)


# 004 centred-narrow and right-narrow once read through lib.ingest.gutters, which took the single
# space inside the right-aligned first cell "รายงานผลการใช้จ่าย งบประมาณ" for a gutter: measure 9's title
# lost "งบประมาณประจำปี". Text the space reader finds centred or right-aligned is now refused.
ALIGNED_CASES = [pytest.param(prefix, style, id=f"{prefix}-{style.name}")
                 for style in ALIGNMENTS for prefix in ("000", "001", "002", "003", "004")]


@pytest.mark.parametrize(("prefix", "style"), ALIGNED_CASES)
def test_cells_centred_or_right_aligned_read_to_the_seed_or_are_refused(prefix, style):
    """Cells centred or bottom-aligned in their row (a row's first cell starting below its first line)
    and text centred or right-aligned in its column (pieces not at the column's start): read to the
    seed's records, or refused saying what was found; never a record holding another row's text."""
    path = seed(prefix)
    text = render(path.read_text(encoding="utf-8"), style)
    expected = read_path(path)
    try:
        doc = read_document(text.encode("utf-8"), "copied.txt")
    except IngestError as err:
        message = str(err)
        if "ไม่พบตาราง" in message:  # no table taken: what was found, where and why, what is needed
            assert expected.organization.short_name in message and str(expected.fiscal_year) in message
            assert "ไม่ได้อย่างปลอดภัย" in message and "รูปแบบที่ระบบอ่านได้" in message
        else:  # a row the layout reader cannot take (a cell began mid-row), named by its line
            assert "ระบบไม่นำเข้า" in message and "บรรทัด" in message
        return
    assert figures(doc) == PINNED[prefix]
    assert_seed_or_asked(doc, expected)


def test_why_centred_cells_are_refused():
    """The reasons name what was seen: a cell that begins mid-row, a plan whose summary titles match
    none of its detail sheets (its rows were cut in the wrong places), too few pieces at a column's
    start (centred or right-aligned text)."""
    def refusal(prefix, style):
        with pytest.raises(IngestError) as err:
            read_document(render(seed(prefix).read_text(encoding="utf-8"), style).encode(), "copied.txt")
        return str(err.value)
    by_name = {s.name: s for s in ALIGNMENTS}
    assert "เริ่มกลางแถว (เซลล์จัดกึ่งกลางหรือชิดล่างในแนวตั้ง)" in refusal("004", by_name["middle"])
    assert "ไม่ตรงกับชื่อในรายละเอียดโครงการ" in refusal("003", by_name["middle-narrow"])
    # one centred table whose every piece falls in its own column is still refused by its alignment
    table = "\n".join(line.center(len(line) + 6) if "\t" not in line else line
                      for line in seed("002").read_text(encoding="utf-8").splitlines())
    centred = "\n".join("   ".join(cell.strip().center(40) for cell in line.split("\t")) if "\t" in line else line
                        for line in table.splitlines())
    with pytest.raises(IngestError) as err:
        read_document(centred.encode(), "copied.txt")
    assert "ไม่ได้อย่างปลอดภัย" in str(err.value)


def test_a_first_column_broken_onto_more_lines_keeps_the_count():
    """The last session's wrong figure: a first cell broken onto more lines read 000 as 8 measures and
    refused 001 and 004."""
    style = Style("first", wrap={0: 12})
    counts = {p: figures(read_document(render(seed(p).read_text(encoding="utf-8"), style).encode(), "c.txt"))
              for p in ("000", "001", "004")}
    assert [counts[p]["measures"] for p in ("000", "001", "004")] == [7, 8, 11]
    assert counts["001"]["codes"] == PINNED["001"]["codes"]


def test_a_row_that_cannot_be_told_from_the_one_above_is_refused_naming_it():
    """First and second columns are seen to wrap (lines 2-6); then two lines with the same cells: the
    first cell of the upper one is short (not wrapped) but its second cell is full (wrapped), so the
    lower line is as much a new row as the continuation of the upper one."""
    starts = (0, 14, 30, 44)

    def line(*cells):
        out = ""
        for at, cell in zip(starts, cells, strict=False):
            out = out.ljust(at) + cell
        return out.rstrip()

    table = [line("มาตรการ", "ขั้นตอน", "ผู้รับผิดชอบ", "ผลการดำเนินการ"),
             line("aaaaa bbbb", "cccc dddd eee", "X", "done"),
             line("eeee ffff", "gggg hhhh iii", "", "more"),
             line("gg"),
             line("", "qqqq rrrr sss"),
             line("", "tttt uuuu vvv"),
             line("", "wwww"),
             line("hh", "jjjj kkkk lll", "Y", "ok"),
             line("mm", "nnnn oooo ppp", "Z", "yes")]
    text = ("รายงานผลการดำเนินการตามมาตรการ เทศบาลตำบลปรุใหญ่ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n\n"
            + "\n".join(table) + "\n")
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "copied.txt")
    message = str(err.value)
    assert "ทต.ปรุใหญ่" in message and "2566" in message
    assert "บรรทัด 11: ไม่แน่ใจว่าเป็นแถวใหม่หรือข้อความต่อจากแถวก่อน" in message


def _lost_only(got, want) -> bool:
    """`got` is `want` with text left out, never text changed (strings read in order, lists a part)."""
    if isinstance(want, str):
        rest = iter(want)
        return isinstance(got, str) and len(got) < len(want) and all(c in rest for c in got)
    if isinstance(want, list):
        return isinstance(got, list) and all(any(g == w or _lost_only(g, w) for w in want) for g in got)
    if isinstance(want, dict):
        return all(got.get(k) == v or _lost_only(got.get(k), v) for k, v in want.items())
    return False


def assert_seed_or_asked(doc, expected):
    """Every record is the seed's own, or differs only where a question names it: a row holding two
    measures whose shared cell could not be shared out (row.split: its row and column), or lines
    that run a row on over a page break whose cells could not be told (cells.unplaced: the row's
    text is the seed's with those lines left out, the question quoting them)."""
    asked = [i.subject.split(":")[1:] for i in doc.issues if i.code == "row.split"]
    # a row whose tabs at stops give several readings: its line and the roles of the cells in doubt
    asked += [[row, role] for i in doc.issues if i.code == "table.tab_unsure"
              for row, roles in [i.subject.split(":")[1:]] for role in roles.split("+")]
    unplaced = [i.message for i in doc.issues if i.code == "cells.unplaced"]
    gutters = any(i.code == "table.spaced" and "แนวช่องว่าง" in i.message for i in doc.issues)
    for got, want, looks, looked, record in zip(records(doc), records(expected), records(doc, repair=gutters),
                                                records(expected, repair=gutters), doc.measures + doc.plan_items,
                                                strict=True):
        # a field may differ by damaged Thai the gutter reader repaired (a split sara am, a doubled mark)
        differing = {k for k in want if got.get(k) != want[k] and looks.get(k) != looked[k]}
        if not differing:
            continue
        line = re.sub(r"^\[หน้า \d+\] ", "", record.source_excerpt).split(":", 1)[0]  # a PDF's names its page
        allowed = set().union(*(_ASKED_FIELDS[role] for row, role in asked if row == line))
        if differing <= allowed:
            continue
        opening = re.sub(r"\s+|<[^>]+>", "", record.source_excerpt.split("\t")[0].split(":", 1)[1])[:12]
        assert any(opening in re.sub(r"\s+", "", m) for m in unplaced), (record.seq, differing, asked)
        assert all(_lost_only(got.get(k), want[k]) for k in differing - allowed), (record.seq, differing)


# Every cell on a line of its own: what is read, what is refused (and why), per shape.
LINE_PER_CELL = {
    # empty cells as empty lines: rows of exactly as many lines as the header
    False: {"000": "read", "001": "read", "002": "read", "003": "read", "004": "read"},
    # rows separated by blank lines, empty cells left out: a plan's tick cannot be placed in its quarter
    True: {"000": "read", "001": "read", "002": "read", "003": "refused", "004": "read"},
}


@pytest.mark.parametrize("blank_rows", [False, True], ids=["empty-cell-lines", "blank-line-rows"])
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_cell_on_each_line_reads_to_the_seed_or_is_refused_saying_what_it_saw(prefix, blank_rows):
    path = seed(prefix)
    text = line_per_cell(path.read_text(encoding="utf-8"), blank_rows)
    expected = read_path(path)
    if LINE_PER_CELL[blank_rows][prefix] == "refused":
        with pytest.raises(IngestError) as err:
            read_document(text.encode(), "pasted.txt")
        message = str(err.value)
        assert expected.organization.short_name in message and str(expected.fiscal_year) in message
        assert "หัวตาราง" in message and "บรรทัดละช่อง" in message  # the header it saw, and why not
        assert "บรรทัดละหนึ่งช่อง (ช่องว่างเป็นบรรทัดว่าง" in message  # what it needs
        return
    doc = read_document(text.encode(), "pasted.txt")
    assert figures(doc) == PINNED[prefix]
    assert any(i.code == "table.spaced" and "บรรทัดละหนึ่งช่อง" in i.message for i in doc.issues)
    assert_seed_or_asked(doc, expected)


@pytest.mark.parametrize("blank_rows", [False, True], ids=["empty-cell-lines", "blank-line-rows"])
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_cell_of_several_paragraphs_on_several_lines_reads_right_or_is_refused(prefix, blank_rows):
    """A browser copies a cell's paragraphs onto lines of their own: a row is then more lines than the
    header, and which lines are which cell is not said. Read only where every row still comes out
    whole (002, 003 hold one paragraph a cell), else refused naming the header: never a cell's text in
    another cell."""
    path = seed(prefix)
    text = line_per_cell(path.read_text(encoding="utf-8"), blank_rows, paragraph_lines=True)
    expected = read_path(path)
    try:
        doc = read_document(text.encode(), "pasted.txt")
    except IngestError as err:
        assert expected.organization.short_name in str(err) and "หัวตาราง" in str(err)
        assert prefix in ("000", "001", "004") or (prefix == "003" and blank_rows)
        return
    assert figures(doc) == PINNED[prefix]
    assert_seed_or_asked(doc, expected)


def test_001_pasted_a_cell_a_line_asks_where_its_rows_run_on_over_a_page():
    """001's rows i๑๒ and e๑๑ run on over a page break with two of their four cells empty: with empty
    cells as blank lines the blank line between pages could stand before or after them; with empty
    cells left out nothing says which columns they are. Both are asked, quoting the lines, and the
    rows' other text is the seed's."""
    for blank_rows in (False, True):
        text = line_per_cell(seed("001").read_text(encoding="utf-8"), blank_rows)
        doc = read_document(text.encode(), "pasted.txt")
        questions = [i for i in doc.issues if i.code == "cells.unplaced"]
        assert [q.message.split("'")[1][:3] for q in questions] == ["i๑๒", "e๑๑"]
        lines = text.splitlines()
        for q in questions:
            numbers = [int(n) for n in q.message.split(":", 1)[0].removeprefix("บรรทัด ").split(", ")]
            assert len(numbers) == 2 and all(lines[n - 1].strip() and lines[n - 1][:20] in q.message for n in numbers)
        # the row that runs on with one empty cell (its first) is placed: i๘'s second page
        i8 = next(m for m in doc.measures if m.item_codes == ("i8",))
        assert "พร้อมทั้ง กำกับติดตามให้เป็นไปตามวัตถุประสงค์" in i8.weakness


def test_a_plan_pasted_a_cell_a_line_without_its_empty_cells_is_refused():
    # the quarter a tick stands in is its column: with empty cells left out it cannot be known
    text = line_per_cell(seed("003").read_text(encoding="utf-8"), blank_rows=True)
    with pytest.raises(IngestError) as err:
        read_document(text.encode(), "plan.txt")
    assert "อบต.ตะโก" in str(err.value) and "2569" in str(err.value)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_a_repeated_header_whose_labels_run_together_refuses_rather_than_lose_its_table(prefix):
    """A header printed with its labels one space apart (tight cell padding) cannot be cut into columns;
    the tables under the other copies of it still read. Reading those alone lost the records of that
    table and numbered the rest from 1 (002 printed tight: 4 of 14 measures, no question)."""
    lines = seed(prefix).read_text(encoding="utf-8").split("\n")
    headers = [k for k, line in enumerate(lines) if "\t" in line and header_at(["   ".join(line.split("\t"))], 0)]
    assert len(headers) >= 3
    for k in headers:
        tight = list(lines)
        tight[k] = " ".join(c for c in lines[k].split("\t") if c)
        with pytest.raises(IngestError):
            read_document(spaced("\n".join(tight)).encode(), "copied.txt")


def test_an_unread_header_is_named():
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    first = next(k for k, line in enumerate(lines) if "\t" in line and header_at(["   ".join(line.split("\t"))], 0))
    lines[first] = " ".join(c for c in lines[first].split("\t") if c)
    with pytest.raises(IngestError) as refused:
        read_document(spaced("\n".join(lines)).encode(), "copied.txt")
    assert f"บรรทัด {first + 1}: หัวตารางแบบเดียวกับตารางที่อ่านได้" in str(refused.value)
    assert "- หน่วยงาน: ทต.ปรุใหญ่" in str(refused.value)  # what was found, as every refusal says
    assert "- ปีงบประมาณ: 2566" in str(refused.value)
    assert unread_headers("\n".join(lines)) == [first + 1]


def test_a_line_of_label_words_among_other_words_is_no_header():
    """A detail sheet's line names a plan's fields with their values: not a header left unread."""
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    first = next(k for k, line in enumerate(lines) if "\t" in line and header_at(["   ".join(line.split("\t"))], 0))
    labels = [c.split()[0] for c in lines[first].split("\t") if c.strip()][:3]
    prose = f"{labels[0]} ปรับปรุงเว็บไซต์ {labels[1]} กองคลัง {labels[2]} ตุลาคม ๒๕๖๕ ถึง กันยายน ๒๕๖๖"
    assert unread_headers("\n".join([*lines, prose])) == []
    assert unread_headers("\n".join([*lines, " ".join(labels)])) == [len(lines) + 1]


# A browser's copy that puts a cell's own line breaks at the line's start (web_copy.TO_START): read to
# the seed, or asked about (the line left out and quoted), or refused naming the line; never another
# cell's text in a title or a row split in two without a question. Before spaced._at_line_start, 10 of
# these 35 readings were wrong with no question.
START_CASES = [pytest.param(prefix, style, id=f"{prefix}-{style.name}")
               for style in TO_START for prefix in ("000", "001", "002", "003", "004")]


@pytest.mark.parametrize(("prefix", "style"), START_CASES)
def test_cell_lines_at_the_line_start_read_right_or_are_refused(prefix, style):
    path = seed(prefix)
    expected = read_path(path)
    try:
        doc = read_document(render(path.read_text(encoding="utf-8"), style).encode("utf-8"), "copied.txt")
    except IngestError as err:
        assert expected.organization.short_name in str(err) and "บรรทัด" in str(err)
        return
    assert figures(doc) == PINNED[prefix]
    assert_seed_or_asked(doc, expected)


def test_a_cell_line_at_the_line_start_is_refused_naming_it():
    """004 with every cell's later paragraphs at the line's start: a step's paragraph wider than the
    first column shows the copy, and the first such line that could be a title's is named."""
    style = next(s for s in TO_START if s.name == "br-start")
    with pytest.raises(IngestError) as err:
        read_document(render(seed("004").read_text(encoding="utf-8"), style).encode("utf-8"), "copied.txt")
    message = str(err.value)
    assert "ทต.ปรุใหญ่" in message and "อยู่ต้นบรรทัดกลางแถว" in message and "สำเนาจากหน้าเว็บ" in message
