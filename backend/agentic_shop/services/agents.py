"""What the routes call: run an agent for the session's shopper, through the cache, leaving a trace.

Results are cached per (shopper, kind, product) and stamped with the shopper's memory version, so a
changed preference is never answered from the cache (see agents/cache.py). Each function commits: the
trace (and the assistant's memory write) must outlive the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from agentic_shop.agents import cache
from agentic_shop.agents.assistant.graph import assistant_graph, thread_id
from agentic_shop.agents.personalization.graph import personalization_graph
from agentic_shop.agents.review_summarizer.graph import review_summarizer_graph
from agentic_shop.agents.runtime import RunContext, engine_label, resolve_llm
from agentic_shop.llm import ChatModel
from agentic_shop.services.catalog import NotFoundError


class RunNotFoundError(LookupError):
    """No such run for this shopper (the same for a missing run and another shopper's)."""


MAX_RECOMMENDATIONS = 24


def recommendations(session: Session, user_id: str, limit: int = 8) -> dict[str, Any]:
    """The first `limit` of the shopper's list. The list is computed (and cached) at its longest, so
    one cache entry answers every limit."""
    inputs = {"limit": MAX_RECOMMENDATIONS}

    def compute(run: RunContext) -> dict[str, Any]:
        state = personalization_graph().invoke({"mode": "recommendations", **inputs}, run.config())
        return {"items": state["items"]}

    result = _cached(session, "recommendations", "personalization", user_id, None, inputs, compute)
    return result | {"items": result["items"][:limit]}


def personalized_section(session: Session, user_id: str, product_id: int) -> dict[str, Any]:
    _product_exists(session, product_id)

    def compute(run: RunContext) -> dict[str, Any]:
        state = personalization_graph().invoke({"mode": "section", "product_id": product_id}, run.config())
        return state["section"]

    return _cached(session, "section", "personalization", user_id, product_id, {}, compute)


def review_summary(
    session: Session, user_id: str, product_id: int, question: str | None = None
) -> dict[str, Any]:
    _product_exists(session, product_id)

    def compute(run: RunContext) -> dict[str, Any]:
        state = review_summarizer_graph().invoke(
            {"product_id": product_id, "question": question}, run.config()
        )
        return {
            "product_id": product_id,
            "summary": state["summary"],
            "focus": state["focus"],
            "features": state["counts"],
            "quotes": state["quotes"],
            "classified_reviews": state["classified"],
        }

    if question:  # a question is a one-off: answered fresh, not cached
        return _traced(session, "review_summarizer", user_id, product_id, {"question": question}, compute)
    return _cached(session, "review-summary", "review_summarizer", user_id, product_id, {}, compute)


def assistant_turn(
    session: Session, user_id: str, conversation_id: str, message: str, product_id: int | None
) -> dict[str, Any]:
    if product_id is not None:
        _product_exists(session, product_id)

    def compute(run: RunContext) -> dict[str, Any]:
        run.conversation_id = conversation_id
        config = run.config(thread_id=thread_id(user_id, conversation_id))
        state = assistant_graph().invoke(
            {
                "message": message,
                "product_id": product_id,
                "messages": [{"role": "user", "content": message}],
            },
            config,
        )
        return {
            "reply": state["reply"],
            "route": state["route"],
            "remembered": state["remembered"],
            **state["result"],
        }

    inputs = {"message": message, "product_id": product_id, "conversation_id": conversation_id}
    return _traced(session, "assistant", user_id, product_id, inputs, compute, with_steps=True)


def get_run(session: Session, user_id: str, run_id: str) -> dict[str, Any]:
    missing = RunNotFoundError(f"No run {run_id!r} for this shopper")
    try:
        run_uuid = uuid.UUID(run_id)
    except ValueError:
        raise missing from None
    run = (
        session.execute(
            text("""
            SELECT id::text, agent, product_id, engine, status, input, output, duration_ms, created_at
            FROM agent_runs WHERE id = :id AND user_id = :user_id
        """),
            {"id": run_uuid, "user_id": user_id},
        )
        .mappings()
        .one_or_none()
    )
    if run is None:
        raise missing
    steps = session.execute(
        text("""
        SELECT position, node, input_summary, output, duration_ms, memories_used, engine, fallback_reason
        FROM agent_steps WHERE run_id = :id ORDER BY position
    """),
        {"id": run_uuid},
    ).mappings()
    return {**run, "steps": [dict(step) for step in steps]}


# -- helpers -------------------------------------------------------------------------------------------


def _product_exists(session: Session, product_id: int) -> None:
    if session.execute(text("SELECT 1 FROM products WHERE id = :id"), {"id": product_id}).first() is None:
        raise NotFoundError(f"Product {product_id} not found")


def _cached(
    session: Session,
    kind: str,
    agent: str,
    user_id: str,
    product_id: int | None,
    inputs: dict[str, Any],
    compute: Callable[[RunContext], dict[str, Any]],
) -> dict[str, Any]:
    resolved = resolve_llm()
    llm = resolved[0]
    engine = engine_label(llm)
    # The version is read before computing: a change made meanwhile leaves this entry stale, never
    # wrongly fresh.
    hit, version = cache.get(session.connection(), user_id, kind, product_id, engine)
    if hit is not None:
        return hit | {"cached": True}
    result = _traced(session, agent, user_id, product_id, inputs, compute, commit=False, resolved=resolved)
    # A step that fell back from a working LLM is not cached: the next request asks the LLM again.
    if not result["fallbacks"] or llm is None:
        cache.put(session.connection(), user_id, kind, product_id, engine, version, result)
    session.commit()
    return result


def _traced(
    session: Session,
    agent: str,
    user_id: str,
    product_id: int | None,
    inputs: dict[str, Any],
    compute: Callable[[RunContext], dict[str, Any]],
    *,
    commit: bool = True,
    with_steps: bool = False,
    resolved: tuple[ChatModel | None, str | None] | None = None,
) -> dict[str, Any]:
    run = RunContext.start(agent, session, user_id, product_id, resolved)
    payload = compute(run)
    result = {**payload, "run_id": run.id, "engine": run.engine, "fallbacks": run.fallbacks, "cached": False}
    if with_steps:
        result["steps"] = [
            {
                k: v
                for k, v in step.to_dict().items()
                if k in ("node", "engine", "duration_ms", "fallback_reason")
            }
            for step in run.steps
        ]
    run.save(inputs, payload)
    if commit:
        session.commit()
    return result
