"""Who is signed in, kept on the server. The browser's signed cookie holds only a random token; a row of
`shopper_sessions` says which shopper that token opened. Logout, switching shopper and "Forget me" delete
rows, so a copied or stolen cookie stops working at once instead of when it expires."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import text
from sqlmodel import Session

from agentic_shop.db.engine import first_row
from agentic_shop.schemas import Shopper
from agentic_shop.services.shoppers import shopper_from

MAX_AGE_S = 14 * 24 * 3600  # as long as the cookie itself lives


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user_id: int) -> str:
    """A new token for `user_id` (the caller commits). Sessions past their age are cleared on the way."""
    token = secrets.token_urlsafe(32)
    session.execute(
        text("DELETE FROM shopper_sessions WHERE created_at < now() - make_interval(secs => :age)"),
        {"age": MAX_AGE_S},
    )
    session.execute(
        text("INSERT INTO shopper_sessions (token_hash, user_id) VALUES (:hash, :user_id)"),
        {"hash": _digest(token), "user_id": user_id},
    )
    return token


# The live sign-in of a token, as a subquery both lookups share.
_LIVE = """(SELECT user_id FROM shopper_sessions
    WHERE token_hash = :hash AND created_at >= now() - make_interval(secs => :age))"""


_USER_OF = text(f"SELECT {_LIVE}")
_SHOPPER_OF = text(f"""
    SELECT id, first_name, last_name, city, age, gender, avatar_url, hobbies, lifestyle
    FROM users WHERE id = {_LIVE}
""")


def user_of(session: Session, token: str) -> int | None:
    """The shopper a live token belongs to; None for a token that was closed, expired or never issued."""
    return session.execute(_USER_OF, _params(token)).scalar()


def shopper_of(session: Session, token: str, *, alone: bool = False) -> Shopper | None:
    """As `user_of`, with the shopper's profile, in one round trip (every page asks). `alone`: the
    request usually asks the database nothing else (a page of the kept catalog, an agent's cached
    answer), so the question needs no transaction of its own (db/engine.first_row). A request that
    goes on to use the database asks inside its transaction: a second connection costs it more than
    the round trips saved."""
    params = _params(token)
    if alone:
        row = first_row(session, _SHOPPER_OF, params)
    else:
        row = session.execute(_SHOPPER_OF, params).mappings().first()
    return None if row is None else shopper_from(row)


def _params(token: str) -> dict[str, object]:
    return {"hash": _digest(token), "age": MAX_AGE_S}


def close(session: Session, token: str) -> None:
    session.execute(text("DELETE FROM shopper_sessions WHERE token_hash = :hash"), {"hash": _digest(token)})


def close_all(session: Session, user_id: int) -> int:
    """Sign the shopper out everywhere. Returns how many sessions were open."""
    return session.execute(
        text("DELETE FROM shopper_sessions WHERE user_id = :user_id"), {"user_id": user_id}
    ).rowcount
