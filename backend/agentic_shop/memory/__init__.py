"""Long-term shopper memory (mem0 over PostgreSQL). Workshop entry point:

from agentic_shop.memory import get_mem0_memory
memory = get_mem0_memory()
memory.add(messages="Prefers long battery life", user_id="1")
print(memory.search(query="What does this shopper like?", user_id="1"))
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentic_shop.memory.service import MemoryService

__all__ = ["get_mem0_memory"]


@lru_cache
def get_mem0_memory() -> MemoryService:
    """The process's memory service (each call of its methods commits on its own).

    In a fresh checkout the database may not exist yet: it is created and seeded first, as `make run`
    would, so the workshop's REPL exercise works from the first line.
    """
    from agentic_shop.db import migrations
    from agentic_shop.memory.service import MemoryService

    migrations.ensure_current()
    return MemoryService()
