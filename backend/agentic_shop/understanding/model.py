"""The trained part of the engine: linear classifiers over what a text says and how.

Each text is read as (a) the MiniLM sentence embedding the app already computes, of the text and of
the text with the catalog's own values replaced by their kind ("show me color stuff under price"):
the second carries how something is said rather than what about (measured on the dev split: route
accuracy +2 points); (b) its words and word pairs and the letter 4-grams of its words, values masked
the same way, so what is learned is the phrasing, not the value, and a typo still shares most 4-grams
with the word meant; and (c) whether a product page is open. Heads:
- route: which tool answers the whole message (softmax over ROUTES); stating: whether the message
  states anything worth remembering at all (a gate before any fact is kept);
- kinds: which kinds of fact a clause states, none or several (one sigmoid per fact category);
- polarity: like, dislike or neither; scope: this visit or lasting; tone: critical or positive reviews.

Trained by `shop nlu train` on the labelled corpus (data/nlu/corpus); the weights are a versioned
artefact whose sha256 is checked on load, like the embedding model's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from agentic_shop.agents.assistant.state import ROUTES
from agentic_shop.embeddings.base import Embedder
from agentic_shop.understanding.facts import CATEGORIES
from agentic_shop.understanding.lexicon import COLOR_RE, Vocabulary
from agentic_shop.understanding.meaning import local_embedder
from agentic_shop.understanding.quantities import find_price

VERSION = 2
ASSETS = Path(__file__).parent / "assets"
WEIGHTS_PATH = ASSETS / "nlu-model.npz"
MANIFEST_PATH = ASSETS / "nlu-model.json"

POLARITIES = ("neutral", "like", "dislike")
SCOPES = ("user", "session")
TONES = ("none", "critical", "positive")
# Softmax heads (one label per text) and the multi-label head (any number of fact kinds per clause).
HEADS: dict[str, tuple[str, ...]] = {
    "route": ROUTES,
    "stating": ("nothing", "something"),  # does the message state anything to remember
    "polarity": POLARITIES,
    "scope": SCOPES,
    "tone": TONES,
}
KINDS = CATEGORIES

_MIN_COUNT = 2  # a feature seen once in training is noise


class ModelError(RuntimeError):
    """The trained artefact is missing, altered or from another embedding model."""


# --- Reading a text as features ----------------------------------------------------------------------


def masked(text: str, words: Vocabulary) -> str:
    """The text with the catalog's values replaced by their kind: "red hedphones under $30" ->
    "<color> <category> under <money>" (typos were corrected before)."""
    text = text.casefold()
    price = find_price(text)
    if price:
        start, end = price.span
        text = f"{text[:start]} {_price_words(text[start:end])} {text[end:]}"
    text = COLOR_RE.sub(" <color> ", text)
    for brand in words.brands_in(text):
        text = re.sub(rf"(?<![\w-]){re.escape(brand.casefold())}(?![\w-])", " <brand> ", text)
    for category in words.categories_in(text):
        text = words.category_pattern(category).sub(" <category> ", text)
    for feature in words.features_in(text):
        text = feature.pattern.sub(" <feature> ", text)
    return re.sub(r"\d+(?:[.,]\d+)?", " <num> ", text)


_KIND_WORDS = {"<color>": "color", "<brand>": "brand", "<category>": "product", "<feature>": "feature",
               "<money>": "price", "<num>": "number"}  # fmt: skip


def plain_masked(text: str, words: Vocabulary) -> str:
    """The masked text in plain words, for the embedding model: "show me color stuff under price"."""
    return " ".join(re.sub(r"<\w+>", lambda m: _KIND_WORDS.get(m[0], ""), masked(text, words)).split())


def _price_words(phrase: str) -> str:
    """Keep the bound ("under", "between"), mask the amounts."""
    return re.sub(
        r"[$€£]?\s?\d[\d,]*(?:\.\d+)?\s?k?(?:\s?(?:dollars?|bucks|usd|euros?|eur|pounds|quid|gbp))?",
        " <money> ",
        phrase,
    )


def tokens(text: str, words: Vocabulary) -> list[str]:
    """Words, word pairs and the letter 4-grams of words of the masked text."""
    found = re.findall(r"<\w+>|[a-z]+(?:'[a-z]+)?|[?!$€£]", masked(text, words))
    grams = [f"w:{w}" for w in found]
    grams += [f"b:{a}_{b}" for a, b in zip(["^", *found], [*found, "$"], strict=True)]
    for word in found:
        if word.startswith("<") or len(word) < 4:
            continue
        padded = f"#{word}#"
        grams += [f"c:{padded[i : i + 4]}" for i in range(len(padded) - 3)]
    return grams


def vectors(texts: list[str], words: Vocabulary) -> np.ndarray:
    """Each text's embedding beside its plain-masked text's, in one batch."""
    wanted = [*texts, *(plain_masked(t, words) for t in texts)]
    # A one-clause message is its own clause: texts that differ only in case and punctuation share
    # one embedding (each costs ~5 ms on one core).
    keys = [" ".join(re.findall(r"[\w$€£']+", t.casefold())) for t in wanted]
    unique = list(dict.fromkeys(keys))
    first = {key: wanted[keys.index(key)] for key in unique}
    embedded = dict(zip(unique, local_embedder().embed_batch([first[k] for k in unique]), strict=True))
    array = np.asarray([embedded[key] for key in keys], dtype=np.float32)
    return np.hstack([array[: len(texts)], array[len(texts) :]])


class Featurizer:
    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = list(vocabulary)
        self._index = {token: i for i, token in enumerate(self.vocabulary)}

    @classmethod
    def fit(cls, token_lists: list[list[str]]) -> Featurizer:
        counts = Counter(token for tokens_ in token_lists for token in set(tokens_))
        return cls(sorted(token for token, count in counts.items() if count >= _MIN_COUNT))

    def encode(
        self, token_lists: list[list[str]], vectors: np.ndarray, on_product: Sequence[bool]
    ) -> np.ndarray:
        sparse = np.zeros((len(token_lists), len(self.vocabulary)), dtype=np.float32)
        for row, tokens_ in enumerate(token_lists):
            for token in set(tokens_):
                column = self._index.get(token)
                if column is not None:
                    sparse[row, column] = 1.0
        sparse /= np.clip(np.linalg.norm(sparse, axis=1, keepdims=True), 1e-9, None)
        flag = np.asarray(on_product, dtype=np.float32)[:, None]
        return np.hstack([sparse, vectors.astype(np.float32), flag])


# --- Training --------------------------------------------------------------------------------------


def fit_softmax(
    x: np.ndarray, labels: np.ndarray, classes: int, weight: np.ndarray, l2: float, steps: int = 300
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch Adam (deterministic: zero start, fixed steps)."""
    target = np.eye(classes, dtype=np.float32)[labels]
    return _adam(x, target, weight, l2, steps, _softmax)


