"""The ITA score formula, grades, gaps and what-if: pure functions, written once here.

Formula (the reference gives per-indicator scores as 0-100 averages and instruments as weighted
points; how NACC averages inside an instrument is not published, so this is stated, not verified):
  indicator score  = mean of its item scores when items are given, else the typed indicator score
  instrument score = mean of its indicator scores when any are given, else the typed instrument score
  total            = sum over IIT, EIT, OIT of instrument score x weight / 100 (weights of the year)
  grade            = best band whose minimum the total (rounded to 2 decimals) reaches; pass = total >= pass mark
Points an indicator or item would add = the total recomputed with that score at its target, minus the total.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.ita.catalog import INSTRUMENTS, PREFIX_INSTRUMENT, Framework
from lib.progress import NO_REPORT
from lib.records import STATUS_BLOCKED, STATUS_DONE, STATUS_IN_PROGRESS

LEVELS = ("item", "indicator", "instrument", "total")
LEVEL_TH = {"item": "ข้อ", "indicator": "ตัวชี้วัด", "instrument": "เครื่องมือ", "total": "คะแนนรวม"}
TYPED_TOLERANCE = 0.01


@dataclass
class Result:
    items: dict[str, float]                      # code -> score
    indicators: dict[int, float]                 # indicator -> score
    indicator_items: dict[int, list[str]]        # indicator -> item codes that made its score
    instruments: dict[str, float]                # IIT/EIT/OIT -> 0-100
    instrument_indicators: dict[str, list[int]]  # instrument -> indicators that made its score
    total: float | None
    total_typed: bool = False                    # True when the total is only the typed one
    grade: str | None = None
    passes: bool | None = None
    verbal: str | None = None
    flags: list[str] = field(default_factory=list)

    def points(self, instrument: str, weights: dict[str, float]) -> float | None:
        score = self.instruments.get(instrument)
        return None if score is None else score * weights[instrument] / 100


def grade_of(total: float | None, framework: Framework) -> tuple[str | None, bool | None]:
    if total is None:
        return None, None
    rounded = round(total, 2)
    for grade, minimum, _ in framework.bands:
        if rounded >= minimum:
            return grade, rounded >= framework.pass_mark
    return None, None


STANDING_HELP = ("ระดับตามเกณฑ์ของปี (AA ≥ 95, A ≥ 85, B ≥ 75, C ≥ 65, D ≥ 55, E ≥ 50, F < 50) "
                 "และผ่านเมื่อคะแนนรวมถึงเกณฑ์ผ่านของปี")


def standing(grade: str | None, passes: bool | None) -> str:
    """The one wording of a result everywhere it is shown: the grade band and pass, 'A (ผ่าน)'."""
    if grade is None and passes is None:
        return "-"
    verdict = "" if passes is None else " (ผ่าน)" if passes else " (ไม่ผ่าน)"
    return f"{grade or '-'}{verdict}"


def verbal_of(total: float | None, instruments: dict[str, float], framework: Framework) -> str | None:
    if total is None:
        return None
    rounded = round(total, 2)
    for level, min_total, min_each in framework.verbal:
        if rounded < min_total:
            continue
        if min_each is not None and (len(instruments) < len(INSTRUMENTS)
                                     or any(round(s, 2) < min_each for s in instruments.values())):
            continue
        return level
    return None


def _typed(scores: pd.DataFrame, level: str) -> dict[str, float]:
    part = scores[scores["level"] == level]
    return {str(c): float(s) for c, s in zip(part["code"], part["score"], strict=True)}


def compute(framework: Framework, scores: pd.DataFrame, overrides: dict[tuple[str, str], float] | None = None
            ) -> Result:
    """Scores (columns level, code, score) -> every level's score, total, grade; typed parts that disagree are flagged.

    `overrides` {(level, code): score} replace an item's score, or an indicator's / instrument's computed score.
    """
    overrides = overrides or {}
    flags: list[str] = []
    items = _typed(scores, "item")
    items.update({code: v for (level, code), v in overrides.items() if level == "item"})
    catalog = framework.items.set_index("code")
    by_indicator: dict[int, list[str]] = {}
    for code in items:
        if code in catalog.index and pd.notna(catalog.loc[code, "indicator"]):
            by_indicator.setdefault(int(catalog.loc[code, "indicator"]), []).append(code)

    typed_ind = {int(k): v for k, v in _typed(scores, "indicator").items()}
    indicators: dict[int, float] = {}
    for ind in sorted(set(by_indicator) | set(typed_ind)):
        if ind in by_indicator:
            codes = sorted(by_indicator[ind], key=_code_order)
            indicators[ind] = sum(items[c] for c in codes) / len(codes)
            by_indicator[ind] = codes
            if ind in typed_ind and abs(typed_ind[ind] - indicators[ind]) > TYPED_TOLERANCE:
                flags.append(f"ตัวชี้วัดที่ {ind}: คะแนนที่กรอก {typed_ind[ind]:.2f} ไม่ตรงกับค่าเฉลี่ยของข้อ "
                             f"{indicators[ind]:.2f} (ระบบใช้ค่าที่คำนวณจากข้อ)")
        else:
            indicators[ind] = typed_ind[ind]
    for (level, code), v in overrides.items():
        if level == "indicator":
            indicators[int(code)] = v

    ind_instrument = dict(zip(framework.indicators["indicator"].astype(int), framework.indicators["instrument"],
                              strict=True))
    typed_ins = _typed(scores, "instrument")
    instruments: dict[str, float] = {}
    instrument_indicators: dict[str, list[int]] = {}
    for instrument in INSTRUMENTS:
        own = [i for i in sorted(indicators) if ind_instrument.get(i) == instrument]
        if own:
            instruments[instrument] = sum(indicators[i] for i in own) / len(own)
            instrument_indicators[instrument] = own
            expected = sorted(i for i, ins in ind_instrument.items() if ins == instrument)
            missing = [i for i in expected if i not in own]
            if missing:
                flags.append(f"{instrument}: ไม่มีคะแนนตัวชี้วัดที่ {', '.join(map(str, missing))} "
                             f"จึงเฉลี่ยจากตัวชี้วัดที่มีคะแนนเท่านั้น")
            if instrument in typed_ins and abs(typed_ins[instrument] - instruments[instrument]) > TYPED_TOLERANCE:
                flags.append(f"{instrument}: คะแนนที่กรอก {typed_ins[instrument]:.2f} ไม่ตรงกับค่าที่คำนวณจากตัวชี้วัด "
                             f"{instruments[instrument]:.2f} (ระบบใช้ค่าที่คำนวณ)")
        elif instrument in typed_ins:
            instruments[instrument] = typed_ins[instrument]
    for (level, code), v in overrides.items():
        if level == "instrument":
            instruments[code] = v

    typed_total = _typed(scores, "total").get("total")
    total: float | None = None
    total_typed = False
    if len(instruments) == len(INSTRUMENTS):
        total = sum(instruments[i] * framework.weights[i] / 100 for i in INSTRUMENTS)
        if typed_total is not None and abs(typed_total - total) > TYPED_TOLERANCE:
            flags.append(f"คะแนนรวมที่กรอก {typed_total:.2f} ไม่ตรงกับคะแนนรวมที่คำนวณ {total:.2f} "
                         "(ระบบใช้ค่าที่คำนวณจากส่วนย่อยตามน้ำหนักของปี)")
    elif typed_total is not None:
        total, total_typed = typed_total, True
        missing = [i for i in INSTRUMENTS if i not in instruments]
        flags.append(f"ไม่มีคะแนน {', '.join(missing)} จึงใช้คะแนนรวมตามที่กรอก ({typed_total:.2f}) โดยตรวจสอบไม่ได้")
    elif instruments:
        missing = [i for i in INSTRUMENTS if i not in instruments]
        flags.append(f"ยังไม่มีคะแนน {', '.join(missing)} จึงคำนวณคะแนนรวมและระดับผลไม่ได้")
    grade, passes = grade_of(total, framework)
    return Result(items=items, indicators=indicators, indicator_items=by_indicator, instruments=instruments,
                  instrument_indicators=instrument_indicators, total=total, total_typed=total_typed,
                  grade=grade, passes=passes, verbal=verbal_of(total, instruments, framework), flags=flags)


def _code_order(code: str) -> tuple[str, int]:
    return code[0], int(code[1:]) if code[1:].isdigit() else 0


def _code_number(code: str) -> int:
    """Sort key: indicators 1-10, then i, e, o items by number."""
    if code.isdigit():
        return int(code)
    return 1000 * (" ieo".find(code[0]) or 9) + (int(code[1:]) if code[1:].isdigit() else 0)


def weight_in_total(result: Result, framework: Framework, level: str, code: str) -> float | None:
    """Points of the total that one point of this score is worth (how the formula spreads the instrument weight)."""
    ind_instrument = dict(zip(framework.indicators["indicator"].astype(int), framework.indicators["instrument"],
                              strict=True))
    if level == "indicator":
        instrument = ind_instrument[int(code)]
        own = result.instrument_indicators.get(instrument, [])
        return framework.weights[instrument] / 100 / len(own) if own else None
    indicator = next((i for i, codes in result.indicator_items.items() if code in codes), None)
    if indicator is None:
        return None
    share = weight_in_total(result, framework, "indicator", str(indicator))
    return None if share is None else share / len(result.indicator_items[indicator])


def gap_table(framework: Framework, scores: pd.DataFrame, target: float) -> pd.DataFrame:
    """Every scored indicator and item: score, target, gap, weight, points the total gains at target.

    Ranked "what to fix first": most points gained, then the largest gap.
    """
    base = compute(framework, scores)
    rows = []
    for ind, score in base.indicators.items():
        rows.append(_gap_row(framework, scores, base, "indicator", str(ind), score, target,
                             framework.indicator_name(ind), ind))
    for code, score in base.items.items():
        indicator = next((i for i, codes in base.indicator_items.items() if code in codes), None)
        rows.append(_gap_row(framework, scores, base, "item", code, score, target, framework.title(code), indicator))
    columns = ["level", "code", "name", "instrument", "indicator", "score", "target", "gap", "weight",
               "points_gain", "weak"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    table["_code"] = table["code"].map(_code_number)
    table = table.sort_values(["points_gain", "gap", "level", "_code"], ascending=[False, False, True, True],
                              na_position="last").drop(columns="_code")
    table.insert(0, "rank", range(1, len(table) + 1))
    return table.reset_index(drop=True)


def _gap_row(framework, scores, base: Result, level, code, score, target, name, indicator) -> dict:
    ind_instrument = dict(zip(framework.indicators["indicator"].astype(int), framework.indicators["instrument"],
                              strict=True))
    gap = max(0.0, target - score)
    gain = None
    if base.total is not None and not base.total_typed:
        gain = 0.0 if gap == 0 else round(compute(framework, scores, {(level, code): target}).total - base.total, 4)
    return {"level": level, "code": code, "name": name,
            "instrument": ind_instrument.get(indicator) if indicator is not None else None,
            "indicator": indicator, "score": score, "target": target, "gap": gap,
            "weight": weight_in_total(base, framework, level, code), "points_gain": gain, "weak": score < target}


def what_if(framework: Framework, scores: pd.DataFrame, fixed: list[tuple[str, str]], target: float,
            set_scores: dict[tuple[str, str], float] | None = None) -> tuple[Result, Result]:
    """The result now and the projected one when `fixed` (level, code) reach `target` and `set_scores` apply."""
    overrides = {key: target for key in fixed}
    overrides.update(set_scores or {})
    return compute(framework, scores), compute(framework, scores, overrides)


def coverage(gaps: pd.DataFrame, links: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Each weak indicator and item with the measures linked to it (links: code, measure_id, seq, title,
    progress_status); an indicator is covered by measures linked to any of its items."""
    rows = []
    items_of = framework.items.dropna(subset=["indicator"]).groupby("indicator")["code"].apply(set).to_dict()
    for gap in gaps[gaps["weak"]].itertuples():
        codes = {gap.code} if gap.level == "item" else items_of.get(int(gap.code), set())
        linked = links[links["code"].isin(codes)].drop_duplicates("measure_id")
        rows.append({"rank": gap.rank, "level": gap.level, "code": gap.code, "name": gap.name,
                     "instrument": gap.instrument, "points_gain": gap.points_gain, "measures": len(linked),
                     "measure_ids": linked["measure_id"].tolist(),
                     "measure_titles": [f"{s}. {t}" for s, t in zip(linked["seq"], linked["title"], strict=True)],
                     "statuses": [x if isinstance(x, str) else "ยังไม่รายงานผล" for x in linked["progress_status"]],
                     "covered": not linked.empty})
    return pd.DataFrame(rows, columns=["rank", "level", "code", "name", "instrument", "points_gain", "measures",
                                       "measure_ids", "measure_titles", "statuses", "covered"])


