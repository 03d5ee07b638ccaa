"""The only package that opens the database: connection and migrations (db), the per-user scope,
the writes of each area (uploads, ita, catalogs), history, backup and restore."""
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
    open_store,
)
