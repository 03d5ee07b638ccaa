"""What a document the importer cannot read still says: organization, fiscal year, the kind of
document it looks like, the header row it saw; and which layouts the importer reads."""
from __future__ import annotations

from dataclasses import dataclass, field

from lib.ingest.action_plan import LAYOUT_LABEL as PLAN_LABEL
from lib.ingest.header import read_header
from lib.ingest.lost_tabs import Restored
from lib.ingest.measures import LAYOUTS as MEASURE_LAYOUTS
from lib.ingest.organization import find_organization
from lib.ingest.spaced import Spaced, chunks

HEADER_WORDS = ("มาตรการ", "ขั้นตอน", "ผู้รับผิดชอบ", "ระยะเวลา", "ผลการดำเนินการ", "ผลลัพธ์", "ประเด็นที่เป็นข้อบกพร่อง",
                "หัวข้อการประเมิน", "การรายงานผล", "ลำดับ", "รายการโครงการ", "มิติ", "งบประมาณ", "ไตรมาส")
# (words in the title, what the document looks like); the first that matches names it
_KINDS = (
    (("แผนปฏิบัติการป้องกันการทุจริต", "แผนปฏิบัติการ"), "แผนปฏิบัติการป้องกันการทุจริต"),
    (("รอบ 6 เดือน", "รอบ ๖ เดือน", "รอบ 12 เดือน", "รอบ ๑๒ เดือน"), "รายงานผลการดำเนินการตามรอบ"),
    (("รายงานผล", "ผลการดำเนินการ", "สรุปผล"), "รายงานผลการดำเนินการตามมาตรการ"),
    (("มาตรการส่งเสริมคุณธรรม", "มาตรการ"), "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"),
)
SUPPORTED = (
    *MEASURE_LAYOUTS.values(), PLAN_LABEL,
)
FORMATS = ("ไฟล์ .txt (UTF-8 หรือ TIS-620) ที่คั่นช่องด้วยแท็บ หรือด้วย '|' หรือด้วยช่องว่างจำนวนเท่ากันแทนแท็บทุกตัว "
           "หรือเว้นวรรคอย่างน้อย 2 ช่องให้ตรงกับหัวตาราง "
           "หรือบรรทัดละหนึ่งช่อง (ช่องว่างเป็นบรรทัดว่าง ทุกแถวมีจำนวนบรรทัดเท่าหัวตาราง "
           "หรือแต่ละแถวคั่นด้วยบรรทัดว่าง)",
           "ไฟล์ Word (.docx) ที่มีตาราง",
           "ไฟล์ PDF ที่ตารางมีเส้นตาราง (ทั้งไฟล์ที่มีข้อความและไฟล์สแกน) หรือตารางไม่มีเส้นที่มีหัวตารางและคอลัมน์ตรงกัน")
# A PDF's table is read from its ruling lines: advice on tabs and spaces means nothing to its user.
PDF_NEED = ("ส่งไฟล์ PDF ที่ตารางมีเส้นแบ่งช่องครบทุกช่อง หรือส่งไฟล์ Word (.docx) ต้นฉบับที่ใช้ทำ PDF นี้ "
            "(ระบบแบ่งช่องของตารางใน PDF จากเส้นตาราง หรือจากตำแหน่งหัวตารางเมื่อไม่มีเส้น)")


@dataclass
class Recognised:
    organization: str | None
    fiscal_year: int | None
    looks_like: str | None
    header_line: int | None
    header: list[str] = field(default_factory=list)
    header_words: list[str] = field(default_factory=list)
    unsafe_lines: list[int] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)
    how: str = "spaces"
    label: str = ""  # how the separators were read, for tabs that became spaces or pipes


def recognise(text: str, spaced: Spaced | Restored | None = None) -> Recognised:
    org, _ = find_organization(text, min(len(text), 4000))
    head = read_header(text)
    title = " ".join(text[:1500].split())
    looks_like = next((label for words, label in _KINDS if any(w in title for w in words)), None)
    if isinstance(spaced, Restored):
        return Recognised(org.short_name if org else None, head.fiscal_year, looks_like, spaced.header_line,
                          spaced.header, [w for w in HEADER_WORDS if any(w in h for h in spaced.header)],
                          sorted(spaced.reasons), spaced.reasons, "lost_tabs")
    if spaced is not None and spaced.header:
        return Recognised(org.short_name if org else None, head.fiscal_year, looks_like, spaced.header_line,
                          spaced.header, [w for w in HEADER_WORDS if any(w in h for h in spaced.header)],
                          spaced.unsafe_lines, spaced.reasons, spaced.how, getattr(spaced, "label", ""))
    best, best_words = None, []
    for i, line in enumerate(text.splitlines()):
        words = [w for w in HEADER_WORDS if w in line]
        if len(words) > len(best_words) and len(line) < 400:
            best, best_words = i, words
    header = [t for _, t in chunks(text.splitlines()[best])] if best is not None else []
    return Recognised(org.short_name if org else None, head.fiscal_year, looks_like,
                      best + 1 if best is not None else None, header, best_words)


