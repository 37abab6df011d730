"""Money around an order: payment attempts (some failed), the invoice, and refunds."""

import random
from dataclasses import dataclass
from itertools import accumulate
from typing import List, Optional, Tuple

from customer_data.demo_data.catalogue import money
from customer_data.demo_data.clock import DAY, HOUR, MINUTE, timestamp

RECENT_PAYMENT_WINDOW = 30 * DAY
REFUND_WINDOW = 30 * DAY
PAYMENT_METHODS = (
    "card",
    "paypal",
    "apple_pay",
    "google_pay",
    "klarna",
    "gift_card",
    "bank_transfer",
)
METHOD_WEIGHTS = {
    "default": (50, 25, 10, 8, 3, 1, 3),
    "klarna": (35, 20, 6, 5, 28, 1, 5),  # countries where paying by invoice is common
}
KLARNA_COUNTRIES = frozenset({"DE", "SE", "NL", "CH"})
# Cumulative weights, so the per-order draw does not add them up each time.
METHOD_CUMULATIVE = {name: tuple(accumulate(weights)) for name, weights in METHOD_WEIGHTS.items()}
REFUND_DECISIONS = ("approved", "paid", "rejected")
REFUND_DECISION_CUMULATIVE = tuple(accumulate((2, 6, 2)))
FAILURE_REASONS = (
    "card declined by the issuer",
    "insufficient funds",
    "card expired",
    "3-D Secure authentication failed",
    "payment provider timeout",
)
REFUND_REASONS = (
    "damaged in transit",
    "arrived late",
    "missing part",
    "wrong size",
    "not as described",
    "changed my mind",
)


@dataclass(frozen=True)
class OrderFacts:
    """What billing needs to know about an order."""

    order_id: str
    customer_id: str
    country_code: str
    currency: str
    total: int  # cents
    placed: int  # epoch seconds
    history: Tuple[Tuple[str, int], ...]  # (status, epoch seconds), up to the reference date
    delivered: Optional[int]

    @property
    def status(self) -> str:
        """The order's current status."""
        return self.history[-1][0]


class BillingFactory:
    """Payments, invoices and refunds, numbered sequentially."""

    def __init__(self, rng: random.Random, as_of: int) -> None:
        """Draws from `rng`; nothing happens after `as_of` (epoch seconds)."""
        self.rng = rng
        self.as_of = as_of
        self.next_invoice = 100001
        self.next_payment = 100001
        self.next_refund = 100001

    def payments(self, order: OrderFacts, payments: List[list]) -> bool:
        """Appends the payment attempts; returns whether one succeeded."""
        rng = self.rng
        weights = METHOD_CUMULATIVE[
            "klarna" if order.country_code in KLARNA_COUNTRIES else "default"
        ]
        method = rng.choices(PAYMENT_METHODS, cum_weights=weights)[0]
        at = order.placed + rng.randint(5, 120)
        recent = order.placed >= self.as_of - RECENT_PAYMENT_WINDOW
        if rng.random() < (0.15 if recent else 0.04):
            payments.append(self._payment(order, method, "failed", rng.choice(FAILURE_REASONS), at))
            at += rng.randint(MINUTE, HOUR)
            if order.status == "pending" and rng.random() < 0.5:
                return False  # still waiting for a successful attempt
            method = rng.choices(PAYMENT_METHODS, cum_weights=weights)[0]
        outcome = "refunded" if order.status in ("cancelled", "returned") else "succeeded"
        payments.append(self._payment(order, method, outcome, "", min(at, self.as_of)))
        return True

    def _payment(self, order: OrderFacts, method: str, status: str, failure: str, at: int) -> list:
        payment_id = f"PAY-{self.next_payment:06d}"
        self.next_payment += 1
        return [
            payment_id,
            order.order_id,
            order.customer_id,
            method,
            money(order.total),
            order.currency,
            status,
            failure,
            timestamp(at),
        ]

    def invoice(self, order: OrderFacts, paid: bool, invoices: List[list]) -> None:
        """Appends the invoice: paid or issued, void for some cancelled orders, else none."""
        if order.status == "cancelled":
            if self.rng.random() >= 0.4:
                return
            state = "void"
        else:
            state = "paid" if paid else "issued"
        invoice_id = f"INV-{self.next_invoice:06d}"
        self.next_invoice += 1
        issued = min(order.placed + self.rng.randint(2 * MINUTE, 10 * MINUTE), self.as_of)
        invoices.append(
            [
                invoice_id,
                order.order_id,
                order.customer_id,
                money(order.total),
                order.currency,
                state,
                timestamp(issued),
            ]
        )

    def refund(self, order: OrderFacts, refunds: List[list]) -> None:
        """Appends a refund: the whole order when returned, part of some delivered ones."""
        rng = self.rng
        if order.status == "returned":
            requested, amount, reason = order.history[-1][1], order.total, "returned"
        elif order.status == "delivered" and order.delivered is not None:
            chance = 0.12 if order.delivered >= self.as_of - REFUND_WINDOW else 0.04
            if rng.random() >= chance:
                return
            requested = order.delivered + rng.randint(HOUR, 25 * DAY)
            if requested > self.as_of:
                return
            amount = max(100, int(order.total * rng.uniform(0.1, 0.5)))
            reason = rng.choice(REFUND_REASONS)
        else:
            return
        decided = requested + rng.randint(HOUR, 5 * DAY)
        if decided > self.as_of:
            state, resolved = "requested", ""
        elif order.status == "returned":
            state, resolved = "paid", timestamp(decided)
        else:
            state = rng.choices(REFUND_DECISIONS, cum_weights=REFUND_DECISION_CUMULATIVE)[0]
            resolved = timestamp(decided)
        refund_id = f"RF-{self.next_refund:06d}"
        self.next_refund += 1
        refunds.append(
            [
                refund_id,
                order.order_id,
                order.customer_id,
                money(amount),
                order.currency,
                state,
                reason,
                timestamp(requested),
                resolved,
            ]
        )
