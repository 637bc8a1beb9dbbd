"""START -> recall_memories -> find_candidates -> rank -> explain -> END

One graph for both products of the agent: `mode="recommendations"` ranks candidates from the whole
catalog; `mode="section"` ranks the one product of a page and explains it in three cards."""

from __future__ import annotations

from functools import lru_cache

from agentic_shop.agents.personalization import nodes
from agentic_shop.agents.personalization.state import PersonalizationState
from agentic_shop.agents.runtime import linear_graph

STEPS = ("recall_memories", "find_candidates", "rank", "explain")


@lru_cache
def personalization_graph():
    return linear_graph(PersonalizationState, nodes, STEPS)
