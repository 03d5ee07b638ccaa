"""A document's identity and the difference between two versions of it (pure, no database).

A document is identified by what it says, not by its bytes: the organization, fiscal year and kind,
and every record with its fields, strings compared without whitespace. So the same text saved with
Windows line ends, with a BOM, as Word, as PDF (whose text layer splits sara am and reorders marks)
or as text copied with spaces is the same document,
and importing it again adds nothing. Another document for the same organization, fiscal year and
kind (a revised plan) is a version of it: `compare` says what it adds, removes and changes.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lib.records import ParsedDocument, to_jsonable
from lib.thai import repair_pdf_text

_IGNORED = {"source_excerpt", "reports"}  # where a record was found and what is derived from its fields
FIELD_LABELS = {
    "seq": "ลำดับ", "title": "ชื่อ", "dimension": "มิติ", "budget": "งบประมาณ", "quarters": "ไตรมาส",
    "responsible": "ผู้รับผิดชอบ", "period_text": "ระยะเวลา", "start": "วันเริ่ม", "end": "วันสิ้นสุด",
    "result": "ผลการดำเนินการ", "outcome": "ผลลัพธ์", "steps": "ขั้นตอน", "instrument": "เครื่องมือ",
    "item_codes": "ข้อคำถาม ITA", "item_type": "ประเภท", "remark": "หมายเหตุ", "category": "หมวด",
}


def normalised(value):
    """A record's value as documents are told apart: strings without whitespace, Thai repaired."""
    if isinstance(value, str):
        # whitespace, and Thai as a PDF's text layer damages it (split sara am, marks out of order)
        return repair_pdf_text(re.sub(r"\s+", "", value)).replace("\u0e4d\u0e32", "\u0e33")
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


def _strings(value, found: list[str]) -> None:
    """Append every string of `value` (in normalised's order) to `found`, whitespace taken out."""
    if isinstance(value, str):
        found.append(_WHITESPACE.sub("", value))
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _IGNORED:
                _strings(v, found)
    elif isinstance(value, list):
        for v in value:
            _strings(v, found)


def _put(value, repaired: Iterator[str]):
    """`value` as normalised gives it, its strings taken in order from `repaired`."""
    if isinstance(value, str):
        return next(repaired)
    if isinstance(value, dict):
        return {k: _put(v, repaired) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, list):
        return [_put(v, repaired) for v in value]
    return value


_WHITESPACE = re.compile(r"\s+")


# between two strings repaired as one text: a line break (the whitespace taken out leaves none in them)
# and a ฤ, which no repair moves or joins to its neighbours and which keeps a lakkhangyao opening the
# next string from becoming sara aa, as at a string's start
_BETWEEN = "\n\u0e24"


def _norm_all(values: list) -> list:
    """[normalised(v) for v in values], with the strings repaired in one pass (a call per string cost most
    of a content identity)."""
    found: list[str] = []
    for v in values:
        _strings(v, found)
    repaired = repair_pdf_text(_BETWEEN.join(found)).replace("\u0e4d\u0e32", "\u0e33").split(_BETWEEN)
    if len(repaired) != len(found):  # a repair that changed a separator: the one-by-one way
        return [normalised(v) for v in values]
    pieces = iter(repaired)
    return [_put(v, pieces) for v in values]


def records(doc: ParsedDocument) -> list[dict]:
    return _norm_all([to_jsonable(r) for r in (doc.plan_items if doc.kind == "plan" else doc.measures)])


def content_key(doc: ParsedDocument) -> str:
    """The identity of what a document says (same key: same document, whatever its format)."""
    body = {"organization": doc.organization.name if doc.organization else None,
            "fiscal_year": doc.fiscal_year, "kind": doc.kind, "records": records(doc)}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# Where a reading is unsure, as its questions name it: the record (by its number, or by the line it
# was read from) and the fields the reading may have got wrong there; LEFT_OUT: any of its fields may
# lack text (lines the reader could not place were left out), none may hold other text.
LEFT_OUT = "left_out"
PERIOD_FIELDS = frozenset({"period_text", "start", "end", "quarters", "recurrence", "period_source"})
ROLE_FIELDS = {  # a cell whose text is in doubt (row.split:<line>:<role>, table.tab_unsure:<line>:<role>+<role>)
    "responsible": frozenset({"responsible"}), "steps": frozenset({"steps"}), "outcome": frozenset({"outcome"}),
    "result": frozenset({"result"}), "monitoring": frozenset({"monitoring"}),
    "weakness": frozenset({"weakness", "title"}),  # the title when the table has no measure column
    "measure": frozenset({"title"}), "topic": frozenset({"item_codes", "item_topic", "instrument"}),
    "period": PERIOD_FIELDS,
}
_DETAIL_FIELDS = PERIOD_FIELDS | {"detail_seq", "rationale", "objectives", "target_group", "method", "budget_text",
                                  "responsible", "outputs", "outcomes"}
