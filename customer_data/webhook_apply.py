"""Applying validated CRM events to the database, exactly once.

`apply_event` writes the event's change, its `WebhookEvent` row and an audit entry in one
transaction, so a rejected event writes nothing and a second delivery of the same id is refused
as a replay.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from customer_data.audit import record_change
from customer_data.db import unit_of_work
from customer_data.models import (
    Consent,
    Customer,
    Order,
    OrderStatusEvent,
    Ticket,
    WebhookEvent,
)
from customer_data.webhook_events import (
    CONSENT_CHANGED,
    CRM_SOURCE,
    ORDER_STATUS_CHANGED,
    PROFILE_UPDATED,
    TICKET_UPDATED,
    EventEnvelope,
    EventModel,
    WebhookRejected,
)

WEBHOOK_ACTOR = "crm-webhook"  # audit log actor
# Tickets the CRM creates came in by e-mail unless the event names another channel.
DEFAULT_TICKET_CHANNEL = "email"
TICKET_CREATE_FIELDS = ("category", "subject")  # what a new ticket needs; the rest has defaults

# Error codes of applying (the API's own codes where the meaning is the same).
NOT_FOUND = "not_found"
REPLAYED_EVENT = "replayed_event"
CONFLICT = "conflict"


@dataclass
class _Change:
    """What an applied event touched, for the audit log and cache invalidation."""

    customer_id: str
    resource: str
    note: str


def _existing(session: Session, model: type, key: str, noun: str) -> Any:
    row = session.get(model, key)
    if row is None:
        raise WebhookRejected(404, NOT_FOUND, f"{noun} {key} does not exist")
    return row


def _apply_profile(session: Session, data: Any, occurred_at: datetime, now: datetime) -> _Change:
    customer = _existing(session, Customer, data.customer_id, "customer")
    changes = data.dict(exclude_unset=True, exclude={"customer_id"})
    if changes.get("email"):
        taken = select(Customer.id).where(
            Customer.email == changes["email"], Customer.id != customer.id
        )
        if session.execute(taken).first() is not None:
            raise WebhookRejected(409, CONFLICT, "another customer has this e-mail address")
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.updated_at = now
    return _Change(customer.id, customer.id, "changed " + ", ".join(sorted(changes)))


def _apply_order_status(
    session: Session, data: Any, occurred_at: datetime, now: datetime
) -> _Change:
    order = _existing(session, Order, data.order_id, "order")
    at = data.at or occurred_at
    latest = max((entry.at for entry in order.status_history), default=order.placed_at)
    order.updated_at = now
    if at < latest:
        # A late delivery of an older change: keep the history complete, not the status stale.
        order.status_history.append(OrderStatusEvent(status=data.status, at=at, source=CRM_SOURCE))
        return _Change(order.customer_id, order.id, f"{data.status} is older; history only")
    if data.delivery_estimate is not None:
        order.delivery_estimate = data.delivery_estimate
    if data.status == order.status:
        return _Change(order.customer_id, order.id, f"still {data.status}")
    order.status = data.status
    order.status_history.append(OrderStatusEvent(status=data.status, at=at, source=CRM_SOURCE))
    if data.status == "delivered":
        order.delivered_at = at
    return _Change(order.customer_id, order.id, f"now {data.status}")


def _apply_ticket(session: Session, data: Any, occurred_at: datetime, now: datetime) -> _Change:
    _existing(session, Customer, data.customer_id, "customer")
    changes = data.dict(exclude_unset=True, exclude={"ticket_id", "customer_id"})
    ticket = session.get(Ticket, data.ticket_id)
    if ticket is None:
        missing = [name for name in TICKET_CREATE_FIELDS if name not in changes]
        if missing:
            raise WebhookRejected(
                404,
                NOT_FOUND,
                f"ticket {data.ticket_id} does not exist, and the event lacks "
                f"{', '.join(missing)} to create it",
            )
        ticket = Ticket(
            id=data.ticket_id,
            customer_id=data.customer_id,
            channel=DEFAULT_TICKET_CHANNEL,
            status="open",
            opened_at=occurred_at,
        )
        session.add(ticket)
        note = "created"
    elif ticket.customer_id != data.customer_id:
        raise WebhookRejected(409, CONFLICT, f"ticket {ticket.id} belongs to another customer")
    else:
        note = "changed " + ", ".join(sorted(changes))
    for name, value in changes.items():
        setattr(ticket, name, value)
    if "resolved_at" not in changes:
        if ticket.status == "resolved" and ticket.resolved_at is None:
            ticket.resolved_at = occurred_at
        elif ticket.status != "resolved":
            ticket.resolved_at = None  # reopened
    ticket.updated_at = now
    return _Change(ticket.customer_id, ticket.id, note)


def _apply_consent(session: Session, data: Any, occurred_at: datetime, now: datetime) -> _Change:
    _existing(session, Customer, data.customer_id, "customer")
    current = session.execute(
        select(Consent).where(
            Consent.customer_id == data.customer_id, Consent.purpose == data.purpose
        )
    ).scalar_one_or_none()
    decision = "granted" if data.granted else "withdrawn"
    resource = f"consent:{data.purpose}"
    if current is not None and current.at > occurred_at:
        return _Change(data.customer_id, resource, f"{decision} is older than the current decision")
    if current is None:
        current = Consent(customer_id=data.customer_id, purpose=data.purpose)
        session.add(current)
    current.granted, current.at, current.source = data.granted, occurred_at, data.source
    return _Change(data.customer_id, resource, decision)


_APPLIERS: Dict[str, Callable[[Session, Any, datetime, datetime], _Change]] = {
    PROFILE_UPDATED: _apply_profile,
    ORDER_STATUS_CHANGED: _apply_order_status,
    TICKET_UPDATED: _apply_ticket,
    CONSENT_CHANGED: _apply_consent,
}


def _refuse_replay(session: Session, event_id: str) -> None:
    seen = session.get(WebhookEvent, event_id)
    if seen is not None:
        raise WebhookRejected(
            409,
            REPLAYED_EVENT,
            f"event {event_id} was already processed at {seen.received_at.isoformat()}Z",
        )


def apply_event(session_factory: sessionmaker, envelope: EventEnvelope, payload: EventModel) -> str:
    """Applies the event and records it in one transaction; returns the affected customer id."""
    now = datetime.utcnow()
    try:
        with unit_of_work(session_factory) as session:
            _refuse_replay(session, envelope.id)
            session.add(
                WebhookEvent(event_id=envelope.id, event_type=envelope.type, received_at=now)
            )
            change = _APPLIERS[envelope.type](session, payload, envelope.occurred_at, now)
            record_change(
                session,
                WEBHOOK_ACTOR,
                envelope.type,
                change.customer_id,
                resource=change.resource,
                reason=f"CRM event {envelope.id}: {change.note}",
                now=now,
            )
    except IntegrityError as error:
        # Most likely a concurrent delivery of the same event committed first.
        with unit_of_work(session_factory) as session:
            _refuse_replay(session, envelope.id)
        raise WebhookRejected(409, CONFLICT, "the event conflicts with stored data") from error
    return change.customer_id
