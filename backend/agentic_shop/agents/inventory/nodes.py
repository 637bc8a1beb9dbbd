"""The inventory agent's steps. Each takes (state, run, step) and returns the state keys it sets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from agentic_shop.agents.catalog import Availability, product_facts
from agentic_shop.agents.inventory.state import InventoryState
from agentic_shop.agents.profile import load_profile
from agentic_shop.agents.runtime import RunContext, Step
from agentic_shop.agents.wording import second_person
from agentic_shop.memory.records import MemoryRecord


def recall_memories(state: InventoryState, run: RunContext, step: Step) -> dict[str, Any]:
    return {"profile": load_profile(run)}


def load_product(state: InventoryState, run: RunContext, step: Step) -> dict[str, Any]:
    facts = product_facts(run.connection, [state["product_id"]], run.words)
    return {"product": facts[state["product_id"]]}


def check_stock(state: InventoryState, run: RunContext, step: Step) -> dict[str, Any]:
    """The colors the shopper likes or watches, and their size for this kind of product, against the
    product's variants; only attributes the product comes in (a speaker has no size)."""
    profile, product = state["profile"], state["product"]
    wanted: list[tuple[str, str, MemoryRecord]] = []
    if product.values("color"):
        wanted += [
            ("color", color, memory) for color, memory in {**profile.colors, **profile.watched_colors}.items()
        ]
    size = profile.size_for(product.category)
    if size and product.values("size"):
        wanted.append(("size", size.value, size.memory))
    alerts = [
        _alert(product.availability(attribute, value), attribute, memory)
        for attribute, value, memory in wanted
    ]
    step.used([memory for _, _, memory in wanted])
    return {"alerts": alerts}


def _alert(available: Availability, attribute: str, memory: MemoryRecord) -> dict[str, Any]:
    if attribute == "size":  # "available in size 10", not "available in 10"
        available = replace(available, label=f"size {available.label}")
    return {
        "text": f"{second_person(memory.memory)}: {available.describe()}",
        "in_stock": available.in_stock,
        "memory_id": memory.id,
        "memory": memory.memory,
    }
