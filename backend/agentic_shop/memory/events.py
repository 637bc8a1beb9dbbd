"""The `memory_events` audit: every add, update, supersede, delete and erase, in the memory's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, text

from agentic_shop.memory.records import MemoryEvent

_COLUMNS = (
    "id, user_id, memory_id, event, old_text, new_text, source, reason, created_at, agent_id, session_id"
)


def record(
    connection: Connection,
    *,
    user_id: str,
    event: str,
    source: str,
    memory_id: str | None = None,
    old_text: str | None = None,
    new_text: str | None = None,
    reason: str | None = None,
    agent_id: str | None = None,
    session_id: str | None = None,
) -> None:
    connection.execute(
        text(
            "INSERT INTO memory_events (user_id, memory_id, event, old_text, new_text, source, reason,"
            " agent_id, session_id) VALUES (:user_id, :memory_id, :event, :old_text, :new_text, :source,"
            " :reason, :agent_id, :session_id)"
        ),
        {
            "user_id": user_id,
            "memory_id": memory_id,
            "event": event,
            "old_text": old_text,
            "new_text": new_text,
            "source": source,
            "reason": reason,
            "agent_id": agent_id,
            "session_id": session_id,
        },
    )


def _rows_to_events(rows) -> list[MemoryEvent]:
    return [
        MemoryEvent(
            id=row.id,
            user_id=row.user_id,
            memory_id=str(row.memory_id) if row.memory_id else None,
            event=row.event,
            old_text=row.old_text,
            new_text=row.new_text,
            source=row.source,
            reason=row.reason,
            created_at=row.created_at.isoformat(),
            agent_id=row.agent_id,
            session_id=row.session_id,
        )
        for row in rows
    ]


def for_memory(connection: Connection, memory_id: str, user_id: str) -> list[MemoryEvent]:
    rows = connection.execute(
        text(
            f"SELECT {_COLUMNS} FROM memory_events"
            " WHERE memory_id = :memory_id AND user_id = :user_id ORDER BY id"
        ),
        {"memory_id": memory_id, "user_id": user_id},
    )
    return _rows_to_events(rows)


def for_user(connection: Connection, user_id: str) -> list[MemoryEvent]:
    rows = connection.execute(
        text(f"SELECT {_COLUMNS} FROM memory_events WHERE user_id = :user_id ORDER BY id"),
        {"user_id": user_id},
    )
    return _rows_to_events(rows)


def redact(connection: Connection, user_id: str) -> None:
    """Erasing a shopper also erases what the audit quoted of them; the events themselves stay."""
    connection.execute(
        text(
            "UPDATE memory_events SET old_text = NULL, new_text = NULL, reason = NULL"
            " WHERE user_id = :user_id"
            " AND (old_text IS NOT NULL OR new_text IS NOT NULL OR reason IS NOT NULL)"
        ),
        {"user_id": user_id},
    )
