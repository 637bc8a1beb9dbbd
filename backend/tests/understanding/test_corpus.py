"""The labelled corpus is data the checks can trust: every label names something real, every route and
kind of fact is covered, the split is fixed, and the shipped model was trained on this corpus."""

import shutil

import pytest

from agentic_shop.understanding import corpus, model
from agentic_shop.understanding.facts import CATEGORIES
from agentic_shop.understanding.model import HEADS, ModelError

ITEMS = corpus.load()
WORDS = corpus.training_vocabulary()


def test_the_corpus_is_large_and_covers_every_route_and_kind_of_fact():
    assert len(ITEMS) >= 600
    assert {item.route for item in ITEMS} == set(HEADS["route"])
    kinds = {fact["category"] for item in ITEMS for fact in item.facts}
    assert kinds >= set(CATEGORIES) - {"other"}
    assert sum(not item.facts for item in ITEMS) >= 300  # messages that state nothing
    assert len({item.text for item in ITEMS}) == len(ITEMS)


def test_every_label_names_something_the_catalog_has():
    features = {f.name: f for f in WORDS.features}
    for item in ITEMS:
        assert item.product is None or item.product in WORDS.categories, item.source
        assert item.route != "product_question" or item.product, item.source
        asked = item.slots.get("categories") or ([item.product] if item.product else [])
        for name in item.slots.get("features", []):
            assert not asked or any(features[name].offered_in(category) for category in asked), item.source
        for fact in item.facts:
            assert fact["category"] in CATEGORIES and fact["scope"] in ("user", "session"), item.source
            assert fact["text"][0].isupper() and not fact["text"].endswith("."), item.source


def test_the_split_is_fixed_by_the_text_alone():
    sizes = {split: len(corpus.select(ITEMS, split)) for split in corpus.SPLITS}
    assert sizes["test"] >= 0.15 * len(ITEMS) and sizes["dev"] >= 0.15 * len(ITEMS)

    def split(text):
        return corpus.Item(text, None, "other", {}, []).split

    assert (split("I love red"), split("hello"), split("what do you know about me?")) == (
        "train",
        "test",
        "dev",
    )


def test_the_shipped_model_was_trained_on_this_corpus():
    assert model.manifest()["corpus_sha256"] == corpus.corpus_sha256(), "run `shop nlu train`"


def test_an_altered_model_file_is_refused(tmp_path, monkeypatch):
    altered = tmp_path / model.WEIGHTS_PATH.name
    shutil.copy(model.WEIGHTS_PATH, altered)
    with altered.open("ab") as out:
        out.write(b"\0")
    monkeypatch.setattr(model, "WEIGHTS_PATH", altered)
    model.load_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="sha256"):
            model.load_model()
    finally:
        monkeypatch.undo()
        model.load_model.cache_clear()
