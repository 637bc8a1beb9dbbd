"""The JSON API under /api/v1 (OpenAPI docs at /docs)."""

from fastapi import APIRouter

from agentic_shop.api import agents, memories, products, session, shoppers

router = APIRouter(prefix="/api/v1")
router.include_router(products.router)
router.include_router(shoppers.router)
router.include_router(session.router)
router.include_router(memories.router)
router.include_router(agents.router)
