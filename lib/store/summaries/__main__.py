"""python -m lib.store.summaries --check | --rebuild [--db FILE]: compare the summaries with a
recomputation from the raw rows (exit 1 when they differ), or rewrite them."""
import argparse
import sys

from lib.errors import run_cli
from lib.store import open_store
from lib.store.summaries import TABLES, check, rebuild


def main(argv: list[str] | None = None) -> int:
    return run_cli(_main, argv, "python -m lib.store.summaries")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ตรวจหรือสร้างตารางสรุป (summaries) จากข้อมูลดิบ")
    parser.add_argument("--db", help="ไฟล์ฐานข้อมูล (ค่าเริ่มต้น: ITA_DB_PATH หรือ data/ita.duckdb)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="คำนวณใหม่จากข้อมูลดิบแล้วเทียบกับที่เก็บไว้")
    action.add_argument("--rebuild", action="store_true", help="เขียนตารางสรุปใหม่ทั้งหมด")
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
    finally:
        store.close()
    for table, n in differences.items():
        print(f"{table}: {'ตรงกับข้อมูลดิบ' if n == 0 else f'ต่างจากข้อมูลดิบ {n:,} แถว'}")
    return 0 if not any(differences.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
