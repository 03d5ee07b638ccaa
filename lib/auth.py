"""Accounts, passwords and roles.

Accounts live in the app's own configuration file (TOML, path in ITA_ACCOUNTS, default
config/accounts.toml, never committed). Without that file the app runs in single-user local
mode: one local administrator, and the UI says so.

    [users.somchai]
    name = "สมชาย ใจดี"
    role = "editor"                      # viewer | editor | admin
    organizations = ["อบต.ตะโก"]         # short or full names; ["*"] = every organization
    password_hash = "pbkdf2_sha256$600000$...$..."   # python -m lib.auth hash
    email = "somchai@example.go.th"      # optional: matches an OpenID Connect sign-in
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lib.errors import AccessDenied

ACCOUNTS_ENV = "ITA_ACCOUNTS"
DEFAULT_ACCOUNTS = Path(__file__).resolve().parents[1] / "config" / "accounts.toml"
ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "ผู้บริหาร (ดูอย่างเดียว)", "editor": "คณะทำงาน (แก้ไขได้)", "admin": "ผู้ดูแลระบบ"}
_ITERATIONS = 600_000


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    organizations: tuple[str, ...]  # names as configured; ("*",) = all
    password_hash: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Access:
    """Who is acting and what they may touch. organization_ids None = every organization."""

    username: str
    name: str
    role: str
    organization_ids: frozenset[int] | None
    local_mode: bool = False

    @property
    def can_write(self) -> bool:
        return self.role in ("editor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def sees(self, organization_id: int | None) -> bool:
        return self.organization_ids is None or organization_id in self.organization_ids

    def require_read(self, organization_id: int | None) -> None:
        if organization_id is not None and not self.sees(organization_id):
            raise AccessDenied("คุณไม่มีสิทธิ์ดูข้อมูลของหน่วยงานนี้")

    def require_write(self, organization_id: int | None) -> None:
        if not self.can_write:
            raise AccessDenied(f"บทบาท{ROLE_LABELS[self.role]} บันทึกหรือแก้ไขข้อมูลไม่ได้")
        if not self.sees(organization_id):
            raise AccessDenied("คุณไม่มีสิทธิ์แก้ไขข้อมูลของหน่วยงานนี้")

    def cannot(self, what: str) -> str | None:
        """For a page that hides what this role cannot do: why it cannot `what` (a Thai verb phrase)
        and whom to ask, or None when it can. The store's require_write stays the guard."""
        if self.can_write:
            return None
        return (f"บัญชีนี้มีบทบาท{ROLE_LABELS[self.role]} จึง{what}ไม่ได้ "
                f"หากต้อง{what} กรุณาติดต่อคณะทำงานของหน่วยงานหรือผู้ดูแลระบบ")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise AccessDenied("เฉพาะผู้ดูแลระบบเท่านั้นที่ทำรายการนี้ได้")

    @property
    def cache_key(self) -> tuple:
        return (self.role, None if self.organization_ids is None else tuple(sorted(self.organization_ids)))


LOCAL_ADMIN = Access("local", "ผู้ใช้เครื่องนี้", "admin", None, local_mode=True)


