"""The embedded server: start/stop/status, TCP for pgAdmin, and no orphan server after the app dies."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from agentic_shop.db.embedded import EmbeddedPostgres, EmbeddedPostgresError


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_stopped(server: EmbeddedPostgres, timeout_s: float = 15) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not server.status().running:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(tmp_path: Path):
    server = EmbeddedPostgres(tmp_path / "pgdata", _free_port())
    yield server
    server.stop()


def test_start_status_stop(server: EmbeddedPostgres):
    assert not server.status().running
    assert server.start() is True
    assert server.start() is False  # already running: not ours to start again
    status = server.status()
    assert status.running and status.tcp_host is None
    with psycopg.connect(server.libpq_uri()) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
        assert connection.execute("SELECT '[1,2]'::vector <-> '[1,3]'::vector").fetchone()[0] == 1.0
    assert server.stop() is True
    assert not server.status().running
    assert server.stop() is False


def test_data_persists_across_restarts(server: EmbeddedPostgres):
    server.start()
    with psycopg.connect(server.libpq_uri(), autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
    server.stop()
    server.start()
    with psycopg.connect(server.libpq_uri()) as connection:
        assert connection.execute("SELECT x FROM kept").fetchone() == (42,)


def test_tcp_for_pgadmin(server: EmbeddedPostgres):
    tcp_port = _free_port()
    server.start()
    assert server.start(tcp_port=tcp_port) is True  # restarted with TCP
    status = server.status()
    assert status.tcp_host == "127.0.0.1" and status.port == tcp_port
    with psycopg.connect(
        host="127.0.0.1",
        port=tcp_port,
        user="postgres",
        password=server.password(),
        dbname="agentic_shop",
    ) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
    # The unix socket follows the running port, so other tools still find it.
    with psycopg.connect(server.libpq_uri()) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def _owner_process(pgdata: Path, port: int) -> subprocess.Popen:
    """A process that starts the server the way the app does, then waits to be killed."""
    code = textwrap.dedent("""
        import sys, time
        from agentic_shop.cli import _main
        from agentic_shop.db.server import database_url
        _main()  # the CLI's SIGTERM handling
        database_url()
        print("ready", flush=True)
        time.sleep(600)
    """)
    env = {**os.environ, "EMBEDDED_PG_DIR": str(pgdata), "EMBEDDED_PG_PORT": str(port)}
    env.pop("DATABASE_URL", None)
    # A shell's background job inherits SIGINT ignored; the owner must see Ctrl-C as a terminal would send it.
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout.readline().strip() == "ready"
    return process


@pytest.mark.parametrize(
    "how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "sigterm", "crash"]
)
def test_no_orphan_server_when_the_owner_exits(server: EmbeddedPostgres, how: signal.Signals):
    owner = _owner_process(server.pgdata, server.port)
    assert server.status().running
    owner.send_signal(how)
    owner.wait(timeout=20)
    # SIGINT/SIGTERM: stopped by the owner on the way out; SIGKILL: by the watchdog within a second or so.
    assert _wait_stopped(server), f"server still running after {how.name}"


def test_a_server_started_by_someone_else_is_left_running(server: EmbeddedPostgres):
    server.start()
    owner = _owner_process(server.pgdata, server.port)
    owner.send_signal(signal.SIGTERM)
    owner.wait(timeout=20)
    time.sleep(1)
    assert server.status().running


def _refused(**where) -> str:
    """Connect as the superuser without the password; return why it was refused."""
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(user="postgres", dbname="agentic_shop", connect_timeout=5, **where).close()
    return str(refused.value)


def test_only_the_owner_gets_in(server: EmbeddedPostgres):
    tcp_port = _free_port()
    server.start(tcp_port=tcp_port)
    assert "password" in _refused(host="127.0.0.1", port=tcp_port)
    assert "password" in _refused(host=str(server.socket_dir), port=tcp_port)
    wrong = _refused(host="127.0.0.1", port=tcp_port, password="guess")
    assert "password authentication failed" in wrong
    # The password is in a file, and the socket in a folder, that no other account can open.
    assert server.password_file.stat().st_mode & 0o777 == 0o600
    assert server.socket_dir.stat().st_mode & 0o777 == 0o700
    with psycopg.connect(server.libpq_uri()) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("postgres",)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another local account")
def test_another_local_account_cannot_reach_the_socket(server: EmbeddedPostgres):
    server.start()
    psql, *args = server.psql_command()
    other = subprocess.run(
        ["runuser", "-u", "nobody", "--", psql, *args, "-c", "SELECT 1"],
        capture_output=True,
        text=True,
        env=server.client_env(),  # even given the password: the folder itself is closed
        timeout=30,
    )
    assert other.returncode != 0
    assert "connection to server on socket" in other.stderr and "Permission denied" in other.stderr


def test_a_cluster_from_before_passwords_is_closed_on_start(server: EmbeddedPostgres):
    server.start()
    server.stop()
    # What earlier versions made: trust for everyone, and no password file.
    (server.pgdata / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    server.password_file.unlink()
    server.start()
    assert "password" in _refused(host=str(server.socket_dir), port=server.port)
    with psycopg.connect(server.libpq_uri()) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_a_lost_password_file_is_a_clear_error(server: EmbeddedPostgres):
    server.start()
    server.stop()
    server.password_file.unlink()
    with pytest.raises(EmbeddedPostgresError, match=r"password file .* is missing"):
        server.start()
        server.libpq_uri()
