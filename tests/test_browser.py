"""Smoke test in Debian's Chromium: every page loads without an error, in the Thai font.

Screenshots land in tests/screenshots/ for a person to look at.
"""
import contextlib
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
PAGES = [("overview", "", "ภาพรวม"), ("progress", "progress", "ความก้าวหน้ารายไตรมาส"),
         ("budget", "budget", "งบประมาณตามมิติ"), ("records", "records", "ทะเบียนมาตรการ/โครงการ"),
         ("documents", "documents", "เอกสารที่นำเข้า"), ("import_data", "import_data", "นำเข้าข้อมูล"),
         ("progress_report", "progress_report", "รายงานความก้าวหน้า"),
         ("ita_gap", "ita_gap", "ช่องว่างตัวชี้วัด ITA"), ("ita_scores", "ita_scores", "นำเข้าคะแนน ITA"),
         ("presentation", "presentation", "สรุปสถานะ"), ("compare", "compare", "เปรียบเทียบหน่วยงาน"),
         ("report_quarter", "report_quarter", "รายงานผลรายไตรมาส"), ("backup", "backup", "สำรองและกู้คืนข้อมูล")]

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_dir):
    """A fresh server process on its own port and database; yields its base URL."""
    port = free_port()
    env = {**os.environ, "ITA_DB_PATH": str(db_dir / "browser.duckdb")}
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
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("db")) as base:
        yield base


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
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(f"{server}/{path}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    if name in ("overview", "progress", "budget"):
        page.locator(".js-plotly-plot svg text").first.wait_for(timeout=90_000)  # slow on a busy machine
    page.wait_for_timeout(3000)  # tables draw on a canvas after the page settles
    assert page.locator("[data-testid='stException']").count() == 0
    fonts = page.evaluate("""async () => {
        await document.fonts.ready;
        const h1 = document.querySelector('h1');
        return {family: getComputedStyle(h1).fontFamily,
                sarabunLoaded: [...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded'),
                thaiCovered: document.fonts.check('16px Sarabun', 'ภาษาไทย'),
                chartFonts: [...document.querySelectorAll('.js-plotly-plot svg text')]
                    .map(t => getComputedStyle(t).fontFamily)};
    }""")
    assert "Sarabun" in fonts["family"]
    assert fonts["sarabunLoaded"] and fonts["thaiCovered"]
    if name in ("overview", "progress", "budget"):  # every chart's text is set in Sarabun
        assert fonts["chartFonts"] and all("Sarabun" in f for f in fonts["chartFonts"]), fonts["chartFonts"][:5]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.close()


def test_budget_table_downloads_as_shown(server, browser, tmp_path):
    import openpyxl

    page = browser.new_page(viewport={"width": 1440, "height": 1600}, accept_downloads=True)
    page.goto(f"{server}/budget")
    page.get_by_role("heading", name="งบประมาณตามมิติ").first.wait_for(timeout=60_000)
    # the dimension table's own button, by its key: a page still drawing may show another table's first
    with page.expect_download(timeout=30_000) as info:
        page.locator(".st-key-dl_budget_dimension").get_by_role("button", name="ดาวน์โหลดตาราง (xlsx)").click()
    download = info.value
    assert download.suggested_filename.startswith("งบประมาณตามมิติ_ทุกหน่วยงาน_ปีงบ2569_ณ")  # the sidebar opens on the latest planned year
    path = tmp_path / "budget.xlsx"
    download.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("หน่วยงาน", "ทุกหน่วยงาน")
    assert rows[4][:2] == ("มิติ", "งบตามแผน (บาท)") and rows[4][5] == "รายการ"
    assert rows[-1][0] == "รวมทั้งสิ้น" and rows[-1][1] == 20000 and rows[-1][5] == 16
    page.close()


def test_a_page_url_opened_first_on_a_fresh_server_runs_through_the_entry_script(browser, tmp_path):
    """Streamlit's legacy pages/ mode would run pages/budget.py alone (no sidebar, no navigation) when a
    fresh server's first visit is a page URL; lib.ui.cache._through_entry_script turns it off."""
    with streamlit_server(tmp_path) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1200})
        page.goto(f"{base}/budget")
        page.get_by_role("heading", name="งบประมาณตามมิติ").first.wait_for(timeout=60_000)
        # the legacy run draws the page's own heading first; the entry script's rerun adds navigation
        # and filters (without the workaround they never come and this wait times out)
        nav = page.locator("[data-testid='stTopNav']")
        nav.get_by_text("ติดตามผล").first.wait_for(timeout=60_000)
        page.get_by_text("ปีงบประมาณ (พ.ศ.)").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()


