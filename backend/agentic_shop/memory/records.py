"""What the memory service returns: plain objects that print readably in a REPL and serialize to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SOURCES = ("seed", "chat", "ui", "api", "cli")
LEVELS = ("user", "agent", "session")


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
    score: float | None = None
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
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        details = [self.category]
        if self.level != "user":
            details.append(f"{self.level} {self.agent_id or self.session_id}")
        if self.status != "active":
            details.append(self.status)
        if self.score is not None:
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
