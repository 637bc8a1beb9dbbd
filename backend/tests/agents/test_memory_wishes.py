"""What a shopper says in their own words changes what the agents show, and the trace says which
memory did it: stock watches, a wish for the critical side of reviews, a budget that empties a category."""

import uuid

from sqlalchemy import text

from agentic_shop.services import agents
from tests.agents.conftest import say

MAYA, SOFIA = "1", "3"  # Sofia: "My budget is under $100"
HEADPHONES = 1
BACKPACK = 127


def _lines(section):
    return [line for card in section["cards"] for line in card["lines"]]


def test_always_tell_me_if_its_in_stock_shows_stock_in_the_section(db):
    before = agents.personalized_section(db, MAYA, HEADPHONES)
    say(db, MAYA, "always tell me if it's in stock")
    after = agents.personalized_section(db, MAYA, HEADPHONES)
    added = [line for line in _lines(after) if line not in _lines(before)]
    assert any(line.startswith("You always want to know if it's in stock: ") for line in added), added
    watched = db.execute(
        text(
            "SELECT id FROM mem0_chatstore WHERE payload->>'user_id' = :u AND payload->>'data' LIKE 'Always%'"
        ),
        {"u": MAYA},
    ).scalar_one()
    assert str(watched) in {memory["id"] for card in after["cards"] for memory in card["memories"]}


def test_a_wish_for_critical_reviews_of_anything_leads_every_summary_with_the_critical_side(db):
    assert agents.review_summary(db, MAYA, BACKPACK)["focus"]["tone"] != "critical"
    say(db, MAYA, "I only trust negative reviews")
    summary = agents.review_summary(db, MAYA, BACKPACK)
    assert summary["focus"]["tone"] == "critical" and summary["focus"]["because"] == "Wants critical reviews"


def test_a_question_in_other_words_still_asks_for_the_critical_side(db):
    summary = agents.review_summary(db, MAYA, BACKPACK, "what do people dislike about this?")
    assert summary["focus"]["tone"] == "critical"


def test_a_budget_that_empties_a_category_says_so_and_shows_the_cheapest(db):
    answer = agents.assistant_turn(db, SOFIA, uuid.uuid4().hex, "show me laptops", None)
    cheapest = db.execute(text("SELECT min(price) FROM products WHERE category = 'Laptops'")).scalar_one()
    assert cheapest > 100
    assert answer["reply"].startswith("No laptops are within your $100 budget. The cheapest laptops:")
    prices = [p["price"] for p in answer["products"]]
    assert prices == sorted(prices) and prices[0] == float(cheapest)


def test_a_price_in_a_search_does_not_replace_the_remembered_budget(db):
    agents.assistant_turn(db, SOFIA, uuid.uuid4().hex, "earbuds under $30", None)
    budgets = (
        db.execute(
            text(
                "SELECT payload->>'data' FROM mem0_chatstore WHERE payload->>'user_id' = :u"
                " AND payload->>'category' = 'budget' AND payload->>'status' = 'active'"
            ),
            {"u": SOFIA},
        )
        .scalars()
        .all()
    )
    assert budgets == ["Budget under $100"]
