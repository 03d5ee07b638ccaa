"""The meeting pack built from the default data: its slides, that every chart's series are the
figures of the query functions the pages use, the Excel tables behind them, and the PDF's Thai text.
The PDF test saves tests/screenshots/pack_page1.png (pdftoppm) for a person to look at."""
import datetime as dt
import io
import os
import re
import shutil
import subprocess

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from lib.ita import gap
from lib.pack import assemble as pack
from lib.pack import pdf as pack_pdf
from lib.pack import pptx as pack_pptx
from lib.queries import dashboard as dq
from lib.queries import ita as ita_queries
from lib.queries import records as queries
from lib.records import STATUS_DONE
from lib.store import import_seeds
from lib.store import ita as store_ita
from tests.conftest import ROOT, TEST_SCORE_SOURCE, mark_as_test_organizations

AS_OF = dt.date(2026, 6, 18)  # the date seed 003 (อบต.ตะโก 2569) states its data as of
TITLES = ["สรุปสถานะ", "ความก้าวหน้ารายไตรมาส", "งบประมาณตามมิติ",
          "ตัวชี้วัด ITA ที่ต่ำกว่าเป้าหมาย และมาตรการที่รองรับ", "รายการเลยกำหนด และเรื่องที่ต้องตัดสินใจ"]
SCORES = ROOT / "tests" / "data" / "ita_scores_TESTDATA_not_real_results.csv"
SHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture
def seeded(store):
    import_seeds(store)
    orgs = queries.organizations(store).set_index("short_name")["id"]
    return store, {name: int(i) for name, i in orgs.items()}


def slides(data: bytes):
    return list(Presentation(io.BytesIO(data)).slides)


def texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def series(chart) -> dict[str, list[float]]:
    return {s.name: list(s.values) for s in chart.plots[0].series}


