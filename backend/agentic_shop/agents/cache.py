"""Per-shopper cache of agent results, correct across app processes.

An entry is stamped with the shopper's memory version (the id of their latest `memory_events` row) and
the engine that produced it. Any memory change writes an event, so the stamp moves on and old entries
stop matching in every process at once: nothing to broadcast, nothing to forget to invalidate.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text

_VERSION = "(SELECT coalesce(max(id), 0) FROM memory_events WHERE user_id = :user_id)"


def memory_version(connection: Connection, user_id: str) -> int:
    return connection.execute(text(f"SELECT {_VERSION}"), {"user_id": user_id}).scalar_one()


def get(
    connection: Connection, user_id: str, kind: str, product_id: int | None, engine: str
) -> dict[str, Any] | None:
    """The cached payload if it was computed for the shopper's current memories by this engine."""
    return connection.execute(
        text(f"""
        SELECT payload FROM agent_cache
        WHERE user_id = :user_id AND kind = :kind AND product_id = :product_id
          AND engine = :engine AND memory_version = {_VERSION}
    """),
        {"user_id": user_id, "kind": kind, "product_id": product_id or 0, "engine": engine},
    ).scalar_one_or_none()


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


def clear(connection: Connection) -> None:
    """Forget everything cached (a new catalog changes products, stock and reviews)."""
    connection.execute(text("DELETE FROM agent_cache"))