# -- weak points the documents name, with the measures answering them and their progress --------------------
STATE_NO_MEASURE = "ยังไม่มีมาตรการ"
STATE_NO_PROGRESS = "ยังไม่มีความก้าวหน้า"
STATE_BLOCKED = STATUS_BLOCKED
STATE_IN_PROGRESS = STATUS_IN_PROGRESS
STATE_DONE = STATUS_DONE
# a weak point with no measure, or whose measures show no progress, comes first
STATE_ORDER = {STATE_NO_MEASURE: 0, STATE_NO_PROGRESS: 1, STATE_BLOCKED: 1, STATE_IN_PROGRESS: 2, STATE_DONE: 3}
WEAK_POINT_COLUMNS = ["order", "state", "attention", "level", "code", "instrument", "label", "words", "catalog_title",
                      "named_by_document", "measures", "measure_ids", "statuses", "reports", "score", "target", "gap",
                      "points_gain", "rank"]


def weak_point_state(statuses: list[str | None]) -> str:
    """The state of a weak point from the latest status of each measure answering it (None = no report)."""
    if not statuses:
        return STATE_NO_MEASURE
    if all(s == STATUS_DONE for s in statuses):
        return STATE_DONE
    if any(s in (STATUS_IN_PROGRESS, STATUS_DONE) for s in statuses):
        return STATE_IN_PROGRESS
    if any(s == STATUS_BLOCKED for s in statuses):
        return STATE_BLOCKED
    return STATE_NO_PROGRESS