def _short(label: str, size: int = 30) -> str:
    return label if len(label) <= size else label[:size].rstrip() + "…"


def unreadable_message(text: str, file_name: str, spaced: Spaced | None = None, from_pdf: bool = False) -> str:
    r = recognise(text, spaced)
    lines = [f"ไม่รู้จักรูปแบบของไฟล์ {file_name}: ไม่พบตารางมาตรการหรือตารางแผนปฏิบัติการที่ระบบอ่านได้", "สิ่งที่ระบบพบ:"]
    lines.append(f"- หน่วยงาน: {r.organization or 'ไม่พบ'}")
    lines.append(f"- ปีงบประมาณ: {r.fiscal_year or 'ไม่พบ'}")
    lines.append(f"- ลักษณะเอกสาร: {r.looks_like or 'ไม่ทราบ'}")
    if r.unsafe_lines and r.how == "lines":
        lines.append(f"- หัวตารางแบบบรรทัดละหนึ่งช่อง (บรรทัด {r.header_line}, {len(r.header)} ช่อง): "
                     + " | ".join(_short(h) for h in r.header))
        lines.append("- แบ่งแถวของตารางที่บรรทัด " + ", ".join(map(str, r.unsafe_lines[:10])) + " ไม่ได้อย่างปลอดภัย:")
        lines.extend(f"  บรรทัด {n}: {r.reasons.get(n, '')}" for n in r.unsafe_lines[:5])
        need = ("ให้ทุกแถวมีบรรทัดละหนึ่งช่องครบเท่าหัวตาราง (ช่องที่ว่างเป็นบรรทัดว่าง) "
                "หรือคั่นแต่ละช่องด้วยแท็บ (แผนปฏิบัติการต้องมีช่องไตรมาสครบทั้ง 4 ช่อง) "
                "หรือส่งไฟล์ Word (.docx) ต้นฉบับ")
    elif r.unsafe_lines and from_pdf:
        # a PDF has no line numbers to look up: each reason names its page and words (lib.ingest)
        lines.append(f"- หัวตาราง ({len(r.header)} ช่อง): " + " | ".join(_short(h) for h in r.header))
        lines.append(f"- ตารางไม่มีเส้นตาราง แบ่งแถวหรือคอลัมน์ไม่ได้อย่างปลอดภัย {len(r.unsafe_lines)} บรรทัด:")
        lines.extend(f"  {r.reasons.get(n, '')}" for n in r.unsafe_lines[:5])
        need = PDF_NEED
    elif r.unsafe_lines and r.how == "lost_tabs":
        lines[0] = (f"ไฟล์ {file_name}: ตารางคั่นช่องด้วยแท็บ แต่บางบรรทัดของตารางไม่มีแท็บครบ "
                    "ระบบจึงยังไม่นำเข้า เพื่อไม่ให้แถวหายไปหรือข้อมูลเลื่อนช่อง")
        if r.header_line in r.reasons:
            lines.append(f"- หัวตาราง (บรรทัด {r.header_line}): {_short(' '.join(r.header), 80)}")
        else:
            lines.append(f"- หัวตาราง (บรรทัด {r.header_line}, {len(r.header)} ช่อง) คั่นช่องด้วยแท็บ: "
                         + " | ".join(_short(h) for h in r.header))
        lines.append("- แต่บรรทัด " + ", ".join(map(str, r.unsafe_lines[:10])) + (" ..." if len(r.unsafe_lines) > 10 else "")
                     + " ของตารางไม่มีแท็บครบ (แท็บกลายเป็นช่องว่าง เช่น โปรแกรมแก้ไขข้อความแปลงแท็บเพียงบางบรรทัด "
                     "หรือแถวแตกเป็นหลายบรรทัดโดยไม่มีแท็บ เช่น ตารางที่คัดลอกจากหน้าเว็บ) "
                     "และแบ่งช่องให้ได้เท่าหัวตารางอย่างแน่นอนไม่ได้:")
        lines.extend(f"  บรรทัด {n}: {r.reasons.get(n, '')}" for n in r.unsafe_lines[:5])
        need = ("บันทึกไฟล์ใหม่โดยให้ทุกแถวของตารางคั่นช่องด้วยแท็บ (ปิดการแปลงแท็บเป็นช่องว่างของโปรแกรมแก้ไขข้อความ) "
                "หรือแก้บรรทัดที่ระบุให้คั่นช่องด้วยแท็บครบเท่าหัวตาราง หรือส่งไฟล์ Word (.docx) ต้นฉบับ "
                "(ตารางจากหน้าเว็บ: ส่งไฟล์ Word หรือ PDF ที่หน่วยงานเผยแพร่แทนข้อความที่คัดลอก)")
    elif r.unsafe_lines and r.how == "tabs":
        lines.append(f"- หัวตาราง (บรรทัด {r.header_line}, {len(r.header)} ช่อง) คั่นช่องด้วย{r.label}: "
                     + " | ".join(_short(h) for h in r.header))
        lines.append("- แถวของตารางที่บรรทัด " + ", ".join(map(str, r.unsafe_lines[:10]))
                     + (" ..." if len(r.unsafe_lines) > 10 else "") + " แบ่งช่องให้ได้เท่าหัวตารางอย่างแน่นอนไม่ได้:")
        lines.extend(f"  บรรทัด {n}: {r.reasons.get(n, '')}" for n in r.unsafe_lines[:5])
        need = ("คั่นแต่ละช่องด้วยแท็บ (ไม่แทนแท็บด้วยช่องว่าง) หรือใช้ '|' คั่นช่องโดยไม่มี '|' ในข้อความ "
                "โดยทุกแถวมีจำนวนช่องเท่าหัวตาราง หรือส่งไฟล์ Word (.docx) ต้นฉบับ")
    elif r.unsafe_lines:
        lines.append(f"- หัวตาราง (บรรทัด {r.header_line}, {len(r.header)} ช่อง): " + " | ".join(_short(h) for h in r.header))
        lines.append("- แบ่งคอลัมน์ของบรรทัด " + ", ".join(map(str, r.unsafe_lines[:10]))
                     + (" ..." if len(r.unsafe_lines) > 10 else "") + " ไม่ได้อย่างปลอดภัย:")
        lines.extend(f"  บรรทัด {n}: {r.reasons.get(n, 'ช่องว่างระหว่างข้อความไม่ตรงกับตำแหน่งหัวตาราง')}"
                     for n in r.unsafe_lines[:5])
        need = ("คั่นแต่ละช่องด้วยแท็บ หรือจัดข้อความทุกบรรทัดให้ตรงกับตำแหน่งหัวตาราง (ข้อความในแต่ละช่องชิดบนและชิดซ้าย) "
                "หรือส่งไฟล์ Word (.docx) ต้นฉบับ")
    elif r.header_words and from_pdf:
        lines.append(f"- คำในหัวตาราง: {', '.join(r.header_words)} แต่ตารางไม่มีเส้นแบ่งช่องที่ระบบใช้แยกคอลัมน์ได้")
        need = PDF_NEED
    elif r.header_words:
        lines.append(f"- คำในหัวตาราง (บรรทัด {r.header_line}): {', '.join(r.header_words)} "
                     "แต่แยกเป็นช่องไม่ได้ (ต้องคั่นด้วยแท็บ หรือเว้นวรรคอย่างน้อย 2 ช่อง และมีอย่างน้อย 3 คอลัมน์ที่รู้จัก)")
        need = "ให้หัวตารางอยู่ในบรรทัดเดียว คั่นแต่ละช่องด้วยแท็บ หรือเว้นวรรคอย่างน้อย 2 ช่อง"
    else:
        lines.append("- หัวตาราง: ไม่พบ (ต้องมีหัวตาราง เช่น 'มาตรการ', 'ขั้นตอน', 'ผู้รับผิดชอบ' หรือ "
                     "'ลำดับ', 'รายการโครงการ', 'มิติ')")
        need = "ส่งเอกสารที่มีตารางมาตรการหรือตารางสรุปแผนปฏิบัติการ"
    lines.append("รูปแบบที่ระบบอ่านได้: " + "; ".join(SUPPORTED))
    lines.append("ชนิดไฟล์ที่อ่านได้: " + "; ".join(FORMATS))
    lines.append(f"สิ่งที่ต้องทำ: {need}")
    return "\n".join(lines)