# Latin words kept on purpose: the ITA instruments, file types and the programs that open them,
# link schemes, and the accounts file the local-mode note names.
KEPT_LATIN = {"ITA", "IIT", "EIT", "OIT", "i", "e", "o",  # ITA item-code prefixes ("(i/e/o)" in a layout's name)
              "xlsx", "XLSX", "csv", "CSV", "docx", "DOCX", "txt", "TXT", "pdf",
              "PDF", "pptx", "zip", "ZIP", "Excel", "Word", "PowerPoint", "http", "https", "config",
              "accounts.toml", "toml", "cp874", "UTF", "BOM", "ID", "OpenID", "Connect",
              # values of the ITA catalog file's confidence column, typed in the file as listed
              "verified", "unverified", "third", "party"}
FILE_NAME = r"[\w.-]+\.(?:txt|docx|pdf|xlsx|csv|zip|pptx)\b"  # a document's own file name is data
ITEM_CODE = r"\b[ieo]\d{1,3}\b"  # ITA item codes (i7, e11, o41) are codes, as IIT/EIT/OIT are
VISIBLE_TEXT = """() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
        const node = walk.currentNode, el = node.parentElement;
        if (!el || !node.textContent.trim()) continue;
        // icons are ligature words ("upload") drawn as symbols; the skip link shows only on keyboard focus;
        // st.text and code blocks quote a document as written (its English is the document's, not ours)
        // <q>: a message of ours quoting a document (lib.ui.format.quoting_html)
        // (an icon in markdown, ":material/help:", is a span role=img translate=no in the icon font)
        if (el.closest('[data-testid=stIconMaterial], span[role=img][translate=no], [data-testid=stSkipToContent], '
                       + '[data-testid=stText], '
                       + '[data-testid=stCode], q, script, style, noscript, [aria-hidden=true]')) continue;
        const style = getComputedStyle(el);
        if (style.visibility !== 'visible' || parseFloat(style.opacity) === 0) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        // seen on screen (or by scrolling down): not zero-sized, not parked off-screen like "Skip to content"
        if (![...range.getClientRects()].some(r => r.width > 1 && r.height > 1 && r.bottom > 0
                                                  && r.right > 0 && r.left < innerWidth)) continue;
        out.push(node.textContent);
    }
    return out.join('\\n');
}"""
WIDE = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    return {page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            main: main.scrollWidth - main.clientWidth};
}"""


# A document's own words (its English: "NO Gift Policy", "Google Form") are shown in st.text, code, or
# as <q> quotations inside our messages; the check skips exactly those.
LAPTOP_PAGES = PAGES


@pytest.mark.parametrize("name, path, title", LAPTOP_PAGES)
def test_page_fits_a_laptop_and_speaks_thai(server, browser, name, path, title):
    """At 1366×768 no page scrolls sideways and no English shows outside KEPT_LATIN; the
    screenshots (tests/screenshots/1366_*.png) are for a person to look at."""
    import re

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/{path}")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(3000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate(WIDE) == {"page": 0, "main": 0}
    text = re.sub(ITEM_CODE, " ", re.sub(FILE_NAME, " ", page.evaluate(VISIBLE_TEXT)))
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]|[A-Za-z]", text))
    assert not words - KEPT_LATIN, sorted(words - KEPT_LATIN)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"1366_{name}.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1366, "height": min(height, 8000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / f"1366_{name}_whole.png"))
    page.close()


def test_record_detail_opens_in_a_panel_on_screen(server, browser):
    """Choosing a register row at 1366×768 opens its detail in a side panel within the screen (it used to
    open below the table, thousands of pixels down); closing it leaves the register as it was."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/records")
    page.get_by_role("heading", name="ทะเบียนมาตรการ/โครงการ").first.wait_for(timeout=60_000)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=60_000)
    page.wait_for_timeout(3000)  # the grid draws on a canvas after the page settles
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 6 + 17)  # the row marker of the seventh row (seq 7)
    panel = page.get_by_role("dialog")
    panel.get_by_text("อบต.ตะโก · 2569 ลำดับ 7").wait_for(timeout=60_000)
    panel.get_by_text("20,000.00").first.wait_for(timeout=30_000)  # its budget, from the document
    page.wait_for_timeout(1500)  # the panel slides in from the right: measured where it comes to rest
    shown = panel.bounding_box()
    assert shown["x"] >= 0 and shown["y"] >= 0 and shown["x"] + shown["width"] <= 1366 and shown["y"] < 768
    assert shown["x"] > 1366 / 3  # beside the table, not over all of it
    page.keyboard.press("Escape")
    panel.wait_for(state="detached", timeout=30_000)
    page.wait_for_timeout(2000)
    assert page.get_by_role("dialog").count() == 0  # closed stays closed while the row stays chosen
    page.close()


