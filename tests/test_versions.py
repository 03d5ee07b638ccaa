"""Versions: a document is what it says, whatever its bytes or format; a revised one is a version the
user chooses to count instead (undoable) or beside the other; the pages never count a plan twice."""
import io

import pytest

from lib.ingest import IngestError, read_document
from lib.ingest.versions import PERIOD_FIELDS, content_key, unsure
from lib.store import import_seeds, open_store
from lib.store.summaries import check as check_summaries
from tests.conftest import SEEDS
from tests.renderings import spaced
from tests.renderings.tab_copy import render as tab_copy
from tests.renderings.web_copy import STYLES, line_per_cell, render
from tests.test_docx import docx_from_text

COUNTED = ("plan_item", "measure", "measure_item_link", "progress", "document_issue")


def counts(store):
    return {t: store.query_rows(f"SELECT count(*) FROM {t}")[0][0] for t in COUNTED}


def tako(store):
    return store.query_rows("SELECT count(*), coalesce(sum(budget), 0)::DOUBLE FROM plan_item p "
                            "JOIN organization o ON o.id = p.organization_id WHERE o.short_name = 'อบต.ตะโก' "
                            "AND p.fiscal_year = 2569")[0]


def as_docx(text: str) -> bytes:
    document, _ = docx_from_text(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("versions") / "db.duckdb")
    import_seeds(store)
    yield store
    store.close()


RESAVED = {
    "crlf": lambda b: (b.decode().replace("\n", "\r\n").encode(), "txt"),
    "bom": lambda b: (b"\xef\xbb\xbf" + b, "txt"),
    "docx": lambda b: (as_docx(b.decode()), "docx"),
    "spaces": lambda b: (spaced(b.decode()).encode(), "txt"),
    # copied from a web page: narrow first column wrapped, NBSP gaps, full-width forms with CRLF
    **{f"web-{s.name}": (lambda b, s=s: (render(b.decode(), s).encode(), "txt"))
       for s in STYLES if s.name in ("first-column-narrow", "nbsp", "fullwidth-crlf", "zero-width")},
    # tabs that became pipes on the way (a markdown table; " | " with the lines trimmed and CRLF)
    **{f"tabs-{kind}": (lambda b, kind=kind, mix=mix: (tab_copy(b.decode(), kind, mix).encode(), "txt"))
       for kind, mix in (("markdown", ""), ("pipes", "trimmed-crlf"))},
}


@pytest.mark.parametrize("how", list(RESAVED))
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_the_seed_resaved_adds_nothing(seeded, prefix, how):
    data, fmt = RESAVED[how](next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes())
    before = counts(seeded)
    result = seeded.import_document(read_document(data, f"{prefix}-copy.{fmt}"), data, fmt, "ทดสอบ")
    assert not result.created and result.version_of is None
    assert "นำเข้าแล้ว" in result.message and "ไม่ได้เพิ่มข้อมูลซ้ำ" in result.message
    assert counts(seeded) == before
    assert tako(seeded) == (16, 20000.0)  # was 48 items / 60,000 baht after a CRLF and a BOM copy


