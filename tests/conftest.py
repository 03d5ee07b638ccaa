import datetime as dt
import os
from pathlib import Path

import pytest

from tests import pg  # reads the PostgreSQL cluster's URLs before any test hides them

# ITA_TEST_BACKEND=shared runs the store, query, access and page tests on PostgreSQL (.ci/run does)
BACKEND = os.environ.get("ITA_TEST_BACKEND", "embedded")
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"


@pytest.fixture(autouse=True)
def single_user_mode(tmp_path, monkeypatch):
    """Tests run without an accounts file unless they write one (a developer's own config stays out)."""
    monkeypatch.setenv("ITA_ACCOUNTS", str(tmp_path / "no-accounts.toml"))
    monkeypatch.setenv("ITA_LOG_FILE", str(tmp_path / "ita.log"))  # the product's log (lib/errors.py)


@pytest.fixture
def shared_db():
    """A fresh, migrated PostgreSQL database (its name); dropped after the test."""
    name = pg.new_database()
    yield name
    pg.drop_database(name)


@pytest.fixture
def store(tmp_path, request):
    """An empty store of the backend under test (ITA_TEST_BACKEND)."""
    if BACKEND == "shared":
        from lib.store.shared import open_shared

        s = open_shared(pg.app_url(request.getfixturevalue("shared_db")))
    else:
        from lib.store import open_store

        s = open_store(tmp_path / "test.duckdb")
    yield s
    s.close()


@pytest.fixture
def app(tmp_path, monkeypatch, request):
    """The dashboard in AppTest on its default data, in a database of its own.

    With a pages/ folder present, AppTest runs only its first run through dashboard.py; later runs
    execute the page file alone (no sidebar), so tests set the sidebar's session_state keys
    (filter_org, filter_year, filter_as_of) before switching pages. "Today" is read once and held
    (lib.thai.today), so a test that runs across midnight sees one date throughout.
    """
    from lib import thai

    yield from started_app(tmp_path, monkeypatch, request, thai.today())


def started_app(tmp_path, monkeypatch, request, today):
    """The app fixture's body, with the date the app takes for today passed in."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib import thai

    monkeypatch.setattr(thai, "today", lambda now=None: today)
    monkeypatch.setenv("ITA_DB_PATH", str(tmp_path / "app.duckdb"))
    if BACKEND == "shared":
        monkeypatch.setenv("ITA_DATABASE_URL", pg.app_url(request.getfixturevalue("shared_db")))
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


# The test score file (tests/data/ita_scores_TESTDATA_*.csv) says in its header that it is test data, so it is
# refused for real organizations; tests mark the organizations they import it for as not real first.
TEST_SCORE_SOURCE = {"source": "ไฟล์ทดสอบของชุดทดสอบ (ไม่ใช่ผลการประเมินจริง)", "source_date": dt.date(2023, 1, 15)}


def mark_as_test_organizations(store, *short_names: str) -> None:
    """Mark organizations (all when none are named) as not real, as bench/generate marks its own."""
    with store.transaction() as cur:
        cur.execute("UPDATE organization SET synthetic = TRUE WHERE len(?::VARCHAR[]) = 0 "
                    "OR list_contains(?::VARCHAR[], short_name)",
                    [list(short_names), list(short_names)])
