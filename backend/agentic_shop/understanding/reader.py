"""The trained reader of shopper language: all-MiniLM-L6-v2 fine-tuned on the labelled corpus.

One network reads a whole message (which route answers it, whether it states anything to remember,
the review tone it asks for) and each of its clauses (which kinds of fact it states, like or dislike,
this visit or lasting). Fine-tuning reads word order and which words matter for these decisions
("black over-ears pls" asks for products, "black over-ears for me, always" states a taste), which a
linear layer over the frozen sentence vector could not (docs/understanding.md has the numbers).

It sees each text beside its masked form ("show me color product under price", see `model.masked`:
how something is said rather than what about) as a BERT sentence pair, with a leading marker when a
product page is open. It is trained by `finetune.py` and shipped as an int8 ONNX file, checked
against its manifest's sha256 and run on onnxruntime: no torch at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from agentic_shop.embeddings.local import load_tokenizer, session_options

MAX_TOKENS = 128  # both texts together; "longest first" truncation trims the longer one
ON_PRODUCT = "[product page] "  # leads the text when a product page is open
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def tokenizer() -> Tokenizer:
    return load_tokenizer(MAX_TOKENS)


def encode(
    tok: Tokenizer, texts: Sequence[str], masked: Sequence[str], on_product: Sequence[bool]
) -> dict[str, np.ndarray]:
    """The network's inputs for a batch: (text, masked text) pairs, padded to the longest."""
    pairs = [
        ((ON_PRODUCT if product else "") + text, mask)
        for text, mask, product in zip(texts, masked, on_product, strict=True)
    ]
    encodings = tok.encode_batch(pairs)
    arrays = (
        [e.ids for e in encodings],
        [e.attention_mask for e in encodings],
        [e.type_ids for e in encodings],
    )
    return {name: np.array(array, dtype=np.int64) for name, array in zip(INPUTS, arrays, strict=True)}


@dataclass(frozen=True)
class Readout:
    """Per text read, each head's probabilities (rows in the order of the texts)."""

    route: np.ndarray
    stating: np.ndarray  # the probability that the text states something to remember
    tone: np.ndarray
    kinds: np.ndarray  # one independent probability per kind of fact
    polarity: np.ndarray
    scope: np.ndarray


HEAD_ORDER = tuple(field.name for field in fields(Readout))  # the ONNX file's outputs, in order


class Reader:
    """The shipped (or a freshly trained) network on onnxruntime."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._session = ort.InferenceSession(
            str(path), session_options(2), providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizer()

    def read(self, texts: Sequence[str], masked: Sequence[str], on_product: Sequence[bool]) -> Readout:
        outputs = dict(
            zip(
                HEAD_ORDER,
                self._session.run(None, encode(self._tokenizer, texts, masked, on_product)),
                strict=True,
            )
        )
        outputs["stating"] = outputs["stating"][:, 1]
        return Readout(**outputs)