def hash_password(password: str, salt: bytes | None = None, iterations: int = _ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "$".join(["pbkdf2_sha256", str(iterations), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def _parts(stored: str | None) -> tuple[int, bytes, bytes] | None:
    try:
        scheme, iterations, salt, digest = (stored or "").split("$")
        if scheme != "pbkdf2_sha256" or not 0 < int(iterations) <= 10_000_000:
            return None
        return int(iterations), base64.b64decode(salt, validate=True), base64.b64decode(digest, validate=True)
    except ValueError:
        return None


def verify_password(password: str, stored: str | None, iterations_if_unusable: int = _ITERATIONS) -> bool:
    """Whether `password` matches the stored hash. A missing or unusable hash still costs one
    full hash (of `iterations_if_unusable` rounds), so its answer takes as long as a real one."""
    parts = _parts(stored)
    iterations, salt, digest = parts or (iterations_if_unusable, b"\0" * 16, b"")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "replace"), salt, iterations)
    return parts is not None and hmac.compare_digest(candidate, digest)


def accounts_path() -> Path:
    return Path(os.environ.get(ACCOUNTS_ENV) or DEFAULT_ACCOUNTS)


def load_accounts(path: Path | None = None) -> dict[str, Account] | None:
    """The configured accounts, or None when no accounts file exists (single-user local mode)."""
    path = path or accounts_path()
    if not path.exists():
        return None
    with open(path, "rb") as f:
        data = tomllib.load(f)
    accounts = {}
    for username, entry in data.get("users", {}).items():
        role = entry.get("role", "viewer")
        if role not in ROLES:
            raise ValueError(f"บัญชี {username}: บทบาท '{role}' ไม่ถูกต้อง (viewer, editor หรือ admin)")
        accounts[username] = Account(username, entry.get("name", username), role,
                                     tuple(entry.get("organizations", [])), entry.get("password_hash"),
                                     entry.get("email"))
    return accounts


def sign_in(accounts: dict[str, Account], username: str, password: str, recent_failures: int = 0) -> Account:
    """The account a password opens. Unknown users, users without a password and wrong passwords
    do the same work (one hash of the accounts' own cost) and get the same message, so the answer
    tells nobody which usernames exist. `recent_failures` (of this username, from the sign-in
    history) at MAX_FAILURES or more refuses before any password is looked at."""
    if recent_failures >= MAX_FAILURES:
        raise AccessDenied(locked_message())
    account = accounts.get((username or "").strip())
    cost = max((p[0] for a in accounts.values() if (p := _parts(a.password_hash))), default=_ITERATIONS)
    ok = verify_password(password or "", account.password_hash if account else None, cost)
    if not account or not ok:
        raise AccessDenied("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    return account


MAX_FAILURES = 5  # wrong passwords for one username within LOCKOUT ...
LOCKOUT = dt.timedelta(minutes=15)  # ... pause its sign-in for this long after the last of them


def locked_message() -> str:
    return (f"ใส่รหัสผ่านผิด {MAX_FAILURES} ครั้งติดกัน ระบบจึงพักการเข้าสู่ระบบของชื่อผู้ใช้นี้ไว้ "
            f"{LOCKOUT.seconds // 60} นาที กรุณารอแล้วลองใหม่ หรือติดต่อผู้ดูแลระบบ")


def account_for_email(accounts: dict[str, Account], email: str | None) -> Account:
    account = next((a for a in accounts.values() if email and a.email and a.email.lower() == email.lower()), None)
    if account is None:
        raise AccessDenied("บัญชีที่เข้าสู่ระบบยังไม่ได้รับสิทธิ์ในระบบนี้ กรุณาติดต่อผู้ดูแลระบบ")
    return account


def access_for(account: Account, organizations: list[tuple[int, str, str]]) -> Access:
    """Resolve an account's organization names against (id, name, short_name) rows."""
    if "*" in account.organizations or account.role == "admin":
        ids = None
    else:
        wanted = set(account.organizations)
        ids = frozenset(i for i, name, short in organizations if name in wanted or short in wanted)
    return Access(account.username, account.name, account.role, ids)


def main(argv: list[str] | None = None) -> int:
    from lib.errors import run_cli

    return run_cli(_main, argv, "python -m lib.auth")


def _main(argv: list[str] | None = None) -> int:
    import argparse
    import getpass
    import sys

    parser = argparse.ArgumentParser(prog="python -m lib.auth", description="สร้างรหัสผ่านแบบแฮชสำหรับ accounts.toml")
    parser.add_argument("command", choices=["hash"])
    parser.parse_args(argv)
    try:
        password = getpass.getpass("รหัสผ่าน: ")
    except (EOFError, KeyboardInterrupt):
        password = ""
    if len(password) < 8:
        print("รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร กรุณาพิมพ์รหัสผ่านแล้วกด Enter", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
