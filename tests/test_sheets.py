"""Every cell the product writes to a spreadsheet goes through lib/sheets (issue 13, item 3): text
that starts with = + - @, a tab or CR never becomes a formula, control characters never break a
file, and the product's own templates import back unchanged."""
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib import sheets
from lib.ingest import templates
from lib.pack import assemble as pack
from lib.pack import pptx as pack_pptx
from lib.queries import collect
from lib.queries import records as queries
from lib.store import import_seeds, uploads
from lib.ui import export

HOSTILE = ["=HYPERLINK(\"https://evil.example\",\"คลิก\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
           "ชื่อ\x00ที่มี NUL\x07", "=1+1"]


def formulas(data: bytes) -> list[str]:
    """Cells stored as formulas anywhere in an xlsx (its sheet XML holds <f> elements)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if n.endswith(".xml") and (b"<f>" in z.read(n) or b"<f " in z.read(n))]


def test_writer_escapes_the_formula_start_and_drops_control_characters():
    assert [sheets.text(t) for t in HOSTILE] == [
        "'=HYPERLINK(\"https://evil.example\",\"คลิก\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1",
        "ชื่อที่มี NUL", "'=1+1"]
    assert sheets.text("ข้อความ - ปกติ") == "ข้อความ - ปกติ" and sheets.value(-20000.0) == -20000.0
    assert [sheets.read_text(sheets.text(t)) for t in HOSTILE if "\x00" not in t] == [
        t for t in HOSTILE if "\x00" not in t]


def test_page_download_holds_text_not_formulas():
    data = export.xlsx_bytes(pd.DataFrame({"รายการ": HOSTILE, "งบ": range(len(HOSTILE))}),
                             {"หน่วยงาน": "=cmd|' /C calc'!A0"})
    assert formulas(data) == []
    ws = load_workbook(io.BytesIO(data)).active
    values = [r[0] for r in ws.iter_rows(values_only=True)]
    assert values[0] == "หน่วยงาน" and ws["B1"].value == "'=cmd|' /C calc'!A0"
    assert values[3:] == [sheets.text(t) for t in HOSTILE]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.fixture
def seeded(store):
    import_seeds(store)
    return store


def test_a_hostile_title_uploaded_then_exported_everywhere(seeded):
    """A title with a NUL is cleaned on the way in; a title starting with '=' is text in the page
    download, the meeting pack's workbook and PowerPoint chart data, and the template export, and
    importing the export back changes nothing."""
    def upload(title):
        """The template export saved as csv (openpyxl cannot even write a NUL) with one title changed."""
        import csv

        ws = load_workbook(io.BytesIO(collect.export_workbook(seeded, "plan_items"))).active
        rows = [["" if v is None else v for v in r] for r in ws.iter_rows(values_only=True)]
        rows[1][next(i for i, h in enumerate(rows[0]) if str(h).startswith("รายการ"))] = title
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        preview = uploads.preview_upload(seeded, out.getvalue().encode("utf-8"), "แก้.csv", "plan_items")
        assert not preview.problems, preview.problems
        uploads.commit_upload(seeded, preview, "ทดสอบ")

    upload("โครงการ\x00ทดสอบ\x1b")
    titles = seeded.query_rows("SELECT title FROM plan_item WHERE title LIKE 'โครงการ%ทดสอบ%'")
    assert titles == [("โครงการทดสอบ",)]
    formula = '=HYPERLINK("https://evil.example","คลิก")'
    upload(formula)
    assert seeded.query_rows("SELECT count(*) FROM plan_item WHERE title = ?", [formula]) == [(1,)]

    register = queries.plan_items(seeded, None, None)
    page = export.xlsx_bytes(register[["seq", "title"]])
    assert formulas(page) == [] and "'" + formula in [c for r in load_workbook(io.BytesIO(page)).active
                                                      .iter_rows(values_only=True) for c in r]
    org = seeded.query_rows("SELECT organization_id FROM plan_item WHERE title = ?", [formula])[0][0]
    p = pack.build(seeded, (org, None, None), 2569, dt.date(2026, 6, 18))
    assert formulas(pack.xlsx(p, seeded)) == []
    slides = pack_pptx.pptx_bytes(p)
    with zipfile.ZipFile(io.BytesIO(slides)) as z:
        for name in (n for n in z.namelist() if n.endswith(".xlsx")):
            assert formulas(z.read(name)) == [], name
    exported = collect.export_workbook(seeded, "plan_items")
    assert formulas(exported) == []
    again = uploads.preview_upload(seeded, exported, "กลับ.xlsx", "plan_items")
    assert not again.problems and not again.added and not again.changed


def test_template_builder_and_score_template_use_the_writer(seeded):
    from lib.ita.scores import template_xlsx
    from lib.queries import ita as ita_queries

    data = templates.build_workbook("plan_items", templates.drop_down_values(["=evil()"], []), [])
    assert formulas(data) == []
    lists = load_workbook(io.BytesIO(data))[templates.LISTS_SHEET]
    assert "'=evil()" in [c for r in lists.iter_rows(values_only=True) for c in r]
    assert formulas(template_xlsx(ita_queries.framework(seeded, 2566), ["=evil()", "@x"])) == []
