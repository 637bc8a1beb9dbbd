"""The shopper personas (the demo has no sign-up: you pick who you are)."""

from __future__ import annotations

from sqlmodel import Session, select

from agentic_shop.models import User
from agentic_shop.schemas import Shopper


def _to_shopper(user: User) -> Shopper:
    return Shopper(
        id=user.id,
        name=user.name,
        first_name=user.first_name,
        city=user.city,
        age=user.age,
        gender=user.gender,
        avatar_url=user.avatar_url,
        hobbies=user.hobbies,
        lifestyle=user.lifestyle,
    )


def list_shoppers(session: Session) -> list[Shopper]:
    return [_to_shopper(user) for user in session.exec(select(User).order_by(User.id)).all()]


def get_shopper(session: Session, user_id: int) -> Shopper | None:
    user = session.get(User, user_id)
    return _to_shopper(user) if user else None


def reset_memories_to_seed(session: Session, user_id: int) -> int:
    """The shopper's memories back to exactly their seeded preferences (as migration 0004 stores
    them); the audit records the erase. Returns how many memories the shopper has now."""
    from agentic_shop.memory.service import MemoryService

    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"No shopper {user_id}")
    memory = MemoryService(connection=session.connection(), llm=None)
    memory.delete_all(str(user_id), source="ui")
    for statement in user.preferences:
        memory.add(statement, user_id=str(user_id), source="seed")
    count = len(memory.get_all(str(user_id)))
    session.commit()
    return count
