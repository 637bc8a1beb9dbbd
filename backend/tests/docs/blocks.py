"""The code blocks of docs/*.md and how each is marked.

Every `bash`, `console`, `python` and `sql` block carries a marker on the line before its fence:

    <!-- run -->                       executed by tests/docs (a console block's output is compared)
    <!-- not run: the reason -->       not executable here, with the reason (e.g. it needs Docker)
    <!-- from: path/in/the/repo -->    an excerpt of that file, which must contain it as written

A `text` or `json` block marked `<!-- output -->` is the expected output of the run block before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CODE_LANGUAGES = frozenset({"bash", "console", "python", "sql"})
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)
_MARKER = re.compile(r"<!--\s*(?P<kind>run|not run|from|output)\s*(?::\s*(?P<arg>.*?))?\s*-->")


@dataclass
class Block:
    path: Path
    line: int
    language: str
    code: str
    marker: str | None  # run, not run, from, output
    argument: str  # the reason, the file
    output: Block | None = None  # the expected output block that follows, if any

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found: list[Block] = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        marker = _MARKER.search(before)
        indent = match["indent"]
        code = "".join(line.removeprefix(indent) for line in match["body"].splitlines(keepends=True))
        block = Block(
            path,
            text.count("\n", 0, match.start()) + 1,
            match["lang"],
            code,
            marker["kind"] if marker else None,
            (marker["arg"] or "").strip() if marker else "",
        )
        if block.marker == "output" and found:
            found[-1].output = block
        found.append(block)
    return found


def code_blocks(path: Path) -> list[Block]:
    return [block for block in blocks(path) if block.language in CODE_LANGUAGES]
