from fastapi import APIRouter
from fastapi.responses import JSONResponse

from agentic_shop.deps import SessionDep
from agentic_shop.services.health import database_status, embedder_status

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(session: SessionDep) -> JSONResponse:
    """Database (reachable, migrated, pgvector) and embedder (model loads, right dimension)."""
    embedder = embedder_status()
    report = {"database": database_status(session, embedder.get("model")), "embedder": embedder}
    ok = all(part["ok"] for part in report.values())
    return JSONResponse({"status": "ok" if ok else "degraded", **report}, status_code=200 if ok else 503)
