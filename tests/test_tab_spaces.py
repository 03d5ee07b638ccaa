"""A clerk's copy whose tabs became spaces or pipes without alignment (sed, expand, ` | `, markdown;
trimmed lines, CRLF, a BOM, padded cells): read to the seed's own content identity where every row's
cells are certain, else refused saying what was found and what is needed; never a wrong value."""
import itertools

import pytest

from lib.ingest import IngestError, read_document, read_path
from lib.ingest.tab_spaces import untab
from lib.ingest.versions import content_key
from tests.conftest import SEEDS
from tests.renderings.tab_copy import KINDS, MIXTURES, column_t, expand, fixed, pipes, render, trimmed
from tests.test_spaced_text import PINNED, assert_seed_or_asked, figures

LOOKS_LIKE = {"000": "รายงานผลการดำเนินการตามมาตรการ", "001": "รายงานผลการดำเนินการตามมาตรการ",
              "002": "รายงานผลการดำเนินการตามมาตรการ", "003": "แผนปฏิบัติการป้องกันการทุจริต",
              "004": "รายงานผลการดำเนินการตามรอบ"}
# what must read (every mixture): a tab a fixed run of spaces, pipes and markdown, padded cells between
# pipes. 001 keeps runs of 2 and 10 spaces inside its cells, as wide as some separators: its space
# copies are refused. A tab as two spaces in a text with no trailing spaces left reads only the plan
# (a measure row with an empty last cell and a double space inside would look whole: see below).
# Tab stops are read only when no row or header needs a one-space tab.
MUST_READ = {kind: {"000", "002", "003", "004"} for kind in ("sed3", "sed4", "sed6")}
MUST_READ["sed2"] = {"003"}
MUST_READ.update({kind: {"000", "001", "002", "003", "004"}
                  for kind in ("pipes", "markdown", "markdown-no-rule", "padded-pipes")})
MUST_READ["padded-sed2"] = {"000", "002", "004"}
# tabs expanded to stops (`expand`): a tab just before a stop is one space, like a cell's own; rows whose
# readings differ past the measure's own cells are read and asked about (table.tab_unsure), the rest
# refused. 001 keeps runs of spaces inside its cells: any run at a stop could be its own, refused
MUST_READ.update({"expand8-bytes": {"000", "002", "004"}, "expand4-bytes": {"002"},
                  "expand8-chars": {"002", "004"}, "expand4-chars": {"002", "004"},
                  "expand8-display": {"000", "002", "004"}, "expand6-bytes": {"000", "002", "004"},
                  "expand3-chars": {"002"}})
# where the lines keep their trailing spaces, 001's rows that give more cells than the header are weighed
# reading by reading: one whose every cell closes the <p>, <a> it opens is left (lib.ingest.tab_spaces._resolve)
MUST_READ_KEPT = {kind: {"001"} for kind in ("sed2", "sed3", "sed4", "sed6", "padded-sed2")}


def seed(prefix: str):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


_EXPECTED: dict[str, tuple] = {}


def expected(prefix: str):
    if prefix not in _EXPECTED:
        doc = read_path(seed(prefix))
        _EXPECTED[prefix] = doc, content_key(doc)
    return _EXPECTED[prefix]


def read(text: str, name: str = "copied.txt"):
    return read_document(text.encode("utf-8"), name)


def assert_refused_saying_what_was_found(prefix: str, text: str) -> str:
    with pytest.raises(IngestError) as err:
        read(text)
    message = str(err.value)
    want, _ = expected(prefix)
    assert want.organization.short_name in message and str(want.fiscal_year) in message
    assert LOOKS_LIKE[prefix] in message and "หัวตาราง" in message and "สิ่งที่ต้องทำ" in message
    return message


@pytest.mark.parametrize("mixture", list(MIXTURES), ids=[m or "plain" for m in MIXTURES])
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_copy_reads_to_the_seed_or_is_refused(prefix, kind, mixture):
    text = render(seed(prefix).read_text(encoding="utf-8"), kind, mixture)
    assert "\t" not in text
    want, key = expected(prefix)
    try:
        doc = read_document(text.encode("utf-8"), "copied.txt")
    except IngestError:
        assert prefix not in MUST_READ.get(kind, ()) or (kind, prefix, mixture) in _TRIMMED_PADDED_PLAN
        assert prefix not in MUST_READ_KEPT.get(kind, ()) or "trimmed" in mixture
        assert_refused_saying_what_was_found(prefix, text)
        return
    assert figures(doc) == PINNED[prefix]
    if any(i.code == "table.tab_unsure" for i in doc.issues):
        assert_seed_or_asked(doc, want)  # a row read several ways differs only where its question says
    else:
        assert content_key(doc) == key  # the seed's own records: importing it after the seed adds nothing
    assert (doc.organization.name, doc.fiscal_year, doc.layout) == (want.organization.name, want.fiscal_year,
                                                                    want.layout)
    spaced = [i.message for i in doc.issues if i.code == "table.spaced"]
    assert spaced and ("แทนแท็บ" in spaced[0] or "'|'" in spaced[0] or "หยุด" in spaced[0])