STATE_COUNTS = (STATE_NO_MEASURE, STATE_NO_PROGRESS, STATE_IN_PROGRESS, STATE_DONE)


def state_counts(weak: pd.DataFrame) -> dict[str, int]:
    """How many weak points are in each state (blocked counts as no progress), in STATE_COUNTS' order."""
    states = weak["state"].replace({STATE_BLOCKED: STATE_NO_PROGRESS}) if len(weak) else pd.Series([], dtype=object)
    return {state: int((states == state).sum()) for state in STATE_COUNTS}


def state_line(weak: pd.DataFrame) -> str:
    """The states of the weak points in one line, as the gap page's figures and the overview say them."""
    return " · ".join(f"{state} {n:,}" for state, n in state_counts(weak).items())


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = " ".join(str(value).split())
    return text or None


def weak_points(links: pd.DataFrame, framework: Framework, gaps: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per weak point of an assessment year: those the organization's documents name (an item code,
    or an instrument and the weakness in the document's words) and, when scores are given (`gaps` from
    gap_table), every item or indicator below its target. Each with the measures answering it, their latest
    status, what the latest reports say, and its state; weak points with no measure or no progress first.

    links: one row per (weak point, measure) as coverage_links gives them: code (None for a weakness without a
    code), instrument, weakness, item_topic, measure_id, seq, title, progress_status, progress_quarter,
    progress_note, progress_origin.
    """
    points: dict[tuple, dict] = {}

    def point(key, **values) -> dict:
        if key not in points:
            points[key] = {"level": key[0], "code": None, "instrument": None, "label": None, "words": None,
                           "catalog_title": None, "named_by_document": False, "_measures": {}, "score": None,
                           "target": None, "gap": None, "points_gain": None, "rank": None, **values}
        return points[key]

    def add_measure(p: dict, row: dict) -> None:
        p["_measures"].setdefault(int(row["measure_id"]), row)

    for row in links.to_dict("records"):
        code = _text(row.get("code"))
        if code:
            p = point(("item", code), code=code, instrument=PREFIX_INSTRUMENT.get(code[0]), label=code,
                      catalog_title=framework.title(code))
            p["words"] = p["words"] or _text(row.get("item_topic")) or _text(row.get("weakness"))
        else:
            weakness = _text(row.get("weakness"))
            if not weakness:
                continue
            instrument = _text(row.get("instrument"))
            p = point(("weakness", instrument, weakness), instrument=instrument, words=weakness,
                      label=f"{instrument or 'ไม่ระบุเครื่องมือ'} (ไม่มีรหัสข้อ)")
        p["named_by_document"] = True
        add_measure(p, row)

    if gaps is not None and not gaps.empty:
        coded = links[links["code"].notna()] if "code" in links else links.iloc[0:0]
        items_of = framework.items.dropna(subset=["indicator"]).groupby("indicator")["code"].apply(set).to_dict()
        for g in gaps.itertuples():
            if g.level == "item":
                key, codes = ("item", g.code), {g.code}
            else:
                key, codes = ("indicator", g.code), items_of.get(int(g.code), set())
            if key not in points and not g.weak:
                continue  # scored at or above target and not named by a document
            p = point(key, code=g.code, instrument=g.instrument,
                      label=g.code if g.level == "item" else f"ตัวชี้วัด {g.code}",
                      catalog_title=g.name if g.level == "item" else framework.indicator_name(int(g.code)))
            p.update(score=g.score, target=g.target, gap=g.gap, points_gain=g.points_gain,
                     rank=g.rank if g.weak else None)
            for row in coded[coded["code"].isin(codes)].to_dict("records"):
                add_measure(p, row)

    rows = []
    for p in points.values():
        measures = sorted(p.pop("_measures").values(), key=lambda r: int(r["seq"]))
        statuses = [_text(m.get("progress_status")) for m in measures]
        state = weak_point_state(statuses)
        rows.append({**p, "state": state, "order": STATE_ORDER[state], "attention": STATE_ORDER[state] <= 1,
                     "measures": [f"{m['seq']}. {_text(m['title'])}" for m in measures],
                     "measure_ids": [int(m["measure_id"]) for m in measures],
                     "statuses": [_status_label(m) for m in measures],
                     "reports": [r for m in measures if (r := _report_label(m))]})
    table = pd.DataFrame(rows, columns=WEAK_POINT_COLUMNS)
    if table.empty:
        return table
    table["_instrument"] = table["instrument"].map({i: n for n, i in enumerate(INSTRUMENTS)}).fillna(9)
    table["_code"] = table["code"].map(lambda c: _code_number(c) if isinstance(c, str) else 99999)
    table["_rank"] = table["rank"].fillna(10**6)
    table = table.sort_values(["order", "_rank", "_instrument", "level", "_code"], kind="stable")
    return table.drop(columns=["_instrument", "_code", "_rank"]).reset_index(drop=True)


def _status_label(measure: dict) -> str:
    status = _text(measure.get("progress_status"))
    if status is None:
        if measure.get("status_question") in (True,):  # numpy or Python True; NaN and None are not
            return f"{measure['seq']}. {NO_REPORT} (เอกสารอ่านสถานะไม่ชัด: รอตอบคำถามที่หน้าเอกสารที่นำเข้า)"
        return f"{measure['seq']}. {NO_REPORT}"
    quarter = measure.get("progress_quarter")
    where = f" ไตรมาส {int(quarter)}" if quarter is not None and quarter == quarter else ""
    return f"{measure['seq']}. {status}{where}"


def _report_label(measure: dict) -> str | None:
    note = _text(measure.get("progress_note"))
    if note is None:
        return None
    origin = " (จากเอกสาร)" if measure.get("progress_origin") == "document" else ""
    return f"{measure['seq']}. {note}{origin}"
