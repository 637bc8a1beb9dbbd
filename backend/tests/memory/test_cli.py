"""`shop memories ...` in-process against the session database (a throwaway shopper, erased after)."""

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from agentic_shop.cli import app

runner = CliRunner()
USER = "t-cli"


@pytest.fixture
def shopper(engine):
    yield USER
    runner.invoke(app, ["memories", "forget", "--user", USER, "--yes"])
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM memory_events WHERE user_id = :u"), {"u": USER})


def test_add_list_search_export_delete_forget(shopper, tmp_path):
    added = runner.invoke(
        app, ["memories", "add", "I prefer navy color and I need a waterproof jacket", "--user", USER]
    )
    assert added.exit_code == 0, added.output
    assert "ADD       Prefers navy color" in added.output and "Needs a waterproof jacket" in added.output

    listed = runner.invoke(app, ["memories", "list", "--user", USER])
    assert listed.exit_code == 0 and "Prefers navy color  (color)" in listed.output
    memory_id = next(line.split()[0] for line in listed.output.splitlines() if "navy" in line)

    found = runner.invoke(app, ["memories", "search", "rain jacket", "--user", USER, "--limit", "1"])
    assert found.exit_code == 0 and found.output.startswith("1. Needs a waterproof jacket")

    out = tmp_path / "export.json"
    exported = runner.invoke(app, ["memories", "export", "--user", USER, "--out", str(out)])
    assert exported.exit_code == 0
    document = json.loads(out.read_text())
    assert {m["memory"] for m in document["memories"]} == {"Prefers navy color", "Needs a waterproof jacket"}
    assert {e["source"] for e in document["events"]} == {"cli"}

    # Another shopper cannot delete it, and is told exactly what a missing id gets.
    foreign = runner.invoke(app, ["memories", "delete", memory_id, "--user", "1"])
    assert foreign.exit_code == 1 and "No memory" in foreign.output
    deleted = runner.invoke(app, ["memories", "delete", memory_id, "--user", USER])
    assert deleted.exit_code == 0 and "Deleted: Prefers navy color" in deleted.output

    forgot = runner.invoke(app, ["memories", "forget", "--user", USER, "--yes"])
    assert forgot.exit_code == 0 and "Erased 1 memories" in forgot.output
    assert "(no memories)" in runner.invoke(app, ["memories", "search", "jacket", "--user", USER]).output


def test_bad_input_is_a_message_not_a_traceback(engine):
    result = runner.invoke(app, ["memories", "list", "--user", " "])
    assert result.exit_code == 1 and "user_id" in result.output
    assert "Traceback" not in result.output


def test_stored_text_cannot_rewrite_the_terminal(shopper):
    # The API refuses control characters; text stored another way (a script, an old import) is shown
    # escaped, never as a live escape sequence.
    from agentic_shop.memory.service import MemoryService

    MemoryService().add_as_written("Prefers red color\x1b[2J\x1b]0;owned\x07", USER)
    listed = runner.invoke(app, ["memories", "list", "--user", USER])
    assert listed.exit_code == 0 and "\x1b" not in listed.output and "\x07" not in listed.output
    assert "\\x1b[2J" in listed.output
