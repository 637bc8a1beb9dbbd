"""`shop data import-agenticshop`: all or nothing, images served locally, catalog replaced."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from agentic_shop.catalog.importer import PLACEHOLDER_IMAGE, import_agenticshop
from agentic_shop.catalog.reader import CatalogFormatError
from agentic_shop.db import migrations
from agentic_shop.embeddings import get_embedder
from tests.conftest import AGENTICSHOP_FIXTURE


@pytest.fixture
def seeded_scratch(scratch_database: Engine) -> Engine:
    with scratch_database.begin() as connection:
        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
    return scratch_database


def _product_names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(text("SELECT name FROM products ORDER BY id")).scalars().all()


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
        assert connection.execute(text("SELECT count(*) FROM agent_cache")).scalar_one() == 0


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

    before = _product_names(seeded_scratch)
    with pytest.raises(RuntimeError, match="mid-import"):
        import_agenticshop(
            AGENTICSHOP_FIXTURE, seeded_scratch, BrokenEmbedder(), tmp_path / "media", progress=False
        )
    assert _product_names(seeded_scratch) == before
