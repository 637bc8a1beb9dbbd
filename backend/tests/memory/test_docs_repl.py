"""The REPL exercise of docs/memory.md, executed exactly as written there."""

import re

import agentic_shop.memory
from agentic_shop.settings import REPO_ROOT


def _repl_snippet() -> str:
    chapter = (REPO_ROOT / "docs" / "memory.md").read_text(encoding="utf-8")
    section = chapter.split("## 3. Try it in a REPL", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_repl_exercise_works_as_written(memory, monkeypatch, capsys):
    # The snippet's own get_mem0_memory(), inside this test's rolled-back transaction.
    monkeypatch.setattr(agentic_shop.memory, "get_mem0_memory", lambda: memory)
    exec(compile(_repl_snippet(), "docs/memory.md", "exec"), {})
    printed = capsys.readouterr().out
    lines = printed.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith("1. ")
    assert "Prefers long battery life" in printed
    assert "Interested in noise-cancelling headphones" in printed
    assert "score" in printed and "{" not in printed  # readable, not a dict dump
