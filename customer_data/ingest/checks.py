"""Checks that span several fields of a row, or a row and the order it refers to.

Each check returns the problems it found (an empty list when there are none) and stays silent
about fields that could not be read: those already have their own problem.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Iterable, List

from customer_data.ingest.validation import Check, Values

MAX_DURATION = timedelta(days=365)
DELIVERED_STATUSES = frozenset({"delivered", "returned"})
NOT_YET_DELIVERED = frozenset({"pending", "processing", "shipped", "cancelled"})
OPEN_TICKET_STATUSES = frozenset({"open", "pending"})


@dataclass(frozen=True)
class OrderRef:
    """What a row referring to an order is checked against."""

    customer_id: str
    currency: str
    total_amount: Decimal


def duration(start: str, end: str) -> Check:
    """`end` may not be before `start`, nor more than 365 days after it."""

    def check(values: Values) -> List[str]:
        began, ended = values.get(start), values.get(end)
        if began is None or ended is None:
            return []
        if ended < began:
            return [f"{end}: before {start}"]
        if ended - began > MAX_DURATION:
            return [f"{end}: more than 365 days after {start} (implausible)"]
        return []

    return check


def contact_required(values: Values) -> List[str]:
    """A customer needs an e-mail address or a phone number to be recognisable."""
    if "email" in values and "phone" in values and not values["email"] and not values["phone"]:
        return ["email, phone: neither given; a customer needs at least one"]
    return []


def delivery_consistent(values: Values) -> List[str]:
    """delivered_at matches the status; the delivery estimate is not before the order."""
    problems = []
    status, delivered_at = values.get("status"), values.get("delivered_at")
    if status == "delivered" and "delivered_at" in values and delivered_at is None:
        problems.append("delivered_at: missing for a delivered order")
    if status in NOT_YET_DELIVERED and delivered_at is not None:
        problems.append(f"delivered_at: set but the order is {status}")
    placed_at, estimate = values.get("placed_at"), values.get("delivery_estimate")
    if placed_at is not None and estimate is not None:
        if estimate < placed_at.date():
            problems.append("delivery_estimate: before placed_at")
        elif estimate - placed_at.date() > MAX_DURATION:
            problems.append("delivery_estimate: more than 365 days after placed_at (implausible)")
    return problems


def history_consistent(values: Values) -> List[str]:
    """The status history is in time order, starts at the order and ends in its status."""
    history = values.get("status_history")
    if not history:
        return []
    problems = []
    times = [at for _, at in history]
    if times != sorted(times):
        problems.append("status_history: entries are not in time order")
    placed_at, status = values.get("placed_at"), values.get("status")
    if placed_at is not None and times[0] < placed_at:
        problems.append("status_history: starts before placed_at")
    if status is not None and history[-1][0] != status:
        problems.append(f"status_history: ends with {history[-1][0]} but the status is {status}")
    return problems


def ticket_consistent(values: Values) -> List[str]:
    """Only resolved tickets have resolved_at and a satisfaction rating."""
    problems = []
    status, resolved_at = values.get("status"), values.get("resolved_at")
    if status == "resolved" and "resolved_at" in values and resolved_at is None:
        problems.append("resolved_at: missing for a resolved ticket")
    if status in OPEN_TICKET_STATUSES and resolved_at is not None:
        problems.append(f"resolved_at: set but the ticket is {status}")
    if status in OPEN_TICKET_STATUSES and values.get("satisfaction") is not None:
        problems.append("satisfaction: only resolved tickets are rated")
    return problems


def same_customer_and_currency(values: Values, order: OrderRef) -> Iterable[str]:
    """A refund, invoice or payment belongs to the order's customer and is in its currency."""
    problems = []
    customer_id = values.get("customer_id")
    if customer_id is not None and customer_id != order.customer_id:
        problems.append(
            f"customer_id: {customer_id} but order {values.get('order_id')} belongs to "
            f"{order.customer_id}"
        )
    currency = values.get("currency")
    if currency is not None and currency != order.currency:
        problems.append(f"currency: {currency} but the order is in {order.currency}")
    return problems


def within_order_total(values: Values, order: OrderRef) -> Iterable[str]:
    """A refund cannot be larger than the order it refunds."""
    amount = values.get("amount")
    if amount is not None and amount > order.total_amount:
        return [f"amount: {amount} exceeds the order total {order.total_amount}"]
    return []
