"""`shop data import-agenticshop`: either layout, all or nothing, images served locally, catalog and
shoppers replaced (nothing kept about a previous shopper survives; the new ones' preferences are seeded)."""

import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from agentic_shop.catalog.importer import PLACEHOLDER_IMAGE, import_agenticshop
from agentic_shop.catalog.reader import TECHNOFOCUS, CatalogFormatError
from agentic_shop.cli import app
from agentic_shop.db import migrations
from agentic_shop.embeddings import get_embedder
from agentic_shop.memory.service import MemoryService
from tests.conftest import AGENTICSHOP_FIXTURE, FIXTURES

AZURE_FIXTURE = FIXTURES / "agenticshop-azure"
USERS_HEADER = (
    "id,first_name,last_name,city,gender,age,hobbies,location,lifestyle_preferences,preferences,avatar_url"
)


@pytest.fixture
def seeded_scratch(scratch_database: Engine) -> Engine:
    with scratch_database.begin() as connection:
        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
    return scratch_database


def _product_names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(text("SELECT name FROM products ORDER BY id")).scalars().all()


def _memories(engine: Engine) -> list[tuple[str, str, str]]:
    """(shopper, text, source) of every stored memory."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("""SELECT payload->>'user_id', payload->>'data', payload->>'source' FROM mem0_chatstore
                    ORDER BY 1, 2""")
        )
        return [tuple(row) for row in rows]


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_import_replaces_the_catalog_and_localizes_images(seeded_scratch: Engine, tmp_path: Path):
    source = tmp_path / "backend" / "data"
    shutil.copytree(AGENTICSHOP_FIXTURE, source)
    (source / "images").mkdir()
    (source / "images" / "1-image-1.png").write_bytes(b"\x89PNG fake")
    with seeded_scratch.begin() as connection:
        connection.execute(text("UPDATE products SET name = 'stale'"))
        connection.execute(
            text("""INSERT INTO agent_cache (user_id, kind, product_id, memory_version, engine, payload)
                    VALUES ('1', 'section', 1, 0, 'offline engine', '{"description": "stale"}')""")
        )

    report = import_agenticshop(source, seeded_scratch, get_embedder(), tmp_path / "media", progress=False)

    assert report.layout == TECHNOFOCUS
    assert report.counts["products.csv"] == 5 and report.counts["product_reviews.csv"] == 12
    assert "stale" not in _product_names(seeded_scratch)
    assert (tmp_path / "media" / "agenticshop" / "1-image-1.png").exists()
    with seeded_scratch.connect() as connection:
        urls = connection.execute(text("SELECT url FROM product_images ORDER BY id")).scalars().all()
        assert urls[0] == "/media/agenticshop/1-image-1.png"
        assert PLACEHOLDER_IMAGE in urls  # the other files were not shipped
        ratings = connection.execute(
            text("SELECT count(*) FROM products WHERE review_count > 0")
        ).scalar_one()
        assert ratings > 0
        embedded = connection.execute(
            text("SELECT count(*) FROM reviews WHERE embedding IS NOT NULL")
        ).scalar_one()
        assert embedded == 12
    # Cached sections and summaries described the old products.
    assert _count(seeded_scratch, "agent_cache") == 0


@pytest.mark.parametrize(
    ("fixture", "found"),
    [
        (
            AGENTICSHOP_FIXTURE,
            "Found the technofocus-pte/postgres-agentic-shop layout:"
            " products.csv, product_reviews.csv, product_images.csv.",
        ),
        (
            AZURE_FIXTURE,
            "Found the Azure-Samples/postgres-agentic-shop layout:"
            " product.csv, review.csv (review_text), product_image.csv.",
        ),
    ],
    ids=["technofocus-pte", "Azure-Samples"],
)
def test_the_command_imports_either_layout_and_says_which_it_found(
    seeded_scratch: Engine, monkeypatch, fixture: Path, found: str
):
    monkeypatch.setattr("agentic_shop.db.engine.get_engine", lambda: seeded_scratch)
    result = CliRunner().invoke(app, ["data", "import-agenticshop", str(fixture)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # without the progress bars, which go to stderr
    assert found in lines
    # Counts under the folder's own file names.
    review_file = "review.csv" if fixture == AZURE_FIXTURE else "product_reviews.csv"
    assert f"{review_file:24} {12:>9,}" in lines
    assert lines[-1].startswith("Shoppers: 3 imported, ")
    with seeded_scratch.connect() as connection:
        texts = connection.execute(text("SELECT text FROM reviews WHERE id = 6")).scalar_one()
        assert texts == "Left bud died after three weeks; support never replied."


def _write_users(folder: Path, *rows: str) -> None:
    (folder / "users.csv").write_text("\n".join((USERS_HEADER, *rows)) + "\n", encoding="utf-8")


def _leave_traces_of_the_old_shoppers(engine: Engine) -> None:
    """What using the shop leaves: a chat memory, a memory of an id that was never a persona (as
    `shop memories add --user 7` makes), an agent run with the memories it used, a conversation."""
    run_id = uuid.uuid4()
    with engine.begin() as connection:
        memory = MemoryService(connection=connection, llm=None)
        memory.add("I prefer yellow color", "1", source="chat")
        memory.add("I prefer leather straps", "7", source="cli")
        connection.execute(
            text("""INSERT INTO agent_runs (id, agent, user_id, engine, status, duration_ms)
                    VALUES (:id, 'assistant', '1', 'offline', 'ok', 1)"""),
            {"id": run_id},
        )
        connection.execute(
            text("""INSERT INTO agent_steps (run_id, position, node, input_summary, duration_ms,
                                             memories_used, engine)
                    VALUES (:id, 0, 'remember', '', 1, '["Prefers yellow color"]', 'offline')"""),
            {"id": run_id},
        )
        thread = "shopper-1:conversation"
        connection.execute(
            text("INSERT INTO checkpoints (thread_id, checkpoint_id, checkpoint) VALUES (:t, 'c1', '{}')"),
            {"t": thread},
        )
        connection.execute(
            text(
                "INSERT INTO checkpoint_blobs (thread_id, channel, version, type) VALUES (:t, 'm', '1', 'x')"
            ),
            {"t": thread},
        )
        connection.execute(
            text("""INSERT INTO checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, blob)
                    VALUES (:t, 'c1', 'task', 0, 'm', '')"""),
            {"t": thread},
        )


def test_an_import_replaces_the_shoppers_and_everything_kept_about_them(
    seeded_scratch: Engine, tmp_path: Path
):
    source = tmp_path / "azure"
    shutil.copytree(AZURE_FIXTURE, source)
    # Shopper 1 is someone else now, 2 is gone, 3 has no preferences, 4 is new.
    _write_users(
        source,
        '1,Alex,Moreau,Lyon,Male,29,"[""climbing""]","(45.76, 4.83)","[""minimalist""]",'
        '"[""I prefer red color"", ""I like large screens""]",data/images/avatar_user_1.png',
        '3,Ingrid,Baptiste,Chicago,Female,58,"[""jazz records""]","(41.87, -87.62)","[]","[]",',
        '4,Noor,Haddad,Boston,Female,37,"[""rowing""]","(42.36, -71.05)","[]","[""I prefer black color""]",',
    )
    _leave_traces_of_the_old_shoppers(seeded_scratch)
    old = _memories(seeded_scratch)
    assert {shopper for shopper, _, _ in old} == {"1", "2", "3", "7"}

    report = import_agenticshop(source, seeded_scratch, get_embedder(), tmp_path / "media", progress=False)

    new = _memories(seeded_scratch)
    assert report.memories_removed == len(old) and report.memories_seeded == len(new)
    # Only the imported shoppers' preferences are remembered: nothing of whoever had their id before.
    assert {shopper for shopper, _, _ in new} == {"1", "4"}
    assert {source for _, _, source in new} == {"seed"}
    assert not {memory for _, memory, _ in new} & {memory for _, memory, _ in old}
    assert any("red" in memory.lower() for shopper, memory, _ in new if shopper == "1")
    # The audit only tells of the new seeds, not even that someone else was erased.
    with seeded_scratch.connect() as connection:
        audit = connection.execute(text("SELECT DISTINCT user_id, event, source FROM memory_events")).all()
    assert {tuple(row) for row in audit} == {("1", "add", "seed"), ("4", "add", "seed")}
    for table in ("agent_runs", "agent_steps", "checkpoints", "checkpoint_blobs", "checkpoint_writes"):
        assert _count(seeded_scratch, table) == 0, table
    # The new shopper's "back to my seed" gives exactly what the import seeded.
    from sqlmodel import Session

    from agentic_shop.services.shoppers import reset_memories_to_seed

    with Session(seeded_scratch) as session:
        assert reset_memories_to_seed(session, 1) == sum(shopper == "1" for shopper, _, _ in new)


def test_a_memory_being_written_during_the_import_does_not_survive_it(seeded_scratch: Engine, tmp_path: Path):
    media = tmp_path / "media"
    with seeded_scratch.connect() as chat:
        chat.begin()
        # A chat turn of the old shopper 1, still uncommitted when the import removes their memories.
        MemoryService(connection=chat, llm=None).add("I prefer yellow color", "1", source="chat")
        with ThreadPoolExecutor(1) as pool:
            imported = pool.submit(
                import_agenticshop, AZURE_FIXTURE, seeded_scratch, get_embedder(), media, False
            )
            _wait_until_blocked(seeded_scratch)
            chat.commit()
            imported.result(timeout=60)
    assert ("1", "Prefers yellow color", "chat") not in _memories(seeded_scratch)


def _wait_until_blocked(engine: Engine) -> None:
    """Until the import waits for the chat's transaction to end."""
    deadline = time.monotonic() + 60
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(waiting).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError("the import never waited for the memory write in flight")


