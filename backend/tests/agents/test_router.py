"""The assistant's offline router: the language engine's route plus what only a conversation knows
(a follow-up reuses the last request; a question about "this" with no product open is a search).
How well the engine routes shopper language is measured on the corpus (tests/understanding)."""

from agentic_shop.agents.assistant.router import route_offline

ON_PRODUCT = 1


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


def test_the_product_in_view_decides_what_this_means(words):
    assert route_offline("is it in stock in red?", words, ON_PRODUCT, None)[0] == "product_question"
    assert route_offline("is it in stock in red?", words, None, None)[0] != "product_question"


def test_empty_and_oversized_messages_are_answered(words):
    assert route_offline("", words, None, None)[0] == "other"
    route, slots = route_offline("headphones " * 2000, words, None, None)
    assert route in ("product_search", "feature_search") and len(slots["query"]) <= 300