def test_slides_count_titles_and_first_slide_sources(seeded):
    store, org = seeded
    p = pack.build(store, (org["อบต.ตะโก"], None, None), 2569, AS_OF)
    deck = slides(pack_pptx.pptx_bytes(p))
    assert [texts(s)[0] for s in deck if "(ต่อ " not in texts(s)[0]] == TITLES  # a long table continues
    first = "\n".join(texts(deck[0]))
    assert "ข้อมูล ณ วันที่ 18 มิ.ย. 2569" in first
    assert "เอกสาร 1 ฉบับ:" in first and "แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ พ.ศ. 2569" in first
    assert "นำเข้าเอกสารล่าสุด" in first
    assert "รายงานความก้าวหน้าล่าสุด: ยังไม่มีรายงานภายในวันที่เลือก" in first
    assert "รายการในแผนปฏิบัติการ: 16 รายการ" in first and "งบประมาณตามแผน: 20,000 บาท" in first
    assert p.file_name("pptx") == "ชุดนำเสนอประชุมประจำเดือน_อบต.ตะโก_ปีงบ2569_ณ2569-06-18.pptx"
    # 16:9, native charts (no picture anywhere), and Sarabun named for Thai (a:cs) on every run
    prs = Presentation(io.BytesIO(pack_pptx.pptx_bytes(p)))
    assert (prs.slide_width, prs.slide_height) == (pack_pptx.WIDTH, pack_pptx.HEIGHT)
    assert not [s for slide in deck for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    runs = [r for slide in deck for shape in slide.shapes if shape.has_text_frame
            for para in shape.text_frame.paragraphs for r in para.runs]
    assert runs and all(r._r.rPr.find(qn("a:cs")).get("typeface") == "Sarabun" for r in runs)
    for slide in deck:
        for chart in charts(slide):
            default = chart._chartSpace.find(qn("c:txPr")).find(".//" + qn("a:defRPr"))
            assert default.find(qn("a:cs")).get("typeface") == "Sarabun"


def test_chart_series_are_the_pages_figures(seeded):
    store, org = seeded
    scope = (org["อบต.ตะโก"], None, None)
    deck = slides(pack_pptx.pptx_bytes(pack.build(store, scope, 2569, AS_OF)))
    assert len(charts(deck[0])) == 0 and len(charts(deck[3])) == 0  # summary; no ITA scores for ตะโก

    by_quarter = dq.progress_by_quarter(store, scope, 2569, AS_OF)
    (quarters,) = charts(deck[1])
    assert series(quarters) == {"วางแผน": by_quarter["planned"].tolist(), "มีรายงาน": by_quarter["reported"].tolist(),
                                "แล้วเสร็จ": by_quarter["done"].tolist()}
    assert series(quarters)["วางแผน"] == [15, 1, 0, 0]
    assert list(quarters.plots[0].categories) == ["ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3 (ยังไม่สิ้นสุด)",
                                                  "ไตรมาส 4 (ยังไม่สิ้นสุด)"]  # Q3 ends 30 มิ.ย.

    budget = dq.budget_by_dimension(store, scope, 2569, AS_OF)
    dims = budget[budget["dimension"].notna()]
    (budget_chart,) = charts(deck[2])
    assert series(budget_chart) == {"งบประมาณตามแผน": dims["budget"].tolist(),
                                    "ใช้จ่ายแล้ว (ตามรายงาน)": dims["spent"].tolist()}
    assert series(budget_chart)["งบประมาณตามแผน"] == [0, 20000, 0, 0]
    assert list(budget_chart.plots[0].categories)[1] == "มิติที่ 2 การบริหารราชการด้วยความโปร่งใส"

    by_group = dq.progress_by_group(store, scope, 2569, AS_OF)
    (overdue,) = charts(deck[4])
    assert series(overdue) == {"วางแผน": by_group["planned"].tolist(), "เลยกำหนด": by_group["overdue"].tolist()}
    assert series(overdue)["เลยกำหนด"] == [4, 6, 4, 2]  # every planned quarter has ended without a report
    table = next(s.table for s in deck[5].shapes if s.has_table)  # the table follows its chart's slide
    assert table.cell(0, 1).text == "รายการ" and table.cell(1, 0).text == "เลยกำหนด"


def test_reports_move_the_figures_and_the_sources(seeded):
    store, org = seeded
    scope = (org["อบต.ตะโก"], None, None)
    items = queries.plan_items(store, org["อบต.ตะโก"], 2569)
    first_q1 = int(items.loc[items["quarters"].map(lambda q: list(q) == [1]), "id"].iloc[0])
    store.record_progress("plan_item", first_q1, 1, STATUS_DONE, "ทดสอบ", reported_at=dt.datetime(2026, 5, 1, 9, 30))
    store.record_progress("plan_item", first_q1, 1, STATUS_DONE, "ทดสอบ", reported_at=dt.datetime(2026, 7, 1, 9))
    p = pack.build(store, scope, 2569, AS_OF)
    (quarters,) = charts(slides(pack_pptx.pptx_bytes(p))[1])
    assert series(quarters)["แล้วเสร็จ"] == dq.progress_by_quarter(store, scope, 2569, AS_OF)["done"].tolist() \
        == [1, 0, 0, 0]  # the report of 1 ก.ค. comes after the as-of date
    assert "รายงานความก้าวหน้าล่าสุด 1 พ.ค. 2569 09:30 น. (นับ 1 รายงานที่ส่งภายในวันที่เลือก)" in p.sources
    assert "มีรายงานที่ส่งหลังวันที่เลือกอีก 1 รายงาน ซึ่งไม่นับในชุดนี้" in p.sources
    assert p.topics[0].lines[2] == "เสร็จตามกำหนด: 6% (1 จาก 16 งานรายไตรมาสที่ครบกำหนดแล้ว)"


def test_ita_slide_says_plainly_when_there_are_no_scores(seeded):
    store, org = seeded
    topic = pack.build(store, (org["อบต.ตะโก"], None, None), 2569, AS_OF).topics[3]
    assert topic.chart is None and topic.lines[0] == "ยังไม่มีคะแนน ITA ปี 2568 ของ อบต.ตะโก ในระบบ"
    everyone = pack.build(store, (None, None, None), None, AS_OF).topics[3]
    assert everyone.chart is None and everyone.lines[0].startswith("เลือกหน่วยงาน")


def test_ita_slide_with_test_scores_is_the_gap_pages_figures(seeded):
    store, org = seeded
    mark_as_test_organizations(store)
    store_ita.import_scores(store, SCORES.read_bytes(), SCORES.name, "ผู้ทดสอบ", **TEST_SCORE_SOURCE)
    bongti = org["อบต.บ้องตี้"]
    p = pack.build(store, (bongti, None, None), 2566, AS_OF)  # measures of 2566 answer the 2565 results
    fw, scores = ita_queries.framework(store, 2565), ita_queries.scores(store, bongti, 2565)
    indicators = gap.gap_table(fw, scores, 85).query("level == 'indicator'").sort_values("indicator")
    deck = slides(pack_pptx.pptx_bytes(p))
    (chart,) = charts(deck[3])
    assert series(chart) == {"คะแนน": indicators["score"].round(2).tolist(), "ขาดอีกถึงเป้าหมาย": indicators["gap"].tolist()}
    assert series(chart)["คะแนน"] == [90, 72, 88, 94, 82, 80, 86, 71, 100, 85]
    assert series(chart)["ขาดอีกถึงเป้าหมาย"] == [0, 13, 0, 0, 3, 5, 0, 14, 0, 0]
    topic = p.topics[3]
    assert topic.lines[0] == "คะแนนรวมปี 2565: 86.26 ระดับ A (ผ่าน)"
    # the gap page's weak points: the eight 001 names and those below 85, 15 in all; with no measure first
    assert topic.lines[2] == ("จุดอ่อนปี 2565 15 จุด (เอกสารระบุ 8 · คะแนนต่ำกว่าเป้าหมาย 12) · "
                              "มาตรการปี 2566 รองรับแล้ว 10")
    assert topic.lines[3] == "ยังไม่มีมาตรการ 5 · ยังไม่มีความก้าวหน้า 6 · อยู่ระหว่างดำเนินการ 1 · ดำเนินการแล้วเสร็จ 3"
    assert topic.lines[4] == "ต้องดูก่อน: ตัวชี้วัด 6, ตัวชี้วัด 5, i9, i10, i11, ตัวชี้วัด 8, i12, i8 และอีก 3"
    page = gap.weak_points(ita_queries.coverage_links(store, bongti, 2565, AS_OF), fw, gap.gap_table(fw, scores, 85))
    assert topic.sheets["ITA จุดอ่อนและมาตรการ"]["จุดอ่อน"].tolist() == page["label"].tolist()
    assert topic.table["สถานะ"].tolist() == page["state"].tolist()
    assert [x.split(" · ")[0] for x in topic.table["จุดอ่อน"]][:8] == [
        "ตัวชี้วัด 6", "ตัวชี้วัด 5", "i9", "i10", "i11", "ตัวชี้วัด 8", "i12", "i8"]
    assert topic.table["มาตรการ (ลำดับ)"].tolist()[5:8] == ["4, 5, 6", "3", "2"]
    assert topic.table["ลำดับแก้"].tolist()[:3] == [5, 8, 10]
    assert any(s.startswith("คะแนน ITA ปี 2565: ไฟล์ ita_scores_TESTDATA_not_real_results.csv")
               and s.endswith("· คะแนนจาก ไฟล์ทดสอบของชุดทดสอบ (ไม่ใช่ผลการประเมินจริง) (ผลลงวันที่ 15 ม.ค. 2566)")
               for s in p.sources)


def test_ita_slide_without_scores_shows_the_weak_points_the_documents_name(seeded):
    store, org = seeded
    bongti = pack.build(store, (org["อบต.บ้องตี้"], None, None), 2566, AS_OF).topics[3]
    assert bongti.lines == ["จุดอ่อนปี 2565 8 จุด (เอกสารระบุ 8) · มาตรการปี 2566 รองรับแล้ว 8",
                            "ยังไม่มีมาตรการ 0 · ยังไม่มีความก้าวหน้า 5 · อยู่ระหว่างดำเนินการ 0 · ดำเนินการแล้วเสร็จ 3",
                            "ต้องดูก่อน: i8, i12, e11, e14, e15"]
    assert bongti.chart.categories == ["IIT", "EIT", "OIT"]
    assert {s.name: s.values for s in bongti.chart.series} == {
        "ยังไม่มีมาตรการ": [0, 0, 0], "ยังไม่มีความก้าวหน้า": [2, 3, 0], "อยู่ระหว่างดำเนินการ": [0, 0, 0],
        "ดำเนินการแล้วเสร็จ": [1, 0, 2]}  # i7; o41 and o42 done by 001's own results
    assert [x.split(" · ")[0] for x in bongti.table["จุดอ่อน"]] == ["i8", "i12", "e11", "e14", "e15", "i7", "o41", "o42"]
    assert bongti.table["มาตรการ (ลำดับ)"].tolist() == ["2", "3", "4", "5", "6", "1", "7", "8"]
    assert bongti.notes[0].startswith("ยังไม่มีคะแนน ITA ปี 2565: ไฟล์คะแนนจะเพิ่มคะแนนรายข้อ")
    prui = pack.build(store, (org["ทต.ปรุใหญ่"], None, None), 2566, AS_OF)
    topic = prui.topics[3]
    assert topic.lines[:2] == ["จุดอ่อนปี 2565 11 จุด (เอกสารระบุ 11) · มาตรการปี 2566 รองรับแล้ว 11",
                               "ยังไม่มีมาตรการ 0 · ยังไม่มีความก้าวหน้า 0 · อยู่ระหว่างดำเนินการ 0 · ดำเนินการแล้วเสร็จ 11"]
    assert {s.name: s.values for s in topic.chart.series}["ดำเนินการแล้วเสร็จ"] == [3, 3, 5]
    table = topic.sheets["ITA จุดอ่อนและมาตรการ"]
    assert table["จุดอ่อน"].tolist() == ["IIT (ไม่มีรหัสข้อ)"] * 3 + ["EIT (ไม่มีรหัสข้อ)"] * 3 + ["OIT (ไม่มีรหัสข้อ)"] * 5
    assert table["จุดอ่อนตามเอกสาร"].iloc[3] == "การปรับปรุงการพัฒนา คุณภาพดำเนินงานของ หน่วยงาน"
    assert all("(จากเอกสาร)" in r for r in table["รายงานล่าสุด"])  # the 6-month document's own reports
    assert any(s.startswith("จุดอ่อน ITA ปี 2565: ตามเอกสาร 004_") for s in prui.sources)
    (chart,) = charts(slides(pack_pptx.pptx_bytes(prui))[3])
    assert series(chart)["ดำเนินการแล้วเสร็จ"] == [3, 3, 5]
    assert chart.value_axis.major_unit == 1


def test_sources_name_the_first_documents_and_count_them_all(seeded):
    """The sources read the first documents only; the count, the last import and the workbook's list are every
    document's (pack_queries.documents)."""
    from lib.queries import pack as pack_queries

    store, _ = seeded
    everything = pack_queries.documents(store, (None, None, None), None)
    assert len(everything) >= 3
    first = pack_queries.first_documents(store, (None, None, None), None, 2)
    assert first["file_name"].tolist() == everything["file_name"].head(2).tolist()
    assert (first["matched"] == len(everything)).all()
    assert (first["last_imported_at"] == everything["imported_at"].max()).all()
    p = pack.build(store, (None, None, None), None, AS_OF)
    assert f"เอกสาร {len(everything):,} ฉบับ:" in p.sources
    listed = [line for line in p.sources if line.startswith("• ") and "และอีก" not in line]
    assert len(listed) == min(len(everything), pack.SOURCE_DOCUMENTS_LISTED)
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx(p, store)))
    assert len(list(book["เอกสาร"].iter_rows(min_row=6))) == len(everything)


