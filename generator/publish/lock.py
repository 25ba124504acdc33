"""One publish at a time per target: a lock folder at the target's root, naming who holds it.

Making a folder is the one step every transport does atomically (SFTP, FTP and a share all refuse to make
one that exists), so two webmasters starting at once cannot both win. The lock names its holder; a lock
left by a publish that was cut off on this same PC is taken over, anyone else's is reported.
"""

from __future__ import annotations

import contextlib
import getpass
import io
import json
import os
import socket
from datetime import datetime

from generator.publish.plan import LOCK
from generator.publish.transports import PublishError, Transport

OWNER = f"{LOCK}/owner.json"


def me() -> dict:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return {"who": f"{user}@{socket.gethostname()}", "host": socket.gethostname(), "pid": os.getpid(),
            "since": datetime.now().astimezone().strftime("%H:%M %d/%m/%Y")}


def acquire(transport: Transport, owner: dict, break_lock: bool = False) -> None:
    """Take the target's lock, or raise PublishError naming whoever holds it."""
    if not transport.make_folder(LOCK):
        holder = _holder(transport)
        if not (break_lock or _ours_and_over(holder, owner)):
            who = f"{holder.get('who', '?')} (từ {holder.get('since', '?')})" if holder else "một người khác"
            raise PublishError(f"{who} đang đăng lên nơi này; lần đăng này dừng, không gửi tệp nào",
                               "đợi người đó đăng xong rồi chạy lại; nếu chắc chắn không ai đang đăng (lần đăng "
                               "trước bị ngắt trên máy khác), chạy lại với --break-lock")
    transport.put(OWNER, io.BytesIO(json.dumps(owner, ensure_ascii=False).encode()), lambda _n: None)


def release(transport: Transport) -> None:
    with contextlib.suppress(*transport.errors):
        transport.delete(OWNER)
        transport.remove_folder(LOCK)


def _holder(transport: Transport) -> dict:
    try:
        return json.loads(transport.read(OWNER) or b"{}")
    except ValueError:
        return {}


def _ours_and_over(holder: dict, owner: dict) -> bool:
    """A lock left on this PC by this process, or by one that has ended (cut off, closed)."""
    if holder.get("host") != owner["host"] or not isinstance(holder.get("pid"), int):
        return False
    return holder["pid"] == owner["pid"] or not _alive(holder["pid"])


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill there would end the process, not probe it: assume alive (--break-lock)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
