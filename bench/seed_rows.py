"""Every table's rows after the first start's seed import (`import_seeds` into a new database), as a
sha256 per table, for this tree and a git ref: proof that a change to the import or the summaries left
every stored row (history, records, reports, summaries) as it was.

    .venv/bin/python bench/seed_rows.py [--ref REF]

The clock the store writes with (lib.store.history.timestamp, wherever it was imported) is fixed, so two
imports by the same code give the same rows; summary_state (its own clock) is left out. Each table's
rows are read in the order of all their columns, so only what is stored counts, not the order it was
written in (history's ids are columns: its order counts). The ref is taken with `git archive` into a
temporary directory (the repository is not changed)."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = ("summary_state",)  # written with datetime.now(), not the store's clock

_CHILD = """
import datetime as dt, hashlib, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import lib.store.db, lib.store.history
from lib.store import import_seeds, open_store

FIXED = dt.datetime(2026, 1, 2, 3, 4, 5)
clock = lib.store.history.timestamp
for module in list(sys.modules.values()):
    if getattr(module, "timestamp", None) is clock:
        module.timestamp = lambda: FIXED
with tempfile.TemporaryDirectory() as tmp:
    store = open_store(Path(tmp) / "seeds.duckdb")
    import_seeds(store)
    out = {}
    with store.cursor() as cur:
        tables = [t for (t,) in cur.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
        for table in tables:
            if table in json.loads(sys.argv[2]):
                continue
            rows = cur.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            out[table] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16]]
    store.close()
print(json.dumps(out))
"""


def table_shas(tree: Path) -> dict[str, list]:
    """table -> [rows, sha] after a seed import by the code in `tree`."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(tree), json.dumps(LEFT_OUT)],
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seed import in {tree} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ref", help="also import with the code of this git ref and compare")
    args = parser.parse_args()
    mine = table_shas(ROOT)
    theirs = None
    if args.ref:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            theirs = table_shas(Path(tmp))
    differ = 0
    for table in sorted(mine.keys() | (theirs or {}).keys()):
        rows, sha = mine.get(table, [None, "-"])
        line = f"{table:32} {rows!s:>6} {sha}"
        if theirs is not None:
            other = theirs.get(table, [None, "-"])
            same = other == [rows, sha]
            differ += not same
            line += "  same" if same else f"  DIFFERS from {args.ref}: {other[0]} rows {other[1]}"
        print(line)
    if theirs is not None:
        print(f"{differ} of {len(mine.keys() | theirs.keys())} tables differ from {args.ref}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
