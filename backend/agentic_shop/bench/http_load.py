"""`shop bench http`: the shop under load from an external tool (locust), beside a bare FastAPI app.

One run, same machine, same database, same uvicorn:
1. Throughput, one kind of request at a time, 16 shoppers with no think time: the bare app's product
   list (the ceiling, measured first and last), then the shop's product list API, catalog page, product
   page and cached personalized section. Each is reported as a share of the bare app's rate.
2. A mixed load for each `--shoppers` count: catalog, search, product pages with their agents,
   assistant turns and memory edits, each shopper signed in with its own session. Every answer that
   names a shopper is checked to name this one; every note written is read back (from whichever
   worker answers); a personalized section must never be older than a memory change made before it.
With `--profile`, py-spy samples the server during each throughput phase: where the time goes.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, text

from agentic_shop.web.background import free_port

THROUGHPUT = ("product list API", "catalog page", "product page", "personalized section (cached)")
TARGETS = {name: 0.80 for name in THROUGHPUT} | {"personalized section (cached)": 0.70}
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class Phase:
    name: str
    users: int
    requests: int
    rate: float  # requests per second
    p50: float
    p95: float
    p99: float
    failures: Counter
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per request, by process group

    @property
    def server_errors(self) -> int:
        return sum(n for why, n in self.failures.items() if why.startswith("HTTP 5"))

    def line(self) -> str:
        problems = ", ".join(f"{why}: {n}" for why, n in self.failures.most_common()) or "none"
        cpu = " ".join(f"{group} {ms:.1f}" for group, ms in self.cpu_ms.items())
        return (
            f"{self.name:32} {self.users:3} shoppers  {self.rate:7.1f} req/s  p50={self.p50:6.0f} ms  "
            f"p95={self.p95:6.0f} ms  p99={self.p99:6.0f} ms  n={self.requests:<6} failures: {problems}"
            + (f"\n{'':32} CPU ms per request: {cpu}" if cpu else "")
        )


def run_http_benchmark(
    engine: Engine,
    shoppers: list[int],
    mix_s: float,
    phase_s: float,
    workers: int,
    profile: bool,
    out: Path,
    products: int = 10,
) -> tuple[list[str], bool]:
    """The report's lines, and whether every answer was right (no 5xx, no failed check)."""
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    env = _locust_env(engine, products)
    lines: list[str] = [f"workers: {workers}, results and locust logs in {out}"]
    ok = True
    with _server("agentic_shop.bench.bare_app:app", workers, out / "bare.log") as (bare, bare_pid):
        ceiling = [_phase(bare, bare_pid, "bare", 16, phase_s, env, out, profile)]
        with _server("agentic_shop.main:app", workers, out / "shop.log") as (shop, shop_pid):
            _warm(shop, env)
            ours = [_phase(shop, shop_pid, name, 16, phase_s, env, out, profile) for name in THROUGHPUT]
            ceiling.append(_phase(bare, bare_pid, "bare", 16, phase_s, env, out, False))
            mixes = [_phase(shop, shop_pid, "mix", n, mix_s, env, out, False) for n in shoppers]
    bare_rate = sum(p.rate for p in ceiling) / len(ceiling)
    cpu = " ".join(f"{group} {ms:.1f}" for group, ms in ceiling[0].cpu_ms.items())
    lines.append(
        f"bare FastAPI + SQLModel, 24 products: {bare_rate:.1f} req/s "
        f"(first {ceiling[0].rate:.1f}, last {ceiling[1].rate:.1f}); CPU ms per request: {cpu}"
    )
    for phase in ours:
        share, target = phase.rate / bare_rate, TARGETS[phase.name]
        verdict = "ok" if share >= target else "BELOW TARGET"
        ok &= not phase.failures  # a target missed is reported; a wrong answer fails the run
        lines.append(f"{phase.line()}  = {share:4.0%} of bare (target {target:.0%}: {verdict})")
    for phase in mixes:
        ok &= not phase.failures
        lines.append(phase.line())
        lines.extend(f"    {name}: {rate:.1f} req/s" for name, rate in _per_request(out, phase))
    if profile:
        lines.append("where the time goes (py-spy, share of samples by the innermost package):")
        for name in ("bare", *THROUGHPUT):
            lines.append(f"  {name}: " + _profile_summary(out / f"{_slug(name)}-16.profile.txt"))
    _tidy(engine, started)
    return lines, ok


