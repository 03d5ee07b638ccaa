"""โหมดนำเสนอ: one topic per screen with previous/next and a picker, the figures of the pack (the
pages' queries), and in the browser the pack's files downloaded with one click each."""
import datetime as dt
import io
import os
import shutil

import plotly.io
from pptx import Presentation

from lib.queries import records as queries
from lib.ui import cache
from tests.conftest import ROOT

AS_OF = dt.date(2026, 6, 18)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "screenshots"
TITLES = ["สรุปสถานะ", "ความก้าวหน้ารายไตรมาส", "งบประมาณตามมิติ",
          "ตัวชี้วัด ITA ที่ต่ำกว่าเป้าหมาย และมาตรการที่รองรับ", "รายการเลยกำหนด และเรื่องที่ต้องตัดสินใจ"]


def keep_filters(at):
    # later AppTest runs execute the page alone (no sidebar): set the sidebar's choices before each run
    orgs = queries.organizations(cache.store())
    at.session_state["filter_org"] = int(orgs.loc[orgs["short_name"] == "อบต.ตะโก", "id"].iloc[0])
    at.session_state["filter_year"] = 2569
    at.session_state["filter_as_of"] = AS_OF


def shown_html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_one_topic_per_screen_with_previous_next_and_picker(app):
    keep_filters(app)
    app.switch_page(str(ROOT / "pages" / "presentation.py")).run()
    assert not app.exception, app.exception
    assert app.title[0].value == "สรุปสถานะ"
    assert "ข้อมูล ณ วันที่ 18 มิ.ย. 2569" in shown_html(app) and "เอกสาร 1 ฉบับ:" in shown_html(app)
    assert "รายการในแผนปฏิบัติการ: 16 รายการ" in shown_html(app)
    assert {b.key for b in app.get("download_button")} == {"dl_pack_pptx", "dl_pack_pdf", "dl_pack_xlsx", "dl_pack_zip"}
    seen = []
    for _ in TITLES:
        seen.append(app.title[0].value)
        keep_filters(app)
        app.button(key="pres_next").click().run()
        assert not app.exception, app.exception
    assert seen == TITLES and app.title[0].value == TITLES[0]  # next after the last goes round to the first
    keep_filters(app)
    app.button(key="pres_prev").click().run()
    assert app.title[0].value == TITLES[-1]
    keep_filters(app)
    app.session_state["pres_topic"] = "งบประมาณตามมิติ"
    app.run()
    assert app.title[0].value == "งบประมาณตามมิติ"
    (chart,) = app.get("plotly_chart")
    bars = {t.name: list(t.x) for t in plotly.io.from_json(chart.proto.spec).data}
    assert bars["งบประมาณตามแผน"] == [0, 20000, 0, 0]  # the budget page's figures
    assert "งบประมาณตามแผน 20,000 บาท" in shown_html(app)


def test_ita_screen_says_there_are_no_scores(app):
    keep_filters(app)
    app.session_state["pres_topic"] = TITLES[3]
    app.switch_page(str(ROOT / "pages" / "presentation.py")).run()
    assert app.title[0].value == TITLES[3] and not app.get("plotly_chart")
    assert "ยังไม่มีคะแนน ITA ปี 2568 ของ อบต.ตะโก ในระบบ" in shown_html(app)


if os.path.exists(CHROMIUM) or os.environ.get("CI"):
    from tests.test_browser import browser, server  # noqa: F401  (the browser test's fixtures)

    def test_presentation_in_the_browser_and_the_pack_downloads(server, browser, tmp_path):  # noqa: F811
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page.goto(f"{server}/presentation")
        page.get_by_role("heading", name="สรุปสถานะ").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="ถัดไป ▶").click()
        page.get_by_role("heading", name="ความก้าวหน้ารายไตรมาส").first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot svg text").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(SHOTS / "presentation_quarters.png"), full_page=True)
        files = {}
        for label in ("PowerPoint (.pptx)", "PDF", "Excel (.xlsx)"):
            with page.expect_download(timeout=90_000) as info:
                page.get_by_role("button", name=label).click()
            download = info.value
            files[download.suggested_filename.rsplit(".", 1)[1]] = download
            assert download.suggested_filename.startswith("ชุดนำเสนอประชุมประจำเดือน_ทุกหน่วยงาน_ปีงบ2569_ณ")  # the sidebar opens on the latest planned year
        assert set(files) == {"pptx", "pdf", "xlsx"}
        path = tmp_path / "pack.pptx"
        files["pptx"].save_as(path)
        titles = [s.shapes[0].text_frame.text for s in Presentation(io.BytesIO(path.read_bytes())).slides]
        assert len([t for t in titles if "(ต่อ " not in t]) == 5  # five topics; a long table continues
        pdf = tmp_path / "pack.pdf"
        files["pdf"].save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")
        page.close()
