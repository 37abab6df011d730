"""Account and privacy: consents, linked identities, contact details, tickets, export, erasure."""

from enum import Enum
from typing import List, Optional

from fastapi import APIRouter, Header, Path, Request
from typing_extensions import Annotated

from customer_data import account_service, privacy, schemas
from customer_data.api.errors import invalid_field
from customer_data.api.routes.common import (
    Client,
    CustomerId,
    changing,
    container_of,
    now,
    reading,
)
from customer_data.models import CONSENT_PURPOSES, IDENTITY_CHANNELS
from customer_data.profiles import link_identity

ERASURE_REASON_HEADER = "X-Audit-Reason"

router = APIRouter(tags=["account"])

Purpose = Enum("Purpose", {name: name for name in CONSENT_PURPOSES}, type=str)  # type: ignore[misc]


@router.get("/customers/{customer_id}/consents", response_model=List[schemas.ConsentOut])
def list_consents(request: Request, customer_id: CustomerId) -> List[schemas.ConsentOut]:
    """The customer's recorded consent decisions (purposes never decided are not granted)."""
    with reading(container_of(request)) as session:
        return privacy.list_consents(session, customer_id)


@router.put("/customers/{customer_id}/consents/{purpose}", response_model=schemas.ConsentOut)
def set_consent(
    request: Request,
    customer_id: CustomerId,
    body: schemas.ConsentUpdate,
    purpose: Annotated[Purpose, Path(description="What the consent is for.")],
    client: Client,
) -> schemas.ConsentOut:
    """Grants or withdraws consent for one purpose."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return privacy.set_consent(
            session, customer_id, purpose.value, body, client, now(container)
        )


@router.post(
    "/customers/{customer_id}/identities", response_model=schemas.IdentityLink, status_code=201
)
def add_identity(
    request: Request,
    customer_id: CustomerId,
    body: schemas.IdentityLink,
    client: Client,
) -> schemas.IdentityLink:
    """Links a channel's user id to the customer (idempotent; 409 if it is someone else's)."""
    if body.channel not in IDENTITY_CHANNELS:
        raise invalid_field(
            ["body", "channel"], f"channel must be one of: {', '.join(IDENTITY_CHANNELS)}"
        )
    container = container_of(request)
    with changing(container, customer_id) as session:
        return link_identity(session, customer_id, body, client, now(container))


@router.get("/customers/{customer_id}/export", response_model=schemas.CustomerExport)
def export_customer(
    request: Request, customer_id: CustomerId, client: Client
) -> schemas.CustomerExport:
    """Everything stored about the customer (data subject access request; audited)."""
    container = container_of(request)
    with reading(container) as session:
        return privacy.export_customer(session, customer_id, client, now(container))


@router.delete("/customers/{customer_id}", response_model=schemas.ErasureResult)
def erase_customer(
    request: Request,
    customer_id: CustomerId,
    client: Client,
    reason: Annotated[Optional[str], Header(alias=ERASURE_REASON_HEADER, max_length=200)] = None,
) -> schemas.ErasureResult:
    """Erases the customer and everything about them; the audit log keeps the record of it."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return privacy.erase_customer(
            session, customer_id, client, reason or "erasure request", now(container)
        )


@router.post("/customers/{customer_id}/tickets", response_model=schemas.TicketOut, status_code=201)
def create_ticket(
    request: Request,
    customer_id: CustomerId,
    body: schemas.TicketCreate,
    client: Client,
) -> schemas.TicketOut:
    """Opens a support ticket (a complaint or review from the chat; audited)."""
    container = container_of(request)
    with changing(container, customer_id) as session:
        return account_service.create_ticket(session, customer_id, body, client, now(container))


@router.patch("/customers/{customer_id}", response_model=schemas.ContactDetailsOut)
def update_contact_details(
    request: Request,
    customer_id: CustomerId,
    body: schemas.ContactDetailsUpdate,
    client: Client,
) -> schemas.ContactDetailsOut:
    """Changes the e-mail address and/or phone number (409 if the e-mail is someone else's)."""
    container = container_of(request)
    try:
        with changing(container, customer_id) as session:
            return account_service.update_contact_details(
                session, customer_id, body, client, now(container)
            )
    except account_service.InvalidContactDetails as error:
        raise invalid_field(["body", error.field], error.message) from error
