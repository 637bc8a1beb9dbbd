from fastapi import APIRouter

from agentic_shop.deps import SessionDep
from agentic_shop.schemas import Shopper
from agentic_shop.services.shoppers import list_shoppers

router = APIRouter(tags=["shoppers"])


@router.get("/users", response_model=list[Shopper])
def list_users(session: SessionDep) -> list[Shopper]:
    """The shopper personas you can browse as."""
    return list_shoppers(session)
