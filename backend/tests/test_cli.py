"""The `shop` command line, in-process against the session's embedded database."""

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_shop.cli import app
from tests.conftest import AGENTICSHOP_FIXTURE

runner = CliRunner()
SHOP = str(Path(sys.executable).parent / "shop")  # the installed entry point (the venv may not be on PATH)


def test_help_lists_the_command_groups():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "migrate", "downgrade", "reset", "data", "reindex", "serve", "bench", "learn"):
        assert command in result.output


def test_db_status_and_url(engine):
    status = runner.invoke(app, ["db", "status"])
    assert status.exit_code == 0 and "running" in status.output
    url = runner.invoke(app, ["db", "url"])
    # With the password: what pgAdmin and other tools need, and what no other account can read.
    assert url.exit_code == 0
    assert re.match(r"postgresql://postgres:[\w-]{20,}@/agentic_shop\?host=", url.output)


def test_psql_runs_a_query(engine):
    result = runner.invoke(app, ["db", "psql", "-tAc", "SELECT count(*) > 0 FROM products"])
    assert result.exit_code == 0


def test_migrate_is_idempotent(engine):
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0 and "Database at head" in result.output


def test_data_generate_is_deterministic(tmp_path: Path):
    for out in ("a", "b"):
        result = runner.invoke(
            app, ["data", "generate", "--products", "20", "--seed", "7", "--out", str(tmp_path / out)]
        )
        assert result.exit_code == 0 and "products.csv" in result.output
    for name in ("products.csv", "product_reviews.csv", "users.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_generate_needs_an_explicit_output_folder():
    # Rewriting the committed seed in data/ must be deliberate.
    result = runner.invoke(app, ["data", "generate", "--products", "20"])
    assert result.exit_code == 2 and "--out" in result.output


def test_import_of_a_bad_folder_says_why_and_changes_nothing(engine, tmp_path: Path):
    source = tmp_path / "bad"
    shutil.copytree(AGENTICSHOP_FIXTURE, source)
    (source / "features.csv").unlink()
    result = runner.invoke(app, ["data", "import-agenticshop", str(source)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "missing file features.csv" in result.output


def test_reindex_has_nothing_to_do_when_vectors_match_the_model(engine):
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0 and "Re-embedded 0 products, 0 reviews and 0 memories" in result.output


def _shop(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SHOP, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def _one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.fault
def test_startup_failures_are_one_line_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert f"Cannot serve on 127.0.0.1:{port}" in _one_line(_shop("serve", "--port", str(port)))
    unreachable = _shop("migrate", DATABASE_URL="postgresql://shop@127.0.0.1:9/shop")
    assert _one_line(unreachable).startswith("Cannot reach the database: connection failed")
    unwritable = _shop(
        "memories", "list", "--user", "1", VAR_DIR="/proc/nope", EMBEDDED_PG_DIR="/proc/nope/pg"
    )
    assert _one_line(unwritable).startswith("Cannot use /proc/nope")


def test_learn_relearns_and_resets(engine):
    reset = runner.invoke(app, ["learn", "--reset"])
    assert reset.exit_code == 0 and re.fullmatch(r"Forgot \d+ learned items\.\n", reset.output)
    # Nothing shoppers did since the reset: nothing learned.
    learned = runner.invoke(app, ["learn"])
    assert learned.exit_code == 0 and learned.output.startswith("Nothing learned yet")
