"""Privacy services: consents per purpose, export of everything stored, and erasure.

Like the order services, these work in the caller's unit of work and write their audit entry
there. Erasure deletes the customer and every row about them, table by table so it can say
what it removed; the audit log is kept (it records that the erasure happened, and has no
foreign key to the customer).
"""

from datetime import datetime
from typing import Dict, List, Optional

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from customer_data import audit, schemas
from customer_data.models import (
    CONSENT_PURPOSES,
    Consent,
    Customer,
    Handoff,
    HandoffMessage,
    Identity,
    Interaction,
    Invoice,
    MergeCandidate,
    Order,
    OrderItem,
    OrderStatusEvent,
    Payment,
    Refund,
    SatisfactionRating,
    Segment,
    Ticket,
)
from customer_data.orders_service import require_customer

CUSTOMER_EXPORT_FIELDS = ("id", "name", "email", "phone", "country", "address", "tier")
CUSTOMER_EXPORT_TIMES = ("created_at", "updated_at")


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value is not None else None


def _all(session: Session, model, column, customer_id: str) -> list:
    statement = select(model).where(model.customer_id == customer_id).order_by(column.desc())
    return list(session.execute(statement).scalars())


def list_consents(session: Session, customer_id: str) -> List[schemas.ConsentOut]:
    """The customer's recorded consent decisions, by purpose."""
    require_customer(session, customer_id)
    statement = select(Consent).where(Consent.customer_id == customer_id).order_by(Consent.purpose)
    return [schemas.ConsentOut.from_orm(row) for row in session.execute(statement).scalars()]


def set_consent(
    session: Session,
    customer_id: str,
    purpose: str,
    update: schemas.ConsentUpdate,
    actor: str,
    now: datetime,
) -> schemas.ConsentOut:
    """Records the customer's decision for `purpose` (one of CONSENT_PURPOSES)."""
    if purpose not in CONSENT_PURPOSES:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    require_customer(session, customer_id)
    statement = select(Consent).where(
        Consent.customer_id == customer_id, Consent.purpose == purpose
    )
    consent = session.execute(statement).scalar_one_or_none()
    if consent is None:
        consent = Consent(customer_id=customer_id, purpose=purpose)
        session.add(consent)
    consent.granted = update.granted
    consent.source = update.source
    consent.at = now
    decision = "granted" if update.granted else "withdrawn"
    note = f"{decision} via {update.source}"
    audit.record_change(session, actor, audit.UPDATE_CONSENT, customer_id, purpose, note, now)
    return schemas.ConsentOut.from_orm(consent)


def export_customer(
    session: Session, customer_id: str, actor: str, now: datetime
) -> schemas.CustomerExport:
    """Everything stored about the customer (a data subject access request)."""
    customer = require_customer(session, customer_id)
    orders_statement = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .options(selectinload(Order.items), selectinload(Order.status_history))
        .order_by(Order.placed_at.desc())
    )
    orders = session.execute(orders_statement).scalars()
    customer_fields: Dict[str, Optional[str]] = {
        name: getattr(customer, name) for name in CUSTOMER_EXPORT_FIELDS
    }
    customer_fields.update({name: _iso(getattr(customer, name)) for name in CUSTOMER_EXPORT_TIMES})
    export = schemas.CustomerExport(
        customer=customer_fields,
        identities=[
            {"channel": i.channel, "external_id": i.external_id, "created_at": _iso(i.created_at)}
            for i in _all(session, Identity, Identity.created_at, customer_id)
        ],
        orders=[schemas.OrderOut.from_orm(order) for order in orders],
        refunds=_all(session, Refund, Refund.requested_at, customer_id),
        invoices=_all(session, Invoice, Invoice.issued_at, customer_id),
        payments=_all(session, Payment, Payment.at, customer_id),
        tickets=_all(session, Ticket, Ticket.opened_at, customer_id),
        consents=_all(session, Consent, Consent.at, customer_id),
        segments=[
            {
                "segment": s.segment,
                "model_version": s.model_version,
                "assigned_at": _iso(s.assigned_at),
            }
            for s in _all(session, Segment, Segment.assigned_at, customer_id)
        ],
        interactions=[
            {"channel": i.channel, "at": _iso(i.at), "intent": i.intent}
            for i in _all(session, Interaction, Interaction.at, customer_id)
        ],
    )
    audit.record_change(session, actor, audit.EXPORT, customer_id, None, None, now)
    return export


def erase_customer(
    session: Session, customer_id: str, actor: str, reason: Optional[str], now: datetime
) -> schemas.ErasureResult:
    """Deletes the customer and everything about them; returns rows removed per table."""
    require_customer(session, customer_id)
    order_ids = select(Order.id).where(Order.customer_id == customer_id)
    by_customer_or_order = {
        model: or_(model.customer_id == customer_id, model.order_id.in_(order_ids))
        for model in (Refund, Invoice, Payment)
    }
    # Children first, so the counts do not depend on the database cascading deletes.
    steps = [
        (OrderItem, OrderItem.order_id.in_(order_ids)),
        (OrderStatusEvent, OrderStatusEvent.order_id.in_(order_ids)),
        *by_customer_or_order.items(),
        (Order, Order.customer_id == customer_id),
        (Ticket, Ticket.customer_id == customer_id),
        (Interaction, Interaction.customer_id == customer_id),
        (Consent, Consent.customer_id == customer_id),
        (Segment, Segment.customer_id == customer_id),
        (
            HandoffMessage,
            HandoffMessage.handoff_id.in_(
                select(Handoff.id).where(Handoff.customer_id == customer_id)
            ),
        ),
        (Handoff, Handoff.customer_id == customer_id),
        (SatisfactionRating, SatisfactionRating.customer_id == customer_id),
        (Identity, Identity.customer_id == customer_id),
        (
            MergeCandidate,
            or_(
                MergeCandidate.customer_id_a == customer_id,
                MergeCandidate.customer_id_b == customer_id,
            ),
        ),
        (Customer, Customer.id == customer_id),
    ]
    erased: Dict[str, int] = {}
    for model, criterion in steps:
        statement = delete(model).where(criterion).execution_options(synchronize_session=False)
        erased[model.__tablename__] = session.execute(statement).rowcount
    session.expunge_all()
    audit.record_change(session, actor, audit.ERASE, customer_id, None, reason, now)
    return schemas.ErasureResult(customer_id=customer_id, erased=erased)
