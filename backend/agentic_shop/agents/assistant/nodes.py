"""The assistant's steps: route the message, remember it (durably), run the chosen tool, reply."""

from __future__ import annotations

from typing import Any

from agentic_shop.agents.assistant import prompts, tools
from agentic_shop.agents.assistant.router import route_offline, route_with_llm
from agentic_shop.agents.assistant.state import AssistantState
from agentic_shop.agents.runtime import RunContext, Step
from agentic_shop.llm import ChatModel
from agentic_shop.memory.extraction.pipeline import extract_facts, shopper_statements
from agentic_shop.memory.service import MemoryService


def route(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    words = run.words
    message, product_id = state["message"], state.get("product_id")
    previous = {"route": state.get("route"), "slots": state.get("slots")} if state.get("route") else None
    history = state.get("messages", [])[:-1]

    def with_llm(llm: ChatModel) -> tuple[str, dict[str, Any]]:
        return route_with_llm(llm, message, words, product_id, history)

    # Runs beside `remember`, which owns the session meanwhile: route neither touches nor releases it.
    chosen, slots = run.think(
        step,
        llm=with_llm,
        offline=lambda: route_offline(message, words, product_id, previous),
        release=False,
    )
    # Fresh per-turn fields: the checkpoint still holds last turn's (`remember` sets "remembered").
    return {"route": chosen, "slots": slots, "result": {}}


def remember(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    """Every message goes to the memory service and is committed before the reply is written: a crash
    after this point cannot lose a stated preference, and every cached section of this shopper is
    stale from here on (its memory version moved). Runs beside `route`, which touches no database.

    The facts are extracted (maybe an LLM round trip) before the session takes a connection, and all
    of them are written in one transaction: a turn's memory writes commit or roll back as a whole.
    In private mode nothing is extracted or stored."""
    if run.private:
        return {"remembered": []}
    said = [{"role": "user", "content": state["message"]}]
    llm = run.llm.recording(step.llm_calls) if run.llm else None
    extraction = extract_facts(shopper_statements(said), words=run.words, llm=llm)
    memory = MemoryService(connection=run.connection, llm=None)
    changes = memory.add(
        said, user_id=run.user_id, session_id=run.conversation_id, source="chat", extraction=extraction
    )
    run.session.commit()
    step.engine, step.fallback_reason = changes.engine, changes.fallback_reason or run.llm_problem
    return {"remembered": [change.to_dict() for change in changes]}


# -- tools: one node per route --------------------------------------------------------------------------


def _reply(result: dict[str, Any]) -> dict[str, Any]:
    return {"result": {k: v for k, v in result.items() if k != "reply"}, "reply": result["reply"]}


def product_search(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply(tools.product_search(state["slots"], run, step))


def feature_search(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply(tools.feature_search(state["slots"], run, step))


def product_question(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply(
        tools.product_question(state["slots"], state["message"], state.get("product_id"), run, step)
    )


def preference(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    if run.private:
        return _reply({"reply": prompts.PRIVATE_NOT_REMEMBERED})
    return _reply(tools.preference(state["remembered"]))


def memory_question(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply(tools.memory_question(run, step))


def recall(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply(tools.recall(state["slots"], state.get("product_id"), run, step))


def other(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    return _reply({"reply": prompts.HELP})


def respond(state: AssistantState, run: RunContext, step: Step) -> dict[str, Any]:
    # The products and the run go into the conversation too: a reloaded page shows the same cards
    # and the same "Why?".
    cards = [
        {key: card.get(key) for key in ("id", "name", "price", "image_url")}
        for card in state["result"].get("products", [])
    ]
    answer = {"role": "assistant", "content": state["reply"], "run_id": run.id}
    return {"messages": [answer | ({"products": cards} if cards else {})]}
