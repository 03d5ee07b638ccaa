#!/usr/bin/env python3
"""How the document readers scale with the size of a document: seconds per shape and size.

    .venv/bin/python bench/parse_scaling.py            # 1, 2, 4, 8 MB
    .venv/bin/python bench/parse_scaling.py --max-mb 16

Each shape grows one part of a seed document (one long row, many rows, many names) to the
size asked; a reader that is linear in size shows a flat "s/MB" column. The shapes are shared
with tests/test_parse_scaling.py, which counts the work done instead of timing it.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _grow(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode()))


def plan_long_title(size: int) -> str:
    """One summary row of the action plan whose title is `size` bytes (detail sheet unchanged)."""
    plan = _seed("003")
    return plan.replace("โครงการจัดเวทีประชาคม", "โครงการจัดเวทีประชาคม" + _grow("ก", size), 1)


def plan_long_title_both(size: int) -> str:
    """The same long title in the summary and in its detail sheet, differing by one letter."""
    plan = _seed("003")
    long = _grow("ขก", size // 2)
    plan = plan.replace("โครงการจัดเวทีประชาคม", "โครงการจัดเวทีประชาคม" + long, 1)
    head, mark, rest = plan.rpartition("โครงการจัดเวทีประชาคม")
    return head + mark + long[:-1] + "ค" + rest


def plan_many_rows(size: int) -> str:
    """An action plan of many short items, each with its detail sheet."""
    n = max(4, size // 420)
    rows, details = [], []
    for i in range(1, n + 1):
        rows.append(f"{i}\tโครงการอบรมคุณธรรมรุ่นที่ {i}\t{i % 4 + 1}\t1,000.00\t☑\t\t\t\t")
        details.append(f"ลำดับที่ {i}\n1. ชื่อโครงการ : โครงการอบรมคุณธรรมรุ่นที่ {i}\n"
                       "2. หลักการและเหตุผล\nเพื่อส่งเสริมคุณธรรม\n7. งบประมาณ\n1,000 บาท\n")
    return "\n".join([
        "แผนปฏิบัติการป้องกันการทุจริต", "ปีงบประมาณ พ.ศ. ๒๕๖๙",
        "องค์การบริหารส่วนตำบลตะโก อำเภอทับสะแก จังหวัดประจวบคีรีขันธ์", "",
        "ลำดับ\tรายการโครงการ (ตั้งต้น)\tมิติ\tงบประมาณ (บาท)\tดำเนินการไตรมาส\t\t\t\tหมายเหตุ",
        "\t\t\t\t1\t2\t3\t4\t", *rows, f"รวมทั้งสิ้น\t\t\t{n * 1000:,.2f}\t{n}\t0\t0\t0\t", "", *details]) + "\n"


def measures_long_cell(size: int) -> str:
    """One measure whose steps cell is `size` bytes of paragraphs."""
    po = _seed("002")
    return po.replace("จัดให้มีการประชุมพนักงาน", "จัดให้มีการประชุมพนักงาน" + _grow("<p>ประชุมชี้แจง</p>", size), 1)


def measures_many_rows(size: int) -> str:
    """A measures report of many different rows."""
    po = _seed("002")
    row = "การประชุมประจำเดือนพนักงานครั้งที่ {i}\tจัดให้มีการประชุม\tสำนักปลัด\tต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗\tประชุมแล้ว\tดี"
    n = max(2, size // len(row.encode()))
    lines = "\n".join(row.format(i=i) for i in range(n))
    return po.replace("(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n",
                      "(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n" + lines + "\n", 1)


def measures_continued_row(size: int) -> str:
    """One measure whose cells run on over many continuation lines (rows with an empty first cell)."""
    po = _seed("002")
    line = "\tประชุมชี้แจงต่อเนื่อง\t\t\t\t"
    return po.replace("(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n",
                      "(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n"
                      "ประชุมพิเศษ\tเริ่ม\tสำนักปลัด\tต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗\tประชุมแล้ว\tดี\n"
                      + (line + "\n") * max(1, size // len(line.encode())), 1)


def many_organization_names(size: int) -> str:
    """A report whose text names many different organizations (each once)."""
    po = _seed("002")
    letters = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"

    def thai_number(i: int) -> str:
        out = ""
        while True:
            i, r = divmod(i, len(letters))
            out += letters[r]
            if not i:
                return out
    n = max(2, size // 60)
    names = " ".join(f"องค์การบริหารส่วนตำบลทดสอบ{thai_number(i)} และ อบต.ลอง{thai_number(i)}" for i in range(n))
    return po.replace("ทุกสำนัก/กอง", "ทุกสำนัก/กอง " + names, 1)


def _without_tabs(tab_text: str, gap: int = 3) -> str:
    """Each table's cells padded into aligned columns by runs of spaces (text copied from a web page)."""
    from lib.ingest.spaced import width

    out, table = [], []

    def flush():
        if table:
            n = max(len(r) for r in table)
            widths = [max(width(r[k]) for r in table if k < len(r)) for k in range(n)]
            out.extend("".join(c + " " * (widths[k] - width(c) + gap) for k, c in enumerate(r)).rstrip()
                       for r in table)
            table.clear()
    for line in tab_text.splitlines():
        if "\t" in line:
            table.append([re.sub(r"<[^>]+>", " ", c).strip() for c in line.split("\t")])
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out) + "\n"


