"""The LLM path against a real OpenAI-compatible server: llama-cpp-python 0.3.36 with SmolLM2-135M.

A model this small is often wrong; what must hold is the protocol and the limits: every step either
succeeds with validated output or falls back with a short reason, within its timeout, and the server is
never left generating after the app gave up. Run with `make test-llm` (prints a table for docs/agents.md).
"""

import time

import pytest

from agentic_shop.llm import LlmError
from agentic_shop.llm.client import ChatModel, LlmCall, openai_client
from agentic_shop.llm.guard import Guard
from agentic_shop.services import agents
from agentic_shop.settings import Settings
from tests.llm_server.conftest import MODEL

pytestmark = [pytest.mark.llm_server, pytest.mark.skipif(not MODEL, reason="run `make test-llm`")]
TIMEOUT_S = 30
DANIEL, PRIYA = "2", "6"
REPORT: list[tuple[str, str, str, float]] = []  # (what, engine, mode or reason, seconds)


def real_model(url: str, model_id: str, timeout: float = TIMEOUT_S, json_mode: str = "auto") -> ChatModel:
    client = openai_client(Settings(), azure=False, timeout=timeout, api_key="none", base_url=url)
    return ChatModel(client, model_id, "openai-compatible", timeout=timeout, json_mode=json_mode,
                     guard=Guard(max_in_flight=4, failures_to_open=100, open_s=0))  # fmt: skip


@pytest.fixture
def real_llm(llm_server, model_id, monkeypatch):
    from agentic_shop.agents import runtime

    model = real_model(llm_server, model_id)
    monkeypatch.setattr(runtime, "get_llm", lambda: model)
    return model


def test_the_server_refuses_json_schema_and_the_ladder_finds_what_it_takes(llm_server, model_id):
    from agentic_shop.llm.check import check_endpoint

    lines = check_endpoint(real_model(llm_server, model_id))
    mode_lines = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert "HTTP 500" in mode_lines["json_schema"] and "works" in mode_lines["json_object_schema"]
    assert lines[-1] == "LLM_JSON_MODE=auto will use json_object_schema (strongest that worked)"


def _steps_hold(result: dict, what: str, started: float) -> None:
    took = time.monotonic() - started
    for step in result.get("steps", []):
        assert step["engine"] in ("llm", "offline", "none")
        if step["engine"] == "offline" and step["fallback_reason"]:
            assert len(step["fallback_reason"]) < 120 and "Traceback" not in step["fallback_reason"]
    assert took < 3 * TIMEOUT_S
    REPORT.append((what, result["engine"], "; ".join(result["fallbacks"]) or "validated", took))


@pytest.mark.parametrize("message", ["I prefer white products from now on", "black earbuds under $50",
                                     "what do you remember about me?"])  # fmt: skip
def test_an_assistant_turn_either_uses_validated_llm_output_or_falls_back_with_a_reason(
    db, real_llm, message
):
    started = time.monotonic()
    result = agents.assistant_turn(db, DANIEL, f"real-{hash(message)}", message, None)
    assert result["reply"]
    _steps_hold(result, f"assistant: {message}", started)
    run = agents.get_run(db, DANIEL, result["run_id"])
    for step in run["steps"]:
        for call in step["llm_calls"]:
            assert call["mode"] in ("json_schema", "json_object_schema", "json_object", "text")
            assert call["latency_ms"] <= TIMEOUT_S * 1000 + 500


def test_the_section_and_the_summary_hold(db, real_llm):
    for what, ask in [
        ("personalized section", lambda: agents.personalized_section(db, DANIEL, 1)),
        ("review summary", lambda: agents.review_summary(db, PRIYA, 127)),
    ]:
        started = time.monotonic()
        result = ask()
        assert result["engine"] and (result["fallbacks"] or result["engine"].startswith("LLM"))
        _steps_hold(result, what, started)


def test_extraction_stores_third_person_facts_or_falls_back(llm_server, model_id, words):
    from agentic_shop.memory.extraction.pipeline import extract_facts

    started = time.monotonic()
    extraction = extract_facts(
        ["I now prefer white products"], words=words, llm=real_model(llm_server, model_id)
    )
    took = time.monotonic() - started
    assert extraction.facts, "a clear preference is never lost"
    for fact in extraction.facts:
        assert not fact.text.lower().startswith(("i ", "i'm", "my "))
    REPORT.append(("extraction", extraction.engine, extraction.fallback_reason or "validated", took))


def test_a_call_the_app_gave_up_on_leaves_the_server_free(llm_server, model_id):
    # The grammar forces at least 600 numbers: well over a thousand tokens, many seconds of work.
    numbers = {"type": "array", "items": {"type": "integer"}, "minItems": 600}
    schema = {"type": "object", "properties": {"numbers": numbers}, "required": ["numbers"]}
    impatient = real_model(llm_server, model_id, timeout=1, json_mode="json_object_schema")
    calls: list[LlmCall] = []
    with pytest.raises(LlmError, match="did not answer in time"):
        impatient.recording(calls).complete_json(
            "Count.", "Count from 1.", schema=schema, name="numbers", example={"numbers": [1, 2, 3]},
            max_tokens=3000,
        )  # fmt: skip
    started = time.monotonic()
    quick = real_model(llm_server, model_id, timeout=TIMEOUT_S, json_mode="json_object")
    quick.complete_json("Answer.", "Say ok.", schema={"type": "object", "properties": {}}, name="ok",
                        example={"ok": True}, max_tokens=10)  # fmt: skip
    # Had the server kept writing 3,000 tokens, this would wait for it.
    assert time.monotonic() - started < 10


def test_zz_report(capsys):
    """The table for docs/agents.md (printed with -s)."""
    with capsys.disabled():
        print("\n| step | engine | outcome | seconds |\n|---|---|---|---|")
        for what, engine, outcome, took in REPORT:
            print(f"| {what} | {engine} | {outcome} | {took:.1f} |")
