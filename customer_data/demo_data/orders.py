"""Orders as they happen: lifecycle and status history, items, then billing.

An order's timeline (placed, processing, shipped, delivered, maybe cancelled or returned) is
drawn first and cut at the reference date, so its status is whatever had happened by then.
"""

import random
from typing import Dict, List, Optional, Tuple

from customer_data.demo_data.billing import BillingFactory, OrderFacts
from customer_data.demo_data.catalogue import (
    CUMULATIVE_POPULARITY,
    EXCHANGE_RATES,
    PRICES,
    PRODUCTS,
    money,
)
from customer_data.demo_data.clock import (
    DAY,
    HOUR,
    MINUTE,
    add_working_days,
    day_of,
    timestamp,
)
from customer_data.ingest import formats

Rows = Dict[str, List[list]]


class OrderFactory:
    """Creates orders and everything that hangs off them, numbering them sequentially."""

    def __init__(self, rng: random.Random, as_of: int) -> None:
        """Draws from `rng`; nothing happens after `as_of` (epoch seconds)."""
        self.rng = rng
        self.as_of = as_of
        self.billing = BillingFactory(rng, as_of)
        self.next_order = 100001

    def order(
        self,
        customer_id: str,
        country_code: str,
        currency: str,
        address: str,
        placed: int,
        rows: Rows,
    ) -> Tuple[str, int]:
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
        rows[formats.ORDERS].append(
            [
                order_id,
                customer_id,
                status,
                timestamp(placed),
                currency,
                money(total),
                address,
                estimate,
                timestamp(delivered) if delivered else "",
                formats.HISTORY_SEPARATOR.join(
                    f"{state}{formats.HISTORY_AT}{timestamp(at)}" for state, at in history
                ),
            ]
        )
        facts = OrderFacts(
            order_id, customer_id, country_code, currency, total, placed, tuple(history), delivered
        )
        paid = self.billing.payments(facts, rows[formats.PAYMENTS])
        self.billing.invoice(facts, paid, rows[formats.INVOICES])
        self.billing.refund(facts, rows[formats.REFUNDS])
        return order_id, int(total / EXCHANGE_RATES[currency])

    def _timeline(self, placed: int) -> Tuple[List[Tuple[str, int]], Optional[int], bool]:
        rng = self.rng
        express = rng.random() < 0.2
        processing = placed + rng.randint(30 * MINUTE, 8 * HOUR)
        shipped = processing + rng.randint(6 * HOUR, 40 * HOUR)
        transit = rng.randint(18 * HOUR, 40 * HOUR) if express else rng.randint(2 * DAY, 5 * DAY)
        delivered = shipped + transit
        timeline = [
            ("pending", placed),
            ("processing", processing),
            ("shipped", shipped),
            ("delivered", delivered),
        ]
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
            items.append([order_id, product.sku, product.name, str(quantity), money(prices[index])])
            total += quantity * prices[index]
        return total
