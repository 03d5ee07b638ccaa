"""The shared deployment's command line (the URLs come from `eval "$(deploy/pg env)"`):

    python -m lib.store.shared_cli migrate     # as the owner (ITA_DATABASE_OWNER_URL): schema, triggers, rights
    python -m lib.store.shared_cli seed        # the default documents (data/seeds/); files already in add nothing
    python -m lib.store.shared_cli load --from data/ita.duckdb   # an embedded database into an empty shared one
    python -m lib.store.shared_cli backup --out ita-backup.zip          # pg_dump + manifest, as the app role
    python -m lib.store.shared_cli restore --from ita-backup.zip --database ita_restored   # NEW database, verified

A message in Thai on stderr and exit code 1 when something fails.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from lib.errors import StoreError, run_cli
from lib.store import pg_backup
from lib.store.db import import_seeds
from lib.store.pg import OWNER_URL_ENV, URL_ENV
from lib.store.pg_schema import migrate


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise StoreError(f'ยังไม่ได้ตั้งค่า {name} (เริ่มฐานข้อมูลด้วย deploy/pg start แล้ว eval "$(deploy/pg env)")')
    return value


def main(argv: list[str] | None = None) -> int:
    return run_cli(_main, argv, "python -m lib.store.shared_cli")


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.store.shared_cli")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate")
    sub.add_parser("seed")
    load = sub.add_parser("load")
    load.add_argument("--from", dest="source", required=True)
    backup = sub.add_parser("backup")
    backup.add_argument("--out", required=True)
    restore = sub.add_parser("restore")
    restore.add_argument("--from", dest="source", required=True)
    restore.add_argument("--database", required=True)
    args = parser.parse_args(argv)
    if args.command == "migrate":
        from urllib.parse import urlsplit

        app_role = urlsplit(_env(URL_ENV)).username
        print(json.dumps({"migrations_applied": migrate(_env(OWNER_URL_ENV), app_role)}))
    elif args.command == "load":
        from lib.store.bulk import load_embedded

        print(json.dumps(load_embedded(args.source, _env(OWNER_URL_ENV))))
    elif args.command == "backup":
        from pathlib import Path

        Path(args.out).write_bytes(pg_backup.backup_zip(_env(URL_ENV)))
        print(json.dumps({"backup": args.out}))
    elif args.command == "restore":
        from urllib.parse import urlsplit

        manifest = pg_backup.restore(args.source, _env(OWNER_URL_ENV), args.database,
                                     urlsplit(_env(URL_ENV)).username)
        print(json.dumps({"restored": manifest["restored_into"], "tables": manifest["tables"]}))
    else:
        from lib.store.shared import open_shared

        store = open_shared(_env(URL_ENV))
        try:
            results = import_seeds(store)
        finally:
            store.close()
        print(json.dumps({"documents": len(results), "new": sum(r.created for r in results)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
