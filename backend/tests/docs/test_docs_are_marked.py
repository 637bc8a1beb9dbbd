"""No block of commands or code in the docs escapes the tests: each is run, excerpted from a file the
suite tests, or says why it cannot run here."""

import pytest

from agentic_shop.settings import REPO_ROOT
from tests.docs.blocks import blocks, code_blocks

DOCS = [*sorted((REPO_ROOT / "docs").rglob("*.md")), REPO_ROOT / "README.md"]
BLOCKS = [block for path in DOCS for block in code_blocks(path)]
EXCERPTS = [block for path in DOCS for block in blocks(path) if block.marker == "from"]


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.where)
def test_every_block_is_run_excerpted_or_says_why_not(block):
    assert block.marker in ("run", "not run", "from"), (
        f"{block.where}: mark it <!-- run --> or <!-- not run: why -->"
    )
    if block.marker == "not run":
        assert len(block.argument) >= 10, f"{block.where}: say why it is not run"


@pytest.mark.parametrize("block", EXCERPTS, ids=lambda block: block.where)
def test_every_excerpt_is_in_its_file_as_written(block):
    source = REPO_ROOT / block.argument
    assert source.is_file(), f"{block.where}: {block.argument} does not exist"
    assert _lines(block.code) in _lines(source.read_text(encoding="utf-8")), (
        f"{block.where}: not in {block.argument} as written"
    )


def _lines(text: str) -> str:
    """Line by line, each without the indentation an excerpt may have lost."""
    return "\n".join(line.strip() for line in text.strip().splitlines())
