"""A reading of a seed's rendering compared with the seed's own .txt reading: which records and fields
differ, and whether a question the reading asks (and the seed's does not) is about each of them.
Used by bench/renders (every rendering kind) and bench/scans (scanned copies)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.ingest import versions
from lib.records import Issue, ParsedDocument

_QUOTED = re.compile(r"'([^']{4,}?)…?'")


def listed(question: Issue, seq: int) -> bool:
    """The question names the record ("มาตรการที่ 3 ...") or lists it ("โครงการลำดับ 1, 2, 3: ...")."""
    m = re.match(r"(?:โครงการลำดับ|มาตรการที่) ([\d, ]+)", question.message)
    return bool(m) and str(seq) in m.group(1).replace(" ", "").split(",")


def _line(record) -> str | None:
    """The line a text reading found the record on (its source passage opens "[หน้า 3] 12:" or "12:")."""
    m = re.match(r"(?:\[หน้า \d+\] )?(\d+):", record.source_excerpt)
    return m.group(1) if m else None


def about(question: Issue, record, normed: dict) -> bool:
    """The question is about this record: names its number, quotes its words (a page-top passage, lines
    left unplaced) or names the line it was read from (a row holding two measures, a row whose spaces
    read several ways)."""
    if listed(question, record.seq):
        return True
    # the record's words, and the passage it was read from (a question quotes a row by its opening)
    text = "".join(v for v in normed.values() if isinstance(v, str)) + versions.normalised(
        re.sub(r"<[^>]+>", "", record.source_excerpt))
    if any(len(q := versions.normalised(quoted)) >= 4 and q in text for quoted in _QUOTED.findall(question.message)):
        return True
    # a question whose subject names the line the record was read from ("row.split:14:responsible",
    # "table.tab_unsure:13:weakness+result")
    parts = (question.subject or "").split(":")
    return len(parts) > 1 and parts[1].isdigit() and parts[1] == _line(record)


@dataclass
class Difference:
    """Fields of one record that differ from the seed's (`fields` ("*",) when the record is one the
    seed has not, or one it has and the reading lost), and whether a new question is about it."""

    seq: int
    fields: tuple[str, ...]
    asked: bool


@dataclass
class Comparison:
    questions: int  # questions the seed's reading does not ask
    document: list[str] = field(default_factory=list)  # organization, fiscal year, kind or layout differing
    records: list[Difference] = field(default_factory=list)

    @property
    def wrong(self) -> list[str]:
        """What differs with no question about it: the one outcome not allowed."""
        return self.document + [f"{d.seq}.{'/'.join(d.fields)}" for d in self.records if not d.asked]


def compare(doc: ParsedDocument, seed: ParsedDocument) -> Comparison:
    def said(issue):  # the same question about the same thing (the words it quotes break differently)
        return issue.code, issue.subject or re.sub(r"\s+", "", issue.message)

    asked_before = {said(i) for i in seed.issues if i.severity == "question"}
    new = [i for i in doc.issues if i.severity == "question" and said(i) not in asked_before]
    out = Comparison(len(new))
    for name, got, want in (("organization", doc.organization and doc.organization.name, seed.organization.name),
                            ("fiscal_year", doc.fiscal_year, seed.fiscal_year), ("kind", doc.kind, seed.kind),
                            ("layout", doc.layout, seed.layout)):
        if got != want:
            out.document.append(f"{name}={got}")
    if doc.kind != seed.kind:
        return out
    matched, added, removed = versions.pair_records(seed, doc)
    for (seed_record, want), (record, got) in matched:
        fields = tuple(f for f in got.keys() | want.keys() if got.get(f) != want.get(f))
        if fields:  # a question may quote words the reading left out of the record (cells.unplaced)
            out.records.append(Difference(record.seq, tuple(sorted(fields)), any(
                about(q, record, got) or about(q, seed_record, want) for q in new)))
    for record, normed in added + removed:
        out.records.append(Difference(record.seq, ("*",), any(about(q, record, normed) for q in new)))
    out.records.sort(key=lambda d: d.seq)
    return out