@pytest.mark.parametrize("how", [("sed2", ""), ("sed3", "trimmed"), ("sed4", "crlf-bom")], ids=str)
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_copy_whose_tabs_became_spaces_never_changes_a_figure(seeded, prefix, how):
    data = tab_copy(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"), *how).encode()
    before = counts(seeded)
    try:
        doc = read_document(data, f"{prefix}-spaces.txt")
    except IngestError:
        # 001: runs of spaces inside its cells as wide as a separator; 000 with two spaces a tab: no line
        # kept its trailing spaces, so a row with an empty last cell could hide a double space: refused
        assert prefix == "001" or (prefix, how) == ("000", ("sed2", ""))
        assert counts(seeded) == before
        return
    result = seeded.import_document(doc, data, "txt", "ทดสอบ")
    assert not result.created and result.version_of is None and "ไม่ได้เพิ่มข้อมูลซ้ำ" in result.message
    assert counts(seeded) == before and tako(seeded) == (16, 20000.0)


def revised_plan() -> bytes:
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    text = text.replace("\t2\t20,000.00\t", "\t2\t25,000.00\t")  # item 7's budget changes
    text = text.replace("20,000.00\t15\t1", "25,000.00\t15\t1")  # and the totals row with it
    return text.encode()


def plan_with_an_item_added_and_one_removed() -> bytes:
    """ตะโก 2569 revised: item 17 added (15,000 baht, Q2-Q3), item 14 removed, item 7's budget 20,000 -> 25,000."""
    text = revised_plan().decode()
    text = text.replace("14\tโครงการจัดเวทีประชาคม\t3\t0.00\t☑\t\t\t\t\n", "")
    last = "16\tกิจกรรมส่งเสริมและพัฒนาศักยภาพสมาชิกสภาท้องถิ่น\t4\t0.00\t☑\t\t\t\t\n"
    text = text.replace(last, last + "17\tโครงการอบรมเจ้าหน้าที่ด้านการจัดซื้อจัดจ้างอย่างโปร่งใส\t2\t15,000.00\t\t☑\t☑\t\t\n")
    text = text.replace("25,000.00\t15\t1\t0\t0", "40,000.00\t14\t2\t1\t0")
    assert "40,000.00\t14" in text and "\n17\t" in text and "\n14\t" not in text
    return text.encode()


def test_a_revised_plan_shows_the_budget_and_quarters_of_what_it_adds_and_removes(tmp_path):
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    data = plan_with_an_item_added_and_one_removed()
    result = store.import_document(read_document(data, "ตะโก-ปรับปรุง.txt"), data, "txt", "สมชาย")
    diff = result.diff
    assert [(x.seq, x.budget, x.quarters) for x in diff.added] == [(17, 15000.0, (2, 3))]
    assert [(x.seq, x.title, x.budget, x.quarters) for x in diff.removed] == [(14, "โครงการจัดเวทีประชาคม", 0.0, (1,))]
    assert diff.added[0].line == ("ลำดับ 17 โครงการอบรมเจ้าหน้าที่ด้านการจัดซื้อจัดจ้างอย่างโปร่งใส · "
                                  "งบประมาณ 15,000.00 บาท · ไตรมาส 2, 3")
    assert [c.fields for c in diff.changed] == [[("budget", 20000.0, 25000.0)]]
    assert diff.summary == ("เพิ่ม 1 รายการ · ลบ 1 รายการ · เปลี่ยน 1 รายการ · เหมือนเดิม 14 รายการ · "
                            "งบประมาณรวม 20,000.00 → 40,000.00 บาท")
    # the documents page and the CLI read it again from the stored bytes: the same figures
    from lib.queries import collect

    again = collect.version_diff(store, result.document_id).as_json()
    assert again["added"] == [{"seq": 17, "title": "โครงการอบรมเจ้าหน้าที่ด้านการจัดซื้อจัดจ้างอย่างโปร่งใส",
                               "budget": 15000.0, "quarters": [2, 3]}]
    assert again["removed"][0]["quarters"] == [1] and again["budget"] == {"old": 20000.0, "new": 40000.0}
    assert again["changed"] == [{"title": diff.changed[0].title, "fields": [
        {"field": "budget", "label": "งบประมาณ", "old": 20000.0, "new": 25000.0}]}]
    store.close()


def test_a_revised_plan_is_a_version_counted_once_until_the_user_chooses(tmp_path):
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    data = revised_plan()
    result = store.import_document(read_document(data, "ตะโก-ปรับปรุง.txt"), data, "txt", "สมชาย")
    first = result.version_of
    assert result.created and first is not None
    assert [c.title[:25] for c in result.diff.changed] == ["โครงการประเมินความพึงพอใจ"]
    assert result.diff.changed[0].fields == [("budget", 20000.0, 25000.0)]
    assert (result.diff.added, result.diff.removed, result.diff.unchanged) == ([], [], 15)
    assert tako(store) == (16, 20000.0)  # pending: the pages still count the first plan only
    again = store.import_document(read_document(data, "again.txt"), data, "txt", "สมชาย")
    assert not again.created  # the version itself imported again adds nothing either

    store.resolve_version(result.document_id, "replace", "หัวหน้าสำนักปลัด")
    assert tako(store) == (16, 25000.0)
    assert set(check_summaries(store).values()) == {0}  # the pages' summaries follow the replacement
    states = dict(store.query_rows("SELECT id, version_state FROM source_document WHERE kind = 'plan'"))
    assert states == {first: "replaced", result.document_id: None}
    assert store.query_rows("SELECT count(*) FROM plan_item_replaced WHERE document_id = ?", [first])[0][0] == 16
    assert store.query_rows("SELECT count(*) FROM history WHERE action = 'version_replace' "
                            "AND table_name = 'plan_item'")[0][0] == 16

    # undo: the first plan is chosen again and replaces its replacement, with the same record ids
    ids = sorted(r[0] for r in store.query_rows("SELECT id FROM plan_item_replaced WHERE document_id = ?", [first]))
    store.resolve_version(first, "replace", "หัวหน้าสำนักปลัด")
    assert tako(store) == (16, 20000.0)
    assert set(check_summaries(store).values()) == {0}
    assert sorted(r[0] for r in store.query_rows("SELECT id FROM plan_item WHERE document_id = ?", [first])) == ids
    assert store.query_rows("SELECT count(*) FROM history WHERE action LIKE 'version_%' "
                            "AND table_name = 'source_document'")[0][0] == 2
    store.close()


def test_keep_both_counts_both_when_the_user_says_they_differ(tmp_path):
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    data = revised_plan()
    result = store.import_document(read_document(data, "ตะโก-เพิ่มเติม.txt"), data, "txt", "สมชาย")
    store.resolve_version(result.document_id, "keep", "สมชาย")
    assert tako(store) == (32, 45000.0)
    assert set(check_summaries(store).values()) == {0}
    with pytest.raises(Exception, match="ไม่ได้รอการเลือก"):
        store.resolve_version(result.document_id, "replace", "สมชาย")
    store.close()


def test_replacing_a_results_document_moves_its_measures_and_their_item_links(tmp_path):
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    path = next(SEEDS.glob("001_*.txt"))
    text = path.read_text(encoding="utf-8").replace("ไลน์กลุ่มเจ้าหน้าที่", "ไลน์กลุ่มบุคลากร")
    result = store.import_document(read_document(text.encode(), "บ้องตี้-แก้ไข.txt"), text.encode(), "txt", "สมชาย")
    # three measures name the staff's Line group: renamed titles are changes, matched by their number
    assert result.version_of is not None and len(result.diff.changed) == 3
    assert (result.diff.added, result.diff.removed, result.diff.unchanged) == ([], [], 5)
    links = store.query_rows("SELECT count(*) FROM measure_item_link")[0][0]
    store.resolve_version(result.document_id, "replace", "สมชาย")
    assert set(check_summaries(store).values()) == {0}
    assert store.query_rows("SELECT count(*) FROM measure_item_link")[0][0] == links  # 8 new ones, 8 set aside
    assert store.query_rows("SELECT count(*) FROM measure_item_link_replaced")[0][0] == 8
    assert store.query_rows("SELECT count(*) FROM measure m JOIN source_document d ON d.id = m.document_id "
                            "WHERE d.file_name = 'บ้องตี้-แก้ไข.txt'")[0][0] == 8
    store.close()


# ruled text renderings (tables drawn without rules, "_bare", "_loose", "_middle", have their own checks of the
# same kind in tests/test_pdf.py: the same content identity as the seed, or a question, or a refusal)
PDFS = sorted(p for p in (SEEDS.parents[1] / "tests" / "pdfs").glob("*.pdf")
              if not p.stem.endswith(("_scan", "_bare", "_loose", "_middle", "_midloma")))


def test_the_seed_as_pdf_adds_nothing(seeded):
    data = (SEEDS.parents[1] / "tests" / "pdfs" / "002_ruled.pdf").read_bytes()
    before = counts(seeded)
    result = seeded.import_document(read_document(data, "002.pdf"), data, "pdf", "ทดสอบ")
    assert not result.created and counts(seeded) == before


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_a_pdf_rendering_never_counts_a_document_twice(tmp_path, path):
    """Where the PDF reader's text still differs from the seed (e.g. a repeated syllable), the PDF is
    a version waiting for the user, never a second copy on the pages."""
    store = open_store(tmp_path / "db.duckdb")
    import_seeds(store)
    before = counts(store)
    data = path.read_bytes()
    result = store.import_document(read_document(data, path.name), data, "pdf", "ทดสอบ")
    assert not result.created or result.version_of is not None
    assert counts(store) == before
    store.close()


@pytest.mark.parametrize("blank_rows", [False, True], ids=["empty-cell-lines", "blank-line-rows"])
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_copy_with_a_cell_on_each_line_never_changes_a_figure(seeded, prefix, blank_rows):
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    data = line_per_cell(text, blank_rows).encode()
    before = counts(seeded)
    try:
        doc = read_document(data, f"{prefix}-pasted.txt")
    except IngestError:
        assert prefix == "003" and blank_rows  # a tick's quarter cannot be known: refused, nothing written
        assert counts(seeded) == before
        return
    result = seeded.import_document(doc, data, "txt", "ทดสอบ")
    # 000's row holding measures ๒ and ๓ cannot share out its cells a line at a time, 001's lines that
    # run a row on over a page cannot be placed in their columns: they ask, and differ from the seed
    # only there, so they are the seed's document too
    assert not result.created and result.version_of is None and "ไม่ได้เพิ่มข้อมูลซ้ำ" in result.message
    assert result.read_otherwise == (prefix in ("000", "001"))
    assert counts(seeded) == before
    assert tako(seeded) == (16, 20000.0)


def test_the_content_identity_repairs_all_strings_at_once_as_one_by_one():
    """versions._norm_all repairs a document's strings joined into one text (a call per string cost
    most of an import's content identity): on Thai with marks out of order, split sara am, private-use
    glyphs, zero-width characters, lakkhangyao and spaces, it gives what one repair per string gives."""
    import random

    from lib.ingest.versions import _norm_all, normalised

    alphabet = (list("กขนมยรลวสหอฤฦab1 \t\n\u200b\u200c") + [chr(c) for c in range(0x0E30, 0x0E4F)]
                + [chr(0xF700 + i) for i in range(0x20)])
    rng = random.Random(14)

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))

    for _ in range(2000):
        records = [{"title": text(), "seq": 3, "links": [text(), text()], "reports": [text()]} for _ in range(3)]
        assert _norm_all(records) == [normalised(r) for r in records], records
    assert _norm_all([{"a": "\u0e45ก"}, {"a": "ข\u0e45"}]) == [{"a": "\u0e45ก"}, {"a": "ขา"}]


