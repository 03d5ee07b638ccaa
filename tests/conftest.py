from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"


@pytest.fixture
def store(tmp_path):
    from lib.store import open_store

    s = open_store(tmp_path / "test.duckdb")
    yield s
    s.close()
