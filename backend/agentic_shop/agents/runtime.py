"""What every agent run carries: the database connection, the catalog's vocabulary, the LLM (or none),
and its trace.

A trace is one `agent_runs` row and one `agent_steps` row per graph node: the node, a summary of its
input, its output, how long it took, the memories it used, and whether the LLM or the offline engine
produced it (and why it fell back). `think` is the one place an LLM step falls back to the offline one.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from sqlalchemy import Connection, text
from sqlmodel import Session

from agentic_shop.llm import ChatModel, LlmError, get_llm
from agentic_shop.llm.client import LlmCall
from agentic_shop.memory import recency
from agentic_shop.memory.records import MemoryRecord
from agentic_shop.memory.service import MemoryService
from agentic_shop.understanding.lexicon import Vocabulary, vocabulary

OFFLINE_ENGINE = "offline engine"
log = logging.getLogger(__name__)
T = TypeVar("T")


def resolve_llm() -> tuple[ChatModel | None, str | None]:
    """The configured LLM, or None and why not (a misconfiguration falls back, it does not fail)."""
    try:
        return get_llm(), None
    except ValueError as error:
        log.warning("LLM misconfigured, using the offline engine: %s", error)
        return None, f"LLM misconfigured: {error}"


def engine_label(llm: ChatModel | None) -> str:
    return f"LLM ({llm.provider}: {llm.model})" if llm else OFFLINE_ENGINE


@dataclass
class Step:
    node: str
    input_summary: str
    output: Any = None
    duration_ms: float = 0.0
    memories_used: list[dict[str, str]] = field(default_factory=list)
    engine: str = "none"  # offline | llm | none (no reasoning: a lookup)
    fallback_reason: str | None = None  # short, shown to shoppers; the detail is in llm_calls
    llm_calls: list[LlmCall] = field(default_factory=list)

    def used(self, memories: list[MemoryRecord]) -> None:
        known = {entry["id"] for entry in self.memories_used}
        self.memories_used += [{"id": m.id, "memory": m.memory} for m in memories if m.id not in known]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "input_summary": self.input_summary,
            "output": self.output,
            "duration_ms": round(self.duration_ms, 2),
            "memories_used": self.memories_used,
            "engine": self.engine,
            "fallback_reason": self.fallback_reason,
            "llm_calls": [call.to_dict() for call in self.llm_calls],
        }


@dataclass
class RunContext:
    """Handed to every node through LangGraph's config (`configurable.run`); never checkpointed."""

    agent: str
    session: Session  # the request's: its commit is the route's (tests roll it back)
    user_id: str
    # Read once per run: every step sees the same words, and a step that runs beside another (the
    # assistant's route) needs no database.
    words: Vocabulary
    product_id: int | None = None
    llm: ChatModel | None = None
    llm_problem: str | None = None
    conversation_id: str | None = None  # the assistant's: its session context and checkpoint thread
    # Private mode: the run reads no memories, the assistant stores none, and the trace is deleted
    # when private mode ends.
    private: bool = False
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    steps: list[Step] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    # Told of every step as it finishes (the assistant's stream); called from the graph's threads.
    on_step: Callable[[Step], None] | None = None

    @classmethod
    def start(
        cls,
        agent: str,
        session: Session,
        user_id: str,
        product_id: int | None = None,
        resolved: tuple[ChatModel | None, str | None] | None = None,
        run_id: str | None = None,
        private: bool = False,
    ) -> RunContext:
        """`resolved`: the caller's `resolve_llm()`, if it already asked. `run_id`: a run posted
        before it runs (a streamed assistant turn)."""
        llm, problem = resolved or resolve_llm()
        connection = session.connection()
        words = vocabulary(connection)
        # Nothing is written yet: end the read so no connection waits with the run (on an LLM, on
        # the steps before the first write).
        session.commit()
        run = cls(agent, session, user_id, words, product_id, llm=llm, llm_problem=problem, private=private)
        if run_id is not None:
            run.id = run_id
        return run

    @property
    def connection(self) -> Connection:
        # Asked afresh each time: after a commit the session hands out a new connection.
        return self.session.connection()

    def memories(self) -> list[MemoryRecord]:
        """The shopper's active long-term memories (not session context), newest first: none at all in
        private mode. The one door through which every agent reads them."""
        if self.private:
            return []
        return list(MemoryService(connection=self.connection, llm=None).get_all(self.user_id, level="user"))

    @property
    def engine(self) -> str:
        """What produced the answer: the LLM, the offline engine, or both (naming the steps that fell
        back); each step's own engine is in the trace."""
        reasoned = [s for s in self.steps if s.engine != "none"]
        fell = [s.node for s in reasoned if s.engine == "offline"]
        if not reasoned or len(fell) == len(reasoned):
            return OFFLINE_ENGINE
        if not fell:
            return engine_label(self.llm)
        return f"{engine_label(self.llm)}; {', '.join(fell)} by the {OFFLINE_ENGINE}"

    @property
    def fallbacks(self) -> list[str]:
        return [f"{s.node}: {s.fallback_reason}" for s in self.steps if s.fallback_reason]

    def config(self, **configurable: Any) -> dict[str, Any]:
        return {"configurable": {"run": self, **configurable}}

    @contextmanager
    def step(self, node: str, input_summary: str) -> Iterator[Step]:
        step = Step(node, input_summary)
        self.steps.append(step)  # in the order steps start (parallel ones finish in any order)
        start = time.perf_counter()
        try:
            yield step
        finally:
            step.duration_ms = (time.perf_counter() - start) * 1000
            if self.on_step is not None:
                self.on_step(step)

    def think(
        self,
        step: Step,
        *,
        llm: Callable[[ChatModel], T],
        offline: Callable[[], T],
        release: bool = True,
    ) -> T:
        """The LLM's answer when one is configured and answers usably in time, else the offline one.

        `release`: first end the session's transaction, so no database connection waits for the LLM.
        It holds only reads: a run writes its trace after its last step, and `remember` commits its
        own writes. A step running beside another that uses the session passes False (and must not
        touch the database itself)."""
        if self.llm is None:
            step.engine = "offline"
            step.fallback_reason = self.llm_problem
            return offline()
        if release:
            self.session.commit()
        try:
            value = llm(self.llm.recording(step.llm_calls))
        except LlmError as error:
            if step.llm_calls and step.llm_calls[-1].error is None:
                # The answer came back but was rejected (ungrounded, wrong shape): the trace says why.
                step.llm_calls[-1].error = error.detail or error.reason
            log.warning(
                "%s/%s fell back to the offline engine: %s (%s)", self.agent, step.node, error, error.detail
            )
            step.engine = "offline"
            step.fallback_reason = str(error)
            return offline()
        step.engine = "llm"
        return value

    def save(self, inputs: dict[str, Any], output: Any, status: str = "ok") -> None:
        """Store the run and its steps in the caller's transaction (completing a posted run)."""
        self.connection.execute(
            text("""
            INSERT INTO agent_runs
                (id, agent, user_id, product_id, engine, status, input, output, duration_ms, private)
            VALUES (:id, :agent, :user_id, :product_id, :engine, :status, CAST(:input AS jsonb),
                    CAST(:output AS jsonb), :duration_ms, :private)
            ON CONFLICT (id) DO UPDATE
            SET engine = excluded.engine, status = excluded.status, input = excluded.input,
                output = excluded.output, duration_ms = excluded.duration_ms
            WHERE agent_runs.user_id = excluded.user_id
        """),
            {
                "id": self.id,
                "agent": self.agent,
                "user_id": self.user_id,
                "product_id": self.product_id,
                "engine": self.engine,
                "status": status,
                "input": _json(inputs),
                "output": _json(output),
                "duration_ms": (time.perf_counter() - self.started) * 1000,
                "private": self.private,
            },
        )
        used = list(dict.fromkeys(entry["id"] for step in self.steps for entry in step.memories_used))
        if used and not self.private:
            # Recall weighs how recently a memory was used (memory.recency): at most one stamp an hour.
            recency.mark(self.connection, used, recency.USED_AT, every_s=3600)
        if self.steps:
            self.connection.execute(
                text("""
                INSERT INTO agent_steps (run_id, position, node, input_summary, output, duration_ms,
                                         memories_used, engine, fallback_reason, llm_calls)
                VALUES (:run_id, :position, :node, :input_summary, CAST(:output AS jsonb), :duration_ms,
                        CAST(:memories_used AS jsonb), :engine, :fallback_reason,
                        CAST(:llm_calls AS jsonb))
            """),
                [
                    {
                        **step.to_dict(),
                        "run_id": self.id,
                        "position": position,
                        # Already bounded by `node`.
                        "output": json.dumps(step.output, default=str),
                        "memories_used": json.dumps(step.memories_used),
                        "llm_calls": json.dumps(step.to_dict()["llm_calls"]),
                    }
                    for position, step in enumerate(self.steps, start=1)
                ],
            )


