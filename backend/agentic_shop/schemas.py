"""Shapes the services return; the JSON API and the HTML pages both render these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from math import ceil
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, computed_field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Matching items across all pages.")
    page: int
    page_size: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.page_size))


class ProductCard(BaseModel):
    id: int
    name: str
    category: str
    brand: str
    price: Decimal
    rating_avg: float | None
    review_count: int
    image_url: str | None
    in_stock: bool
    score: float | None = Field(
        default=None,
        description="Search relevance, 0..1 (1: first by meaning and by keywords); searches only.",
    )


class Variant(BaseModel):
    id: int
    price: Decimal
    in_stock: bool
    stock: int | None = Field(description="Units left; null when the catalog only says in or out of stock.")
    attributes: dict[str, str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def stock_label(self) -> str:
        if not self.in_stock:
            return "Out of stock"
        if self.stock is None:
            return "In stock"
        return f"Only {self.stock} left" if self.stock <= 3 else f"{self.stock} in stock"


class Review(BaseModel):
    id: int
    author: str
    text: str
    rating: int
    review_date: date | None
    feature: str | None
    sentiment: str | None


class ProductDetail(BaseModel):
    id: int
    name: str
    category: str
    brand: str
    price: Decimal
    description_html: str
    specifications: dict[str, Any]
    rating_avg: float | None
    review_count: int
    rating_histogram: dict[int, int]
    images: list[str]
    features: list[str]
    variants: list[Variant]


class Category(BaseModel):
    name: str
    product_count: int


class Shopper(BaseModel):
    id: int
    name: str
    first_name: str
    city: str | None
    age: int | None
    gender: str | None
    avatar_url: str | None
    hobbies: list[str]
    lifestyle: list[str]
