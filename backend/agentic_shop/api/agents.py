"""The agents over HTTP. The shopper always comes from the session cookie's sign-in (deps.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from agentic_shop.deps import CurrentShopperDep, SessionDep, conversation_id, end_conversation, is_private
from agentic_shop.params import JsonId, ProductIdParam, stripped_text
from agentic_shop.services import agents

router = APIRouter(tags=["agents"])


class AgentResult(BaseModel, extra="allow"):
    run_id: str = Field(description="GET /api/v1/runs/{run_id}: why you are seeing this.")
    engine: str = Field(description='"offline engine" or the LLM that answered.')
    cached: bool
    cached_at: str | None = Field(default=None, description="When a cached answer was computed (ISO 8601).")
    fallbacks: list[str] = Field(description="LLM steps that fell back to the offline engine, and why.")


class Recommendations(AgentResult):
    items: list[dict[str, Any]]


class AssistantIn(BaseModel, extra="forbid"):
    message: stripped_text(2000) = Field(examples=["Headphones with great noise cancellation"])
    product_id: JsonId | None = Field(default=None, description="The product page it is asked on.")


class AssistantOut(AgentResult):
    reply: str
    route: str
    remembered: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    conversation_id: str


@router.get("/me/recommendations", response_model=Recommendations)
def recommendations(
    request: Request,
    session: SessionDep,
    shopper: CurrentShopperDep,
    limit: Annotated[int, Query(ge=1, le=agents.MAX_RECOMMENDATIONS)] = 8,
) -> dict[str, Any]:
    """The "For you" list, each with a one-line reason naming the memory it used."""
    return agents.recommendations(session, str(shopper.id), limit, private=is_private(request))


@router.get("/products/{product_id}/personalization", response_model=AgentResult)
def personalization(
    request: Request, session: SessionDep, shopper: CurrentShopperDep, product_id: ProductIdParam
) -> dict:
    """Three highlight cards and a tailored description of this product for the current shopper."""
    return agents.personalized_section(session, str(shopper.id), product_id, private=is_private(request))


@router.get("/products/{product_id}/review-summary", response_model=AgentResult)
def review_summary(
    request: Request,
    session: SessionDep,
    shopper: CurrentShopperDep,
    product_id: ProductIdParam,
    question: Annotated[
        str | None, Query(max_length=300, examples=["critical reviews about durability"])
    ] = None,
) -> dict:
    """Feature sentiment counts and a summary of at most three sentences, focused for this shopper."""
    question = (question and question.strip()) or None
    return agents.review_summary(session, str(shopper.id), product_id, question, private=is_private(request))


class StockAlert(AgentResult):
    alerts: list[dict[str, Any]] = Field(
        description="One per color or size the shopper asked for: text, in_stock, and the memory it follows."
    )


@router.get("/products/{product_id}/stock-alert", response_model=StockAlert)
def stock_alert(
    request: Request, session: SessionDep, shopper: CurrentShopperDep, product_id: ProductIdParam
) -> dict:
    """Whether the colors and size this shopper cares about are in stock (the workshop's inventory agent)."""
    return agents.stock_alert(session, str(shopper.id), product_id, private=is_private(request))


@router.post("/assistant", response_model=AssistantOut)
def assistant(request: Request, session: SessionDep, shopper: CurrentShopperDep, body: AssistantIn) -> dict:
    """One message to the shopping assistant: routed to a tool, remembered, answered with its steps."""
    conversation = conversation_id(request, session, shopper.id, create=True)
    result = agents.assistant_turn(
        session, str(shopper.id), conversation, body.message, body.product_id, private=is_private(request)
    )
    return result | {"conversation_id": conversation}


@router.delete("/assistant/conversation", status_code=204)
def new_conversation(request: Request, session: SessionDep, shopper: CurrentShopperDep) -> None:
    """Start over: this conversation ends and is summarized into one memory (listed with the others);
    the next message begins a new one. Long-term memories stay."""
    end_conversation(request, session, shopper.id)


@router.get("/runs/{run_id}")
def get_run(session: SessionDep, shopper: CurrentShopperDep, run_id: str) -> dict:
    """One agent run with its steps: inputs, outputs, timings, memories used, LLM or offline."""
    return agents.get_run(session, str(shopper.id), run_id)
