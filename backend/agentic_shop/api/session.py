"""Who is shopping: the signed session cookie is the only source of the current shopper.

No header or query parameter can name a shopper; `POST /api/v1/session` is the one way in, and it is
the same cookie the HTML pages set when someone picks a persona.
"""

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request, Response
from pydantic import BaseModel

from agentic_shop.deps import CurrentShopperDep, SessionDep, session_shopper
from agentic_shop.params import MAX_ID
from agentic_shop.schemas import Shopper
from agentic_shop.services.shoppers import get_shopper

router = APIRouter(tags=["session"])


class SessionOut(BaseModel):
    shopper: Shopper | None


@router.post("/session", response_model=SessionOut)
def start_session(
    request: Request,
    session: SessionDep,
    user_id: Annotated[int, Body(embed=True, ge=1, le=MAX_ID, description="A shopper id from /users.")],
) -> SessionOut:
    """Browse as this shopper (sets the signed session cookie)."""
    shopper = get_shopper(session, user_id)
    if shopper is None:
        raise HTTPException(404, f"No shopper {user_id}")
    request.session["user_id"] = user_id
    return SessionOut(shopper=shopper)


@router.get("/session", response_model=SessionOut)
def current_session(request: Request, session: SessionDep) -> SessionOut:
    return SessionOut(shopper=session_shopper(request, session))


@router.delete("/session", status_code=204)
def end_session(request: Request) -> Response:
    request.session.pop("user_id", None)
    return Response(status_code=204)


@router.get("/me", response_model=Shopper)
def me(shopper: CurrentShopperDep) -> Shopper:
    return shopper
