"""The footer's "Reset demo": a confirmation page, then the reset in the background (the gate in
web/maintenance.py shows a self-reloading page meanwhile), then this page again with how it went."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agentic_shop.deps import SessionDep, SettingsDep, session_shopper
from agentic_shop.services import demo_reset
from agentic_shop.web.templating import confirmation

router = APIRouter(include_in_schema=False)
DISABLED = "Resetting the demo is turned off on this shop (DEMO_RESET=false)."


@router.get("/reset", response_class=HTMLResponse)
def reset_confirmation(request: Request, session: SessionDep, settings: SettingsDep):
    if not settings.demo_reset:
        raise HTTPException(403, DISABLED)
    context = {"shopper": session_shopper(request, session), "last": demo_reset.status()}
    return confirmation(request, "reset.html", context)


@router.post("/reset")
def reset_demo(settings: SettingsDep) -> Response:
    if not settings.demo_reset:
        raise HTTPException(403, DISABLED)
    demo_reset.start()  # a second click while one runs joins it
    return RedirectResponse("/reset", status_code=303)
