"""Database tables (SQLModel). The schema itself is created by the Alembic migrations only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import Column, Numeric, SmallInteger
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from agentic_shop.embeddings.base import EMBEDDING_DIM


class User(SQLModel, table=True):
    """A shopper persona."""

    __tablename__ = "users"

    id: int = Field(primary_key=True)
    first_name: str
    last_name: str
    city: str | None = None
    location: str | None = None
    age: int | None = None
    gender: str | None = None
    avatar_url: str | None = None
    hobbies: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    lifestyle: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    # First-person statements; the memory issue seeds them into long-term memory.
    preferences: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: int = Field(primary_key=True)
    name: str
    category: str = Field(index=True)
    brand: str
    price: Decimal = Field(sa_column=Column(Numeric(10, 2), nullable=False))
    description_html: str  # sanitized on the way in
    specifications: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    rating_avg: float | None = None  # denormalized from reviews at load time, for fast catalog pages
    review_count: int = 0
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIM)))
    embedding_model: str | None = None


class ProductImage(SQLModel, table=True):
    __tablename__ = "product_images"

    id: int = Field(primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    url: str
    position: int = 0


class Feature(SQLModel, table=True):
    __tablename__ = "features"

    id: int = Field(primary_key=True)
    name: str
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))


class ProductFeature(SQLModel, table=True):
    __tablename__ = "product_features"

    product_id: int = Field(foreign_key="products.id", primary_key=True)
    feature_id: int = Field(foreign_key="features.id", primary_key=True)


class Variant(SQLModel, table=True):
    __tablename__ = "variants"

    id: int = Field(primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    price: Decimal = Field(sa_column=Column(Numeric(10, 2), nullable=False))
    in_stock: bool
    stock: int | None = None  # None: in stock, quantity unknown (imported catalogs only say yes/no)


class VariantAttribute(SQLModel, table=True):
    __tablename__ = "variant_attributes"

    id: int = Field(primary_key=True)
    variant_id: int = Field(foreign_key="variants.id", index=True)
    name: str  # color, size, storage, ...
    value: str


class Review(SQLModel, table=True):
    __tablename__ = "reviews"

    id: int = Field(primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    author: str
    text: str
    rating: int = Field(sa_column=Column(SmallInteger, nullable=False))
    review_date: date | None = None
    feature_id: int | None = Field(default=None, foreign_key="features.id")
    sentiment: str | None = None  # positive | negative | neutral
    embedding: list[float] | None = Field(default=None, sa_column=Column(Vector(EMBEDDING_DIM)))
    embedding_model: str | None = None