# padded cells with their trailing spaces trimmed: the plan's last run ("☑ " + the tabs' spaces) is no
# whole number of separators, so its trimmed empty cells cannot be counted
_TRIMMED_PADDED_PLAN = {("padded-sed2", "003", "trimmed"), ("padded-sed2", "003", "trimmed-crlf")}


def test_a_plan_whose_trailing_empty_cells_were_trimmed_reads_its_quarters():
    text = trimmed(fixed(seed("003").read_text(encoding="utf-8"), 2))
    assert "0.00  ☑\n" in text  # items 1, 2, ...: Q2-Q4 and the remark gone with the trailing spaces
    doc = read(text, "plan.txt")
    assert [p.quarters for p in doc.plan_items].count((1,)) == 15 and doc.plan_items[2].quarters == (2,)
    assert sum(p.budget for p in doc.plan_items) == 20000 and content_key(doc) == expected("003")[1]


def test_category_rows_whose_empty_cells_were_trimmed_keep_their_category():
    doc = read(trimmed(fixed(seed("002").read_text(encoding="utf-8"), 3)))
    assert content_key(doc) == expected("002")[1]
    assert len({m.category_no for m in doc.measures}) == 6


# hostile: each would give a wrong record to a reader that took every run of 2+ spaces for a tab


def test_a_double_space_inside_a_cell_that_would_shift_the_columns_is_weighed_or_asked():
    # 001's cells keep runs of 2 and 10 spaces: with a tab as two spaces they look like separators. Rows
    # 12, 13, 21 and 22 give more cells than the header; of the readings that give 5, one closes every
    # <p> and <a> in the cell that opens it (as every certain row's cells do). Rows 15 and 24 keep 4 and 5
    # such readings ("</p>  <p>" between two cells or inside one), each making the same measure (its
    # code, its title's numbering): read as the first and asked, naming the record's row (15 runs 13 on)
    text = fixed(seed("001").read_text(encoding="utf-8"), 2)
    found = untab(text)
    assert found.weighed == [12, 13, 21, 22] and [line for line, _, _ in found.unsure] == [13, 24]
    doc = read(text)
    assert figures(doc) == PINNED["001"]
    asked = {i.subject: i.message for i in doc.issues if i.code == "table.tab_unsure"}
    assert asked["table.tab_unsure:13:weakness+measure+result+outcome"].startswith(
        "บรรทัด 15 (ต่อจากแถวบรรทัด 13) แถว 'i๑๒ หน่วยงานของท่าน เปิดโอกาสใ…': แถวนี้แบ่งเป็น 5 ช่องได้ 4 แบบ")
    assert asked["table.tab_unsure:24:topic+weakness+measure+result+outcome"].startswith(
        "บรรทัด 24 แถว 'e๑๕ หน่วยงานที่ท่านติดต่อ มีกา…': แถวนี้แบ่งเป็น 5 ช่องได้ 5 แบบ")
    assert_seed_or_asked(doc, expected("001")[0])
    # the asked rows' records are the seed's but for the columns asked about (i12's result, e15's)
    assert [m.item_codes for m in doc.measures] == [m.item_codes for m in expected("001")[0].measures]
    assert_refused_saying_what_was_found("001", trimmed(text))  # a trimmed copy's short rows: no telling
    # with a tab as three spaces the double spaces are the cells' own; the runs of 10 hold 0 to 3 tabs
    # and only one reading closes its markup in each cell: the seed's records
    doc = read(fixed(seed("001").read_text(encoding="utf-8"), 3))
    assert content_key(doc) == expected("001")[1] and figures(doc) == PINNED["001"]
    weighed = [i.message for i in doc.issues if i.code == "table.spaces_weighed"]
    assert weighed and weighed[0].startswith("บรรทัด 13, 21, 22 มีช่องว่างภายในช่องกว้างเท่าตัวคั่น")


def test_a_row_split_inside_a_paragraph_is_not_taken_when_a_reading_keeps_it_whole():
    # the i8 row's continuation "... ๒๕๖๖  <a href=...>" with a tab as four spaces and its double space
    # made four: read greedily the row gives 7 cells; of the readings of 5 only the seed's keeps each
    # <p> and <a> whole in one cell (records compare without whitespace: the seed's content identity)
    text = seed("001").read_text(encoding="utf-8").replace("๒๕๖๖  <a href", "๒๕๖๖    <a href")
    doc = read(fixed(text, 4))
    i8 = next(m for m in doc.measures if m.item_codes == ("i8",))
    assert "ครั้งที่ ๑ รอบเดือนเมษายน" in i8.result and "ครั้งที่ ๒ รอบเดือนตุลาคม" in i8.result
    assert content_key(doc) == expected("001")[1] and figures(doc) == PINNED["001"]