def test_workbook_holds_the_table_behind_every_chart(seeded):
    store, org = seeded
    p = pack.build(store, (org["อบต.ตะโก"], None, None), 2569, AS_OF)
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx(p, store)))
    assert book.sheetnames == ["สรุป", "แหล่งข้อมูล", "เอกสาร", "ความก้าวหน้ารายไตรมาส", "งบประมาณตามมิติ",
                               "เลยกำหนดตามมิติ", "เรื่องที่ต้องตัดสินใจ", "รายการเลยกำหนด"]
    budget = list(book["งบประมาณตามมิติ"].iter_rows(values_only=True))
    assert budget[0][:2] == ("หน่วยงาน", "อบต.ตะโก") and budget[2][:2] == ("ข้อมูล ณ วันที่", "18 มิ.ย. 2569")
    assert [r[4] for r in budget[5:9]] == [0, 20000, 0, 0]  # the chart's planned series
    assert budget[-1][0] == "รวมทั้งสิ้น" and budget[-1][1] == 16 and budget[-1][4] == 20000
    quarters = list(book["ความก้าวหน้ารายไตรมาส"].iter_rows(values_only=True))
    assert [r[4] for r in quarters[5:]] == [15, 1, 0, 0]
    assert len(list(book["รายการเลยกำหนด"].iter_rows())) == 4 + 1 + 16
    # as a reader in the meeting needs it: headers frozen, separators, Buddhist Era, Thai words
    for sheet in book:
        header = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if row[0] and i > 3)
        assert sheet.freeze_panes == f"A{header + 1}", sheet.title
        for row in sheet.iter_rows(min_row=header + 1):
            for cell in row:
                assert not isinstance(cell.value, (dt.date, dt.datetime)), (sheet.title, cell.coordinate)
    budget_sheet = book["งบประมาณตามมิติ"]
    assert budget_sheet["E7"].value == 20000 and budget_sheet["E7"].number_format == "#,##0.00"
    assert budget_sheet["B10"].value == 16 and budget_sheet["B10"].number_format == "#,##0"
    documents = list(book["เอกสาร"].iter_rows(min_row=5, values_only=True))
    assert documents[0][2:5] == ("ประเภท", "หน่วยงาน", "ปีงบประมาณ")
    assert documents[1][2] == "แผนปฏิบัติการ" and documents[1][4] == 2569  # not "plan"
    assert book["เอกสาร"]["E6"].number_format == "0"  # a year is 2569, not 2,569
    assert re.fullmatch(r"\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\.", documents[1][5])  # imported at, in พ.ศ.


