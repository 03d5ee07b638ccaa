"""The five seed documents, read by the importers: the exact records each one yields."""
import datetime as dt
from collections import Counter

import pytest

from lib.ingest import read_path
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def docs():
    return {path.name[:3]: read_path(path) for path in sorted(SEEDS.glob("*.txt"))}


def codes(doc):
    return [i.code for i in doc.issues]


def test_003_action_plan_summary(docs):
    plan = docs["003"]
    assert plan.layout == "action_plan"
    assert plan.organization.name == "องค์การบริหารส่วนตำบลตะโก"
    assert (plan.organization.district, plan.organization.province) == ("ห้วยแถลง", "นครราชสีมา")
    assert plan.fiscal_year == 2569
    assert plan.as_of == dt.date(2026, 6, 18)
    items = plan.plan_items
    assert [p.seq for p in items] == list(range(1, 17))
    assert Counter(p.dimension for p in items) == {1: 4, 2: 6, 3: 4, 4: 2}
    budgets = [p for p in items if p.budget]
    assert len(budgets) == 1
    assert budgets[0].seq == 7 and budgets[0].budget == 20000.0
    assert budgets[0].title == "โครงการประเมินความพึงพอใจของประชาชนที่มีต่อการให้บริการขององค์การบริหารส่วนตำบลตะโก"
    assert sum(p.budget for p in items) == 20000.0
    assert sum(1 for p in items if 1 in p.quarters) == 15
    assert [p.seq for p in items if p.quarters == (2,)] == [3]
    assert all(len(p.quarters) == 1 for p in items)
    # the totals row (20,000.00 / 15 1 0 0) agrees with the rows: no mismatch warning
    assert not [c for c in codes(plan) if c.startswith("totals.")]


def test_003_every_item_joined_to_its_detail_sheet(docs):
    items = {p.seq: p for p in docs["003"].plan_items}
    # summary order differs from the detail sheets' order
    assert {seq: p.detail_seq for seq, p in items.items()} == {
        1: 1, 2: 2, 3: 15, 4: 4, 5: 3, 6: 9, 7: 13, 8: 16, 9: 8, 10: 7, 11: 5, 12: 11,
        13: 12, 14: 6, 15: 14, 16: 10}
    assert not [c for c in codes(docs["003"]) if c.startswith("detail.")]
    assert items[7].budget_text == "งบประมาณ จำนวน ๒๐๐๐๐ บาท"
    assert items[1].budget_text == "ดำเนินการโดยไม่ใช้งบประมาณ"
    assert items[1].target_group.endswith("จำนวน ๕๐ คน")
    assert items[1].period_text == "ปีงบประมาณ พ.ศ. ๒๕๖๙"
    assert (items[1].start, items[1].end) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert items[7].outputs == "มีระบบ/ช่องทางให้ประชาชนประเมินความพึงพอใจในการให้บริการของหน่วยงาน"
    assert items[3].item_type == "มาตรการ" and items[6].item_type == "โครงการ" and items[1].item_type == "กิจกรรม"


def test_003_dimension_legend(docs):
    assert docs["003"].dimension_names == {
        1: "การสร้างวัฒนธรรมสุจริต",
        2: "การบริหารราชการด้วยความโปร่งใส",
        3: "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
        4: "การยกระดับกลไกการตรวจสอบการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น",
    }


