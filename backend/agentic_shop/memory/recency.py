"""How age weighs in recall: ranked by meaning first, then by how recently each memory was stated,
confirmed (said again) or used by an agent.

    score = relevance × (1 − w + w × 0.5 ^ (age_days / half_life))

with w = MEMORY_RECENCY_WEIGHT (0.3) and half_life = MEMORY_HALF_LIFE_DAYS (90). A memory from today
keeps its relevance; one a half-life old keeps 85%; a very old one never drops below 70%. So between
two memories about the same thing (a preference stated last week and a contradicting one from a year
ago that consolidation could not match) the recent one ranks first, while a clearly more relevant
old memory still outranks a barely relevant new one. Nothing is ever deleted for its age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from agentic_shop.settings import get_settings

# Payload keys set when a memory is said again or read by an agent (`mark`); mem0 keeps them as metadata.
CONFIRMED_AT = "confirmed_at"
USED_AT = "used_at"


@dataclass(frozen=True)
class Weighed:
    relevance: float  # cosine similarity to the query, in [0, 1]
    recency: float  # 0.5 ^ (age / half-life), in (0, 1]
    score: float  # what the ranking uses
    last_seen: str | None  # when it was last stated, confirmed or used (ISO 8601)


def last_seen(item: dict[str, Any]) -> datetime | None:
    """The latest of when a mem0 item was created, edited, confirmed or used."""
    meta = item.get("metadata") or {}
    stamps = [item.get("created_at"), item.get("updated_at"), meta.get(CONFIRMED_AT), meta.get(USED_AT)]
    parsed = [_parse(stamp) for stamp in stamps if isinstance(stamp, str)]
    return max((p for p in parsed if p is not None), default=None)


def weigh(relevance: float, seen: datetime | None, now: datetime | None = None) -> Weighed:
    settings = get_settings()
    now = now or datetime.now(UTC)
    age_days = max((now - seen).total_seconds() / 86400, 0.0) if seen else 0.0
    recency = 0.5 ** (age_days / settings.memory_half_life_days)
    weight = settings.memory_recency_weight
    relevance = min(max(relevance, 0.0), 1.0)
    return Weighed(
        relevance=round(relevance, 4),
        recency=round(recency, 4),
        score=round(relevance * (1 - weight + weight * recency), 4),
        last_seen=seen.isoformat() if seen else None,
    )


def _parse(stamp: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_MARK = text("""
    UPDATE mem0_chatstore
    SET payload = jsonb_set(payload, ARRAY[CAST(:key AS text)], to_jsonb(CAST(:now AS text)))
    WHERE id IN (
        SELECT id FROM mem0_chatstore
        WHERE id = ANY(CAST(:ids AS uuid[])) AND coalesce(payload->>CAST(:key AS text), '') < :since
        -- Best effort: a row being changed elsewhere keeps its old stamp (never waits, never deadlocks).
        FOR UPDATE SKIP LOCKED
    )
""")


def mark(connection: Connection, memory_ids: list[str], key: str, *, every_s: float = 0) -> None:
    """Stamp memories as confirmed (said again) or used (read by an agent) now, in the caller's
    transaction; `every_s`: leave a stamp younger than this alone (a page read often writes rarely)."""
    if not memory_ids:
        return
    now = datetime.now(UTC)
    connection.execute(
        _MARK,
        {
            "key": key,
            "now": now.isoformat(),
            "since": (now - timedelta(seconds=every_s)).isoformat(),
            "ids": memory_ids,
        },
    )
