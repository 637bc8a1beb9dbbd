"""OpenAI (or Azure OpenAI, or an OpenAI-compatible server) embeddings, asked for 384 dimensions.

Selected with EMBEDDING_PROVIDER=openai|azure; run `shop reindex` after switching, since vectors of
different models are not comparable.
"""

from __future__ import annotations

from functools import lru_cache

import openai

from agentic_shop.embeddings.base import EMBEDDING_DIM, EmbeddingError
from agentic_shop.llm.client import openai_client
from agentic_shop.settings import Settings

BATCH_SIZE = 256


class OpenAIEmbedder:
    dim = EMBEDDING_DIM

    def __init__(self, settings: Settings) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        if not key:
            raise EmbeddingError(f"EMBEDDING_PROVIDER={settings.embedding_provider} needs OPENAI_API_KEY")
        try:
            self._client = openai_client(
                settings,
                azure=settings.embedding_provider == "azure",
                timeout=settings.embedding_timeout_s,
                api_key=key,
                base_url=settings.openai_base_url,
            )
        except ValueError as exc:
            raise EmbeddingError(f"EMBEDDING_PROVIDER=azure: {exc}") from exc
        self._model = settings.openai_embedding_model
        self.model_id = f"openai:{self._model}@{EMBEDDING_DIM}"
        self._cached_embed = lru_cache(maxsize=2048)(self._embed_one)

    def embed(self, text: str) -> list[float]:
        # Queries repeat, and one memory add embeds its fact up to three times: one request each.
        return list(self._cached_embed(text))

    def _embed_one(self, text: str) -> tuple[float, ...]:
        return tuple(self.embed_batch([text])[0])

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), BATCH_SIZE):
            try:
                response = self._client.embeddings.create(
                    model=self._model, input=texts[start : start + BATCH_SIZE], dimensions=EMBEDDING_DIM
                )
            except openai.OpenAIError as exc:
                raise EmbeddingError(f"embedding request to {self._model} failed: {exc}") from exc
            vectors.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        if any(len(v) != EMBEDDING_DIM for v in vectors):
            raise EmbeddingError(f"{self._model} returned vectors that are not {EMBEDDING_DIM}-dimensional")
        return vectors