def _locust_env(engine: Engine, products: int) -> dict[str, str]:
    with engine.connect() as connection:
        personas = connection.execute(text("SELECT id, first_name FROM users ORDER BY id")).all()
        ids = connection.execute(
            text("SELECT id FROM products ORDER BY id LIMIT :n"), {"n": products}
        ).scalars()
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    return {
        "BENCH_POSTMASTER": str(_parent(backend)),
        "BENCH_PERSONAS": ",".join(f"{i}:{name}" for i, name in personas),
        "BENCH_PRODUCTS": ",".join(str(p) for p in ids),
    }


def _parent(pid: int) -> int:
    """The postmaster of a backend, if the database runs on this machine (0: it does not)."""
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[1])
    except OSError:
        return 0


@contextmanager
def _server(app: str, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """uvicorn as `shop serve` runs it, in a process of its own; yields its URL and pid."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    with log.open("w") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, process, log)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server under test exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url + "/docs", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"the server under test did not answer within 90 s: {log}")


def _warm(url: str, env: dict[str, str]) -> None:
    """Every persona's personalized sections computed once: the cached phase measures cache hits."""
    with httpx.Client(base_url=url, timeout=120) as client:
        for persona in env["BENCH_PERSONAS"].split(","):
            client.cookies.clear()
            client.post("/api/v1/session", json={"user_id": int(persona.split(":")[0])})
            for product in env["BENCH_PRODUCTS"].split(","):
                client.get(f"/products/{product}/personalized")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.split(" (")[0]).strip("-")


