"""Catalog schema: pgvector, shoppers, products, features, variants, reviews, embeddings with HNSW.

Revision ID: 0001_catalog_schema
Revises:
"""

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

revision = "0001_catalog_schema"
down_revision = None
branch_labels = None
depends_on = None

DIM = 384  # all-MiniLM-L6-v2; remote embedders are asked for the same size


def _embedding_columns() -> list[sa.Column]:
    return [sa.Column("embedding", Vector(DIM)), sa.Column("embedding_model", sa.Text)]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("first_name", sa.Text, nullable=False),
        sa.Column("last_name", sa.Text, nullable=False, server_default=""),
        sa.Column("city", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("age", sa.Integer, sa.CheckConstraint("age BETWEEN 0 AND 150")),
        sa.Column("gender", sa.Text),
        sa.Column("avatar_url", sa.Text),
        sa.Column("hobbies", JSONB, nullable=False, server_default="[]"),
        sa.Column("lifestyle", JSONB, nullable=False, server_default="[]"),
        sa.Column("preferences", JSONB, nullable=False, server_default="[]"),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("brand", sa.Text, nullable=False, server_default=""),
        sa.Column("price", sa.Numeric(10, 2), sa.CheckConstraint("price >= 0"), nullable=False),
        sa.Column("description_html", sa.Text, nullable=False, server_default=""),
        sa.Column("specifications", JSONB, nullable=False, server_default="{}"),
        sa.Column("rating_avg", sa.Float),
        sa.Column("review_count", sa.Integer, nullable=False, server_default="0"),
        # Keywords for hybrid search (name, category, features, description), filled by the loader.
        sa.Column("search_vector", TSVECTOR),
        *_embedding_columns(),
    )
    op.create_index("ix_products_search_vector", "products", ["search_vector"], postgresql_using="gin")
    op.create_index("ix_products_category", "products", ["category"])
    # The catalog's default order: most reviewed first.
    op.create_index("ix_products_popularity", "products", [sa.text("review_count DESC"), "id"])
    op.create_table(
        "product_images",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_product_images_product_id", "product_images", ["product_id"])
    op.create_table(
        "features",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("categories", JSONB, nullable=False, server_default="[]"),
    )
    op.create_table(
        "product_features",
        sa.Column(
            "product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "feature_id", sa.Integer, sa.ForeignKey("features.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("ix_product_features_feature_id", "product_features", ["feature_id"])
    op.create_table(
        "variants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), sa.CheckConstraint("price >= 0"), nullable=False),
        sa.Column("in_stock", sa.Boolean, nullable=False),
        sa.Column("stock", sa.Integer, sa.CheckConstraint("stock >= 0")),
        sa.CheckConstraint("stock IS NULL OR (stock > 0) = in_stock", name="ck_variants_stock_matches_flag"),
    )
    op.create_index("ix_variants_product_id", "variants", ["product_id"])
    op.create_table(
        "variant_attributes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("variant_id", sa.Integer, sa.ForeignKey("variants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_variant_attributes_variant_id", "variant_attributes", ["variant_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("rating", sa.SmallInteger, sa.CheckConstraint("rating BETWEEN 1 AND 5"), nullable=False),
        sa.Column("review_date", sa.Date),
        sa.Column("feature_id", sa.Integer, sa.ForeignKey("features.id", ondelete="SET NULL")),
        sa.Column(
            "sentiment",
            sa.Text,
            sa.CheckConstraint(
                "sentiment IN ('positive', 'negative', 'neutral')", name="ck_reviews_sentiment"
            ),
        ),
        *_embedding_columns(),
    )
    op.create_index("ix_reviews_product_id", "reviews", ["product_id", "review_date"])
    op.create_index("ix_reviews_feature_id", "reviews", ["feature_id", "sentiment"])
    for table in ("products", "reviews"):
        op.execute(
            f"CREATE INDEX ix_{table}_embedding_hnsw ON {table} USING hnsw (embedding vector_cosine_ops)"
        )


def downgrade() -> None:
    for table in (
        "reviews",
        "variant_attributes",
        "variants",
        "product_features",
        "features",
        "product_images",
        "products",
        "users",
    ):
        op.drop_table(table)
    # The extension stays: other schemas in the same database (mem0's table) may use it.
