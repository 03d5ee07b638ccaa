"""Find the organization a document belongs to: from its title page, its body, or its web address.

The title page declares the organization; the body may name it again (sometimes with another
spelling or another district). Differences are flagged: resolved from the reviewed register
`data/catalog/organizations.csv` when exactly one variant is registered, otherwise asked.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lib.errors import UserError
from lib.ingest.cells import similarity
from lib.records import Issue, OrganizationRef

REGISTER_PATH = Path(__file__).resolve().parents[2] / "data" / "catalog" / "organizations.csv"

# (pattern, kind, short prefix); longest first so เทศบาลตำบล wins over a bare เทศบาล
_KINDS = (
    ("องค์การบริหารส่วนตำบล", "อบต.", "อบต."),
    ("องค์การบริหารส่วนจังหวัด", "อบจ.", "อบจ."),
    ("เทศบาลตำบล", "เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "เทศบาลนคร", "ทน."),
    ("อบต.", "อบต.", "อบต."),
    ("ทต.", "เทศบาลตำบล", "ทต."),
)
_FULL_PREFIX = {kind: full for full, kind, _ in _KINDS[:5]}
_SHORT_PREFIX = {kind: short for _, kind, short in _KINDS[:5]}


def abbreviate(text: str) -> str:
    """`text` with each organization kind written in full shortened as offices write it
    (องค์การบริหารส่วนตำบลตะโก -> อบต.ตะโก): a name that fits on a chart's axis."""
    for full, _, short in _KINDS[:5]:
        text = text.replace(full, short)
    return text


