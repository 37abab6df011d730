"""Account services for the chat: open a support ticket, change the e-mail address or phone number.

Like the order services, these work in the caller's unit of work (they never commit) and write
their audit entry there. Audit entries name what changed, never the new e-mail address or phone
number: the audit log outlives erasure and must not keep personal data.
"""

import secrets
from datetime import datetime
from typing import List, Optional

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from customer_data import audit, schemas
from customer_data.ingest.phones import PhoneNumberError, to_e164
from customer_data.models import Customer, Identity, Ticket
from customer_data.orders_service import RuleViolation, ServiceError, require_customer

# Audit actions, named once (the `action` column).
CREATE_TICKET = "create_ticket"
UPDATE_CONTACT_DETAILS = "update_contact_details"

OPEN = "open"
TICKET_ID_PREFIX = "T-"
TICKET_ID_DIGITS = 7
EMAIL_CHANNEL = "email"
PHONE_CHANNEL = "phone"
EMAIL_TAKEN = "this e-mail address belongs to another account"


class InvalidContactDetails(ServiceError):
    """A contact detail can't be stored; `field` names it (the API answers 422)."""

    def __init__(self, field: str, message: str) -> None:
        """The body field at fault and why."""
        super().__init__(message)
        self.field = field
        self.message = message


def _new_ticket_id(session: Session) -> str:
    while True:
        number = secrets.randbelow(10**TICKET_ID_DIGITS)
        candidate = f"{TICKET_ID_PREFIX}{number:0{TICKET_ID_DIGITS}d}"
        if session.get(Ticket, candidate) is None:
            return candidate


def create_ticket(
    session: Session,
    customer_id: str,
    request: schemas.TicketCreate,
    actor: str,
    now: datetime,
) -> schemas.TicketOut:
    """Opens a ticket for the customer; raises `NotFound` for an unknown customer."""
    require_customer(session, customer_id)
    ticket = Ticket(
        id=_new_ticket_id(session),
        customer_id=customer_id,
        category=request.category,
        channel=request.channel,
        subject=request.subject,
        status=OPEN,
        opened_at=now,
        updated_at=now,
    )
    session.add(ticket)
    audit.record_change(
        session, actor, CREATE_TICKET, customer_id, ticket.id, f"{request.category} via chat", now
    )
    session.flush()
    return schemas.TicketOut.from_orm(ticket)


def _email_owner(session: Session, email: str) -> Optional[str]:
    """The customer with `email` as master e-mail or e-mail identity, if any."""
    by_master = select(Customer.id).where(Customer.email == email)
    owner = session.execute(by_master).scalars().first()
    if owner is not None:
        return owner
    by_identity = select(Identity.customer_id).where(
        Identity.channel == EMAIL_CHANNEL, Identity.external_id == email
    )
    return session.execute(by_identity).scalars().first()


def _relink_identity(
    session: Session, customer_id: str, channel: str, old: Optional[str], new: str, now: datetime
) -> None:
    """Moves the customer's identity on `channel` from the old value to the new one.

    The old value no longer finds the customer; the new one does, unless it already is an
    identity (for a phone number possibly someone else's: households share numbers; the first
    owner keeps it, as in the CRM ingest).
    """
    if old is not None and old != new:
        session.execute(
            delete(Identity)
            .where(
                Identity.customer_id == customer_id,
                Identity.channel == channel,
                Identity.external_id == old,
            )
            .execution_options(synchronize_session="fetch")
        )
    known = select(Identity.id).where(Identity.channel == channel, Identity.external_id == new)
    if session.execute(known).first() is None:
        session.add(
            Identity(customer_id=customer_id, channel=channel, external_id=new, created_at=now)
        )


def update_contact_details(
    session: Session,
    customer_id: str,
    update: schemas.ContactDetailsUpdate,
    actor: str,
    now: datetime,
) -> schemas.ContactDetailsOut:
    """Sets a new e-mail address and/or phone number.

    The customer's e-mail and phone identities follow, so a lookup by the new address (in-chat
    verification) finds them and one by the old address no longer does.

    Raises:
        NotFound: Unknown customer.
        RuleViolation: The e-mail address belongs to another customer.
        InvalidContactDetails: The phone number can't be read in the customer's country.

    """
    customer = require_customer(session, customer_id)
    changed: List[str] = []
    if update.email is not None and update.email != customer.email:
        if _email_owner(session, update.email) not in (None, customer_id):
            raise RuleViolation(EMAIL_TAKEN)
        _relink_identity(session, customer_id, EMAIL_CHANNEL, customer.email, update.email, now)
        customer.email = update.email
        changed.append("email")
    if update.phone is not None:
        try:
            phone = to_e164(update.phone, customer.country)
        except PhoneNumberError as error:
            raise InvalidContactDetails("phone", str(error)) from error
        if phone != customer.phone:
            _relink_identity(session, customer_id, PHONE_CHANNEL, customer.phone, phone, now)
            customer.phone = phone
            changed.append("phone")
    if changed:
        customer.updated_at = now
        audit.record_change(
            session, actor, UPDATE_CONTACT_DETAILS, customer_id, ",".join(changed), None, now
        )
        try:
            session.flush()
        except IntegrityError as error:  # another request took the address a moment ago
            raise RuleViolation(EMAIL_TAKEN) from error
    return schemas.ContactDetailsOut(
        customer_id=customer.id, email=customer.email, phone=customer.phone
    )
