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


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The dashboard in AppTest on its default data, in a database of its own.

    With a pages/ folder present, AppTest runs only its first run through dashboard.py; later runs
    execute the page file alone (no sidebar), so tests set the sidebar's session_state keys
    (filter_org, filter_year, filter_as_of) before switching pages.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ITA_DB_PATH", str(tmp_path / "app.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def org_id(short_name: str) -> int:
    """The id behind an organization's short name, from the running app's own store."""
    from lib.queries import records as queries
    from lib.ui import cache

    orgs = queries.organizations(cache.store())
    return int(orgs.loc[orgs["short_name"] == short_name, "id"].iloc[0])


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)