_MENTION = re.compile(
    r"(?P<prefix>" + "|".join(re.escape(k[0]) for k in _KINDS) + r")[ \u00a0]?(?P<name>[ก-๛]+)"
    r"(?:\s*อำเภอ\s*(?P<district>[ก-๛]+)\s*จังหวัด\s*(?P<province>[ก-๛]+))?"
)
_DOMAIN = re.compile(r"\b(?:www\.)?([a-z0-9-]+\.go\.th)\b", re.IGNORECASE)
# what every _DOMAIN match holds, found at once: _DOMAIN tries a match at every character (3-5 ms a 45 kB text)
_GO_TH = re.compile(r"\.go\.th", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    kind: str
    name: str
    district: str | None
    province: str | None
    position: int
    full_form: bool

    @property
    def location(self) -> tuple[str, str] | None:
        return (self.district, self.province) if self.province else None


def load_register(path: Path = REGISTER_PATH) -> list[OrganizationRef]:
    with open(path, encoding="utf-8") as f:
        return [
            OrganizationRef(
                name=row["name"], kind=row["kind"], short_name=row["short_name"],
                district=row["district"] or None, province=row["province"] or None,
                website=row["website"] or None, found_by="register",
            )
            for row in csv.DictReader(f)
        ]


def _mentions(text: str, registered: set[str] = frozenset()) -> list[Mention]:
    kinds = {full: kind for full, kind, _ in _KINDS}
    found, inside_a_line = [], set()
    for m in _MENTION.finditer(text):
        found.append(Mention(kinds[m["prefix"]], m["name"], m["district"], m["province"], m.start(),
                             m["prefix"] in _FULL_PREFIX.values()))
        if text[m.end("name"):m.end("name") + 1] not in ("\n", ""):
            inside_a_line.add(m["name"])
    # Thai runs words together: "ตะโกตระหนักถึง" is ตะโก followed by a verb. A name that
    # extends a shorter name also seen is that shorter name; but a wrapped cell or a PDF's line cuts
    # "หนองแวง" into "หนอง" at a line's end, and a table without rules runs "อบต.หนอง" into another
    # column's words. So a shorter name counts only when the register knows it or it is seen inside
    # a line, and a name written in full with its district and province is whole as written.
    names = {m.name for m in found}
    whole = {m.name for m in found if m.full_form and m.province}
    base = _shortest_prefixes(names, {n for n in names if n in inside_a_line or n in registered})
    base.update({n: n for n in whole})
    # a registered name is whole too: OCR's "ตะ โก" must not shorten every "ตะโก" to "ตะ"
    base.update({n: n for n in names if n in registered})
    return [Mention(m.kind, base[m.name], m.district, m.province, m.position, m.full_form)
            for m in found]


def _shortest_prefixes(names: set[str], can_shorten: set[str] | None = None) -> dict[str, str]:
    """Each name -> the shortest other name (of 2 letters or more, in `can_shorten`) it starts with,
    else itself. In sorted order a name's prefixes come just before it, held on a stack: linear."""
    out: dict[str, str] = {}
    stack: list[str] = []
    for name in sorted(names):
        while stack and not name.startswith(stack[-1]):
            stack.pop()
        out[name] = stack[0] if stack else name
        if len(name) >= 2 and (can_shorten is None or name in can_shorten):
            stack.append(name)
    return out


def _ref(kind: str, name: str, district=None, province=None, website=None, found_by="text"):
    return OrganizationRef(
        name=_FULL_PREFIX.get(kind, kind) + name, kind=kind,
        short_name=_SHORT_PREFIX.get(kind, kind) + name,
        district=district, province=province, website=website, found_by=found_by,
    )


def _in_register(register: dict[str, OrganizationRef], kind, name) -> OrganizationRef | None:
    return register.get(_FULL_PREFIX.get(kind, kind) + name)


def _fmt_location(loc: tuple[str | None, str]) -> str:
    district, province = loc
    return f"อ.{district} จ.{province}" if district else f"จ.{province}"


def find_organization(
    text: str, head_end: int, register: list[OrganizationRef] | None = None
) -> tuple[OrganizationRef | None, list[Issue]]:
    """The organization of a document and the issues met on the way.

    `head_end` is the offset where the title page ends (the first table row).
    """
    register = load_register() if register is None else register
    by_name = {r.name: r for r in register}
    issues: list[Issue] = []
    # An abbreviation ("อบต.และ Facebook") is too easily a sentence: it counts only when
    # the register knows the name.
    registered_names = {r.name.removeprefix(_FULL_PREFIX.get(r.kind, r.kind)) for r in register}
    mentions = [m for m in _mentions(text, registered_names)
                if m.full_form or _in_register(by_name, m.kind, m.name)]
    domains = Counter(d.lower() for d in _DOMAIN.findall(text)) if _GO_TH.search(text) else Counter()
    website = domains.most_common(1)[0][0] if domains else None

    head = [m for m in mentions if m.position < head_end]
    if head:
        declared = head[0]
    elif mentions:
        counts = Counter((m.kind, m.name) for m in mentions)
        (kind, name), _ = counts.most_common(1)[0]
        declared = next(m for m in mentions if (m.kind, m.name) == (kind, name))
    else:
        declared = None

    if declared is None:
        by_site = next((r for r in register if website and r.website == website), None)
        if by_site is None:
            return None, [Issue("organization.missing",
                                "ไม่พบชื่อหน่วยงานในเอกสารหรือจากเว็บไซต์ที่อ้างถึง กรุณาระบุหน่วยงาน",
                                "question", (), "organization")]
        return _with_found_by(by_site, "website"), issues

    kind, name = declared.kind, declared.name
    variants = Counter(m.name for m in mentions if m.kind == kind and m.name != name)
    if variants and not _in_register(by_name, kind, name):
        registered = [v for v in variants if _in_register(by_name, kind, v)]
        if len(registered) == 1:
            issues.append(Issue("organization.name_variant",
                                f"หัวเอกสารเขียนชื่อ {_FULL_PREFIX.get(kind, kind)}{name} แต่เนื้อหาเขียน "
                                f"{_FULL_PREFIX.get(kind, kind)}{registered[0]} ซึ่งตรงกับทะเบียน อปท. "
                                "จึงใช้ชื่อตามทะเบียน โปรดตรวจสอบ"))
            name = registered[0]
    # Only spellings close to the name are variants; "อบต.และ" is a sentence, not a name.
    other = [v for v in variants if v != name and similarity(v, name, 0.6) >= 0.6]
    if other:
        listed = ", ".join(f"{_SHORT_PREFIX.get(kind, kind)}{v} ({variants[v]} ครั้ง)" for v in other)
        issues.append(Issue("organization.spelling",
                            f"เอกสารเขียนชื่อหน่วยงานต่างไปจาก {_SHORT_PREFIX.get(kind, kind)}{name}: {listed}"))

    registered = _in_register(by_name, kind, name)
    locations = list(dict.fromkeys(
        m.location for m in mentions if m.name == name and m.kind == kind and m.location))
    district = province = None
    if registered and registered.province:
        district, province = registered.district, registered.province
        differing = [loc for loc in locations if loc != (district, province)]
        if differing:
            issues.append(Issue("organization.location_variant",
                                "เอกสารระบุที่ตั้ง " + ", ".join(_fmt_location(loc) for loc in differing)
                                + f" ต่างจากทะเบียน อปท. ({_fmt_location((district, province))}) จึงใช้ตามทะเบียน"))
    elif len(locations) == 1:
        district, province = locations[0]
    elif len(locations) > 1:
        issues.append(Issue("organization.location_conflict",
                            "เอกสารระบุที่ตั้งของหน่วยงานไม่ตรงกัน: "
                            + " และ ".join(_fmt_location(loc) for loc in locations)
                            + " กรุณาเลือกที่ตั้งที่ถูกต้อง",
                            "question", tuple(_fmt_location(loc) for loc in locations),
                            "organization.location"))

    found_by = "text"
    if registered and registered.website and registered.website == website:
        found_by = "text+website"
    return _ref(kind, name, district, province,
                website or (registered.website if registered else None), found_by), issues


def is_registered(ref: OrganizationRef, register: list[OrganizationRef] | None = None) -> bool:
    register = load_register() if register is None else register
    return any(r.name == ref.name for r in register)


def _with_found_by(ref: OrganizationRef, found_by: str) -> OrganizationRef:
    return OrganizationRef(ref.name, ref.kind, ref.short_name, ref.district, ref.province,
                           ref.website, found_by)


def parse_location_option(option: str) -> tuple[str | None, str]:
    """'อ.เทพารักษ์ จ.นครราชสีมา' -> ('เทพารักษ์', 'นครราชสีมา')."""
    m = re.fullmatch(r"(?:อ\.(?P<d>\S+)\s+)?จ\.(?P<p>\S+)", option.strip())
    if not m:
        raise ValueError(option)
    return m["d"], m["p"]


def organization_from_name(full_name: str, register: list[OrganizationRef] | None = None) -> OrganizationRef:
    """An organization the user named (when a document names none); the register fills in the rest."""
    register = load_register() if register is None else register
    full_name = full_name.strip()
    known = next((r for r in register if full_name in (r.name, r.short_name)), None)
    if known:
        return _with_found_by(known, "user")
    for prefix, kind, _ in _KINDS:
        if full_name.startswith(prefix) and len(full_name) > len(prefix):
            return _ref(kind, full_name[len(prefix):].strip(), found_by="user")
    raise UnknownOrganization(f"ไม่รู้จักหน่วยงาน '{full_name}': ใช้ชื่อย่อที่มีในทะเบียน (เช่น อบต.ตะโก) หรือชื่อเต็มที่ขึ้นต้นด้วย"
                              "ประเภท เช่น องค์การบริหารส่วนตำบลบ้องตี้ หรือ เทศบาลตำบลปรุใหญ่")


class UnknownOrganization(UserError, ValueError):
    """A name the user gave that is neither in the register nor a full name with its kind."""
