"""A real OpenAI-compatible server (llama-cpp-python with SmolLM2-135M-Instruct), for `make test-llm`.

The suite runs only when LLM_SERVER_MODEL names the GGUF file (scripts/llm-server.sh prints it); the
server is started from var/llm/venv on a free port and stopped afterwards."""

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from agentic_shop.settings import REPO_ROOT
from tests.conftest import free_port

MODEL = os.environ.get("LLM_SERVER_MODEL")


@pytest.fixture(scope="session")
def llm_server() -> str:
    """The server's /v1 URL."""
    python = REPO_ROOT / "var" / "llm" / "venv" / "bin" / "python"
    port = free_port()
    log = open(REPO_ROOT / "var" / "llm" / "server.log", "w")  # noqa: SIM115 - open while it runs
    process = subprocess.Popen(
        [str(python), "-m", "llama_cpp.server", "--model", str(Path(MODEL)), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{url}/models", timeout=2).raise_for_status()
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the LLM server did not start; see var/llm/server.log") from None
            time.sleep(0.5)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def model_id(llm_server) -> str:
    return httpx.get(f"{llm_server}/models").json()["data"][0]["id"]
