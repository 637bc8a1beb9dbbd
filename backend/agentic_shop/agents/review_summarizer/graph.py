"""START -> recall_memories -> load_reviews -> classify_reviews -> count_sentiment -> choose_focus
-> summarize -> END"""

from __future__ import annotations

from functools import lru_cache

from agentic_shop.agents.review_summarizer import nodes
from agentic_shop.agents.review_summarizer.state import ReviewState
from agentic_shop.agents.runtime import linear_graph

STEPS = (
    "recall_memories",
    "load_reviews",
    "classify_reviews",
    "count_sentiment",
    "choose_focus",
    "summarize",
)


@lru_cache
def review_summarizer_graph():
    return linear_graph(ReviewState, nodes, STEPS)
