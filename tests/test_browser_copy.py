"""Text an office's web page gives when a user copies it from Chromium (tests/renderings/browser_copy.py):
each copy of a seed reads to the seed's records or is refused saying what was found and which lines;
never a measure, plan item or category silently gone. The first tests need no browser: they cut the
seeds' tab text as Chromium's copy does (a row's cells on lines without tabs, a category row merged into
one cell); the last ones take the text from Chromium itself."""
import re
import shutil
from pathlib import Path

import pytest

from lib.ingest import IngestError, read_document
from lib.ingest.cells import split_row
from lib.ingest.lost_tabs import _is_header
from lib.ingest.versions import content_key
from tests.test_spaced_text import PINNED, figures
from tests.test_tab_spaces import assert_refused_saying_what_was_found, expected, seed

PREFIXES = ["000", "001", "002", "003", "004"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def read(text: str):
    return read_document(text.encode("utf-8"), "copied.txt")


def seed_lines(prefix: str) -> list[str]:
    return seed(prefix).read_text(encoding="utf-8").split("\n")


def data_rows(prefix: str) -> list[int]:
    """0-based indexes of the seed's table rows that are records (not headers, not category rows)."""
    lines = seed_lines(prefix)
    rows = []
    for i, line in enumerate(lines):
        if "\t" not in line:
            continue
        cells = split_row(line)
        if _is_header(cells) or not cells[0].strip() or not any(c.strip() for c in cells[1:]):
            continue
        rows.append(i)
    return rows


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_row_copied_without_its_tabs_is_refused_naming_its_lines(prefix):
    """Chromium's copy writes no tab after a cell ending in a paragraph: a row whose every cell does
    comes as lines without tabs. Read as prose, the record was gone with no word (000's first measure
    of a table, 003's plan items); each such row of every seed, first, middle and last of the text,
    is now refused with the lines named (before, 000, 001, 002 and 004 read with the measure gone)."""
    rows = data_rows(prefix)
    for row in sorted({rows[0], rows[len(rows) // 2], rows[-1]}):
        lines = seed_lines(prefix)
        cells = lines[row].split("\t")
        lines[row:row + 1] = [c for c in cells if c.strip()]
        text = "\n".join(lines)
        if prefix == "003" and row == rows[-1]:
            # 003's last row is its totals row, before the detail sheets: the plan's own check refuses
            with pytest.raises(IngestError, match="ไม่พบแถว 'รวมทั้งสิ้น'"):
                read(text)
            continue
        message = assert_refused_saying_what_was_found(prefix, text)
        assert f"บรรทัด {row + 1}" in message and "คัดลอกจากหน้าเว็บ" in message, row


def test_category_rows_merged_over_the_row_keep_their_categories():
    """A page shows 002's category rows "(๑) ..." as one cell over the row (colspan): copied, no tab
    follows it. Each measure keeps the seed's category and number; before, the categories were lost
    with no question (the kind's only WRONG besides lost rows)."""
    lines = seed_lines("002")
    merged = [i for i, line in enumerate(lines) if re.match(r"^\([๐-๙]+\)", line) and "\t" in line]
    assert len(merged) == PINNED["002"]["categories"]
    for i in merged:
        lines[i] = lines[i].rstrip("\t")
    doc = read("\n".join(lines))
    want, key = expected("002")
    assert content_key(doc) == key and figures(doc) == PINNED["002"]
    assert [(m.category_no, m.category) for m in doc.measures] == [(m.category_no, m.category) for m in want.measures]
    assert sorted({m.category_no for m in doc.measures}) == [1, 2, 3, 5, 6, 7]
    restored = next(i.message for i in doc.issues if i.code == "table.tabs_restored")
    assert f"บรรทัด {merged[0] + 1}" in restored and "แถวหมวด" in restored


def test_a_category_line_after_a_row_is_not_taken_for_a_category():
    """ "(๒) ..." on a line of its own after a measure is as likely a cell's second paragraph: it is read
    as a category only when the table opens with one; here the first category keeps its tabs."""
    lines = seed_lines("002")
    second = next(i for i, line in enumerate(lines) if line.startswith("(๒)"))
    lines[second] = lines[second].rstrip("\t")
    text = "\n".join(lines)
    message = assert_refused_saying_what_was_found("002", text)
    assert f"บรรทัด {second + 1}" in message


chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                              reason="Debian's chromium is not installed here (.ci/run installs it)")


@pytest.fixture(scope="module")
def printer():
    from tests.renderings.office_renders import Printer
    with Printer() as p:
        yield p


def _copy(printer, prefix: str, kind: str) -> str:
    from tests.renderings.browser_copy import render
    return render(printer, seed(prefix).read_text(encoding="utf-8"), kind)


@chromium
def test_chromium_copy_of_a_page_whose_cells_hold_paragraphs(printer):
    """000's cells hold <p> paragraphs: Chromium's clipboard has a measure's cells on lines of their own,
    no tab between them. Before, two of seven measures were read (numbered 1 and 2) and five dropped,
    no question; now refused, naming the lines under the header."""
    text = _copy(printer, "000", "browser_plain_copy")
    assert "\t" in text and text.count("\n") > 100
    message = assert_refused_saying_what_was_found("000", text)
    assert "ใต้หัวตาราง" in message and "คัดลอกจากหน้าเว็บ" in message


@chromium
def test_chromium_copy_of_a_page_with_merged_cells(printer):
    """002 with <th> headers, a caption, its category rows merged over the row: the seed's 14 measures
    in 6 categories, read from Chromium's clipboard and from innerText alike; 003 with <br> lines and
    &nbsp; in cells, and with <th> headers whose quarter heading spans its four columns: its 16 items,
    20,000 baht, quarters as the seed's."""
    want, key = expected("002")
    for kind in ("browser_th_spans_copy", "browser_th_spans_inner"):
        text = _copy(printer, "002", kind)
        doc = read(text)
        assert content_key(doc) == key and figures(doc) == PINNED["002"], kind
        assert [m.category_no for m in doc.measures] == [m.category_no for m in want.measures]
    for kind in ("browser_br_nbsp_copy", "browser_th_spans_copy"):  # the second: its quarters' header merged
        doc = read(_copy(printer, "003", kind))
        assert content_key(doc) == expected("003")[1] and figures(doc) == PINNED["003"], kind
        assert sum(p.budget for p in doc.plan_items) == 20000.0


def _plan_header_as_copied(merged: bool, lead: bool) -> str:
    """003 with its summary header as a web page's copy gives it: "ดำเนินการไตรมาส" one cell over the
    four quarters (`merged`: colspan, its three empty cells gone), the "1 2 3 4" row below with or
    without its leading empty cells (`lead`: innerText keeps them, the clipboard does not)."""
    lines = seed_lines("003")
    head = next(i for i, line in enumerate(lines) if line.startswith("ลำดับ\t"))
    if merged:
        lines[head] = lines[head].replace("ดำเนินการไตรมาส\t\t\t\t", "ดำเนินการไตรมาส\t")
    if not lead:
        lines[head + 1] = lines[head + 1].lstrip("\t")
    return "\n".join(lines)


@pytest.mark.parametrize("merged", [False, True])
@pytest.mark.parametrize("lead", [False, True])
def test_a_plan_header_merged_over_its_quarters_reads(merged, lead):
    """Before, 003 copied from a page was refused (its header lacked the four quarter columns, or the
    "1 2 3 4" row was a row too short); now its 16 items, 20,000 baht and quarters are the seed's."""
    doc = read(_plan_header_as_copied(merged, lead))
    assert content_key(doc) == expected("003")[1] and figures(doc) == PINNED["003"]


def test_a_merged_quarter_header_without_its_numbers_row_is_still_refused():
    """Without the "1 2 3 4" row under it nothing says the quarter cell spans four columns."""
    lines = _plan_header_as_copied(True, True).split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("ลำดับ\t"))
    del lines[head + 1]
    with pytest.raises(IngestError, match="ไม่มีคอลัมน์ไตรมาสครบ 4 ช่อง"):
        read("\n".join(lines))
