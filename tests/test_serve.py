"""deploy/serve: the server does the first visit's work at start-up, before anyone visits."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

from lib.store import open_store
from tests.conftest import ROOT


def test_the_server_opens_the_store_and_runs_the_overview_reads_before_any_visit(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db, log = tmp_path / "serve.duckdb", tmp_path / "serve.log"
    with open(log, "w") as err:
        proc = subprocess.Popen([sys.executable, "deploy/serve", "--server.port", str(port), "--server.address",
                                 "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                                env={**os.environ, "ITA_DB_PATH": str(db)}, stdout=subprocess.DEVNULL, stderr=err)
    try:
        deadline = time.time() + 240
        while time.time() < deadline and "serve: warm-up" not in log.read_text():
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "serve: warm-up done" in log.read_text(), log.read_text()
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10).read() == b"ok"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # nobody visited: the warm-up alone opened the new database and imported the default documents
    store = open_store(db)
    try:
        assert store.query_rows("SELECT count(*) FROM source_document")[0][0] == 5
        assert store.query_rows("SELECT count(*) FROM organization")[0][0] == 5
    finally:
        store.close()


def test_a_visit_while_the_start_up_opens_the_database_is_told_so_and_waits_for_nothing(tmp_path, monkeypatch):
    # deploy/serve opens the store at start-up; the first start after an upgrade recomputes the summaries
    # there (minutes nationally). A visitor meanwhile gets a Thai notice, not a page stuck on the store.
    import re
    import time

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from lib.ui import cache

    db = tmp_path / "opening.duckdb"
    monkeypatch.setenv("ITA_DB_PATH", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setitem(cache._OPENING, "since", time.monotonic() - 42)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["กำลังเตรียมฐานข้อมูล"]
    seconds = int(re.search(r"เริ่มมาแล้ว (\d+) วินาที", at.info[0].value).group(1))
    assert 42 <= seconds < 100 and "ไม่ต้องโหลดหน้าใหม่" in at.info[0].value
    assert not at.metric and not db.exists()  # the visit opened no database of its own
    cache._OPENING.clear()  # the start-up has opened it: the same session's next run shows the overview
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "ภาพรวม" and db.exists()
    st.cache_resource.clear()
    st.cache_data.clear()
