"""What every embedder offers. One embedder is shared by the catalog and (later) memory."""

from __future__ import annotations

from typing import Protocol

# Every vector column is vector(384); remote providers are asked for this many dimensions too.
EMBEDDING_DIM = 384


class EmbeddingError(RuntimeError):
    """The embedder is unusable (missing or tampered model file, remote provider failure)."""


class Embedder(Protocol):
    #: Stored next to every vector, so a switch of model is detectable (`shop reindex`).
    model_id: str
    dim: int

    def embed(self, text: str) -> list[float]: ...

    def embed_batch(self, texts: list[str]) -> list[list[float]]: ...
