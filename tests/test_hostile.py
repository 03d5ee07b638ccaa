"""Hostile and broken input: every file of the corpus is refused with a Thai message that names
the problem, and no record in the database changes."""
import csv

import pytest

from lib.ingest import IngestError, read_document
from lib.store import StoreError, import_seeds
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


def test_the_seeds_themselves_still_import(tmp_path):
    from lib.store import open_store

    store = open_store(tmp_path / "clean.duckdb")
    assert sum(r.measures for r in import_seeds(store)) == 40
    store.close()
