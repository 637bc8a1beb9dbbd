"""START -> recall_memories -> load_product -> check_stock -> END"""

from __future__ import annotations

from functools import lru_cache

from agentic_shop.agents.inventory import nodes
from agentic_shop.agents.inventory.state import InventoryState
from agentic_shop.agents.runtime import linear_graph

STEPS = ("recall_memories", "load_product", "check_stock")


@lru_cache
def inventory_graph():
    return linear_graph(InventoryState, nodes, STEPS)
