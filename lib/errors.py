"""Errors whose message is meant for the user (Thai, saying what to do), and the one error boundary
of every entry point: a message meant for the user is shown as it is; anything else becomes a Thai
message that says what to do, and its details (the traceback) go to the log, never to the screen.
"""
from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

LOG_ENV = "ITA_LOG_FILE"
DEFAULT_LOG = Path(__file__).resolve().parents[1] / "data" / "ita.log"
log = logging.getLogger("ita")


class UserError(Exception):
    """An error whose message is for the user: Thai, says what is wrong and what to do."""


class StoreError(UserError):
    """A write the store refused; nothing was changed."""


class AccessDenied(StoreError):
    """An action the user's role or organizations do not allow; nothing was changed."""


def log_path() -> Path:
    return Path(os.environ.get(LOG_ENV) or DEFAULT_LOG)


def _log_to_file() -> None:
    """The product's log file (ITA_LOG_FILE), attached once per path to the "ita" logger."""
    path = log_path()
    if any(getattr(h, "ita_path", None) == path for h in log.handlers):
        return
    for old in [h for h in log.handlers if hasattr(h, "ita_path")]:
        log.removeHandler(old)
        old.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:  # an unwritable log must not hide the user's message: the process's own stderr log
        handler = logging.StreamHandler(sys.__stderr__)
    handler.ita_path = path
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def log_unexpected(where: str) -> str:
    """Write the exception being handled, with its traceback, to the log; returns the reference a
    user can quote to whoever reads the log."""
    _log_to_file()
    ref = secrets.token_hex(4)
    log.exception("unexpected error [%s] in %s", ref, where)
    return ref


def unexpected_message(ref: str) -> str:
    return (f"เกิดข้อผิดพลาดที่ระบบไม่คาดไว้ (รหัสอ้างอิง {ref}) งานที่ยังบันทึกไม่เสร็จถูกยกเลิกทั้งหมด "
            "กรุณาลองใหม่อีกครั้ง หากยังเกิดซ้ำ แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิงนี้ "
            f"(รายละเอียดทางเทคนิคบันทึกไว้ในไฟล์บันทึกของระบบ {log_path()})")


def run_cli(main: Callable[[list[str] | None], int], argv: list[str] | None = None, name: str | None = None) -> int:
    """The error boundary of a command line: its exit code, a Thai message on stderr when it fails."""
    try:
        return main(argv)
    except UserError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ยกเลิกแล้วตามที่สั่ง งานที่ยังบันทึกไม่เสร็จถูกยกเลิกทั้งหมด", file=sys.stderr)
        return 130
    except Exception:
        print(unexpected_message(log_unexpected(name or getattr(main, "__module__", "command line"))),
              file=sys.stderr)
        return 2
