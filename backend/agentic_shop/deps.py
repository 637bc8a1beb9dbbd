"""FastAPI dependencies shared by the JSON API and the HTML pages."""

import uuid
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from agentic_shop.db.engine import get_session
from agentic_shop.embeddings import Embedder, get_embedder
from agentic_shop.memory.service import MemoryService
from agentic_shop.schemas import Shopper
from agentic_shop.services import private_mode
from agentic_shop.services.shoppers import get_shopper
from agentic_shop.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def session_shopper(request: Request, session: Session) -> Shopper | None:
    """The shopper of the signed session cookie (and nothing else a client could forge), if any."""
    user_id = request.session.get("user_id")
    return get_shopper(session, user_id) if isinstance(user_id, int) else None


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
    """Browse as another shopper (None: as nobody); a private mode in progress ends first."""
    previous = request.session.get("user_id")
    if previous != user_id:
        private_mode.end(request.session, session, previous if isinstance(previous, int) else None)
    if user_id is None:
        request.session.pop("user_id", None)
    else:
        request.session["user_id"] = user_id


def conversation_id(request: Request, *, create: bool = False) -> str | None:
    """The assistant conversation of the signed session cookie (a new one on the first message), the
    same for the JSON API and the pages."""
    found = request.session.get("conversation_id")
    if isinstance(found, str):
        return found
    if not create:
        return None
    made = request.session["conversation_id"] = str(uuid.uuid4())
    return made


def current_shopper(request: Request, session: SessionDep) -> Shopper:
    shopper = session_shopper(request, session)
    if shopper is None:
        raise HTTPException(401, 'Choose a shopper first: POST /api/v1/session with {"user_id": N}')
    return shopper


def memory_service(session: SessionDep) -> MemoryService:
    # In the request's transaction: the route commits after a change (tests roll it all back).
    return MemoryService(connection=session.connection())


CurrentShopperDep = Annotated[Shopper, Depends(current_shopper)]
MemoryDep = Annotated[MemoryService, Depends(memory_service)]