def spaced_many_rows(size: int) -> str:
    """A measures report of many rows copied from a web page: columns aligned by spaces, no tabs."""
    return _without_tabs(measures_many_rows(size))


def spaced_wrapped_rows(size: int) -> str:
    """Many rows whose steps cell is broken onto three lines of its column (the reader must learn
    which columns wrap and join the pieces)."""
    po = _seed("002")
    row = ("การประชุมประจำเดือนพนักงานครั้งที่ {i}\tจัดให้มีการประชุม<p>ชี้แจงแนวทาง</p><p>ติดตามผล</p>"
           "\tสำนักปลัด\tต.ค. ๒๕๖๖ - ก.ย. ๒๕๖๗\tประชุมแล้ว\tดี")
    n = max(2, size // len(row.encode()))
    lines = []
    for i in range(n):
        first, steps, *rest = row.format(i=i).split("\t")
        parts = re.findall(r"[^<>]+(?=</p>)|^[^<]+", steps)
        lines.append("\t".join([first, parts[0], *rest]))
        lines.extend("\t".join(["", p, "", "", "", ""]) for p in parts[1:])
    return _without_tabs(po.replace("(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n",
                                    "(๑) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ\t\t\t\t\t\n"
                                    + "\n".join(lines) + "\n", 1))


def tabs_as_spaces_rows(size: int) -> str:
    """Many rows whose tabs became two spaces each (`sed 's/\\t/  /g'`): no alignment, the tab reader's
    text recovered by lib.ingest.tab_spaces."""
    return measures_many_rows(size).replace("\t", "  ")


def pipes_plan_rows(size: int) -> str:
    """An action plan of many items written as a markdown table ("| a | b |"), trailing spaces trimmed."""
    return "\n".join(f"| {line.replace(chr(9), ' | ')} |".rstrip() if "\t" in line else line
                     for line in plan_many_rows(size).split("\n"))


def long_title_page(size: int) -> str:
    """A title page of one very long line before the first table."""
    po = _seed("002")
    return _grow("รายงานผลการดำเนินงาน ", size) + "\n" + po


SHAPES = {f.__name__: f for f in (plan_long_title, plan_long_title_both, plan_many_rows, measures_long_cell,
                                  measures_many_rows, measures_continued_row,
                                  many_organization_names, long_title_page, spaced_many_rows,
                                  spaced_wrapped_rows, tabs_as_spaces_rows, pipes_plan_rows)}


def read(text: str) -> str:
    """Read a document as the importers do; returns how it ended (imported or the refusal)."""
    from lib.ingest import IngestError, read_document

    try:
        doc = read_document(text.encode(), "bench.txt")
    except IngestError as e:
        return "refused: " + str(e).splitlines()[0][:60]
    return f"read: {len(doc.plan_items)} items, {len(doc.measures)} measures"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=int, default=8)
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sizes = [mb for mb in (1, 2, 4, 8, 16) if mb <= args.max_mb]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'shape':28} {'MB':>5} {'seconds':>8} {'CPU s':>7} {'s/MB':>6}  outcome")
    for name in args.shape or SHAPES:
        for mb in sizes:
            text = SHAPES[name](mb * 1024 * 1024)
            started, cpu = time.perf_counter(), time.process_time()
            outcome = read(text)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            real_mb = len(text.encode()) / 1024 / 1024
            print(f"{name:28} {real_mb:5.1f} {seconds:8.2f} {cpu:7.2f} {cpu / real_mb:6.2f}  {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
