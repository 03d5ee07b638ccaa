"""โหมดนำเสนอ: the monthly meeting on one screen, one topic at a time in large type, and the pack
(PowerPoint, PDF, Excel) built on one click for the current filters and as-of date."""
import html
import io
import os
import zipfile

import streamlit as st

from lib.pack import assemble, pdf, pptx
from lib.ui import cache, filters
from lib.ui.export import XLSX_MIME

f = filters.from_session(st.session_state)
p = cache.read(assemble.build, f.scope, f.year, f.as_of)
titles = [t.title for t in p.topics]

# On a projector the whole width is the topic's: the sidebar folds away (the filters are chosen before the
# meeting and said in the subtitle), and type follows the screen's height (vh), so a topic that fills a
# 1920×1080 screen still fits 1366×768 without scrolling.
st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container { max-width: 100%; padding-top: 4.4rem; padding-left: 2.5rem; padding-right: 2.5rem; }
.block-container h1 { font-size: clamp(2rem, 5.2vh, 3.2rem); padding-top: 0.4rem; }
.pres-sub { font-size: clamp(1rem, 2.3vh, 1.45rem); color: #555; margin: -0.6rem 0 0.6rem; }
.pres-lines p { font-size: clamp(1.2rem, 3.5vh, 2.4rem); line-height: 1.35; color: #1F4E79; margin: 0 0 1.6vh; }
.pres-band p { font-size: clamp(1.05rem, 2.7vh, 1.8rem); color: #1F4E79; margin: 0 0 0.4rem; }
.pres-side p { font-size: clamp(1rem, 2.5vh, 1.6rem); line-height: 1.4; color: #333; margin: 0 0 0.8vh; }
.pres-notes p { font-size: clamp(0.85rem, 1.7vh, 1.15rem); color: #666; margin: 0.2rem 0; }
[data-testid="stTable"] table { font-size: clamp(0.95rem, 2.1vh, 1.35rem); }
</style>""")


def paragraphs(lines: list[str], css: str) -> None:
    st.html(f"<div class='{css}'>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</div>")


def step(delta: int) -> None:
    index = titles.index(st.session_state.get("pres_topic", titles[0]))
    st.session_state["pres_topic"] = titles[(index + delta) % len(titles)]


if st.session_state.get("pres_topic") not in titles:
    st.session_state["pres_topic"] = titles[0]
back, picker, forward = st.columns([1, 8, 1], vertical_alignment="center")
back.button("◀ ก่อนหน้า", key="pres_prev", on_click=step, args=(-1,), width="stretch")
picker.segmented_control("หัวข้อ", titles, key="pres_topic", label_visibility="collapsed", required=True)
forward.button("ถัดไป ▶", key="pres_next", on_click=step, args=(1,), width="stretch")

number = titles.index(st.session_state["pres_topic"])
topic = p.topics[number]
st.title(topic.title)
st.html(f"<div class='pres-sub'>{html.escape(p.subtitle)} · หัวข้อ {number + 1}/{len(titles)} "
        "· เปลี่ยนหน่วยงาน ปี หรือวันที่ได้ที่หน้าอื่นก่อนนำเสนอ</div>")

if topic.chart and topic.table is not None:
    paragraphs([" · ".join(topic.lines)], "pres-band")
    left, right = st.columns([5, 6])
    # 470 px: under the title and band it ends above the bottom of a 1366×768 projector screen
    left.plotly_chart(assemble.figure(topic.chart, height=470, font_size=17), theme=None, key=f"pres_chart_{topic.key}")
    with right:
        st.table(topic.table.head(assemble.SLIDE_TABLE_ROWS).set_index(topic.table.columns[0]).fillna("—"))
        if len(topic.table) > assemble.SLIDE_TABLE_ROWS:
            st.caption(f"แสดง {assemble.SLIDE_TABLE_ROWS:,} จาก {len(topic.table):,} แถว · ทั้งหมดอยู่ในไฟล์ Excel")
elif topic.chart:
    left, right = st.columns([1, 2])
    with left:
        paragraphs(topic.lines, "pres-lines")
    right.plotly_chart(assemble.figure(topic.chart, height=500, font_size=18), theme=None, key=f"pres_chart_{topic.key}")
else:
    left, right = st.columns(2)
    with left:
        paragraphs(topic.lines, "pres-lines")
    with right:
        paragraphs(topic.notes, "pres-side")
if topic.notes and (topic.chart or topic.table is not None):
    paragraphs(topic.notes, "pres-notes")

# -- the pack: each file is built when its button is clicked, for the filters shown above ---------------
st.divider()
st.markdown("**ดาวน์โหลดชุดนำเสนอ** (ตามตัวกรองและวันที่ข้อมูลปัจจุบัน · หน้าแรกระบุวันที่ข้อมูลและแหล่งข้อมูล)")
pdf_ready = os.path.exists(pdf.CHROMIUM)


def everything() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(p.file_name("pptx"), pptx.pptx_bytes(p))
        if pdf_ready:
            z.writestr(p.file_name("pdf"), pdf.pdf_bytes(p))
        z.writestr(p.file_name("xlsx"), assemble.xlsx(p, cache.store()))
    return out.getvalue()


cols = st.columns(4)
cols[0].download_button("PowerPoint (.pptx)", lambda: pptx.pptx_bytes(p), p.file_name("pptx"),
                        pptx.PPTX_MIME, key="dl_pack_pptx", on_click="ignore", icon=":material/slideshow:",
                        width="stretch")
cols[1].download_button("PDF", lambda: pdf.pdf_bytes(p), p.file_name("pdf"), pdf.PDF_MIME,
                        key="dl_pack_pdf", on_click="ignore", icon=":material/picture_as_pdf:", width="stretch",
                        disabled=not pdf_ready, help=None if pdf_ready else "เครื่องนี้ไม่มี Chromium จึงสร้าง PDF ไม่ได้")
cols[2].download_button("Excel (.xlsx)", lambda: assemble.xlsx(p, cache.store()), p.file_name("xlsx"), XLSX_MIME,
                        key="dl_pack_xlsx", on_click="ignore", icon=":material/table_view:", width="stretch")
cols[3].download_button("ทั้งชุด (.zip)", everything, p.file_name("zip"), "application/zip",
                        key="dl_pack_zip", on_click="ignore", icon=":material/folder_zip:", width="stretch")
st.caption(" · ".join(p.sources[:1] + [s for s in p.sources[1:] if not s.startswith("•")]))
