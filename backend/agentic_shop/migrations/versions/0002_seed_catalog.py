"""Seed the catalog and the shopper personas from data/*.csv, with embeddings.

Revision ID: 0002_seed_catalog
Revises: 0001_catalog_schema
"""

from pathlib import Path

from alembic import context, op

from agentic_shop.catalog.loader import clear_catalog, load_catalog
from agentic_shop.catalog.reader import read_catalog
from agentic_shop.embeddings import get_bulk_embedder
from agentic_shop.settings import get_settings

revision = "0002_seed_catalog"
down_revision = "0001_catalog_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tests point this at a small fixture; everyone else seeds from DATA_DIR (the committed data/).
    data_dir = context.config.attributes.get("data_dir") or get_settings().data_dir
    data = read_catalog(Path(data_dir))
    load_catalog(op.get_bind(), data, get_bulk_embedder())


def downgrade() -> None:
    clear_catalog(op.get_bind())
