"""The customer web page with the chat widget, and in development its "Sign in as" helpers.

The page lives in `webchat/` at the repository root; only the files named here are served (never
`node_modules/` or `package.json`), plus the widget's browser bundle from the npm package that
`npm ci` installed. `/webchat/config.json` tells the page where Rasa's socket.io is.

With `DEV_MODE=1` (what `make run` sets) the service also lists demo customers and signs tokens
for them at `/dev/customers` and `/dev/token`, standing in for the shop's back end, which signs a
token for its logged-in customer in production. Without it those routes don't exist.
"""

from collections import defaultdict
from pathlib import Path
from typing import Dict, List

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from sqlalchemy import select

from actions.identity import issue_customer_token
from customer_data.api.routes.common import container_of, reading
from customer_data.models import Customer, Segment

WEBCHAT_DIR = Path(__file__).resolve().parents[2] / "webchat"
PAGE_PREFIX = "/webchat"
# URL path under /webchat/ -> file under webchat/.
PAGE_FILES = {
    "": "index.html",
    "index.html": "index.html",
    "webchat.js": "webchat.js",
    "webchat.css": "webchat.css",
    "handoff_markers.json": "handoff_markers.json",
    "vendor/rasa-webchat.js": "node_modules/rasa-webchat/lib/index.js",
}
CUSTOMER_ID_PATTERN = r"^C\d{7}$"
DEMO_CUSTOMERS_PER_SEGMENT = 3
MAX_DEMO_CUSTOMERS = 500  # how many customers the selector looks at (by id)

page_router = APIRouter(tags=["web page"], include_in_schema=False)
dev_router = APIRouter(prefix="/dev", tags=["development"])


@page_router.get(PAGE_PREFIX)
def page_root() -> RedirectResponse:
    """The page's files are relative to `/webchat/`."""
    return RedirectResponse(f"{PAGE_PREFIX}/")


@page_router.get(PAGE_PREFIX + "/config.json")
def page_config(request: Request) -> JSONResponse:
    """Where the widget connects, and whether the development sign-in is available."""
    settings = container_of(request).settings
    return JSONResponse(
        {"socketUrl": settings.webchat_socket_url, "devMode": settings.dev_mode},
        headers={"Cache-Control": "no-store"},
    )


@page_router.get(PAGE_PREFIX + "/{path:path}")
def page_file(path: str) -> FileResponse:
    """One of the page's files; 404 for anything else, 503 if `npm ci` has not run."""
    name = PAGE_FILES.get(path)
    if name is None:
        raise HTTPException(404, "not a file of the web page")
    file = WEBCHAT_DIR / name
    if not file.is_file():
        raise HTTPException(503, f"{name} is missing: run `npm ci` in webchat/ (make run does)")
    return FileResponse(file, headers={"Cache-Control": "no-cache"})


@dev_router.get("/customers")
def demo_customers(request: Request) -> List[Dict[str, str]]:
    """A few customers of each segment for the page's "Sign in as" selector."""
    container = container_of(request)
    with reading(container) as session:
        customers = session.execute(
            select(Customer.id, Customer.name, Customer.tier)
            .order_by(Customer.id)
            .limit(MAX_DEMO_CUSTOMERS)
        ).all()
        ids = [row.id for row in customers]
        latest: Dict[str, str] = {}
        rows = session.execute(
            select(Segment.customer_id, Segment.segment)
            .where(Segment.customer_id.in_(ids))
            .order_by(Segment.assigned_at, Segment.id)
        )
        for customer_id, segment in rows:
            latest[customer_id] = segment
    chosen, per_segment = [], defaultdict(int)
    for row in customers:
        segment = latest.get(row.id, "unsegmented")
        if per_segment[segment] < DEMO_CUSTOMERS_PER_SEGMENT:
            per_segment[segment] += 1
            chosen.append(
                {"customer_id": row.id, "name": row.name, "tier": row.tier, "segment": segment}
            )
    return chosen


@dev_router.get("/token")
def dev_token(
    request: Request, customer_id: str = Query(..., pattern=CUSTOMER_ID_PATTERN)
) -> JSONResponse:
    """A signed customer token, as the shop's back end would issue it for its page."""
    container = container_of(request)
    secret = container.settings.web_token_secret
    if not secret:
        raise HTTPException(503, "WEB_TOKEN_SECRET is not set")
    with reading(container) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise HTTPException(404, f"no customer {customer_id}")
        name = customer.name
    token = issue_customer_token(customer_id, secret)
    return JSONResponse(
        {"customer_id": customer_id, "name": name, "token": token},
        headers={"Cache-Control": "no-store"},
    )