def test_two_sessions_importing_the_same_document_at_once_add_it_once(store, monkeypatch):
    """Two tabs (or two clerks) import the plan at the same moment, one as .txt and one as .docx: each
    looked it up before the other had written it, and both were counted (16 items twice)."""
    import threading

    from lib.store.db import Store

    text = next(SEEDS.glob("003_*.txt")).read_bytes()
    files = [(text, "003.txt", "txt"), (as_docx(text.decode()), "003.docx", "docx")]
    both_looked = threading.Barrier(2, timeout=30)
    write = Store._write_import

    def after_both_looked(self, *args, **kwargs):
        both_looked.wait()  # each session has done its look-up; now both write
        return write(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_write_import", after_both_looked)
    results = [None, None]

    def run(i):
        data, name, fmt = files[i]
        results[i] = store.import_document(read_document(data, name), data, fmt, "ทดสอบ")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.created for r in results) == [False, True]
    assert "ไม่ได้เพิ่มข้อมูลซ้ำ" in next(r.message for r in results if not r.created)
    assert store.query_rows("SELECT count(*) FROM source_document") == [(1,)]
    assert tako(store) == (16, 20000.0)


# PDFs whose reading asked about some records (row.split, period.unreadable, cells.unplaced): their records
# differ from the seed's exactly there, and they are still the seed's document
ASKING_PDFS = ["001_bare.pdf", "001_loose.pdf", "000_middle.pdf", "000_office.pdf"]


