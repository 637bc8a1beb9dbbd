"""`shop nlu train`: the examples each head learns from, and the fine-tuning (`finetune`, which needs
`make nlu-train`'s packages). A message teaches the route, the stating gate and the review tone; each
of its clauses (and each labelled fact's canonical text) teaches the kinds of fact, polarity, scope
and tone."""

from __future__ import annotations

from pathlib import Path

from agentic_shop.understanding import finetune
from agentic_shop.understanding.corpus import ClauseExample, Item, clause_examples
from agentic_shop.understanding.lexicon import Vocabulary
from agentic_shop.understanding.model import HEADS, KINDS, POLARITIES, SCOPES, TONES, Model, plain_masked
from agentic_shop.understanding.reader import Reader


def train(items: list[Item], words: Vocabulary, path: Path) -> Model:
    """Fine-tune on these messages; the model is written to `path`."""
    examples = [_message(item, words) for item in items]
    examples += [_clause(example, words) for item in items for example in clause_examples(item, words)]
    sizes = {head: len(labels) for head, labels in HEADS.items()}
    return Model(Reader(finetune.train_reader(examples, sizes, path)))


def _message(item: Item, words: Vocabulary) -> finetune.Example:
    text = words.correct(item.text)
    labels = {
        "route": HEADS["route"].index(item.route),
        "stating": int(bool(item.facts)),
        "tone": TONES.index(item.slots.get("tone", "none")),
    }
    return finetune.Example(text, plain_masked(text, words), item.product is not None, labels)


def _clause(example: ClauseExample, words: Vocabulary) -> finetune.Example:
    labels: dict = {
        "kinds": tuple(float(kind in example.kinds) for kind in KINDS),
        "polarity": POLARITIES.index(example.polarity),
        "tone": TONES.index(example.tone),
    }
    if example.kinds:  # scope only matters for clauses that state something
        labels["scope"] = SCOPES.index(example.scope)
    return finetune.Example(
        example.text, plain_masked(example.text, words), example.on_product, labels, example.weight
    )
