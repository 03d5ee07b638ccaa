"""PostgreSQL for tests: one migrated template database per schema, a fresh copy for each test.

The cluster is the one `deploy/pg start` runs; its URLs come from `eval "$(deploy/pg env)"`. They are
read once here (conftest imports this first) and ITA_DATABASE_URL is taken out of the environment, so
neither a test nor a server it starts uses the shared deployment unless it asks for one. Without a cluster the shared tests are skipped,
unless ITA_REQUIRE_PG is set (CI sets it): then they fail.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]

APP_URL = os.environ.pop("ITA_DATABASE_URL", None)
OWNER_URL = os.environ.get("ITA_DATABASE_OWNER_URL")
_made: set[str] = set()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def require() -> None:
    if APP_URL and OWNER_URL:
        return
    message = 'PostgreSQL is not started: deploy/pg start && eval "$(deploy/pg env)"'
    if os.environ.get("ITA_REQUIRE_PG"):
        pytest.fail(message)
    pytest.skip(message)


def _digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "lib" / "store" / "migrations").glob("*.sql")) + [ROOT / "lib/store/pg_schema.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Read once, as the code this process runs was loaded: a file edited during a run names a template
# this process would otherwise fill with its older schema.
DIGEST = _digest()


def _template() -> str:
    from lib.store.pg import connect
    from lib.store.pg_schema import migrate

    name = f"ita_tpl_{DIGEST}"
    if name not in _made:
        with connect(with_database(OWNER_URL, "postgres"), autocommit=True) as con:
            if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                con.execute(f"CREATE DATABASE {name}")
                migrate(with_database(OWNER_URL, name), urlsplit(APP_URL).username)
        _made.add(name)
    return name


def new_database() -> str:
    """A fresh migrated database; returns its name (drop it with drop_database)."""
    from lib.store.pg import connect

    require()
    template = _template()
    name = f"ita_t_{uuid.uuid4().hex[:12]}"
    with connect(with_database(OWNER_URL, "postgres"), autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


def drop_database(name: str) -> None:
    from lib.store.pg import connect

    with connect(with_database(OWNER_URL, "postgres"), autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def app_url(name: str) -> str:
    return with_database(APP_URL, name)


def owner_url(name: str) -> str:
    return with_database(OWNER_URL, name)
