"""Product descriptions arrive as HTML from data files: keep formatting, drop anything active."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "h3",
    "h4",
    "span",
    "table",
    "tr",
    "td",
    "th",
}


def sanitize_html(html: str) -> str:
    # No attributes at all: no links, styles or event handlers to smuggle in.
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()
