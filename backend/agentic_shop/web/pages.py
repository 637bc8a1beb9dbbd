"""HTML pages. Thin: they call the same services as the JSON API and render templates.

htmx requests (HX-Request header) get only the block that changes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from sqlmodel import Session

from agentic_shop.deps import EmbedderDep, SessionDep, SettingsDep, session_shopper, switch_shopper
from agentic_shop.params import (
    MAX_ID,
    CategoryParam,
    PageParam,
    ProductIdParam,
    SearchParam,
    clean_query,
)
from agentic_shop.schemas import Page, ProductCard
from agentic_shop.services import catalog
from agentic_shop.services.catalog_cache import kept
from agentic_shop.services.shoppers import get_shopper, list_shoppers
from agentic_shop.web.templating import get_templates, is_htmx

router = APIRouter(include_in_schema=False)
CATALOG_PAGE_SIZE = 24
REVIEWS_PAGE_SIZE = 8


@router.get("/", response_class=HTMLResponse)
def catalog_page(
    request: Request,
    session: SessionDep,
    embedder: EmbedderDep,
    settings: SettingsDep,
    q: SearchParam = None,
    category: CategoryParam = None,
    page: PageParam = 1,
):
    query = clean_query(q)
    if query:
        found = catalog.browse(
            session, embedder, query, category, page, CATALOG_PAGE_SIZE, settings.search_max_results
        )
        results_html = _results_html(found, query, category)
    else:
        results_html = _listing_html(session, category, page)
    context = {
        "shopper": session_shopper(request, session, alone=True),  # the rest is kept
        "results_html": results_html,
        "q": query or "",
        "category": category,
        "categories": catalog.list_categories(session),
        "live_search": True,
    }
    block = "results" if is_htmx(request) else None
    return get_templates().TemplateResponse(request, "catalog.html", context, block_name=block)


def _results_html(results: Page[ProductCard], query: str | None, category: str | None) -> Markup:
    template = get_templates().get_template("_results.html")
    return Markup(template.render(results=results, q=query or "", category=category))


@kept
def _listing_html(session: Session, category: str | None, page: int) -> Markup:
    """A page of the catalog as HTML, kept like the catalog read it shows (services/catalog_cache.py):
    its 24 cards are most of a catalog page's rendering."""
    results = catalog.list_products(session, category, page, CATALOG_PAGE_SIZE)
    return _results_html(results, None, category)


@kept
def _product_body_html(session: Session, product_id: int) -> Markup:
    """A product page without its header: the product and its first reviews, kept like the catalog
    reads it shows (the agents' parts are fragments of their own, per shopper)."""
    product = catalog.get_product(session, product_id)
    reviews = catalog.list_reviews(session, product_id, 1, REVIEWS_PAGE_SIZE)
    template = get_templates().get_template("_product_body.html")
    return Markup(template.render(product=product, reviews=reviews))


@router.get("/products/{product_id}", response_class=HTMLResponse)
def product_page(request: Request, session: SessionDep, product_id: ProductIdParam):
    context = {
        "shopper": session_shopper(request, session, alone=True),  # the rest is kept
        "product": catalog.get_product(session, product_id),
        "body_html": _product_body_html(session, product_id),
    }
    return get_templates().TemplateResponse(request, "product.html", context)


@router.get("/products/{product_id}/reviews", response_class=HTMLResponse)
def reviews_fragment(request: Request, session: SessionDep, product_id: ProductIdParam, page: PageParam = 1):
    reviews = catalog.list_reviews(session, product_id, page, REVIEWS_PAGE_SIZE)
    context = {"product_id": product_id, "reviews": reviews}
    return get_templates().TemplateResponse(request, "_reviews.html", context)


@router.get("/shoppers", response_class=HTMLResponse)
def shopper_picker(request: Request, session: SessionDep):
    context = {"shopper": session_shopper(request, session), "shoppers": list_shoppers(session)}
    return get_templates().TemplateResponse(request, "shoppers.html", context)


@router.post("/shoppers/select")
def select_shopper(request: Request, session: SessionDep, user_id: Annotated[int, Form(ge=1, le=MAX_ID)]):
    if get_shopper(session, user_id) is None:
        raise HTTPException(status_code=404, detail=f"Shopper {user_id} not found")
    # The session cookie's server-side sign-in is the only place the current shopper comes from.
    switch_shopper(request, session, user_id)
    return RedirectResponse("/", status_code=303)


@router.post("/shoppers/leave")
def leave_shopper(request: Request, session: SessionDep):
    switch_shopper(request, session, None)
    return RedirectResponse("/shoppers", status_code=303)
