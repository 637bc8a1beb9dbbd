"""The assistant's offline router over a table of messages shoppers send."""

import pytest

from agentic_shop.agents.assistant.router import route_offline
from agentic_shop.agents.vocabulary import vocabulary

ON_PRODUCT, NOWHERE = 1, None

TABLE = [
    # product search
    ("running shoes under $120", NOWHERE, "product_search"),
    ("show me laptops", NOWHERE, "product_search"),
    ("a backpack for hiking", NOWHERE, "product_search"),
    ("cheap earbuds", NOWHERE, "product_search"),
    ("I'm looking for a coffee maker", NOWHERE, "product_search"),
    ("find me a smartwatch in black", NOWHERE, "product_search"),
    ("something under $50", NOWHERE, "product_search"),
    ("tablets for drawing", NOWHERE, "product_search"),
    # feature-sentiment search
    ("Headphones with great noise cancellation", NOWHERE, "feature_search"),
    ("headphones with good ANC", NOWHERE, "feature_search"),
    ("best ANC earbuds", NOWHERE, "feature_search"),
    ("Smartwatches with accurate heart rate monitoring", NOWHERE, "feature_search"),
    ("speakers with the best bass", NOWHERE, "feature_search"),
    ("laptops with a great keyboard", NOWHERE, "feature_search"),
    ("which fitness tracker has accurate sleep tracking", NOWHERE, "feature_search"),
    # about the current product
    ("Show critical reviews about durability", ON_PRODUCT, "product_question"),
    ("Is this product available in black", ON_PRODUCT, "product_question"),
    ("is it in stock in red?", ON_PRODUCT, "product_question"),
    ("what do reviewers say about the battery?", ON_PRODUCT, "product_question"),
    ("does this come in size 10?", ON_PRODUCT, "product_question"),
    ("how is the comfort on these?", ON_PRODUCT, "product_question"),
    ("what colors does it come in?", ON_PRODUCT, "product_question"),
    # preferences and standing instructions
    ("I prefer blue now", NOWHERE, "preference"),
    ("always show me if red is in stock", NOWHERE, "preference"),
    ("My budget is $300", NOWHERE, "preference"),
    ("I wear size 9 running shoes", NOWHERE, "preference"),
    ("I don't like white anymore", NOWHERE, "preference"),
    ("I trust Auralis for audio gear", NOWHERE, "preference"),
    ("never show me products over $500", NOWHERE, "preference"),
    # memory questions
    ("what do you know about me?", NOWHERE, "memory_question"),
    ("What do you remember?", ON_PRODUCT, "memory_question"),
    ("show me my preferences", NOWHERE, "memory_question"),
    # anything else
    ("hello", NOWHERE, "other"),
    ("thanks!", NOWHERE, "other"),
    ("what's the weather like", NOWHERE, "other"),
    ("", NOWHERE, "other"),
]


@pytest.fixture(scope="module")
def words(engine):
    with engine.connect() as connection:
        return vocabulary(connection)


@pytest.mark.parametrize(
    ("message", "product_id", "expected"), TABLE, ids=[m or "(empty)" for m, _, _ in TABLE]
)
def test_routes(words, message, product_id, expected):
    assert route_offline(message, words, product_id, None)[0] == expected


def test_the_table_is_big_enough():
    assert len(TABLE) >= 30 and {route for _, _, route in TABLE} == {
        "product_search", "feature_search", "product_question", "preference", "memory_question", "other"
    }  # fmt: skip


def test_anc_and_noise_cancelling_name_the_same_feature(words):
    for phrase in ("headphones with great ANC", "noise-cancelling headphones that are great"):
        _, slots = route_offline(phrase, words, None, None)
        assert "Noise Cancellation" in slots["features"] and slots["categories"] == ["Headphones"]


def test_a_follow_up_reuses_the_previous_turn(words):
    route, slots = route_offline("running shoes under $120", words, None, None)
    previous = {"route": route, "slots": slots}
    again, merged = route_offline("and in blue?", words, None, previous)
    assert again == "product_search" and merged["colors"] == ["blue"]
    assert merged["categories"] == ["Running Shoes"] and merged["max_price"] == 120
