"""One thin client for every remote provider, through the official openai package: OpenAI, Azure
OpenAI, and OpenAI-compatible servers (Ollama, vLLM, llama.cpp, LM Studio) by base URL.

Callers get a JSON object that fits the schema they asked for, or an LlmError whose message is short
and safe to show a shopper; deciding to fall back to the offline engine is theirs. Every call is
bounded (max_tokens, a deadline, a streamed request that is closed when either runs out, so the server
stops generating), and recorded (mode, raw answer, tokens, finish reason, latency) for the trace.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import httpx
import openai

from agentic_shop.llm.formats import MODES, AnswerFormatError, describe, parse_answer, response_format
from agentic_shop.llm.guard import Guard, Unavailable
from agentic_shop.settings import Settings, get_settings

RAW_LIMIT = 2000  # characters of an answer kept in the trace
_CHARS_PER_TOKEN = 8  # generous: a stream longer than max_tokens * this is cut short client-side


class LlmError(RuntimeError):
    """The LLM gave no usable answer. str(error) is the short reason a shopper may see; `detail` (the
    server's own words, say) goes to the trace only."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class LlmCall:
    """One request as the trace keeps it."""

    name: str
    mode: str
    latency_ms: float = 0.0
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    raw: str = ""
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"latency_ms": round(self.latency_ms, 1)}


@dataclass
class _Endpoint:
    """What this process learned about one endpoint and model; shared by every client of it."""

    mode: str = MODES[0]
    temperature: bool = True  # reasoning models take only their default
    max_tokens_key: str = "max_tokens"  # OpenAI's reasoning models want max_completion_tokens
    stream_usage: bool = True  # stream_options.include_usage; some servers refuse unknown options
    lock: threading.Lock = field(default_factory=threading.Lock)


_endpoints: dict[tuple[str, str], _Endpoint] = {}
_endpoints_lock = threading.Lock()


def _endpoint(base_url: str, model: str) -> _Endpoint:
    with _endpoints_lock:
        return _endpoints.setdefault((base_url, model), _Endpoint())


def openai_client(settings: Settings, *, azure: bool, timeout: float, api_key: str, base_url: str | None):
    """An openai (or Azure OpenAI) client; retries are off so a timeout is one timeout, not three."""
    if azure:
        if not settings.azure_openai_endpoint:
            raise ValueError("Azure OpenAI needs AZURE_OPENAI_ENDPOINT")
        return openai.AzureOpenAI(
            api_key=api_key,
            azure_endpoint=settings.azure_openai_endpoint,
            api_version=settings.azure_openai_api_version,
            timeout=timeout,
            max_retries=0,
        )
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)


