"""The one place in lib that imports streamlit: the process-wide store, the signed-in user, and
cached reads.

Pages read through `read(dashboard.kpis, ...)` and write through `store()`; both see the database
as the session's user may (lib/store/scope.py, lib/auth.py). After any write pages call
`after_write()` so no table or chart shows stale numbers.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from lib import auth
from lib.auth import LOCAL_ADMIN, Access, AccessDenied
from lib.store import Store, import_seeds, open_store, sign_ins

_ACCESS = "access"
_NOBODY = Access("", "", "viewer", frozenset())  # accounts exist but nobody signed in: sees nothing


@st.cache_resource(show_spinner="กำลังเปิดฐานข้อมูล (ครั้งแรกหลังปรับรุ่นโปรแกรมอาจใช้เวลาหลายนาที)...")
def _base_store() -> Store:
    """One store per server process (the DuckDB file, or the shared deployment's PostgreSQL and this
    process's DuckDB copy); on its first start it imports the default documents."""
    s = open_store()
    if s.query_rows("SELECT count(*) FROM source_document")[0][0] == 0:
        import_seeds(s)
    return s


@st.cache_resource
def accounts() -> dict[str, auth.Account] | None:
    """The configured accounts; None = single-user local mode."""
    return auth.load_accounts()


def current_access() -> Access:
    if accounts() is None:
        return LOCAL_ADMIN
    return st.session_state.get(_ACCESS, _NOBODY)


def store() -> Store:
    """The database as the signed-in user may see and change it."""
    return _base_store().scoped(current_access())


def read(query: Callable, *args):
    """A cached read: `query` is a read of lib/queries (or of lib/store's lookups, lib/pack), called as
    query(store, *args) with the store as the signed-in user may see it. Cached per user's access and
    per function, and cleared after every write (after_write)."""
    _through_entry_script()
    return _read(current_access(), _base_store().version, f"{query.__module__}.{query.__qualname__}", query,
                 *args)


def follow() -> None:
    """At the start of every run: in the shared deployment, apply the changes other processes committed
    (reads are cached per version, so none shows a figure from before them); embedded: nothing."""
    _base_store().follow()


# A long-running server keeps at most this many read results, each for at most this long (seconds).
READ_CACHE_ENTRIES = 500
READ_CACHE_TTL = 3600


@st.cache_data(show_spinner=False, max_entries=READ_CACHE_ENTRIES, ttl=READ_CACHE_TTL)
def _read(access: Access, version: int, query_key: str, _query: Callable, *args):
    # `_query` is not hashed (leading underscore); `query_key` names it in the cache key.
    return _query(_base_store().scoped(access), *args)


def sign_in(username: str, password: str) -> Access:
    """Check a password sign-in and remember the user for this session (AccessDenied in Thai)."""
    store = _base_store()
    failures = sign_ins.recent_failures(store, username)
    try:
        account = auth.sign_in(accounts() or {}, username, password, failures)
    except AccessDenied:
        sign_ins.record(store, username, "locked" if failures >= auth.MAX_FAILURES else "failed")
        raise
    sign_ins.record(store, username, "ok")
    return _remember(account)


def sign_in_by_email(email: str | None) -> Access:
    """A user signed in through OpenID Connect (st.login): map the email to an account."""
    return _remember(auth.account_for_email(accounts() or {}, email))


def _remember(account: auth.Account) -> Access:
    orgs = _base_store().query_rows("SELECT id, name, short_name FROM organization")
    access = auth.access_for(account, orgs)
    st.session_state[_ACCESS] = access
    return access


def signed_in() -> bool:
    return _ACCESS in st.session_state


def sign_out() -> None:
    st.session_state.pop(_ACCESS, None)


def _through_entry_script() -> None:
    """Run every page through dashboard.py (its sidebar filters and navigation).

    Because the project has a pages/ folder, Streamlit starts in its legacy multipage mode until
    some session has run st.navigation; a page URL opened first would run that page file alone.
    The flag is process-wide, so this turns the legacy mode off and reruns through the entry
    script, which then opens the page the URL asked for.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get(_ENTRY_MARK):
        PagesManager.uses_pages_directory = False
        st.rerun()


_ENTRY_MARK = "_entered_through_dashboard"


def open_page() -> None:
    """First line of a page that may stop before its first read: a page URL opened first still
    goes through dashboard.py (its sidebar sets the filters the page checks)."""
    _through_entry_script()


def entered_through_dashboard() -> None:
    """Called by dashboard.py: this session has run the entry script at least once."""
    st.session_state[_ENTRY_MARK] = True


def after_write() -> None:
    _read.clear()


def reset_store() -> None:
    """Forget the open store (after its file was replaced); the next read opens the new file."""
    _base_store.clear()
    _read.clear()


_OPENING: dict[str, float] = {}  # while warm_up opens the store: {"since": its time.monotonic() start}


def opening_for() -> float | None:
    """Seconds the start-up's warm-up has been opening the store, while it still is; else None. The
    first start after an upgrade that changed the summaries' definition recomputes them all while
    opening (minutes on a national database): pages say so instead of waiting on the store."""
    since = _OPENING.get("since")
    return None if since is None else time.monotonic() - since


def warm_up() -> None:
    """What a first visit would otherwise pay, done once when the server starts (deploy/serve): the
    store opened (migrations, first import), the chart and table modules imported (and the Thai word
    list the charts wrap labels with), and the sidebar's and the overview's reads for the default
    filters run into the cache every session shares (in local mode; with accounts each user's reads
    are their own, and these only warm the database)."""
    from lib import progress, thai
    from lib.queries import dashboard, records
    from lib.ui import charts, export  # noqa: F401  (export: imported for its import time)

    _OPENING["since"] = time.monotonic()
    try:
        store = _base_store()
    finally:
        _OPENING.clear()
    charts.wrap_thai("ภาพรวม")  # builds PyThaiNLP's word trie once (0.4 s CPU the first chart label paid)
    access = LOCAL_ADMIN if accounts() is None else None

    def get(query: Callable, *args):
        if access is None:
            return query(store, *args)
        return _read(access, store.version, f"{query.__module__}.{query.__qualname__}", query, *args)

    scope, today = (None, None, None), thai.today()
    get(dashboard.organization_count)
    get(dashboard.provinces)
    get(records.synthetic_organizations)
    get(dashboard.colors)
    years = get(records.fiscal_years, None)
    year, quarter, _ = progress.default_period(today, get(dashboard.planned_quarters, scope))
    year = year if year in years else None
    get(dashboard.kpis, scope, year, today)
    if year is not None and quarter is not None:
        get(dashboard.quarter_status, scope, year, quarter, today)
    get(dashboard.decisions, scope, year, today, 4)
