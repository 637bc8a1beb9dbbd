"""The current shopper's memories: see, search, add, correct, delete, export and erase them.

Every route acts on the shopper of the session's sign-in only; a memory id of another shopper raises
the same MemoryNotFoundError as an id that does not exist, which errors.py answers with a 404.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agentic_shop.control_chars import header_text
from agentic_shop.deps import CurrentShopperDep, MemoryDep, SessionDep, forget_everything
from agentic_shop.memory.records import MemoryChange, MemoryEvent, MemoryRecord
from agentic_shop.memory.service import MAX_TEXT_LENGTH
from agentic_shop.params import stripped_text

router = APIRouter(prefix="/me/memories", tags=["memories"])


# Bounded as the memory service bounds them: a message up to 2,000 characters, a memory's own text up
# to MAX_TEXT_LENGTH; blank text is refused here, not deep in the service. Unknown fields are refused
# (a typo is a 422, not a request that silently did less).
class Said(BaseModel, extra="forbid"):
    text: stripped_text(2000) = Field(description="What the shopper said.")


class MemoryText(BaseModel, extra="forbid"):
    text: stripped_text(MAX_TEXT_LENGTH) = Field(description="The memory's new text.")


@router.get("", response_model=list[MemoryRecord])
def list_memories(
    shopper: CurrentShopperDep,
    memory: MemoryDep,
    include_superseded: Annotated[bool, Query(description="Also memories a newer fact replaced.")] = False,
) -> list[MemoryRecord]:
    """Everything the shop remembers about you, newest first."""
    return memory.get_all(str(shopper.id), include_superseded=include_superseded)


@router.get("/search", response_model=list[MemoryRecord])
def search_memories(
    shopper: CurrentShopperDep,
    memory: MemoryDep,
    q: Annotated[stripped_text(MAX_TEXT_LENGTH), Query(description="What to look for.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 5,
) -> list[MemoryRecord]:
    """Your memories ranked by relevance to `q`, weighed by how recently each was stated, confirmed or
    used: `score` is `relevance` × (1 − w + w × `recency`), see docs/memory.md."""
    return memory.search(q, str(shopper.id), limit=limit)


_READ_BY = {
    201: {
        "headers": {
            "X-Memory-Engine": {
                "description": "Who read the words: `llm` (the configured LLM) or `offline`.",
                "schema": {"type": "string", "enum": ["llm", "offline"]},
            },
            "X-Memory-Fallback": {
                "description": "Only when an LLM is configured but its answer was not used: why "
                "(unreachable, too slow, malformed answer, found nothing the offline engine found).",
                "schema": {"type": "string"},
            },
        }
    }
}


@router.post("", response_model=list[MemoryChange], status_code=201, responses=_READ_BY)
def add_memory(
    response: Response, shopper: CurrentShopperDep, memory: MemoryDep, session: SessionDep, text: Said
):
    """Tell the shop something about you; returns what it stored, replaced or already knew. The
    `X-Memory-Engine` header says who read your words, `X-Memory-Fallback` why the LLM was not used."""
    changes = memory.add(text.text, str(shopper.id), source="api")
    session.commit()
    response.headers["X-Memory-Engine"] = changes.engine
    if changes.fallback_reason:
        response.headers["X-Memory-Fallback"] = header_text(changes.fallback_reason)
    return changes


@router.get("/export")
def export_memories(shopper: CurrentShopperDep, memory: MemoryDep) -> JSONResponse:
    """All your memories and their history, as a JSON download."""
    headers = {"Content-Disposition": f'attachment; filename="memories-{shopper.id}.json"'}
    return JSONResponse(memory.export(str(shopper.id)), headers=headers)


@router.delete("")
def forget_me(request: Request, shopper: CurrentShopperDep, session: SessionDep) -> dict[str, int]:
    """Erase everything the shop remembers about you: memories, conversations and traces, as "Forget
    me" on the memory page. Every other sign-in of yours ends; this client carries on with a new one."""
    return {"erased": forget_everything(request, session, shopper.id, source="api")}


@router.patch("/{memory_id}", response_model=list[MemoryChange])
def correct_memory(
    memory_id: str, shopper: CurrentShopperDep, memory: MemoryDep, session: SessionDep, text: MemoryText
):
    """Replace a memory's text."""
    changes = memory.update(memory_id, text.text, str(shopper.id), source="api")
    session.commit()
    return changes


@router.delete("/{memory_id}", status_code=204)
def delete_memory(
    memory_id: str, shopper: CurrentShopperDep, memory: MemoryDep, session: SessionDep
) -> Response:
    memory.delete(memory_id, str(shopper.id), source="api")
    session.commit()
    return Response(status_code=204)


@router.get("/{memory_id}/history", response_model=list[MemoryEvent])
def memory_history(memory_id: str, shopper: CurrentShopperDep, memory: MemoryDep) -> list[MemoryEvent]:
    """What happened to this memory, oldest first."""
    return memory.history(memory_id, str(shopper.id))
