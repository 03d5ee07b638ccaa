"""Accounts, passwords and roles (pure parts)."""
import pytest

from lib.auth import (
    AccessDenied,
    access_for,
    account_for_email,
    hash_password,
    load_accounts,
    sign_in,
    verify_password,
)

ORGS = [(1, "องค์การบริหารส่วนตำบลตะโก", "อบต.ตะโก"), (2, "องค์การบริหารส่วนตำบลปอ", "อบต.ปอ")]


@pytest.fixture
def accounts(tmp_path):
    path = tmp_path / "accounts.toml"
    path.write_text(f'''
[users.somchai]
name = "สมชาย ใจดี"
role = "editor"
organizations = ["อบต.ตะโก"]
password_hash = "{hash_password('ตะโก-2569!', iterations=1000)}"
email = "somchai@tako.go.th"

[users.boss]
name = "นายก"
role = "viewer"
organizations = ["องค์การบริหารส่วนตำบลปอ"]
password_hash = "{hash_password('boss-pass-1', iterations=1000)}"

[users.admin]
name = "ผู้ดูแล"
role = "admin"
password_hash = "{hash_password('admin-pass-1', iterations=1000)}"
''', encoding="utf-8")
    return load_accounts(path)


def test_no_accounts_file_means_local_mode(tmp_path):
    assert load_accounts(tmp_path / "missing.toml") is None


def test_password_hashes_are_salted_and_verified():
    a, b = hash_password("รหัสลับ123"), hash_password("รหัสลับ123")
    assert a != b and a.startswith("pbkdf2_sha256$600000$")
    assert verify_password("รหัสลับ123", a) and not verify_password("รหัสลับ124", a)
    assert not verify_password("x", "plain-text-password")


def test_sign_in_and_roles(accounts):
    editor = access_for(sign_in(accounts, "somchai", "ตะโก-2569!"), ORGS)
    assert editor.organization_ids == {1} and editor.can_write and not editor.is_admin
    editor.require_write(1)
    with pytest.raises(AccessDenied):
        editor.require_write(2)
    with pytest.raises(AccessDenied):
        editor.require_read(2)
    with pytest.raises(AccessDenied):
        editor.require_admin()

    viewer = access_for(sign_in(accounts, "boss", "boss-pass-1"), ORGS)
    assert viewer.organization_ids == {2}
    viewer.require_read(2)
    with pytest.raises(AccessDenied, match="บันทึกหรือแก้ไขข้อมูลไม่ได้"):
        viewer.require_write(2)

    admin = access_for(sign_in(accounts, "admin", "admin-pass-1"), ORGS)
    assert admin.organization_ids is None
    admin.require_write(2)
    admin.require_admin()


def test_wrong_password_and_unknown_user_get_the_same_message(accounts):
    with pytest.raises(AccessDenied) as wrong:
        sign_in(accounts, "somchai", "nope")
    with pytest.raises(AccessDenied) as unknown:
        sign_in(accounts, "nobody", "nope")
    assert str(wrong.value) == str(unknown.value) == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def test_openid_email_maps_to_an_account(accounts):
    assert account_for_email(accounts, "SOMCHAI@tako.go.th").username == "somchai"
    with pytest.raises(AccessDenied):
        account_for_email(accounts, "stranger@example.com")


def hash_rounds(monkeypatch) -> list[int]:
    """The PBKDF2 rounds every sign-in computes, recorded (the work, measured without a clock)."""
    import hashlib

    from lib import auth

    rounds: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counted(name, password, salt, iterations, *args):
        rounds.append(iterations)
        return real(name, password, salt, iterations, *args)

    monkeypatch.setattr(auth.hashlib, "pbkdf2_hmac", counted)
    return rounds


def test_unknown_users_cost_the_same_work_as_real_ones(accounts, monkeypatch):
    """Item 8: a wrong password for a real user and any password for an unknown user (or a user
    with no password, e.g. OpenID Connect only) each compute one hash of the accounts' own cost."""
    from dataclasses import replace

    accounts = {**accounts, "oidc": replace(accounts["boss"], username="oidc", password_hash=None)}
    rounds = hash_rounds(monkeypatch)
    for username in ("somchai", "nobody-here", "oidc", "", "x" * 500):
        with pytest.raises(AccessDenied, match="ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"):
            sign_in(accounts, username, "wrong-password")
    assert rounds == [1000] * 5


def test_a_username_is_locked_after_repeated_failures(accounts, monkeypatch):
    from lib.auth import MAX_FAILURES

    rounds = hash_rounds(monkeypatch)
    with pytest.raises(AccessDenied, match="พักการเข้าสู่ระบบ"):
        sign_in(accounts, "somchai", "ตะโก-2569!", recent_failures=MAX_FAILURES)
    assert rounds == []  # refused before any password is looked at
    assert sign_in(accounts, "somchai", "ตะโก-2569!", recent_failures=MAX_FAILURES - 1).username == "somchai"


def test_hash_command_on_empty_input_says_what_to_do():
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-m", "lib.auth", "hash"], cwd=ROOT, input="", capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "อย่างน้อย 8 ตัวอักษร" in done.stderr + done.stdout
