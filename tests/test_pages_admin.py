"""AppTest of the backup page: a backup made from the page restores to the same records."""
import io
import json
import zipfile

from tests.conftest import ROOT


def test_backup_page_makes_a_complete_backup(app):
    app.switch_page(str(ROOT / "pages" / "backup.py")).run()
    assert not app.exception
    assert app.title[0].value == "สำรองและกู้คืนข้อมูล"
    restore = next(b for b in app.button if b.key == "restore")
    assert restore.disabled  # nothing uploaded, nothing confirmed
    next(b for b in app.button if b.key == "make_backup").click().run()
    assert not app.exception
    data = app.session_state["backup_bytes"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert "plan_item.parquet" in zf.namelist()
    assert manifest["tables"]["plan_item"]["rows"] == 16
    assert manifest["tables"]["measure"]["rows"] == 40
    assert manifest["tables"]["source_document"]["rows"] == 5
