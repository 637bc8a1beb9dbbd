"""The LLM client against a local OpenAI-compatible server the test scripts: servers that take only some
response formats, answers in every shape weak models give, and every way a call must stay bounded."""

import threading
import time

import pytest

from agentic_shop.llm import LlmError
from agentic_shop.llm.client import ChatModel, LlmCall, openai_client
from agentic_shop.llm.guard import Guard
from agentic_shop.llm.stub_server import stub_chat_server
from agentic_shop.settings import Settings

SCHEMA = {
    "type": "object",
    "properties": {
        "route": {"type": "string", "enum": ["search", "other"]},
        "colors": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["route", "colors"],
    "additionalProperties": False,
}
EXAMPLE = {"route": "search", "colors": ["black"]}
ANSWER = {"route": "other", "colors": []}


@pytest.fixture
def server():
    with stub_chat_server() as stub:
        yield stub


def model(server, *, timeout=2.0, json_mode="auto", guard=None) -> ChatModel:
    client = openai_client(Settings(), azure=False, timeout=timeout, api_key="test", base_url=server.url)
    return ChatModel(
        client, "fake-model", "openai-compatible", timeout=timeout, json_mode=json_mode, guard=guard
    )


def ask(chat: ChatModel, calls: list[LlmCall] | None = None, max_tokens: int = 50) -> dict:
    chat = chat.recording(calls) if calls is not None else chat
    return chat.complete_json(
        "Route it.", "hi", schema=SCHEMA, name="route", example=EXAMPLE, max_tokens=max_tokens
    )


@pytest.mark.fault
@pytest.mark.parametrize(
    ("accepts", "modes"),
    [
        (("json_schema", "json_object_schema", "json_object", "text"), ["json_schema"]),
        (("json_object_schema", "json_object", "text"), ["json_schema", "json_object_schema"]),
        (("json_object", "text"), ["json_schema", "json_object_schema", "json_object"]),
        (("text",), ["json_schema", "json_object_schema", "json_object", "text"]),
    ],
    ids=["openai-like", "llama-cpp-python-like", "json-mode-only", "text-only"],
)
def test_the_strongest_format_a_server_takes_is_found_once_and_remembered(server, accepts, modes):
    server.only_accepts(*accepts)
    server.reply_json(ANSWER)
    chat = model(server)
    assert ask(chat) == ANSWER and server.modes_asked() == modes
    assert ask(chat) == ANSWER and server.modes_asked() == [*modes, modes[-1]]
    # Another client of the same endpoint and model starts where this one ended.
    assert model(server).mode == modes[-1]


def test_every_prompt_names_the_keys_and_shows_an_example_whatever_the_mode(server):
    server.only_accepts("text")
    server.reply_json(ANSWER)
    ask(model(server))
    for request in server.requests:
        system = request["messages"][0]["content"]
        assert 'route: one of "search", "other"; colors: a list of strings' in system
        assert 'Example: {"route": "search", "colors": ["black"]}' in system


def test_a_forced_mode_is_the_only_one_asked(server):
    server.only_accepts("json_object")
    server.reply_json(ANSWER)
    with pytest.raises(LlmError, match="HTTP 500"):
        ask(model(server, json_mode="json_schema"))
    assert server.modes_asked() == ["json_schema"]
    assert ask(model(server, json_mode="json_object")) == ANSWER


@pytest.mark.parametrize(
    "content",
    [
        '```json\n{"route": "other", "colors": []}\n```',
        'Here you go: {"route": "other", "colors": []} Hope that helps!',
        '{"route": "other", "colors": [],\n"note": "two\nlines"}',
        '{"route": "other", "colors": []}{"route": "search"}',
    ],
    ids=["fenced", "prose-around", "raw-newline-in-string", "trailing-object"],
)
def test_answers_are_read_leniently(server, content):
    server.reply_text(content)
    assert {k: v for k, v in ask(model(server)).items() if k in SCHEMA["properties"]} == ANSWER


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("I would route this to search.", "no JSON object"),
        ('{"route": "search"}', "no key 'colors'"),
        ('{"route": "buy", "colors": []}', "not one of"),
        ('{"route": "other", "colors": "red"}', "colors is not array"),
        ("", "empty"),
    ],
)
def test_an_answer_that_does_not_fit_is_an_error_with_the_raw_answer_in_the_trace(server, content, problem):
    server.reply_text(content)
    calls: list[LlmCall] = []
    with pytest.raises(LlmError, match="not the JSON asked for") as raised:
        ask(model(server), calls)
    assert problem in raised.value.detail and calls[-1].raw == content and problem in calls[-1].error
    assert calls[-1].finish_reason == "stop" and calls[-1].completion_tokens is not None


