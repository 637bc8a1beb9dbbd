"""The refusals every API operation may answer, for the OpenAPI schema (what errors.py and the
request limits really send: `{"detail": "..."}`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Refusal(BaseModel):
    detail: str


def _refusal(description: str) -> dict[str, Any]:
    return {"model": Refusal, "description": description}


EVERY_OPERATION = {
    400: _refusal("The Host header is not one the shop answers to (ALLOWED_HOSTS)."),
    413: _refusal("The body is over 1 MB."),
    503: _refusal("The database is unavailable or every connection is busy; try again shortly."),
}
SHOPPER_OPERATION = {401: _refusal("No shopper in the session: POST /api/v1/session first.")}
NOT_FOUND = {404: _refusal("No such product, memory or run for this shopper.")}
