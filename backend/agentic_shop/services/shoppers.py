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