def pdf(name: str) -> tuple[bytes, object]:
    data = (SEEDS.parents[1] / "tests" / "pdfs" / name).read_bytes()
    return data, read_document(data, name)


@pytest.mark.parametrize("name", ASKING_PDFS)
def test_a_pdf_whose_reading_asked_after_its_seed_adds_nothing(seeded, name):
    data, doc = pdf(name)
    assert content_key(doc) != content_key(read_document(next(SEEDS.glob(f"{name[:3]}_*.txt")).read_bytes(), "s.txt"))
    before = counts(seeded)
    result = seeded.import_document(doc, data, "pdf", "ทดสอบ")
    assert not result.created and result.version_of is None and result.read_otherwise
    assert "ไม่ได้เพิ่มข้อมูลซ้ำ" in result.message and "ต่างกันเฉพาะช่องที่ระบบถามไว้" in result.message
    assert counts(seeded) == before


@pytest.mark.parametrize("name", ["001_bare.pdf", "000_office.pdf"])
def test_the_seed_after_a_pdf_whose_reading_asked_adds_nothing_and_keeps_its_answers(tmp_path, name):
    store = open_store(tmp_path / "db.duckdb")
    data, doc = pdf(name)
    first = store.import_document(doc, data, "pdf", "ทดสอบ")
    asked = dict(store.query_rows("SELECT subject, id FROM document_issue WHERE severity = 'question'"))
    # a status answered (files its reports) and a question about the records' cells answered
    progress = next(s for s in asked if s.startswith("progress:measure:"))
    cells = next(s for s in asked if s.startswith(("row.split:", "cells.unplaced:")))
    store.answer_question(asked[progress], "ดำเนินการแล้วเสร็จ", "สมชาย")
    store.answer_question(asked[cells], "ตรวจแล้ว จะแก้ในทะเบียน", "สมชาย")
    before = counts(store)
    answers = store.query_rows("SELECT subject, answer FROM document_issue WHERE answer IS NOT NULL ORDER BY id")
    assert len(answers) == 2 and before["progress"] >= 3
    seed = next(SEEDS.glob(f"{name[:3]}_*.txt"))
    result = store.import_document(read_document(seed.read_bytes(), seed.name), seed.read_bytes(), "txt", "ทดสอบ")
    assert not result.created and result.document_id == first.document_id and result.read_otherwise
    assert f"เอกสาร #{first.document_id}" in result.message and "คำตอบ" in result.message
    assert counts(store) == before
    assert store.query_rows("SELECT subject, answer FROM document_issue WHERE answer IS NOT NULL "
                            "ORDER BY id") == answers
    store.close()


