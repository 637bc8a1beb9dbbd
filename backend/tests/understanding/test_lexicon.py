"""The catalog's words: features by category, synonym groups joined by meaning, typos read as meant."""

from agentic_shop.understanding.lexicon import Vocabulary

FEATURES = [
    (1, "Battery Life", ["Smartwatches", "Headphones"]),
    (2, "Noise Cancellation", ["Headphones"]),
    (3, "Fast Charging", ["Smartwatches"]),
    (4, "Pulse Tracking", ["Smartwatches"]),
    (5, "Active Noise Control", ["Headphones"]),
]
WORDS = Vocabulary(
    FEATURES, ["Headphones", "Smartwatches", "Tablets"], ["Auralis", "Kestrel Audio"], {7: "Tablets"}
)


def names(features):
    return [f.name for f in features]


def test_only_features_the_asked_category_has():
    assert names(WORDS.features_in("great battery life", category="Smartwatches")) == ["Battery Life"]
    assert names(WORDS.features_in("great noise cancellation", category="Smartwatches")) == []
    # One phrase names one feature: the one called that.
    assert names(WORDS.features_in("great noise cancellation", category="Headphones")) == [
        "Noise Cancellation"
    ]


def test_a_feature_joins_a_synonym_group_by_meaning_not_by_any_shared_word():
    assert names(WORDS.features_in("is it fast?")) == []  # "Fast Charging" is not about speed
    assert names(WORDS.features_in("accurate heart rate readings")) == ["Pulse Tracking"]
    assert WORDS.feature_named("Active Noise Control").pattern.search("good ANC")


def test_typos_in_catalog_words_are_read_as_meant_but_english_words_stay():
    assert WORDS.correct("wite hedphones from auralis") == "white headphones from auralis"
    assert WORDS.correct("smartwach") == "smartwatch"
    assert WORDS.correct("I read reviews") == "I read reviews"  # "read" is a word, not "red"


def test_brands_and_categories_as_the_catalog_spells_them():
    assert WORDS.brands_in("anything from kestrel audio or AURALIS?") == ["Kestrel Audio", "Auralis"]
    assert WORDS.categories_in("a watch or some cans") == ["Smartwatches", "Headphones"]
    assert WORDS.product_categories[7] == "Tablets"
