"""Who is shopping: the session cookie's sign-in, kept on the server, is the only source of the current
shopper; ending the session ends the sign-in, so a copy of the cookie stops working.

No header or query parameter can name a shopper; `POST /api/v1/session` is the one way in, and it is
the same cookie the HTML pages set when someone picks a persona. Private mode is part of the session
too: switching shopper or ending the session ends it.
"""

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field, StrictBool

from agentic_shop.api.responses import NOT_FOUND
from agentic_shop.deps import CurrentShopperDep, SessionDep, is_private, session_shopper, switch_shopper
from agentic_shop.params import JsonId
from agentic_shop.schemas import Shopper
from agentic_shop.services import private_mode
from agentic_shop.services.shoppers import get_shopper

router = APIRouter(tags=["session"])


class SessionOut(BaseModel):
    shopper: Shopper | None
    private: bool = Field(
        default=False,
        description="Private mode: the assistant stores nothing and the agents read no memories.",
    )


class SessionIn(BaseModel, extra="forbid"):
    user_id: JsonId = Field(description="A shopper id from /users.")


class PrivateIn(BaseModel, extra="forbid"):
    on: StrictBool = Field(description="true: turn private mode on; false: off.")


@router.post("/session", response_model=SessionOut, responses=NOT_FOUND)
def start_session(request: Request, session: SessionDep, body: SessionIn) -> SessionOut:
    """Browse as this shopper (sets the session cookie to a new sign-in)."""
    shopper = get_shopper(session, body.user_id)
    if shopper is None:
        raise HTTPException(404, f"No shopper {body.user_id}")
    switch_shopper(request, session, body.user_id)
    return SessionOut(shopper=shopper, private=is_private(request))


@router.get("/session", response_model=SessionOut)
def current_session(request: Request, session: SessionDep) -> SessionOut:
    return SessionOut(shopper=session_shopper(request, session, alone=True), private=is_private(request))


@router.delete("/session", status_code=204)
def end_session(request: Request, session: SessionDep) -> Response:
    switch_shopper(request, session, None)
    return Response(status_code=204)


@router.put("/session/private", response_model=SessionOut)
def set_private_mode(
    request: Request,
    session: SessionDep,
    shopper: CurrentShopperDep,
    body: PrivateIn,
) -> SessionOut:
    """Private mode for the rest of this session: the assistant stores nothing and the agents read no
    memories. Turning it off erases the private conversation and its traces."""
    if body.on:
        private_mode.start(request.session)
    else:
        private_mode.end(request.session, session, shopper.id)
    return SessionOut(shopper=shopper, private=body.on)


@router.get("/me", response_model=Shopper)
def me(shopper: CurrentShopperDep) -> Shopper:
    return shopper