def node(name: str, function: Callable[[Any, RunContext, Step], dict[str, Any]]):
    """A graph node that records itself as a step of the run: timing, input summary and output."""

    # LangGraph passes the config to a node that has a parameter named `config`.
    def run(state: Any, config: RunnableConfig) -> dict[str, Any]:
        context: RunContext = config["configurable"]["run"]
        with context.step(name, summarize(state)) as step:
            update = function(state, context, step)
            step.output = brief(update)
        return update

    run.__name__ = name
    return run


def linear_graph(state: type, nodes: Any, steps: tuple[str, ...]):
    """START -> steps[0] -> ... -> END, each step the function of that name in `nodes`, traced; compiled
    without a checkpointer even when run inside a checkpointed graph."""
    from langgraph.graph import END, START, StateGraph

    graph = StateGraph(state)
    previous = START
    for name in steps:
        graph.add_node(name, node(name, getattr(nodes, name)))
        graph.add_edge(previous, name)
        previous = name
    graph.add_edge(previous, END)
    return graph.compile(checkpointer=False)


def summarize(state: dict[str, Any]) -> str:
    parts = []
    for key, value in state.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list | tuple | dict):
            parts.append(f"{key}: {len(value)} items")
        elif isinstance(value, str | int | float | bool):
            parts.append(f"{key}: {str(value)[:80]}")
        else:  # an object (a shopper's profile): its kind, not its repr
            parts.append(f"{key}: {type(value).__name__}")
    return "; ".join(parts) or "(empty)"


def brief(value: Any) -> Any:
    """A JSON-safe, bounded copy of a node's output for the trace."""
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if isinstance(value, dict):
        return {str(k): brief(v) for k, v in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        items = [brief(v) for v in value[:10]]
        return [*items, f"... {len(value) - 10} more"] if len(value) > 10 else items
    if isinstance(value, str):
        return value if len(value) <= 300 else value[:297] + "..."
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _json(value: Any) -> str:
    return json.dumps(brief(value), default=str)
