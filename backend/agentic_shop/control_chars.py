"""Control characters: NUL and the rest of C0 but tab and newlines, and DEL. No shopper types one;
Postgres cannot store a NUL, and an escape sequence printed raw can rewrite a terminal."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(text: str) -> str:
    """Text safe to print to a terminal: each control character shown as its escape ("\\x1b")."""
    return CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def header_text(text: str, limit: int = 300) -> str:
    """Text fit for an HTTP header value: one line of printable ASCII (an LLM server's error may hold
    anything), shortened to `limit` characters."""
    flat = " ".join(text.split())
    ascii_only = flat.encode("ascii", "replace").decode("ascii")
    return visible(ascii_only)[:limit]
