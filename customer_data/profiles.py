"""Customer profiles and the customer's record lists, read in few, indexed queries.

`build_profile` answers a cache miss, so it stays at eight prepared queries, each by customer
id: the customer with latest segment and preferred channel, order aggregates, open plus latest
order, refunds, invoices, failed payments, tickets, consents. Identities map a channel's user id
to a customer (`customer_id_for_identity`, `link_identity`).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Dict, Optional, Tuple

from sqlalchemy import DateTime, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from customer_data import audit, schemas
from customer_data.models import (
    CONSENT_PURPOSES,
    Consent,
    Customer,
    Identity,
    Interaction,
    Invoice,
    Order,
    Payment,
    Refund,
    Segment,
    Ticket,
)
from customer_data.orders_service import RuleViolation, require_customer

OPEN_ORDER_STATUSES = ("pending", "processing", "shipped")
SPEND_ORDER_STATUSES = OPEN_ORDER_STATUSES + ("delivered",)
OPEN_TICKET_STATUSES = ("open", "pending")
FAILED_PAYMENT = "failed"
RECENT_LIMIT = 5
# Open and recent tickets read for a profile; far above any real customer's count.
MAX_PROFILE_TICKETS = 1000
FAILED_PAYMENTS_WINDOW = timedelta(days=30)
TICKETS_WINDOW = timedelta(days=90)
EMAIL_CHANNEL = "email"
CENT = Decimal("0.01")

# The record lists a customer has, by API name: model and its "newest first" column.
RECORD_KINDS = {
    "refunds": (Refund, Refund.requested_at, schemas.RefundOut),
    "invoices": (Invoice, Invoice.issued_at, schemas.InvoiceOut),
    "payments": (Payment, Payment.at, schemas.PaymentOut),
    "tickets": (Ticket, Ticket.opened_at, schemas.TicketOut),
}


# The profile's queries are built once, with bound parameters: SQLAlchemy then reuses their
# compiled form and cache key, which is most of the cost of a small query. They select table
# columns (rows, not ORM objects) for the same reason.
_CUSTOMER_ID = bindparam("customer_id")
_customers, _orders, _segments = Customer.__table__, Order.__table__, Segment.__table__
_interactions, _consents = Interaction.__table__, Consent.__table__
_NEWEST_ORDER_FIRST = (_orders.c.placed_at.desc(), _orders.c.id.desc())

_LATEST_SEGMENT = (
    select(_segments.c.id)
    .where(_segments.c.customer_id == _CUSTOMER_ID)
    .order_by(_segments.c.assigned_at.desc(), _segments.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_PREFERRED_CHANNEL = (
    select(_interactions.c.channel)
    .where(_interactions.c.customer_id == _CUSTOMER_ID)
    .group_by(_interactions.c.channel)
    .order_by(func.count().desc(), func.max(_interactions.c.at).desc())
    .limit(1)
    .scalar_subquery()
)
CUSTOMER_QUERY = (
    select(
        _customers,
        _segments.c.segment,
        _segments.c.model_version.label("segment_model_version"),
        _PREFERRED_CHANNEL.label("preferred_channel"),
    )
    .outerjoin(_segments, _segments.c.id == _LATEST_SEGMENT)
    .where(_customers.c.id == _CUSTOMER_ID)
)
_IS_SPEND = _orders.c.status.in_(SPEND_ORDER_STATUSES)
ORDER_TOTALS_QUERY = (
    select(
        _orders.c.currency,
        func.count().label("orders"),
        func.sum(case((_IS_SPEND, 1), else_=0)).label("spend_orders"),
        func.sum(case((_IS_SPEND, _orders.c.total_amount), else_=0)).label("spend"),
    )
    .where(_orders.c.customer_id == _CUSTOMER_ID)
    .group_by(_orders.c.currency)
)
# Open orders plus the newest order of any status, newest first.
OPEN_AND_LAST_ORDERS_QUERY = (
    select(_orders)
    .where(_orders.c.customer_id == _CUSTOMER_ID)
    .where(
        or_(
            _orders.c.status.in_(OPEN_ORDER_STATUSES),
            _orders.c.id
            == select(_orders.c.id)
            .where(_orders.c.customer_id == _CUSTOMER_ID)
            .order_by(*_NEWEST_ORDER_FIRST)
            .limit(1)
            .scalar_subquery(),
        )
    )
    .order_by(*_NEWEST_ORDER_FIRST)
)


def _newest_query(model, column, limit: int, *criteria):
    table = model.__table__
    return (
        select(table)
        .where(table.c.customer_id == _CUSTOMER_ID, *criteria)
        .order_by(column.desc(), table.c.id.desc())
        .limit(limit)
    )


REFUNDS_QUERY = _newest_query(Refund, Refund.requested_at, RECENT_LIMIT)
INVOICES_QUERY = _newest_query(Invoice, Invoice.issued_at, RECENT_LIMIT)
FAILED_PAYMENTS_QUERY = _newest_query(
    Payment, Payment.at, RECENT_LIMIT,
    Payment.status == FAILED_PAYMENT, Payment.at >= bindparam("failed_since", type_=DateTime),
)  # fmt: skip
TICKETS_QUERY = _newest_query(
    Ticket, Ticket.opened_at, MAX_PROFILE_TICKETS,
    or_(
        Ticket.status.in_(OPEN_TICKET_STATUSES),
        Ticket.opened_at >= bindparam("tickets_since", type_=DateTime),
    ),
)  # fmt: skip
CONSENTS_QUERY = select(_consents.c.purpose, _consents.c.granted).where(
    _consents.c.customer_id == _CUSTOMER_ID
)

# Runs before every by-identity profile read, cache hit or not.
IDENTITY_QUERY = select(Identity.__table__.c.customer_id).where(
    Identity.__table__.c.channel == bindparam("channel"),
    Identity.__table__.c.external_id == bindparam("external_id"),
)
# A customer's own e-mail address and phone number identify them too, without an identities row.
MASTER_CONTACT_QUERIES = {
    "email": select(Customer.__table__.c.id).where(
        Customer.__table__.c.email == bindparam("external_id")
    ),
    "phone": select(Customer.__table__.c.id).where(
        Customer.__table__.c.phone == bindparam("external_id")
    ),
}


def _order_totals(session: Session, params: dict) -> Tuple[int, Decimal, Optional[str]]:
    """Order count, spend in the main currency (the one most spent in), that currency."""
    rows = session.execute(ORDER_TOTALS_QUERY, params).all()
    if not rows:
        return 0, Decimal("0.00"), None
    main = max(rows, key=lambda row: (row.spend_orders or 0, row.orders, row.currency))
    total = Decimal(str(main.spend or 0)).quantize(CENT)
    return sum(row.orders for row in rows), total, main.currency


def build_profile(session: Session, customer_id: str, now: datetime) -> Optional[schemas.Profile]:
    """Everything the assistant personalizes from, or None for an unknown customer."""
    tickets_since = now - TICKETS_WINDOW
    params = {
        "customer_id": customer_id,
        "failed_since": now - FAILED_PAYMENTS_WINDOW,
        "tickets_since": tickets_since,
    }
    customer = session.execute(CUSTOMER_QUERY, params).first()
    if customer is None:
        return None
    order_count, total_spend, currency = _order_totals(session, params)
    orders = session.execute(OPEN_AND_LAST_ORDERS_QUERY, params).all()
    tickets = session.execute(TICKETS_QUERY, params).all()
    consents: Dict[str, bool] = dict.fromkeys(CONSENT_PURPOSES, False)
    consents.update(dict(session.execute(CONSENTS_QUERY, params).all()))
    return schemas.Profile(
        customer_id=customer.id,
        name=customer.name,
        first_name=(customer.name.split() or [customer.name])[0],
        email=customer.email,
        phone=customer.phone,
        country=customer.country,
        tier=customer.tier,
        segment=customer.segment,
        segment_model_version=customer.segment_model_version,
        created_at=customer.created_at,
        customer_since_days=max((now - customer.created_at).days, 0),
        order_count=order_count,
        total_spend=total_spend,
        currency=currency,
        open_orders=[
            schemas.OrderSummary.from_orm(order)
            for order in orders
            if order.status in OPEN_ORDER_STATUSES
        ],
        last_order=schemas.OrderSummary.from_orm(orders[0]) if orders else None,
        recent_refunds=_rows(session, REFUNDS_QUERY, params, schemas.RefundOut),
        recent_invoices=_rows(session, INVOICES_QUERY, params, schemas.InvoiceOut),
        recent_failed_payments=_rows(session, FAILED_PAYMENTS_QUERY, params, schemas.PaymentOut),
        open_tickets=[
            schemas.TicketOut.from_orm(t) for t in tickets if t.status in OPEN_TICKET_STATUSES
        ],
        tickets_last_90_days=sum(1 for t in tickets if t.opened_at >= tickets_since),
        preferred_channel=customer.preferred_channel,
        consents=consents,
    )


def _rows(session: Session, query, params: dict, schema: type) -> list:
    return [schema.from_orm(row) for row in session.execute(query, params)]


def list_records(session: Session, customer_id: str, kind: str, limit: int) -> list:
    """The customer's newest `limit` refunds, invoices, payments or tickets (see RECORD_KINDS)."""
    model, column, schema = RECORD_KINDS[kind]
    statement = (
        select(model)
        .where(model.customer_id == customer_id)
        .order_by(column.desc(), model.id.desc())
        .limit(limit)
    )
    records = [schema.from_orm(row) for row in session.execute(statement).scalars()]
    if not records:
        require_customer(session, customer_id)  # an unknown customer is a 404, not []
    return records


