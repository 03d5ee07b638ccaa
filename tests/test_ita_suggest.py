"""Link suggestions from measure text, against the catalog of the year the measures answer."""
import pandas as pd

from lib.ita.suggest import suggest_links
from lib.queries import ita as ita_queries
from lib.queries import records as queries
from lib.store import import_seeds


def test_seed_004_sections_and_titles_give_oit_suggestions(store):
    import_seeds(store)
    prui = int(queries.organizations(store).set_index("short_name").loc["ทต.ปรุใหญ่", "id"])
    measures = ita_queries.measures_without_codes(store, prui, 2566)
    assert len(measures) == 11
    found = suggest_links(measures, ita_queries.framework(store, 2565))
    by_title = dict(zip(measures["id"], measures["title"], strict=True))
    pairs = {(by_title[m][:30], c) for m, c in zip(found["measure_id"], found["code"], strict=True)}
    # List A (2565): o42 the measures themselves, o43 carrying them out (the longer title wins over o42),
    # o40 the 6-month anti-corruption report (Thai digit ๖ read as 6), o20 budget report, o17 E-Service
    assert {c for _, c in pairs} == {"o17", "o20", "o40", "o42", "o43"}
    assert ("มาตรการส่งเสริมคุณธรรม และความ", "o42") in pairs and ("การดำเนินการตาม มาตรการส่งเสริ", "o43") in pairs
    assert not any(c.startswith(("i", "e")) for _, c in pairs)
    reason = found.set_index("code").loc["o42", "reason"]
    assert "บัญชีปี 2565" in reason and "ด้าน OIT" in reason


def test_instrument_restricts_candidates_and_short_titles_are_ignored(store):
    fw = ita_queries.framework(store, 2564)
    measures = pd.DataFrame([
        {"id": 1, "title": "ปรับปรุง E-Service และ Q&A (IIT)", "instrument": None, "item_topic": None},
        {"id": 2, "title": "จัดทำ Q&A บนเว็บไซต์", "instrument": None, "item_topic": None},
        {"id": 3, "title": "ทำตามแผนปฏิบัติการป้องกันการทุจริต(ประจำปี)", "instrument": "OIT", "item_topic": None}])
    found = suggest_links(measures, fw)
    assert found[["measure_id", "code"]].values.tolist() == [[3, "o39"]]
