"""The memory service: the only way the app touches mem0.

Every operation is one unit of work on one PostgreSQL connection: mem0's statements (through
`store.bind`), the consolidation's reads and the `memory_events` audit commit together. Writes first
take a per-shopper advisory lock, so two app processes cannot both add the same fact or both replace
the same preference. Every memory-id operation checks the owner, and a memory of another shopper
behaves exactly like a missing one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session as OrmSession

from agentic_shop.embeddings import get_embedder
from agentic_shop.memory import consolidation, events, recency, store
from agentic_shop.memory.extraction.pipeline import Extraction, extract_facts, shopper_statements
from agentic_shop.memory.records import (
    LEVELS,
    SOURCES,
    ChangeList,
    EventList,
    MemoryChange,
    MemoryList,
    MemoryNotFoundError,
    MemoryRecord,
)
from agentic_shop.understanding.engine import analyze
from agentic_shop.understanding.facts import Fact
from agentic_shop.understanding.lexicon import vocabulary

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 100
MAX_TEXT_LENGTH = 500
MAX_SEARCH_LIMIT = 100
SUMMARY = "summary"  # the category of a session's summary (session level, never expires)
_CANDIDATES = 4  # a search ranks this many times `limit` by meaning before weighing recency
_ALL = 1_000_000  # "no limit" for mem0's list/search, whose default caps are 20-100
# Keys our payload relies on; caller metadata may not overwrite them.
_RESERVED = {
    "category",
    "level",
    "source",
    "status",
    "slot",
    "polarity",
    "values",
    "subject",
    "user_id",
    "agent_id",
    "run_id",
    "data",
    "hash",
    "created_at",
    "updated_at",
    "text_lemmatized",
}


CONFIGURED = object()


def _configured_llm() -> Any:
    from agentic_shop.llm import get_llm

    try:
        return get_llm()
    except ValueError as error:
        log.warning("LLM not usable (%s); memories are extracted offline", error)
        return None


def _check_id(value: Any, name: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ValueError(f"{name} must be a string")
    value = str(value).strip()
    if not value or len(value) > MAX_ID_LENGTH:
        raise ValueError(f"{name} must be 1-{MAX_ID_LENGTH} characters")
    return value


def _check_memory_id(memory_id: Any) -> str:
    try:
        return str(uuid.UUID(str(memory_id)))
    except ValueError:
        raise MemoryNotFoundError(str(memory_id)) from None


def _memory_text(data: Any) -> str:
    """A memory as written by hand, whitespace collapsed; ValueError unless 1-MAX_TEXT_LENGTH long."""
    if not isinstance(data, str) or not data.strip() or len(data.strip()) > MAX_TEXT_LENGTH:
        raise ValueError(f"the memory text must be 1-{MAX_TEXT_LENGTH} characters")
    return " ".join(data.split())


def _summary_text(summary: str) -> str:
    summary = " ".join(summary.split())
    return (
        summary if len(summary) <= MAX_TEXT_LENGTH else summary[: MAX_TEXT_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    )


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")


def fact_fields(fact: Fact) -> dict[str, Any]:
    """What the payload keeps of a fact for later consolidation (read back by _fact_from_payload)."""
    return {
        "category": fact.category,
        "slot": fact.slot,
        "polarity": fact.polarity,
        "values": list(fact.values),
        "subject": fact.subject,
        "embedding_model": get_embedder().model_id,  # `shop reindex` finds vectors of another model
    }


def _fact_from_payload(payload: dict[str, Any]) -> Fact:
    return Fact(
        text=payload.get("data", ""),
        category=payload.get("category", "other"),
        slot=payload.get("slot"),
        polarity=payload.get("polarity"),
        values=tuple(payload.get("values") or ()),
        subject=payload.get("subject", ""),
        scope="session" if payload.get("level") == "session" else "user",
    )


@dataclass(frozen=True)
class _Target:
    """Where the facts of one add go: a shopper's memories at one level, and how to audit them."""

    connection: Connection
    user_id: str
    level: str
    source: str
    agent_id: str | None = None
    session_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def filters(self) -> dict[str, Any]:
        filters: dict[str, Any] = {"user_id": self.user_id, "status": "active", "level": self.level}
        if self.level == "agent":
            filters["agent_id"] = self.agent_id
        elif self.level == "session":
            filters["run_id"] = self.session_id
        return filters

    def record(self, event: str, memory_id: str, **texts: str | None) -> None:
        events.record(
            self.connection,
            user_id=self.user_id,
            memory_id=memory_id,
            event=event,
            source=self.source,
            agent_id=self.agent_id,
            session_id=self.session_id,
            **texts,
        )

    def change(self, event: str, memory_id: str, fact: Fact, reason: str | None = None) -> MemoryChange:
        return MemoryChange(
            event, memory_id, fact.text, reason=reason, category=fact.category, level=self.level
        )


