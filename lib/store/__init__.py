"""The only package that opens the database: connection and migrations (db), the per-user scope,
the writes of each area (uploads, ita, catalogs), history, backup and restore."""
import os
from pathlib import Path

from lib.store import db
from lib.store.db import (  # noqa: F401  (the package's public face: from lib.store import Store)
    CATALOG_DIR,
    DB_ENV,
    DEFAULT_DB,
    SEEDS_DIR,
    ImportResult,
    Store,
    StoreError,
    db_path,
    import_seeds,
)
from lib.store.pg import URL_ENV
from lib.store.shared import open_shared


def open_store(path: str | Path | None = None) -> Store:
    """The embedded DuckDB file (ITA_DB_PATH or `path`; the default), or, when ITA_DATABASE_URL is set
    and no path is given, the shared deployment (PostgreSQL, lib/store/shared.py)."""
    if path is None and os.environ.get(URL_ENV):
        return open_shared(os.environ[URL_ENV])
    return db.open_store(path)
