"""The ITA catalog files, loaded into the store, against ita-framework.md."""
import pandas as pd
import pytest

from lib.ita.catalog import nearest_year
from lib.queries import ita as ita_queries
from lib.store import StoreError
from lib.store import ita as store_ita


@pytest.mark.parametrize("year, iit, eit, oit", [(2564, 30, 15, 43), (2565, 30, 15, 43), (2566, 30, 15, 43),
                                                 (2567, 30, 15, 35)])
def test_item_counts_per_year(store, year, iit, eit, oit):
    items = ita_queries.catalog_items(store, year)
    assert items["instrument"].value_counts().to_dict() == {"IIT": iit, "EIT": eit, "OIT": oit}
    assert items["code"].is_unique
    assert set(items["confidence"]) <= {"verified", "third-party", "unverified"}
    assert items["source"].str.contains(r"\[S\d+\]|§").all()


@pytest.mark.parametrize("year", [2564, 2565, 2566, 2567])
def test_iit_and_eit_map_to_indicators_as_the_reference(store, year):
    items = ita_queries.catalog_items(store, year).set_index("code")
    for n in range(1, 31):  # i1-i6 -> 1, i7-i12 -> 2, ... i25-i30 -> 5 (§2)
        assert items.loc[f"i{n}", "indicator"] == (n - 1) // 6 + 1
    for n in range(1, 16):  # e1-e5 -> 6, e6-e10 -> 7, e11-e15 -> 8 (§2, unverified)
        assert items.loc[f"e{n}", "indicator"] == (n - 1) // 5 + 6
        assert items.loc[f"e{n}", "confidence"] == "unverified"
    assert items.loc["i1", "title"].startswith("บุคลากรปฏิบัติงาน/ให้บริการ")
    assert pd.isna(items.loc["i5", "title"])  # not retrieved: no invented title


def test_oit_lists_keep_codes_per_year(store):
    a = ita_queries.catalog_items(store, 2564).set_index("code")
    b = ita_queries.catalog_items(store, 2566).set_index("code")
    # List A (§3.1): o1-o33 -> indicator 9, o34-o43 -> 10; o42 is the measures item seen in seed 001
    assert (a.loc[[f"o{n}" for n in range(1, 34)], "indicator"] == 9).all()
    assert (a.loc[[f"o{n}" for n in range(34, 44)], "indicator"] == 10).all()
    assert a.loc["o42", "title"] == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    # code drift: o36 differs between List A and List B (§3.2 warning)
    assert a.loc["o36", "title"] == "การประเมินความเสี่ยงการทุจริตประจำปี"
    assert b.loc["o36", "title"] == "แผนปฏิบัติการป้องกันการทุจริต"
    assert (b.loc[[f"o{n}" for n in range(1, 31)], "indicator"] == 9).all()
    assert (b.loc[[f"o{n}" for n in range(31, 44)], "indicator"] == 10).all()
    assert b.loc["o10", "title"] == "นโยบายคุ้มครองข้อมูลส่วนบุคคล"
    assert ita_queries.catalog_items(store, 2565).set_index("code").loc["o29", "confidence"] == "third-party"


def test_2567_list_is_partial_and_honest(store):
    c = ita_queries.catalog_items(store, 2567).set_index("code")
    assert c.loc["o4", "title"] == "ข้อมูลการติดต่อ"
    assert c.loc[[f"o{n}" for n in range(5, 36)], "title"].isna().all()
    assert c.loc[[f"o{n}" for n in range(5, 36)], "indicator"].isna().all()
    assert (c.loc[[c for c in c.index if c.startswith("o")], "confidence"] == "unverified").all()


def test_weights_bands_and_nearest_year(store):
    fw = ita_queries.framework(store, 2564)
    assert fw.weights == {"IIT": 30, "EIT": 30, "OIT": 40} and fw.pass_mark == 85
    assert [(g, m) for g, m, _ in fw.bands] == [("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50),
                                                ("F", 0)]
    assert fw.weight_confidence["EIT"] == "verified"
    assert ita_queries.framework(store, 2567).weight_confidence == {"IIT": "verified", "EIT": "unverified",
                                                                    "OIT": "verified"}
    later = ita_queries.framework(store, 2569)
    assert (later.list_year, later.borrowed, later.verified) == (2567, True, False)
    assert nearest_year(2568, [2564, 2565, 2566, 2567]) == 2567
    assert nearest_year(2563, [2564, 2567]) == 2564
    assert nearest_year(2565, [2564, 2566]) == 2566  # a tie goes to the later list


def test_user_imports_a_corrected_catalog_for_a_year(store):
    csv = ("รหัสข้อ,เครื่องมือ,ตัวชี้วัด,ตัวชี้วัดย่อย,ชื่อข้อ,ระดับความเชื่อมั่น,แหล่งที่มา\n"
           "i1,IIT,1,,ข้อทดสอบหนึ่ง,verified,คู่มือ ITA 2568\n"
           "o1,OIT,9,9.1,โครงสร้าง,,\n").encode()
    assert store_ita.import_catalog(store, csv, "catalog2568.csv", 2568, "ผู้ทดสอบ") == 2
    assert 2568 in ita_queries.catalog_years(store)
    items = ita_queries.catalog_items(store, 2568).set_index("code")
    assert items.loc["o1", "confidence"] == "unverified" and items.loc["i1", "source"] == "คู่มือ ITA 2568"
    assert ita_queries.framework(store, 2568).borrowed is False
    store.load_catalogs()  # reloading the files keeps the user's list
    assert len(ita_queries.catalog_items(store, 2568)) == 2
    assert store.query_rows("SELECT count(*) FROM history WHERE action = 'import_catalog'")[0][0] == 1


def test_bad_catalog_changes_nothing(store):
    csv = "รหัสข้อ,เครื่องมือ,ตัวชี้วัด\ni1,EIT,1\nx9,,\no5,OIT,3\n".encode()
    with pytest.raises(StoreError) as e:
        store_ita.import_catalog(store, csv, "bad.csv", 2566, "ผู้ทดสอบ")
    assert "แถว 2" in str(e.value) and "แถว 3" in str(e.value) and "แถว 4" in str(e.value)
    assert len(ita_queries.catalog_items(store, 2566)) == 88


def test_a_downloaded_catalog_imports_back_unchanged(store):
    from lib.ita.catalog import CATALOG_HEADERS

    items = ita_queries.catalog_items(store, 2566)
    content = items.drop(columns="origin").rename(columns=CATALOG_HEADERS).to_csv(index=False).encode("utf-8-sig")
    assert store_ita.import_catalog(store, content, "2566.csv", 2566, "ผู้ทดสอบ") == 88
    again = ita_queries.catalog_items(store, 2566)
    assert (again["origin"] == "import").all()
    assert again.drop(columns="origin").equals(items.drop(columns="origin"))
