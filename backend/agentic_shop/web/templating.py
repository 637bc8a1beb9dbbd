"""Jinja2 templates from frontend/templates, with block rendering for htmx partial updates."""

from datetime import UTC, datetime
from functools import lru_cache

from fastapi import Request, Response
from jinja2_fragments.fastapi import Jinja2Blocks

from agentic_shop.agents.wording import day_phrase
from agentic_shop.settings import get_settings
from agentic_shop.web.csrf import csrf_token


def is_htmx(request: Request) -> bool:
    """An htmx request gets only the part of the page it swaps."""
    return request.headers.get("HX-Request") == "true"


def confirmation(request: Request, template: str, context: dict) -> Response:
    """A question before something that cannot be undone: a page of its own, or (htmx) its content
    for the dialog."""
    block = "content" if is_htmx(request) else None
    return get_templates().TemplateResponse(request, template, context, block_name=block)


def spec_value(value: object) -> str:
    """Specifications are free-form JSON: show booleans as Yes/No and lists comma-separated."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(spec_value(item) for item in value)
    return str(value)


def when(value: str | datetime | None) -> str:
    """A stored timestamp as people read it: "Dec 1, 2026, 21:40 UTC"."""
    if value is None:
        return "unknown time"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%b %-d, %Y, %H:%M UTC")


# How pages name each agent: in a list of runs (label), and heading its trace (name).
AGENTS = {
    "personalization": ("Personalization", "Personalization agent"),
    "review_summarizer": ("Review summary", "Review summarizer"),
    "assistant": ("Assistant", "Shopping assistant"),
    "inventory": ("Stock check", "Inventory agent"),
}


@lru_cache
def get_templates() -> Jinja2Blocks:
    settings = get_settings()
    templates = Jinja2Blocks(directory=str(settings.frontend_dir / "templates"))
    # Checking every template file's mtime on every render costs a few stat calls per page.
    templates.env.auto_reload = settings.reload_templates
    templates.env.filters["spec"] = spec_value
    templates.env.filters["money"] = lambda value: f"${value:,.2f}"
    templates.env.filters["stars"] = lambda r: "★" * round(r or 0) + "☆" * (5 - round(r or 0))
    templates.env.filters["when"] = when
    templates.env.filters["day"] = day_phrase
    templates.env.filters["ms"] = lambda value: f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
    templates.env.filters["widest"] = lambda counts: max(
        [c["positive"] + c["negative"] for c in counts.values()] + [1]
    )
    templates.env.filters["agent_label"] = lambda agent: AGENTS.get(agent, (agent, agent))[0]
    templates.env.filters["agent_name"] = lambda agent: AGENTS.get(agent, (agent, agent))[1]
    templates.env.globals["csrf_token"] = csrf_token
    templates.env.globals["demo_reset_allowed"] = lambda: get_settings().demo_reset
    return templates
