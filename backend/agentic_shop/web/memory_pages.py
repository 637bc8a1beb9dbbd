""" "What we remember": the current shopper's memories in the browser. See them by category, add one in
your own words (read like a chat message), correct or delete one (with undo), see its history, search
them by meaning, export them, and "Forget me".

Every form works without JavaScript (post, then a redirect back to the page with a notice); with htmx
the same routes answer with the fragment to swap. Thin: the memory service does the work and checks
that each memory id is the shopper's own (another shopper's id is a 404, like a missing one).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from agentic_shop.deps import MemoryDep, SessionDep, forget_everything, required_shopper, session_shopper
from agentic_shop.memory.service import MAX_TEXT_LENGTH
from agentic_shop.params import stripped_text
from agentic_shop.services import agents, conversations, private_mode
from agentic_shop.services.shoppers import reset_memories_to_seed
from agentic_shop.web.templating import confirmation, get_templates, is_htmx

router = APIRouter(include_in_schema=False)

MemoryText = Annotated[stripped_text(MAX_TEXT_LENGTH), Form()]
# Shown after a redirect (no JavaScript): what the last action did, by kind.
_NOTICES = {
    "forgotten": "Everything we remembered about you is erased, conversations included.",
    "reset": "Your memories are back to the demo's starting point.",
}


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise HTTPException(422, "Write what the shop should remember.")
    return text


def _back(notice: str | None = None) -> RedirectResponse:
    query = urlencode({"notice": notice} if notice else {})
    return RedirectResponse("/memories" + (f"?{query}" if query else ""), status_code=303)


@router.get("/memories", response_class=HTMLResponse)
def memories_page(
    request: Request,
    session: SessionDep,
    memory: MemoryDep,
    q: Annotated[str, Query(max_length=200)] = "",
    notice: Annotated[str, Query(max_length=40)] = "",
):
    """Each memory has an anchor (#memory-ID) the Why dialog and the toasts link to."""
    shopper = session_shopper(request, session)
    context = {
        "shopper": shopper,
        "memories": [],
        "query": q.strip(),
        "notice": _NOTICES.get(notice),
        "undo": request.session.pop("undo", None),
    }
    if shopper is not None:
        user_id = str(shopper.id)
        conversations.end_idle(session, shopper.id)  # its summary is listed below
        every = memory.get_all(user_id, include_superseded=True)
        context["memories"] = [m for m in every if m.status == "active"]
        texts = {m.id: m.memory for m in every}
        context["replaced"] = [
            (m, texts.get(m.superseded_by or "")) for m in every if m.status == "superseded"
        ]
        if context["query"]:
            context["found"] = memory.search(context["query"], user_id, limit=10)
    return get_templates().TemplateResponse(request, "memories.html", context)


@router.post("/memories", response_class=HTMLResponse)
def add_memory(request: Request, session: SessionDep, memory: MemoryDep, text: MemoryText):
    """In the shopper's own words, read like a chat message would be: what was stored, or why not."""
    shopper = required_shopper(request, session)
    changes = memory.add(_text(text), str(shopper.id), source="ui")
    context = {
        "shopper": shopper,
        "said": _text(text),
        "changes": list(changes),
        "fallback": changes.fallback_reason,
    }
    if not is_htmx(request):
        context |= {"memories": memory.get_all(str(shopper.id)), "query": "", "notice": None}
    # Reads first: the commit hands the memory service's connection back to the pool.
    session.commit()
    template = "_memory_added.html" if is_htmx(request) else "memories.html"
    return get_templates().TemplateResponse(request, template, context)


@router.get("/memories/{memory_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, session: SessionDep, memory: MemoryDep, memory_id: str):
    shopper = required_shopper(request, session)
    record = memory.get(memory_id, str(shopper.id))
    template = "_memory_edit.html" if is_htmx(request) else "memory_edit.html"
    return get_templates().TemplateResponse(request, template, {"shopper": shopper, "m": record})


@router.post("/memories/{memory_id}/edit", response_class=HTMLResponse)
def correct_memory(
    request: Request, session: SessionDep, memory: MemoryDep, memory_id: str, text: MemoryText
):
    shopper = required_shopper(request, session)
    memory.update(memory_id, _text(text), str(shopper.id), source="ui")
    record = memory.get(memory_id, str(shopper.id))
    session.commit()
    if not is_htmx(request):
        return RedirectResponse(f"/memories#memory-{memory_id}", status_code=303)
    return get_templates().TemplateResponse(request, "_memory.html", {"m": record})


@router.get("/memories/{memory_id}/row", response_class=HTMLResponse)
def memory_row(request: Request, session: SessionDep, memory: MemoryDep, memory_id: str):
    """The row as shown (cancelling an edit)."""
    shopper = required_shopper(request, session)
    return get_templates().TemplateResponse(
        request, "_memory.html", {"m": memory.get(memory_id, str(shopper.id))}
    )


@router.post("/memories/{memory_id}/delete", response_class=HTMLResponse)
def delete_memory(request: Request, session: SessionDep, memory: MemoryDep, memory_id: str):
    """Deleted at once; the answer offers to undo (the text is stored again, word for word)."""
    shopper = required_shopper(request, session)
    deleted = memory.delete(memory_id, str(shopper.id), source="ui")
    session.commit()
    if not is_htmx(request):
        # Kept in the signed session, not the URL: a link from elsewhere cannot offer to "restore"
        # words the shopper never had.
        request.session["undo"] = deleted.memory
        return _back()
    return get_templates().TemplateResponse(request, "_memory_deleted.html", {"deleted": deleted})


@router.post("/memories/restore", response_class=HTMLResponse)
def undo_delete(request: Request, session: SessionDep, memory: MemoryDep, text: MemoryText):
    shopper = required_shopper(request, session)
    changes = memory.add_as_written(_text(text), str(shopper.id), source="ui")
    restored = next((c for c in changes if c.event in ("add", "update")), None)
    record = memory.get(restored.id, str(shopper.id)) if restored else None
    session.commit()
    if not is_htmx(request) or record is None:
        return _back()
    return get_templates().TemplateResponse(request, "_memory.html", {"m": record})


@router.get("/memories/{memory_id}/history", response_class=HTMLResponse)
def memory_history(request: Request, session: SessionDep, memory: MemoryDep, memory_id: str):
    shopper = required_shopper(request, session)
    record = memory.get(memory_id, str(shopper.id))
    context = {
        "shopper": shopper,
        "m": record,
        "events": list(memory.history(memory_id, str(shopper.id))),
        "replaced": [
            m
            for m in memory.get_all(str(shopper.id), include_superseded=True)
            if m.superseded_by == memory_id
        ],
        "used": agents.runs_that_used(session, str(shopper.id), memory_id),
    }
    template = "_memory_history.html" if is_htmx(request) else "memory_history.html"
    return get_templates().TemplateResponse(request, template, context)


@router.get("/memories/reset", response_class=HTMLResponse)
def resetconfirmation(request: Request, session: SessionDep):
    shopper = required_shopper(request, session)
    return confirmation(request, "memory_reset.html", {"shopper": shopper})


@router.post("/memories/reset")
def reset_to_seed(request: Request, session: SessionDep) -> Response:
    """This shopper's memories back to exactly the persona's seeded ones (the audit records it)."""
    shopper = required_shopper(request, session)
    reset_memories_to_seed(session, shopper.id)
    return _back("reset")


@router.get("/memories/forget", response_class=HTMLResponse)
def forgetconfirmation(request: Request, session: SessionDep, memory: MemoryDep):
    """The confirmation, as a page (the memory page opens it as a dialog)."""
    shopper = required_shopper(request, session)
    count = len(memory.get_all(str(shopper.id)))
    return confirmation(request, "memory_forget.html", {"shopper": shopper, "count": count})


@router.post("/memories/forget")
def forget_me(request: Request, session: SessionDep) -> Response:
    shopper = required_shopper(request, session)
    forget_everything(request, session, shopper.id, source="ui")
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": "/memories?notice=forgotten"})
    return _back("forgotten")


@router.post("/private")
def set_private_mode(
    request: Request,
    session: SessionDep,
    on: Annotated[bool, Form()],
    back: Annotated[str, Form(max_length=300)] = "/memories",
) -> Response:
    """The private mode switch of the header, the assistant drawer and this page: back where it was used."""
    shopper = required_shopper(request, session)
    if on:
        private_mode.start(request.session)
    else:
        private_mode.end(request.session, session, shopper.id)
    # Only a path of this site: never a redirect elsewhere ("//host", "/\\host").
    local = back.startswith("/") and not back.startswith(("//", "/\\"))
    return RedirectResponse(back if local else "/memories", status_code=303)
