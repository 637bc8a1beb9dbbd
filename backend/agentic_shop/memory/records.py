"""What the memory service returns: plain objects that print readably in a REPL and serialize to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

SOURCES = ("seed", "chat", "ui", "api", "cli")
LEVELS = ("user", "agent", "session")
_ABOUT = ("products", "categories", "turns", "ended_by", "at")  # payload keys of a conversation summary


class MemoryNotFoundError(LookupError):
    """No such memory for this shopper. Deliberately the same for a missing id and another shopper's id."""

    def __init__(self, memory_id: str) -> None:
        super().__init__(f"No memory {memory_id!r} for this shopper")
        self.memory_id = memory_id


@dataclass(frozen=True)
class MemoryRecord:
    id: str
    memory: str
    user_id: str
    category: str
    level: str  # user | agent | session
    source: str
    status: str  # active | superseded
    created_at: str | None = None
    updated_at: str | None = None
    agent_id: str | None = None
    session_id: str | None = None
    score: float | None = None  # a search's ranking score: relevance weighed by recency (memory.recency)
    relevance: float | None = None  # the parts of that score
    recency: float | None = None
    last_seen: str | None = None  # when last stated, confirmed or used
    # A conversation summary's subject: products [{id, name}], categories, turns, ended_by, at.
    about: dict[str, Any] | None = None
    superseded_reason: str | None = None
    superseded_by: str | None = None  # the memory that replaced this one
    superseded_at: str | None = None

    @classmethod
    def from_mem0(cls, item: dict[str, Any]) -> MemoryRecord:
        """From a mem0 result item: mem0 promotes user_id/agent_id/run_id, our fields sit in metadata."""
        meta = item.get("metadata") or {}
        return cls(
            id=str(item["id"]),
            memory=item.get("memory", ""),
            user_id=str(item.get("user_id", "")),
            category=meta.get("category", "other"),
            level=meta.get("level", "user"),
            source=meta.get("source", "api"),
            status=meta.get("status", "active"),
            created_at=item.get("created_at"),
            updated_at=item.get("updated_at"),
            agent_id=item.get("agent_id"),
            session_id=item.get("run_id"),
            score=round(item["score"], 4) if item.get("score") is not None else None,
            superseded_reason=meta.get("superseded_reason"),
            superseded_by=meta.get("superseded_by"),
            superseded_at=meta.get("superseded_at"),
            about={key: meta[key] for key in _ABOUT if key in meta} or None,
        )

    @property
    def happened_at(self) -> str | None:
        """When what it records happened: a conversation's last message, else the memory's creation."""
        return (self.about or {}).get("at") or self.created_at

    def weighed(self, weighed: Any) -> MemoryRecord:
        """This record with a search's score and its parts (a recency.Weighed)."""
        return replace(
            self,
            score=weighed.score,
            relevance=weighed.relevance,
            recency=weighed.recency,
            last_seen=weighed.last_seen,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        details = [self.category]
        if self.level != "user":
            details.append(f"{self.level} {self.agent_id or self.session_id}")
        if self.status != "active":
            details.append(self.status)
        if self.score is not None and self.relevance is not None:
            details.append(
                f"score {self.score:.2f} = meaning {self.relevance:.2f}, recency {self.recency:.2f}"
            )
        elif self.score is not None:
            details.append(f"score {self.score:.2f}")
        return f"{self.memory}  ({', '.join(details)})"


class _Lines(list):
    """A list that prints one readable line per item (in a REPL, the CLI, logs)."""

    empty = "(none)"
    numbered = False

    def __repr__(self) -> str:
        if not self:
            return self.empty
        if self.numbered:
            return "\n".join(f"{rank}. {item}" for rank, item in enumerate(self, start=1))
        return "\n".join(str(item) for item in self)

    __str__ = __repr__


class MemoryList(_Lines):
    """Memories, ranked or newest first."""

    empty = "(no memories)"
    numbered = True


@dataclass(frozen=True)
class MemoryChange:
    """One thing an add/update did: event is add, update, supersede, delete or none (already known)."""

    event: str
    id: str
    memory: str
    previous: str | None = None
    reason: str | None = None
    category: str | None = None
    level: str = "user"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        text = f"{self.event.upper():9} {self.memory}"
        if self.previous:
            text += f"  (was: {self.previous})"
        if self.reason and self.event == "none":
            text += f"  ({self.reason})"
        return text


class ChangeList(_Lines):
    """What an add or update changed, and which extractor read the messages."""

    empty = "(nothing to remember)"
    engine = "offline"  # or "llm"
    fallback_reason: str | None = None  # why a configured LLM was not used


@dataclass(frozen=True)
class MemoryEvent:
    """One row of the `memory_events` audit."""

    id: int
    user_id: str
    memory_id: str | None
    event: str
    old_text: str | None
    new_text: str | None
    source: str
    reason: str | None
    created_at: str
    agent_id: str | None = None
    session_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        change = " -> ".join(repr(text) for text in (self.old_text, self.new_text) if text is not None)
        why = f"  ({self.reason})" if self.reason else ""
        return f"{self.created_at}  {self.event:9} {change}  via {self.source}{why}"


class EventList(_Lines):
    """A memory's audit trail."""

    empty = "(no events)"