def fit_sigmoid(
    x: np.ndarray, target: np.ndarray, weight: np.ndarray, l2: float, steps: int = 300
) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of `target` (multi-label)."""
    return _adam(x, target.astype(np.float32), weight, l2, steps, _sigmoid)


def _adam(x, target, weight, l2, steps, link, rate=0.05):
    weights = np.zeros((x.shape[1], target.shape[1]), dtype=np.float32)
    bias = np.zeros(target.shape[1], dtype=np.float32)
    m_w, v_w = np.zeros_like(weights), np.zeros_like(weights)
    m_b, v_b = np.zeros_like(bias), np.zeros_like(bias)
    for step in range(1, steps + 1):
        error = (link(x @ weights + bias) - target) * (weight[:, None] / weight.sum())
        grad_w, grad_b = x.T @ error + l2 * weights, error.sum(axis=0)
        for param, grad, m, v in ((weights, grad_w, m_w, v_w), (bias, grad_b, m_b, v_b)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return weights, bias


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


# --- The trained model -----------------------------------------------------------------------------


class Model:
    def __init__(
        self, featurizer: Featurizer, weights: dict[str, tuple[np.ndarray, np.ndarray]], embedder: Embedder
    ) -> None:
        self.featurizer = featurizer
        self.weights = weights
        self.embedder = embedder

    def features(self, texts: list[str], words: Vocabulary, on_product: Sequence[bool]) -> np.ndarray:
        return self.featurizer.encode([tokens(t, words) for t in texts], vectors(texts, words), on_product)

    def softmax(self, head: str, x: np.ndarray) -> np.ndarray:
        weights, bias = self.weights[head]
        return _softmax(x @ weights + bias)

    def kinds(self, x: np.ndarray) -> np.ndarray:
        weights, bias = self.weights["kinds"]
        return _sigmoid(x @ weights + bias)

    def save(self, corpus_sha256: str, metrics: dict | None = None) -> dict:
        arrays = {"vocabulary": np.array(self.featurizer.vocabulary)}
        for head, (weights, bias) in self.weights.items():
            arrays[f"{head}_w"], arrays[f"{head}_b"] = weights.astype(np.float32), bias.astype(np.float32)
        ASSETS.mkdir(parents=True, exist_ok=True)
        with WEIGHTS_PATH.open("wb") as out:
            np.savez_compressed(out, **arrays)
        manifest = {
            "version": VERSION,
            "sha256": sha256(WEIGHTS_PATH),
            "corpus_sha256": corpus_sha256,
            "embedding_model": self.embedder.model_id,
            "heads": {head: list(labels) for head, labels in {**HEADS, "kinds": KINDS}.items()},
            "vocabulary_size": len(self.featurizer.vocabulary),
            "metrics": metrics or {},
        }
        MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n")
        return manifest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest() -> dict:
    try:
        return json.loads(MANIFEST_PATH.read_text())
    except (OSError, ValueError) as error:
        raise ModelError(f"the language model's manifest {MANIFEST_PATH} is unreadable: {error}") from error


@cache
def load_model() -> Model:
    """The shipped artefact, checked against its manifest (hash, version, embedding model), once."""
    expected = manifest()
    if not WEIGHTS_PATH.exists():
        raise ModelError(f"the language model {WEIGHTS_PATH} is missing: run `shop nlu train`")
    if sha256(WEIGHTS_PATH) != expected.get("sha256"):
        raise ModelError(f"{WEIGHTS_PATH} does not match its manifest's sha256: run `shop nlu train`")
    embedder = local_embedder()
    if expected.get("version") != VERSION or expected.get("embedding_model") != embedder.model_id:
        raise ModelError("the language model was trained for another engine version or embedding model")
    with np.load(WEIGHTS_PATH, allow_pickle=False) as data:
        weights = {head: (data[f"{head}_w"], data[f"{head}_b"]) for head in (*HEADS, "kinds")}
        featurizer = Featurizer(data["vocabulary"].tolist())
    return Model(featurizer, weights, embedder)
