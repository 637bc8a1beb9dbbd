"""Meaning by sentence vectors: the local MiniLM, whatever EMBEDDING_PROVIDER says (the model was
trained on its vectors, and catalog words are compared with it)."""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from agentic_shop.embeddings import get_embedder
from agentic_shop.embeddings.base import Embedder


@cache
def local_embedder() -> Embedder:
    from agentic_shop.embeddings.local import MODEL_ID, LocalEmbedder

    configured = get_embedder()
    return configured if configured.model_id == MODEL_ID else LocalEmbedder()


@lru_cache(maxsize=4096)
def similarity(a: str, b: str) -> float:
    """Cosine similarity of two short phrases (the vectors are unit length)."""
    embedder = local_embedder()
    return float(np.dot(embedder.embed(a.casefold()), embedder.embed(b.casefold())))