@pytest.mark.skipif(not (os.path.exists(pack_pdf.CHROMIUM) and shutil.which("pdftoppm")) and not os.environ.get("CI"),
                    reason="Debian's chromium and poppler-utils are not installed here (.ci/run installs them)")
def test_pdf_has_the_thai_titles_intact_and_a_first_page_to_look_at(seeded, tmp_path):
    store, org = seeded
    p = pack.build(store, (org["อบต.ตะโก"], None, None), 2569, AS_OF)
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack_pdf.pdf_bytes(p))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           5" in info
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for n in range(1, 6)]
    for title, text in zip(TITLES, pages, strict=True):  # each page starts with its title, character for character
        assert text.strip().splitlines()[0].strip() == title
    assert "ข้อมูล ณ วันที่ 18 มิ.ย. 2569" in pages[0] and "ยังไม่มีรายงานภายในวันที่เลือก" in pages[0]
    assert "งบประมาณตามมิติ (บาท)" in pages[2] and "20,000" in pages[2]  # the chart's own text
    assert "ยังไม่มีคะแนน ITA ปี 2568 ของ อบต.ตะโก ในระบบ" in pages[3]
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SHOTS / "pack_page1")], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "3", "-l", "3", "-singlefile", str(pdf),
                    str(SHOTS / "pack_page3")], check=True)
    assert (SHOTS / "pack_page1.png").stat().st_size > 10_000


