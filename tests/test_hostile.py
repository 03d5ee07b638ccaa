"""Hostile and broken input: every file of the corpus is refused with a Thai message that names
the problem, and no record in the database changes."""
import csv
import re

import pytest

from lib.ingest import IngestError, read_document
from lib.store import StoreError, import_seeds
from tests.conftest import SEEDS
from tests.hostile.make_corpus import CORPUS, HERE, cases

EXPECTED = list(csv.DictReader(open(HERE / "expected.csv", encoding="utf-8")))
TABLES = ("organization", "source_document", "document_issue", "plan_item", "measure",
          "measure_item_link", "progress", "history")


def fingerprint(store):
    return {t: store.query_rows(f"SELECT count(*), coalesce(sum(hash(x))::VARCHAR, '') FROM {t} x")[0]
            for t in TABLES}


# Thai writes spaces between phrases, never inside one: the joins a message built from pieces got
# wrong, each a place a piece was joined with a space where Thai writes none
_THAI = "\u0e01-\u0e4e"
STRAY_SPACES = {
    "before นี้/นั้น (a name slot filled with 'this')": re.compile(f"[{_THAI}] +(?:นี้|นั้น)"),
    "a missing column named without quotes": re.compile(f"ไม่(?:มี|พบ)คอลัมน์ +[{_THAI}]"),
    "a role's name after บทบาท": re.compile(f"บทบาท +[{_THAI}]"),
    "an empty piece between two spaces": re.compile(f"[{_THAI}]  +[{_THAI}]"),
}


def stray_spaces(message: str) -> list[str]:
    return [f"{why}: {found.group(0)!r}" for why, pattern in STRAY_SPACES.items()
            for found in pattern.finditer(message)]


def import_file(store, data: bytes, name: str):
    """What the app and the command line do: read the document, then import it."""
    return store.import_document(read_document(data, name), data, "txt", "ทดสอบ")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from lib.store import open_store

    store = open_store(tmp_path_factory.mktemp("hostile") / "db.duckdb")
    import_seeds(store)
    yield store
    store.close()


def test_corpus_is_current_and_large_enough():
    assert len(EXPECTED) >= 40
    built = {name: data for name, data, _, _ in cases()}
    assert sorted(built) == sorted(row["file"] for row in EXPECTED)
    for row in EXPECTED:
        assert (CORPUS / row["file"]).read_bytes() == built[row["file"]], f"run make_corpus: {row['file']}"


@pytest.mark.parametrize("row", EXPECTED, ids=[r["file"] for r in EXPECTED])
def test_refused_with_thai_message_and_nothing_changes(seeded, row):
    before = fingerprint(seeded)
    with pytest.raises((IngestError, StoreError)) as err:
        import_file(seeded, (CORPUS / row["file"]).read_bytes(), row["file"])
    message = str(err.value)
    assert row["expect"] in message, message
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in message)  # Thai
    assert not stray_spaces(message), message
    assert fingerprint(seeded) == before


def test_a_50_mb_file_is_refused(seeded):
    before = fingerprint(seeded)
    big = ("ก" * 1000 + "\n").encode() * 18000  # ~54 MB of Thai text
    with pytest.raises(IngestError, match="ใหญ่เกิน"):
        import_file(seeded, big, "big.txt")
    assert fingerprint(seeded) == before


def test_cp874_text_reads_like_utf8_and_says_so():
    """A .txt saved in Windows Thai (cp874/TIS-620) reads to the same records as the UTF-8 seed."""
    path = next(SEEDS.glob("002_*.txt"))
    utf8 = read_document(path.read_bytes(), "po.txt")
    thai_windows = read_document(path.read_text(encoding="utf-8").encode("cp874"), "po.txt")
    assert (utf8.encoding, thai_windows.encoding) == ("utf-8", "cp874")
    assert thai_windows.measures == utf8.measures and len(thai_windows.measures) == 14
    assert thai_windows.organization == utf8.organization and thai_windows.fiscal_year == 2567
    note = next(i.message for i in thai_windows.issues if i.code == "encoding.cp874")
    assert "TIS-620/cp874" in note


