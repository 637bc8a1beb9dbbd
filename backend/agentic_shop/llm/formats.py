"""How a JSON answer is asked for and read back, whatever the server enforces.

Servers differ: OpenAI and Azure take a strict `json_schema`; llama.cpp's Python server refuses it but
constrains output with `json_object` plus a schema; some take only plain JSON mode; some nothing at all.
So the modes form a ladder, and every prompt describes the keys and shows an example whichever mode is
used: a server that enforces nothing still gets told what to write. Answers are parsed leniently (a
fenced block, raw newlines inside strings, text around the object) and then checked against the schema.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Strongest first: a call starts at the endpoint's remembered mode and steps down when one is refused.
MODES = ("json_schema", "json_object_schema", "json_object", "text")

# Bounds that grammar-constrained servers enforce (a small model otherwise copies a whole list from its
# prompt) but that strict structured outputs may refuse: kept out of `json_schema` requests, checked here.
_NOT_STRICT = ("maxItems",)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)


class AnswerFormatError(ValueError):
    """The answer holds no JSON object that fits the schema (the message says what is wrong)."""


def response_format(mode: str, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    if mode == "json_schema":
        strict = _without(schema, _NOT_STRICT)
        return {"type": "json_schema", "json_schema": {"name": name, "schema": strict, "strict": True}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": schema}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def _without(schema: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(schema, dict):
        return {k: _without(v, keys) for k, v in schema.items() if k not in keys}
    if isinstance(schema, list):
        return [_without(v, keys) for v in schema]
    return schema


def describe(schema: dict[str, Any], example: dict[str, Any]) -> str:
    """The answer's shape in words, appended to every system prompt."""
    keys = "; ".join(f"{key}: {_kind(spec)}" for key, spec in schema["properties"].items())
    return (
        "Answer with one JSON object and nothing else (no prose, no code fence). "
        f"Its keys: {keys}.\nExample: {json.dumps(example, ensure_ascii=False)}"
    )


def _kind(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return "one of " + ", ".join("null" if v is None else json.dumps(v) for v in spec["enum"])
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            item = spec.get("items", {})
            most = f" (at most {spec['maxItems']})" if "maxItems" in spec else ""
            words.append(
                "a list of objects with " + ", ".join(item["properties"]) + most
                if item.get("type") == "object"
                else f"a list of {item.get('type', 'value')}s{most}"
            )
        else:
            words.append({"null": "null", "object": "an object"}.get(kind, f"a {kind}"))
    return " or ".join(words)


def parse_answer(text: str | None, schema: dict[str, Any]) -> dict[str, Any]:
    """The first JSON object in `text`, checked against `schema` (required keys, types, enums)."""
    if not text or not text.strip():
        raise AnswerFormatError("the answer is empty")
    data = _first_object(text)
    problem = _mismatch(data, schema, "answer")
    if problem:
        raise AnswerFormatError(problem)
    return data


def _first_object(text: str) -> dict[str, Any]:
    candidates = [match.group(1) for match in _FENCE.finditer(text)] + [text]
    # strict=False: grammar-constrained servers write raw newlines and tabs inside strings.
    decoder = json.JSONDecoder(strict=False)
    for candidate in candidates:
        for start in (i for i, ch in enumerate(candidate) if ch == "{"):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    raise AnswerFormatError("the answer holds no JSON object")


def _mismatch(value: Any, schema: dict[str, Any], where: str) -> str | None:
    if "enum" in schema and value not in schema["enum"]:
        return f"{where} is {value!r}, not one of {schema['enum']}"
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
    if kinds and not any(_is(value, kind) for kind in kinds):
        return f"{where} is not {' or '.join(kinds)}"
    if isinstance(value, dict) and "properties" in schema:
        for key in schema.get("required", []):
            if key not in value:
                return f"{where} has no key {key!r}"
        for key, spec in schema["properties"].items():
            if key in value and (problem := _mismatch(value[key], spec, key)):
                return problem
    if isinstance(value, list) and len(value) > schema.get("maxItems", len(value)):
        return f"{where} has more than {schema['maxItems']} items"
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            if problem := _mismatch(item, schema["items"], f"{where}[{index}]"):
                return problem
    return None


def _is(value: Any, kind: str) -> bool:
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }.get(kind, True)
