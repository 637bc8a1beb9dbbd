from __future__ import annotations

from typing import Any, Literal, TypedDict

from agentic_shop.agents.catalog import ProductFacts, SentimentCounts
from agentic_shop.agents.profile import ShopperProfile
from agentic_shop.memory.records import MemoryRecord


class PersonalizationState(TypedDict, total=False):
    # input
    mode: Literal["recommendations", "section"]
    product_id: int | None  # the product page (section mode)
    limit: int
    # recall_memories
    profile: ShopperProfile
    relevant: list[MemoryRecord]  # memories ranked by relevance to the page (section mode)
    # find_candidates
    candidates: dict[int, ProductFacts]
    similarity: dict[int, tuple[float, str | None]]  # product -> (best cosine, memory id that found it)
    # rank
    ranked: list[dict[str, Any]]  # product id, score, reasons (strongest first)
    sentiment: dict[int, dict[str, SentimentCounts]]  # labelled review sentiment per product and feature
    # explain
    items: list[dict[str, Any]]  # recommendations
    section: dict[str, Any]  # product page: cards and a tailored description
