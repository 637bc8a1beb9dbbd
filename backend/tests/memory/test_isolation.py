"""One shopper never sees, edits or deletes another's memories, whatever ids they send."""

import uuid

import pytest

from agentic_shop.memory.records import MemoryNotFoundError


@pytest.fixture
def alices(memory):
    memory.add("I prefer black color", "alice")
    memory.add("I need waterproof gear", "alice", agent_id="personalization")
    memory.add("I'm looking for a gift for my dad", "alice", session_id="s-alice")
    return [record.id for record in memory.get_all("alice")]


def _not_found_message(call) -> str:
    with pytest.raises(MemoryNotFoundError) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize(
    "operation",
    [
        lambda m, memory_id: m.get(memory_id, "bob"),
        lambda m, memory_id: m.update(memory_id, "Prefers pink color", "bob"),
        lambda m, memory_id: m.delete(memory_id, "bob"),
        lambda m, memory_id: m.history(memory_id, "bob"),
    ],
    ids=["get", "update", "delete", "history"],
)
def test_a_foreign_id_behaves_exactly_like_a_missing_one(memory, alices, operation):
    for memory_id in alices:
        foreign = _not_found_message(lambda memory_id=memory_id: operation(memory, memory_id))
        assert foreign == str(MemoryNotFoundError(memory_id))
    missing = str(uuid.uuid4())
    assert _not_found_message(lambda: operation(memory, missing)) == str(MemoryNotFoundError(missing))
    assert _not_found_message(lambda: operation(memory, "not-a-uuid'; DROP TABLE x;--"))
    # Alice's memories are untouched.
    assert sorted(r.id for r in memory.get_all("alice")) == sorted(alices)
    assert {r.memory for r in memory.get_all("alice")} >= {"Prefers black color"}


def test_searches_never_cross_shoppers(memory, alices):
    memory.add("I prefer red color", "bob")
    for kwargs in ({}, {"agent_id": "personalization"}, {"session_id": "s-alice"}):
        results = memory.search("black color waterproof gift", "bob", limit=20, **kwargs)
        assert {r.user_id for r in results} == {"bob"}
        assert [r.memory for r in results] == ["Prefers red color"]
    assert [r.memory for r in memory.get_all("bob", include_superseded=True)] == ["Prefers red color"]
    assert [r.memory for r in memory.get_all("bob", session_id="s-alice")] == []


def test_erasing_one_shopper_leaves_the_other(memory, alices):
    memory.add("I prefer red color", "bob")
    assert memory.delete_all("bob") == 1
    assert sorted(r.id for r in memory.get_all("alice")) == sorted(alices)
    assert memory.export("bob")["memories"] == []
    assert all(m["user_id"] == "alice" for m in memory.export("alice")["memories"])


def test_shopper_ids_are_matched_exactly(memory, alices):
    # "alice " and "ALICE" are not alice: ids are compared as stored, after trimming whitespace only.
    assert [r.memory for r in memory.get_all(" alice ")] != []
    assert memory.get_all("ALICE") == []
    assert memory.get_all("alic") == []
    assert memory.search("black", "%") == []