_OCR_VALUES = PERIOD_FIELDS | {"budget", "budget_text", "item_codes", "category", "category_no"}
_UNSURE = (  # subject -> ('line' or 'seq', its fields: a set, LEFT_OUT, or None for ROLE_FIELDS of group 2)
    (re.compile(r"(?:row\.split|table\.tab_unsure):(\d+):([\w+]+)"), "line", None),
    (re.compile(r"(?:cells\.unplaced|table\.rows_unchecked):(\d+)"), "line", LEFT_OUT),
    (re.compile(r"(?:ocr:)?period:(\d+)"), "seq", PERIOD_FIELDS),
    (re.compile(r"ocr:code:(\d+)"), "seq", frozenset({"item_codes"})),
    (re.compile(r"ocr:budget:(\d+)"), "seq", frozenset({"budget", "budget_text"})),
    (re.compile(r"ocr:quarter:(\d+)"), "seq", frozenset({"quarters"})),
    (re.compile(r"(?:ocr:detail|detail\.unmatched):(\d+)"), "seq", _DETAIL_FIELDS),
    (re.compile(r"ocr:(?:โครงการลำดับ|มาตรการที่) (\d+):"), "seq", _OCR_VALUES),
)


def _role_fields(roles: str) -> set[str]:
    """The record's fields read from these cells ('result+outcome'), with the links any text cell may hold."""
    fields = {name for role in roles.split("+") for name in ROLE_FIELDS.get(role, ())}
    return fields | {"links"} if fields - PERIOD_FIELDS else fields


@dataclass
class Unsure:
    """What a reading's questions say may be wrong in one record."""
    fields: set[str] = field(default_factory=set)  # may hold anything
    left_out: bool = False  # any field may lack text

    @property
    def asked(self) -> bool:
        """A question is about the record (a record one reading has and another has not is asked
        about when it is)."""
        return bool(self.fields) or self.left_out

    def covers(self, name: str, got, want) -> bool:
        """The record's field `name` may read `got` where another reading of it has `want`: a question
        names the field, or says text was left out and `got` is `want` with text left out."""
        return name in self.fields or (self.left_out and left_out(got, want))


_RUNS_ON = re.compile(r"ข้อความต่อจากแถว '([^']*?)…?'")


def _squash(text: str) -> str:
    return _WHITESPACE.sub("", re.sub(r"<[^>]+>", "", text))


def _opening(source_excerpt: str) -> str:
    """A record's first cell as its source passage gives it, tags and whitespace taken out."""
    return _squash(re.sub(r"^(?:\[[^\]]*\] )?\d+: ", "", source_excerpt).split("\t")[0])


def _line(record) -> int | None:
    """The line a record was read from (its source passage opens with it, after a PDF's page)."""
    found = re.match(r"(?:\[[^\]]*\] )?(\d+):", record.source_excerpt)
    return int(found.group(1)) if found else None


def unsure(doc: ParsedDocument) -> list[Unsure]:
    """Per record, in order, what its reading asked about: a question naming a line names the
    record read from it, or the one above whose row the line runs on."""
    rows = doc.plan_items if doc.kind == "plan" else doc.measures
    found_unsure = [Unsure() for _ in rows]
    lines = [_line(r) for r in rows]
    for issue in doc.issues:
        if issue.severity != "question" or not issue.subject:
            continue
        for pattern, names, fields in _UNSURE:
            found = pattern.match(issue.subject)
            if not found:
                continue
            number = int(found.group(1))
            if names == "seq":
                at = [i for i, r in enumerate(rows) if r.seq == number]
            elif fields == LEFT_OUT and (quoted := _RUNS_ON.search(issue.message)):
                # lines that run a row on: the question quotes the row's opening (a line-per-cell text
                # numbers the lines it asks about in the file, its records in the table it rebuilt)
                at = [i for i, r in enumerate(rows) if _opening(r.source_excerpt).startswith(_squash(quoted[1]))]
            else:
                line = max((n for n in lines if n is not None and n <= number), default=None)
                at = [i for i, n in enumerate(lines) if line is not None and n == line]
            for i in at:
                if fields == LEFT_OUT:
                    found_unsure[i].left_out = True
                else:
                    found_unsure[i].fields |= fields if fields is not None else _role_fields(found.group(2))
            break
    return found_unsure


def asks_about_records(subjects: list[str]) -> bool:
    """Whether questions with these subjects name a record a reading may have got wrong."""
    return any(pattern.match(s) for s in subjects if s for pattern, _, _ in _UNSURE)


def same_document(a: ParsedDocument, b: ParsedDocument) -> bool:
    """Two readings of one document: the same organization, fiscal year, kind and records, field by
    field, except where one of the readings asked (a question names the record and the field; text
    it says it left out may be missing from it, never other text)."""
    if ((a.organization.name if a.organization else None, a.fiscal_year, a.kind)
            != (b.organization.name if b.organization else None, b.fiscal_year, b.kind)):
        return False
    got_a, got_b = records(a), records(b)
    if len(got_a) != len(got_b):
        return False
    for x, y, ux, uy in zip(got_a, got_b, unsure(a), unsure(b), strict=True):
        for name in set(x) | set(y):
            if not (x.get(name) == y.get(name) or ux.covers(name, x.get(name), y.get(name))
                    or uy.covers(name, y.get(name), x.get(name))):
                return False
    return True


