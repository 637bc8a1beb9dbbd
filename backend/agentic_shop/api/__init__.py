"""The JSON API under /api/v1 (OpenAPI docs at /docs)."""

from fastapi import APIRouter

from agentic_shop.api import agents, memories, products, session, shoppers
from agentic_shop.api.responses import EVERY_OPERATION, NOT_FOUND, SHOPPER_OPERATION

router = APIRouter(prefix="/api/v1", responses=EVERY_OPERATION)
router.include_router(products.router)
router.include_router(shoppers.router)
router.include_router(session.router)
router.include_router(memories.router, responses=SHOPPER_OPERATION | NOT_FOUND)
router.include_router(agents.router, responses=SHOPPER_OPERATION | NOT_FOUND)
