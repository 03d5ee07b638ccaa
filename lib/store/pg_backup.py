"""Backup and restore of the shared deployment: pg_dump, and a restore into a NEW database, verified.

A backup is one zip: `database.dump` (pg_dump's custom format) and `manifest.json` with every
table's row count and an order-independent checksum of its rows. Both come from the same
snapshot (pg_dump --snapshot), so the manifest describes exactly what the dump holds even while
clerks keep writing. A restore creates a new database (as the schema's owner; the app role cannot
create databases), pg_restore's the dump into it and compares every table with the manifest; on
any difference the new database is dropped and nothing changes. Switching the app processes to
the restored database is the operator's step: set ITA_DATABASE_URL to it and restart them.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from lib.errors import StoreError
from lib.store.pg import connect, safe_url
from lib.store.pg_schema import tables

FORMAT = "ita-dashboard-backup-postgresql/1"
DUMP, MANIFEST = "database.dump", "manifest.json"


def pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version (Debian keeps them per version)."""
    folder = os.environ.get("ITA_PG_BIN")
    if not folder:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        folder = str(found[-1]) if found else ""
    return str(Path(folder) / name) if folder else name


def fingerprints(cur) -> dict[str, dict]:
    out = {}
    for table in tables(cur):
        cur.execute(f'SELECT count(*), coalesce(sum((\'x\' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text '
                    f'FROM "{table}" t')
        rows, checksum = cur.fetchone()
        out[table] = {"rows": rows, "checksum": checksum}
    return out


def _env_for(url: str) -> tuple[str, dict]:
    """The URL without its password, and an environment carrying the password for the pg tools."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    netloc = (f"{parts.username}@" if parts.username else "") + (parts.hostname or "") + \
        (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), env


def backup_zip(url: str) -> bytes:
    """The whole shared database as one zip (dump + manifest from one snapshot)."""
    plain, env = _env_for(url)
    with tempfile.TemporaryDirectory() as tmp, connect(url, autocommit=True) as con:
        dump = Path(tmp) / DUMP
        with con.transaction():
            cur = con.cursor()
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            manifest = {"format": FORMAT, "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
                        "schema_version": cur.execute("SELECT max(version) FROM schema_migration").fetchone()[0],
                        "tables": fingerprints(cur)}
            done = subprocess.run([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                                   "--no-owner", f"--file={dump}", f"--dbname={plain}"],
                                  env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise StoreError(f"สำรองฐานข้อมูลกลางไม่สำเร็จ (pg_dump: {done.stderr.strip()[:500]})")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(dump, DUMP)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        return buffer.getvalue()


def restore(source: str | Path | bytes, owner_url: str, database: str, app_role: str = "ita_app") -> dict:
    """Restore a backup zip into the NEW database `database`; returns the manifest. StoreError (Thai)
    and no database left behind when the file is not a backup or the restored tables differ."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise StoreError("ชื่อฐานข้อมูลใหม่ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ _ (ไม่เกิน 63 ตัว)")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source) as zf:
                if sorted(zf.namelist()) != sorted([DUMP, MANIFEST]):
                    raise StoreError("ไฟล์นี้ไม่ใช่ไฟล์สำรองของฐานข้อมูลกลาง (ต้องมี database.dump และ manifest.json)")
                zf.extractall(tmp)
            manifest = json.loads((Path(tmp) / MANIFEST).read_text(encoding="utf-8"))
        except (zipfile.BadZipFile, OSError, ValueError):
            raise StoreError("ไฟล์สำรองเสียหรือไม่ใช่ไฟล์ zip") from None
        if manifest.get("format") != FORMAT:
            raise StoreError("ไฟล์นี้ไม่ใช่ไฟล์สำรองของฐานข้อมูลกลาง")
        admin = urlunsplit(urlsplit(owner_url)._replace(path="/postgres"))
        target = urlunsplit(urlsplit(owner_url)._replace(path="/" + database))
        with connect(admin, autocommit=True) as con:
            if con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                raise StoreError(f"มีฐานข้อมูล {database} อยู่แล้ว การกู้คืนต้องทำลงฐานข้อมูลใหม่เพื่อไม่ให้ข้อมูลเดิมหาย")
            con.execute(f"CREATE DATABASE {database}")
            con.execute(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
            con.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE {database} TO "{app_role}"')
        try:
            plain, env = _env_for(target)
            done = subprocess.run([pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
                                   f"--dbname={plain}", str(Path(tmp) / DUMP)], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise StoreError(f"กู้คืนไม่สำเร็จ ไฟล์สำรองอ่านไม่ได้หรือไม่สมบูรณ์ (pg_restore: {done.stderr.strip()[:500]})")
            with connect(target) as con:
                restored = fingerprints(con.cursor())
            if restored != manifest["tables"]:
                differing = sorted(t for t in set(restored) | set(manifest["tables"])
                                   if restored.get(t) != manifest["tables"].get(t))
                raise StoreError("กู้คืนไม่สำเร็จ ข้อมูลที่กู้คืนไม่ตรงกับไฟล์สำรองในตาราง: " + ", ".join(differing))
        except (StoreError, psycopg.Error) as e:
            with connect(admin, autocommit=True) as con:
                con.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            if isinstance(e, StoreError):
                raise
            raise StoreError(f"กู้คืนไม่สำเร็จ (รายละเอียดทางเทคนิค: {e})") from e
    manifest["restored_into"] = safe_url(target)
    return manifest
