"""The footer's "Reset demo": the whole database back to the seeded state, exactly as `shop reset`
(every migration down, then up, in one transaction), in a thread of its own, since it re-embeds the
seed (about half a minute here). Meanwhile `web/maintenance.py` answers every other request with a
"being reset" page, so no one sees half a catalog. One reset at a time per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

log = logging.getLogger(__name__)
FAILED = "The reset failed, so nothing changed: the data is as it was before. The server log says why."


@dataclass
class Status:
    running: bool = False
    started: float = 0.0  # time.monotonic() when the running (or last) reset began
    finished_at: datetime | None = None
    took_s: float | None = None
    error: str | None = None


_status = Status()
_lock = threading.Lock()


def status() -> Status:
    return _status


def is_running() -> bool:
    return _status.running


def start(work: Callable[[], None] | None = None) -> bool:
    """Begin a reset (`work`: migrations.reset by default). False if one is already running."""
    global _status
    with _lock:
        if _status.running:
            return False
        _status = Status(running=True, started=time.monotonic())
    threading.Thread(target=_run, args=(work or _reset_database,), name="demo-reset", daemon=True).start()
    return True


def _reset_database() -> None:
    from agentic_shop.db import migrations
    from agentic_shop.services import catalog_cache

    migrations.reset()
    catalog_cache.forget()


def _run(work: Callable[[], None]) -> None:
    error = None
    try:
        work()
    except Exception:  # one transaction: the database is as it was; the log has the cause
        log.exception("demo reset failed")
        error = FAILED
    took = time.monotonic() - _status.started
    with _lock:
        _status.error, _status.took_s, _status.finished_at = error, took, datetime.now(UTC)
        _status.running = False
