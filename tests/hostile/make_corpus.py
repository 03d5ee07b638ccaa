"""Build the hostile-input corpus: broken, hostile and impossible variants of the seed documents.

Run `python -m tests.hostile.make_corpus` to rewrite tests/hostile/corpus/ and expected.csv.
Each file is refused by the importers with a Thai message holding the `expect` fragment.
Files too large to keep in the repository (50 MB, zip bombs) are made by the test itself.
"""
from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[1] / "data" / "seeds"
CORPUS = HERE / "corpus"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def cut_after_line(text: str, marker: str, extra_chars: int | None = None) -> str:
    """The text up to the line holding `marker`; with extra_chars, cut inside the next line."""
    head, _, rest = text.partition(marker)
    line_end = rest.find("\n")
    kept = head + marker + rest[:line_end + 1]
    return kept + (rest[line_end + 1:line_end + 1 + extra_chars] if extra_chars else "")


def cases() -> list[tuple[str, bytes, str, str]]:
    plan, bongti, po, nongwang = seed("003"), seed("001"), seed("002"), seed("000")
    po_row = "การประชุมประจำเดือนพนักงาน\tจัดให้มีการประชุมพนักงาน"
    po_row_line = next(line for line in po.splitlines() if line.startswith(po_row))
    out = [
        ("empty.txt", b"", "ว่างเปล่า", "empty file"),
        ("whitespace_only.txt", b"  \n\t\n   \n", "ว่างเปล่า", "only whitespace"),
        ("png_named_txt.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "ไบนารี", "a PNG picture"),
        ("pdf_named_txt.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02", "ไบนารี",
         "a PDF"),
        ("nul_in_the_middle.txt", po.encode()[:5000] + b"\x00\x00" + po.encode()[5000:], "ไบนารี",
         "a text with NUL bytes far from its start"),
        ("utf16.txt", po.encode("utf-16"), "UTF-16", "the seed saved as UTF-16"),
        # the seed in Windows Thai (cp874) is read, not refused: tests/test_hostile.py::test_cp874_text_reads_like_utf8
        ("cp1252_french.txt", "Rapport annuel des élèves à l'école\tcolonne\tmesure\n".encode("cp1252") * 5,
         "UTF-8", "Western European bytes that also decode as cp874 but are not Thai"),
        ("latin1_garbage.txt", "Rapport annuel – données €\tcolonne\n".encode("cp1252") + b"\xff\xfe\xfd" * 10,
         "UTF-8", "bytes that are neither UTF-8 nor Thai"),
        ("prose_no_table.txt", "บันทึกข้อความ\nเรื่อง ขออนุมัติจัดซื้อวัสดุ\nเรียน นายก อบต.\n".encode(),
         "ไม่รู้จักรูปแบบ", "a memo with no table"),
        ("comma_separated.txt", "ลำดับ,รายการโครงการ,มิติ,งบประมาณ\n1,โครงการ,1,0\n".encode(), "ไม่รู้จักรูปแบบ",
         "CSV saved as .txt"),
        ("unrelated_table.txt", "ชื่อ\tนามสกุล\tเบอร์โทร\nสมชาย\tใจดี\t0812345678\n".encode(), "ไม่รู้จักรูปแบบ",
         "a table of another kind"),
        ("plan_cut_mid_table.txt", cut_after_line(plan, "8\tมาตรการออกคำสั่งมอบหมาย").encode(), "รวมทั้งสิ้น",
         "the action plan cut after its 8th row"),
        ("plan_cut_mid_row.txt", cut_after_line(plan, "8\tมาตรการออกคำสั่งมอบหมาย", 14).encode(), "คอลัมน์",
         "the action plan cut inside a row"),
        ("plan_header_only.txt", cut_after_line(plan, "\t\t\t\t1\t2\t3\t4").encode(), "ไม่พบรายการโครงการ",
         "the plan's header with no rows"),
        ("measures_cut_mid_row.txt", cut_after_line(po, "(๑) กระบวนการปฏิบัติงาน", 60).encode(), "คอลัมน์",
         "a measures report cut inside a row"),
        ("measures_header_only.txt", cut_after_line(po, "สรุปผลการดำเนินการตามมาตรการ/กิจกรรม").encode(),
         "ไม่พบแถวมาตรการ", "a measures report with its header only"),
        ("ce_fiscal_year.txt", po.replace("พ.ศ. 2567", "พ.ศ. 2024").replace("พ.ศ. ๒๕๖๗", "พ.ศ. ๒๐๒๔").encode(),
         "ค.ศ.", "the fiscal year written in CE"),
        ("ce_periods.txt", po.replace("ต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗", "ต.ค. 2023 - ก.ย. 2024").encode(), "ค.ศ.",
         "periods written in CE"),
        ("impossible_date.txt", replace_once(nongwang, "๒ มกราคม - ๓๐ มิถุนายน ๒๕๖๘",
                                             "๒ มกราคม - ๓๑ กุมภาพันธ์ ๒๕๖๘").encode(), "ไม่มีอยู่จริง",
         "31 February"),
        ("end_before_start.txt", replace_once(po, "ต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗", "ต.ค. ๒๕๖๗ - ก.ย. ๒๕๖๖").encode(),
         "ก่อนวันเริ่มต้น", "a period that ends before it starts"),
        ("negative_budget.txt", replace_once(plan, "\t2\t20,000.00\t", "\t2\t-20,000.00\t").encode(), "งบประมาณ",
         "a negative budget"),
        ("text_budget.txt", replace_once(plan, "\t2\t20,000.00\t", "\t2\tสองหมื่นบาท\t").encode(), "งบประมาณ",
         "a budget in words"),
        ("two_numbers_budget.txt", replace_once(plan, "\t2\t20,000.00\t", "\t2\t20,000.00 15,000.00\t").encode(),
         "งบประมาณ", "two amounts in one budget cell"),
        ("accounting_negative_budget.txt", replace_once(plan, "\t2\t20,000.00\t", "\t2\t(20,000.00)\t").encode(),
         "งบประมาณ", "an accounting negative (20,000.00)"),
        ("unicode_minus_budget.txt", replace_once(plan, "\t2\t20,000.00\t", "\t2\t\u221220,000.00\t").encode(),
         "งบประมาณ", "a budget with the minus sign U+2212"),
        ("plan_without_budget_column.txt",
         replace_once(plan, "\tมิติ\tงบประมาณ (บาท)\t", "\tมิติ งบประมาณ (บาท)\t\t").encode(), "งบประมาณ",
         "a plan header whose budget column runs into the dimension's"),
        ("plan_without_quarter_columns.txt",
         replace_once(plan, "\tดำเนินการไตรมาส\t", "\tดำเนินการ\t").encode(), "ไตรมาส",
         "a plan header without the quarter columns"),
        ("plan_row_without_title.txt", replace_once(plan, "5\tมาตรการ NO Gift Policy\t", "5\t\t").encode(),
         "ไม่มีชื่อโครงการ", "a plan row whose title cell is empty"),
        ("measure_row_without_title.txt", replace_once(po, po_row, "\tจัดให้มีการประชุมพนักงาน").encode(),
         "ไม่มีชื่อมาตรการ", "a measure row whose title cell is empty"),
        ("dimension_nine.txt", replace_once(plan, "\t2\t20,000.00\t", "\t9\t20,000.00\t").encode(), "มิติ",
         "a dimension outside 1-4"),
        ("duplicate_plan_seq.txt", replace_once(plan, "8\tมาตรการออกคำสั่ง", "7\tมาตรการออกคำสั่ง").encode(), "ซ้ำ",
         "two plan rows with the same number"),
        ("duplicate_measure_row.txt", replace_once(po, po_row_line, po_row_line + "\n" + po_row_line).encode(),
         "ซ้ำ", "a measure row repeated"),
        ("unknown_item_code.txt", replace_once(bongti, "i๗ ท่านรู้", "x๗ ท่านรู้").encode(), "รหัสข้อคำถาม",
         "an ITA code that is no code"),
        ("script_tag.txt", replace_once(po, "การประชุมประจำเดือนพนักงาน", "<script>alert('x')</script>").encode(),
         "<script>", "a script in a measure title"),
        ("escaped_script.txt", replace_once(po, "การประชุมประจำเดือนพนักงาน", "&lt;script&gt;alert(1)&lt;/script&gt;"
                                            ).encode(), "<script>", "an entity-escaped script"),
        ("img_onerror.txt", replace_once(po, "ทุกสำนัก/กอง", '<img src="x" onerror="alert(1)">').encode(), "<img>",
         "an image tag with a handler"),
        ("javascript_link.txt", replace_once(bongti, 'href="https://www.bongti.go.th/Plantypeplan"',
                                             'href="javascript:alert(document.cookie)"').encode(), "javascript",
         "a javascript: link"),
        ("iframe.txt", replace_once(po, "สำนักปลัด", '<iframe src="https://evil.example"></iframe>').encode(),
         "<iframe>", "an iframe"),
        ("onclick_paragraph.txt", replace_once(nongwang, "<p>สำนักปลัด</p>", '<p onclick="steal()">สำนักปลัด</p>'
                                               ).encode(), "onclick", "an event handler on a paragraph"),
        ("style_tag.txt", replace_once(po, "สำนักปลัด", "<style>body{display:none}</style>").encode(), "<style>",
         "a style sheet"),
        ("svg_onload.txt", replace_once(po, "สำนักปลัด", "<svg onload=alert(1)>").encode(), "<svg>",
         "an SVG with onload"),
        ("form_tag.txt", replace_once(po, "สำนักปลัด", '<form action="https://evil.example"><input name=p></form>'
                                      ).encode(), "<form>", "a form"),
        ("svg_newline_onload.txt", replace_once(po, "สำนักปลัด", "<svg\nonload=alert(1)>").encode(), "<svg>",
         "an SVG tag broken over two lines"),
        ("javascript_tab_entity.txt", replace_once(bongti, 'href="https://www.bongti.go.th/Plantypeplan"',
                                                   'href="jav&#x09;ascript:alert(1)"').encode(), "javascript",
         "a javascript: link split by an encoded tab"),
        ("javascript_zero_width.txt", replace_once(bongti, 'href="https://www.bongti.go.th/Plantypeplan"',
                                                   'href="java\u200bscript:alert(1)"').encode(), "javascript",
         "a javascript: link split by a zero-width space"),
        ("double_escaped_script.txt", replace_once(po, "การประชุมประจำเดือนพนักงาน", "&amp;lt;script&amp;gt;alert(1)"
                                                   "&amp;lt;/script&amp;gt;").encode(), "<script>",
         "a script escaped twice"),
        ("percent_escaped_script.txt", replace_once(po, "การประชุมประจำเดือนพนักงาน", "%3Cscript%3Ealert(1)%3C/script%3E"
                                                    ).encode(), "<script>", "a percent-escaped script"),
        ("fullwidth_script.txt", replace_once(po, "การประชุมประจำเดือนพนักงาน", "\uff1cscript\uff1ealert(1)").encode(),
         "<script>", "a script in full-width brackets"),
        ("sql_comment_drop.txt", replace_once(po, "สำนักปลัด", "x'; DROP/**/TABLE measure; --").encode(), "SQL",
         "DROP/**/TABLE"),
        ("sql_comment_union.txt", replace_once(po, "สำนักปลัด", "x' UNION/**/SELECT name FROM organization").encode(),
         "SQL", "UNION/**/SELECT"),
        ("sql_split_keyword.txt", replace_once(po, "สำนักปลัด", "x'; DR/**/OP TABLE measure").encode(), "SQL",
         "a keyword split by a comment"),
        ("sql_drop_table.txt", replace_once(po, "สำนักปลัด", "สำนักปลัด'; DROP TABLE measure; --").encode(), "SQL",
         "SQL that drops a table"),
        ("sql_union_select.txt", replace_once(po, "สำนักปลัด", "x' UNION SELECT name FROM organization").encode(),
         "SQL", "SQL that reads another table"),
        ("sql_or_true.txt", replace_once(po, "สำนักปลัด", "' OR '1'='1").encode(), "SQL", "an always-true clause"),
        ("sql_delete.txt", replace_once(plan, "โครงการจัดเวทีประชาคม", "DELETE FROM plan_item").encode(), "SQL",
         "SQL that deletes rows"),
        ("no_organization.txt", po.replace("องค์การบริหารส่วนตำบลปอ", "หน่วยงาน").replace("อบต.ปอ", "หน่วยงาน")
         .replace("อบต. ปอ", "หน่วยงาน").replace("www.por.go.th", "").encode(), "หน่วยงาน",
         "no organization named anywhere"),
        ("no_fiscal_year.txt", po.replace("ประจำปีงบประมาณ พ.ศ. 2567", "").replace("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "")
         .encode(), "ปีงบประมาณ", "no fiscal year on the title page"),
    ]
    return out


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    rows = []
    for name, data, expect, what in cases():
        (CORPUS / name).write_bytes(data)
        rows.append({"file": name, "expect": expect, "what": what})
    with open(HERE / "expected.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "expect", "what"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} files in {CORPUS}")


if __name__ == "__main__":
    main()
