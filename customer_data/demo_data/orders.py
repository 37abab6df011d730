"""Orders as they happen: lifecycle and status history, items, invoices, payments and refunds.

An order's timeline (placed, processing, shipped, delivered, maybe cancelled or returned) is
drawn first and cut at the reference date, so its status is whatever had happened by then.
"""

import random
from datetime import date, datetime, timedelta
from typing import Dict, List, Optional, Tuple

from customer_data.demo_data.catalogue import (
    CUMULATIVE_POPULARITY,
    EXCHANGE_RATES,
    PRICES,
    PRODUCTS,
    money,
)
from customer_data.ingest import formats

MINUTE = 60
HOUR = 3600
DAY = 86400
EPOCH = datetime(1970, 1, 1)
RECENT_PAYMENT_WINDOW = 30 * DAY
REFUND_WINDOW = 30 * DAY
PAYMENT_METHODS = ("card", "paypal", "apple_pay", "google_pay", "klarna", "gift_card",
                   "bank_transfer")
METHOD_WEIGHTS = {
    "default": (50, 25, 10, 8, 3, 1, 3),
    "klarna": (35, 20, 6, 5, 28, 1, 5),  # countries where paying by invoice is common
}
KLARNA_COUNTRIES = frozenset({"DE", "SE", "NL", "CH"})
FAILURE_REASONS = ("card declined by the issuer", "insufficient funds", "card expired",
                   "3-D Secure authentication failed", "payment provider timeout")
REFUND_REASONS = ("damaged in transit", "arrived late", "missing part", "wrong size",
                  "not as described", "changed my mind")
Rows = Dict[str, List[list]]


def timestamp(seconds: int) -> str:
    """Epoch seconds as ISO 8601 UTC (`2026-10-30T14:05:09Z`)."""
    return (EPOCH + timedelta(seconds=seconds)).isoformat() + "Z"