def test_a_title_with_a_double_space_before_a_number_in_a_trimmed_plan_is_refused():
    # "...รุ่นที่  2" then the dimension "1": read a cell off, item 3 would be dimension 2, budget 1.00,
    # its tick in Q3; the totals row no longer adds up, and for recovered cells that refuses
    text = seed("003").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("3\t"))
    cells = row.split("\t")
    cells[1] += "  2"
    with pytest.raises(IngestError) as err:
        read(trimmed(fixed(text.replace(row, "\t".join(cells)), 2)), "plan.txt")
    message = str(err.value)
    assert "แถวรวมทั้งสิ้น" in message and "ยอดรวมต้องตรงกับรายการ" in message


def test_a_measure_row_missing_its_trailing_empty_cells_is_refused_naming_it():
    # 002's first measure with its outcome cell empty, the line trimmed: 5 cells where the header has 6
    text = seed("002").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("การประชุมประจำเดือนพนักงาน"))
    line_no = text.splitlines().index(row) + 1
    text = trimmed(fixed(text.replace(row, row.rsplit("\t", 1)[0] + "\t"), 2))
    message = assert_refused_saying_what_was_found("002", text)
    assert f"บรรทัด {line_no}: แบ่งได้ 5 ช่อง น้อยกว่าหัวตาราง (6 ช่อง) และช่องว่างท้ายบรรทัดถูกตัดออก" in message


def test_the_same_row_not_trimmed_keeps_its_empty_cell():
    text = seed("002").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("การประชุมประจำเดือนพนักงาน"))
    doc = read(fixed(text.replace(row, row.rsplit("\t", 1)[0] + "\t"), 2))
    first = next(m for m in doc.measures if m.title.startswith("การประชุมประจำเดือนพนักงาน"))
    assert not first.outcome and first.result.startswith("หน่วยงานมีการประชุมชี้แจง")


def test_a_pipe_inside_a_cell_is_refused_naming_the_line():
    text = seed("004").read_text(encoding="utf-8").replace("กองสาธารณสุขฯ\t", "กองสาธารณสุข | สิ่งแวดล้อม\t", 1)
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if "กองสาธารณสุข | สิ่งแวดล้อม" in line)
    message = assert_refused_saying_what_was_found("004", pipes(text))
    assert f"บรรทัด {line_no}: แบ่งได้ 6 ช่อง มากกว่าหัวตาราง (5 ช่อง): อาจมี '|' อยู่ในข้อความของช่อง" in message
    # escaped as markdown writes it, the pipe is the cell's own
    escaped = text.replace("กองสาธารณสุข | สิ่งแวดล้อม", "กองสาธารณสุข \\| สิ่งแวดล้อม")
    doc = read(pipes(escaped, markdown=True))
    assert any(m.responsible == "กองสาธารณสุข | สิ่งแวดล้อม" for m in doc.measures)


def test_a_header_whose_tab_became_one_space_is_read_by_the_columns_its_words_name():
    # GNU expand counts bytes: a tab right before a stop is one space, like the spaces inside a label.
    # Of the header's readings, one alone names a column with every cell and has the most cells
    text = expand(seed("004").read_text(encoding="utf-8"), 8)
    found = untab(text)
    assert "ทุก 8 ช่อง (นับเป็นไบต์)" in found.label and found.header_line == 18
    assert found.header == ["ประเด็นที่เป็นข้อบกพร่อง/ จุดอ่อน", "ขั้นตอนหรือวิธีการ/มาตรการ", "ผู้รับผิดชอบ",
                            "การรายงานผลและการกำกับติดตามกำหนดเวลา แล้วเสร็จ", "การดำเนินการ"]
    # rows: 6 of 11 read one way; row 27 is the one reading that keeps every <ul>, <li> whole; five read
    # several ways differing past the measure's own cells: read as the first, each asked, naming the columns
    assert found.weighed == [27] and [line for line, _, _ in found.unsure] == [19, 20, 35, 36, 42]
    doc = read(text)
    assert figures(doc) == PINNED["004"]
    asked = {i.subject: i.message for i in doc.issues if i.code == "table.tab_unsure"}
    assert asked["table.tab_unsure:36:steps+responsible+monitoring+result"].startswith(
        "บรรทัด 36 แถว 'E-Service URL ไม่เชื่อมโยง กับ…': แถวนี้แบ่งเป็น 5 ช่องได้ ")
    assert "กรุณาตรวจ" in asked["table.tab_unsure:36:steps+responsible+monitoring+result"]
    assert_seed_or_asked(doc, expected("004")[0])
    # the measures' own figures are never in question: the same titles' count, sections, periods' year
    assert [m.instrument for m in doc.measures] == [m.instrument for m in expected("004")[0].measures]