def test_streamlits_own_running_indicator_says_stop_in_thai(server, browser):
    """While a page runs, Streamlit 1.67 shows a "Stop" button (no setting translates it): the entry
    script's CSS draws "หยุด" instead, on the element as 1.67 builds it (a button in stStatusWidget,
    copied here since a run is too quick to catch)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server}/")
    page.get_by_role("heading", name="ภาพรวม").first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate("""() => {
        const widget = document.createElement('div');
        widget.setAttribute('data-testid', 'stStatusWidget');
        widget.innerHTML = '<span><button kind="header" data-testid="stBaseButton-header">Stop</button></span>';
        document.body.appendChild(widget);
        const button = widget.querySelector('button');
        return {size: getComputedStyle(button).fontSize, after: getComputedStyle(button, '::after').content};
    }""")
    assert drawn == {"size": "0px", "after": '"หยุด"'}
    page.close()


def test_tables_offer_no_csv_download_of_their_own(server, browser):
    """Streamlit's table toolbar writes a CSV of the cells as they are (no formula escaping: a title
    "=HYPERLINK(...)" read from a document would run in Excel) under an English label; the entry script
    hides that button, and the pages hand out xlsx through lib/sheets.py instead."""
    page = browser.new_page(viewport={"width": 1440, "height": 1200})
    page.goto(f"{server}/records")
    page.get_by_role("heading", name="ทะเบียนมาตรการ/โครงการ").first.wait_for(timeout=60_000)
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(timeout=60_000)
    table.hover()
    toolbar = page.locator("[data-testid='stElementToolbarButton']")
    toolbar.first.wait_for(timeout=10_000)  # the toolbar is there (search, full screen)...
    csv = page.locator("[data-testid='stElementToolbarButton']:has(button[aria-label='Download as CSV'])")
    assert csv.count() >= 1 and not any(csv.nth(i).is_visible() for i in range(csv.count()))  # ...its CSV is not
    page.close()


def test_an_inputs_press_enter_hint_is_thai(server, browser):
    """Streamlit writes "Press Enter to apply" under a text box being typed in (no setting translates it):
    the entry script's CSS draws the Thai instead."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/progress_report")
    page.get_by_role("heading", name="รายงานความก้าวหน้า").first.wait_for(timeout=60_000)
    box = page.get_by_label("ชื่อผู้รายงาน (จำเป็น)")
    box.wait_for(timeout=60_000)
    box.fill("สมชาย")
    hint = page.locator("[data-testid=stTextInput] [data-testid=InputInstructions]").first
    hint.wait_for(timeout=10_000)
    measure = """e => ({own: getComputedStyle(e).fontSize, text: [...e.querySelectorAll('span')]
                        .map(s => getComputedStyle(s).fontSize), after: getComputedStyle(e, '::after').content})"""
    for _ in range(50):  # the entry script's style block can arrive after the hint on a busy machine
        drawn = hint.evaluate(measure)
        if drawn["after"] != "none":
            break
        page.wait_for_timeout(200)
    assert drawn["own"] == "0px" and set(drawn["text"]) <= {"0px"}, drawn
    assert drawn["after"] == '"กด Enter เพื่อใช้ค่านี้"'
    page.close()
