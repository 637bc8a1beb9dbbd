"""The labelled corpus of shopper language (data/nlu/corpus/*.jsonl), its fixed split and the examples
each head learns from. The test split is never used to tune anything: `shop nlu eval --split dev`
(a model trained on the train split alone) is the one to tune against."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentic_shop.settings import get_settings
from agentic_shop.understanding.grammar import clauses
from agentic_shop.understanding.lexicon import Vocabulary, find_colors
from agentic_shop.understanding.quantities import find_price, find_size

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Item:
    text: str
    product: str | None  # category of the product page open, if any
    route: str
    slots: dict[str, Any]
    facts: list[dict[str, Any]]
    source: str = ""  # file:line

    @property
    def split(self) -> str:
        """Fixed by the text alone: 60% train, 20% dev, 20% test."""
        bucket = int(hashlib.sha256(self.text.encode()).hexdigest(), 16) % 10
        return "test" if bucket < 2 else "dev" if bucket < 4 else "train"


@dataclass(frozen=True)
class ClauseExample:
    text: str
    on_product: bool
    kinds: frozenset[str]
    polarity: str  # neutral, like, dislike
    scope: str
    tone: str = "none"
    weight: float = 1.0


def corpus_dir() -> Path:
    return get_settings().data_dir / "nlu" / "corpus"


def load(directory: Path | None = None) -> list[Item]:
    items = []
    for path in sorted((directory or corpus_dir()).glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                data = json.loads(line)
                items.append(Item(source=f"{path.name}:{number}", **data))
    return items


def corpus_sha256(directory: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in sorted((directory or corpus_dir()).glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def select(items: list[Item], *splits: str) -> list[Item]:
    return [item for item in items if item.split in splits]


def training_vocabulary() -> Vocabulary:
    """The catalog the corpus is written against (data/*.csv), so training needs no database."""
    data = get_settings().data_dir
    with (data / "products.csv").open(encoding="utf-8") as f:
        products = {int(row["id"]): (row["category"], row["brand"]) for row in csv.DictReader(f)}
    with (data / "features.csv").open(encoding="utf-8") as f:
        features = [(int(r["id"]), r["feature_name"], json.loads(r["categories"])) for r in csv.DictReader(f)]
    categories = sorted({category for category, _ in products.values()})
    brands = sorted({brand for _, brand in products.values()})
    return Vocabulary(features, categories, brands, {pid: c for pid, (c, _) in products.items()})


def clause_examples(item: Item, words: Vocabulary) -> Iterator[ClauseExample]:
    """What each clause of the message states, by matching the labelled facts to the clauses that
    say them (a fact's values, else its words); a clause no fact matches states nothing. Each fact's
    canonical text is an example too: facts written by an LLM or edited by hand read like that."""
    said = clauses(words.correct(item.text))
    tone = item.slots.get("tone", "none")
    on_product = item.product is not None
    assigned: list[list[dict]] = [[] for _ in said]
    for fact in item.facts:
        if said:
            assigned[_best_clause(fact, said, words)].append(fact)
    for clause, facts in zip(said, assigned, strict=True):
        yield _example(clause.text, on_product, facts, tone if not facts else _review_tone(facts))
    for fact in item.facts:
        yield _example(fact["text"], False, [fact], _review_tone([fact]), weight=0.5)


def _review_tone(facts: list[dict]) -> str:
    for fact in facts:
        if fact["category"] == "reviews" and fact["values"] and fact["values"][0] in ("critical", "positive"):
            return fact["values"][0]
    return "none"


def _example(text: str, on_product: bool, facts: list[dict], tone: str, weight: float = 1.0) -> ClauseExample:
    polarities = [f["polarity"] for f in facts if f["polarity"]]
    return ClauseExample(
        text=text,
        on_product=on_product,
        kinds=frozenset(f["category"] for f in facts),
        polarity=polarities[0] if polarities else "neutral",
        scope="session" if any(f["scope"] == "session" for f in facts) else "user",
        tone=tone,
        weight=weight,
    )


def _best_clause(fact: dict, said: list, words: Vocabulary) -> int:
    def score(index: int) -> tuple[int, int]:
        text = said[index].text
        lowered = text.casefold()
        values = {v.casefold() for v in fact["values"]}
        found = set(find_colors(text)) | {b.casefold() for b in words.brands_in(text)}
        found |= {f.name.casefold() for f in words.features_in(text)} | {
            c.casefold() for c in words.categories_in(text)
        }
        price, size = find_price(text), find_size(text)
        found |= set(price.values) if price else set()
        found |= {size.casefold()} if size else set()
        overlap = len(set(fact["text"].casefold().split()) & set(lowered.split()))
        return (len(values & found), overlap)

    return max(range(len(said)), key=score)
