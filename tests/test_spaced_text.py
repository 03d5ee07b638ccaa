"""Text without tabs: tables copied from a web page (cells separated by runs of spaces, cells broken
onto more lines) read to the same records as the tab-separated seeds; what cannot be placed safely is
refused with what was found and what is needed."""
import re

import pytest

from lib.ingest import IngestError, read_document, read_path
from lib.records import to_jsonable
from tests.conftest import SEEDS
from tests.renderings import spaced, spaced_wrapped


def records(doc):
    def norm(v):
        if isinstance(v, str):
            return re.sub(r"\s+", "", v)
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


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_cells_broken_onto_more_lines_join_their_row(prefix):
    path = seed(prefix)
    doc = read_document(spaced_wrapped(path.read_text(encoding="utf-8")).encode(), "copied.txt")
    assert records(doc) == records(read_path(path))


def test_003_plan_totals_from_spaced_text():
    doc = read_document(spaced(seed("003").read_text(encoding="utf-8")).encode(), "plan.txt")
    assert len(doc.plan_items) == 16 and sum(p.budget for p in doc.plan_items) == 20000
    assert [p.quarters for p in doc.plan_items].count((1,)) == 15


def test_cells_that_cannot_be_placed_are_refused_with_what_was_found():
    # two spaces between cells but no alignment: the empty quarter cells cannot be told apart
    text = seed("003").read_text(encoding="utf-8").replace("\t", "  ")
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
