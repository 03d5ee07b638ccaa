"""python -m lib.backup export --db PATH --out FILE.zip
python -m lib.backup restore --from FILE.zip --db NEW_PATH
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.backup import backup_zip, restore_backup
from lib.store import StoreError, open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.backup", description="สำรองและกู้คืนฐานข้อมูล")
    sub = parser.add_subparsers(dest="command", required=True)
    exp = sub.add_parser("export", help="สำรองฐานข้อมูลทั้งหมดเป็นไฟล์ zip (Parquet + schema)")
    exp.add_argument("--db", required=True)
    exp.add_argument("--out", required=True)
    res = sub.add_parser("restore", help="กู้คืนจากไฟล์สำรองลงฐานข้อมูลไฟล์ใหม่")
    res.add_argument("--from", dest="source", required=True)
    res.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            if not Path(args.db).exists():
                raise StoreError(f"ไม่พบฐานข้อมูล {args.db}")
            store = open_store(args.db)
            try:
                Path(args.out).write_bytes(backup_zip(store))
            finally:
                store.close()
            print(json.dumps({"backup": args.out}, ensure_ascii=False))
        else:
            manifest = restore_backup(args.source, args.db)
            print(json.dumps({"restored": args.db, "tables": manifest["tables"]}, ensure_ascii=False))
    except StoreError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
