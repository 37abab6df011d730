"""The FastAPI application: routes, authentication, rate limiting, errors, audit lifecycle.

`create_app(container)` wires an already-built container (tests pass one over a temporary
database); without one it bootstraps from the environment. The audit log's background writer
runs for the application's lifetime and flushes what is left on shutdown.
"""

from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

from fastapi import APIRouter, Depends, FastAPI

from customer_data.api.auth import TokenAuthenticator
from customer_data.api.errors import ERROR_RESPONSES, install_error_handlers
from customer_data.api.rate_limit import TokenBucketLimiter, rate_limited_client
from customer_data.api.routes import account, handoffs, health, orders, profiles, satisfaction
from customer_data.api.routes.common import AUDIT_LOG, RATE_LIMITER, audit_log
from customer_data.audit import AuditLog
from customer_data.bootstrap import Container, bootstrap
from customer_data.desk import install as install_pages
from customer_data.webhooks import router as webhooks_router

TITLE = "Brightcart customer data service"
VERSION = "1.0.0"
API_PREFIX = "/api"
DESCRIPTION = """
Customer profiles, orders, refunds, invoices, payments, tickets and consents for the Brightcart
support assistant.

* Every `/api` call needs `Authorization: Bearer <token>` (tokens: `CUSTOMER_DATA_API_TOKENS`)
  and is rate limited per client (429 with `Retry-After`).
* Profiles are cached; every profile read is written to the audit log (`X-Audit-Reason`).
* Errors are JSON: `{"error": code, "message": ..., "details": [...]}`; business rules that
  refuse a change answer 409 with the reason.
* `/webhooks/crm` takes HMAC-signed CRM events; `/health` needs no token.
"""


def _api_router() -> APIRouter:
    api = APIRouter(
        prefix=API_PREFIX,
        dependencies=[Depends(rate_limited_client)],
        responses=ERROR_RESPONSES,
    )
    for module in (profiles, orders, account, handoffs, satisfaction):
        api.include_router(module.router)
    return api


def create_app(container: Optional[Container] = None) -> FastAPI:
    """The API over `container` (default: bootstrapped from the environment)."""
    container = container or bootstrap()
    container.extras.setdefault(AUDIT_LOG, AuditLog(container.session_factory))
    limiter = container.extras.setdefault(
        RATE_LIMITER, TokenBucketLimiter(container.settings.rate_limit_per_minute)
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        audit_log(container).start()
        try:
            yield
        finally:
            audit_log(container).stop()

    app = FastAPI(title=TITLE, description=DESCRIPTION, version=VERSION, lifespan=lifespan)
    app.state.container = container
    app.state.authenticator = TokenAuthenticator.from_settings(container.settings)
    app.state.rate_limiter = limiter
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(_api_router())
    app.include_router(webhooks_router)
    install_pages(app, container.settings)
    return app
