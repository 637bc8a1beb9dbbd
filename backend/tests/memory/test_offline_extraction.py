"""The offline extractor: what shoppers say -> third-person facts (the table is the contract)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from agentic_shop.memory.extraction.offline import extract

USERS_CSV = Path(__file__).resolve().parents[3] / "data" / "users.csv"

TABLE = [
    (
        "I prefer black color and I'm looking for noise-cancelling headphones under $200",
        ["Prefers black color", "Looking for noise-cancelling headphones", "Budget under $200"],
    ),
    ("Prefers long battery life", ["Prefers long battery life"]),
    ("Interested in noise-cancelling headphones", ["Interested in noise-cancelling headphones"]),
    ("What's the return policy?", []),
    ("Hi there!", []),
    ("Thanks!", []),
    ("I hate meetings today", []),
    ("actually I don't like red anymore", ["No longer likes red color"]),
    ("I love red", ["Prefers red color"]),
    ("I love black again", ["Prefers black color"]),
    ("Hmm, I don't like black anymore", ["No longer likes black color"]),
    ("I like it too", []),
    ("I love this one", []),
    ("I also like blue", ["Prefers blue color"]),
    ("My budget is under $150", ["Budget under $150"]),
    ("My budget for a laptop is under $1,500", ["Budget under $1,500 for a laptop"]),
    ("I wear running shoes in US size 10", ["Wears running shoes in US size 10"]),
    ("I'm looking for a gift for my dad", ["Looking for a gift for their dad"]),
    ("Today I'm shopping for a new laptop bag", ["Shopping for a new laptop bag"]),
    (
        "I commute two hours a day by train and need strong noise cancellation",
        ["Commutes two hours a day by train", "Needs strong noise cancellation"],
    ),
    ("I'm a freelance illustrator and designer", ["Is a freelance illustrator and designer"]),
    ("I like pink and white colors", ["Prefers pink and white colors"]),
    ("I prefer silver or white devices", ["Prefers silver or white devices"]),
    ("I trust Auralis and Velvetone for audio gear", ["Trusts Auralis and Velvetone for audio gear"]),
    ("I fly for work almost every week", ["Flies for work almost every week"]),
    (
        "Accurate heart-rate monitoring matters more to me than smart features",
        ["Values accurate heart-rate monitoring more than smart features"],
    ),
    (
        "I prefer quiet appliances because my kids nap in the afternoon",
        ["Prefers quiet appliances because their kids nap in the afternoon"],
    ),
    ("I'm training for a marathon this fall", ["Training for a marathon this fall"]),
    ("Can you show me headphones?", []),
    ("Show me red sneakers", []),
    ("I'm just browsing", []),
    ("I'm so tired right now", []),
    ("My sister loves pink", []),
    ("always show me if red is in stock", ["Always wants to see if red is in stock"]),
    ("I prefer critical reviews about durability", ["Prefers critical reviews about durability"]),
    ("I don't like bulky headphones", ["Dislikes bulky headphones"]),
    ("I'm looking for a tablet between $300 and $500", ["Looking for a tablet", "Budget $300–$500"]),
    ("I wear size M", ["Wears size M"]),
    ("I'm allergic to latex", ["Allergic to latex"]),
    ("Lightweight gear is a must for my carry-on", ["Needs lightweight gear for their carry-on"]),
    ("I work from home and I'm on video calls all day", ["Works from home", "Is on video calls all day"]),
    ("I need a laptop with 16GB RAM", ["Needs a laptop with 16GB RAM"]),
    ("ok", []),
    (
        "I hike in the mountains most weekends, often in the rain",
        ["Hikes in the mountains most weekends, often in the rain"],
    ),
    # Beyond the required rows: other phrasings of the same rules.
    ("I feel great", []),
    ("ugh, mondays", []),
    ("Good morning!", []),
    ("Compare these", []),
    ("Thank you, I'll take it", []),
    ("Is this waterproof", []),
    ("My kids love dinosaurs", []),
    ("I can spend up to $300", ["Budget up to $300"]),
    ("I want headphones for less than 300 dollars", ["Wants headphones", "Budget under $300"]),
    ("I don't want to spend more than $100 on shoes", ["Budget under $100 for shoes"]),
    ("my budget is around 2k", ["Budget around $2k"]),
    ("I have a $150 budget for headphones", ["Budget $150 for headphones"]),
    ("I have a budget of $150 for headphones", ["Budget $150 for headphones"]),
    ("I've got a $90 budget for earbuds", ["Budget $90 for earbuds"]),
    ("I have a $150 budget", ["Budget $150"]),
    ("My headphone budget is $150", ["Budget $150 for headphone"]),
    ("My monthly budget is $500", ["Budget $500"]),
    ("I have a tight budget", ["Has a tight budget"]),
    ("Hi, I prefer black. Do you have it in stock?", ["Prefers black color"]),
    ("I like red but I don't like pink", ["Prefers red color", "Dislikes pink color"]),
    ("I no longer like black and white", ["No longer likes black and white colors"]),
    ("I'm not a fan of Sony anymore", ["No longer likes Sony"]),
    ("I never buy used electronics", ["Never buys used electronics"]),
    ("I only wear over-ear headphones", ["Only wears over-ear headphones"]),
    ("I usually go hiking", ["Usually goes hiking"]),
    ("I watch a lot of films", ["Watches a lot of films"]),
    ("I've got two kids", ["Has two kids"]),
    ("I'd like a laptop sleeve", ["Would like a laptop sleeve"]),
    ("I don't want anything pink", ["Does not want anything pink"]),
    ("My favorite color is green", ["Prefers green color"]),
    ("My shoe size is 42", ["Shoe size 42"]),
    ("When I travel, I need a neck pillow", ["Needs a neck pillow when they travel"]),
    ("Deep bass keeps me motivated at the gym", ["Deep bass keeps them motivated at the gym"]),
    ("Simple setup and ease of use matter most to me", ["Values simple setup and ease of use most"]),
    ("Sound quality matters more to me than price", ["Values sound quality more than price"]),
    (
        "Noise cancellation on long flights is a big plus for me",
        ["Values noise cancellation on long flights"],
    ),
    ("A color-accurate display is important to me", ["Values a color-accurate display"]),
    ("I'm willing to pay more for quality", ["Willing to pay more for quality"]),
    ("Let me know whenever the red ones are back", ["Always wants to know whenever the red ones are back"]),
    ("Never show me pink stuff", ["Never wants to see pink stuff"]),
    ("Well, I prefer black. I prefer black color!", ["Prefers black color"]),
]


@pytest.mark.parametrize(("statement", "expected"), TABLE, ids=[row[0][:50] for row in TABLE])
def test_statement_gives_facts(statement: str, expected: list[str]) -> None:
    assert [fact.text for fact in extract(statement)] == expected


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 40


def _only(statement: str, **kwargs):
    facts = extract(statement, **kwargs)
    assert len(facts) == 1, facts
    return facts[0]


def test_preference_and_budget_categories() -> None:
    facts = extract("I prefer black color and I'm looking for noise-cancelling headphones under $200")
    assert [fact.category for fact in facts] == ["color", "feature", "budget"]
    assert facts[0].slot == "color" and facts[0].values == ("black",)
    assert facts[2].slot == "budget" and facts[2].values == ("200",)


def test_reversal_is_a_color_dislike() -> None:
    fact = _only("actually I don't like red anymore")
    assert (fact.category, fact.polarity, fact.values, fact.slot) == ("dislike", "dislike", ("red",), None)


def test_also_marks_the_fact_additive() -> None:
    fact = _only("I also like blue")
    assert fact.additive and fact.slot == "color" and fact.values == ("blue",)
    assert _only("I like green too").additive
    assert not _only("I love red").additive


def test_budget_for_a_thing_has_its_own_slot() -> None:
    fact = _only("My budget for a laptop is under $1,500")
    assert (fact.category, fact.slot, fact.values) == ("budget", "budget:laptop", ("1500",))
    # However it is phrased, one thing has one slot: the newer budget replaces the older.
    assert _only("My headphone budget is $150").slot == _only("I have a $120 budget for headphones").slot
    assert extract("I'm looking for a tablet between $300 and $500")[1].values == ("300", "500")


def test_sizes() -> None:
    shoes = _only("I wear running shoes in US size 10")
    assert (shoes.category, shoes.slot, shoes.values) == ("size", "size:shoes", ("10",))
    shirt = _only("I wear size M")
    assert (shirt.slot, shirt.values) == ("size", ("m",))


@pytest.mark.parametrize(
    "statement",
    [
        "I'm looking for a gift for my dad",
        "Today I'm shopping for a new laptop bag",
        "I need a charger right now",
    ],
)
def test_shopping_for_this_visit_is_session_scoped(statement: str) -> None:
    assert _only(statement).scope == "session"


def test_session_budget_shares_the_scope() -> None:
    assert {fact.scope for fact in extract("I want a charger under $30 today")} == {"session"}


def test_long_term_time_phrases_stay_user_scoped() -> None:
    assert _only("I'm training for a marathon this fall").scope == "user"
    assert _only("I make espresso at home every morning").scope == "user"


@pytest.mark.parametrize(
    ("statement", "category"),
    [
        ("I'm a freelance illustrator and designer", "identity"),
        ("I'm allergic to latex", "identity"),
        ("I fly for work almost every week", "activity"),
        ("Accurate heart-rate monitoring matters more to me than smart features", "feature"),
        ("Lightweight gear is a must for my carry-on", "feature"),
        ("always show me if red is in stock", "instruction"),
        ("I prefer critical reviews about durability", "reviews"),
        ("I don't like bulky headphones", "dislike"),
        ("I only wear over-ear headphones", "style"),
        ("I'm willing to pay more for quality", "budget"),
        ("I'm looking for a gift for my dad", "interest"),
    ],
)
def test_categories(statement: str, category: str) -> None:
    assert _only(statement).category == category


def test_color_devices_fill_the_color_slot() -> None:
    fact = _only("I prefer silver or white devices")
    assert (fact.category, fact.slot, fact.values) == ("color", "color", ("silver", "white"))
    assert _only("I like pink and white colors").values == ("pink", "white")


def test_brands_without_and_with_a_catalog() -> None:
    fact = _only("I trust Auralis and Velvetone for audio gear")
    assert (fact.category, fact.values, fact.polarity) == ("brand", ("auralis", "velvetone"), "like")
    known = _only("I love Velvetone", known_brands=frozenset({"velvetone"}))
    assert (known.category, known.values) == ("brand", ("velvetone",))


def test_dislike_subject() -> None:
    fact = _only("I don't like bulky headphones")
    assert (fact.polarity, fact.subject) == ("dislike", "bulky headphones")


def test_duplicates_within_a_statement_are_dropped() -> None:
    assert len(extract("I love red. I love red!")) == 1


def _persona_statements() -> list[str]:
    with USERS_CSV.open(newline="", encoding="utf-8") as file:
        return [statement for row in csv.DictReader(file) for statement in json.loads(row["preferences"])]


def test_the_personas_file_has_ten_personas() -> None:
    assert len(_persona_statements()) >= 40


@pytest.mark.parametrize("statement", _persona_statements())
def test_every_persona_statement_gives_a_long_term_fact(statement: str) -> None:
    facts = extract(statement)
    assert facts, statement
    assert all(fact.scope == "user" for fact in facts)
    assert all(fact.category != "other" for fact in facts), [(fact.text, fact.category) for fact in facts]