def test_a_bad_folder_imports_nothing(seeded_scratch: Engine, tmp_path: Path):
    source = tmp_path / "bad"
    shutil.copytree(AGENTICSHOP_FIXTURE, source)
    with (source / "product_reviews.csv").open("a") as handle:
        handle.write('99,1,"Zed","Great","seven",,\n')
    before = _product_names(seeded_scratch)
    with pytest.raises(CatalogFormatError, match=r"product_reviews\.csv line 14: column 'rating'"):
        import_agenticshop(source, seeded_scratch, get_embedder(), tmp_path / "media", progress=False)
    assert _product_names(seeded_scratch) == before


def test_a_failure_while_loading_rolls_everything_back(seeded_scratch: Engine, tmp_path: Path):
    class BrokenEmbedder:
        model_id, dim = "broken", 384

        def embed_batch(self, texts):
            raise RuntimeError("embedder crashed mid-import")

    _leave_traces_of_the_old_shoppers(seeded_scratch)
    before = _product_names(seeded_scratch), _memories(seeded_scratch), _count(seeded_scratch, "agent_runs")
    with pytest.raises(RuntimeError, match="mid-import"):
        import_agenticshop(
            AZURE_FIXTURE, seeded_scratch, BrokenEmbedder(), tmp_path / "media", progress=False
        )
    # The shoppers too: an import that did not happen takes nobody's memories.
    assert (
        _product_names(seeded_scratch),
        _memories(seeded_scratch),
        _count(seeded_scratch, "agent_runs"),
    ) == before
