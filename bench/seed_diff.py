"""A reading of a seed's rendering compared with the seed's own .txt reading: which records and fields
differ, and whether the readings' questions cover each of them, as the product judges two readings of
one document (lib.ingest.versions: `unsure`, `Unsure.covers`). Used by bench/renders."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.ingest import versions
from lib.records import ParsedDocument


@dataclass
class Difference:
    """Fields of one record that differ from the seed's (`fields` ("*",) when the record is one the
    seed has not, or one it has and the reading lost), and whether a question covers them."""

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


def _unsure_by_record(doc: ParsedDocument) -> dict[int, versions.Unsure]:
    rows = doc.plan_items if doc.kind == "plan" else doc.measures
    return {id(r): u for r, u in zip(rows, versions.unsure(doc), strict=True)}


def compare(doc: ParsedDocument, seed: ParsedDocument) -> Comparison:
    def said(issue):  # the same question about the same thing (the words it quotes break differently)
        return issue.code, issue.subject or re.sub(r"\s+", "", issue.message)

    asked_before = {said(i) for i in seed.issues if i.severity == "question"}
    out = Comparison(sum(1 for i in doc.issues if i.severity == "question" and said(i) not in asked_before))
    for name, got, want in (("organization", doc.organization and doc.organization.name, seed.organization.name),
                            ("fiscal_year", doc.fiscal_year, seed.fiscal_year), ("kind", doc.kind, seed.kind),
                            ("layout", doc.layout, seed.layout)):
        if got != want:
            out.document.append(f"{name}={got}")
    if doc.kind != seed.kind:
        return out
    unsure = _unsure_by_record(doc) | _unsure_by_record(seed)
    matched, added, removed = versions.pair_records(seed, doc)
    for (seed_record, want), (record, got) in matched:
        fields = tuple(sorted(f for f in got.keys() | want.keys() if got.get(f) != want.get(f)))
        if fields:
            mine, theirs = unsure[id(record)], unsure[id(seed_record)]
            out.records.append(Difference(record.seq, fields, all(
                mine.covers(f, got.get(f), want.get(f)) or theirs.covers(f, want.get(f), got.get(f)) for f in fields)))
    for record, _ in added + removed:
        out.records.append(Difference(record.seq, ("*",), unsure[id(record)].asked))
    out.records.sort(key=lambda d: d.seq)
    return out
