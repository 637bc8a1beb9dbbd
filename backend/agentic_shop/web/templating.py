"""Jinja2 templates from frontend/templates, with block rendering for htmx partial updates."""

from functools import lru_cache

from jinja2_fragments.fastapi import Jinja2Blocks

from agentic_shop.settings import get_settings


@lru_cache
def get_templates() -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=str(get_settings().frontend_dir / "templates"))
    templates.env.filters["money"] = lambda value: f"${value:,.2f}"
    templates.env.filters["stars"] = lambda r: "★" * round(r or 0) + "☆" * (5 - round(r or 0))
    return templates
