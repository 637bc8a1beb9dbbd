"""Memories are rows in PostgreSQL: they survive a restart of the database server, and the seed
migration is idempotent and restored exactly by a reset."""

from sqlalchemy import text

from agentic_shop.db import migrations
from agentic_shop.db.server import embedded_server
from agentic_shop.memory.service import MemoryService


def test_memories_survive_a_database_restart(engine):
    memory = MemoryService()  # commits, like the app
    try:
        added = memory.add("I prefer teal color", "t-restart")[0]
        server = embedded_server()
        server.stop()
        server.start()
        again = MemoryService()
        assert again.get(added.id, "t-restart").memory == "Prefers teal color"
        assert [r.memory for r in again.search("teal", "t-restart")] == ["Prefers teal color"]
        assert [e.event for e in again.history(added.id, "t-restart")] == ["add"]
    finally:
        MemoryService().delete_all("t-restart")
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM memory_events WHERE user_id = 't-restart'"))


def _seed_state(connection):
    rows = connection.execute(
        text(
            "SELECT payload->>'user_id', payload->>'data', payload->>'category', payload->>'source'"
            " FROM mem0_chatstore ORDER BY 1, 2"
        )
    )
    return [tuple(row) for row in rows]


def test_every_persona_is_seeded_through_the_memory_service(connection):
    state = _seed_state(connection)
    assert {user for user, *_ in state} == {str(n) for n in range(1, 11)}
    assert {source for *_, source in state} == {"seed"}
    assert ("1", "Prefers black color", "color", "seed") in state
    assert ("1", "Budget under $150", "budget", "seed") in state
    # One seed event per seeded memory (since the shopper's last reset to the seed, if any).
    events = connection.execute(
        text("""
        SELECT count(*) FROM memory_events e
        WHERE source = 'seed' AND id > coalesce(
            (SELECT max(id) FROM memory_events r WHERE r.user_id = e.user_id AND r.event = 'erase'), 0)
    """)
    ).scalar_one()
    assert events == len(state)


def test_seeding_again_changes_nothing(connection):
    before = _seed_state(connection)
    memory = MemoryService(connection=connection)
    for user_id, preferences in connection.execute(text("SELECT id, preferences FROM users")):
        for statement in preferences:
            assert {c.event for c in memory.add(statement, str(user_id), source="seed")} <= {"none"}
    assert _seed_state(connection) == before


def test_reset_restores_exactly_the_seeded_memories(connection):
    before = _seed_state(connection)
    memory = MemoryService(connection=connection)
    memory.add("I love red", "1", source="chat")
    memory.delete_all("2")
    assert _seed_state(connection) != before
    # The memory migrations down and up again (a full `shop reset` also re-seeds the catalog).
    migrations.downgrade("0002_seed_catalog", connection)
    migrations.upgrade("head", connection)
    assert _seed_state(connection) == before
    assert (
        connection.execute(text("SELECT count(*) FROM memory_events WHERE source <> 'seed'")).scalar_one()
        == 0
    )
