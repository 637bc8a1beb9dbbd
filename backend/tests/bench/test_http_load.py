"""`shop bench http --smoke`: the load suite's short mode, run as a user runs it (its own servers, locust
in its own process), on the session's database. It must find every answer right; the speed it reports
is not judged here (numbers are for docs/performance.md, from full runs)."""

import os
import subprocess
import sys
from pathlib import Path

from agentic_shop.settings import REPO_ROOT


def test_the_smoke_run_finds_every_answer_right(engine):
    shop = Path(sys.executable).with_name("shop")
    run = subprocess.run(
        [str(shop), "bench", "http", "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO_ROOT,
        env={k: v for k, v in os.environ.items() if k != "CATALOG_CACHE_S"},  # as a user runs it
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = run.stdout
    assert "bare FastAPI + SQLModel, 24 products:" in report
    for phase in ("product list API", "catalog page", "product page", "personalized section (cached)", "mix"):
        line = next(line for line in report.splitlines() if line.startswith(phase))
        assert "failures: none" in line and " req/s " in line
    assert "CPU ms per request: app" in report
    assert "POST memory edit" in report and "POST assistant turn" in report  # the mix really mixed
