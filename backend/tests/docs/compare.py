"""Expected output in the docs against what really printed, allowing for ids, timings, paths, pids and
scores (masked on both sides), `...` lines and "…" for output left out, and abridged JSON ("…" keys and
items, shorter lists)."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_MASKS = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<id>"),
    (re.compile(r"\b[0-9a-f]{3,12}…", re.I), "<id>"),  # an id the docs shortened: "6f1c…"
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b\d+(\.\d+)?\s?(ms|s)\b"), "<duration>"),
    (re.compile(r"\b(pid|port)([ =])\d+"), r"\1\2<n>"),
    (re.compile(r"\bscore \d\.\d+"), "score <n>"),  # similarity scores: the ranking is what is compared
    (re.compile(r"(?<![\w:])/[\w./+-]*"), "<path>"),
    (re.compile(r"\b[0-9a-f]{12,64}\b"), "<hex>"),
    (re.compile(r"[ \t]+"), " "),
)
_ELLIPSIS = frozenset({"...", "…"})


def mask(line: str) -> str:
    for pattern, replacement in _MASKS:
        line = pattern.sub(replacement, line)
    return line.strip()


def text_matches(expected: str, actual: str) -> bool:
    want = [mask(line) for line in expected.strip("\n").splitlines()]
    got = [mask(line) for line in actual.strip("\n").splitlines()]
    return _lines_match(want, got)


def _lines_match(want: list[str], got: list[str]) -> bool:
    if not want:
        return not got
    if want[0] in _ELLIPSIS:
        return any(_lines_match(want[1:], got[start:]) for start in range(len(got) + 1))
    return bool(got) and _same(want[0], got[0]) and _lines_match(want[1:], got[1:])


def _same(want: str, got: str) -> bool:
    """Masked lines are equal; a "…" inside a line stands for anything left out."""
    if "…" not in want:
        return want == got
    return re.fullmatch(".*".join(re.escape(part) for part in want.split("…")), got, re.S) is not None


def json_matches(expected: Any, actual: Any) -> bool:
    """`expected` is an abridged picture of `actual`: keys it shows must match ("…" keys are dropped),
    a list shows the first items, numbers may differ by 5% (scores), masked strings compare masked."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and (_is_timing(key) or json_matches(value, actual[key]))
            for key, value in expected.items()
            if key not in _ELLIPSIS
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and _items_match(expected, actual)
    if isinstance(expected, bool) or expected is None:
        return expected is actual
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and math.isclose(expected, actual, rel_tol=0.05, abs_tol=1e-9)
    if isinstance(expected, str):
        return expected in _ELLIPSIS or _same(mask(expected), mask(str(actual)))
    return expected == actual


def _is_timing(key: str) -> bool:
    return key.endswith(("_ms", "_at", "_s"))


def _items_match(want: list, got: list) -> bool:
    """The items shown are the first ones, in order; a "…" item stands for any number left out."""
    if not want:
        return True
    if isinstance(want[0], str) and want[0] in _ELLIPSIS:
        return any(_items_match(want[1:], got[start:]) for start in range(len(got) + 1))
    return bool(got) and json_matches(want[0], got[0]) and _items_match(want[1:], got[1:])


def output_matches(expected: str, actual: str, language: str) -> bool:
    if language == "json":
        shown = json.loads(expected)  # a docs mistake, reported as such
        try:
            return json_matches(shown, json.loads(actual))
        except json.JSONDecodeError:
            return False
    return text_matches(expected, actual)
