"""An aspect no catalog feature names is looked up in the reviews by meaning, with counts, and never
mapped onto another feature."""

import uuid

from agentic_shop.services import agents

MAYA = "1"


def _ask(db, message):
    return agents.assistant_turn(db, MAYA, uuid.uuid4().hex, message, None)


def test_reviews_that_talk_about_the_aspect_rank_the_products(db):
    answer = _ask(db, "laptops with a hinge that lasts")
    assert answer["route"] == "feature_search"
    assert answer["reply"].startswith("The laptops whose reviewers talk about hinge")
    assert answer["products"] and all(p["mentions"] >= 1 for p in answer["products"])


def test_an_aspect_no_reviewer_discusses_is_said_so_not_replaced(db):
    answer = _ask(db, "Tablets with reliable cellular connectivity")
    assert answer["reply"].startswith("No reviewer of any tablets mentions cellular connectivity.")
    assert "bluetooth" not in answer["reply"].lower() and "connectivity:" not in answer["reply"].lower()
