"""The history every write appends to: one row per change, who, when, old and new values."""
from __future__ import annotations

import datetime as dt
import json


def timestamp() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def append_history(cur, actor: str, action: str, table: str, record_id=None, old=None, new=None, when=None) -> None:
    cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, old_value, new_value) "
                "VALUES (?,?,?,?,?,?,?)",
                [when or timestamp(), actor, action, table, record_id,
                 None if old is None else json.dumps(_no_nan(old), ensure_ascii=False, default=str),
                 None if new is None else json.dumps(_no_nan(new), ensure_ascii=False, default=str)])


def _no_nan(value):
    """An empty spreadsheet cell (NaN in a frame's records) as JSON null: NaN is not JSON, and
    PostgreSQL (the shared deployment) refuses it."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nan(v) for v in value]
    return value
