from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

ROUTES = (
    "product_search",  # "running shoes under $120"
    "feature_search",  # "headphones with great noise cancellation": ranked by reviews praising it
    "product_question",  # "is this available in black?", "show critical reviews about durability"
    "preference",  # "I prefer blue now", "always show me if red is in stock"
    "memory_question",  # "what do you know about me?"
    "recall",  # "what did we talk about last time?", "the headphones from yesterday": past conversations
    "other",  # greetings, thanks, anything else: a helpful answer
)


class AssistantState(TypedDict, total=False):
    """Checkpointed per conversation in PostgreSQL, so everything here is plain JSON-like data."""

    # The whole conversation: {role, content}, and for answers their run_id and product cards.
    messages: Annotated[list[dict[str, Any]], operator.add]
    message: str  # this turn's message
    product_id: int | None  # the product page it was asked on
    route: str
    slots: dict[str, Any]  # category, features, colors, size, max_price, tone, query
    remembered: list[dict[str, Any]]  # what the memory service changed this turn
    result: dict[str, Any]  # the tool's findings
    reply: str
