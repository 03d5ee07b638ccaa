from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"


@pytest.fixture(autouse=True)
def single_user_mode(tmp_path, monkeypatch):
    """Tests run without an accounts file unless they write one (a developer's own config stays out)."""
    monkeypatch.setenv("ITA_ACCOUNTS", str(tmp_path / "no-accounts.toml"))


@pytest.fixture
def store(tmp_path):
    from lib.store import open_store

    s = open_store(tmp_path / "test.duckdb")
    yield s
    s.close()
