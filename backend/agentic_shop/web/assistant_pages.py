"""The assistant in the browser: the header box, the drawer's conversation, and a turn whose steps
stream while the graph runs (server-sent events, htmx's sse extension).

A streamed turn is posted first (EventSource can only GET) and stored as a pending run; its stream
claims it once and runs the graph in a thread of its own, with its own database session: the stream
holds no connection while it waits, and a client that goes away stops only the stream, never the
turn, whose memory writes commit (or roll back) as a whole. Without JavaScript the form posts and the
answer comes back as a full page.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from agentic_shop.db.engine import get_engine
from agentic_shop.deps import (
    SessionDep,
    conversation_id,
    end_conversation,
    is_private,
    required_shopper,
    session_shopper,
    session_user_id,
)
from agentic_shop.params import MAX_ID, stripped_text
from agentic_shop.schemas import Shopper
from agentic_shop.services import agents, conversations
from agentic_shop.web.templating import get_templates, is_htmx

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

MessageField = Annotated[stripped_text(2000), Form()]
ProductField = Annotated[int | None, Form(ge=1, le=MAX_ID)]
NO_SHOPPER = "Pick a shopper first: the assistant remembers what each shopper tells it."
TURN_FAILED = "Sorry, that answer failed on our side. Please try again."
STALE_TURN = "This answer was already given (or it expired). Reload the page to see the conversation."


def _conversation(request: Request, session: Session) -> dict[str, Any]:
    """The session's shopper and their conversation so far (checkpointed, so it survives reloads)."""
    shopper = session_shopper(request, session)
    if shopper is None:
        return {"shopper": None, "conversation": []}
    messages = agents.conversation(str(shopper.id), conversation_id(request, session, shopper.id))
    # A new conversation may offer to pick up the last one.
    last = None if messages else next(iter(conversations.recent(session, shopper.id, limit=1)), None)
    return {"shopper": shopper, "conversation": messages, "last_summary": last}


@router.get("/assistant", response_class=HTMLResponse)
def assistant_page(request: Request, session: SessionDep):
    """The conversation as a page of its own (where a form posted without JavaScript lands)."""
    return get_templates().TemplateResponse(request, "assistant.html", _conversation(request, session))


@router.get("/assistant/conversation", response_class=HTMLResponse)
def conversation_fragment(request: Request, session: SessionDep):
    """The drawer's conversation, loaded after the page (it survives reloads: it is checkpointed)."""
    return get_templates().TemplateResponse(request, "_conversation.html", _conversation(request, session))


@router.post("/assistant", response_class=HTMLResponse)
def send_message(
    request: Request, session: SessionDep, message: MessageField, product_id: ProductField = None
):
    shopper = required_shopper(request, session, NO_SHOPPER)
    return _start_turn(request, session, shopper, message.strip(), product_id)


@router.post("/ask", response_class=HTMLResponse)
def ask(request: Request, session: SessionDep, q: MessageField, product_id: ProductField = None):
    """The header box: a plain product search goes to the catalog grid, anything else to the assistant."""
    message = " ".join(q.split())
    shopper = session_shopper(request, session)
    if not message or shopper is None or agents.is_plain_search(session, message, product_id):
        target = "/?" + urlencode({"q": message[:200]}) if message else "/"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return _start_turn(request, session, shopper, message, product_id)


@router.post("/assistant/new", response_class=HTMLResponse)
def new_conversation(request: Request, session: SessionDep):
    """Start over: the conversation ends and is summarized; long-term memories stay."""
    user_id = session_user_id(request, session)
    if user_id is not None:
        end_conversation(request, session, user_id)
    if is_htmx(request):
        return get_templates().TemplateResponse(
            request, "_conversation.html", _conversation(request, session)
        )
    return RedirectResponse("/assistant", status_code=303)


def _start_turn(
    request: Request, session: Session, shopper: Shopper, message: str, product_id: int | None
) -> Response:
    if not message:
        raise HTTPException(422, "Type a message for the assistant.")
    conversation = conversation_id(request, session, shopper.id, create=True)
    user_id, private = str(shopper.id), is_private(request)
    if not is_htmx(request):  # no JavaScript: answer now, show the conversation as a page
        agents.assistant_turn(session, user_id, conversation, message, product_id, private=private)
        return RedirectResponse("/assistant#latest", status_code=303)
    run_id = agents.post_turn(session, user_id, conversation, message, product_id, private=private)
    context = {"message": message, "run_id": run_id}
    return get_templates().TemplateResponse(
        request, "_turn.html", context, headers={"HX-Trigger": "assistant-open"}
    )


@router.get("/assistant/turns/{run_id}/stream", response_class=EventSourceResponse)
async def stream_turn(request: Request, run_id: str) -> AsyncIterator[ServerSentEvent]:
    """One `step` event per graph node as it finishes, then `answer`, then `done`."""
    user_id, inputs = await run_in_threadpool(_claim, request, run_id)
    if inputs is None:
        yield ServerSentEvent(raw_data=_render("_answer.html", problem=STALE_TURN), event="answer")
        yield ServerSentEvent(raw_data="", event="done")
        return
    async for kind, value in _run_in_thread(str(user_id), run_id, inputs):
        if kind == "step":
            yield ServerSentEvent(raw_data=_render("_step.html", step=value), event="step")
        elif kind == "answer":
            html = _render("_answer.html", answer=value, product_id=inputs.get("product_id"))
            yield ServerSentEvent(raw_data=html, event="answer")
        else:
            yield ServerSentEvent(raw_data=_render("_answer.html", problem=value), event="answer")
    yield ServerSentEvent(raw_data="", event="done")


def _claim(request: Request, run_id: str) -> tuple[int | None, dict[str, Any] | None]:
    """The session's shopper and the turn's inputs, if the turn is theirs and not yet streamed."""
    with Session(get_engine()) as session:
        user_id = session_user_id(request, session)
        if user_id is None:
            return None, None
        return user_id, agents.claim_turn(session, str(user_id), run_id)


async def _run_in_thread(user_id: str, run_id: str, inputs: dict[str, Any]) -> AsyncIterator[tuple[str, Any]]:
    """The turn runs to its end in its own thread whatever happens to the stream; this yields what it
    reports, as it reports it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def report(kind: str, value: Any) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

    def work() -> None:
        try:
            with Session(get_engine()) as session:
                result = agents.assistant_turn(
                    session,
                    user_id,
                    inputs["conversation_id"],
                    inputs["message"],
                    inputs.get("product_id"),
                    run_id=run_id,
                    on_step=lambda step: report("step", step.to_dict()),
                    private=inputs.get("private") is True,
                )
            report("answer", result)
        except Exception:
            log.exception("assistant turn %s failed", run_id)
            _mark_failed(run_id)
            report("problem", TURN_FAILED)

    threading.Thread(target=work, name=f"turn-{run_id[:8]}", daemon=True).start()
    while True:
        kind, value = await queue.get()
        yield kind, value
        if kind != "step":
            return


def _mark_failed(run_id: str) -> None:
    try:
        with Session(get_engine()) as session:
            agents.fail_turn(session, run_id)
    except Exception:  # the database itself may be what failed; the log has the first error
        log.warning("could not mark turn %s as failed", run_id)


def _render(template: str, **context: Any) -> str:
    return get_templates().get_template(template).render(**context)
