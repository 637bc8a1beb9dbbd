"""Private mode, for the rest of a browser session: the assistant stores nothing, the agents read no
memories (so nothing is served from or put in the shopper's cache), and its conversation and traces
are deleted when it ends. It lives in the signed session cookie, next to the sign-in.

It ends when turned off, when the shopper is switched or leaves, and with "Forget me". A private
conversation is one of its own: it neither continues the remembered one nor is continued by it.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

KEY = "private"
_KEPT = "kept_conversation_id"  # the remembered conversation, picked up again when private mode ends
STALE_AFTER = "1 day"  # a private session that never ended (its cookie expired): traces erased anyway


def is_on(cookie: Mapping[str, Any]) -> bool:
    return cookie.get(KEY) is True


def start(cookie: MutableMapping[str, Any]) -> None:
    if is_on(cookie):
        return
    cookie[KEY] = True
    kept = cookie.pop("conversation_id", None)
    if kept is not None:
        cookie[_KEPT] = kept


def end(cookie: MutableMapping[str, Any], session: Session, user_id: int | None) -> int:
    """Turn private mode off and erase what it left: the private conversation and the runs. Returns how
    many runs were erased."""
    if not is_on(cookie):
        return 0
    del cookie[KEY]
    conversation = cookie.pop("conversation_id", None)
    kept = cookie.pop(_KEPT, None)
    if kept is not None:
        cookie["conversation_id"] = kept
    return erase(session, None if user_id is None else str(user_id), conversation)


def erase(session: Session, user_id: str | None, conversation_id: str | None) -> int:
    from agentic_shop.agents.assistant.graph import thread_id
    from agentic_shop.services.shoppers import CONVERSATION_TABLES

    if user_id is not None and conversation_id is not None:
        thread = {"thread": thread_id(user_id, conversation_id)}
        for table in CONVERSATION_TABLES:
            session.execute(text(f"DELETE FROM {table} WHERE thread_id = :thread"), thread)
    erased = session.execute(
        text(f"""
        DELETE FROM agent_runs
        WHERE private AND (user_id = :user_id OR created_at < clock_timestamp() - interval '{STALE_AFTER}')
    """),
        {"user_id": user_id},
    ).rowcount
    session.commit()
    return erased
