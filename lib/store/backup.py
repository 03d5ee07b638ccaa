"""Whole-database backup (Parquet per table + the schema) and a restore that proves it is identical.

A backup is DuckDB's EXPORT DATABASE (schema.sql, load.sql, one Parquet file per table) plus a
manifest with each table's row count and an order-independent checksum of its rows. A restore
imports into a new database file and checks every table against the manifest before anyone
uses it; on any difference the new file is removed and nothing changes. The shared deployment's
backup is pg_dump's (lib/store/pg_backup.py), with the same kind of manifest.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import duckdb

from lib.store import pg_backup
from lib.store.db import Store, StoreError, open_store

MANIFEST = "manifest.json"


def table_fingerprints(con) -> dict[str, dict]:
    """Row count and checksum of every table; the same records give the same fingerprint."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' ORDER BY table_name").fetchall()]
    out = {}
    for table in tables:
        rows, checksum = con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM "{table}" AS t').fetchone()
        out[table] = {"rows": rows, "checksum": checksum}
    return out


def export_backup(store: Store, directory: str | Path) -> dict:
    """Write a backup into an empty or new directory; returns its manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise StoreError(f"โฟลเดอร์ {directory} มีไฟล์อยู่แล้ว กรุณาเลือกโฟลเดอร์ว่างสำหรับไฟล์สำรอง")
    directory.mkdir(parents=True, exist_ok=True)
    with store.cursor() as cur:
        cur.execute(f"EXPORT DATABASE '{_sql_path(directory)}' (FORMAT parquet)")
        manifest = {
            "format": "ita-dashboard-backup/1",
            "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "schema_version": cur.execute("SELECT max(version) FROM schema_migration").fetchone()[0],
            "tables": table_fingerprints(cur),
        }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def backup_zip(store: Store) -> bytes:
    """The whole backup as one zip file (for a download)."""
    store.access.require_admin()
    if store.shared:
        return pg_backup.backup_zip(store.url)
    with tempfile.TemporaryDirectory() as tmp:
        export_backup(store, Path(tmp) / "backup")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted((Path(tmp) / "backup").iterdir()):
                zf.write(path, path.name)
        return buffer.getvalue()


def restore_backup(source: str | Path | bytes, target: str | Path) -> dict:
    """Restore a backup (directory, zip file or zip bytes) into a NEW database file at `target`.

    Returns the manifest. Raises StoreError (Thai) and leaves no file behind when the backup is
    unreadable or the restored tables differ from the manifest.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(f"มีไฟล์ฐานข้อมูล {target.name} อยู่แล้ว การกู้คืนต้องทำลงไฟล์ใหม่เพื่อไม่ให้ข้อมูลเดิมหาย")
    with tempfile.TemporaryDirectory() as tmp:
        directory = _unpack(source, Path(tmp))
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise StoreError("ไฟล์สำรองไม่สมบูรณ์: ไม่พบหรืออ่าน manifest.json ไม่ได้") from None
        if manifest.get("format") != "ita-dashboard-backup/1":
            raise StoreError("ไฟล์นี้ไม่ใช่ไฟล์สำรองของระบบนี้")
        try:
            # no progress bar: on a slow import DuckDB draws it on stdout, where the CLI prints its JSON
            con = duckdb.connect(str(target))
            try:
                con.execute("SET enable_progress_bar = false")
                con.execute(f"IMPORT DATABASE '{_sql_path(directory)}'")
                restored = table_fingerprints(con)
            finally:
                con.close()
        except duckdb.Error as e:
            _remove_db(target)
            raise StoreError(f"กู้คืนไม่สำเร็จ ไฟล์สำรองอ่านไม่ได้หรือไม่สมบูรณ์ ({e})") from None
        if restored != manifest["tables"]:
            _remove_db(target)
            differing = sorted(t for t in set(restored) | set(manifest["tables"])
                               if restored.get(t) != manifest["tables"].get(t))
            raise StoreError("กู้คืนไม่สำเร็จ ข้อมูลที่กู้คืนไม่ตรงกับไฟล์สำรองในตาราง: " + ", ".join(differing))
    return manifest


def replace_database(current: str | Path, restored: str | Path) -> Path:
    """Put a restored database in place of the current one (closed by the caller); the current
    file is kept beside it, renamed with the time, so nothing is lost. Returns that kept path."""
    current, restored = Path(current), Path(restored)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = current.with_name(f"{current.stem}.before-restore-{stamp}{current.suffix}")
    if current.exists():
        current.rename(kept)
        wal = current.with_name(current.name + ".wal")
        if wal.exists():
            wal.rename(kept.with_name(kept.name + ".wal"))
    shutil.move(str(restored), str(current))
    return kept


def _unpack(source: str | Path | bytes, tmp: Path) -> Path:
    if isinstance(source, (bytes, bytearray)):
        return _extract(io.BytesIO(source), tmp)
    source = Path(source)
    if source.is_dir():
        return source
    return _extract(source, tmp)


def _extract(zip_source, tmp: Path) -> Path:
    directory = tmp / "restore"
    try:
        with zipfile.ZipFile(zip_source) as zf:
            names = zf.namelist()
            if any("/" in n or "\\" in n or n.startswith(".") for n in names):
                raise StoreError("ไฟล์สำรองมีโครงสร้างไม่ถูกต้อง (มีโฟลเดอร์ซ้อนหรือชื่อไฟล์แปลก)")
            if sum(i.file_size for i in zf.infolist()) > 2 * 1024 ** 3:
                raise StoreError("ไฟล์สำรองขยายแล้วใหญ่เกิน 2 GB ระบบไม่กู้คืน")
            zf.extractall(directory)
    except (zipfile.BadZipFile, OSError):
        raise StoreError("ไฟล์สำรองเสียหรือไม่ใช่ไฟล์ zip") from None
    return directory


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def restore_in_place(store: Store, backup: bytes) -> Path:
    """Restore a backup over the store's database file: verify it in a new file first, then close
    the store and swap the files. Returns where the previous database was kept."""
    store.access.require_admin()
    current = Path(store.path)
    staging = current.with_name(f"{current.stem}.restoring{current.suffix}")
    _remove_db(staging)
    restore_backup(backup, staging)
    store.close()
    return replace_database(current, staging)


# -- command line: python -m lib.store.backup export|restore ------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.store.backup", description="สำรองและกู้คืนฐานข้อมูล")
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
