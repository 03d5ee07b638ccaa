"""What the importers read from a document: plain records, no database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

INSTRUMENTS = ("IIT", "EIT", "OIT")
ITEM_TYPES = ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")

# Progress of a plan item or measure in a fiscal quarter (e-PlanNACC's statuses and reasons)
STATUS_NOT_STARTED = "ยังไม่เริ่ม"
STATUS_IN_PROGRESS = "อยู่ระหว่างดำเนินการ"
STATUS_DONE = "ดำเนินการแล้วเสร็จ"
STATUS_BLOCKED = "ไม่สามารถดำเนินการได้"
PROGRESS_STATUSES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE, STATUS_BLOCKED)
BLOCKED_REASONS = ("ไม่ได้รับงบประมาณ", "นโยบายผู้บริหารเปลี่ยนแปลง", "บุคลากรไม่เพียงพอ")  # or other text
RECORD_KINDS = ("plan_item", "measure")
# The codes the command line's JSON gives a status (python -m lib.ingest FILE --json: reports[].status)
# source_document.kind as a reader sees it (the stored codes are English)
DOCUMENT_KINDS = {"plan": "แผนปฏิบัติการ", "measures": "มาตรการ ITA"}
STATUS_CODES = {STATUS_NOT_STARTED: "not_started", STATUS_IN_PROGRESS: "in_progress", STATUS_DONE: "done",
                STATUS_BLOCKED: "blocked"}


@dataclass(frozen=True)
class Issue:
    """Something the user must see (warning) or decide (question) about a document."""

    code: str
    message: str  # Thai, names the problem and where it is
    severity: str = "warning"  # 'warning' | 'question' | 'error' (the document is refused)
    options: tuple[str, ...] = ()  # choices when severity == 'question'
    subject: str | None = None  # what the answer applies to, e.g. 'organization.location'


@dataclass(frozen=True)
class OrganizationRef:
    name: str  # full official name, e.g. องค์การบริหารส่วนตำบลตะโก
    kind: str  # อบต. / เทศบาลตำบล / เทศบาลเมือง / เทศบาลนคร / อบจ.
    short_name: str  # อบต.ตะโก
    district: str | None = None
    province: str | None = None
    website: str | None = None
    found_by: str = "text"  # 'text' | 'website' | 'user'


@dataclass(frozen=True)
class Report:
    """Progress a results document states for one quarter of a record (lib/ingest/results.py)."""

    quarter: int
    status: str | None  # one of PROGRESS_STATUSES; None when the words do not say (a question is asked)
    text: str  # the document's words, kept as the report's note
    reason: str | None = None  # when status is STATUS_BLOCKED


@dataclass
class PlanItem:
    seq: int
    title: str
    item_type: str | None
    dimension: int
    budget: float
    quarters: tuple[int, ...]
    remark: str | None = None
    detail_seq: int | None = None
    rationale: str | None = None
    objectives: str | None = None
    target_group: str | None = None
    method: str | None = None
    period_text: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    budget_text: str | None = None
    responsible: str | None = None
    outputs: str | None = None
    outcomes: str | None = None
    source_excerpt: str = ""


@dataclass
class Measure:
    seq: int
    title: str
    instrument: str | None = None
    item_codes: tuple[str, ...] = ()
    item_topic: str | None = None  # the assessment question as the document writes it
    category: str | None = None
    category_no: int | None = None
    weakness: str | None = None
    steps: str | None = None
    responsible: str | None = None
    monitoring: str | None = None
    period_text: str | None = None
    period_source: str | None = None  # 'row' | 'document'
    start: dt.date | None = None
    end: dt.date | None = None
    quarters: tuple[int, ...] = ()
    recurrence: str | None = None
    result: str | None = None
    outcome: str | None = None
    links: tuple[str, ...] = ()
    source_excerpt: str = ""
    reports: tuple[Report, ...] = ()


@dataclass
class ParsedDocument:
    file_name: str
    layout: str
    layout_label: str
    kind: str  # 'plan' | 'measures'
    title: str
    organization: OrganizationRef | None
    fiscal_year: int | None
    framework_year: int | None = None  # ITA year whose item codes the measures answer
    report_round: int | None = None  # 6 or 12 (months) when the document says so
    period_text: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    as_of: dt.date | None = None
    encoding: str = "utf-8"  # of a .txt: utf-8, utf-8-sig or cp874 (lib.ingest.ENCODING_LABELS)
    dimension_names: dict[int, str] = field(default_factory=dict)
    plan_items: list[PlanItem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    scanned: bool = False  # some pages were read by OCR: what it cannot read is asked, not refused

    def warn(self, code: str, message: str) -> None:
        self.issues.append(Issue(code, message))

    def ask(self, code: str, message: str, options: tuple[str, ...], subject: str) -> None:
        self.issues.append(Issue(code, message, "question", options, subject))

    def fail(self, code: str, message: str) -> None:
        """An error: the document is refused as a whole and nothing is written."""
        self.issues.append(Issue(code, message, "error"))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def to_jsonable(value):
    """Dataclasses, dates and tuples as JSON-ready values."""
    if hasattr(value, "__dataclass_fields__"):  # field by field: asdict deep-copies every value first
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def parsed_from_jsonable(data: dict) -> ParsedDocument:
    """A ParsedDocument back from its to_jsonable form (what the store keeps of a document read by OCR)."""
    dates = ("start", "end", "as_of")

    def record(cls, raw: dict):
        values = {**raw, **{k: _date(raw.get(k)) for k in dates if k in raw}}
        for k in ("quarters", "item_codes", "links"):
            if k in values:
                values[k] = tuple(values[k])
        if "reports" in values:
            values["reports"] = tuple(Report(**r) for r in values["reports"])
        return cls(**values)

    org = data.get("organization")
    return ParsedDocument(**{
        **data, **{k: _date(data.get(k)) for k in dates},
        "organization": OrganizationRef(**org) if org else None,
        "dimension_names": {int(k): v for k, v in data.get("dimension_names", {}).items()},
        "plan_items": [record(PlanItem, r) for r in data.get("plan_items", [])],
        "measures": [record(Measure, r) for r in data.get("measures", [])],
        "issues": [Issue(**{**i, "options": tuple(i.get("options", ()))}) for i in data.get("issues", [])]})
