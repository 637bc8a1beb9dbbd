"""Stops the embedded server when the process that started it dies without doing so (SIGKILL, crash).

Run by `spawn_watchdog` as `python -m agentic_shop.db.watchdog OWNER_PID POSTMASTER_PID PGDATA PORT`.
It only stops the very server its owner started (same postmaster pid), never one started later by
someone else, and exits as soon as that server is gone.
"""

import sys
import time
from pathlib import Path

from agentic_shop.db.embedded import EmbeddedPostgres, _process_alive

POLL_S = 0.5


def watch(owner_pid: int, postmaster_pid: int, server: EmbeddedPostgres) -> None:
    while True:
        status = server.status()
        if not status.running or status.pid != postmaster_pid:
            return
        if not _process_alive(owner_pid):
            server.stop()
            return
        time.sleep(POLL_S)


if __name__ == "__main__":
    owner, postmaster, pgdata, port = sys.argv[1:5]
    watch(int(owner), int(postmaster), EmbeddedPostgres(Path(pgdata), int(port)))
