"""The importer as tests/test_crash.py runs it: `python -m tests.crash_child POINT FILE --db PATH`.

It is the real command line (`python -m lib.ingest`), with the import's transaction watched: at
POINT it prints a line to stdout and waits to be killed, so the kill is certain to land there.
POINT is `execute:N` (just after the N-th statement of the write), `before_commit` (every
statement done, not committed), `after_commit` (committed, process still running) or `count`
(print how many statements the write ran, then finish normally).
"""
from __future__ import annotations

import contextlib
import runpy
import sys
import time

from lib.store import db

POINT = sys.argv.pop(1)
_statements = 0


def _stop_here(word: str) -> None:
    print(word, flush=True)
    time.sleep(600)  # the test kills us now


class _Watched:
    def __init__(self, cur):
        self._cur = cur

    def __getattr__(self, name):
        attr = getattr(self._cur, name)
        if name not in ("execute", "executemany"):
            return attr

        def statement(*args, **kwargs):
            global _statements
            result = attr(*args, **kwargs)
            _statements += 1
            if POINT == f"execute:{_statements}":
                _stop_here("mid")
            return result
        return statement


_transaction = db.Store.transaction
_import_document = db.Store.import_document
_importing = False


@contextlib.contextmanager
def _watched_transaction(self, *args, **kwargs):
    if not _importing:  # other writes (e.g. on opening the store) are not the one watched
        with _transaction(self, *args, **kwargs) as cur:
            yield cur
        return
    with _transaction(self, *args, **kwargs) as cur:
        yield _Watched(cur)
        if POINT == "before_commit":
            _stop_here("mid")
    if POINT == "after_commit":
        _stop_here("committed")


def _watched_import(self, *args, **kwargs):
    global _importing
    _importing = True
    try:
        return _import_document(self, *args, **kwargs)
    finally:
        _importing = False


db.Store.transaction = _watched_transaction
db.Store.import_document = _watched_import
try:
    runpy.run_module("lib.ingest", run_name="__main__")
finally:
    if POINT == "count":
        print(f"statements {_statements}", flush=True)