def _phase(
    url: str, server_pid: int, scenario: str, users: int, seconds: float, env: dict, out: Path, profile: bool
) -> Phase:
    prefix = out / f"{_slug(scenario)}-{users}"
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url]
    command += ["-u", str(users), "-r", str(users), "-t", f"{max(1, round(seconds))}s", "--csv", str(prefix)]
    command += ["--csv-full-history", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    spy = None
    if profile:
        spy = subprocess.Popen(
            ["py-spy", "record", "--pid", str(server_pid), "--duration", str(max(1, round(seconds))),
             "--format", "raw", "--rate", "100", "--nonblocking", "--subprocesses",
             "--output", f"{prefix}.profile.txt"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    groups = {"app": server_pid, "PostgreSQL": int(env["BENCH_POSTMASTER"])}
    groups = {group: pid for group, pid in groups.items() if pid}
    before = {group: _cpu_seconds(pid) for group, pid in groups.items()}
    started = time.monotonic()
    with open(f"{prefix}.log", "w") as log:
        locust = subprocess.Popen(
            command, env={**os.environ, **env, "BENCH_SCENARIO": scenario}, stdout=log, stderr=log
        )
        locust_cpu = 0.0
        while locust.poll() is None:  # its CPU is read while it runs: a finished process has none
            locust_cpu = max(locust_cpu, _cpu_seconds(locust.pid))
            time.sleep(0.5)
    if spy is not None:
        spy.wait(timeout=120)
    phase = _read_phase(prefix, scenario, users)
    served = phase.rate * (time.monotonic() - started) or 1
    used = {group: _cpu_seconds(pid) - before[group] for group, pid in groups.items()}
    used["load generator"] = locust_cpu
    phase.cpu_ms = {group: 1000 * seconds / served for group, seconds in used.items()}
    return phase


def _read_phase(prefix: Path, scenario: str, users: int) -> Phase:
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    # The request's name in the locustfile: the scenario without its note ("(cached)").
    name = {"mix": "Aggregated", "bare": "bare product list"}.get(scenario, scenario.split(" (")[0])
    row = rows[name]
    if scenario == "mix":  # signing in is not the shoppers' traffic
        signing = rows.get("sign in")
        row = dict(row)
        if signing:
            row["Request Count"] = str(int(row["Request Count"]) - int(signing["Request Count"]))
    failures: Counter = Counter()
    with open(f"{prefix}_failures.csv") as handle:
        for failure in csv.DictReader(handle):
            if scenario == "mix" or failure["Name"] == row["Name"]:
                failures[failure["Error"].strip()] += int(failure["Occurrences"])
    return Phase(
        name=scenario if scenario != "bare" else "bare product list",  # as reported
        users=users,
        requests=int(row["Request Count"]),
        rate=_steady_rate(prefix, name) or float(row["Requests/s"]),
        p50=float(row["50%"] or 0),
        p95=float(row["95%"] or 0),
        p99=float(row["99%"] or 0),
        failures=failures,
    )


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process and all its descendants, living or exited, from /proc."""
    stats: dict[int, tuple[int, float]] = {}
    reaped = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
            if int(entry.name) == root:  # and its children that exited (a backend per connection)
                reaped = (int(fields[13]) + int(fields[14])) / _TICK
    family, total = {root}, reaped
    for _ in range(4):  # uvicorn -> workers, postmaster -> backends: a few levels at most
        family |= {pid for pid, (parent, _) in stats.items() if parent in family}
    for pid in family:
        total += stats.get(pid, (0, 0.0))[1]
    return total


def _steady_rate(prefix: Path, name: str) -> float | None:
    """Requests per second from the first second that saw one to the end: the shoppers signing in
    first are not part of the rate."""
    with open(f"{prefix}_stats_history.csv") as handle:
        seen = [
            (int(row["Timestamp"]), int(row["Total Request Count"]))
            for row in csv.DictReader(handle)
            if row["Name"] == name and int(row["Total Request Count"]) > 0
        ]
    if len(seen) < 2 or seen[-1][0] == seen[0][0]:
        return None
    return (seen[-1][1] - seen[0][1]) / (seen[-1][0] - seen[0][0])


def _per_request(out: Path, phase: Phase) -> list[tuple[str, float]]:
    with open(out / f"mix-{phase.users}_stats.csv") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] not in ("Aggregated", "sign in")]
    return [
        (f"{row['Type']} {row['Name']}", float(row["Requests/s"])) for row in rows if row["Type"] != "CHECK"
    ]


_PACKAGES = (
    ("agentic_shop/", "agentic_shop"), ("jinja2/", "jinja2"), ("sqlalchemy/", "sqlalchemy"),
    ("sqlmodel/", "sqlmodel"), ("psycopg", "psycopg"), ("pydantic", "pydantic"), ("fastapi/", "fastapi"),
    ("starlette/", "starlette"), ("uvicorn/", "uvicorn"), ("h11/", "h11"), ("asyncio/", "asyncio"),
    ("anyio/", "anyio"), ("itsdangerous/", "itsdangerous"), ("json/", "json"), ("markupsafe/", "markupsafe"),
)  # fmt: skip


def _profile_summary(path: Path) -> str:
    """py-spy's raw format: one stack per line, frames innermost last, then the sample count."""
    if not path.exists():
        return "(no profile: is py-spy installed, and may it trace this process?)"
    shares: Counter = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        shares[_package_of(stack.split(";"))] += int(count)
    total = sum(shares.values()) or 1
    return ", ".join(f"{name} {n / total:.0%}" for name, n in shares.most_common(8))


def _package_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for marker, name in _PACKAGES:
            if marker in frame:
                return name
    return "other"


def _tidy(engine: Engine, since: datetime) -> None:
    """What the bench did as the personas leaves nothing in their history: the notes it wrote (and
    deleted) no audit lines, its assistant turns and agent answers no traces in Activity."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "DELETE FROM memory_events WHERE new_text LIKE 'Bench note %' OR old_text LIKE 'Bench note %'"
            )
        )
        connection.execute(text("DELETE FROM agent_runs WHERE created_at >= :since"), {"since": since})
