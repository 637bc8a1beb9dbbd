"""FastAPI dependencies shared by the JSON API and the HTML pages."""

import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from agentic_shop.db.engine import get_session
from agentic_shop.embeddings import Embedder, get_embedder
from agentic_shop.memory.service import MemoryService
from agentic_shop.schemas import Shopper
from agentic_shop.services import conversations, private_mode, shopper_sessions
from agentic_shop.services.shoppers import forget_shopper
from agentic_shop.settings import Settings, get_settings


# Async on purpose: both are cached values, and FastAPI runs a plain `def` dependency in its thread
# pool, a hand-off that costs more than the call.
async def _embedder() -> Embedder:
    return get_embedder()


async def _settings() -> Settings:
    return get_settings()


SessionDep = Annotated[Session, Depends(get_session)]
EmbedderDep = Annotated[Embedder, Depends(_embedder)]
SettingsDep = Annotated[Settings, Depends(_settings)]
_TOKEN = "sign_in"  # the session cookie's key for the server-side sign-in token


def session_user_id(request: Request, session: Session) -> int | None:
    """The shopper the session cookie's token was opened for, while that sign-in is live on the server
    (services/shopper_sessions.py); nothing else a client sends can name a shopper."""
    token = request.session.get(_TOKEN)
    return shopper_sessions.user_of(session, token) if isinstance(token, str) else None


def session_shopper(request: Request, session: Session, *, alone: bool = False) -> Shopper | None:
    """The signed-in shopper's profile (None: nobody). `alone`: the request usually asks the database
    nothing else, so the lookup needs no transaction (services/shopper_sessions.shopper_of)."""
    token = request.session.get(_TOKEN)
    return shopper_sessions.shopper_of(session, token, alone=alone) if isinstance(token, str) else None


def required_shopper(request: Request, session: Session, why: str = "Pick a shopper first.") -> Shopper:
    """The session's shopper, for a page action that needs one: else a 401 saying `why`."""
    shopper = session_shopper(request, session)
    if shopper is None:
        raise HTTPException(401, why)
    return shopper


def is_private(request: Request) -> bool:
    """Whether the session is in private mode (services/private_mode.py)."""
    return private_mode.is_on(request.session)


def switch_shopper(request: Request, session: Session, user_id: int | None) -> None:
    """Browse as another shopper (None: sign out); a private mode and a conversation in progress end
    first. The old sign-in is closed on the server and a new token issued."""
    previous = session_user_id(request, session)
    if previous != user_id:
        private_mode.end(request.session, session, previous)
        if previous is not None:
            end_conversation(request, session, previous)
    token = request.session.pop(_TOKEN, None)
    if isinstance(token, str):
        shopper_sessions.close(session, token)
    if user_id is not None:
        request.session[_TOKEN] = shopper_sessions.open_session(session, user_id)
    session.commit()


def forget_everything(request: Request, session: Session, user_id: int, source: str) -> int:
    """ "Forget me", from the page or the API: private mode and the conversation end, everything kept
    about the shopper is erased (services/shoppers.forget_shopper, which also closes every sign-in),
    and this browser carries on with a fresh sign-in; any copy of its old cookie stays dead. Returns
    how many memories were erased."""
    private_mode.end(request.session, session, user_id)
    request.session.pop("conversation_id", None)
    erased = forget_shopper(session, user_id, source=source)
    request.session[_TOKEN] = shopper_sessions.open_session(session, user_id)
    session.commit()
    return erased


def conversation_id(request: Request, session: Session, user_id: int, *, create: bool = False) -> str | None:
    """The assistant conversation of the session cookie, the same for the JSON API and the pages: None
    (or, with `create`, a new one) once it has ended, by "New conversation" or by going idle, which
    summarizes it (services/conversations)."""
    found = request.session.get("conversation_id")
    if isinstance(found, str) and not conversations.is_over(session, user_id, found):
        return found
    request.session.pop("conversation_id", None)
    if not create:
        return None
    made = request.session["conversation_id"] = str(uuid.uuid4())
    return made


def end_conversation(request: Request, session: Session, user_id: int) -> None:
    """ "New conversation": the one in the cookie ends (and is summarized); long-term memories stay."""
    found = request.session.pop("conversation_id", None)
    if isinstance(found, str):
        conversations.end(session, user_id, found, by="new")


def current_shopper(request: Request, session: SessionDep) -> Shopper:
    shopper = session_shopper(request, session)
    if shopper is None:
        raise HTTPException(401, 'Choose a shopper first: POST /api/v1/session with {"user_id": N}')
    return shopper


def memory_service(session: SessionDep) -> MemoryService:
    # In the request's transaction: the route commits after a change (tests roll it all back). The
    # session, not its connection: a commit earlier in the route (a conversation that went idle ends
    # on the memory page) closes the connection it had, and the page then answered 500.
    return MemoryService(connection=session)


CurrentShopperDep = Annotated[Shopper, Depends(current_shopper)]
MemoryDep = Annotated[MemoryService, Depends(memory_service)]
