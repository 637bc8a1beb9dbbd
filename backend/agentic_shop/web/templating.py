"""Jinja2 templates from frontend/templates, with block rendering for htmx partial updates."""

from functools import lru_cache

from jinja2_fragments.fastapi import Jinja2Blocks

from agentic_shop.settings import get_settings


def spec_value(value: object) -> str:
    """Specifications are free-form JSON: show booleans as Yes/No and lists comma-separated."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(spec_value(item) for item in value)
    return str(value)


@lru_cache
def get_templates() -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=str(get_settings().frontend_dir / "templates"))
    templates.env.filters["spec"] = spec_value
    templates.env.filters["money"] = lambda value: f"${value:,.2f}"
    templates.env.filters["stars"] = lambda r: "★" * round(r or 0) + "☆" * (5 - round(r or 0))
    return templates
