"""Every runnable block of the docs, run in order, chapter by chapter, against a shop of their own
(tests/docs/shop.py), with the outputs the docs show compared to what really printed."""

import pytest

from agentic_shop.settings import REPO_ROOT
from tests.docs.blocks import Block, code_blocks
from tests.docs.compare import output_matches, text_matches
from tests.docs.shop import DocsShop

DOCS = [
    path
    for path in [*sorted((REPO_ROOT / "docs").rglob("*.md")), REPO_ROOT / "README.md"]
    if any(block.marker == "run" for block in code_blocks(path))
]


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_the_chapter_runs_as_written(path, docs_shop: DocsShop):
    session, failures = None, []
    try:
        for block in code_blocks(path):
            if block.marker != "run":
                continue
            try:
                session = _run(block, docs_shop, session)
            except AssertionError as failure:  # every failing block of the chapter is reported at once
                failures.append(str(failure).split("\nassert ")[0])
    finally:
        if session:
            session.close()
    assert not failures, "\n\n".join(failures)


def _run(block: Block, docs_shop: DocsShop, session):
    if block.language == "python":
        session = session or docs_shop.python()
        ok, printed = session.run(block.code)
        assert ok, f"{block.where} raised:\n{printed}"
        _compare(block, printed)
    elif block.language == "console":
        _run_console(block, docs_shop)
    elif block.language == "sql":
        done = docs_shop.sql(block.code)
        assert done.returncode == 0, f"{block.where}: {done.stderr}"
        _compare(block, done.stdout)
    else:
        done = docs_shop.shell(block.code)
        assert done.returncode == 0, f"{block.where} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        _compare(block, done.stdout)
    return session


def _compare(block: Block, printed: str) -> None:
    if block.output is not None:
        assert output_matches(block.output.code, printed, block.output.language), (
            f"{block.where}: the docs show\n{block.output.code}\nbut it printed\n{printed}"
        )


def _run_console(block: Block, shop: DocsShop) -> None:
    """`$ command` lines, each followed by the output the docs show for it."""
    commands: list[str] = []
    shown: list[list[str]] = []
    continued = False
    for line in block.code.splitlines():
        if continued:
            commands[-1] += "\n" + line
        elif line.startswith("$ "):
            commands.append(line[2:])
            shown.append([])
        elif commands:
            shown[-1].append(line)
        continued = bool(commands) and line.endswith("\\")
    for command, expected, (status, printed) in zip(commands, shown, shop.console(commands), strict=True):
        if any(line.strip() for line in expected):
            assert text_matches("\n".join(expected), printed), (
                f"{block.where} `{command}`: the docs show\n"
                + "\n".join(expected)
                + f"\nbut it printed\n{printed}"
            )
        else:
            assert status == 0, f"{block.where} `{command}` exited {status}:\n{printed}"