class ChatModel:
    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        provider: str,
        *,
        timeout: float,
        json_mode: str = "auto",
        guard: Guard | None = None,
    ) -> None:
        self._client = client
        self.model = model
        self.provider = provider
        self.timeout = timeout
        self.json_mode = json_mode
        self._endpoint = _endpoint(self.base_url, model)
        self._guard = guard or Guard(max_in_flight=4, failures_to_open=3, open_s=10)
        self.calls: list[LlmCall] | None = None

    def __repr__(self) -> str:
        return f"ChatModel({self.provider}:{self.model})"

    def recording(self, calls: list[LlmCall]) -> ChatModel:
        """This model, appending a record of each request to `calls` (one step's trace)."""
        twin = copy.copy(self)
        twin.calls = calls
        return twin

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    def served_models(self) -> list[str]:
        return [m.id for m in self._client.models.list(timeout=self.timeout)]

    def forced(self, mode: str) -> ChatModel:
        """This model asked in one JSON mode only, outside the shared limits (a probe)."""
        twin = copy.copy(self)
        twin.json_mode = mode
        twin._guard = Guard(max_in_flight=1, failures_to_open=1_000, open_s=0)
        return twin

    @property
    def mode(self) -> str:
        return self.json_mode if self.json_mode != "auto" else self._endpoint.mode

    def complete_json(
        self,
        system: str,
        user: str,
        *,
        schema: dict[str, Any],
        name: str,
        example: dict[str, Any],
        max_tokens: int,
    ) -> dict[str, Any]:
        """One answer that fits `schema`. The prompt describes the keys and shows `example` in every
        mode; modes the endpoint refuses are stepped down from, and the one that works is kept."""
        deadline = time.monotonic() + self.timeout
        messages = [
            {"role": "system", "content": f"{system}\n\n{describe(schema, example)}"},
            {"role": "user", "content": user},
        ]
        try:
            with self._guard.call():
                return self._ladder(messages, schema, name, max_tokens, deadline)
        except Unavailable as error:
            self._record(LlmCall(name, self.mode, error=str(error)))
            raise LlmError(str(error)) from None

    def _ladder(self, messages, schema, name, max_tokens, deadline) -> dict[str, Any]:
        modes = [self.json_mode] if self.json_mode != "auto" else list(MODES[MODES.index(self.mode) :])
        for position, mode in enumerate(modes):
            call = LlmCall(name, mode)
            self._record(call)
            try:
                raw = self._stream(call, messages, schema, name, max_tokens, deadline)
            except openai.APIStatusError as error:
                call.error = _server_words(error)
                refused_format = error.status_code not in (401, 403, 404, 429) and mode != "text"
                if refused_format and position + 1 < len(modes):
                    continue  # this server does not take that response_format: one step down
                self._guard.failed()
                raise LlmError(_status_reason(error.status_code), call.error) from None
            except openai.APITimeoutError:
                call.error = f"no answer within {self.timeout:g} s"
                self._guard.failed()
                raise LlmError("the language model did not answer in time") from None
            except openai.APIConnectionError as error:
                call.error = _server_words(error)
                self._guard.failed()
                raise LlmError("the language model could not be reached", call.error) from None
            except LlmError as error:
                call.error = error.detail or error.reason
                raise
            self._guard.succeeded()
            if self.json_mode == "auto":
                self._endpoint.mode = mode
            try:
                return parse_answer(raw, schema)
            except AnswerFormatError as error:
                call.error = str(error)
                raise LlmError("the language model's answer was not the JSON asked for", str(error)) from None
        raise AssertionError("unreachable: the last mode raises")

    def _stream(self, call: LlmCall, messages, schema, name, max_tokens, deadline) -> str:
        """One streamed completion, read until it stops, the deadline passes or it runs too long."""
        endpoint = self._endpoint
        started = time.monotonic()
        options: dict[str, Any] = {endpoint.max_tokens_key: max_tokens}
        if endpoint.temperature:
            options["temperature"] = 0
        if endpoint.stream_usage:
            options["stream_options"] = {"include_usage": True}
        if (format_ := response_format(call.mode, schema, name)) is not None:
            options["response_format"] = format_
        try:
            stream = self._create(call, messages, options, deadline - started)
        except openai.BadRequestError as error:
            if not self._learn(error):
                raise
            return self._stream(call, messages, schema, name, max_tokens, deadline)
        parts: list[str] = []
        length = 0
        try:
            with stream, _transport_errors(stream):
                for chunk in stream:
                    if chunk.usage is not None:
                        call.prompt_tokens = chunk.usage.prompt_tokens
                        call.completion_tokens = chunk.usage.completion_tokens
                    for choice in chunk.choices or []:
                        delta = choice.delta
                        if delta is not None and getattr(delta, "refusal", None):
                            call.finish_reason = "refusal"
                        if delta is not None and delta.content:
                            parts.append(delta.content)
                            length += len(delta.content)
                        if choice.finish_reason:
                            call.finish_reason = choice.finish_reason
                    if time.monotonic() > deadline:
                        raise openai.APITimeoutError(request=stream.response.request)
                    if length > max_tokens * _CHARS_PER_TOKEN:
                        call.finish_reason = "length"
                        break  # closing the stream stops the server generating
        finally:
            call.latency_ms = (time.monotonic() - started) * 1000
            call.raw = "".join(parts)[:RAW_LIMIT]
        if call.finish_reason == "length":
            raise LlmError("the language model's answer was cut off", f"stopped at {max_tokens} tokens")
        if call.finish_reason in ("refusal", "content_filter"):
            raise LlmError("the language model refused to answer", call.finish_reason)
        return "".join(parts)

    def _create(self, call: LlmCall, messages, options: dict[str, Any], remaining: float):
        started = time.monotonic()
        try:
            return self._client.chat.completions.create(
                model=self.model, messages=messages, stream=True, timeout=max(remaining, 0.1), **options
            )
        finally:
            call.latency_ms = (time.monotonic() - started) * 1000

    def _learn(self, error: openai.BadRequestError) -> bool:
        """Whether a 400 names an option this endpoint does not take (now dropped for good)."""
        endpoint, said = self._endpoint, f"{error.param} {error.message}".lower()
        with endpoint.lock:
            if endpoint.temperature and "temperature" in said:
                endpoint.temperature = False
            elif endpoint.max_tokens_key == "max_tokens" and "max_completion_tokens" in said:
                endpoint.max_tokens_key = "max_completion_tokens"
            elif endpoint.stream_usage and "stream_options" in said:
                endpoint.stream_usage = False
            else:
                return False
        return True

    def _record(self, call: LlmCall) -> None:
        if self.calls is not None:
            self.calls.append(call)


@contextmanager
def _transport_errors(stream) -> Iterator[None]:
    """Errors while reading a stream come from httpx unwrapped: name them as the openai client does."""
    try:
        yield
    except httpx.TimeoutException:
        raise openai.APITimeoutError(request=stream.response.request) from None
    except httpx.HTTPError as error:
        raise openai.APIConnectionError(message=str(error), request=stream.response.request) from None


def _status_reason(status: int) -> str:
    if status in (401, 403):
        return "the language model refused the credentials"
    if status == 404:
        return "the language model's server does not know this model"
    if status == 429:
        return "the language model is rate limited"
    return f"the language model's server answered with an error (HTTP {status})"


def _server_words(error: openai.OpenAIError) -> str:
    """The server's message, bounded: for the trace, never for shoppers (it may hold paths, frames)."""
    return " ".join(str(error).split())[:500]


@lru_cache
def get_llm() -> ChatModel | None:
    settings = get_settings()
    if settings.llm_provider == "offline":
        return None
    key = settings.llm_api_key or settings.openai_api_key
    # Local OpenAI-compatible servers ignore the key, but the openai client insists on one.
    api_key = (
        key.get_secret_value()
        if key
        else ("not-needed" if settings.llm_provider == "openai-compatible" else "")
    )
    if not api_key:
        raise ValueError(f"LLM_PROVIDER={settings.llm_provider} needs LLM_API_KEY or OPENAI_API_KEY")
    if settings.llm_provider == "openai-compatible" and not settings.llm_base_url:
        raise ValueError("LLM_PROVIDER=openai-compatible needs LLM_BASE_URL")
    client = openai_client(
        settings,
        azure=settings.llm_provider == "azure",
        timeout=settings.llm_timeout_s,
        api_key=api_key,
        base_url=settings.llm_base_url,
    )
    guard = Guard(settings.llm_max_in_flight, settings.llm_breaker_failures, settings.llm_breaker_s)
    return ChatModel(
        client,
        settings.llm_model,
        settings.llm_provider,
        timeout=settings.llm_timeout_s,
        json_mode=settings.llm_json_mode,
        guard=guard,
    )
