"""A deterministic synthetic dataset for the national-scale benchmark (used by bench/generate).

What it makes, from one seed (numpy PCG64), every table written in bulk (pandas frames registered
with DuckDB, then INSERT ... SELECT; no per-row Python inserts):

- organizations over Thailand's 76 provinces (names from PyThaiNLP; Bangkok dropped, it has no
  อบต./เทศบาล), kinds roughly as in reality (national default: 5,300 อบต., 2,200 เทศบาลตำบล,
  200 เทศบาลเมือง, 30 เทศบาลนคร, 76 อบจ. = 7,806);
- districts: real district lists are not available offline, so they are SYNTHETIC: per province
  "เมือง<จังหวัด>" plus numbered ones "สังเคราะห์ที่ 2", "สังเคราะห์ที่ 3", ... (about one district per
  nine organizations, as in reality: ~880 districts nationally);
- names that cannot be taken for real ones: "อบต.กบ001 (สังเคราะห์)" (kind, province abbreviation,
  number, marker); the full name ends in "(สังเคราะห์)" too, and organization.synthetic is TRUE;
- five fiscal years ending at the as-of date's fiscal year; per organization and year one synthetic
  source document (format/layout 'synthetic', content = the generator's parameters as JSON),
  10-30 plan items (dimension, budget, planned quarters, responsible unit) and 5-15 measures, each
  linked to the organization's weakest-scored ITA items of the previous assessment year (codes from
  ita_item_active of the nearest list year, as lib.ita.catalog.nearest_year decides);
- progress: per planned quarter, reports with realistic delays (an organization-level share never
  reports, some report late, some blocked with a reason from lib.records.BLOCKED_REASONS, some first
  "in progress" then "done"); spent <= budget except a few percent overspent; only reports made on or
  before the as-of date;
- ITA scores per organization and assessment year at item level (items whose indicator is known):
  an organization base of 100 - Gamma(3, 2.65) plus item noise, so most totals fall in 80-98 and about
  6% fail the 85 pass mark. Totals are not stored: the ITA code computes them from items.

One synthetic_dataset row and one history row record the run (seed, size, counts, fingerprint).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import numpy as np
import pandas as pd

from lib.ita.catalog import nearest_year
from lib.records import (
    BLOCKED_REASONS,
    ITEM_TYPES,
    STATUS_BLOCKED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
)
from lib.store import Store, StoreError, summaries
from lib.thai import fiscal_year_of, quarter_bounds

GENERATOR = "bench/generate"
MARK = "(สังเคราะห์)"
ACTOR = "bench/generate (ข้อมูลสังเคราะห์)"
# kind, short prefix, full-name prefix, national count
KINDS = (("อบต.", "อบต.", "องค์การบริหารส่วนตำบล", 5300),
         ("เทศบาลตำบล", "ทต.", "เทศบาลตำบล", 2200),
         ("เทศบาลเมือง", "ทม.", "เทศบาลเมือง", 200),
         ("เทศบาลนคร", "ทน.", "เทศบาลนคร", 30))
PAO = ("อบจ.", "อบจ.", "องค์การบริหารส่วนจังหวัด")  # one per province
NATIONAL = sum(k[3] for k in KINDS) + 76
ORGS_PER_DISTRICT = 9
YEARS = 5

# planned quarter sets and how often a plan item has each (one quarter, all year, two, three)
QUARTER_SETS = ((1,), (2,), (3,), (4,), (1, 2, 3, 4), (1, 2), (2, 3), (3, 4), (2, 3, 4))
QUARTER_SET_P = (0.16, 0.14, 0.12, 0.08, 0.26, 0.06, 0.08, 0.06, 0.04)
DIMENSION_P = (0.28, 0.36, 0.22, 0.14)
ITEM_TYPE_P = (0.5, 0.3, 0.15, 0.05)
UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "กองสวัสดิการสังคม",
         "หน่วยตรวจสอบภายใน", "งานการเจ้าหน้าที่")
PLAN_TITLES = {
    1: ("โครงการอบรมคุณธรรมจริยธรรมแก่ผู้บริหารและพนักงาน", "กิจกรรมประกาศเจตจำนงสุจริตของผู้บริหาร",
        "โครงการส่งเสริมการปฏิบัติงานตามประมวลจริยธรรม", "กิจกรรมเสริมสร้างค่านิยมต่อต้านการทุจริตในโรงเรียน",
        "โครงการปลูกจิตสำนึกรักท้องถิ่นและความซื่อสัตย์"),
    2: ("มาตรการจัดทำแผนการจัดซื้อจัดจ้างและเปิดเผยต่อสาธารณะ", "กิจกรรมตรวจสอบการใช้จ่ายงบประมาณรายไตรมาส",
        "มาตรการป้องกันการรับสินบนในการอนุมัติอนุญาต", "โครงการจัดทำคู่มือการปฏิบัติงานเพื่อลดดุลยพินิจ",
        "มาตรการจัดการเรื่องร้องเรียนการทุจริต", "กิจกรรมควบคุมการใช้ทรัพย์สินของราชการ"),
    3: ("โครงการเผยแพร่ข้อมูลข่าวสารผ่านเว็บไซต์หน่วยงาน", "กิจกรรมประชุมประชาคมหมู่บ้านเพื่อจัดทำแผนพัฒนา",
        "มาตรการเปิดช่องทางรับฟังความคิดเห็นของประชาชน", "โครงการศูนย์ข้อมูลข่าวสารของราชการ",
        "กิจกรรมรายงานผลการดำเนินงานประจำปีต่อสาธารณะ"),
    4: ("กิจกรรมจัดทำแผนการตรวจสอบภายในประจำปี", "โครงการส่งเสริมบทบาทสภาท้องถิ่นในการตรวจสอบ",
        "มาตรการให้ประชาชนมีส่วนร่วมตรวจสอบการจัดซื้อจัดจ้าง", "กิจกรรมรายงานการควบคุมภายใน"),
}
MEASURE_TITLES = {
    "IIT": ("ประชุมชี้แจงแนวทางปฏิบัติเพื่อยกระดับ", "จัดทำคู่มือและแนวปฏิบัติสำหรับ", "อบรมบุคลากรเรื่อง"),
    "EIT": ("ปรับปรุงช่องทางให้บริการตาม", "สำรวจความพึงพอใจผู้รับบริการตาม", "ประชาสัมพันธ์ขั้นตอนการให้บริการตาม"),
    "OIT": ("เผยแพร่ข้อมูลบนเว็บไซต์ตาม", "ตรวจสอบความครบถ้วนของข้อมูลสาธารณะตาม", "จัดทำรายงานและเผยแพร่ตาม"),
}
# the final report of a planned quarter, when there is one
FINAL_STATUS = (STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED, STATUS_BLOCKED)
FINAL_STATUS_P = (0.75, 0.14, 0.07, 0.04)


def parse_size(size: str) -> tuple[str, int]:
    """'national' | 'province' | N -> (label, organization count; 0 = one province's share)."""
    if size == "national":
        return "national", NATIONAL
    if size == "province":
        return "province", 0
    try:
        n = int(size)
    except ValueError:
        raise StoreError(f"ขนาด '{size}' ต้องเป็น national, province หรือจำนวนหน่วยงาน") from None
    if not 1 <= n <= 100_000:
        raise StoreError("จำนวนหน่วยงานต้องอยู่ระหว่าง 1 ถึง 100,000")
    return str(n), n


def provinces() -> pd.DataFrame:
    from pythainlp.corpus.common import provinces as thai_provinces

    rows = [(p["name_th"], p["abbr_th"]) for p in thai_provinces(details=True) if p["name_th"] != "กรุงเทพมหานคร"]
    return pd.DataFrame(sorted(rows), columns=["province", "abbr"])


def _largest_remainder(total: int, weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(-(exact - counts), kind="stable")[: total - counts.sum()]] += 1
    return counts


def make_organizations(rng: np.random.Generator, size: str) -> pd.DataFrame:
    label, n = parse_size(size)
    prov = provinces()
    if label == "province":
        prov = prov.iloc[[rng.integers(len(prov))]].reset_index(drop=True)
        n = round(NATIONAL / 76)
        n_pao = 1
    elif label == "national":
        n_pao = 76
    else:
        n_pao = min(76, round(n * 76 / NATIONAL))
    kind_counts = _largest_remainder(n - n_pao, [k[3] for k in KINDS])
    kinds = np.repeat(np.arange(len(KINDS)), kind_counts)
    rng.shuffle(kinds)
    # provinces differ in size (as Nakhon Ratchasima and Samut Songkhram do)
    weights = rng.lognormal(0.0, 0.5, len(prov))
    per_province = rng.multinomial(len(kinds), weights / weights.sum())
    prov_index = np.repeat(np.arange(len(prov)), per_province)
    pao_prov = np.sort(rng.choice(len(prov), size=n_pao, replace=False)) if n_pao < len(prov) else np.arange(len(prov))
    orgs = pd.DataFrame({"prov": np.concatenate([prov_index, pao_prov]),
                         "kind_no": np.concatenate([kinds, np.full(n_pao, len(KINDS))])})
    orgs = orgs.sort_values(["prov", "kind_no"], kind="stable").reset_index(drop=True)
    orgs["province"] = prov["province"].to_numpy()[orgs["prov"]]
    orgs["abbr"] = prov["abbr"].to_numpy()[orgs["prov"]]
    orgs["number"] = orgs.groupby(["prov", "kind_no"]).cumcount() + 1
    all_kinds = [*[k[:3] for k in KINDS], PAO]
    orgs["kind"] = [all_kinds[k][0] for k in orgs["kind_no"]]
    short = np.array([k[1] for k in all_kinds])[orgs["kind_no"]]
    full = np.array([k[2] for k in all_kinds])[orgs["kind_no"]]
    is_pao = orgs["kind_no"].to_numpy() == len(KINDS)
    local = orgs["abbr"] + orgs["number"].map("{:03d}".format)
    orgs["short_name"] = np.where(is_pao, short + orgs["province"], short + local) + " " + MARK
    orgs["name"] = np.where(is_pao, full + orgs["province"], full + local) + " " + MARK
    # synthetic districts: about one per ORGS_PER_DISTRICT organizations; the first is the province's เมือง
    sizes = orgs.groupby("prov")["prov"].transform("size")
    n_districts = np.maximum(1, np.round(sizes / ORGS_PER_DISTRICT)).astype(int)
    draw = rng.random(len(orgs))
    # district 1 (เมือง) is twice as likely; the นคร/เมือง municipalities sit in it
    k = np.floor(draw * (n_districts + 1)).astype(int)
    k = np.where(k <= 1, 1, k)
    k = np.where(orgs["kind"].isin(["เทศบาลนคร", "เทศบาลเมือง", "อบจ."]), 1, k)
    orgs["district"] = np.where(k == 1, "เมือง" + orgs["province"], "สังเคราะห์ที่ " + pd.Series(k).astype(str))
    # how diligently each organization reports (share of planned quarters never reported)
    orgs["never_share"] = rng.beta(1.2, 9.0, len(orgs))
    orgs["base_score"] = 100 - rng.gamma(3.0, 2.65, len(orgs))
    return orgs[["name", "short_name", "kind", "district", "province", "never_share", "base_score"]]


def _quarter_calendar(years: list[int]) -> pd.DataFrame:
    rows = [(fy, q, *quarter_bounds(fy, q)) for fy in years for q in (1, 2, 3, 4)]
    return pd.DataFrame(rows, columns=["fiscal_year", "quarter", "q_start", "q_end"])


def make_scores(rng, orgs: pd.DataFrame, frameworks: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Item scores per organization and assessment year (items whose indicator is known)."""
    parts = []
    for year, items in sorted(frameworks.items()):
        scored = items[items["indicator"].notna()]
        base = orgs["base_score"].to_numpy() + 0.6 * (year - 2567) + rng.normal(0, 1.5, len(orgs))
        n_items = len(scored)
        score = np.repeat(base, n_items) + 1.5 + rng.normal(0, 5.0, len(orgs) * n_items)
        parts.append(pd.DataFrame({"org": np.repeat(np.arange(len(orgs)), n_items), "framework_year": year,
                                   "code": np.tile(scored["code"].to_numpy(), len(orgs)),
                                   "instrument": np.tile(scored["instrument"].to_numpy(), len(orgs)),
                                   "score": np.round(np.clip(score, 0, 100), 2)}))
    return pd.concat(parts, ignore_index=True)


def make_plan_items(rng, org_years: pd.DataFrame, seed: int) -> pd.DataFrame:
    n = rng.integers(10, 31, len(org_years))
    items = org_years.loc[org_years.index.repeat(n)].reset_index(drop=True)
    items["seq"] = items.groupby(["org", "fiscal_year"]).cumcount() + 1
    m = len(items)
    items["dimension"] = rng.choice([1, 2, 3, 4], size=m, p=DIMENSION_P)
    items["item_type"] = np.array(ITEM_TYPES)[rng.choice(len(ITEM_TYPES), size=m, p=ITEM_TYPE_P)]
    pick = rng.random(m)
    titles = np.empty(m, dtype=object)
    for dim, options in PLAN_TITLES.items():
        mask = items["dimension"].to_numpy() == dim
        titles[mask] = np.array(options, dtype=object)[(pick[mask] * len(options)).astype(int)]
    items["title"] = titles
    budget = np.round(np.clip(rng.lognormal(np.log(40_000), 1.0, m), 1_000, 3_000_000), -3)
    items["budget"] = np.where(rng.random(m) < 0.35, 0.0, budget)
    items["qset"] = rng.choice(len(QUARTER_SETS), size=m, p=QUARTER_SET_P)
    items["responsible"] = np.array(UNITS)[rng.integers(0, len(UNITS), m)]
    items["source_excerpt"] = f"ข้อมูลสังเคราะห์ ({GENERATOR} seed={seed})"
    return items


def make_measures(rng, org_years: pd.DataFrame, scores: pd.DataFrame, frameworks: dict[int, pd.DataFrame],
                  seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Measures of fiscal year Y answer the organization's weakest items of assessment year Y-1."""
    n = pd.Series(rng.integers(5, 16, len(org_years)), index=org_years.index)
    ranked = scores.assign(fiscal_year=scores["framework_year"] + 1,
                           key=scores["score"] + rng.normal(0, 4.0, len(scores)))
    ranked = ranked.merge(org_years.assign(n=n)[["org", "fiscal_year", "n"]], on=["org", "fiscal_year"])
    ranked = ranked.sort_values(["org", "fiscal_year", "key", "code"], kind="stable")
    ranked["rank"] = ranked.groupby(["org", "fiscal_year"]).cumcount()
    first = ranked[ranked["rank"] < ranked["n"]].copy()
    first["seq"] = first["rank"] + 1
    # about 30% of measures also serve a second weak item
    second = ranked[(ranked["rank"] >= ranked["n"]) & (ranked["rank"] < 2 * ranked["n"])].copy()
    second["seq"] = second["rank"] - second["n"] + 1
    second = second[rng.random(len(second)) < 0.3]
    links = pd.concat([first, second])[["org", "fiscal_year", "framework_year", "seq", "code"]]
    links = links.sort_values(["org", "fiscal_year", "seq", "code"], kind="stable").reset_index(drop=True)

    measures = first[["org", "fiscal_year", "seq", "code", "instrument"]].reset_index(drop=True)
    m = len(measures)
    titles = np.empty(m, dtype=object)
    pick = rng.random(m)
    for instrument, options in MEASURE_TITLES.items():
        mask = measures["instrument"].to_numpy() == instrument
        titles[mask] = np.array(options, dtype=object)[(pick[mask] * len(options)).astype(int)]
    measures["title"] = titles + "ข้อ " + measures["code"]
    topics = pd.concat([f.assign(framework_year=y)[["framework_year", "code", "title"]]
                        for y, f in frameworks.items()]).rename(columns={"title": "item_topic"})
    measures = measures.merge(topics.assign(fiscal_year=topics["framework_year"] + 1)
                              .drop(columns="framework_year"), on=["fiscal_year", "code"], how="left")
    measures["qset"] = rng.choice(len(QUARTER_SETS), size=m, p=QUARTER_SET_P)
    measures["responsible"] = np.array(UNITS)[rng.integers(0, len(UNITS), m)]
    measures["source_excerpt"] = f"ข้อมูลสังเคราะห์ ({GENERATOR} seed={seed})"
    measures = measures.drop(columns="code").sort_values(["org", "fiscal_year", "seq"]).reset_index(drop=True)
    return measures, links


def make_progress(rng, records: pd.DataFrame, orgs: pd.DataFrame, as_of: dt.date,
                  years: list[int]) -> pd.DataFrame:
    """records: kind, org, fiscal_year, seq, qset, budget (0 for measures). One row per report."""
    qsets = pd.DataFrame([(i, q, len(qs)) for i, qs in enumerate(QUARTER_SETS) for q in qs],
                         columns=["qset", "quarter", "n_quarters"])
    planned = records.merge(qsets, on="qset").merge(_quarter_calendar(years), on=["fiscal_year", "quarter"])
    planned = planned.sort_values(["kind", "org", "fiscal_year", "seq", "quarter"], kind="stable")
    planned = planned.reset_index(drop=True)
    m = len(planned)
    never = rng.random(m) < orgs["never_share"].to_numpy()[planned["org"]]
    # days after the quarter's end: most report within a month, a tail months late, some during the quarter
    delay = np.round(rng.gamma(2.0, 12.0, m) - 18).astype(int)
    hour = rng.integers(8, 17, m)
    q_end = pd.to_datetime(planned["q_end"])
    reported_at = q_end + pd.to_timedelta(delay, unit="D") + pd.to_timedelta(hour, unit="h")
    status = np.array(FINAL_STATUS, dtype=object)[rng.choice(len(FINAL_STATUS), size=m, p=FINAL_STATUS_P)]
    share = rng.uniform(0.55, 1.0, m)
    share = np.where(rng.random(m) < 0.03, rng.uniform(1.0, 1.15, m), share)  # a few overspend
    per_quarter = planned["budget"].to_numpy() / planned["n_quarters"].to_numpy()
    spent = np.where(status == STATUS_DONE, per_quarter * share,
                     np.where(status == STATUS_IN_PROGRESS, per_quarter * share * 0.5, 0.0))
    reason = np.where(status == STATUS_BLOCKED,
                      np.array(BLOCKED_REASONS, dtype=object)[rng.integers(0, len(BLOCKED_REASONS), m)], None)
    final = planned[["kind", "org", "fiscal_year", "seq", "quarter"]].assign(
        status=status, reason=reason, spent=np.where(planned["budget"].to_numpy() > 0, np.round(spent, 2), np.nan),
        reported_at=reported_at)[~never]
    # a quarter of the done ones were first reported "in progress" a few weeks earlier
    early = final[(final["status"] == STATUS_DONE) & (rng.random(len(final)) < 0.25)].copy()
    early["reported_at"] = early["reported_at"] - pd.to_timedelta(rng.integers(15, 60, len(early)), unit="D")
    early["status"] = STATUS_IN_PROGRESS
    early["spent"] = np.round(early["spent"] * 0.4, 2)
    reports = pd.concat([final, early], ignore_index=True)
    reports = reports[reports["reported_at"] <= pd.Timestamp(as_of)]
    return reports.sort_values(["reported_at", "kind", "org", "fiscal_year", "seq", "quarter"],
                               kind="stable").reset_index(drop=True)


def fingerprint(frames: dict[str, pd.DataFrame]) -> str:
    """sha256 over the generated rows (natural keys only, no database ids): same seed -> same value."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name]
        digest.update(name.encode() + b"\0" + ",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def generate(store: Store, size: str = "national", seed: int = 7, as_of: dt.date | None = None) -> dict:
    """Write a synthetic dataset into `store` in one transaction; returns the synthetic_dataset row as a dict."""
    started = time.perf_counter()
    if store.query_rows("SELECT count(*) FROM synthetic_dataset")[0][0]:
        raise StoreError("ฐานข้อมูลนี้มีข้อมูลสังเคราะห์อยู่แล้ว กรุณาสร้างในไฟล์ฐานข้อมูลใหม่")
    label, _ = parse_size(size)
    as_of = as_of or dt.date.today()
    last_year = fiscal_year_of(as_of)
    years = list(range(last_year - YEARS + 1, last_year + 1))
    rng = np.random.Generator(np.random.PCG64(seed))
    params = {"generator": GENERATOR, "seed": seed, "size": label, "as_of": as_of.isoformat(),
              "fiscal_years": years}

    orgs = make_organizations(rng, label)
    known = [r[0] for r in store.query_rows("SELECT DISTINCT framework_year FROM ita_item_active ORDER BY 1")]
    if not known:
        raise StoreError("ยังไม่มีบัญชีข้อคำถาม ITA ในฐานข้อมูล")
    frameworks = {}
    for fy in years:
        list_year = nearest_year(fy - 1, known)
        frameworks[fy - 1] = store.query_df(
            "SELECT code, instrument, indicator, title FROM ita_item_active WHERE framework_year = ? "
            "ORDER BY instrument, regexp_extract(code, '\\d+')::INTEGER", [list_year])
    scores = make_scores(rng, orgs, frameworks)
    org_years = pd.DataFrame({"org": np.repeat(np.arange(len(orgs)), len(years)),
                              "fiscal_year": np.tile(years, len(orgs))})
    items = make_plan_items(rng, org_years, seed)
    measures, links = make_measures(rng, org_years, scores, frameworks, seed)
    records = pd.concat([items[["org", "fiscal_year", "seq", "qset", "budget"]].assign(kind="plan_item"),
                         measures[["org", "fiscal_year", "seq", "qset"]].assign(kind="measure", budget=0.0)],
                        ignore_index=True)
    reports = make_progress(rng, records, orgs, as_of, years)

    calendar = _quarter_calendar(years)
    spans = pd.DataFrame([(i, min(qs), max(qs)) for i, qs in enumerate(QUARTER_SETS)],
                         columns=["qset", "first_q", "last_q"])
    qstart = calendar.rename(columns={"quarter": "first_q", "q_start": "period_start"})[
        ["fiscal_year", "first_q", "period_start"]]
    qend = calendar.rename(columns={"quarter": "last_q", "q_end": "period_end"})[
        ["fiscal_year", "last_q", "period_end"]]

    def with_period(frame: pd.DataFrame) -> pd.DataFrame:
        return (frame.merge(spans, on="qset").merge(qstart, on=["fiscal_year", "first_q"])
                .merge(qend, on=["fiscal_year", "last_q"]).sort_values(["org", "fiscal_year", "seq"])
                .reset_index(drop=True))

    items, measures = with_period(items), with_period(measures)
    docs = org_years.copy()
    docs["name"] = orgs["name"].to_numpy()[docs["org"]]
    docs["content"] = [json.dumps({**params, "organization": n, "fiscal_year": int(y)}, ensure_ascii=False)
                       for n, y in zip(docs["name"], docs["fiscal_year"], strict=True)]
    docs["sha256"] = [hashlib.sha256(c.encode("utf-8")).hexdigest() for c in docs["content"]]
    docs["file_name"] = "synthetic-" + docs["sha256"].str[:12] + ".json"
    frames = {"organization": orgs, "plan_item": items, "measure": measures, "measure_item_link": links,
              "progress": reports, "ita_score": scores}
    counts = {"organization": len(orgs), "source_document": len(docs), "plan_item": len(items),
              "measure": len(measures), "measure_item_link": len(links), "progress": len(reports),
              "ita_score": len(scores)}
    _write(store, params, orgs, docs, items, measures, links, reports, scores)
    seconds = round(time.perf_counter() - started, 2)
    now = dt.datetime.now().replace(microsecond=0)
    row = {"generator": GENERATOR, "seed": seed, "size": label, "as_of": as_of, "parameters": params,
           "counts": counts, "fingerprint": fingerprint(frames), "generated_at": now, "seconds": seconds}
    with store.transaction() as cur:
        dataset_id = cur.execute(
            "INSERT INTO synthetic_dataset (generator, seed, size, as_of, parameters, counts, fingerprint, "
            "generated_at, seconds) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
            [GENERATOR, seed, label, as_of, json.dumps(params, ensure_ascii=False), json.dumps(counts),
             row["fingerprint"], now, seconds]).fetchone()[0]
        cur.execute("INSERT INTO history (changed_at, actor, action, table_name, record_id, new_value) "
                    "VALUES (?, ?, 'generate_synthetic', 'synthetic_dataset', ?, ?)",
                    [now, ACTOR, dataset_id, json.dumps({**params, "counts": counts,
                                                         "fingerprint": row["fingerprint"]}, ensure_ascii=False)])
    return {"id": dataset_id, **row}


def _write(store: Store, params, orgs, docs, items, measures, links, reports, scores) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    qsets = pd.DataFrame({"qset": range(len(QUARTER_SETS)), "quarters": [list(q) for q in QUARTER_SETS]})
    with store.transaction() as cur:
        def put(name: str, frame: pd.DataFrame) -> None:
            cur.register(name, frame)

        put("g_org", orgs.reset_index(names="org"))
        cur.execute("INSERT INTO organization (name, short_name, kind, district, province, website, "
                    "location_confirmed, synthetic) SELECT name, short_name, kind, district, province, NULL, "
                    "TRUE, TRUE FROM g_org ORDER BY org")
        cur.execute("CREATE TEMP TABLE g_org_id AS SELECT g.org, o.id FROM g_org g JOIN organization o USING (name)")
        put("g_doc", docs)
        cur.execute(
            "INSERT INTO source_document (file_name, sha256, format, layout, layout_label, kind, title, "
            "organization_id, fiscal_year, framework_year, content, imported_at, imported_by) "
            "SELECT d.file_name, d.sha256, 'synthetic', 'synthetic', 'ข้อมูลสังเคราะห์ (bench/generate)', 'plan', "
            "'ข้อมูลสังเคราะห์: แผนปฏิบัติการและมาตรการ ปีงบประมาณ ' || d.fiscal_year, o.id, d.fiscal_year, "
            "d.fiscal_year - 1, encode(d.content), ?, ? FROM g_doc d JOIN g_org_id o USING (org) "
            "ORDER BY d.org, d.fiscal_year", [now, ACTOR])
        cur.execute("CREATE TEMP TABLE g_doc_id AS SELECT g.org, g.fiscal_year, s.id AS document_id, o.id AS "
                    "organization_id FROM g_doc g JOIN source_document s USING (sha256) JOIN g_org_id o USING (org)")
        put("g_qset", qsets)
        put("g_item", items)
        cur.execute(
            "INSERT INTO plan_item (organization_id, fiscal_year, seq, title, item_type, dimension, budget, "
            "quarters, period_start, period_end, responsible, document_id, source_excerpt) "
            "SELECT d.organization_id, i.fiscal_year, i.seq, i.title, i.item_type, i.dimension, i.budget, "
            "q.quarters::INTEGER[], i.period_start, i.period_end, i.responsible, d.document_id, i.source_excerpt "
            "FROM g_item i JOIN g_doc_id d USING (org, fiscal_year) JOIN g_qset q USING (qset) "
            "ORDER BY i.org, i.fiscal_year, i.seq")
        put("g_measure", measures)
        cur.execute(
            "INSERT INTO measure (organization_id, fiscal_year, seq, title, instrument, item_topic, responsible, "
            "period_start, period_end, quarters, links, document_id, source_excerpt) "
            "SELECT d.organization_id, m.fiscal_year, m.seq, m.title, m.instrument, m.item_topic, m.responsible, "
            "m.period_start, m.period_end, q.quarters::INTEGER[], []::VARCHAR[], d.document_id, m.source_excerpt "
            "FROM g_measure m JOIN g_doc_id d USING (org, fiscal_year) JOIN g_qset q USING (qset) "
            "ORDER BY m.org, m.fiscal_year, m.seq")
        cur.execute("CREATE TEMP TABLE g_record_id AS "
                    "SELECT 'plan_item' AS kind, d.org, d.fiscal_year, p.seq, p.id FROM plan_item p "
                    "JOIN g_doc_id d USING (document_id) UNION ALL "
                    "SELECT 'measure', d.org, d.fiscal_year, m.seq, m.id FROM measure m JOIN g_doc_id d USING (document_id)")
        put("g_link", links)
        cur.execute("INSERT INTO measure_item_link SELECT r.id, l.framework_year, l.code, 'document', 'as_read' "
                    "FROM g_link l JOIN g_record_id r ON r.kind = 'measure' AND r.org = l.org "
                    "AND r.fiscal_year = l.fiscal_year AND r.seq = l.seq ORDER BY r.id, l.code")
        put("g_progress", reports.reset_index(names="n"))
        cur.execute(
            "INSERT INTO progress (record_kind, record_id, fiscal_year, quarter, status, reason, spent, reported_at, "
            "reported_by) SELECT g.kind, r.id, g.fiscal_year, g.quarter, g.status, g.reason, g.spent, "
            "g.reported_at, 'ผู้รายงาน (สังเคราะห์)' FROM g_progress g JOIN g_record_id r USING (kind, org, "
            "fiscal_year, seq) ORDER BY g.n")
        content = json.dumps(params, ensure_ascii=False).encode("utf-8")
        upload_id = cur.execute(
            "INSERT INTO ita_upload (kind, file_name, sha256, content, rows_written, rows_skipped, imported_at, "
            "imported_by) VALUES ('scores', 'synthetic-scores (bench/generate)', ?, ?, ?, 0, ?, ?) RETURNING id",
            [hashlib.sha256(content).hexdigest(), content, len(scores), now, ACTOR]).fetchone()[0]
        put("g_score", scores)
        cur.execute("INSERT INTO ita_score SELECT o.id, s.framework_year, 'item', s.code, s.score, ? "
                    "FROM g_score s JOIN g_org_id o USING (org)", [upload_id])
        for name in ("g_org", "g_doc", "g_qset", "g_item", "g_measure", "g_link", "g_progress", "g_score"):
            cur.unregister(name)
        for name in ("g_org_id", "g_doc_id", "g_record_id"):
            cur.execute(f"DROP TABLE {name}")
        summaries.rebuild(cur)  # written without per-record history, so the transaction cannot see what changed


def summary(store: Store) -> dict:
    """What the database holds of synthetic data, including the share of organization-years below 85."""
    totals = store.query_rows("""
        WITH ind AS (
            SELECT s.organization_id, s.framework_year, i.instrument, i.indicator, avg(s.score) AS score
            FROM ita_score s JOIN organization o ON o.id = s.organization_id AND o.synthetic
            JOIN ita_item_active i ON i.code = s.code AND i.framework_year =
                 (SELECT max(framework_year) FROM ita_item_active WHERE framework_year <= s.framework_year)
            WHERE s.level = 'item' GROUP BY ALL),
        ins AS (SELECT organization_id, framework_year, instrument, avg(score) AS score FROM ind GROUP BY ALL),
        tot AS (SELECT organization_id, framework_year,
                       sum(score * CASE instrument WHEN 'OIT' THEN 0.4 ELSE 0.3 END) AS total FROM ins GROUP BY ALL)
        SELECT count(*), avg(total), quantile_cont(total, 0.1), quantile_cont(total, 0.9),
               avg((total < 85)::INTEGER) FROM tot""")[0]
    return {"organization_years_scored": totals[0], "mean_total": totals[1], "p10_total": totals[2],
            "p90_total": totals[3], "share_below_85": totals[4]}
