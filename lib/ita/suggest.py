"""Link suggestions for measures read without ITA item codes: from the text, never silently applied.

A suggestion names the item (framework year, code) and why. Only a user's confirmation turns it into
coverage; a rejected one is not offered again.
"""
from __future__ import annotations

import re

import pandas as pd

from lib.ita.catalog import INSTRUMENTS, Framework
from lib.thai import to_arabic_digits

MIN_TITLE_CHARS = 5  # shorter catalog titles (e.g. "Q&A") match too much text by accident
_SPACE = re.compile(r"\s+")


def _squash(text) -> str:
    return _SPACE.sub("", to_arabic_digits(str(text or ""))).lower()


def instrument_in_text(measure: dict) -> tuple[str | None, str | None]:
    """The instrument a measure names, and where: its section (ด้าน EIT) or '(IIT)' in its title."""
    if measure.get("instrument") in INSTRUMENTS:
        return measure["instrument"], f"อยู่ในหัวข้อด้าน {measure['instrument']} ของเอกสาร"
    found = {i for i in INSTRUMENTS if f"({i})" in str(measure.get("title") or "").upper()}
    if len(found) == 1:
        instrument = found.pop()
        return instrument, f"ชื่อมาตรการระบุ ({instrument})"
    return None, None


def suggest_links(measures: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """measures: id, title, instrument, item_topic -> suggestions: measure_id, code, title, reason.

    A catalog title that appears in the measure's title or ITA topic (spaces ignored) suggests that item;
    when a longer matching title contains a shorter one, only the longer is kept. A known instrument
    restricts the candidates to its items. A year without its own list gets no suggestions.
    """
    if framework.borrowed:  # another year's titles may mean other things: nothing to match against
        return pd.DataFrame(columns=["measure_id", "code", "title", "reason"])
    titled = framework.items[framework.items["title"].map(lambda t: len(_squash(t)) >= MIN_TITLE_CHARS)]
    rows = []
    for measure in measures.to_dict("records"):
        instrument, where = instrument_in_text(measure)
        candidates = titled if instrument is None else titled[titled["instrument"] == instrument]
        text = _squash(measure.get("title")) + "|" + _squash(measure.get("item_topic"))
        hits = [(code, title) for code, title in zip(candidates["code"], candidates["title"], strict=True)
                if _squash(title) in text]
        hits = [(code, title) for code, title in hits
                if not any(_squash(title) != _squash(other) and _squash(title) in _squash(other) for _, other in hits)]
        for code, title in hits:
            reason = f"ข้อความของมาตรการมีชื่อข้อ {code} ในบัญชีปี {framework.list_year}: \"{title}\""
            if where:
                reason += f"; {where}"
            rows.append({"measure_id": measure["id"], "code": code, "title": title, "reason": reason})
    return pd.DataFrame(rows, columns=["measure_id", "code", "title", "reason"])
