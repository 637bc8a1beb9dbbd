from __future__ import annotations

from typing import Any, TypedDict

from agentic_shop.agents.profile import ShopperProfile


class ReviewState(TypedDict, total=False):
    # input
    product_id: int
    question: str | None
    # recall_memories
    profile: ShopperProfile
    # load_reviews
    product: dict[str, Any]
    reviews: list[dict[str, Any]]
    # classify_reviews
    classified: int
    # count_sentiment
    counts: dict[str, dict[str, int]]
    # choose_focus
    focus: dict[str, Any]
    # summarize
    summary: str
    quotes: list[dict[str, Any]]
