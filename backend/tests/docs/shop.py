"""A shop of its own for the docs: an embedded PostgreSQL in a temp folder, migrated and seeded by
`shop migrate`, served by `shop serve`, and a shell, a Python session and psql that run the docs'
blocks against it as an attendee's terminal would (the port in their URLs rewritten to its own)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from agentic_shop.settings import REPO_ROOT
from tests.conftest import free_port

DOCS_PORT = 8000
TIMEOUT_S = 240


@dataclass
class DocsShop:
    workdir: Path
    port: int
    env: dict[str, str] = field(default_factory=dict)
    server: subprocess.Popen | None = None

    @classmethod
    def start(cls, workdir: Path) -> DocsShop:
        shop = cls(workdir, free_port())
        venv_bin = REPO_ROOT / ".venv" / "bin"
        for name in (".venv", "backend", "data", "frontend", "Makefile"):
            (workdir / name).symlink_to(REPO_ROOT / name)
        shop.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("EMBEDDED_PG_", "PYTEST"))},
            "PATH": f"{venv_bin}:{os.environ['PATH']}",
            "DATABASE_URL": "",  # never a .env's external database
            "EMBEDDED_PG_DIR": str(workdir / "var" / "pgdata"),
            "EMBEDDED_PG_PORT": str(free_port()),
            "VAR_DIR": str(workdir / "var"),
            "LLM_PROVIDER": "offline",
            "EMBEDDING_PROVIDER": "local",
            "PYTHONUNBUFFERED": "1",
        }
        shop.shell("shop migrate", timeout=TIMEOUT_S).check_returncode()
        log = (workdir / "serve.log").open("w")
        shop.server = subprocess.Popen(
            ["shop", "serve", "--port", str(shop.port)], cwd=workdir, env=shop.env, stdout=log, stderr=log
        )
        shop._wait_until_up()
        return shop

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                assert self.server.poll() is None, (self.workdir / "serve.log").read_text()
                time.sleep(0.3)
        raise AssertionError("shop serve did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)
        self.shell("shop db stop", timeout=60)

    def rewrite(self, code: str) -> str:
        """The docs' port 8000 is this shop's own."""
        for before in ("127.0.0.1:", "localhost:", "--port "):
            code = code.replace(f"{before}{DOCS_PORT}", f"{before}{self.port}")
        return code

    def shell(self, script: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return self._run(["bash", "-o", "pipefail", "-c", self.rewrite(script)], timeout=timeout)

    def _run(
        self, args: list[str], stdin: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        """In the shop's folder, with its settings, capturing what a terminal would show."""
        return subprocess.run(
            args, input=stdin, cwd=self.workdir, env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def console(self, commands: list[str], timeout: float = 120) -> list[tuple[int, str]]:
        """Runs `$ ` commands in one shell, one after another (so `echo $?` sees the last status);
        returns each one's exit status and output (stdout and stderr, as a terminal shows them)."""
        script = []
        for number, command in enumerate(commands):
            script.append(
                f"{{ {self.rewrite(command)}\n}} 2>&1; __rc=$?; echo; "
                f"echo '@@end {number} '$__rc; (exit $__rc)"
            )
        done = self._run(["bash", "-c", "\n".join(script)], timeout=timeout)
        results, chunk = [], []
        for line in done.stdout.splitlines():
            end = re.fullmatch(r"@@end (\d+) (\d+)", line)
            if end:
                results.append((int(end[2]), "\n".join(chunk).strip("\n")))
                chunk = []
            else:
                chunk.append(line)
        assert len(results) == len(commands), done.stdout + done.stderr
        return results

    def python(self) -> PythonSession:
        return PythonSession(self)

    def sql(self, query: str) -> subprocess.CompletedProcess:
        """A query as pgAdmin's Query Tool would run it (through `shop db psql`, so no client install)."""
        psql = ["shop", "db", "psql", "-v", "ON_ERROR_STOP=1", "-X", "-q", "-P", "pager=off", "-f", "-"]
        return self._run(psql, stdin=query, timeout=60)


_DRIVER = """
import json, sys
scope = {"__name__": "__main__"}
for line in sys.stdin:
    try:
        exec(compile(json.loads(line), "docs snippet", "exec"), scope)
        status = "ok"
    except BaseException as exc:  # the test shows what went wrong, the session goes on
        import traceback
        traceback.print_exc(file=sys.stdout)
        status = "error"
    print("@@end " + status, flush=True)
"""


class PythonSession:
    """One interpreter for a chapter's snippets, run in order like a REPL session."""

    def __init__(self, shop: DocsShop) -> None:
        self.shop = shop
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-c", _DRIVER],
            cwd=shop.workdir,
            env=shop.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, code: str) -> tuple[bool, str]:
        self.process.stdin.write(json.dumps(self.shop.rewrite(code)) + "\n")
        self.process.stdin.flush()
        lines = []
        for line in self.process.stdout:
            if line.startswith("@@end "):
                return line.split()[1] == "ok", "".join(lines).strip("\n")
            lines.append(line)
        return False, "".join(lines) + "\n(the interpreter exited)"

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
