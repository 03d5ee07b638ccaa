"""The one place in lib that imports streamlit: the process-wide store and cached reads.

Pages read through `read(query_name, ...)`; after any write they call `after_write()` so no
table or chart shows stale numbers.
"""
from __future__ import annotations

import importlib

import streamlit as st

from lib.store import Store, import_seeds, open_store


@st.cache_resource(show_spinner="กำลังเปิดฐานข้อมูล...")
def store() -> Store:
    """One DuckDB connection per server process; on its first start it imports the default documents."""
    s = open_store()
    if s.query_rows("SELECT count(*) FROM source_document")[0][0] == 0:
        import_seeds(s)
    return s


def read(query_name: str, *args):
    """A cached read: `query_name` is a function of lib/queries.py ("plan_items"), or of
    another lib query module ("ita_queries.gap_table"); it is called as fn(store, *args)."""
    _through_entry_script()
    return _read(query_name, *args)


@st.cache_data(show_spinner=False)
def _read(query_name: str, *args):
    module, _, function = query_name.rpartition(".")
    return getattr(importlib.import_module(f"lib.{module or 'queries'}"), function)(store(), *args)


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


def entered_through_dashboard() -> None:
    """Called by dashboard.py: this session has run the entry script at least once."""
    st.session_state[_ENTRY_MARK] = True


def after_write() -> None:
    _read.clear()


def reset_store() -> None:
    """Forget the open store (after its file was replaced); the next read opens the new file."""
    store.clear()
    _read.clear()
