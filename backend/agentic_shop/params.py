"""Validated query and path parameters, shared by the JSON API and the HTML pages.

Limits are explicit so that bad input is a 422 with a reason, never a slow query or a 500.
"""

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

MAX_QUERY_CHARS = 200
MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # PostgreSQL integer

PageParam = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number.")]
PageSizeParam = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
SearchParam = Annotated[
    str | None,
    Query(max_length=MAX_QUERY_CHARS, description="Free-text semantic search, e.g. 'waterproof smartwatch'."),
]
CategoryParam = Annotated[str | None, Query(max_length=100, description="Exact category name.")]
ProductIdParam = Annotated[int, Path(ge=1, le=MAX_ID, description="Product id.")]


def _number_not_text(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise ValueError("must be a JSON number, not text or true/false")
    return value


# An id in a JSON body as JSON Schema means an integer: 7 or 7.0, never "7" or true. (The bounds come
# before the validator, or the schema shows them as unknown keywords.)
JsonId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_number_not_text)]


def _as_sent_at_most(limit: int) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise PydanticCustomError(
                "string_too_long", "String should have at most {max_length} characters", {"max_length": limit}
            )
        return value

    return BeforeValidator(check)


def stripped_text(limit: int) -> Any:
    """Text that is not blank, stripped of surrounding space, and at most `limit` characters *as sent*
    (the schema's maxLength): stripping first would accept a longer text that starts with a space."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limit), _as_sent_at_most(limit)
    ]


def clean_query(q: str | None) -> str | None:
    """Whitespace-only searches are a plain browse."""
    return " ".join(q.split()) if q and q.strip() else None
