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


@st.cache_data(show_spinner=False)
def read(query_name: str, *args):
    """A cached read: `query_name` is a function of lib/queries.py ("plan_items"), or of
    another lib query module ("ita_queries.gap_table"); it is called as fn(store, *args)."""
    module, _, function = query_name.rpartition(".")
    return getattr(importlib.import_module(f"lib.{module or 'queries'}"), function)(store(), *args)


def after_write() -> None:
    read.clear()


def reset_store() -> None:
    """Forget the open store (after its file was replaced); the next read opens the new file."""
    store.clear()
    read.clear()
