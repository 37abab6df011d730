"""Business rules for orders and refunds, as pure functions (no database, no clock of their own).

The API's services and the action server's in-memory fake client both call these, so the
assistant's tests and the real service agree on what is allowed and what it costs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Iterable

CANCELLABLE_STATUSES = frozenset({"pending", "processing"})
ADDRESS_CHANGEABLE_STATUSES = CANCELLABLE_STATUSES
REFUNDABLE_STATUSES = frozenset({"delivered"})
FREE_CANCELLATION_WINDOW = timedelta(hours=24)
REFUND_WINDOW = timedelta(days=30)
CANCELLATION_FEE_BY_TIER = {
    "gold": Decimal("0.00"),
    "silver": Decimal("2.50"),
    "bronze": Decimal("5.00"),
}
# Refunds in these states count against the order total.
OUTSTANDING_REFUND_STATUSES = frozenset({"requested", "approved", "paid"})


@dataclass(frozen=True)
class Decision:
    """Whether something is allowed, the amount involved, and why (shown to the customer)."""

    allowed: bool
    amount: Decimal
    reason: str


def cancellation_quote(
    status: str, placed_at: datetime, tier: str, order_total: Decimal, now: datetime
) -> Decision:
    """Can the order be cancelled now, and for what fee."""
    if status not in CANCELLABLE_STATUSES:
        return Decision(
            False,
            Decimal("0.00"),
            f"the order is {status}; only pending or processing orders can be "
            "cancelled" + ("; return it instead" if status in {"shipped", "delivered"} else ""),
        )
    age = now - placed_at
    if age <= FREE_CANCELLATION_WINDOW:
        return Decision(True, Decimal("0.00"), "free: within 24 hours of ordering")
    fee = min(CANCELLATION_FEE_BY_TIER.get(tier, CANCELLATION_FEE_BY_TIER["bronze"]), order_total)
    if fee == 0:
        return Decision(True, fee, f"free for {tier} members")
    return Decision(True, fee, f"processing fee for {tier} members after 24 hours")


def address_change_allowed(status: str) -> Decision:
    """Can the delivery address of an order still be changed."""
    if status in ADDRESS_CHANGEABLE_STATUSES:
        return Decision(True, Decimal("0.00"), "the order has not shipped yet")
    return Decision(
        False,
        Decimal("0.00"),
        f"the order is {status}; the address can only change before it ships",
    )


def refund_decision(
    status: str,
    delivered_at: "datetime | None",
    order_total: Decimal,
    refunded_so_far: Iterable[Decimal],
    requested: "Decimal | None",
    now: datetime,
) -> Decision:
    """Is a refund of `requested` (None: everything left) allowed, and for how much."""
    if status not in REFUNDABLE_STATUSES or delivered_at is None:
        return Decision(
            False, Decimal("0.00"), f"the order is {status}; refunds are for delivered orders"
        )
    if now - delivered_at > REFUND_WINDOW:
        return Decision(
            False, Decimal("0.00"), "the 30-day refund window after delivery has passed"
        )
    remaining = order_total - sum(refunded_so_far, Decimal("0.00"))
    if remaining <= 0:
        return Decision(False, Decimal("0.00"), "the order has already been refunded in full")
    amount = remaining if requested is None else requested
    if amount > remaining:
        return Decision(
            False, Decimal("0.00"), f"at most {remaining} can still be refunded for this order"
        )
    return Decision(True, amount, "within the 30-day refund window")
