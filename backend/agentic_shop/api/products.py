from fastapi import APIRouter

from agentic_shop.api.responses import NOT_FOUND
from agentic_shop.deps import EmbedderDep, SessionDep, SettingsDep
from agentic_shop.params import (
    CategoryParam,
    PageParam,
    PageSizeParam,
    ProductIdParam,
    SearchParam,
    clean_query,
)
from agentic_shop.schemas import Category, Page, ProductCard, ProductDetail, Review
from agentic_shop.services import catalog

router = APIRouter(tags=["catalog"])


@router.get("/products", response_model=Page[ProductCard])
def list_products(
    session: SessionDep,
    embedder: EmbedderDep,
    settings: SettingsDep,
    q: SearchParam = None,
    category: CategoryParam = None,
    page: PageParam = 1,
    page_size: PageSizeParam = 24,
) -> Page[ProductCard]:
    """Browse the catalog (most reviewed first), or search it by meaning when `q` is given."""
    return catalog.browse(
        session, embedder, clean_query(q), category, page, page_size, settings.search_max_results
    )


@router.get("/products/{product_id}", response_model=ProductDetail, responses=NOT_FOUND)
def get_product(session: SessionDep, product_id: ProductIdParam) -> ProductDetail:
    return catalog.get_product(session, product_id)


@router.get("/products/{product_id}/reviews", response_model=Page[Review], responses=NOT_FOUND)
def list_reviews(
    session: SessionDep, product_id: ProductIdParam, page: PageParam = 1, page_size: PageSizeParam = 10
) -> Page[Review]:
    """A product's reviews, newest first."""
    return catalog.list_reviews(session, product_id, page, page_size)


@router.get("/categories", response_model=list[Category])
def list_categories(session: SessionDep) -> list[Category]:
    return catalog.list_categories(session)
