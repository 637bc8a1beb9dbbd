"""Migrations are the only way schema and seed data get in: up, down, up again, and a no-op second up."""

from sqlalchemy import Engine, inspect, text

from agentic_shop.db import migrations
from tests.conftest import AGENTICSHOP_FIXTURE

CATALOG_TABLES = {
    "users",
    "products",
    "product_images",
    "features",
    "product_features",
    "variants",
    "variant_attributes",
    "reviews",
}


def _counts(connection) -> dict[str, int]:
    return {
        t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in sorted(CATALOG_TABLES)
    }


def test_up_down_up_and_second_upgrade_is_a_noop(scratch_database: Engine):
    with scratch_database.begin() as connection:
        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        assert migrations.current_revision(connection) == migrations.head_revision()
        assert set(inspect(connection).get_table_names()) >= CATALOG_TABLES
        seeded = _counts(connection)
        assert seeded["products"] == 5 and seeded["reviews"] == 12

        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        assert _counts(connection) == seeded

        migrations.downgrade("base", connection)
        assert migrations.current_revision(connection) is None
        assert not CATALOG_TABLES & set(inspect(connection).get_table_names())

        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        assert _counts(connection) == seeded


def test_schema_has_vector_columns_and_hnsw_indexes(db):
    for table in ("products", "reviews"):
        column_type = db.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = CAST(:t AS regclass) AND attname = 'embedding'"
            ),
            {"t": table},
        ).scalar_one()
        assert column_type == "vector(384)"
        index = db.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = :t AND indexdef ILIKE '%USING hnsw%'"),
            {"t": table},
        ).scalar_one()
        assert "vector_cosine_ops" in index


def test_seed_counts_meet_the_catalog_minimums(db):
    counts = _counts(db)
    assert counts["products"] >= 160
    assert counts["reviews"] >= 3000
    assert counts["features"] >= 40
    assert counts["users"] >= 6
    categories = db.execute(text("SELECT count(DISTINCT category) FROM products")).scalar_one()
    assert categories >= 8
    # Every vector is there, and says which model made it.
    missing = db.execute(
        text("SELECT count(*) FROM products WHERE embedding IS NULL OR embedding_model IS NULL")
    ).scalar_one()
    assert missing == 0
    models = db.execute(text("SELECT DISTINCT embedding_model FROM reviews")).scalars().all()
    assert models == ["all-MiniLM-L6-v2-onnx-int8"]
    out_of_stock = db.execute(text("SELECT count(*) FROM variants WHERE NOT in_stock")).scalar_one()
    low = db.execute(text("SELECT count(*) FROM variants WHERE stock BETWEEN 1 AND 3")).scalar_one()
    assert out_of_stock > 0 and low > 0


def test_reset_returns_to_the_seeded_state(scratch_database: Engine):
    with scratch_database.begin() as connection:
        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        seeded = _counts(connection)
        names = connection.execute(text("SELECT name FROM products ORDER BY id")).scalars().all()
        connection.execute(text("DELETE FROM reviews WHERE id % 2 = 0"))
        connection.execute(text("UPDATE products SET name = 'changed'"))
        migrations.reset(connection, data_dir=AGENTICSHOP_FIXTURE)
        assert _counts(connection) == seeded
        assert connection.execute(text("SELECT name FROM products ORDER BY id")).scalars().all() == names


def test_facts_stored_with_the_old_dislike_category_become_the_thing_disliked(scratch_database: Engine):
    with scratch_database.begin() as connection:
        migrations.upgrade("0006_streamed_turns", connection, data_dir=AGENTICSHOP_FIXTURE)
        for text_, values in (("No longer likes red color", '["red"]'), ("Dislikes bulky headphones", "[]")):
            connection.execute(
                text(
                    "INSERT INTO mem0_chatstore (id, payload) VALUES (gen_random_uuid(),"
                    " jsonb_build_object('data', CAST(:t AS text), 'category', 'dislike',"
                    " 'values', CAST(:v AS jsonb), 'polarity', 'dislike'))"
                ),
                {"t": text_, "v": values},
            )
        migrations.upgrade("head", connection, data_dir=AGENTICSHOP_FIXTURE)
        rows = connection.execute(
            text(
                "SELECT payload->>'data', payload->>'category', payload->>'polarity' FROM mem0_chatstore"
                " WHERE payload->>'data' IN ('No longer likes red color', 'Dislikes bulky headphones')"
                " ORDER BY 1"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("Dislikes bulky headphones", "other", "dislike"),
        ("No longer likes red color", "color", "dislike"),
    ]