def test_a_header_cell_holding_two_column_names_refuses_the_tab_stops_that_made_it():
    # Python's expandtabs(3) on 004: the header's wide gaps all end at multiples of 6, so stops of 6 are
    # tried; "ขั้นตอนหรือวิธีการ/มาตรการ ผู้รับผิดชอบ" is then one cell (its space is at no stop of 6) and every
    # row came out a column short, padded and read wrong. Two column names in one cell refuse the model
    text = expand(seed("004").read_text(encoding="utf-8"), 3, "chars")
    found = untab(text)
    assert "ทุก 6 ช่อง" in found.label and found.text is None
    assert found.reasons[18].startswith("หัวตารางช่องเดียวมีชื่อคอลัมน์สองชื่อ ('ขั้นตอนหรือวิธีการ/มาตรการ' และ 'ผู้รับผิดชอบ')")
    assert_refused_saying_what_was_found("004", text)


def test_tab_stops_whose_readings_would_change_a_measure_are_refused_naming_the_row():
    # 001 keeps runs of spaces inside its cells, so any run at a stop may be a cell's own: line 19's
    # readings move its ITA code's cell; nothing is read on a guess
    message = assert_refused_saying_what_was_found("001", expand(seed("001").read_text(encoding="utf-8"), 8))
    assert "อบต.บ้องตี้" in message
    # the message says how the header was read (its gaps all end at stops of 8) and which rows could not be
    assert "คั่นช่องด้วยแท็บที่ถูกแปลงเป็นช่องว่างถึงตำแหน่งหยุดทุก 8 ช่อง (นับเป็นไบต์)" in message
    assert "บรรทัด 19: แบ่งเป็น 5 ช่องได้ 1820 แบบ" in message
    found = untab(expand(seed("001").read_text(encoding="utf-8"), 8))
    assert "ต่างกันที่ช่อง 'หัวข้อการประเมิน'" in found.reasons[19]


def test_tabs_of_mixed_widths_are_refused():
    gaps = itertools.cycle(["  ", "   "])
    text = "".join(next(gaps) if c == "\t" else c for c in seed("004").read_text(encoding="utf-8"))
    assert_refused_saying_what_was_found("004", text)


def test_a_double_space_in_a_row_whose_last_cell_is_empty_is_not_taken_for_a_tab():
    # 000's first measure: a double space inside its steps and its outcome cell empty, every line trimmed:
    # the row shows six cells like the header, one of them the steps' second half. Nothing in the text
    # tells it from a whole row, so with a tab as two spaces and no trailing spaces anywhere the measure
    # table is refused (a tab as three spaces shows the double space as a cell's own: refused as well)
    text = seed("000").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("<p>๑. การปฏิบัติหรือให้บริการ"))
    cells = row.split("\t")
    cells[1] = cells[1].replace("จัดทำคู่มือ", "จัดทำ  คู่มือ", 1)
    cells[-1] = ""
    changed = text.replace(row, "\t".join(cells))
    message = assert_refused_saying_what_was_found("000", trimmed(fixed(changed, 2)))
    assert "บรรทัด 17: ไม่มีบรรทัดใดเหลือช่องว่างท้ายบรรทัด" in message
    assert_refused_saying_what_was_found("000", trimmed(fixed(changed, 3)))
    # with trailing spaces kept (the title's) the row shows seven cells; of its readings of six, only one
    # leaves the <p> the double space sits in whole: the changed row, its outcome empty
    doc = read("หมายเหตุ  \n" + fixed(changed, 2))
    assert not doc.measures[0].outcome and "จัดทำ คู่มือ" in doc.measures[0].steps
    assert [m.outcome for m in doc.measures[1:]] == [m.outcome for m in expected("000")[0].measures[1:]]


# `column -t -s $'\t'` aligns the whole file and drops its blank lines: a section heading ("## ๒. ด้าน EIT")
# then sits right under a row, and the aligned-column reader (lib.ingest.spaced) took it for a first cell
# running on alone, so long first cells looked wrapped and 004 read as 8 measures, rows joined (measure
# 1's responsible "สำนักปลัด สำนักปลัด"; the same on main before lib.ingest.tab_spaces existed)
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_copy_aligned_by_column_t_reads_to_the_seed_or_is_refused(prefix):
    text = column_t(seed(prefix).read_text(encoding="utf-8"))
    try:
        doc = read(text)
    except IngestError:
        assert_refused_saying_what_was_found(prefix, text)
        return
    assert content_key(doc) == expected(prefix)[1]
