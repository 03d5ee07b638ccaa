"""Screenshots of the documents page as each role sees it, with a revised plan waiting for a choice.

    .venv/bin/python -m tests.role_screens OUT_DIR [--port 8515]

Builds a database in OUT_DIR (the seeds, then ตะโก 2569 revised: item 17 added, item 14 removed, item 7's
budget changed), an accounts file with a viewer (nayok) and an editor (somchai) of อบต.ตะโก and
อบต.หนองแวง, starts Streamlit on the port, signs in as each in Debian's Chromium and saves
documents-viewer.png and documents-editor.png (the whole page) for a person to look at.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from lib.auth import hash_password
from lib.ingest import read_document
from lib.store import import_seeds, open_store
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM
from tests.test_versions import plan_with_an_item_added_and_one_removed

PASSWORD = "ตะโก-2569!"
USERS = (("nayok", "นายก ดูอย่างเดียว", "viewer"), ("somchai", "สมชาย ใจดี", "editor"))


def prepare(out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    db = out / "roles.duckdb"
    db.unlink(missing_ok=True)
    store = open_store(db)
    import_seeds(store)
    data = plan_with_an_item_added_and_one_removed()
    store.import_document(read_document(data, "ตะโก ฉบับแก้.txt"), data, "txt", "สมชาย")
    store.close()
    accounts = out / "accounts.toml"
    accounts.write_text("".join(
        f'[users.{user}]\nname = "{name}"\nrole = "{role}"\norganizations = ["อบต.ตะโก", "อบต.หนองแวง"]\n'
        f'password_hash = "{hash_password(PASSWORD, iterations=1000)}"\n\n' for user, name, role in USERS),
        encoding="utf-8")
    return {"ITA_DB_PATH": str(db), "ITA_ACCOUNTS": str(accounts)}


def shoot(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for user, _, role in USERS:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(base)
            page.get_by_label("ชื่อผู้ใช้").fill(user)
            page.get_by_label("รหัสผ่าน").fill(PASSWORD)
            page.get_by_role("button", name="เข้าสู่ระบบ").first.click()
            page.get_by_role("heading", name="ภาพรวม").first.wait_for(timeout=90_000)
            # through the top bar: a new address would open a new session, signed out
            try:
                page.get_by_text("นำเข้าและรายงานผล").first.click()
                page.get_by_text("เอกสารที่นำเข้า", exact=True).first.click()  # the menu item, not a link in a sentence
                page.get_by_role("heading", name="เอกสารที่นำเข้า").first.wait_for(timeout=90_000)
                page.get_by_role("heading", name="นำเข้าเอกสารใหม่").first.wait_for(timeout=90_000)
            except Exception:  # what the page showed instead
                page.screenshot(path=str(out / f"failed-{role}.png"), full_page=True)
                raise
            page.set_viewport_size({"width": 1366, "height": 3200})  # the page scrolls inside: all of it in view
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(4000)  # tables draw on a canvas after the page settles
            page.screenshot(path=str(out / f"documents-{role}.png"), full_page=True)
            page.close()
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--port", type=int, default=8515)
    args = parser.parse_args()
    env = {**os.environ, **prepare(args.out)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(args.port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        shoot(base, args.out)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\n".join(str(args.out / f"documents-{role}.png") for _, _, role in USERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
