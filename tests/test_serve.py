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
