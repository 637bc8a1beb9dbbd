"""The memory service on the real database and real mem0: storing, consolidation, levels, audit."""

import json
import uuid

import pytest
from sqlalchemy import text

from agentic_shop.memory.records import MemoryNotFoundError


def _texts(records):
    return [record.memory for record in records]


def _events(connection, user_id):
    rows = connection.execute(
        text(
            "SELECT event, old_text, new_text, source, reason FROM memory_events"
            " WHERE user_id = :u ORDER BY id"
        ),
        {"u": user_id},
    )
    return [tuple(row) for row in rows]


def test_stores_facts_with_category_in_mem0_chatstore(memory, connection):
    changes = memory.add(
        "I prefer black color and I'm looking for noise-cancelling headphones under $200",
        "t-1",
        source="chat",
    )
    # The shopping intent and its price are this visit's: without a session they are not kept.
    assert sorted((c.event, c.memory, c.level) for c in changes) == [
        ("add", "Prefers black color", "user"),
        ("none", "Budget under $200 for headphones", "session"),
        ("none", "Looking for noise-cancelling headphones", "session"),
    ]
    row = connection.execute(
        text("SELECT payload FROM mem0_chatstore WHERE id = :id"), {"id": changes[0].id}
    ).scalar_one()
    assert row["data"] == "Prefers black color"
    assert row["user_id"] == "t-1"
    assert row["category"] == "color" and row["source"] == "chat" and row["status"] == "active"
    assert row["created_at"]


def test_search_ranks_the_shoppers_memories_with_scores(memory):
    memory.add(messages="Prefers long battery life", user_id="t-1")
    memory.add(messages="Interested in noise-cancelling headphones", user_id="t-1")
    memory.add(messages="I wear size M", user_id="t-1")
    results = memory.search(query="headphones that block noise", user_id="t-1", limit=2)
    assert len(results) == 2
    assert results[0].memory == "Interested in noise-cancelling headphones"
    assert 0 < results[1].score <= results[0].score <= 1
    printed = str(results)
    assert printed.startswith("1. Interested in noise-cancelling headphones")


def test_chat_messages_only_the_shoppers_turns_count(memory):
    changes = memory.add(
        [
            {"role": "assistant", "content": "I prefer to recommend our red model."},
            {"role": "user", "content": "I'm allergic to latex"},
        ],
        user_id="t-1",
        source="chat",
    )
    assert _texts(memory.get_all("t-1")) == ["Allergic to latex"]
    assert changes[0].event == "add"


@pytest.mark.parametrize("said", ["What's the return policy?", "Hi there!", "I hate meetings today", "ok"])
def test_nothing_to_remember_stores_nothing(memory, said):
    assert memory.add(said, "t-1", source="chat") == []
    assert memory.get_all("t-1") == []


def test_exact_and_near_duplicates_are_not_stored_twice(memory):
    first = memory.add("I need long battery life", "t-1")
    again = memory.add("Needs long battery life", "t-1")
    assert again[0].event == "none" and again[0].id == first[0].id
    reworded = memory.add("I want long battery life", "t-1")
    assert reworded[0].event == "none"
    assert _texts(memory.get_all("t-1")) == ["Needs long battery life"]


def test_a_new_color_supersedes_the_old_one_which_stays_in_history(memory, connection):
    old = memory.add("I prefer black color", "t-1")[0]
    changes = memory.add("I love red", "t-1", source="chat")
    assert [(c.event, c.memory) for c in changes] == [
        ("add", "Prefers red color"),
        ("supersede", "Prefers black color"),
    ]
    assert _texts(memory.search("favourite color", "t-1")) == ["Prefers red color"]
    everything = memory.get_all("t-1", include_superseded=True)
    replaced = next(r for r in everything if r.id == old.id)
    assert replaced.status == "superseded" and replaced.superseded_reason == "a newer color preference"
    assert replaced.superseded_by == changes[0].id
    trail = memory.history(old.id, "t-1")
    assert [e.event for e in trail] == ["add", "supersede"]
    assert trail[1].old_text == "Prefers black color" and trail[1].new_text == "Prefers red color"
    assert trail[1].source == "chat" and trail[1].created_at


def test_budget_and_size_slots_keep_only_the_latest(memory):
    memory.add("My budget is under $150", "t-1")
    memory.add("Actually my budget is under $300", "t-1")
    memory.add("My budget for a laptop is under $1,500", "t-1")
    memory.add("I wear size M", "t-1")
    memory.add("I wear size L", "t-1")
    assert sorted(_texts(memory.get_all("t-1"))) == [
        "Budget under $1,500 for laptops",
        "Budget under $300",
        "Wears size L",
    ]


def test_reversal_retires_the_preference(memory):
    memory.add("I love red", "t-1")
    changes = memory.add("actually I don't like red anymore", "t-1")
    assert ("supersede", "Prefers red color") in [(c.event, c.memory) for c in changes]
    assert _texts(memory.get_all("t-1")) == ["Avoids red"]
    assert "Prefers red color" not in _texts(memory.search("Prefers red color", "t-1"))
    # ...and back again
    memory.add("I love red", "t-1")
    assert _texts(memory.get_all("t-1")) == ["Prefers red color"]


