"""The workshop's own example queries on an imported AgenticShop catalog (the test fixture: other
feature names such as "Active Noise Control" and "Pulse Tracking", unlabelled reviews), imported from
each of the two published layouts."""

import uuid

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from agentic_shop.catalog.importer import import_agenticshop
from agentic_shop.db import migrations
from agentic_shop.embeddings import get_embedder
from agentic_shop.services import agents
from tests.agents.conftest import say
from tests.conftest import AGENTICSHOP_FIXTURE, FIXTURES, scratch_db

MIRA, TOMAS = "1", "2"
HEADPHONES, EARBUDS, WATCH = 1, 2, 3


@pytest.fixture(
    scope="module",
    params=[AGENTICSHOP_FIXTURE, FIXTURES / "agenticshop-azure"],
    ids=["technofocus-pte", "Azure-Samples"],
)
def agenticshop(engine: Engine, request, tmp_path_factory):
    """A database of its own, migrated, then the fixture catalog and shoppers imported in one layout."""
    with scratch_db(engine) as imported:
        with imported.begin() as connection:
            migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        media = tmp_path_factory.mktemp("media")
        import_agenticshop(request.param, imported, get_embedder(), media, progress=False)
        yield imported


def _ask(db: Engine, message: str, product_id: int | None = None) -> dict:
    with Session(db) as session:
        return agents.assistant_turn(session, MIRA, uuid.uuid4().hex, message, product_id)


def test_feature_search_finds_the_catalogs_own_feature_names(agenticshop):
    answer = _ask(agenticshop, "Smartwatches with accurate heart rate monitoring")
    assert answer["route"] == "feature_search"
    assert [(p["id"], p["praise"], p["mentions"]) for p in answer["products"]] == [(WATCH, 1, 1)]
    assert "1 of 1 reviewers who mention pulse tracking praise it" in answer["reply"]


@pytest.mark.parametrize("message", ["Headphones with great noise cancellation", "Headphones with great ANC"])
def test_when_no_review_praises_a_feature_the_products_that_offer_it_are_shown(agenticshop, message):
    answer = _ask(agenticshop, message)
    assert answer["route"] == "feature_search"
    assert answer["reply"].startswith("No reviewer praises the active noise control of any headphones yet.")
    assert [(p["id"], p["praise"], p["mentions"]) for p in answer["products"]] == [(HEADPHONES, 0, 1)]
    assert "1 reviewer mentions it, without praise" in answer["reply"]


def test_critical_reviews_about_a_topic_the_catalog_has_no_feature_for(agenticshop):
    answer = _ask(agenticshop, "Show critical reviews about durability", EARBUDS)
    assert answer["route"] == "product_question"
    assert answer["summary"].startswith(
        "The one reviewer who mentions durability is critical: “Left bud died"
    )
    assert answer["quotes"][0]["author"] == "Marcus Hale"
    assert all(q["sentiment"] == "negative" for q in answer["quotes"])


def test_a_remembered_wish_for_critical_durability_reviews_leads_the_summary(agenticshop):
    with Session(agenticshop) as session:
        say(session, TOMAS, "I prefer critical reviews about durability")
        session.commit()
        summary = agents.review_summary(session, TOMAS, EARBUDS)
    assert summary["focus"]["features"] == ["Durability"] and summary["focus"]["tone"] == "critical"
    assert summary["summary"].startswith("The one reviewer who mentions durability is critical")


def test_availability_in_a_color(agenticshop):
    made = _ask(agenticshop, "Is this product available in black", HEADPHONES)
    assert (
        made["route"] == "product_question"
        and made["reply"].startswith("Yes:")
        and "12 in stock" in made["reply"]
    )
    not_made = _ask(agenticshop, "Is this product available in black", WATCH)
    assert not_made["reply"].startswith("No:") and "silver" in not_made["reply"]