def test_every_call_is_bounded_and_streamed(server):
    server.reply_json(ANSWER)
    ask(model(server), max_tokens=77)
    request = server.requests[0]
    assert request["max_tokens"] == 77 and request["stream"] is True and request["temperature"] == 0


@pytest.mark.fault
def test_an_answer_cut_off_at_the_token_limit_is_a_failure(server):
    server.reply_cut_off('{"route": "other", "colors": ["bl')
    calls: list[LlmCall] = []
    with pytest.raises(LlmError, match="cut off"):
        ask(model(server), calls)
    assert calls[-1].finish_reason == "length"


@pytest.mark.fault
def test_a_runaway_answer_is_stopped_and_the_server_stops_generating(server):
    server.reply_forever()
    started = time.monotonic()
    calls: list[LlmCall] = []
    with pytest.raises(LlmError, match="cut off"):
        ask(model(server, timeout=5), calls, max_tokens=20)
    assert time.monotonic() - started < 3  # cut at 20 tokens' worth, long before the timeout
    deadline = time.monotonic() + 2
    while server.generating and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.generating == 0 and calls[-1].raw.startswith("{")


@pytest.mark.fault
def test_a_server_that_never_answers_times_out_on_time(server):
    server.reply_never(30)
    started = time.monotonic()
    with pytest.raises(LlmError, match="did not answer in time"):
        ask(model(server, timeout=0.5))
    assert time.monotonic() - started < 1.5


@pytest.mark.fault
def test_calls_beyond_the_limit_fall_back_at_once(server):
    server.reply_slowly(0.8, ANSWER)
    chat = model(server, guard=Guard(max_in_flight=1, failures_to_open=3, open_s=10))
    first = threading.Thread(target=ask, args=(chat,))
    first.start()
    time.sleep(0.3)
    started = time.monotonic()
    with pytest.raises(LlmError, match="too many language model calls at once"):
        ask(chat)
    assert time.monotonic() - started < 0.5  # no request made: nothing to wait for
    first.join()
    assert len(server.requests) == 1


@pytest.mark.fault
def test_an_endpoint_that_keeps_failing_is_left_alone_for_a_while(server):
    server.reply_status(503)
    chat = model(server, json_mode="text", guard=Guard(max_in_flight=4, failures_to_open=2, open_s=0.5))
    for _ in range(2):
        with pytest.raises(LlmError, match="HTTP 503"):
            ask(chat)
    with pytest.raises(LlmError, match="paused after repeated failures"):
        ask(chat)
    assert len(server.requests) == 2
    time.sleep(0.6)
    server.replies.clear()
    server.reply_json(ANSWER)
    assert ask(chat) == ANSWER


def test_options_a_server_refuses_are_dropped_and_remembered(server):
    server.refuses("stream_options")
    server.reply_json(ANSWER)
    chat = model(server)
    assert ask(chat) == ANSWER and ask(chat) == ANSWER
    assert ["stream_options" in r for r in server.requests] == [True, False, False]


def test_the_reason_is_short_and_the_servers_words_stay_in_the_trace(server):
    server.only_accepts()
    calls: list[LlmCall] = []
    with pytest.raises(LlmError) as raised:
        ask(model(server), calls)
    assert str(raised.value) == "the language model's server answered with an error (HTTP 500)"
    assert all("Traceback" in call.error for call in calls) and len(calls) == 4


def test_list_bounds_reach_grammar_servers_but_not_strict_schemas(server):
    bounded = {
        **SCHEMA,
        "properties": {**SCHEMA["properties"], "colors": {**SCHEMA["properties"]["colors"], "maxItems": 2}},
    }
    server.only_accepts("json_object_schema")
    server.reply_json({"route": "other", "colors": ["red", "blue", "green"]})
    with pytest.raises(LlmError) as raised:
        model(server).complete_json("Route.", "hi", schema=bounded, name="r", example=EXAMPLE, max_tokens=50)
    assert "more than 2 items" in raised.value.detail
    strict, grammar = (r["response_format"] for r in server.requests)
    assert "maxItems" not in strict["json_schema"]["schema"]["properties"]["colors"]
    assert grammar["schema"]["properties"]["colors"]["maxItems"] == 2
    assert "a list of strings (at most 2)" in server.requests[0]["messages"][0]["content"]