@pytest.mark.parametrize("change", [
    ("๔. สร้างความรู้ความ เข้าใจ", "๔. สร้างความรู้และความ เข้าใจ"),  # a record no question names
    ("๒. การป้องกันการขัดกัน ระหว่าง", "๒. การป้องกันผลประโยชน์ทับซ้อน ระหว่าง"),  # a field the question does not
], ids=["record-not-asked", "field-not-asked"])
def test_a_revision_outside_what_the_pdf_asked_is_a_version(tmp_path, change):
    """000_office.pdf asked about the period of measures ๒ and ๓ only: a .txt that also says another
    thing elsewhere is a version for the user to choose, never taken for the same document."""
    store = open_store(tmp_path / "db.duckdb")
    data, doc = pdf("000_office.pdf")
    first = store.import_document(doc, data, "pdf", "ทดสอบ")
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert text.count(change[0]) == 1
    revised = text.replace(*change).encode()
    result = store.import_document(read_document(revised, "หนองแวง-แก้ไข.txt"), revised, "txt", "ทดสอบ")
    assert result.created and result.version_of == first.document_id and not result.read_otherwise
    assert len(result.diff.changed) >= 1
    store.close()


def test_which_records_and_fields_a_reading_asked_about():
    """The questions name their records: by the line (a row of two measures, lines that run a row on)
    or by the number (a period not read), and the fields (the row's column's, or any text left out)."""
    _, office = pdf("000_office.pdf")
    found = {i + 1: u for i, u in enumerate(unsure(office)) if u.fields or u.left_out}
    assert set(found) == {2, 3} and all(u.fields == set(PERIOD_FIELDS) and not u.left_out for u in found.values())
    _, bare = pdf("001_bare.pdf")
    found = {i + 1: u for i, u in enumerate(unsure(bare)) if u.fields or u.left_out}
    assert set(found) == {3} and found[3].left_out and not found[3].fields  # i๑๒'s lines left out on page 2
    assert not any(u.fields or u.left_out for u in unsure(read_document(next(SEEDS.glob("000_*.txt")).read_bytes(),
                                                                         "000.txt")))


