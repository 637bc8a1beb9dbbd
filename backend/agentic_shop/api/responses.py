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
# Unsafe methods only (web/csrf.py): added to the schema by `document_refusals`.
FORBIDDEN = _refusal(
    "Refused as a possible cross-site request: another site's Origin, or neither a JSON body nor the"
    " page's X-CSRF-Token."
)
# What web/request_limits.py refuses in every string (NUL, other C0 controls but tab and newlines, DEL).
_CONTROLS = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F"
NO_CONTROL_CHARACTERS = f"^[^{_CONTROLS}]*$"
# A required text is stripped first (str.strip: these are what Python counts as white space), so it
# needs one character that is neither white space nor control.
_SPACES = "\\t\\n\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000"
NOT_BLANK = f"^[^{_CONTROLS}]*[^{_CONTROLS}{_SPACES}][^{_CONTROLS}]*$"
_UNSAFE = ("post", "put", "patch", "delete")


def document_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """The generated OpenAPI schema, told what the middleware refuses before a route sees a request:
    403 on unsafe operations, and no control characters in any string."""
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            if method in _UNSAFE:
                operation.setdefault("responses", {}).setdefault("403", _openapi_refusal(FORBIDDEN))
            for parameter in operation.get("parameters", []):
                _forbid_controls(parameter.get("schema", {}))
    for component in schema.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            _forbid_controls(field)
    return schema


def _openapi_refusal(refusal: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": refusal["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}},
    }


def _forbid_controls(schema: dict[str, Any]) -> None:
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "string" and "pattern" not in option and "format" not in option:
            option["pattern"] = NOT_BLANK if option.get("minLength", 0) >= 1 else NO_CONTROL_CHARACTERS
