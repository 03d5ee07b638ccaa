"""Sign-in attempts, kept in history (table_name 'sign_in', actor = the username typed), and the
count of recent failures lib.auth locks a username out on."""
from __future__ import annotations

from lib.auth import LOCKOUT
from lib.store.history import append_history, timestamp

_OUTCOMES = ("ok", "failed", "locked")
_NAME_LIMIT = 100  # a username typed is untrusted input: kept, but not at any length


def _actor(username: str) -> str:
    return (username or "").strip()[:_NAME_LIMIT] or "-"


def record(store, username: str, outcome: str) -> None:
    assert outcome in _OUTCOMES
    with store.transaction() as cur:
        append_history(cur, _actor(username), f"sign_in_{outcome}", "sign_in")


def recent_failures(store, username: str) -> int:
    """Wrong passwords for `username` within LOCKOUT of now and since its last good sign-in."""
    since = timestamp() - LOCKOUT
    return store.query_rows(
        "SELECT count(*) FROM history WHERE table_name = 'sign_in' AND actor = ? AND action = 'sign_in_failed' "
        "AND changed_at >= ? AND changed_at > coalesce((SELECT max(changed_at) FROM history "
        "  WHERE table_name = 'sign_in' AND actor = ? AND action = 'sign_in_ok'), TIMESTAMP '1900-01-01')",
        [_actor(username), since, _actor(username)])[0][0]
