"""The personalization agent on the seeded catalog and personas, offline."""

from agentic_shop.services import agents
from tests.agents.conftest import say

MAYA, DANIEL = "1", "2"  # black, under $150, marathon | noise cancellation, over-ear, Auralis/Velvetone
HEADPHONES = 1  # Velvetone Nocturne 900 On-Ear, Black and Red


def _reasons(items):
    return [item["reason"] for item in items]


def test_two_personas_get_different_recommendations_with_reasons_naming_their_memories(db):
    maya = agents.recommendations(db, MAYA, limit=6)
    daniel = agents.recommendations(db, DANIEL, limit=6)
    assert {i["id"] for i in maya["items"]} != {i["id"] for i in daniel["items"]}
    assert maya["engine"] == "offline engine" and not maya["cached"]
    assert all(item["price"] <= 150 for item in maya["items"])  # "Budget under $150"
    assert any(
        reason.startswith("You prefer black: available in Black") for reason in _reasons(maya["items"])
    )
    assert all("Over-Ear" in item["name"] for item in daniel["items"])  # "Only wears over-ear headphones"
    mine = {r["memory_id"] for i in daniel["items"] for r in i["reasons"] if r["memory_id"]}
    assert mine and mine <= {m.id for m in _memories(db, DANIEL)}


def test_a_new_preference_changes_the_next_recommendations_and_a_superseded_one_stops_counting(db):
    before = agents.recommendations(db, MAYA, limit=6)
    assert agents.recommendations(db, MAYA, limit=6)["cached"]
    say(db, MAYA, "I prefer red now")
    after = agents.recommendations(db, MAYA, limit=6)
    assert not after["cached"] and after["run_id"] != before["run_id"]
    texts = [r["text"] for item in after["items"] for r in item["reasons"]]
    assert any("You prefer red: available in Red" in text for text in texts)
    assert not any("black" in text.lower() for text in texts)  # "Prefers black color" was superseded


def test_the_product_section_differs_by_persona(db):
    maya = agents.personalized_section(db, MAYA, HEADPHONES)
    daniel = agents.personalized_section(db, DANIEL, HEADPHONES)
    # Nothing Maya said is about headphone features; Daniel's comfort and sound quality are.
    assert [c["title"] for c in maya["cards"]] == ["Highlights", "What reviewers say", "Your variant"]
    assert [c["title"] for c in daniel["cards"]] == [
        "What matters to you",
        "What reviewers say",
        "Your variant",
    ]
    maya_lines = " ".join(line for card in maya["cards"] for line in card["lines"])
    daniel_lines = " ".join(line for card in daniel["cards"] for line in card["lines"])
    assert "You prefer black: available in Black" in maya_lines and "within your $150 budget" in maya_lines
    assert "You only wear over-ear headphones: this one is on-ear" in daniel_lines
    assert "comfort" in daniel_lines.lower() and maya["description"] != daniel["description"]
    for card in daniel["cards"][:1]:
        assert card["memories"]  # every card says which memory it follows
    assert len(maya["description"].split(". ")) <= 3


def test_a_section_is_cached_until_the_shoppers_memories_change(db):
    first = agents.personalized_section(db, MAYA, HEADPHONES)
    again = agents.personalized_section(db, MAYA, HEADPHONES)
    assert again["cached"] and again["run_id"] == first["run_id"] and again["cards"] == first["cards"]
    assert not agents.personalized_section(db, DANIEL, HEADPHONES)["cached"]  # per shopper
    say(db, MAYA, "I no longer like black")
    fresh = agents.personalized_section(db, MAYA, HEADPHONES)
    assert not fresh["cached"]
    assert "You prefer black" not in " ".join(line for card in fresh["cards"] for line in card["lines"])


def test_a_shopper_with_no_memories_gets_popular_products_and_a_plain_section(db):
    result = agents.recommendations(db, "no-memories-yet", limit=4)
    assert len(result["items"]) == 4 and all(item["reason"] for item in result["items"])
    section = agents.personalized_section(db, "no-memories-yet", HEADPHONES)
    assert section["personalized"] is False and section["cards"][0]["title"] == "Highlights"


def test_every_run_is_traced_with_its_steps_and_memories(db):
    result = agents.personalized_section(db, DANIEL, HEADPHONES)
    run = agents.get_run(db, DANIEL, result["run_id"])
    assert run["agent"] == "personalization" and run["engine"] == "offline engine"
    assert [s["node"] for s in run["steps"]] == ["recall_memories", "find_candidates", "rank", "explain"]
    assert all(s["duration_ms"] >= 0 and s["input_summary"] for s in run["steps"])
    assert run["steps"][0]["memories_used"] and run["steps"][-1]["engine"] == "offline"


def _memories(db, user_id):
    from agentic_shop.memory.service import MemoryService

    return MemoryService(connection=db.connection(), llm=None).get_all(user_id)


def test_one_cached_list_answers_every_limit(db):
    short = agents.recommendations(db, MAYA, limit=3)
    longer = agents.recommendations(db, MAYA, limit=10)
    assert len(short["items"]) == 3 and len(longer["items"]) == 10 and longer["cached"]
    assert longer["items"][:3] == short["items"]
