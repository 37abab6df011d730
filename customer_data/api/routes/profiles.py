"""Profile reads: by customer id or by a channel's user id, cached and audited.

A cache hit returns the stored JSON bytes as they are (no model, no re-serialization): this is
the hottest path of the service. Every successful read, hit or miss, is written to the audit
log through the buffered writer.
"""

from enum import Enum
from typing import Optional

from fastapi import APIRouter, Header, Query, Request, Response
from typing_extensions import Annotated

from customer_data import audit, schemas
from customer_data.api.routes.common import (
    Client,
    CustomerId,
    audit_log,
    container_of,
    now,
    reading,
)
from customer_data.bootstrap import Container
from customer_data.cache import profile_key
from customer_data.models import IDENTITY_CHANNELS
from customer_data.orders_service import NotFound
from customer_data.profiles import build_profile, customer_id_for_identity

JSON = "application/json"
AUDIT_REASON_HEADER = "X-Audit-Reason"

router = APIRouter(tags=["profiles"])

Channel = Enum("Channel", {name: name for name in IDENTITY_CHANNELS}, type=str)  # type: ignore[misc]
AuditReason = Annotated[
    Optional[str],
    Header(
        alias=AUDIT_REASON_HEADER,
        max_length=200,
        description=f"Why the profile is read (audit log); default {audit.DEFAULT_READ_REASON}.",
    ),
]


def _profile_response(
    container: Container, customer_id: str, client: str, reason: Optional[str]
) -> Response:
    def load() -> Optional[bytes]:
        with reading(container) as session:
            profile = build_profile(session, customer_id, now(container))
        return profile.json().encode() if profile is not None else None

    body = container.profiles.get_or_load(profile_key(customer_id), load)
    if body is None:
        raise NotFound(f"no customer {customer_id}")
    audit_log(container).record(
        client,
        audit.READ_PROFILE,
        customer_id,
        "profile",
        (reason or "").strip() or audit.DEFAULT_READ_REASON,
    )
    return Response(content=body, media_type=JSON)


@router.get(
    "/customers/{customer_id}/profile",
    response_model=schemas.Profile,
    summary="A customer's profile",
)
def get_profile(
    request: Request,
    customer_id: CustomerId,
    client: Client,
    reason: AuditReason = None,
) -> Response:
    """Everything the assistant personalizes from (cached; every read is audited)."""
    return _profile_response(container_of(request), customer_id, client, reason)


@router.get(
    "/profiles/by-identity",
    response_model=schemas.Profile,
    summary="The profile of the customer known on a channel by a user id",
)
def get_profile_by_identity(
    request: Request,
    channel: Annotated[Channel, Query(description="The channel the user id belongs to.")],
    external_id: Annotated[str, Query(min_length=1, max_length=254, examples=["U0123ABC"])],
    client: Client,
    reason: AuditReason = None,
) -> Response:
    """The profile of the customer linked to `external_id` on `channel` (404 when none)."""
    container = container_of(request)
    with reading(container) as session:
        customer_id = customer_id_for_identity(session, channel.value, external_id)
    if customer_id is None:
        raise NotFound(f"no customer is linked to this {channel.value} id")
    return _profile_response(container, customer_id, client, reason)