_STATED_SOURCES = frozenset({"seed", "cli", "ui", "api"})


class MemoryService:
    """Long-term memory of shoppers, over mem0 and the `mem0_chatstore` table.

    `connection`: run inside the caller's transaction (an Alembic migration, a test), or inside an ORM
    session's current one (a request: asked at each operation, since a commit in between ends the
    connection it had); by default each operation commits on its own. `llm`: extract facts with it;
    None: offline; by default the one LLM_PROVIDER configures (a misconfigured one is reported in the
    log and the offline engine used).
    """

    def __init__(self, connection: Connection | OrmSession | None = None, llm: Any = CONFIGURED) -> None:
        self._connection = connection
        self._llm = _configured_llm() if llm is CONFIGURED else llm
        self.mem0 = store.get_mem0()

    # -- units of work ---------------------------------------------------------------------------

    @contextmanager
    def _unit(self, lock_user: str | None = None) -> Iterator[Connection]:
        if self._connection is not None:
            connection = self._connection
            if isinstance(connection, OrmSession):
                connection = connection.connection()
            with store.bind(connection):
                self._lock(connection, lock_user)
                yield connection
            return
        from agentic_shop.db.engine import get_engine

        with get_engine().begin() as connection, store.bind(connection):
            self._lock(connection, lock_user)
            yield connection

    @staticmethod
    def _lock(connection: Connection, user_id: str | None) -> None:
        if user_id is not None:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended('memory:' || :user_id, 0))"),
                {"user_id": user_id},
            )

    def _owned_payload(self, memory_id: str, user_id: str) -> dict[str, Any]:
        found = self.mem0.vector_store.get(vector_id=memory_id)
        if found is None or (found.payload or {}).get("user_id") != user_id:
            raise MemoryNotFoundError(memory_id)
        return found.payload

    # -- writing -----------------------------------------------------------------------------------

    def add(
        self,
        messages: str | dict | list,
        user_id: str,
        session_id: str | None = None,
        agent_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        source: str = "api",
        extraction: Extraction | None = None,
    ) -> ChangeList:
        """Remember what the shopper said. Returns what was stored, replaced or already known.

        `agent_id`: the facts are that agent's memories about the shopper. `session_id`: facts that
        only hold for this visit (a gift, "today") go to session context; without it they are dropped.
        `extraction`: the facts already extracted from `messages` (by a caller that must not hold a
        connection while an LLM answers).
        """
        user_id = _check_id(user_id, "user_id")
        session_id = _check_id(session_id, "session_id") if session_id is not None else None
        agent_id = _check_id(agent_id, "agent_id") if agent_id is not None else None
        _check_source(source)
        extra = {key: value for key, value in (metadata or {}).items() if key not in _RESERVED}
        statements = shopper_statements(messages)
        changes = ChangeList()
        # Written as memories (a persona's preferences, an entry through the CLI, the API or the memory
        # page, an agent's note), not said in passing: each is read as the lasting fact it most likely states.
        stated = source in _STATED_SOURCES or agent_id is not None
        if extraction is None:
            with self._unit() as connection:
                words = vocabulary(connection)
            # Outside the shopper's lock: an LLM round trip must not hold it (nor an open transaction).
            extraction = extract_facts(statements, words=words, llm=self._llm, stated=stated)
        changes.engine, changes.fallback_reason = extraction.engine, extraction.fallback_reason
        with self._unit(lock_user=user_id) as connection:
            for fact in extraction.facts:
                this_visit = fact.scope == "session" and (not stated or session_id is not None)
                level = "agent" if agent_id else ("session" if this_visit else "user")
                if level == "session" and session_id is None:
                    changes.append(
                        MemoryChange("none", "", fact.text, reason="only for a shopping session", level=level)
                    )
                    continue
                target = _Target(connection, user_id, level, source, agent_id, session_id, extra)
                changes.extend(self._remember(target, fact))
        return changes

    def _remember(self, target: _Target, fact: Fact, exclude: str | None = None) -> list[MemoryChange]:
        """Consolidate `fact` with the target's active memories; `exclude`: a memory just edited."""
        vector = self.mem0.embedding_model.embed(fact.text)  # cached: mem0's insert reuses it
        found = self.mem0.vector_store.search(
            query=fact.text, vectors=vector, top_k=_ALL, filters=target.filters()
        )
        existing = [
            consolidation.Existing(str(row.id), _fact_from_payload(row.payload), row.score or 0.0)
            for row in found
            if str(row.id) != exclude
        ]
        decision = consolidation.plan(fact, existing)
        if decision.duplicate_of is not None:
            known = decision.duplicate_of.fact
            recency.mark(target.connection, [decision.duplicate_of.id], recency.CONFIRMED_AT)
            return [target.change("none", decision.duplicate_of.id, known, reason="already remembered")]

        changes: list[MemoryChange] = []
        new_id = None
        if decision.add is not None and exclude is None:
            new_id = self._insert(target, decision.add)
            changes.append(target.change("add", new_id, decision.add))
        now = datetime.now(UTC).isoformat()
        for old, reason in decision.supersede:
            self.mem0.update(
                old.id,
                metadata={
                    "status": "superseded",
                    "superseded_reason": reason,
                    "superseded_at": now,
                    "superseded_by": new_id or exclude,
                },
            )
            target.record("supersede", old.id, old_text=old.fact.text, new_text=fact.text, reason=reason)
            changes.append(target.change("supersede", old.id, old.fact, reason=reason))
        for kept in decision.keep:
            kept_id = self._insert(target, kept)
            changes.append(target.change("add", kept_id, kept, reason="kept from a reversed preference"))
        return changes

    def _insert(self, target: _Target, fact: Fact, *, expires: bool = True) -> str:
        payload = {
            **target.extra,
            **fact_fields(fact),
            "level": target.level,
            "source": target.source,
            "status": "active",
        }
        session = target.level == "session" and expires
        result = self.mem0.add(
            fact.text,
            user_id=target.user_id,
            agent_id=target.agent_id if target.level == "agent" else None,
            run_id=target.session_id if target.level == "session" else None,
            metadata=payload,
            infer=False,
            # Session context is hidden by mem0 from the next day on, even if nobody ends the session.
            expiration_date=(date.today() + timedelta(days=1)).isoformat() if session else None,
        )
        memory_id = result["results"][0]["id"]
        target.record("add", memory_id, new_text=fact.text)
        return memory_id

    def add_as_written(self, data: str, user_id: str, *, source: str = "ui") -> ChangeList:
        """Remember `data` word for word, as a long-term fact (a deleted memory restored by "Undo"):
        classified and consolidated like any fact, but not rewritten."""
        data = _memory_text(data)
        with self._unit() as connection:
            fact = analyze(data, vocabulary(connection))
        return self.add(data, user_id, source=source, extraction=Extraction([fact], engine="offline"))

    def update(self, memory_id: str, data: str, user_id: str, *, source: str = "api") -> ChangeList:
        """Replace a memory's text (the shopper corrected it); conflicting memories are superseded."""
        user_id = _check_id(user_id, "user_id")
        memory_id = _check_memory_id(memory_id)
        _check_source(source)
        data = _memory_text(data)
        with self._unit(lock_user=user_id) as connection:
            payload = self._owned_payload(memory_id, user_id)
            if payload.get("data") == data:
                return ChangeList()
            level = payload.get("level", "user")
            fact = analyze(data, vocabulary(connection), scope="session" if level == "session" else "user")
            changes = ChangeList()
            self.mem0.update(memory_id, text=data, metadata={**fact_fields(fact), "edited_via": source})
            target = _Target(
                connection, user_id, level, source, payload.get("agent_id"), payload.get("run_id")
            )
            target.record("update", memory_id, old_text=payload.get("data"), new_text=data)
            changes.append(
                MemoryChange(
                    "update",
                    memory_id,
                    data,
                    previous=payload.get("data"),
                    category=fact.category,
                    level=level,
                )
            )
            if payload.get("status", "active") == "active":
                changes.extend(self._remember(target, fact, exclude=memory_id))
            return changes

    def delete(self, memory_id: str, user_id: str, *, source: str = "api") -> MemoryChange:
        user_id = _check_id(user_id, "user_id")
        memory_id = _check_memory_id(memory_id)
        _check_source(source)
        with self._unit(lock_user=user_id) as connection:
            payload = self._owned_payload(memory_id, user_id)
            self.mem0.delete(memory_id)
            level = payload.get("level", "user")
            target = _Target(
                connection, user_id, level, source, payload.get("agent_id"), payload.get("run_id")
            )
            target.record("delete", memory_id, old_text=payload.get("data"))
        return MemoryChange(
            "delete",
            memory_id,
            payload.get("data", ""),
            category=payload.get("category"),
            level=payload.get("level", "user"),
        )

    def delete_all(self, user_id: str, *, source: str = "api") -> int:
        """Erase everything remembered about the shopper, at every level, and the texts the audit quoted.
        The audit keeps that (and when, and how) an erase happened. Returns how many memories went."""
        user_id = _check_id(user_id, "user_id")
        _check_source(source)
        with self._unit(lock_user=user_id) as connection:
            count = connection.execute(
                text("SELECT count(*) FROM mem0_chatstore WHERE payload->>'user_id' = :user_id"),
                {"user_id": user_id},
            ).scalar_one()
            if count:
                self.mem0.delete_all(user_id=user_id)
            events.redact(connection, user_id)
            events.record(
                connection, user_id=user_id, event="erase", source=source, reason=f"{count} memories erased"
            )
        return count

    def end_session(
        self,
        user_id: str,
        session_id: str,
        *,
        summary: str | None = None,
        details: dict[str, Any] | None = None,
        source: str = "chat",
    ) -> int:
        """End a shopping session: its context is dropped (long-term memories stated during it stay) and
        the session is summarized into one session-level memory that does not expire: "This visit: ..."
        from its context, unless the caller wrote `summary` (the assistant does, from the conversation's
        turns; `details`: what the summary is about, kept in its payload). A session is summarized once.
        Returns how many context memories were dropped."""
        user_id = _check_id(user_id, "user_id")
        session_id = _check_id(session_id, "session_id")
        with self._unit(lock_user=user_id) as connection:
            extra = {k: v for k, v in (details or {}).items() if k not in _RESERVED}
            target = _Target(connection, user_id, "session", source, session_id=session_id, extra=extra)
            rows = self.mem0.vector_store.list(
                filters={"user_id": user_id, "run_id": session_id}, top_k=_ALL
            )[0]
            context = [row for row in rows if row.payload.get("category") != SUMMARY]
            for row in context:
                self.mem0.delete(str(row.id))
                target.record("delete", str(row.id), old_text=row.payload.get("data"), reason="session ended")
            if summary is None and context:
                said = [row.payload.get("data", "") for row in context]
                summary = "This visit: " + "; ".join(text[:1].lower() + text[1:] for text in said if text)
            if summary and len(rows) == len(context):  # not summarized before
                self._insert(target, Fact(text=_summary_text(summary), category=SUMMARY), expires=False)
        return len(context)

    def summaries(self, user_id: str, limit: int = 20) -> MemoryList:
        """The shopper's conversation summaries, newest first."""
        user_id = _check_id(user_id, "user_id")
        with self._unit():
            found = self.mem0.get_all(
                filters={"user_id": user_id, "level": "session", "category": SUMMARY}, top_k=_ALL
            )
        records = [MemoryRecord.from_mem0(item) for item in found["results"]]
        records.sort(key=lambda record: (record.created_at or "", record.id), reverse=True)
        return MemoryList(records[:limit])

    # -- reading -----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        user_id: str,
        limit: int = 5,
        *,
        agent_id: str | None = None,
        session_id: str | None = None,
    ) -> MemoryList:
        """The shopper's active memories ranked by relevance to `query`, weighed by how recently each was
        stated, confirmed or used (memory.recency; each record carries the parts of its score).
        Long-term memories always; an agent's own memories with `agent_id`; a session's context with
        `session_id`."""
        user_id = _check_id(user_id, "user_id")
        if not isinstance(query, str) or not query.strip():
            raise ValueError("query must be a non-empty string")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise ValueError(f"limit must be 1-{MAX_SEARCH_LIMIT}")
        levels: list[dict[str, Any]] = [{"level": "user"}]
        if agent_id is not None:
            levels.append({"agent_id": _check_id(agent_id, "agent_id")})
        if session_id is not None:
            levels.append({"run_id": _check_id(session_id, "session_id")})
        filters: dict[str, Any] = {"user_id": user_id, "status": "active"}
        if len(levels) == 1:
            filters.update(levels[0])
        else:
            filters["OR"] = levels
        with self._unit():
            # More candidates than asked: recency may lift a slightly less similar, newer memory.
            found = self.mem0.search(
                query.strip()[:MAX_TEXT_LENGTH],
                top_k=max(limit * _CANDIDATES, 20),
                filters=filters,
                threshold=0.0,
            )
        now = datetime.now(UTC)
        ranked = [
            MemoryRecord.from_mem0(item).weighed(
                recency.weigh(item.get("score") or 0.0, recency.last_seen(item), now)
            )
            for item in found["results"]
        ]
        ranked.sort(key=lambda record: (-(record.score or 0.0), record.id))
        return MemoryList(ranked[:limit])

    def get_all(
        self,
        user_id: str,
        *,
        level: str | None = None,
        agent_id: str | None = None,
        session_id: str | None = None,
        include_superseded: bool = False,
    ) -> MemoryList:
        """Everything remembered about the shopper (all levels unless narrowed), newest first."""
        user_id = _check_id(user_id, "user_id")
        filters: dict[str, Any] = {"user_id": user_id}
        if level is not None:
            if level not in LEVELS:
                raise ValueError(f"level must be one of {', '.join(LEVELS)}")
            filters["level"] = level
        if agent_id is not None:
            filters["agent_id"] = _check_id(agent_id, "agent_id")
        if session_id is not None:
            filters["run_id"] = _check_id(session_id, "session_id")
        if not include_superseded:
            filters["status"] = "active"
        with self._unit():
            found = self.mem0.get_all(filters=filters, top_k=_ALL)
        records = [MemoryRecord.from_mem0(item) for item in found["results"]]
        records.sort(key=lambda record: (record.created_at or "", record.id), reverse=True)
        return MemoryList(records)

    def get(self, memory_id: str, user_id: str) -> MemoryRecord:
        user_id = _check_id(user_id, "user_id")
        memory_id = _check_memory_id(memory_id)
        with self._unit():
            item = self.mem0.get(memory_id)
        if item is None or item.get("user_id") != user_id:
            raise MemoryNotFoundError(memory_id)
        return MemoryRecord.from_mem0(item)

    def history(self, memory_id: str, user_id: str) -> EventList:
        """The memory's audit trail, oldest first (also for a memory deleted since)."""
        user_id = _check_id(user_id, "user_id")
        memory_id = _check_memory_id(memory_id)
        with self._unit() as connection:
            trail = EventList(events.for_memory(connection, memory_id, user_id))
            if not trail:
                self._owned_payload(memory_id, user_id)  # raises unless it is this shopper's
        return trail

    def export(self, user_id: str) -> dict[str, Any]:
        """Everything stored about the shopper's memory, as JSON-ready data."""
        user_id = _check_id(user_id, "user_id")
        memories = self.get_all(user_id, include_superseded=True)
        with self._unit() as connection:
            trail = events.for_user(connection, user_id)
        return {
            "user_id": user_id,
            "exported_at": datetime.now(UTC).isoformat(),
            "memories": [record.to_dict() for record in memories],
            "events": [event.to_dict() for event in trail],
        }
