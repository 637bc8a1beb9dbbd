"""One thin client for every remote provider, through the official openai package: OpenAI, Azure
OpenAI, and OpenAI-compatible servers (Ollama, vLLM, LM Studio) by base URL.

Callers get JSON that matches the schema they asked for, or an LlmError (timeout, HTTP error, refusal,
malformed output); deciding to fall back to the offline engine is theirs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import openai

from agentic_shop.settings import Settings, get_settings


class LlmError(RuntimeError):
    """The LLM gave no usable answer."""


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
    def __init__(self, client: openai.OpenAI, model: str, provider: str) -> None:
        self._client = client
        self.model = model
        self.provider = provider
        self._temperature: float | None = 0  # None: the model takes only its default (reasoning models)

    def __repr__(self) -> str:
        return f"ChatModel({self.provider}:{self.model})"

    def complete_json(self, system: str, user: str, *, schema: dict[str, Any], name: str) -> dict[str, Any]:
        """One chat completion constrained to `schema` (structured outputs, strict)."""
        try:
            try:
                response = self._complete(system, user, schema, name)
            except openai.BadRequestError as error:
                if error.param != "temperature" or self._temperature is None:
                    raise
                # Reasoning models refuse any temperature but their default: ask again, and from now on.
                self._temperature = None
                response = self._complete(system, user, schema, name)
        except openai.APITimeoutError as error:
            raise LlmError(f"{self} timed out") from error
        except openai.OpenAIError as error:
            raise LlmError(f"{self} failed: {error}") from error
        try:
            content = response.choices[0].message.content
            data = json.loads(content)
        except (AttributeError, IndexError, TypeError, ValueError) as error:
            raise LlmError(f"{self} returned no JSON") from error
        if not isinstance(data, dict):
            raise LlmError(f"{self} returned JSON that is not an object")
        return data

    def _complete(self, system: str, user: str, schema: dict[str, Any], name: str):
        settings = {} if self._temperature is None else {"temperature": self._temperature}
        return self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": True},
            },
            **settings,
        )


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
    return ChatModel(client, settings.llm_model, settings.llm_provider)
