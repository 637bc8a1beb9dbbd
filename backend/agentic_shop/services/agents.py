"""What the routes call: run an agent for the session's shopper, through the cache, leaving a trace.

Results are cached per (shopper, kind, product) and stamped with the shopper's memory version, so a
changed preference is never answered from the cache (see agents/cache.py). Each function commits: the
trace (and the assistant's memory write) must outlive the request.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from agentic_shop.agents import cache
from agentic_shop.agents.assistant.graph import assistant_graph, thread_id
from agentic_shop.agents.assistant.router import route_offline
from agentic_shop.agents.inventory.graph import inventory_graph
from agentic_shop.agents.personalization.graph import personalization_graph
from agentic_shop.agents.review_summarizer.graph import review_summarizer_graph
from agentic_shop.agents.runtime import RunContext, Step, engine_label, resolve_llm
from agentic_shop.llm import ChatModel
from agentic_shop.memory.service import MemoryService
from agentic_shop.services import catalog, conversations
from agentic_shop.services.catalog import NotFoundError
from agentic_shop.understanding.lexicon import vocabulary


class RunNotFoundError(LookupError):
    """No such run for this shopper (the same for a missing run and another shopper's)."""


MAX_RECOMMENDATIONS = 24
TURN_TTL_S = 300  # a posted turn not streamed within this is dropped


def recommendations(
    session: Session, user_id: str, limit: int = 8, *, private: bool = False
) -> dict[str, Any]:
    """The first `limit` of the shopper's list. The list is computed (and cached) at its longest, so
    one cache entry answers every limit."""
    inputs = {"limit": MAX_RECOMMENDATIONS}

    def compute(run: RunContext) -> dict[str, Any]:
        state = personalization_graph().invoke({"mode": "recommendations", **inputs}, run.config())
        return {"items": state["items"]}

    result = _cached(session, "recommendations", "personalization", user_id, None, inputs, compute, private)
    return result | {"items": result["items"][:limit]}


def personalized_section(
    session: Session, user_id: str, product_id: int, *, private: bool = False
) -> dict[str, Any]:
    _product_exists(session, product_id)

    def compute(run: RunContext) -> dict[str, Any]:
        state = personalization_graph().invoke({"mode": "section", "product_id": product_id}, run.config())
        return state["section"]

    return _cached(session, "section", "personalization", user_id, product_id, {}, compute, private)


def review_summary(
    session: Session, user_id: str, product_id: int, question: str | None = None, *, private: bool = False
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
        inputs = {"question": question}
        return _traced(session, "review_summarizer", user_id, product_id, inputs, compute, private=private)
    return _cached(session, "review-summary", "review_summarizer", user_id, product_id, {}, compute, private)


def stock_alert(session: Session, user_id: str, product_id: int, *, private: bool = False) -> dict[str, Any]:
    """Whether the colors and size the shopper asked for are in stock. Cached like the others, so it
    follows memory changes; a stock change shows once the entry is recomputed (use _traced for live)."""
    _product_exists(session, product_id)

    def compute(run: RunContext) -> dict[str, Any]:
        return {"alerts": inventory_graph().invoke({"product_id": product_id}, run.config())["alerts"]}

    return _cached(session, "stock-alert", "inventory", user_id, product_id, {}, compute, private)


def assistant_turn(
    session: Session,
    user_id: str,
    conversation_id: str,
    message: str,
    product_id: int | None,
    *,
    run_id: str | None = None,
    on_step: Callable[[Step], None] | None = None,
    private: bool = False,
) -> dict[str, Any]:
    """One turn. `run_id`: a turn posted earlier (`post_turn`); `on_step`: told of each step as it
    finishes, from the graph's threads (the stream); `private`: private mode (nothing remembered,
    no memory read)."""
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
            "slots": state["slots"],  # kept in the trace: the conversation's summary is built from them
            "remembered": state["remembered"],
            **state["result"],
        }

    conversations.touch(session, int(user_id), conversation_id)
    inputs = {"message": message, "product_id": product_id, "conversation_id": conversation_id}
    return _traced(
        session,
        "assistant",
        user_id,
        product_id,
        inputs,
        compute,
        with_steps=True,
        run_id=run_id,
        on_step=on_step,
        private=private,
    )


def post_turn(
    session: Session,
    user_id: str,
    conversation_id: str,
    message: str,
    product_id: int | None,
    *,
    private: bool = False,
) -> str:
    """Store a turn to be streamed (EventSource can only GET): its run row, pending. Returns its id."""
    if product_id is not None:
        _product_exists(session, product_id)
    run_id = str(uuid.uuid4())
    inputs = {"message": message, "product_id": product_id, "conversation_id": conversation_id}
    if private:
        inputs["private"] = True
    session.execute(
        text("""
        INSERT INTO agent_runs (id, agent, user_id, product_id, engine, status, input, duration_ms, private)
        VALUES (:id, 'assistant', :user_id, :product_id, '', 'pending', CAST(:input AS jsonb), 0, :private)
    """),
        {
            "id": run_id,
            "user_id": user_id,
            "product_id": product_id,
            "input": json.dumps(inputs),
            "private": private,
        },
    )
    session.commit()
    return run_id


def claim_turn(session: Session, user_id: str, run_id: str) -> dict[str, Any] | None:
    """The posted turn's inputs, once: the first stream claims it; a second stream, a replay, another
    shopper's id or a turn older than TURN_TTL finds nothing."""
    try:
        run_uuid = uuid.UUID(run_id)
    except ValueError:
        return None
    claimed = session.execute(
        text("""
        UPDATE agent_runs SET status = 'running'
        WHERE id = :id AND user_id = :user_id AND status = 'pending'
          AND created_at > clock_timestamp() - make_interval(secs => :ttl)
        RETURNING input
    """),
        {"id": run_uuid, "user_id": user_id, "ttl": TURN_TTL_S},
    ).scalar_one_or_none()
    session.commit()
    return claimed


def fail_turn(session: Session, run_id: str) -> None:
    """A streamed turn that raised: its run says so (nothing else of it was committed)."""
    session.execute(
        text("UPDATE agent_runs SET status = 'error' WHERE id = :id AND status = 'running'"),
        {"id": uuid.UUID(run_id)},
    )
    session.commit()


def conversation(user_id: str, conversation_id: str | None) -> list[dict[str, Any]]:
    """The conversation's messages as checkpointed (empty for a new one)."""
    if conversation_id is None:
        return []
    config = {"configurable": {"thread_id": thread_id(user_id, conversation_id)}}
    snapshot = assistant_graph().get_state(config)
    return list(snapshot.values.get("messages", []))


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
            FROM agent_runs WHERE id = :id AND user_id = :user_id AND status NOT IN ('pending', 'running')
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
        SELECT position, node, input_summary, output, duration_ms, memories_used, engine, fallback_reason,
               llm_calls
        FROM agent_steps WHERE run_id = :id ORDER BY position
    """),
        {"id": run_uuid},
    ).mappings()
    return {**run, "steps": [dict(step) for step in steps]}


def explain_run(session: Session, user_id: str, run_id: str, product_id: int | None = None) -> dict[str, Any]:
    """For "Why am I seeing this?": the run with its steps, and every memory it used, as the shopper's
    memories are now (when and how each was stored; a memory deleted since is marked so).
    `product_id`: one recommendation of a list run, whose own reasons lead."""
    run = get_run(session, user_id, run_id)
    reasons = []
    if product_id is not None:
        items = (run["output"] or {}).get("items") or []
        item = next((i for i in items if isinstance(i, dict) and i.get("id") == product_id), None)
        reasons = (item or {}).get("reasons") or []
    # The item's own memories first, then the others in the order the steps read them.
    used: dict[str, dict[str, Any]] = {}
    for reason in reasons:
        if reason.get("memory_id"):
            used.setdefault(reason["memory_id"], {"memory": reason["memory"], "steps": []})
    for step in run["steps"]:
        for entry in step["memories_used"]:
            used.setdefault(entry["id"], {"memory": entry["memory"], "steps": []})["steps"].append(
                step["node"]
            )
    known = MemoryService(connection=session, llm=None).get_all(user_id, include_superseded=True)
    records = {m.id: m.to_dict() for m in known}
    memories = [{"id": key, **entry, "record": records.get(key)} for key, entry in used.items()]
    return run | {"memories": memories, "reasons": reasons, "for_product": product_id}


def recent_runs(session: Session, user_id: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """The shopper's finished runs, newest first: agent, product, when, duration, engine, how many
    steps fell back, and whether its answer is cached now (fresh for the current memories, so served
    again without running: see agents/cache.py)."""
    rows = session.execute(
        text("""
        SELECT r.id::text AS id, r.agent, r.product_id, p.name AS product, r.created_at, r.duration_ms,
               r.engine, r.status, r.private,
               (SELECT count(*) FROM agent_steps s
                 WHERE s.run_id = r.id AND s.fallback_reason IS NOT NULL) AS fallbacks,
               EXISTS (SELECT 1 FROM agent_cache c
                        WHERE c.user_id = r.user_id AND c.payload->>'run_id' = r.id::text
                          AND c.memory_version = (SELECT coalesce(max(id), 0) FROM memory_events e
                                                  WHERE e.user_id = r.user_id)) AS cached
        FROM agent_runs r LEFT JOIN products p ON p.id = r.product_id
        WHERE r.user_id = :user_id AND r.status NOT IN ('pending', 'running')
        ORDER BY r.created_at DESC, r.id LIMIT :limit OFFSET :offset
    """),
        {"user_id": user_id, "limit": limit, "offset": offset},
    )
    return [dict(row) for row in rows.mappings()]


def runs_that_used(session: Session, user_id: str, memory_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """The shopper's runs whose steps read this memory ("used by"), newest first, with those steps."""
    rows = session.execute(
        text("""
        SELECT r.id::text AS id, r.agent, r.product_id, p.name AS product, r.created_at,
               array_agg(s.node ORDER BY s.position) AS steps
        FROM agent_runs r
        JOIN agent_steps s ON s.run_id = r.id
        LEFT JOIN products p ON p.id = r.product_id
        WHERE r.user_id = :user_id
          AND s.memories_used @> jsonb_build_array(jsonb_build_object('id', CAST(:memory_id AS text)))
        GROUP BY r.id, p.name
        ORDER BY r.created_at DESC LIMIT :limit
    """),
        {"user_id": user_id, "memory_id": memory_id, "limit": limit},
    )
    return [dict(row) for row in rows.mappings()]


def is_plain_search(session: Session, message: str, product_id: int | None = None) -> bool:
    """Whether the header box's message is a plain product search, by words or by feature (shown in
    the catalog grid, ranked by meaning), rather than something for the assistant: a preference, a
    review, memory or product question. Decided by the offline router: instant, and the same with
    or without an LLM."""
    chosen, _ = route_offline(message, vocabulary(session.connection()), product_id, None)
    return chosen in ("product_search", "feature_search")


# -- helpers -------------------------------------------------------------------------------------------


def _product_exists(session: Session, product_id: int) -> None:
    if not catalog.product_exists(session, product_id):
        raise NotFoundError(f"Product {product_id} not found")


def _cached(
    session: Session,
    kind: str,
    agent: str,
    user_id: str,
    product_id: int | None,
    inputs: dict[str, Any],
    compute: Callable[[RunContext], dict[str, Any]],
    private: bool = False,
) -> dict[str, Any]:
    if private:  # read no memories, so neither answered from nor stored in the shopper's cache
        return _traced(session, agent, user_id, product_id, inputs, compute, private=True)
    resolved = resolve_llm()
    llm = resolved[0]
    engine = engine_label(llm)
    # The version is read before computing: a change made meanwhile leaves this entry stale, never
    # wrongly fresh.
    hit, version = cache.get(session, user_id, kind, product_id, engine)
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
    run_id: str | None = None,
    on_step: Callable[[Step], None] | None = None,
    private: bool = False,
) -> dict[str, Any]:
    run = RunContext.start(agent, session, user_id, product_id, resolved, run_id, private)
    run.on_step = on_step
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
