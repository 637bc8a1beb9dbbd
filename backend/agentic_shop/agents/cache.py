"""Per-shopper cache of agent results, correct across app processes.

An entry is stamped with the shopper's memory version (the id of their latest `memory_events` row) and
the engine that produced it. Any memory change writes an event, so the stamp moves on and old entries
stop matching in every process at once: nothing to broadcast, nothing to forget to invalidate.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text
from sqlmodel import Session

from agentic_shop.db.engine import first_row

_GET = text("""
    SELECT v.version, c.payload, c.created_at
    FROM (SELECT coalesce(max(id), 0) AS version FROM memory_events WHERE user_id = :user_id) v
    LEFT JOIN agent_cache c
      ON c.user_id = :user_id AND c.kind = :kind AND c.product_id = :product_id
     AND c.engine = :engine AND c.memory_version = v.version
""")


def get(
    session: Session, user_id: str, kind: str, product_id: int | None, engine: str
) -> tuple[dict[str, Any] | None, int]:
    """The shopper's memory version, and the cached payload (with `cached_at`, when it was computed)
    if it was computed for exactly that version by this engine. Asked first, and on a hit the only
    question of the request: without a transaction when none is open (db/engine.first_row)."""
    row = first_row(
        session,
        _GET,
        {"user_id": user_id, "kind": kind, "product_id": product_id or 0, "engine": engine},
    )
    assert row is not None  # the version subquery always gives one row
    payload = row["payload"]
    hit = None if payload is None else payload | {"cached_at": row["created_at"].isoformat()}
    return hit, row["version"]


def put(
    connection: Connection,
    user_id: str,
    kind: str,
    product_id: int | None,
    engine: str,
    version: int,
    payload: dict[str, Any],
) -> None:
    """Store a result computed from the memories as of `version` (read before computing: a change
    made meanwhile leaves the entry already stale, never wrongly fresh)."""
    connection.execute(
        text("""
        INSERT INTO agent_cache (user_id, kind, product_id, memory_version, engine, payload)
        VALUES (:user_id, :kind, :product_id, :version, :engine, CAST(:payload AS jsonb))
        ON CONFLICT (user_id, kind, product_id) DO UPDATE
        SET memory_version = excluded.memory_version, engine = excluded.engine,
            payload = excluded.payload, created_at = clock_timestamp()
    """),
        {
            "user_id": user_id,
            "kind": kind,
            "product_id": product_id or 0,
            "version": version,
            "engine": engine,
            "payload": json.dumps(payload, default=str),
        },
    )


def clear(connection: Connection, user_id: str | None = None, kind: str | None = None) -> None:
    """Forget what is cached: everything (a new catalog changes products, stock and reviews), or one
    shopper's entries, or of one kind."""
    connection.execute(
        text("""
        DELETE FROM agent_cache
        WHERE (CAST(:user_id AS text) IS NULL OR user_id = :user_id)
          AND (CAST(:kind AS text) IS NULL OR kind = :kind)
    """),
        {"user_id": user_id, "kind": kind},
    )