def normalize_external_id(channel: str, external_id: str) -> str:
    """The stored form of a channel's user id (e-mail addresses are lower-case)."""
    external_id = external_id.strip()
    return external_id.lower() if channel == EMAIL_CHANNEL else external_id


def customer_id_for_identity(session: Session, channel: str, external_id: str) -> Optional[str]:
    """The customer known on `channel` as `external_id`, if any."""
    params = {"channel": channel, "external_id": normalize_external_id(channel, external_id)}
    customer_id = session.execute(IDENTITY_QUERY, params).scalar_one_or_none()
    if customer_id is None and channel in MASTER_CONTACT_QUERIES:
        customer_id = session.execute(MASTER_CONTACT_QUERIES[channel], params).scalars().first()
    return customer_id


def link_identity(
    session: Session, customer_id: str, link: schemas.IdentityLink, actor: str, now: datetime
) -> schemas.IdentityLink:
    """Links the channel's user id to the customer; linking it again is a no-op.

    Raises:
        NotFound: unknown customer.
        RuleViolation: the id already belongs to another customer.

    """
    require_customer(session, customer_id)
    external_id = normalize_external_id(link.channel, link.external_id)
    owner = customer_id_for_identity(session, link.channel, external_id)
    if owner is not None and owner != customer_id:
        raise RuleViolation(f"this {link.channel} id is already linked to another customer")
    if owner is None:
        session.add(
            Identity(
                customer_id=customer_id,
                channel=link.channel,
                external_id=external_id,
                created_at=now,
            )
        )
        audit.record_change(
            session, actor, audit.LINK_IDENTITY, customer_id, link.channel, None, now
        )
    return schemas.IdentityLink(channel=link.channel, external_id=external_id)
