"""The common way as an app: a Streamlit page over pandas, to load in Chromium beside the dashboard.

    ITA_COMMON_EXPORTS=bench/exports streamlit run bench/common_app.py     # ?page=overview|progress|budget|...

The tables are read from the CSV exports once per server (st.cache_resource: the frames are kept in
memory and shared, as a pandas dashboard does); every run then computes the page's figures in pandas
(bench/common_way.py, the same functions as the AppTest comparison) for the province chosen in the
sidebar ("จังหวัด", like the dashboard's) and draws them as tables. bench/run times it with the same
browser, the same waits and the same concurrent sessions as the dashboard.
"""
import datetime as dt
import os
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common_way  # noqa: E402

EXPORTS = Path(os.environ.get("ITA_COMMON_EXPORTS", Path(__file__).resolve().parent / "exports"))


@st.cache_resource(show_spinner="กำลังอ่านไฟล์...")
def frames() -> dict:
    names = sorted({n for names in common_way.PAGE_TABLES.values() for n in names})
    return common_way.read_csv_tables(EXPORTS, names)


def in_province(f: dict, province: str | None) -> dict:
    if province is None:
        return f
    orgs = f["organization"][f["organization"]["province"] == province]
    ids = set(orgs["id"])
    out = dict(f, organization=orgs)
    for name in ("plan_item", "measure", "source_document", "ita_score"):
        out[name] = f[name][f[name]["organization_id"].isin(ids)]
    kept = {"plan_item": set(out["plan_item"]["id"]), "measure": set(out["measure"]["id"])}
    p = f["progress"]
    out["progress"] = p[((p["record_kind"] == "plan_item") & p["record_id"].isin(kept["plan_item"]))
                        | ((p["record_kind"] == "measure") & p["record_id"].isin(kept["measure"]))]
    out["measure_item_link"] = f["measure_item_link"][f["measure_item_link"]["measure_id"].isin(kept["measure"])]
    return out


page = st.query_params.get("page", "overview")
f = frames()
province = st.sidebar.selectbox("จังหวัด", [None, *sorted(f["organization"]["province"].dropna().unique())],
                                format_func=lambda p: "ทั้งหมด" if p is None else p)
st.title(f"{page} (pandas)")
out = common_way.PAGES[page](in_province(f, province), dt.date.today())
for part in out if isinstance(out, (tuple, list)) else [out]:
    if isinstance(part, dict):
        st.write(part)
    else:
        st.dataframe(part.head(500))
