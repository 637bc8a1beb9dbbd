"""The ceiling `shop bench http` measures the shop against: FastAPI + SQLModel and nothing else (no
session, no security headers, no templates, no agents), one product list of 24 products from the
shop's own database, run by the same uvicorn. Whatever the shop adds costs the difference."""

from __future__ import annotations

from decimal import Decimal

from fastapi import FastAPI
from pydantic import BaseModel
from sqlmodel import Session, select

from agentic_shop.db.engine import get_engine
from agentic_shop.models import Product

app = FastAPI()


class Card(BaseModel):
    id: int
    name: str
    brand: str
    category: str
    price: Decimal
    rating_avg: float | None
    review_count: int


@app.get("/products", response_model=list[Card])
def products() -> list[Card]:
    columns = (Product.id, Product.name, Product.brand, Product.category, Product.price)
    rest = (Product.rating_avg, Product.review_count)
    with Session(get_engine()) as session:
        rows = session.exec(select(*columns, *rest).order_by(Product.id).limit(24)).all()
    return [Card.model_validate(row._mapping) for row in rows]