def test_the_seeds_themselves_still_import(tmp_path):
    from lib.store import open_store

    store = open_store(tmp_path / "clean.duckdb")
    assert sum(r.measures for r in import_seeds(store)) == 40
    store.close()


# -- office files and templates: made here (too large, or built from the app's own export) ------------
def _zip_bomb(inner_name: str) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(inner_name, b"\0" * (60 * 1024 * 1024))  # 60 MB of zeros packs to ~60 KB
    return out.getvalue()


def _edited_plan_export(store, change) -> bytes:
    import io

    from openpyxl import load_workbook

    from lib.queries.collect import export_workbook

    book = load_workbook(io.BytesIO(export_workbook(store, "plan_items")))
    ws = book.active
    headers = [str(c.value).rstrip(" *") for c in ws[1]]
    change(ws, headers)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(header_word):
    def change_cell(value):
        def change(ws, headers):
            ws.cell(2, next(i for i, h in enumerate(headers, 1) if h.startswith(header_word))).value = value
        return change
    return change_cell


OFFICE_CASES = [
    ("bomb.xlsx", lambda s: _zip_bomb("xl/worksheets/sheet1.xml"), "ผิดปกติ"),
    ("bomb.docx", lambda s: _zip_bomb("word/document.xml"), "ผิดปกติ"),
    ("broken.xlsx", lambda s: _edited_plan_export(s, lambda ws, h: None)[:3000], "Excel"),
    ("broken.docx", lambda s: b"PK\x03\x04 this is not a word file", "Word"),
    ("latin1.csv", lambda s: "Caf\xe9;na\xefve;\xff\xfe".encode("latin-1"), "UTF-8"),
    ("script_cell.xlsx", lambda s: _edited_plan_export(s, _cell("รายการ")("<script>alert(1)</script>")), "<script>"),
    ("sql_cell.xlsx", lambda s: _edited_plan_export(s, _cell("ผู้รับผิดชอบ")("x'; DROP TABLE plan_item; --")),
     "SQL"),
    ("negative_budget.xlsx", lambda s: _edited_plan_export(s, _cell("งบประมาณ")(-500)), "งบประมาณ"),
    ("ce_year.xlsx", lambda s: _edited_plan_export(s, _cell("ปีงบประมาณ")(2026)), "พ.ศ."),
]


@pytest.mark.parametrize("name, make, expect", OFFICE_CASES, ids=[c[0] for c in OFFICE_CASES])
def test_office_files_refused_and_nothing_changes(seeded, name, make, expect):
    from lib.store import uploads as store_records

    data = make(seeded)
    before = fingerprint(seeded)
    if name.endswith(".docx"):
        with pytest.raises(IngestError) as err:
            import_file(seeded, data, name)
        message = str(err.value)
    else:
        try:
            preview = store_records.preview_upload(seeded, data, name, "plan_items")
        except IngestError as e:
            message = str(e)
        else:
            message = " | ".join(p for _, p in preview.problems)
            with pytest.raises(StoreError):
                store_records.commit_upload(seeded, preview, "ทดสอบ")
    assert expect in message and not stray_spaces(message), message
    assert fingerprint(seeded) == before


