"""python -m lib.store.summaries --check [--as-of YYYY-MM-DD ...] | --rebuild [--db FILE]: compare the
summaries with a recomputation from the raw rows (exit 1 when they differ), and the quarter rows read
back to past as-of dates (by default the last two quarter ends) with the raw rows counted as of those
dates; or rewrite them."""
import argparse
import datetime as dt
import sys

from lib.errors import run_cli
from lib.store import open_store
from lib.store.summaries import TABLES, check, check_as_of, rebuild


def main(argv: list[str] | None = None) -> int:
    return run_cli(_main, argv, "python -m lib.store.summaries")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ตรวจหรือสร้างตารางสรุป (summaries) จากข้อมูลดิบ")
    parser.add_argument("--db", help="ไฟล์ฐานข้อมูล (ค่าเริ่มต้น: ITA_DB_PATH หรือ data/ita.duckdb)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="คำนวณใหม่จากข้อมูลดิบแล้วเทียบกับที่เก็บไว้")
    action.add_argument("--rebuild", action="store_true", help="เขียนตารางสรุปใหม่ทั้งหมด")
    parser.add_argument("--as-of", action="append", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="วันที่ย้อนหลังที่จะตรวจ (ค่าเริ่มต้น: วันสิ้นไตรมาสสองไตรมาสล่าสุด)")
    args = parser.parse_args(argv)
    store = open_store(args.db)
    try:
        if args.rebuild:
            with store.transaction(keep_summaries=False) as cur:
                rebuild(cur)
            print("สร้างตารางสรุปใหม่แล้ว: " + ", ".join(
                f"{t} {store.query_rows(f'SELECT count(*) FROM {t}')[0][0]:,} แถว" for t in TABLES))
            return 0
        differences = check(store)
        differences.update(check_as_of(store, args.as_of or _last_quarter_ends(dt.date.today(), 2)))
    finally:
        store.close()
    for table, n in differences.items():
        print(f"{table}: {'ตรงกับข้อมูลดิบ' if n == 0 else f'ต่างจากข้อมูลดิบ {n:,} แถว'}")
    return 0 if not any(differences.values()) else 1


def _last_quarter_ends(today: dt.date, n: int) -> list[dt.date]:
    ends = [dt.date(y, m, d) for y in (today.year - 1, today.year) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    return sorted((e for e in ends if e < today), reverse=True)[:n]


if __name__ == "__main__":
    sys.exit(main())