def test_001_item_codes_and_page_breaks(docs):
    doc = docs["001"]
    assert doc.layout == "ita_item_report"
    assert doc.organization.short_name == "อบต.บ้องตี้"
    assert doc.organization.website == "bongti.go.th"
    assert doc.fiscal_year == 2566
    assert (doc.start, doc.end) == (dt.date(2022, 10, 1), dt.date(2023, 9, 30))
    m = doc.measures
    assert [x.item_codes for x in m] == [("i7",), ("i8",), ("i12",), ("e11",), ("e14",), ("e15",),
                                         ("o41",), ("o42",)]
    assert [x.instrument for x in m] == ["IIT"] * 3 + ["EIT"] * 3 + ["OIT"] * 2
    # the i8 row continues after a page break: its measure text ends with the continued part
    assert "บุคลากรทุกคนในหน่วยงาน สามารถรับทราบข้อมูล" in m[1].title
    assert "๒. จัดทำช่องทางการร้องเรียนการใช้จ่ายงบประมาณของบุคลากรในหน่วยงาน" in m[1].title
    assert "ครั้งที่ ๒ รอบเดือนตุลาคม" in m[1].result
    # the i12 row runs on too (its measure ends on the next page)
    assert m[2].title.endswith("งบประมาณของบุคลากร ในหน่วยงาน")
    assert "https://www.bongti.go.th/helping" in m[2].links
    assert m[6].item_topic == "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี"
    assert all(x.period_source == "document" for x in m)
    assert doc.framework_year == 2565
    assert "framework_year.assumed" in codes(doc)


def test_000_seven_measures_and_the_row_that_holds_two(docs):
    doc = docs["000"]
    assert doc.layout == "ita_measure_results"
    assert doc.fiscal_year == 2568
    assert doc.organization.short_name == "อบต.หนองแวง"
    m = doc.measures
    assert len(m) == 7
    assert m[1].title.startswith("การป้องกันการขัดกัน") and m[2].title.startswith("สร้างการรับรู้")
    assert m[1].source_excerpt == m[2].source_excerpt
    assert m[1].steps.startswith("๑. การประเมินความเสี่ยง") and m[1].steps.count("\n") == 2
    assert m[2].steps.startswith("๑. หัวหน้าส่วนราชการ") and m[2].steps.count("\n") == 1
    assert (m[1].start, m[1].end, m[1].quarters) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31), (1,))
    assert (m[2].start, m[2].end, m[2].quarters) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30), (1, 2, 3, 4))
    assert m[2].recurrence
    assert (m[0].start, m[0].end) == (dt.date(2024, 10, 1), dt.date(2025, 4, 30))
    assert (m[3].start, m[3].end, m[3].quarters) == (dt.date(2025, 1, 2), dt.date(2025, 6, 30), (2, 3))
    assert "www.nongwang.go.th" in m[6].result


def test_000_location_conflict_is_asked_not_guessed(docs):
    doc = docs["000"]
    org = doc.organization
    assert (org.district, org.province) == (None, None)
    questions = [i for i in doc.issues if i.severity == "question" and i.code != "progress.unclear"]
    assert len(questions) == 1  # besides measure 1's status (tests/test_results.py)
    assert questions[0].options == ("อ.เทพารักษ์ จ.นครราชสีมา", "อ.นาดูน จ.ขอนแก่น")
    assert "organization.spelling" in codes(doc)  # หนองแขวง is flagged


def test_002_categories(docs):
    doc = docs["002"]
    assert doc.layout == "ita_category_report"
    assert doc.fiscal_year == 2567
    assert doc.organization.short_name == "อบต.ปอ"
    m = doc.measures
    assert len(m) == 14
    assert Counter(x.category_no for x in m) == {1: 4, 2: 1, 3: 2, 5: 2, 6: 3, 7: 2}
    assert m[0].category == "กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ"
    # category (๖) continues across the page break
    assert m[10].category_no == 6 and m[10].title.startswith("การกระจายอำนาจการตัดสินใจ")
    assert all((x.start, x.end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30)) for x in m)
    assert all(x.period_text == "ต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗" for x in m)
    assert "category.gap" in codes(doc)  # there is no (๔)


def test_004_instrument_sections(docs):
    doc = docs["004"]
    assert doc.layout == "ita_instrument_report"
    assert doc.organization.name == "เทศบาลตำบลปรุใหญ่"
    assert "organization.name_variant" in codes(doc)  # the title's ปทุมใหญ่ is flagged
    assert doc.fiscal_year == 2566 and doc.report_round == 6
    assert (doc.start, doc.end) == (dt.date(2022, 10, 1), dt.date(2023, 3, 31))
    m = doc.measures
    assert Counter(x.instrument for x in m) == {"IIT": 3, "EIT": 3, "OIT": 5}
    assert all(x.quarters == (1, 2) for x in m)
    assert m[7].title == "E-Service URL ไม่เชื่อมโยง กับเว็บไซต์หลัก"
    assert m[7].responsible == "กองสาธารณสุขฯ"
    assert doc.framework_year == 2565  # "จากการวิเคราะห์ผลการประเมิน ... ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"


