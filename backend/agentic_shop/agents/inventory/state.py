from __future__ import annotations

from typing import Any, TypedDict

from agentic_shop.agents.catalog import ProductFacts
from agentic_shop.agents.profile import ShopperProfile


class InventoryState(TypedDict, total=False):
    product_id: int  # input
    profile: ShopperProfile  # recall_memories
    product: ProductFacts  # load_product
    alerts: list[dict[str, Any]]  # check_stock: one per color or size the shopper asked for
