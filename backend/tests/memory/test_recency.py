"""Recall weighs recency: meaning first, then how recently a memory was stated, confirmed or used."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from agentic_shop.memory import recency
from agentic_shop.settings import get_settings


def _age(connection, memory_id, days):
    """Pretend the memory was stated `days` ago (what a year passing would leave in the row)."""
    stamp = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    connection.execute(
        text("""
            UPDATE mem0_chatstore
            SET payload = payload || jsonb_build_object('created_at', CAST(:at AS text),
                                                        'updated_at', CAST(:at AS text))
            WHERE id = :id
        """),
        {"id": memory_id, "at": stamp},
    )


def _stated(memory, user, said):
    changes = [c for c in memory.add(said, user, source="cli") if c.event == "add"]
    assert len(changes) == 1, changes
    return changes[0].id


def test_a_recent_preference_outranks_an_old_one_that_contradicts_it(memory, connection):
    # Free-text style facts: consolidation cannot tell these two contradict each other.
    old = _stated(memory, "r-1", "I like chunky, rugged gear")
    new = _stated(memory, "r-1", "I like sleek, slim gear")
    query = "what style of gear do they like"
    _age(connection, old, 365)
    assert [r.id for r in memory.search(query, "r-1", limit=2)] == [new, old]
    # The same two with the ages swapped: recency, not wording, decided.
    _age(connection, old, 0)
    _age(connection, new, 365)
    assert [r.id for r in memory.search(query, "r-1", limit=2)] == [old, new]


def test_each_result_reports_the_parts_of_its_score(memory, connection):
    stated = _stated(memory, "r-2", "I run marathons")
    _age(connection, stated, get_settings().memory_half_life_days)
    (found,) = memory.search("marathon running", "r-2", limit=1)
    assert found.recency == pytest.approx(0.5, abs=0.01)
    weight = get_settings().memory_recency_weight
    assert found.score == pytest.approx(found.relevance * (1 - weight + weight * found.recency), abs=1e-3)
    assert found.last_seen is not None
    assert "meaning" in str(found) and "recency" in str(found)


def test_age_alone_never_deletes_a_memory(memory, connection):
    stated = _stated(memory, "r-3", "I am vegan")
    _age(connection, stated, 3650)
    (found,) = memory.search("vegan", "r-3", limit=1)
    assert found.id == stated
    assert found.recency < 0.001
    assert found.score >= (1 - get_settings().memory_recency_weight) * found.relevance - 1e-3
    assert [r.id for r in memory.get_all("r-3")] == [stated]


def test_saying_an_old_memory_again_confirms_it(memory, connection):
    old = _stated(memory, "r-4", "I like chunky, rugged gear")
    new = _stated(memory, "r-4", "I like sleek, slim gear")
    _age(connection, old, 365)
    _age(connection, new, 30)
    changes = memory.add("I like chunky, rugged gear", "r-4", source="cli")
    assert [(c.event, c.reason) for c in changes] == [("none", "already remembered")]
    first = memory.search("what style of gear do they like", "r-4", limit=2)[0]
    assert first.id == old
    assert first.recency > 0.99


def test_a_use_is_stamped_at_most_once_per_interval(memory, connection):
    stated = _stated(memory, "r-5", "I cycle to work")

    def used_at():
        return connection.execute(
            text("SELECT payload->>'used_at' FROM mem0_chatstore WHERE id = :id"), {"id": stated}
        ).scalar_one()

    recency.mark(connection, [stated], recency.USED_AT, every_s=3600)
    first = used_at()
    assert first is not None
    recency.mark(connection, [stated], recency.USED_AT, every_s=3600)
    assert used_at() == first
    recency.mark(connection, [stated], recency.USED_AT)
    assert used_at() > first