def test_slides_keep_every_shape_inside_and_long_tables_continue(seeded):
    """Geometry of the deck as any client lays it out: every shape inside the 16:9 slide, a table's rows
    (their heights set from the estimate paginate uses) above the slide's footer, the decisions table cut
    into pieces that continue on the next slides in order, and each chart's legend a box above the chart
    (LibreOffice Impress drew the chart's own legend over its axis labels)."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml.ns import qn

    bar_kinds = (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED)
    store, org = seeded
    p = pack.build(store, (None, None, None), None, dt.date(2026, 12, 3))  # every organization, every year
    prs = Presentation(io.BytesIO(pack_pptx.pptx_bytes(p)))
    deck = list(prs.slides)
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(deck, 1):
        assert texts(slide)[2] == f"{number}/{len(deck)}"
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (number, shape.name)
            if shape.has_table:
                rows = shape.table.rows
                assert shape.top + sum(r.height for r in rows) <= height - pack_pptx.Inches(0.45), number
        for frame in [s for s in slide.shapes if s.has_chart]:
            assert not frame.chart.has_legend
            # a label on every category, and value labels no taller than their bars leave room for
            plot = frame.chart.plots[0]
            skip = frame.chart.category_axis._element.find(qn("c:tickLblSkip"))
            assert skip is not None and skip.get("val") == "1", number
            bars = len(plot.categories) * len(plot.series)
            along = frame.height if frame.chart.chart_type in bar_kinds else frame.width
            assert along / bars >= plot.data_labels.font.size * 1.6, (number, bars)
            [legend] = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("■ ")]
            assert legend.top + legend.height <= frame.top and legend.left == frame.left
            assert [n.strip() for n in legend.text_frame.text.split("■ ") if n] == \
                [s.name for s in frame.chart.plots[0].series]
    decisions = next(t for t in p.topics if t.key == "overdue").table
    assert len(decisions) == 10
    titles = [texts(s)[0] for s in deck]
    continued = [i for i, t in enumerate(titles) if t.startswith("รายการเลยกำหนด และเรื่องที่ต้องตัดสินใจ (ต่อ")]
    assert continued and titles[continued[0] - 1] == "รายการเลยกำหนด และเรื่องที่ต้องตัดสินใจ"
    # the chart has its topic's first slide to itself (beside a table Impress dropped its labels)
    first = deck[continued[0] - 1].shapes
    assert [s for s in first if s.has_chart] and not [s for s in first if s.has_table]
    pieces = [next(s for s in deck[i].shapes if s.has_table).table for i in continued]
    shown = [tuple(c.text for c in row.cells) for t in pieces for row in list(t.rows)[1:]]
    # every row once, in order (a cell's text cut at CELL_CHARS; the workbook has it whole)
    assert [r[1] for r in shown] == [pack_pptx._cell_text(t) for t in decisions["รายการ"]]
    assert [t.startswith("สรุปสถานะ") for t in titles].count(True) == 1


def test_paginate_fills_each_slide_by_its_row_budget():
    import pandas as pd

    long_title = "โครงการพัฒนาระบบการให้บริการประชาชนผ่านระบบอิเล็กทรอนิกส์ขององค์การบริหารส่วนตำบล" * 2
    table = pd.DataFrame({"เรื่อง": ["เลยกำหนด"] * 40, "รายการ": [f"{i}. {long_title}" for i in range(40)],
                          "ล่าช้า (วัน)": list(range(40))})
    width, budget = pack_pptx.Inches(6.5), pack_pptx.Inches(4.5)
    pieces = pack_pptx.paginate(table, width, budget)
    assert len(pieces) > 3 and sum(len(p) for p in pieces) == 40
    widths = pack_pptx._widths(table, width)
    header = pack_pptx._row_height(list(table.columns), widths)
    for piece in pieces:
        used = header + sum(pack_pptx._row_height(list(r), widths) for r in piece.astype(object).itertuples(index=False))
        assert used <= budget
    # a long title wraps to several lines: its row is taller than a one-line row
    assert pack_pptx._row_height(["x", long_title, 1], widths) > 3 * pack_pptx._row_height(["x", "สั้น", 1], widths) / 2


def test_presentation_figures_keep_national_size_labels_readable():
    from lib.pack.assemble import Chart, Series, figure

    columns = Chart("ความก้าวหน้ารายไตรมาส", ["ไตรมาส 1", "ไตรมาส 2"],
                    [Series("วางแผน", [112723, 135931], "#A9B4C2"), Series("มีรายงาน", [10808, 0], "#4A7FB0")])
    fig = figure(columns, font_size=17)
    assert fig.layout.xaxis.range == (-0.75, 1.75)  # the first column's figure clear of the value axis
    assert fig.layout.uniformtext.mode == "show" and fig.layout.uniformtext.minsize == 13  # not shrunk to the bar
    assert list(fig.data[0].text) == ["112,723", "135,931"] and fig.data[0].textangle == 0
    stacked = Chart("จุดอ่อน", ["IIT", "EIT"], [Series("ดำเนินการแล้ว", [310, 1020], "#1B7F3B"),
                                              Series("ยังไม่มีความก้าวหน้า", [24000, 18000], "#C0392B")],
                    horizontal=True, stacked=True)
    fig = figure(stacked, font_size=17)
    assert fig.layout.uniformtext.mode == "hide" and fig.data[0].textangle == 0
    assert list(fig.data[0].text) == ["310", "1,020"]  # the hover keeps what a thin segment cannot show