def day_of(seconds: int) -> date:
    """The UTC calendar date of epoch seconds."""
    return (EPOCH + timedelta(seconds=seconds)).date()


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` Monday-to-Friday days."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


class OrderFactory:
    """Creates orders and everything that hangs off them, numbering them sequentially."""

    def __init__(self, rng: random.Random, as_of: int) -> None:
        """Draws from `rng`; nothing happens after `as_of` (epoch seconds)."""
        self.rng = rng
        self.as_of = as_of
        self.next_order = 100001
        self.next_invoice = 100001
        self.next_payment = 100001
        self.next_refund = 100001

    def order(self, customer_id: str, country_code: str, currency: str, address: str,
              placed: int, rows: Rows) -> Tuple[str, int]:
        """Appends one order's rows to `rows`; returns its id and its total in euro cents."""
        rng = self.rng
        order_id = f"ORD-{self.next_order:06d}"
        self.next_order += 1
        history, delivered, express = self._timeline(placed)
        status = history[-1][0]
        total = self._items(order_id, currency, rows[formats.ORDER_ITEMS])
        estimate = ""
        if status != "cancelled":
            working_days = rng.randint(1, 2) if express else rng.randint(3, 5)
            estimate = add_working_days(day_of(placed), working_days).isoformat()
        rows[formats.ORDERS].append([
            order_id, customer_id, status, timestamp(placed), currency, money(total), address,
            estimate, timestamp(delivered) if delivered else "",
            formats.HISTORY_SEPARATOR.join(
                f"{state}{formats.HISTORY_AT}{timestamp(at)}" for state, at in history
            ),
        ])
        paid = self._payments(order_id, customer_id, country_code, currency, total, placed,
                              status, rows[formats.PAYMENTS])
        self._invoice(order_id, customer_id, currency, total, placed, status, paid,
                      rows[formats.INVOICES])
        self._refund(order_id, customer_id, currency, total, history, delivered,
                     rows[formats.REFUNDS])
        return order_id, int(total / EXCHANGE_RATES[currency])

    def _timeline(self, placed: int) -> Tuple[List[Tuple[str, int]], Optional[int], bool]:
        rng = self.rng
        express = rng.random() < 0.2
        processing = placed + rng.randint(30 * MINUTE, 8 * HOUR)
        shipped = processing + rng.randint(6 * HOUR, 40 * HOUR)
        transit = rng.randint(18 * HOUR, 40 * HOUR) if express else rng.randint(2 * DAY, 5 * DAY)
        delivered = shipped + transit
        timeline = [("pending", placed), ("processing", processing), ("shipped", shipped),
                    ("delivered", delivered)]
        fate = rng.random()
        if fate < 0.06:
            cancelled = min(placed + rng.randint(15 * MINUTE, 30 * HOUR), shipped - MINUTE)
            timeline = [event for event in timeline if event[1] < cancelled]
            timeline.append(("cancelled", cancelled))
        elif fate < 0.13:
            timeline.append(("returned", delivered + rng.randint(3 * DAY, 25 * DAY)))
        history = [event for event in timeline if event[1] <= self.as_of]
        reached = any(state == "delivered" for state, _ in history)
        return history, delivered if reached else None, express

    def _items(self, order_id: str, currency: str, items: List[list]) -> int:
        rng = self.rng
        draw = rng.random()
        count = 1 + (draw < 0.35) + (draw < 0.12) + (draw < 0.04)
        chosen = rng.choices(range(len(PRODUCTS)), cum_weights=CUMULATIVE_POPULARITY, k=count)
        prices = PRICES[currency]
        total = 0
        for index in dict.fromkeys(chosen):
            quantity = 1 if rng.random() < 0.85 else rng.randint(2, 3)
            product = PRODUCTS[index]
            items.append([order_id, product.sku, product.name, str(quantity),
                          money(prices[index])])
            total += quantity * prices[index]
        return total

    def _payments(self, order_id: str, customer_id: str, country_code: str, currency: str,
                  total: int, placed: int, status: str, payments: List[list]) -> bool:
        rng = self.rng
        weights = METHOD_WEIGHTS["klarna" if country_code in KLARNA_COUNTRIES else "default"]
        method = rng.choices(PAYMENT_METHODS, weights=weights)[0]
        at = placed + rng.randint(5, 120)
        recent = placed >= self.as_of - RECENT_PAYMENT_WINDOW
        if rng.random() < (0.15 if recent else 0.04):
            payments.append(self._payment(order_id, customer_id, method, total, currency,
                                          "failed", rng.choice(FAILURE_REASONS), at))
            at += rng.randint(MINUTE, HOUR)
            if status == "pending" and rng.random() < 0.5:
                return False  # still waiting for a successful attempt
            method = rng.choices(PAYMENT_METHODS, weights=weights)[0]
        outcome = "refunded" if status in ("cancelled", "returned") else "succeeded"
        payments.append(self._payment(order_id, customer_id, method, total, currency, outcome,
                                      "", min(at, self.as_of)))
        return True

    def _payment(self, order_id: str, customer_id: str, method: str, total: int, currency: str,
                 status: str, failure: str, at: int) -> list:
        payment_id = f"PAY-{self.next_payment:06d}"
        self.next_payment += 1
        return [payment_id, order_id, customer_id, method, money(total), currency, status,
                failure, timestamp(at)]

    def _invoice(self, order_id: str, customer_id: str, currency: str, total: int, placed: int,
                 status: str, paid: bool, invoices: List[list]) -> None:
        if status == "cancelled":
            if self.rng.random() >= 0.4:
                return
            state = "void"
        else:
            state = "paid" if paid else "issued"
        invoice_id = f"INV-{self.next_invoice:06d}"
        self.next_invoice += 1
        issued = min(placed + self.rng.randint(2 * MINUTE, 10 * MINUTE), self.as_of)
        invoices.append([invoice_id, order_id, customer_id, money(total), currency, state,
                         timestamp(issued)])

    def _refund(self, order_id: str, customer_id: str, currency: str, total: int,
                history: List[Tuple[str, int]], delivered: Optional[int],
                refunds: List[list]) -> None:
        rng = self.rng
        status = history[-1][0]
        if status == "returned":
            requested, amount, reason = history[-1][1], total, "returned"
        elif status == "delivered" and delivered is not None:
            chance = 0.12 if delivered >= self.as_of - REFUND_WINDOW else 0.04
            if rng.random() >= chance:
                return
            requested = delivered + rng.randint(HOUR, 25 * DAY)
            if requested > self.as_of:
                return
            amount = max(100, int(total * rng.uniform(0.1, 0.5)))
            reason = rng.choice(REFUND_REASONS)
        else:
            return
        decided = requested + rng.randint(HOUR, 5 * DAY)
        if decided > self.as_of:
            state, resolved = "requested", ""
        else:
            state = "paid" if status == "returned" else rng.choices(
                ("approved", "paid", "rejected"), weights=(2, 6, 2))[0]
            resolved = timestamp(decided)
        refund_id = f"RF-{self.next_refund:06d}"
        self.next_refund += 1
        refunds.append([refund_id, order_id, customer_id, money(amount), currency, state, reason,
                        timestamp(requested), resolved])
