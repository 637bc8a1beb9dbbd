"""`shop llm check`: what the configured endpoint serves and which ways of asking for JSON it takes,
with one timed round trip per way, so a workshop attendee sees at once whether their server works."""

from __future__ import annotations

import time

import openai

from agentic_shop.llm.client import ChatModel, LlmCall, LlmError
from agentic_shop.llm.formats import MODES

_SCHEMA = {
    "type": "object",
    "properties": {"color": {"type": "string"}, "count": {"type": "integer"}},
    "required": ["color", "count"],
    "additionalProperties": False,
}
_QUESTION = "A shopper wrote: 'two pairs of socks in green please'. Which color, and how many?"


def check_endpoint(llm: ChatModel) -> list[str]:
    lines = [
        f"endpoint {llm.provider}: {llm._client.base_url} model {llm.model!r} (timeout {llm.timeout:g} s)"
    ]
    try:
        served = [m.id for m in llm._client.models.list(timeout=llm.timeout)]
        known = "listed" if llm.model in served else "NOT among them"
        lines.append(f"models served: {', '.join(served[:12]) or '(none listed)'}; {llm.model!r} {known}")
    except openai.OpenAIError as error:
        lines.append(f"models: not listed ({type(error).__name__})")
    best = None
    for mode in MODES:
        probe = llm.forced(mode)
        calls: list[LlmCall] = []
        started = time.monotonic()
        try:
            answer = probe.recording(calls).complete_json(
                "You read shopping requests.",
                _QUESTION,
                schema=_SCHEMA,
                name="probe",
                example={"color": "blue", "count": 1},
                max_tokens=40,
            )
            verdict = f"works: {answer}"
            best = best or mode
        except LlmError as error:
            verdict = f"fails: {error}" + (f" ({calls[-1].error[:120]})" if calls and calls[-1].error else "")
        took = (time.monotonic() - started) * 1000
        tokens = f", {calls[-1].completion_tokens} tokens" if calls and calls[-1].completion_tokens else ""
        lines.append(f"  {mode:19} {took:7.0f} ms{tokens}  {verdict}")
    if best is None:
        lines.append("no way of asking for JSON worked: the agents will use the offline engine")
    else:
        lines.append(f"LLM_JSON_MODE=auto will use {best} (strongest that worked)")
    return lines
