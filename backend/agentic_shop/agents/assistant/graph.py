"""START -> route and remember side by side -> one tool per route -> respond -> END, checkpointed per
conversation in PostgreSQL (thread id: shopper and conversation).

Routing and remembering are independent, and each may ask the LLM: side by side, a turn waits for one
LLM round trip before its tool, not two. The tool starts once both are done (the same superstep), so
`preference` sees what was remembered."""

from __future__ import annotations

from functools import lru_cache

from langgraph.graph import END, START, StateGraph

from agentic_shop.agents.assistant import nodes
from agentic_shop.agents.assistant.checkpointer import get_checkpointer
from agentic_shop.agents.assistant.state import ROUTES, AssistantState
from agentic_shop.agents.runtime import node


def build_assistant_graph() -> StateGraph:
    graph = StateGraph(AssistantState)
    for name in ("route", "remember", *ROUTES, "respond"):
        graph.add_node(name, node(name, getattr(nodes, name)))
    graph.add_edge(START, "route")
    graph.add_edge(START, "remember")
    graph.add_conditional_edges("route", lambda state: state["route"], list(ROUTES))
    for tool in ROUTES:
        graph.add_edge(tool, "respond")
    graph.add_edge("respond", END)
    return graph


@lru_cache
def assistant_graph():
    return build_assistant_graph().compile(checkpointer=get_checkpointer())


def thread_id(user_id: str, conversation_id: str) -> str:
    # The shopper is part of the key: a conversation id from another shopper's cookie finds nothing.
    return f"shopper-{user_id}:{conversation_id}"
