"""The agents in the browser: a product page's personalized section, review summary and stock check
(htmx fragments loaded after the page), "Why am I seeing this?" from the stored trace, the "For you" page.
Thin: the same services as the JSON API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from agentic_shop.agents import learning
from agentic_shop.deps import SessionDep, is_private, session_shopper
from agentic_shop.params import MAX_ID, ProductIdParam
from agentic_shop.services import agents
from agentic_shop.settings import get_settings
from agentic_shop.web.templating import get_templates, is_htmx

router = APIRouter(include_in_schema=False)
FOR_YOU_SIZE = 10  # a run's stored trace keeps the first 10 items, each with its reasons


def _agent_fragment(request: Request, session: Session, product_id: int, updated: bool, kind: str):
    """A product page's agent part for the session's shopper (a designed state without one);
    `updated`: asked for again because a memory just changed."""
    shopper = session_shopper(request, session, alone=True)  # a cached answer asks nothing more
    compute, template = _FRAGMENTS[kind]
    result = compute(session, str(shopper.id), product_id, private=is_private(request)) if shopper else None
    context = {"shopper": shopper, kind: result, "product_id": product_id, "updated": updated}
    return get_templates().TemplateResponse(request, template, context)


_FRAGMENTS = {
    "section": (agents.personalized_section, "_personalized.html"),
    "summary": (agents.review_summary, "_summary.html"),
    "stock": (agents.stock_alert, "_stock_alert.html"),
}


@router.get("/products/{product_id}/personalized", response_class=HTMLResponse)
def personalized_fragment(
    request: Request, session: SessionDep, product_id: ProductIdParam, updated: bool = False
):
    return _agent_fragment(request, session, product_id, updated, "section")


@router.get("/products/{product_id}/summary", response_class=HTMLResponse)
def summary_fragment(
    request: Request, session: SessionDep, product_id: ProductIdParam, updated: bool = False
):
    return _agent_fragment(request, session, product_id, updated, "summary")


@router.get("/products/{product_id}/stock", response_class=HTMLResponse)
def stock_fragment(request: Request, session: SessionDep, product_id: ProductIdParam, updated: bool = False):
    return _agent_fragment(request, session, product_id, updated, "stock")


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def why_page(
    request: Request,
    session: SessionDep,
    run_id: str,
    product: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
):
    """The dialog's content for htmx; a page of its own otherwise (a link opened without JavaScript)."""
    shopper = session_shopper(request, session)
    if shopper is None:
        raise agents.RunNotFoundError(f"No run {run_id!r} for this shopper")
    context = {"shopper": shopper, "run": agents.explain_run(session, str(shopper.id), run_id, product)}
    template = "_why.html" if is_htmx(request) else "why.html"
    return get_templates().TemplateResponse(request, template, context)


@router.get("/learned", response_class=HTMLResponse)
def learned_page(request: Request, session: SessionDep):
    """What the agents learned from all shoppers: read-only, with counts and whether it is in use."""
    items = learning.learned(session.connection())
    context = {
        "shopper": session_shopper(request, session),
        "items": items,
        "minimum": get_settings().learn_min_shoppers,
        "agents": learning.AGENTS,
    }
    return get_templates().TemplateResponse(request, "learned.html", context)


@router.post("/learned/reset", response_class=HTMLResponse)
def reset_learned(session: SessionDep):
    """Forget what was learned (as Reset demo, only where the demo may be reset)."""
    if not get_settings().demo_reset:
        raise HTTPException(403, "Resetting is turned off here (DEMO_RESET=false).")
    learning.reset(session.connection())
    session.commit()
    return RedirectResponse("/learned", status_code=303)


@router.get("/for-you", response_class=HTMLResponse)
def for_you_page(request: Request, session: SessionDep):
    shopper = session_shopper(request, session)
    found = None
    if shopper:
        found = agents.recommendations(session, str(shopper.id), FOR_YOU_SIZE, private=is_private(request))
    return get_templates().TemplateResponse(request, "for_you.html", {"shopper": shopper, "found": found})


ACTIVITY_PAGE = 20


@router.get("/activity", response_class=HTMLResponse)
def activity_page(request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    """The shopper's recent agent runs, newest first, each opening its trace (the Why view)."""
    shopper = session_shopper(request, session)
    runs = []
    if shopper is not None:
        # One more than a page: whether there is a next one.
        runs = agents.recent_runs(session, str(shopper.id), ACTIVITY_PAGE + 1, (page - 1) * ACTIVITY_PAGE)
    context = {
        "shopper": shopper,
        "runs": runs[:ACTIVITY_PAGE],
        "page": page,
        "has_next": len(runs) > ACTIVITY_PAGE,
    }
    return get_templates().TemplateResponse(request, "activity.html", context)
