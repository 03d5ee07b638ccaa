"""Smoke test in Debian's Chromium: every page loads without an error, in the Thai font.

Screenshots land in tests/screenshots/ for a person to look at.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"
PAGES = [("documents", "", "เอกสารที่นำเข้า"), ("records", "records", "ทะเบียนแผนและมาตรการ")]

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "ITA_DB_PATH": str(tmp_path_factory.mktemp("db") / "browser.duckdb")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stderr.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.mark.parametrize("name, path, title", PAGES)
def test_page_renders_in_thai_font(server, browser, name, path, title):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{server}/{path}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stException']").count() == 0
    fonts = page.evaluate("""async () => {
        await document.fonts.ready;
        const h1 = document.querySelector('h1');
        return {family: getComputedStyle(h1).fontFamily,
                sarabunLoaded: [...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded'),
                thaiCovered: document.fonts.check('16px Sarabun', 'ภาษาไทย')};
    }""")
    assert "Sarabun" in fonts["family"]
    assert fonts["sarabunLoaded"] and fonts["thaiCovered"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.close()