def left_out(got, want) -> bool:
    """`got` is `want` with text left out, never text changed (strings read in order, lists a part)."""
    if got is None and isinstance(want, (str, list)):
        return True
    if isinstance(want, str):
        rest = iter(want)
        return isinstance(got, str) and len(got) < len(want) and all(c in rest for c in got)
    if isinstance(want, list):
        return isinstance(got, list) and all(any(g == w or left_out(g, w) for w in want) for g in got)
    if isinstance(want, dict):
        return all(got.get(k) == v or left_out(got.get(k), v) for k, v in want.items())
    return False


@dataclass
class Change:
    title: str
    fields: list[tuple[str, object, object]]  # (field, old, new)


@dataclass(frozen=True)
class Listed:
    """A record a version adds or removes, with what a clerk weighs a revised plan by."""
    seq: int
    title: str
    budget: float | None  # a plan item's (a measure has none)
    quarters: tuple[int, ...]

    @classmethod
    def of(cls, record) -> Listed:
        return cls(record.seq, record.title, getattr(record, "budget", None), tuple(record.quarters))

    @property
    def line(self) -> str:
        budget = "" if self.budget is None else f" · งบประมาณ {self.budget:,.2f} บาท"
        quarters = f"ไตรมาส {', '.join(map(str, self.quarters))}" if self.quarters else "ไม่ระบุไตรมาส"
        return f"ลำดับ {self.seq} {self.title}{budget} · {quarters}"

    def as_json(self) -> dict:
        return {"seq": self.seq, "title": self.title, "budget": self.budget, "quarters": list(self.quarters)}


@dataclass
class VersionDiff:
    added: list[Listed] = field(default_factory=list)
    removed: list[Listed] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    budgets: tuple[float, float] | None = None  # a plan's total budget: the counted one's, this one's

    @property
    def summary(self) -> str:
        text = (f"เพิ่ม {len(self.added)} รายการ · ลบ {len(self.removed)} รายการ · "
                f"เปลี่ยน {len(self.changed)} รายการ · เหมือนเดิม {self.unchanged} รายการ")
        if self.budgets is not None:
            old, new = self.budgets
            text += (f" · งบประมาณรวม {old:,.2f} → {new:,.2f} บาท" if old != new
                     else f" · งบประมาณรวมเท่าเดิม {new:,.2f} บาท")
        return text

    def as_json(self) -> dict:
        return {"summary": self.summary, "added": [x.as_json() for x in self.added],
                "removed": [x.as_json() for x in self.removed],
                "changed": [{"title": c.title, "fields": [{"field": f, "label": FIELD_LABELS.get(f, f),
                                                           "old": to_jsonable(a), "new": to_jsonable(b)}
                                                          for f, a, b in c.fields]} for c in self.changed],
                "unchanged": self.unchanged,
                "budget": None if self.budgets is None else {"old": self.budgets[0], "new": self.budgets[1]}}


def pair_records(old: ParsedDocument, new: ParsedDocument) -> tuple[list, list, list]:
    """`new`'s records matched with `old`'s, by their title, then the ones left by their number:
    (matched [((old raw, old normed), (raw, normed))], new's records left, old's records left), each
    record as (the record, its `records` dict)."""
    def pairs(doc):
        return list(zip((doc.plan_items if doc.kind == "plan" else doc.measures), records(doc), strict=True))

    before, after = pairs(old), pairs(new)
    by_title = {normed["title"]: (raw, normed) for raw, normed in before}
    matched: list[tuple[tuple, tuple]] = []
    left = []
    for item in after:
        found = by_title.pop(item[1]["title"], None)
        if found:
            matched.append((found, item))
        else:
            left.append(item)
    by_seq = {normed["seq"]: (raw, normed) for raw, normed in by_title.values()}
    added = []
    for item in left:
        found = by_seq.pop(item[1]["seq"], None)
        if found:
            matched.append((found, item))
        else:
            added.append(item)
    return matched, added, list(by_seq.values())


def compare(old: ParsedDocument, new: ParsedDocument) -> VersionDiff:
    """What `new` adds, removes and changes against `old`: records matched by their title, then the
    ones left by their number (a renamed record is a change, not a removal and an addition)."""
    matched, added, removed = pair_records(old, new)
    diff = VersionDiff(added=[Listed.of(raw) for raw, _ in added], removed=[Listed.of(raw) for raw, _ in removed],
                       budgets=(sum(p.budget for p in old.plan_items), sum(p.budget for p in new.plan_items))
                       if new.kind == "plan" else None)
    for (old_raw, old_normed), (raw, normed) in matched:
        fields = [(f, getattr(old_raw, f), getattr(raw, f)) for f in normed
                  if normed[f] != old_normed.get(f) and f in FIELD_LABELS]
        if fields:
            diff.changed.append(Change(raw.title, fields))
        else:
            diff.unchanged += 1
    return diff
