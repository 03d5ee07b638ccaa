"""Reviewed catalog files under data/catalog/ loaded into their tables when a file is new or changed."""
from __future__ import annotations

import hashlib
from pathlib import Path

from lib.store.history import append_history, timestamp

ITA_CATALOG = "ita"  # name in catalog_file for the whole data/catalog/ita/ folder


def load_ita_catalog(store, catalog_dir: Path) -> None:
    """Load data/catalog/ita/ (indicators, weights, grade bands, verbal levels, items_<year>.csv) when changed.

    Only rows of origin 'catalog' are replaced; corrections users imported stay.
    """
    folder = catalog_dir / "ita"
    files = sorted(folder.glob("*.csv"))
    if not files:
        return
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    sha = digest.hexdigest()
    if store.query_rows("SELECT 1 FROM catalog_file WHERE name = ? AND sha256 = ?", [ITA_CATALOG, sha]):
        return
    item_files = [str(p) for p in files if p.name.startswith("items_")]
    now = timestamp()
    try:
        with store.transaction() as cur:
            for table, name in (("ita_indicator", "indicators"), ("ita_weight", "weights"),
                                ("ita_grade_band", "grade_bands"), ("ita_verbal_level", "verbal_levels")):
                cur.execute(f"DELETE FROM {table}")
                cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header = true)",
                            [str(folder / f"{name}.csv")])
            cur.execute("DELETE FROM ita_item WHERE origin = 'catalog'")
            cur.execute("INSERT INTO ita_item BY NAME SELECT *, 'catalog' AS origin FROM read_csv(?, header = true, "
                        "union_by_name = true, types = {'indicator': 'INTEGER', 'sub_indicator': 'VARCHAR', "
                        "'title': 'VARCHAR'})", [item_files])
            cur.execute("INSERT OR REPLACE INTO catalog_file VALUES (?, ?, ?)", [ITA_CATALOG, sha, now])
            append_history(cur, "ระบบ", "load_catalog", "ita_item", new={"files": [p.name for p in files], "sha256": sha},
                           when=now)
    finally:
        store.catalog_written()
