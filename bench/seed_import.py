"""The first start's seed import (`import_seeds`: the five seed documents into a new database) with
this tree's code against the code before the summaries existed (git ref OLD_REF), each in processes
of its own, alternating, so both are measured under the same load.

    .venv/bin/python bench/seed_import.py [--rounds 5] [--imports 3] [--old-ref REF]

Each process imports the seeds once to warm up (modules, PyThaiNLP's dictionary), then times
`--imports` imports into new databases; it prints CPU (time.process_time) and wall medians per code,
their ratio (the target: this code's CPU ≤ 1.00× the old code's) and the load average. The old code
is taken with `git archive` into a temporary directory (the repository is not changed); note that it
ran DuckDB on its default threads (two on this machine), this code on one (lib/store/db.py);
`--old-threads 1` runs the old code on one thread too, `--threads N` both codes on N (this code through
ITA_DB_THREADS): like with like."""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_REF = "f3c09ac^"  # the commit before the summaries (issue 14)

_CHILD = """
import json, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
os.chdir(sys.argv[1])
if sys.argv[3]:  # DuckDB on this many threads where the code does not say (the old code did not)
    import duckdb
    connect = duckdb.connect
    duckdb.connect = lambda *a, config=None, **k: connect(*a, config={"threads": int(sys.argv[3]), **(config or {})}, **k)
from lib.store import import_seeds, open_store

with tempfile.TemporaryDirectory() as tmp:
    store = open_store(Path(tmp) / "warm.duckdb")
    import_seeds(store)
    store.close()
    runs = []
    for i in range(int(sys.argv[2])):
        store = open_store(Path(tmp) / f"{i}.duckdb")
        cpu, wall = time.process_time(), time.perf_counter()
        import_seeds(store)
        runs.append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
        store.close()
print(json.dumps(runs))
"""


def _imports(tree: Path, count: int, threads: int | None = None, own_threads: int | None = None
             ) -> list[tuple[float, float]]:
    """`threads`: DuckDB's where the code does not say (the old code); `own_threads`: ITA_DB_THREADS (this code)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITA_DB_PATH", "ITA_DB_THREADS"))}
    if own_threads:
        env["ITA_DB_THREADS"] = str(own_threads)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(tree), str(count), str(threads or "")],
                          capture_output=True, text=True, timeout=600, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seed import in {tree} failed: {done.stderr[-2000:]}")
    return [tuple(r) for r in json.loads(done.stdout.strip().splitlines()[-1])]


def compare(rounds: int = 5, imports: int = 3, old_ref: str = OLD_REF, old_threads: int | None = None,
            threads: int | None = None) -> dict:
    """Alternating rounds (which code goes first alternates too); CPU and wall medians in ms.
    `old_threads`: run the old code's DuckDB on that many threads (it used DuckDB's default: the cores);
    `threads`: both codes on that many."""
    old_threads = threads or old_threads
    runs: dict[str, list[tuple[float, float]]] = {"new": [], "old": []}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", old_ref], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        for n in range(rounds):
            for code in (("new", "old") if n % 2 == 0 else ("old", "new")):
                runs[code] += (_imports(ROOT, imports, own_threads=threads) if code == "new"
                               else _imports(old, imports, old_threads))
                loads.append(os.getloadavg()[0])
    out = {"old_ref": old_ref, "rounds": rounds, "imports": imports, "old_threads": old_threads, "threads": threads,
           "load": {"min": min(loads), "median": statistics.median(loads), "max": max(loads)}}
    for code, found in runs.items():
        out[code] = {"cpu_ms": statistics.median(c for c, _ in found), "wall_ms": statistics.median(w for _, w in found),
                     "cpu_all_ms": [round(c) for c, _ in found]}
    out["cpu_ratio"] = out["new"]["cpu_ms"] / out["old"]["cpu_ms"]
    out["wall_ratio"] = out["new"]["wall_ms"] / out["old"]["wall_ms"]
    return out


def describe(r: dict) -> str:
    threads = f", DuckDB on {r['old_threads']} thread(s)" if r.get("old_threads") else ""
    own = f" (DuckDB on {r['threads']} thread(s))" if r.get("threads") else ""
    return (f"seed import: this code{own} CPU {r['new']['cpu_ms']:.0f} ms, wall {r['new']['wall_ms']:.0f} ms; "
            f"the code before the summaries ({r['old_ref']}"
            f"{threads}) CPU {r['old']['cpu_ms']:.0f} ms, wall "
            f"{r['old']['wall_ms']:.0f} ms; ratio CPU {r['cpu_ratio']:.2f}×, wall {r['wall_ratio']:.2f}× "
            f"(medians of {r['rounds'] * r['imports']} imports each, {r['rounds']} alternating rounds; load "
            f"{r['load']['min']:.1f}-{r['load']['max']:.1f}, median {r['load']['median']:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--imports", type=int, default=3, help="timed imports per process")
    parser.add_argument("--old-ref", default=OLD_REF)
    parser.add_argument("--old-threads", type=int, help="DuckDB threads for the old code (default: its own, the cores)")
    parser.add_argument("--threads", type=int, help="DuckDB threads for both codes (this code's default: 1)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = compare(args.rounds, args.imports, args.old_ref, args.old_threads, args.threads)
    print(describe(result))
    print("CPU per import, this code: " + ", ".join(map(str, result["new"]["cpu_all_ms"])))
    print("CPU per import, old code:  " + ", ".join(map(str, result["old"]["cpu_all_ms"])))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
