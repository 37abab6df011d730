"""Liveness and readiness for load balancers and `make run` (no authentication)."""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from customer_data.api.routes.common import container_of
from customer_data.cache import InMemoryTTLCache

logger = logging.getLogger(__name__)

OK = "ok"
DEGRADED = "degraded"
ERROR = "error"
MEMORY_CACHE = "memory"
REDIS_CACHE = "redis"

router = APIRouter(tags=["health"])


class HealthOut(BaseModel):
    """Whether the service and its database answer, and which cache it uses."""

    status: str  # ok | degraded (the database does not answer)
    database: str  # ok | error
    cache: str  # memory | redis


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(request: Request) -> JSONResponse:
    """200 when the database answers, 503 when it does not."""
    container = container_of(request)
    try:
        with container.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = OK
    except SQLAlchemyError as error:
        logger.warning("Health check: the database does not answer: %s", error)
        database = ERROR
    cache = MEMORY_CACHE if isinstance(container.profiles.cache, InMemoryTTLCache) else REDIS_CACHE
    body = HealthOut(status=OK if database == OK else DEGRADED, database=database, cache=cache)
    return JSONResponse(body.dict(), status_code=200 if database == OK else 503)
