"""Conversations with the assistant end, and each ending leaves one summary memory behind.

A conversation ends when the shopper starts a new one, when it has had no message for
CONVERSATION_IDLE_MINUTES (noticed the next time the shopper is seen: a turn, the drawer, the memory
page), or through `end`. Ending it drops its session context and stores its summary through
`MemoryService.end_session`; the `conversations` row records that it ended, so a summary is made once
and one the shopper deleted stays deleted. Private turns are never summarized.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from agentic_shop.agents import learning
from agentic_shop.agents.assistant.summary import Summary, Turn, summarize, summarize_with_llm
from agentic_shop.llm import LlmError, get_llm
from agentic_shop.memory.records import MemoryRecord
from agentic_shop.memory.service import MemoryService
from agentic_shop.settings import get_settings
from agentic_shop.understanding.lexicon import vocabulary

log = logging.getLogger(__name__)


def touch(session: Session, user_id: int, conversation_id: str) -> None:
    """A message in the conversation (the first one opens it)."""
    session.execute(
        text("""
        INSERT INTO conversations (user_id, id) VALUES (:user_id, :id)
        ON CONFLICT (user_id, id) DO UPDATE SET last_turn_at = now()
    """),
        {"user_id": user_id, "id": conversation_id},
    )


def is_over(session: Session, user_id: int, conversation_id: str) -> bool:
    """Whether the conversation has ended (or gone idle, in which case it is ended now)."""
    row = session.execute(
        text("SELECT ended_at, last_turn_at FROM conversations WHERE user_id = :user_id AND id = :id"),
        {"user_id": user_id, "id": conversation_id},
    ).one_or_none()
    if row is None:
        return False
    if row.ended_at is None and row.last_turn_at < _idle_since():
        end(session, user_id, conversation_id, by="idle")
        return True
    return row.ended_at is not None


def end_idle(session: Session, user_id: int) -> int:
    """End the shopper's conversations idle for longer than CONVERSATION_IDLE_MINUTES (from any browser)."""
    idle = session.execute(
        text("""
        SELECT id FROM conversations
        WHERE user_id = :user_id AND ended_at IS NULL AND last_turn_at < :since
        ORDER BY last_turn_at
    """),
        {"user_id": user_id, "since": _idle_since()},
    ).scalars()
    ended = [end(session, user_id, conversation_id, by="idle") for conversation_id in list(idle)]
    return len(ended)


def end(session: Session, user_id: int, conversation_id: str, *, by: str) -> MemoryRecord | None:
    """End the conversation once and store its summary; returns the summary (None: nothing to say, or
    ended before)."""
    claimed = session.execute(
        text("""
        UPDATE conversations SET ended_at = now(), ended_by = :by
        WHERE user_id = :user_id AND id = :id AND ended_at IS NULL
        RETURNING last_turn_at
    """),
        {"user_id": user_id, "id": conversation_id, "by": by},
    ).scalar_one_or_none()
    if claimed is None:
        return None
    summary = _summary(session, user_id, conversation_id)
    # When it happened, not when it was noticed: an idle conversation is summarized on the next visit.
    details = {"ended_by": by, "at": claimed.isoformat()}
    memory = MemoryService(connection=session, llm=None)
    memory.end_session(
        str(user_id),
        conversation_id,
        summary=summary.text if summary else None,
        details=(summary.details() | details) if summary else details,
    )
    found = memory.summaries(str(user_id), limit=1)
    record = found[0] if found and found[0].session_id == conversation_id else None
    if record is not None:
        session.execute(
            text("UPDATE conversations SET summary_id = :memory WHERE user_id = :user_id AND id = :id"),
            {"memory": record.id, "user_id": user_id, "id": conversation_id},
        )
    # What this conversation showed joins what the agents learn from all shoppers.
    learning.relearn_if_due(session.connection(), vocabulary(session.connection()))
    session.commit()
    return record


def recent(session: Session, user_id: int, limit: int = 5) -> list[MemoryRecord]:
    """The shopper's latest conversation summaries, newest first (after ending any idle conversation)."""
    end_idle(session, user_id)
    return list(MemoryService(connection=session, llm=None).summaries(str(user_id), limit))


def turns(session: Session, user_id: int, conversation_id: str) -> list[Turn]:
    """The conversation's answered, non-private turns, oldest first, as the traces recorded them."""
    rows = session.execute(
        text("""
        SELECT r.input, r.output, p.id AS product_id, p.name AS product_name
        FROM agent_runs r LEFT JOIN products p ON p.id = r.product_id
        WHERE r.agent = 'assistant' AND r.user_id = :user_id AND r.status = 'ok' AND NOT r.private
          AND r.input->>'conversation_id' = :conversation
        ORDER BY r.created_at
    """),
        {"user_id": str(user_id), "conversation": conversation_id},
    ).all()
    return [_turn(row) for row in rows]


def _turn(row: Any) -> Turn:
    output = row.output or {}
    stated = [
        change["memory"]
        for change in output.get("remembered") or []
        if change.get("event") in ("add", "update") and change.get("level") == "user"
    ]
    return Turn(
        message=str((row.input or {}).get("message", "")),
        route=str(output.get("route", "other")),
        slots=output.get("slots") or {},
        product={"id": row.product_id, "name": row.product_name} if row.product_id else None,
        shown=[
            {"id": card["id"], "name": card["name"]}
            for card in output.get("products") or []
            if isinstance(card, dict) and "id" in card and "name" in card
        ],
        stated=stated,
    )


def _summary(session: Session, user_id: int, conversation_id: str) -> Summary | None:
    said = turns(session, user_id, conversation_id)
    offline = summarize(said)
    if offline is None:
        return None
    try:
        llm = get_llm()
    except ValueError:
        llm = None
    if llm is None:
        return offline
    try:
        return summarize_with_llm(llm, said, offline, vocabulary(session.connection()))
    except LlmError as error:
        log.info("conversation summary written offline: %s", error)
        return offline


def _idle_since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=get_settings().conversation_idle_minutes)