# -- Word files broken inside: malformed XML, bad relationships, entity expansion (issue 13, item 5) -----
LAUGHS = (b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
EXTERNAL = b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _seed_docx() -> bytes:
    from tests.test_docx import docx_from_text, to_bytes

    return to_bytes(docx_from_text(next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8"))[0])


def _docx_part(name: str, change) -> bytes:
    """The seed as a Word file with one part changed (`change(bytes) -> bytes`, None removes it)."""
    return _office_part(_seed_docx(), name, change)


def _office_part(office: bytes, name: str, change) -> bytes:
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(office))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            data = change(data) if info.filename == name else data
            if data is not None:
                zf.writestr(info.filename, data)
    return out.getvalue()


def _with_prolog(prolog: bytes, entity: bytes):
    def change(xml: bytes) -> bytes:
        body = xml[xml.index(b"?>") + 2:]
        return prolog + body.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>" + entity + b"</w:t></w:r></w:p>", 1)
    return change


DOCX_CASES = [
    ("malformed_document.docx", lambda: _docx_part("word/document.xml", lambda d: d[: len(d) // 2]), "เสียหาย"),
    ("malformed_content_types.docx", lambda: _docx_part("[Content_Types].xml", lambda d: d[:40]), "เสียหาย"),
    ("malformed_rels.docx", lambda: _docx_part("_rels/.rels", lambda d: d.replace(b"</Relationships>", b"")),
     "เสียหาย"),
    ("raw_control_in_xml.docx", lambda: _docx_part("word/document.xml", lambda d: d.replace(b"<w:t>", b"<w:t>\x01", 1)),
     "เสียหาย"),
    ("missing_target.docx", lambda: _docx_part(
        "word/_rels/document.xml.rels", lambda d: d.replace(b'Target="styles.xml"', b'Target="gone.xml"')), "โครงสร้าง"),
    ("target_outside_package.docx", lambda: _docx_part(
        "word/_rels/document.xml.rels", lambda d: d.replace(b'Target="styles.xml"', b'Target="../../../etc/passwd"')),
     "โครงสร้าง"),
    ("no_main_document.docx", lambda: _docx_part("word/document.xml", lambda d: None), "โครงสร้าง"),
    ("no_package_rels.docx", lambda: _docx_part("_rels/.rels", lambda d: None), "โครงสร้าง"),
    ("billion_laughs.docx", lambda: _docx_part("word/document.xml", _with_prolog(LAUGHS, b"&lol3;")), "DOCTYPE"),
    ("external_entity.docx", lambda: _docx_part("word/document.xml", _with_prolog(EXTERNAL, b"&e;")), "DOCTYPE"),
    ("entity_in_rels.docx", lambda: _docx_part("_rels/.rels", lambda d: LAUGHS + d[d.index(b"?>") + 2:]), "DOCTYPE"),
    ("utf16_doctype.docx", lambda: _docx_part(
        "word/document.xml", lambda d: _with_prolog(EXTERNAL.replace(b"UTF-8", b"UTF-16"), b"&e;")(d)
        .decode("utf-8").encode("utf-16")), "DOCTYPE"),
]


def _declared(prolog: bytes, xml: bytes) -> bytes:
    """The XML part with `prolog` (declaration + DOCTYPE) in place of its own declaration."""
    return prolog + (xml[xml.index(b"?>") + 2:] if xml.startswith(b"<?xml") else xml)


def _xlsx_part(store, name: str, change) -> bytes:
    return _office_part(_edited_plan_export(store, lambda ws, h: None), name, change)


XLSX_CASES = [
    ("malformed_sheet.xlsx", lambda s: _xlsx_part(s, "xl/worksheets/sheet1.xml", lambda d: d[: len(d) // 2]), "เสียหาย"),
    ("billion_laughs.xlsx", lambda s: _xlsx_part(s, "xl/workbook.xml", lambda d: _declared(LAUGHS, d)), "DOCTYPE"),
    ("external_entity.xlsx", lambda s: _xlsx_part(s, "xl/worksheets/sheet1.xml", lambda d: _declared(EXTERNAL, d)),
     "DOCTYPE"),
    ("missing_sheet.xlsx", lambda s: _xlsx_part(s, "xl/worksheets/sheet1.xml", lambda d: None), "ไม่พบ"),
]


@pytest.mark.parametrize("name, make, expect", XLSX_CASES, ids=[c[0] for c in XLSX_CASES])
def test_broken_excel_files_are_thai_messages_and_nothing_changes(seeded, name, make, expect):
    from lib.store import uploads

    data = make(seeded)
    before = fingerprint(seeded)
    with pytest.raises(IngestError) as err:
        uploads.preview_upload(seeded, data, name, "plan_items")
    message = str(err.value)
    assert expect in message and any("\u0e00" <= ch <= "\u0e7f" for ch in message), message
    assert not stray_spaces(message), message
    assert "passwd" not in message and "Traceback" not in message
    assert fingerprint(seeded) == before


@pytest.mark.parametrize("name, make, expect", DOCX_CASES, ids=[c[0] for c in DOCX_CASES])
def test_broken_word_files_are_thai_messages_and_nothing_changes(seeded, name, make, expect):
    before = fingerprint(seeded)
    with pytest.raises(IngestError) as err:
        import_file(seeded, make(), name)
    message = str(err.value)
    assert expect in message and "Word" in message and not stray_spaces(message), message
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in message)
    assert "passwd" not in message and "Traceback" not in message
    assert fingerprint(seeded) == before


# -- control characters: taken out of every text that comes in, by lib.thai.clean_text (item 3's rest) --
import re  # noqa: E402

CONTROLS = ["\x01", "\x08", "\x1b", "\x7f", "\x85", "\x9f", "\u202e", "\u2066", "\ufeff", "\ufffb"]
ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")


def _sprinkled(text: str) -> str:
    """The text with a control character put into every title-bearing line (in turn)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\t" in line and len(line) > 20:
            c = CONTROLS[i % len(CONTROLS)]
            lines[i] = line[:10] + c + line[10:15] + c + line[15:]
    return "\n".join(lines)


def _plan(doc):
    return [(p.seq, p.title, p.budget, p.quarters, p.responsible) for p in doc.plan_items]


def _controls_docx() -> bytes:
    """Word allows DEL, C1 controls and direction overrides inside text (XML 1.0 permits them)."""
    return _docx_part("word/document.xml", lambda d: d.replace(
        b"<w:t>", "<w:t>\x7f\u202e\x85".encode("utf-8"), 40))


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_control_characters_in_documents_are_taken_out(kind, tmp_path):
    from lib.store import open_store

    seed = next(SEEDS.glob("003_*.txt"))
    clean = read_document(seed.read_bytes(), seed.name)
    data = _sprinkled(seed.read_text(encoding="utf-8")).encode("utf-8") if kind == "txt" else _controls_docx()
    doc = read_document(data, f"controls.{kind}")
    assert _plan(doc) == _plan(clean) and len(doc.plan_items) == 16
    warning = next(i.message for i in doc.issues if i.code == "text.control")
    assert "อักขระควบคุม" in warning and "ตัดออก" in warning
    store = open_store(tmp_path / "c.duckdb")
    try:
        store.import_document(doc, data, kind, "ทดสอบ\x1b[0m")
        texts = store.query_rows("SELECT string_agg(title || coalesce(responsible, '') || source_excerpt, '') "
                                 "FROM plan_item")[0][0]
        assert texts and not ANY_CONTROL.search(texts)
        assert store.query_rows("SELECT DISTINCT imported_by FROM source_document") == [("ทดสอบ[0m",)]
        assert bytes(store.query_rows("SELECT content FROM source_document")[0][0]) == data  # the original, kept
    finally:
        store.close()


def test_control_characters_in_forms_grid_and_edits_are_taken_out(seeded):
    """The progress form (record_progress), the reporting grid (record_progress_many) and the
    register's in-place edit (edit_record) all keep text without control characters."""
    from lib.store import uploads

    item = seeded.query_rows("SELECT id FROM plan_item WHERE seq = 2")[0][0]
    dirty = "ส่ง\x00รายงาน\x1b[31m แล้ว\u202e\x85"
    first = seeded.record_progress("plan_item", item, 1, "ไม่สามารถดำเนินการได้", "สม\x07ชาย", reason=dirty,
                                   note=dirty, evidence_url="https://example.go.th/\x7fa")
    ids = seeded.record_progress_many([{"kind": "plan_item", "record_id": item, "quarter": 2,
                                        "status": "อยู่ระหว่างดำเนินการ", "note": dirty}], "สมศรี\u2066")
    rows = seeded.query_rows("SELECT reason, note, evidence_url, reported_by FROM progress WHERE id IN (?, ?) "
                             "ORDER BY id", [first, ids[0]])
    assert rows == [("ส่งรายงาน[31m แล้ว", "ส่งรายงาน[31m แล้ว", "https://example.go.th/a", "สมชาย"),
                    (None, "ส่งรายงาน[31m แล้ว", None, "สมศรี")]
    uploads.edit_record(seeded, "plan_item", item, {"title": "โครงการ\x0bใหม่\u202e", "responsible": "กอง\x9fคลัง"},
                        "ผู้แก้\x1b")
    assert seeded.query_rows("SELECT title, responsible FROM plan_item WHERE id = ?", [item]) == [
        ("โครงการใหม่", "กองคลัง")]
    history = seeded.query_rows("SELECT actor, new_value FROM history WHERE table_name = 'plan_item' "
                                "AND action = 'update' AND record_id = ? ORDER BY id DESC LIMIT 1", [item])[0]
    assert history[0] == "ผู้แก้" and not ANY_CONTROL.search(history[1])


# The scan skips its SQL and link-scheme searches when a text lacks what every match holds; under
# IGNORECASE 'ı' and 'İ' match 'i' and NFKC folds 'ſ', 'K' and full-width forms first, so the shortcut
# must not miss these spellings (each is found by the full searches alone).
@pytest.mark.parametrize("text, found", [
    ("x ınsert ınto plan_item values (1)", "SQL"), ("x İNSERT İNTO plan_item", "SQL"),
    ("ſelect * from a UNION ſELECT b", "SQL"), ("DR/**/OP TA/**/BLE plan_item", "SQL"),
    ("x' or '1'='1", "SQL"), ("a; -- b", "SQL"), ("EXEC xp_cmdshell", "SQL"), ("ＤＲＯＰ　ＴＡＢＬＥ x", "SQL"),
    ("ลิงก์ javascrİpt:alert(1)", "javascript:"), ("jav\tas\u200bcri\npt:alert(1)", "javascript:"),
    ("ｊａｖａｓｃｒｉｐｔ：alert(1)", "javascript:"), ("DATA:TEXT/HTML,<b>x</b>", "javascript:"),
    ("vbſcript:msgbox", "javascript:"),
])
def test_the_scan_finds_code_however_spelled(text, found):
    from lib.ingest.safety import dangerous_content

    assert any(found in problem for problem in dangerous_content("ข้อความ\n" + text)), text


def test_the_scan_passes_thai_text_with_colons_quotes_and_the_words_it_looks_for():
    from lib.ingest.safety import dangerous_content

    assert dangerous_content("ระยะเวลา: ต.ค.-ธ.ค.; ดู https://example.go.th/table?select=from\nคำว่า 'into'") == []


@pytest.mark.parametrize("text", ["ตัวชี้วัด <EIT> ข้อ e5", "ไฟล์แนบ <PDF> ขนาด <A4>", "ผลคะแนน <ITA 2566> ดีขึ้น",
                                  "ถ้างบ Q1<Q2 และ Q3>Q4 ให้รายงาน", "&lt;ด่วน&gt; ส่งภายใน 7 วัน", "&lt;a"])
def test_a_word_in_angle_brackets_is_text_not_code(text):
    """A word no browser acts on, between < and >, without an attribute value or handler, is what the
    clerk wrote: documents and typed notes holding "<EIT>" or "<PDF>" were refused as HTML tags."""
    from lib.ingest.safety import dangerous_content

    assert dangerous_content(text) == []


@pytest.mark.parametrize("text, found", [
    ("<x onmouseover=alert(1)>", "onmouseover"), ("<eit onclick>", "onclick"), ("<pdf style=x onfocus=y>", "onfocus"),
    ("<details open ontoggle=alert(1)>", "<details>"), ("<marquee>", "<marquee>"), ("<svg/onload=alert(1)>", "<svg>"),
    ("<b title=x>", "title"), ("&lt;iframe src=x&gt;", "<iframe>"), ("<ScRiPt>", "<script>")])
def test_code_in_angle_brackets_is_still_refused(text, found):
    from lib.ingest.safety import dangerous_content

    assert any(found in problem for problem in dangerous_content("ข้อความ\n" + text)), text


def test_a_document_with_a_word_in_angle_brackets_imports(tmp_path):
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").replace(
        "โครงการจัดเวทีประชาคม", "โครงการจัดเวทีประชาคม <EIT>")
    doc = read_document(text.encode(), "003 <EIT>.txt")
    assert len(doc.plan_items) == 16
    assert [i.title for i in doc.plan_items if "<EIT>" in i.title] == ["โครงการจัดเวทีประชาคม <EIT>"]


def test_the_known_stray_spaces_are_found_and_phrase_spaces_are_not():
    assert stray_spaces("เปิดไฟล์ Word (.docx) นี้ ไม่ได้") == []  # after a Latin name: a space as Thai writes it
    assert len(stray_spaces("ไฟล์ นี้ เมื่อคลายออกจะใหญ่ถึง 300 MB")) == 1
    assert len(stray_spaces("หัวตารางแผน (บรรทัด 5) ไม่มีคอลัมน์ งบประมาณ ระบบจึงอ่านไม่ได้")) == 1
    assert len(stray_spaces("บทบาท ผู้บริหาร (ดูอย่างเดียว) บันทึกไม่ได้")) == 1
    assert len(stray_spaces("ไฟล์ a.txt มีข้อผิดพลาด  จุด")) == 1
    # phrases are spaced in Thai: these are right
    assert stray_spaces("ไฟล์ a.txt ว่างเปล่า ไม่มีข้อมูลให้นำเข้า กรุณาตรวจไฟล์ต้นฉบับ") == []
    assert stray_spaces("อ่านได้ 5 คอลัมน์ แต่หัวตารางมี 6 คอลัมน์ ไม่มีคอลัมน์ 'ไตรมาส'") == []


def test_messages_built_from_pieces_have_no_stray_space(seeded, tmp_path):
    """The refusals whose pieces were joined with a space Thai does not write, as users read them."""
    from lib.auth import Access
    from lib.ingest.docx import DocxError, docx_to_text
    from lib.store import ita as store_ita

    with pytest.raises(DocxError) as broken:
        docx_to_text(b"PK not really a zip")
    assert str(broken.value).startswith("เปิดไฟล์ Word (.docx) นี้ไม่ได้") and not stray_spaces(str(broken.value))
    viewer = seeded.scoped(Access("u", "ผู้ทดสอบ", "viewer", None))
    with pytest.raises(StoreError) as refused:
        viewer.record_progress("plan_item", seeded.query_rows("SELECT min(id) FROM plan_item")[0][0], 1,
                               "อยู่ระหว่างดำเนินการ", "นายก")
    assert "บทบาทผู้บริหาร" in str(refused.value) and not stray_spaces(str(refused.value))
    check = store_ita.check_score_file(seeded, "หน่วยงาน,คะแนน\nอบต.ตะโก,90\n".encode(), "scores.csv")
    assert check.problems[0].startswith("ไม่พบคอลัมน์ '") and not stray_spaces(check.problems[0]), check.problems
    for path in sorted(SEEDS.glob("*.txt")):  # what the seeds' readings say
        doc = read_document(path.read_bytes(), path.name)
        assert not [m for i in doc.issues for m in stray_spaces(i.message)], path.name


def test_safety_scans_nfkc_is_unicodedatas():
    """The safety scan's NFKC (Thai's sara am decomposed first, then only checked when nothing else
    needs normalizing) gives unicodedata's on the seeds, on texts NFKC folds (full-width letters,
    ligatures, the Kelvin sign, combining marks) and on random mixes of them with Thai."""
    import random
    import unicodedata

    from lib.ingest.safety import _nfkc

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert len(texts) == 5 and all("\u0e33" in t for t in texts)
    texts += ["ทำ", "\uff53\uff43\uff52\uff49\uff50\uff54", "ｊａｖａ\u0e33", "\ufb01le", "\u212a", "e\u0301", "\u0e4d\u0e32"]
    rng = random.Random(14)
    pool = "กขำาํ่้ ab<>:\u3000\uff21\uff41\ufb01\u212a\u0301\u00e9\u2460\u00a0\n"
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        assert _nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
