"""Hostile and broken input: every file of the corpus is refused with a Thai message that names
the problem, and no record in the database changes."""
import csv

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
    assert expect in message, message
    assert fingerprint(seeded) == before
