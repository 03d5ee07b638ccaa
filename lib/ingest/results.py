"""Results become progress: a results document's result statements read as progress reports.

A measure whose row carries a result statement ("ผลการดำเนินการ", "การดำเนินการ", "สรุปผล")
gets one report per quarter the document's round covers: a 6-month round (รอบ ๖ เดือน) covers
Q1-Q2, a 12-month round or a report with no round the quarters of its stated period, else
the measure's own planned quarters, else the whole fiscal year.

The status is read from the words only (`read_status`), never guessed:
- blocked:      "ไม่สามารถดำเนินการ", "ยกเลิก" ... and a reason ("เนื่องจาก ...") — without a
                reason it is a question, since a blocked report must say why;
- not started:  "ยังไม่ได้ดำเนินการ", "ยังไม่เริ่ม";
- in progress:  "อยู่ระหว่าง", "กำลังดำเนินการ", "ยังไม่แล้วเสร็จ";
- done:         a completion word ("แล้วเสร็จ", "เสร็จสิ้น", "เรียบร้อย", a clause ending in
                "แล้ว"), a dated past action ("เมื่อวันที่ ๒๙ มีนาคม ๒๕๖๖"), a perfective
                "ได้ + action" ("ได้จัดทำ", "ได้ถ่ายทอด"), an event that took place
                ("มีการประชุม"), or the deliverable stated as held ("หน่วยงานมีคู่มือ").
A bare verb ("จัดประชุม...", "มอบหมาย...") reads the same in a plan and in a result, and words
of two kinds contradict each other: both are questions for the user (document_issue), and no
report is written for them until the user answers.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lib.progress import ROUNDS
from lib.records import (
    STATUS_BLOCKED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    Measure,
    ParsedDocument,
    Report,
)
from lib.thai import MONTHS_ABBR, MONTHS_FULL, quarter_bounds, quarters_between

_MONTH = "|".join(sorted({re.escape(m) for m in (*MONTHS_FULL, *MONTHS_ABBR)}, key=len, reverse=True))

_BLOCKED = re.compile(r"ไม่สามารถ(?:ดำเนินการ|จัด|ทำ)|ยกเลิก(?:การ|โครงการ|กิจกรรม)?|ไม่ได้รับ(?:การจัดสรร)?งบประมาณ")
_NOT_STARTED = re.compile(r"ยังไม่(?:ได้)?(?:ดำเนินการ|เริ่ม|จัด)")
_IN_PROGRESS = re.compile(r"อยู่ระหว่าง|กำลังดำเนินการ|ยังไม่(?:แล้ว)?เสร็จ|แล้วบางส่วน|ดำเนินการบางส่วน")
_DONE = (
    ("คำว่าเสร็จ/เรียบร้อย", re.compile(r"(?<!ยังไม่)(?<!ยังไม่แล้ว)(?:แล้วเสร็จ|เสร็จสิ้น|เสร็จเรียบร้อย|เรียบร้อย)")),
    ("ข้อความลงท้ายว่า 'แล้ว'", re.compile(r"แล้ว(?=\s*(?:$|[,.;/)\n]|และ|ทั้งนี้|โดย|[๐-๙0-9]+\s*[.)]))")),
    ("การดำเนินการที่ระบุวันที่", re.compile(rf"เมื่อ(?:วันที่)?\s*[๐-๙0-9]{{1,2}}\s*(?:{_MONTH})")),
    ("'ได้' + การกระทำ", re.compile(
        r"ได้(?:ดำเนินการ|จัด|มีการ|ประชาสัมพันธ์|เผยแพร่|ถ่ายทอด|แนะนำ|มอบหมาย|แต่งตั้ง|ประชุม|ปรับปรุง|"
        r"รายงาน|สำรวจ|ชี้แจง|ติดตั้ง|พัฒนา|ขึ้นทะเบียน|อบรม|ส่ง|ออกคำสั่ง|ประกาศ|นำ|บันทึก)")),
    ("'มีการ' + การกระทำ", re.compile(r"(?<!ให้)มีการ\s*(?!ให้)[ก-๙]{1,20}")),
    ("ระบุว่ามีสิ่งที่จัดทำแล้ว", re.compile(
        r"(?<!ให้)(?<!จะ)(?<!ควร)มี\s*(?:คู่มือ|ระบบ|ช่องทาง|กล้อง|แผน|ประกาศ|คำสั่ง|มาตรการ|แนวปฏิบัติ)")),
)
_REASON = re.compile(r"(?:เนื่องจาก|เพราะ|สาเหตุ(?:จาก)?|ด้วยเหตุ)\s*(.+)", re.S)


@dataclass(frozen=True)
class StatusReading:
    status: str | None  # one of lib.records' PROGRESS_STATUSES, None when the words do not say
    reason: str | None
    why: str  # which words decided it (Thai), shown with the question


def read_status(text: str) -> StatusReading:
    words = " ".join((text or "").split())
    if not words:
        return StatusReading(None, None, "ไม่มีข้อความผลการดำเนินการ")
    found: dict[str, str] = {}
    for status, pattern in ((STATUS_BLOCKED, _BLOCKED), (STATUS_NOT_STARTED, _NOT_STARTED),
                            (STATUS_IN_PROGRESS, _IN_PROGRESS)):
        m = pattern.search(words)
        if m:
            found[status] = f"'{m.group(0)}'"
    # negated and partial phrases are removed before looking for completion words
    rest = _IN_PROGRESS.sub(" ", _NOT_STARTED.sub(" ", _BLOCKED.sub(" ", words)))
    for label, pattern in _DONE:
        m = pattern.search(rest)
        if m:
            found[STATUS_DONE] = f"{label} ('{m.group(0).strip()}')"
            break
    if len(found) > 1:
        return StatusReading(None, None, "ข้อความระบุสถานะขัดกัน: " + ", ".join(
            f"{status} จาก {why}" for status, why in found.items()))
    if not found:
        return StatusReading(None, None, "ข้อความไม่ได้บอกว่าดำเนินการแล้ว อยู่ระหว่าง หรือยังไม่ได้ดำเนินการ")
    status, why = next(iter(found.items()))
    if status == STATUS_BLOCKED:
        reason = _REASON.search(words)
        if not reason:
            return StatusReading(None, None, f"ข้อความบอกว่าไม่สามารถดำเนินการได้ ({why}) แต่ไม่ระบุเหตุผล")
        return StatusReading(status, reason.group(1).strip()[:300], why)
    return StatusReading(status, None, why)


def round_quarters(doc: ParsedDocument, measure: Measure) -> tuple[int, ...]:
    """The quarters a results document reports for one measure."""
    if doc.report_round in ROUNDS:
        covered = ROUNDS[doc.report_round]
    elif doc.start and doc.end and doc.fiscal_year:
        covered = tuple(quarters_between(doc.start, doc.end, doc.fiscal_year))
    else:
        covered = measure.quarters or (1, 2, 3, 4)
    planned = tuple(q for q in covered if q in measure.quarters)
    return planned or covered


def add_reports(doc: ParsedDocument) -> None:
    """Fill `reports` of every measure with a result statement; ask where the words are unclear."""
    for m in doc.measures:
        if not m.result or not doc.fiscal_year:
            continue
        quarters = round_quarters(doc, m)
        reading = read_status(m.result)
        m.reports = tuple(Report(q, reading.status, m.result, reading.reason) for q in quarters)
        if reading.status is None:
            doc.ask("progress.unclear",
                    f"มาตรการที่ {m.seq} '{m.title[:60]}': อ่านสถานะจากผลการดำเนินการไม่ได้ชัดเจน "
                    f"({reading.why}) ข้อความในเอกสาร: \"{m.result[:160]}\" "
                    f"กรุณาเลือกสถานะของไตรมาส {', '.join(map(str, quarters))} ปีงบประมาณ {doc.fiscal_year}",
                    PROGRESS_ANSWERS, progress_subject("measure", m.seq, quarters))


PROGRESS_SKIP = "ไม่บันทึกรายงานจากเอกสารนี้"
PROGRESS_ANSWERS = (STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED, PROGRESS_SKIP)


def progress_subject(kind: str, seq: int, quarters: tuple[int, ...]) -> str:
    """The subject of a status question: which record (by its seq in the document) and quarters."""
    return f"progress:{kind}:{seq}:{','.join(map(str, quarters))}"


def parse_progress_subject(subject: str) -> tuple[str, int, tuple[int, ...]] | None:
    m = re.fullmatch(r"progress:(plan_item|measure):(\d+):([1-4](?:,[1-4])*)", subject or "")
    if not m:
        return None
    return m.group(1), int(m.group(2)), tuple(int(q) for q in m.group(3).split(","))


def reported_at(doc: ParsedDocument, now: dt.datetime) -> dt.datetime:
    """The time a results document's reports are filed at: noon of its report date, never after now."""
    day = report_date(doc)
    return min(dt.datetime.combine(day, dt.time(12)), now) if day else now


def report_date(doc: ParsedDocument) -> dt.date | None:
    """When a results document's reports count from: the end of the period it covers (its as-of date,
    its stated period, the end of its round, else the end of its fiscal year)."""
    if doc.as_of:
        return doc.as_of
    if doc.end:
        return doc.end
    if not doc.fiscal_year:
        return None
    last = ROUNDS.get(doc.report_round or 12, ROUNDS[12])[-1]
    return quarter_bounds(doc.fiscal_year, last)[1]
