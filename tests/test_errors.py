"""No traceback reaches a user: every entry point (the page run, each command line) has one error
boundary; a message meant for the user is shown as it is, anything else becomes a Thai message that
says what to do, with its details in the log (ITA_LOG_FILE), not on the screen."""
import datetime as dt
import json
import os
import subprocess
import sys
import time

import pytest

from lib.errors import run_cli
from tests.conftest import ROOT, SEEDS, started_app

THAI = range(0x0E00, 0x0E80)


def thai(text: str) -> bool:
    return any(ord(ch) in THAI for ch in text)


def cli(module, *args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


# -- the command lines --------------------------------------------------------------------------

def test_an_unknown_organization_name_is_a_thai_message():
    seed = next(SEEDS.glob("003_*.txt"))
    out = cli("lib.ingest", seed, "--json", "--organization", "ตะโกใหญ่")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "ไม่รู้จักหน่วยงาน 'ตะโกใหญ่'" in out.stderr and "อบต.ตะโก" in out.stderr


class _Holder:
    """A second process that holds the database file (DuckDB allows one writer process)."""

    def __init__(self, db, seconds):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
             "print('holding', flush=True); time.sleep(float(sys.argv[2])); con.close()", str(db), str(seconds)],
            stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "holding"

    def __enter__(self):
        return self.proc

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def seeded_db(tmp_path):
    from lib.store import import_seeds, open_store

    db = tmp_path / "held.duckdb"
    store = open_store(db)
    import_seeds(store)
    store.close()
    return db


@pytest.mark.parametrize("command", ["import", "backup", "summaries"])
def test_a_database_held_by_another_process_names_it(seeded_db, tmp_path, command):
    args = {"import": ("lib.ingest", next(SEEDS.glob("003_*.txt")), "--db", seeded_db),
            "backup": ("lib.store.backup", "export", "--db", seeded_db, "--out", tmp_path / "b.zip"),
            "summaries": ("lib.store.summaries", "--check", "--db", seeded_db)}[command]
    with _Holder(seeded_db, 120) as holder:
        out = cli(*args, env={"ITA_DB_LOCK_WAIT": "1.5"})
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "IOException" not in out.stderr
    assert f"PID) {holder.pid}" in out.stderr and "รอแล้ว 1.5 วินาที" in out.stderr
    assert "กรุณาปิดโปรแกรมนั้น" in out.stderr and "time.sleep" in out.stderr  # its command line, from /proc
    assert not (tmp_path / "b.zip").exists()


def test_the_command_line_waits_for_a_lock_that_is_let_go(seeded_db, tmp_path):
    # held for 6 s: the command line starts within it and, without the wait, fails at once
    with _Holder(seeded_db, 6.0):
        started = time.monotonic()
        out = cli("lib.store.backup", "export", "--db", seeded_db, "--out", tmp_path / "b.zip",
                  env={"ITA_DB_LOCK_WAIT": "60"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["backup"] == str(tmp_path / "b.zip") and (tmp_path / "b.zip").exists()
    assert time.monotonic() - started < 60  # it went on once the lock was free, not at the end of the wait


def _boom(*args, **kwargs):
    raise RuntimeError("secret-internal-detail /srv/ita")


@pytest.mark.parametrize("entry, argv, target", [
    ("lib.ingest.__main__", ["SEED", "--db", "DB"], ("lib.store.db.Store", "import_document")),
    ("lib.store.backup", ["export", "--db", "DB", "--out", "OUT"], ("lib.store.backup", "backup_zip")),
    ("lib.store.summaries.__main__", ["--check", "--db", "DB"], ("lib.store.summaries.__main__", "check")),
    ("lib.store.shared_cli", ["backup", "--out", "OUT"], ("lib.store.pg_backup", "backup_zip")),
    ("lib.auth", ["hash"], ("getpass", "getpass")),
])
def test_every_command_line_turns_an_unexpected_error_into_a_thai_message(
        entry, argv, target, seeded_db, tmp_path, monkeypatch, capsys):
    import importlib

    module = importlib.import_module(entry)
    owner = importlib.import_module(target[0]) if "Store" not in target[0] else None
    if owner is None:
        from lib.store.db import Store
        owner = Store
    monkeypatch.setattr(owner, target[1], _boom)
    monkeypatch.setenv("ITA_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    argv = [{"SEED": str(next(SEEDS.glob("003_*.txt"))), "DB": str(seeded_db), "OUT": str(tmp_path / "o.zip")}
            .get(a, a) for a in argv]
    code = module.main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "รหัสอ้างอิง" in err and "แจ้งผู้ดูแลระบบ" in err and thai(err)
    assert "secret-internal-detail" not in err and "Traceback" not in err
    log = (tmp_path / "ita.log").read_text(encoding="utf-8")
    assert "secret-internal-detail" in log and "Traceback" in log and err.split("รหัสอ้างอิง ")[1][:8] in log


def test_run_cli_passes_user_messages_and_exit_codes(capsys):
    from lib.errors import StoreError

    def refuses(argv):
        raise StoreError("ไม่พบฐานข้อมูล x")

    assert run_cli(refuses) == 1 and capsys.readouterr().err.strip() == "ไม่พบฐานข้อมูล x"
    assert run_cli(lambda argv: 0) == 0


# -- the page run -------------------------------------------------------------------------------

def test_an_unexpected_error_in_a_page_is_a_thai_message_and_goes_to_the_log(tmp_path, monkeypatch, request):
    from lib.queries import dashboard

    monkeypatch.setattr(dashboard, "kpis", _boom)
    app = started_app(tmp_path, monkeypatch, request, dt.date(2026, 6, 18))
    at = next(app)  # the first run goes through dashboard.py and its boundary
    try:
        assert not at.exception
        shown = [e.value for e in at.error]
        assert any("รหัสอ้างอิง" in s and "แจ้งผู้ดูแลระบบ" in s for s in shown), shown
        everything = " ".join(str(e.value) for e in [*at.markdown, *at.error, *at.caption, *at.text])
        assert "secret-internal-detail" not in everything and "Traceback" not in everything
        log = (tmp_path / "ita.log").read_text(encoding="utf-8")
        assert "secret-internal-detail" in log and "Traceback" in log
    finally:
        next(app, None)


def test_a_user_message_no_page_caught_is_shown_as_it_is(tmp_path, monkeypatch, request):
    from lib.errors import StoreError
    from lib.queries import dashboard

    def refused(*args, **kwargs):
        raise StoreError("ฐานข้อมูลถูกเปิดใช้อยู่โดยโปรแกรมอื่น กรุณาปิดโปรแกรมนั้น")

    monkeypatch.setattr(dashboard, "kpis", refused)
    app = started_app(tmp_path, monkeypatch, request, dt.date(2026, 6, 18))
    at = next(app)
    try:
        assert not at.exception
        assert [e.value for e in at.error] == ["ฐานข้อมูลถูกเปิดใช้อยู่โดยโปรแกรมอื่น กรุณาปิดโปรแกรมนั้น"]
    finally:
        next(app, None)