def test_a_row_whose_spaces_read_several_ways_names_its_cells():
    """table.tab_unsure names the row's line and the roles of its cells in doubt: 001 with every tab
    two spaces asks about i๑๒ (line 13) and e๑๕ (line 24), and only their cells' fields may differ."""
    copy = tab_copy(next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8"), "sed2", "")
    found = {i + 1: u for i, u in enumerate(unsure(read_document(copy.encode(), "001.txt"))) if u.fields}
    assert set(found) == {3, 6}
    assert found[3].fields == {"weakness", "title", "result", "outcome", "links"}
    assert found[6].fields == found[3].fields | {"item_codes", "item_topic", "instrument"}


def test_the_matrix_takes_what_a_question_covers_from_the_product():
    """bench/seed_diff judges a rendering's reading against its seed's with lib's coverage (unsure,
    Unsure.covers), as same_document does: 000_office.pdf differs from the seed only in the periods of
    measures ๒ and ๓, which its questions name; the same reading with the responsible of measure ๒
    (whose period only is asked about) or of ๔ changed differs where no question is about it, for both
    (the bench's rule before session 25 took any question about a record for every field of it)."""
    import dataclasses

    from bench.seed_diff import compare
    from lib.ingest.versions import same_document

    _, office = pdf("000_office.pdf")
    seed = read_document(next(SEEDS.glob("000_*.txt")).read_bytes(), "000.txt")
    found = compare(office, seed)
    assert [(d.seq, d.asked) for d in found.records] == [(2, True), (3, True)] and not found.wrong
    assert set(found.records[0].fields) <= PERIOD_FIELDS and same_document(office, seed)
    # a field of a record asked about that the question does not name (the record's period is asked about)
    asked_record = dataclasses.replace(office.measures[1], responsible="กองคลัง")
    office.measures[1], kept = asked_record, office.measures[1]
    wrong = compare(office, seed).wrong
    assert len(wrong) == 1 and wrong[0].startswith("2.") and "responsible" in wrong[0]
    assert not same_document(office, seed)
    office.measures[1] = kept
    office.measures[3] = dataclasses.replace(office.measures[3], responsible="กองคลัง")
    assert compare(office, seed).wrong == ["4.responsible"] and not same_document(office, seed)