def test_html_becomes_text_and_links_stay_links(docs):
    for doc in docs.values():
        for m in doc.measures:
            for text in (m.title, m.steps or "", m.result or "", m.outcome or ""):
                assert "<p>" not in text and "<li>" not in text and "&amp;" not in text
    e11 = docs["001"].measures[3]
    assert any("docs.google.com/forms" in link for link in e11.links)


def test_a_name_cut_at_a_line_end_does_not_shorten_the_organization():
    """A wrapped cell cuts "หนองแวง" into "หนอง" at a line's end, and an abbreviation runs into another
    column's words: the name written in full with its district and province stays whole."""
    from lib.ingest.organization import find_organization

    text = ("แผนปฏิบัติการ\nองค์การบริหารส่วนตำบลหนองแวง อำเภอเทพารักษ์ จังหวัดนครราชสีมา\n"
            "มาตรการ\tผู้รับผิดชอบ\n๑. จัดทำคู่มือ\tสำนักปลัด องค์การบริหารส่วนตำบลหนอง\nแวง\n"
            "๒. เผยแพร่\tอบต.หนอง อบต.หนองแวง ทำ\n")
    found, _ = find_organization(text, text.index("มาตรการ"))
    assert found.short_name == "อบต.หนองแวง"
    assert (found.district, found.province) == ("เทพารักษ์", "นครราชสีมา")


def test_a_name_running_into_a_verb_is_still_the_shorter_name():
    from lib.ingest.organization import find_organization

    text = ("มาตรการ\nองค์การบริหารส่วนตำบลตะโก\nองค์การบริหารส่วนตำบลตะโกตระหนักถึงความสำคัญ "
            "ขององค์การบริหารส่วนตำบลตะโก ในการ\n")
    found, issues = find_organization(text, len(text))
    assert found.short_name == "อบต.ตะโก" and not [i for i in issues if i.code == "organization.spelling"]


def test_reading_a_document_loads_the_organization_register_once(monkeypatch):
    """read_text loaded the register for the organization's name and again to ask whether a scan's
    name is a registered one (is_registered)."""
    import lib.ingest.organization as organization

    loads = []
    real = organization.load_register
    monkeypatch.setattr(organization, "load_register", lambda *a, **k: loads.append(1) or real(*a, **k))
    import lib.ingest as ingest

    monkeypatch.setattr(ingest, "load_register", organization.load_register)
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    doc = ingest.read_text(text, "003.txt", scanned=True)
    assert doc.organization.name == "องค์การบริหารส่วนตำบลตะโก" and not [i for i in doc.issues
                                                                    if i.code == "ocr.organization"]
    assert len(loads) == 1


def test_a_period_the_reader_cannot_read_is_asked_not_left_out():
    """A row holding two measures whose period cell was split at another place (a Writer PDF of 000: the
    measures' periods came out as other words): a measure whose period does not read has no quarters,
    so it is asked."""
    import lib.ingest as ingest

    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    cell = "<p>ตุลาคม ๒๕๖๗ - ธันวาคม ๒๕๖๗</p> <p>เป็นประจำทุกเดือน, รอบไตรมาส, รอบ ๖ เดือน "
    assert text.count(cell) == 1
    damaged = text.replace(cell, "<p>ตุลาคม ๒๕๖๗ - ธันวาคม ๒๕๖๗ เป็นประจำทุกเดือน</p> <p>รอบไตรมาส, รอบ ๖ เดือน ")
    doc = ingest.read_text(damaged, "000.txt")
    asked = [i for i in doc.issues if i.code == "period.unreadable"]
    assert [i.severity for i in asked] == ["question"] and asked[0].subject == "period:2"
    assert doc.measures[1].quarters == () and doc.measures[1].start is None
    assert doc.measures[2].quarters == (1, 2, 3, 4)  # the second one's words still read as the year