def test_reversing_one_of_several_colors_keeps_the_others(memory):
    memory.add("I like pink and white colors", "t-1")
    memory.add("I don't like pink anymore", "t-1")
    assert sorted(_texts(memory.get_all("t-1"))) == ["Avoids pink", "Prefers white color"]


def test_also_merges_colors_instead_of_replacing(memory):
    memory.add("I prefer black color", "t-1")
    memory.add("I also like blue", "t-1")
    assert _texts(memory.get_all("t-1")) == ["Prefers black and blue colors"]


def test_update_delete_and_erase_are_audited(memory, connection):
    added = memory.add("I prefer black color", "t-1", source="ui")[0]
    memory.add("I'm allergic to latex", "t-1")
    memory.update(added.id, "Prefers matte black color", "t-1", source="ui")
    assert memory.get(added.id, "t-1").memory == "Prefers matte black color"
    memory.delete(added.id, "t-1", source="cli")
    with pytest.raises(MemoryNotFoundError):
        memory.get(added.id, "t-1")
    assert [e.event for e in memory.history(added.id, "t-1")] == ["add", "update", "delete"]
    assert memory.delete_all("t-1", source="ui") == 1
    assert memory.get_all("t-1", include_superseded=True) == []
    events = _events(connection, "t-1")
    assert [e[0] for e in events] == ["add", "add", "update", "delete", "erase"]
    # Erasing also erases what the audit quoted; it keeps only that (and how) it happened.
    assert all(old is None and new is None for _, old, new, _, _ in events[:-1])
    assert events[-1][3] == "ui"


def test_levels_agent_memories_and_session_context_stay_apart(memory):
    memory.add("I prefer black color", "t-1")
    memory.add("Usually buys during sales", "t-1", agent_id="personalization")
    memory.add("I'm looking for a gift for my dad", "t-1", session_id="s-1")
    dropped = memory.add("I'm looking for a gift for my mom", "t-1", source="chat")
    assert dropped[0].event == "none"  # session context without a session is not kept

    long_term = memory.search("what does the shopper want", "t-1", limit=10)
    assert _texts(long_term) == ["Prefers black color"]
    with_agent = memory.search("what does the shopper want", "t-1", limit=10, agent_id="personalization")
    assert set(_texts(with_agent)) == {"Prefers black color", "Usually buys during sales"}
    with_session = memory.search("gift", "t-1", limit=10, session_id="s-1")
    assert "Looking for a gift for their dad" in _texts(with_session)
    assert {r.level for r in memory.get_all("t-1")} == {"user", "agent", "session"}

    assert memory.end_session("t-1", "s-1") == 1
    assert "Looking for a gift for their dad" not in _texts(memory.get_all("t-1"))


def test_export_is_json_with_memories_and_history(memory):
    memory.add("I prefer black color", "t-1")
    memory.add("I love red", "t-1")
    document = json.loads(json.dumps(memory.export("t-1")))
    assert document["user_id"] == "t-1"
    assert {(m["memory"], m["status"]) for m in document["memories"]} == {
        ("Prefers black color", "superseded"),
        ("Prefers red color", "active"),
    }
    assert [e["event"] for e in document["events"]] == ["add", "add", "supersede"]


def test_bad_arguments_are_clear_errors(memory):
    with pytest.raises(ValueError, match="user_id"):
        memory.add("I like red", "  ")
    with pytest.raises(ValueError, match="limit"):
        memory.search("red", "t-1", limit=0)
    with pytest.raises(ValueError, match="source"):
        memory.add("I like red", "t-1", source="somewhere")
    with pytest.raises(ValueError, match="characters"):
        memory.update(str(uuid.uuid4()), "", "t-1")
    with pytest.raises(ValueError, match="8000 characters"):
        memory.add("I like red. " * 1000, "t-1")
    with pytest.raises(ValueError, match="content"):
        memory.add([{"role": "user", "content": None}], "t-1")
    with pytest.raises(ValueError, match="messages"):
        memory.add(42, "t-1")


def test_a_conversation_of_changing_preferences(memory):
    # The intent and its price are this visit's (session context); the rest is long-term.
    intent = {"Looking for noise-cancelling headphones", "Budget under $200 for headphones"}
    conversation = [
        ("I prefer black color and I'm looking for noise-cancelling headphones under $200",
         {"Prefers black color", *intent}),
        ("Actually my budget is under $300", {"Prefers black color", "Budget under $300", *intent}),
        ("I also like blue", {"Prefers black and blue colors", "Budget under $300", *intent}),
        ("Hmm, I don't like black anymore",
         {"Prefers blue color", "Avoids black", "Budget under $300", *intent}),
        ("Which of these has the best battery?",
         {"Prefers blue color", "Avoids black", "Budget under $300", *intent}),
        ("I love black again, and I wear size M",
         {"Prefers black color", "Budget under $300", "Wears size M", *intent}),
    ]  # fmt: skip
    for said, remembered in conversation:
        memory.add(said, "t-talk", session_id="s-talk", source="chat")
        assert set(_texts(memory.get_all("t-talk"))) == remembered, said
    # Only current preferences reach the agents; the history of each change is kept.
    colors = memory.search("favourite colors", "t-talk", limit=10)
    assert "Prefers blue color" not in _texts(colors)
    superseded = [r for r in memory.get_all("t-talk", include_superseded=True) if r.status == "superseded"]
    assert len(superseded) == 4  # two color changes, a merge and a reversal
