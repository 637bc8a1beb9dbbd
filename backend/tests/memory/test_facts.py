"""Fact attributes read from fact texts: slots, values, polarity, subjects, brands; text helpers."""

from __future__ import annotations

import pytest

from agentic_shop.memory.facts import CATEGORIES, Fact, analyze, normalize_text, render_color_preference


@pytest.mark.parametrize(
    ("text", "category", "slot", "values"),
    [
        ("Prefers black color", "color", "color", ("black",)),
        ("Prefers pink and white colors", "color", "color", ("pink", "white")),
        ("Prefers green and grey colors", "color", "color", ("green", "gray")),
        ("Prefers silver or white devices", "color", "color", ("silver", "white")),
        ("Prefers rose gold color", "color", "color", ("rose gold",)),
        ("Budget under $200", "budget", "budget", ("200",)),
        ("Budget under $1,500 for a laptop", "budget", "budget:laptop", ("1500",)),
        ("Budget $100–$200", "budget", "budget", ("100", "200")),
        ("Budget around $2k", "budget", "budget", ("2000",)),
        ("Willing to pay more for quality", "budget", None, ()),
        ("Wears size M", "size", "size", ("m",)),
        ("Wears running shoes in US size 10", "size", "size:shoes", ("10",)),
        ("Shoe size 42", "size", "size:shoes", ("42",)),
        ("Trusts Auralis and Velvetone for audio gear", "brand", None, ("auralis", "velvetone")),
        ("Dislikes red color", "dislike", None, ("red",)),
        ("No longer likes red color", "dislike", None, ("red",)),
    ],
)
def test_slots_and_values(text: str, category: str, slot: str | None, values: tuple[str, ...]) -> None:
    fact = analyze(text)
    assert (fact.category, fact.slot, fact.values) == (category, slot, values)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Is a freelance illustrator and designer", "identity"),
        ("Lives in Paris", "identity"),
        ("Allergic to latex", "identity"),
        ("Works from home", "identity"),
        ("Commutes two hours a day by train", "activity"),
        ("Training for a marathon this fall", "activity"),
        ("Makes espresso at home every morning", "activity"),
        ("Prefers long battery life", "feature"),
        ("Needs strong noise cancellation", "feature"),
        ("Wants a coffee maker with a good milk frother", "feature"),
        ("Prefers minimalist design", "style"),
        ("Prefers critical reviews about durability", "reviews"),
        ("Always wants to see if red is in stock", "instruction"),
        ("Looking for a gift for their dad", "interest"),
        ("Dislikes bulky headphones", "dislike"),
        ("Never buys used electronics", "dislike"),
        ("Prefers stainless steel finish", "style"),
        ("Enjoys quiet evenings", "feature"),
        ("Is tall", "identity"),
        ("The weather was nice", "other"),
    ],
)
def test_categories(text: str, category: str) -> None:
    assert analyze(text).category == category
    assert category in CATEGORIES


@pytest.mark.parametrize(
    ("text", "polarity", "subject"),
    [
        ("Prefers black color", "like", "black color"),
        ("Likes running", "like", "running"),
        ("Interested in the noise-cancelling headphones", "like", "noise-cancelling headphones"),
        ("Only wants waterproof gear", "like", "waterproof gear"),
        ("Dislikes bulky headphones", "dislike", "bulky headphones"),
        ("No longer likes red color", "dislike", "red color"),
        ("Does not want a touchscreen.", "dislike", "touchscreen"),
        ("Hates red anymore", "dislike", "red"),
        ("Lives in Paris", None, ""),
    ],
)
def test_polarity_and_subject(text: str, polarity: str | None, subject: str) -> None:
    fact = analyze(text)
    assert (fact.polarity, fact.subject) == (polarity, subject)


def test_instruction_has_no_polarity() -> None:
    fact = analyze("Always wants to see if red is in stock")
    assert (fact.polarity, fact.subject) == (None, "")


def test_known_brands_are_matched_case_insensitively_but_only_capitalized() -> None:
    brands = frozenset({"auralis", "velvetone"})
    assert analyze("Prefers Auralis headphones", known_brands=brands).values == ("auralis",)
    disliked = analyze("Dislikes VELVETONE earbuds", known_brands=brands)
    assert (disliked.category, disliked.polarity, disliked.values) == ("brand", "dislike", ("velvetone",))
    assert analyze("Prefers auralis-like sound", known_brands=brands).category != "brand"


def test_brands_without_a_catalog_need_a_liking_verb() -> None:
    assert analyze("Lives in Paris").category == "identity"
    assert analyze("Is a Designer").values == ()
    assert analyze("Is a big fan of Nike").values == ("nike",)
    assert analyze("Loves Velvetone").values == ("velvetone",)


def test_stainless_alone_is_not_a_color() -> None:
    assert analyze("Prefers stainless appliances").slot is None
    assert analyze("Prefers stainless silver appliances").values == ("silver",)


def test_analyze_keeps_scope_and_additive_and_trims() -> None:
    fact = analyze("Prefers blue color. ", scope="session", additive=True)
    assert fact == Fact(
        text="Prefers blue color",
        category="color",
        slot="color",
        polarity="like",
        values=("blue",),
        subject="blue color",
        scope="session",
        additive=True,
    )


def test_normalize_text() -> None:
    assert normalize_text("  Prefers   BLACK color. ") == "prefers black color"
    assert normalize_text("Budget under $1,500!") == "budget under $1,500"
    assert normalize_text("Needs 2.5 kg, max") == "needs 2.5 kg max"
    assert normalize_text("Noise-cancelling") == normalize_text("noise cancelling")


def test_render_color_preference() -> None:
    assert render_color_preference(["black"]) == "Prefers black color"
    assert render_color_preference(["pink", "white"]) == "Prefers pink and white colors"
    assert render_color_preference(["black", "blue", "red"]) == "Prefers black, blue and red colors"
    assert render_color_preference(["red", "red"]) == "Prefers red color"
    with pytest.raises(ValueError):
        render_color_preference([])
