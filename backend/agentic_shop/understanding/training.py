"""`shop nlu train`: fit the model's heads on the corpus (see `model` for what they read)."""

from __future__ import annotations

import numpy as np

from agentic_shop.understanding.corpus import Item, clause_examples
from agentic_shop.understanding.lexicon import Vocabulary
from agentic_shop.understanding.meaning import local_embedder
from agentic_shop.understanding.model import (
    HEADS,
    KINDS,
    POLARITIES,
    SCOPES,
    TONES,
    Featurizer,
    Model,
    fit_sigmoid,
    fit_softmax,
    tokens,
    vectors,
)

L2 = 3e-5  # chosen on the dev split


def train(items: list[Item], words: Vocabulary) -> Model:
    embedder = local_embedder()
    messages = [words.correct(item.text) for item in items]
    examples = [example for item in items for example in clause_examples(item, words)]
    texts = messages + [example.text for example in examples]
    token_lists = [tokens(text, words) for text in texts]
    featurizer = Featurizer.fit(token_lists)
    dense = vectors(texts, words)
    on_product = [item.product is not None for item in items] + [e.on_product for e in examples]
    x = featurizer.encode(token_lists, dense, on_product)
    x_messages, x_clauses = x[: len(items)], x[len(items) :]

    ones = np.ones(len(items), dtype=np.float32)
    clause_weight = np.array([e.weight for e in examples], dtype=np.float32)
    weights = {}
    routes = np.array([HEADS["route"].index(item.route) for item in items])
    weights["route"] = fit_softmax(x_messages, routes, len(HEADS["route"]), ones, L2)
    stating = np.array([int(bool(item.facts)) for item in items])
    weights["stating"] = fit_softmax(x_messages, stating, 2, ones, L2)
    tones = [TONES.index(item.slots.get("tone", "none")) for item in items] + [
        TONES.index(e.tone) for e in examples
    ]
    weights["tone"] = fit_softmax(x, np.array(tones), len(TONES), np.concatenate([ones, clause_weight]), L2)
    kinds = np.array([[kind in e.kinds for kind in KINDS] for e in examples], dtype=np.float32)
    weights["kinds"] = fit_sigmoid(x_clauses, kinds, clause_weight, L2)
    polarity = np.array([POLARITIES.index(e.polarity) for e in examples])
    weights["polarity"] = fit_softmax(x_clauses, polarity, len(POLARITIES), clause_weight, L2)
    # Scope only matters for clauses that state something.
    stating = np.array([bool(e.kinds) for e in examples])
    scope = np.array([SCOPES.index(e.scope) for e in examples])
    weights["scope"] = fit_softmax(
        x_clauses[stating], scope[stating], len(SCOPES), clause_weight[stating], L2
    )
    return Model(featurizer, weights, embedder)
