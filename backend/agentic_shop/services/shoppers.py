"""The shopper personas (the demo has no sign-up: you pick who you are)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlmodel import Session, select

from agentic_shop.models import User
from agentic_shop.schemas import Shopper

if TYPE_CHECKING:
    from agentic_shop.memory.service import MemoryService

# Everything kept about a shopper, keyed by their id: memories, their audit, agent traces (agent_steps
# go with their run) and the assistant's conversations (every checkpoint thread is a shopper's). The
# agents' cache is not here: it is versioned by memory_events, and an import empties it anyway.
CONVERSATION_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints")  # children first
# An import replaces the personas: whoever signed in as shopper 1 must not become the next shopper 1.
SHOPPER_STATE_TABLES = (
    "mem0_chatstore",
    "memory_events",
    "agent_runs",
    "shopper_sessions",
    "conversations",
    *CONVERSATION_TABLES,
)


def shopper_from(user: User | Mapping[str, Any]) -> Shopper:
    """A persona as the app shows it, from its row (a `User`, or a row of the `users` columns)."""
    get = user.get if isinstance(user, Mapping) else lambda key: getattr(user, key)
    return Shopper(
        id=get("id"),
        name=f"{get('first_name')} {get('last_name')}".strip(),
        first_name=get("first_name"),
        city=get("city"),
        age=get("age"),
        gender=get("gender"),
        avatar_url=get("avatar_url"),
        hobbies=get("hobbies"),
        lifestyle=get("lifestyle"),
    )


def list_shoppers(session: Session) -> list[Shopper]:
    return [shopper_from(user) for user in session.exec(select(User).order_by(User.id)).all()]


def get_shopper(session: Session, user_id: int) -> Shopper | None:
    user = session.get(User, user_id)
    return shopper_from(user) if user else None


def reset_memories_to_seed(session: Session, user_id: int) -> int:
    """The shopper's memories back to exactly their seeded preferences (as migration 0004 stores
    them); the audit records the erase. Returns how many memories the shopper has now."""
    from agentic_shop.memory.service import MemoryService

    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"No shopper {user_id}")
    memory = MemoryService(connection=session, llm=None)
    memory.delete_all(str(user_id), source="ui")
    count = _seed(memory, user_id, user.preferences)
    session.commit()
    return count


def forget_shopper(session: Session, user_id: int, source: str = "ui") -> int:
    """ "Forget me": the shopper's memories at every level, their conversations (checkpoints), their
    agent traces (which quote what they said) and cached answers. The audit keeps only that an erase
    happened, when and through which door. Returns how many memories were erased."""
    from agentic_shop.agents.assistant.graph import thread_id
    from agentic_shop.memory.service import MemoryService
    from agentic_shop.services import shopper_sessions

    memory = MemoryService(connection=session, llm=None)
    erased = memory.delete_all(str(user_id), source=source)
    threads = {"prefix": thread_id(str(user_id), "") + "%"}
    for table in CONVERSATION_TABLES:
        session.execute(text(f"DELETE FROM {table} WHERE thread_id LIKE :prefix"), threads)
    for table in ("agent_runs", "agent_cache"):
        session.execute(text(f"DELETE FROM {table} WHERE user_id = :user_id"), {"user_id": str(user_id)})
    session.execute(text("DELETE FROM conversations WHERE user_id = :user_id"), {"user_id": user_id})
    shopper_sessions.close_all(session, user_id)  # signed out everywhere: no old cookie gets back in
    session.commit()
    return erased


def forget_all_shoppers(connection: Connection) -> int:
    """Remove everything kept about every shopper, in the caller's transaction: an import replaces the
    personas, and whoever has id 1 next is someone else, who must not inherit a thing. Unlike an erase
    (`MemoryService.delete_all`) no audit stays behind: it would tell the next shopper 1 about the last.
    Returns how many memories were removed."""
    # Writes in flight (a chat turn remembering, a trace, a checkpoint) finish before the delete, so
    # none of them survives it; later ones wait for the import's commit. Readers are not blocked.
    connection.execute(text(f"LOCK TABLE {', '.join(SHOPPER_STATE_TABLES)} IN SHARE ROW EXCLUSIVE MODE"))
    deleted = {
        table: connection.execute(text(f"DELETE FROM {table}")).rowcount for table in SHOPPER_STATE_TABLES
    }
    return deleted["mem0_chatstore"]


def seed_memories(connection: Connection, users: Iterable[dict[str, Any]]) -> int:
    """Seed each user's `preferences` into their memories, in the caller's transaction, as migration
    0004 seeds the personas. Returns how many memories they have now."""
    from agentic_shop.memory.service import MemoryService

    memory = MemoryService(connection=connection, llm=None)
    return sum(_seed(memory, user["id"], user["preferences"]) for user in users)


def _seed(memory: MemoryService, user_id: int, preferences: list[str]) -> int:
    # Offline extraction: seeding needs no LLM and gives the same memories on every machine.
    for statement in preferences:
        memory.add(statement, user_id=str(user_id), source="seed")
    return len(memory.get_all(str(user_id)))
