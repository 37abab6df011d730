"""Order services: read a customer's orders, quote and cancel, change the address, ask a refund.

Every function works in the caller's unit of work (it never commits) and decides with the pure
rules in `customer_data.rules`. Changes write the order's status history and an audit entry in
the same session, and come back as API schemas. An order is only ever found through its
customer, so one customer can never reach another's order.
"""

import secrets
from datetime import datetime
from decimal import Decimal
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from customer_data import audit, rules, schemas
from customer_data.models import Customer, Order, OrderStatusEvent, Refund

CANCELLED = "cancelled"
REFUND_REQUESTED = "requested"
REFUND_ID_PREFIX = "RF-"
CENT = Decimal("0.01")
MAX_SOURCE = 32  # order_status_events.source


class ServiceError(Exception):
    """Base of the service layer's errors (the API maps them to HTTP statuses)."""


class NotFound(ServiceError):
    """No such customer, or no such order for that customer."""


class RuleViolation(ServiceError):
    """A business rule refuses the change; `reason` says why, in words for the customer."""

    def __init__(self, reason: str) -> None:
        """Keeps the rule's reason."""
        super().__init__(reason)
        self.reason = reason


def require_customer(session: Session, customer_id: str) -> Customer:
    """The customer, or `NotFound`."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    return customer


def _order(session: Session, customer_id: str, order_id: str, for_update: bool = False) -> Order:
    statement = select(Order).where(Order.id == order_id, Order.customer_id == customer_id)
    if for_update:
        statement = statement.with_for_update()
    order = session.execute(statement).scalar_one_or_none()
    if order is None:
        require_customer(session, customer_id)
        raise NotFound(f"customer {customer_id} has no order {order_id}")
    return order


def get_order(session: Session, customer_id: str, order_id: str) -> schemas.OrderOut:
    """One of the customer's orders with its lines and status history."""
    statement = (
        select(Order)
        .where(Order.id == order_id, Order.customer_id == customer_id)
        .options(selectinload(Order.items), selectinload(Order.status_history))
    )
    order = session.execute(statement).scalar_one_or_none()
    if order is None:
        require_customer(session, customer_id)
        raise NotFound(f"customer {customer_id} has no order {order_id}")
    return schemas.OrderOut.from_orm(order)


def list_orders(session: Session, customer_id: str, limit: int) -> List[schemas.OrderSummary]:
    """The customer's newest `limit` orders, newest first."""
    statement = (
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
    )
    orders = [
        schemas.OrderSummary.from_orm(order) for order in session.execute(statement).scalars()
    ]
    if not orders:
        require_customer(session, customer_id)  # an unknown customer is a 404, not []
    return orders


def _tier(session: Session, customer_id: str) -> str:
    return session.execute(select(Customer.tier).where(Customer.id == customer_id)).scalar_one()


def quote_cancellation(
    session: Session, customer_id: str, order_id: str, now: datetime
) -> schemas.CancellationQuote:
    """Whether the order can be cancelled now, and the fee."""
    order = _order(session, customer_id, order_id)
    decision = rules.cancellation_quote(
        order.status, order.placed_at, _tier(session, customer_id), order.total_amount, now
    )
    return schemas.CancellationQuote(
        order_id=order.id,
        cancellable=decision.allowed,
        fee=decision.amount,
        currency=order.currency,
        reason=decision.reason,
    )


def _change_status(session: Session, order: Order, status: str, actor: str, now: datetime) -> None:
    order.status = status
    order.updated_at = now
    session.add(
        OrderStatusEvent(order_id=order.id, status=status, at=now, source=actor[:MAX_SOURCE])
    )


def cancel_order(
    session: Session,
    customer_id: str,
    order_id: str,
    request: schemas.CancelOrderRequest,
    actor: str,
    now: datetime,
) -> schemas.CancelOrderResult:
    """Cancels the order for the quoted fee, or raises `RuleViolation`."""
    order = _order(session, customer_id, order_id, for_update=True)
    decision = rules.cancellation_quote(
        order.status, order.placed_at, _tier(session, customer_id), order.total_amount, now
    )
    if not decision.allowed:
        raise RuleViolation(decision.reason)
    _change_status(session, order, CANCELLED, actor, now)
    fee_note = f"fee {decision.amount} {order.currency}"
    audit.record_change(
        session,
        actor,
        audit.CANCEL_ORDER,
        customer_id,
        order.id,
        f"{fee_note}: {request.reason}" if request.reason else fee_note,
        now,
    )
    return schemas.CancelOrderResult(
        order_id=order.id, status=order.status, fee=decision.amount, currency=order.currency
    )


def change_shipping_address(
    session: Session,
    customer_id: str,
    order_id: str,
    change: schemas.ShippingAddressChange,
    actor: str,
    now: datetime,
) -> schemas.OrderOut:
    """Sets a new delivery address on an order that has not shipped, or raises `RuleViolation`."""
    order = _order(session, customer_id, order_id, for_update=True)
    decision = rules.address_change_allowed(order.status)
    if not decision.allowed:
        raise RuleViolation(decision.reason)
    order.shipping_address = change.address
    order.updated_at = now
    audit.record_change(
        session, actor, audit.CHANGE_SHIPPING_ADDRESS, customer_id, order.id, None, now
    )
    session.flush()
    return schemas.OrderOut.from_orm(order)


def _new_refund_id(session: Session) -> str:
    while True:
        candidate = f"{REFUND_ID_PREFIX}{secrets.randbelow(1_000_000):06d}"
        if session.get(Refund, candidate) is None:
            return candidate


def _refunded_so_far(session: Session, order_id: str) -> List[Decimal]:
    statement = select(Refund.amount).where(
        Refund.order_id == order_id, Refund.status.in_(rules.OUTSTANDING_REFUND_STATUSES)
    )
    return list(session.execute(statement).scalars())


def request_refund(
    session: Session,
    customer_id: str,
    order_id: str,
    request: schemas.RefundRequest,
    actor: str,
    now: datetime,
) -> schemas.RefundOut:
    """Records a refund request (status "requested"), or raises `RuleViolation`."""
    order = _order(session, customer_id, order_id, for_update=True)
    requested: Optional[Decimal] = (
        request.amount.quantize(CENT) if request.amount is not None else None
    )
    decision = rules.refund_decision(
        order.status,
        order.delivered_at,
        order.total_amount,
        _refunded_so_far(session, order.id),
        requested,
        now,
    )
    if not decision.allowed:
        raise RuleViolation(decision.reason)
    refund = Refund(
        id=_new_refund_id(session),
        order_id=order.id,
        customer_id=customer_id,
        amount=decision.amount.quantize(CENT),
        currency=order.currency,
        status=REFUND_REQUESTED,
        reason=request.reason,
        requested_at=now,
    )
    session.add(refund)
    audit.record_change(
        session,
        actor,
        audit.REQUEST_REFUND,
        customer_id,
        refund.id,
        f"{refund.amount} {refund.currency} for {order.id}: {request.reason}",
        now,
    )
    session.flush()
    return schemas.RefundOut.from_orm(refund)
