"""Sample API models for client tests (and for action tests that seed the fake client)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Optional

from customer_data.schemas import (
    OrderItemOut,
    OrderOut,
    OrderSummary,
    Profile,
    StatusChangeOut,
)

NOW = datetime(2024, 5, 1, 12, 0)
CUSTOMER_ID = "C0000001"
OTHER_CUSTOMER_ID = "C0000002"
ORDER_ID = "ORD-000001"


def make_order(
    order_id: str = ORDER_ID,
    status: str = "processing",
    placed_at: datetime = NOW - timedelta(hours=2),
    total: str = "59.90",
    delivered_at: Optional[datetime] = None,
    currency: str = "EUR",
) -> OrderOut:
    """An order with one line and a status history ending in `status`."""
    return OrderOut(
        id=order_id,
        status=status,
        placed_at=placed_at,
        currency=currency,
        total_amount=Decimal(total),
        delivery_estimate=(placed_at + timedelta(days=4)).date(),
        delivered_at=delivered_at,
        shipping_address="Hauptstrasse 1, 10115 Berlin",
        items=[
            OrderItemOut(sku="SKU-1", product_name="Kettle", quantity=1, unit_price=Decimal(total))
        ],
        status_history=[
            StatusChangeOut(status="pending", at=placed_at),
            StatusChangeOut(status=status, at=placed_at + timedelta(minutes=5)),
        ],
    )


def summary(order: OrderOut) -> OrderSummary:
    """The order's summary, as in a profile."""
    return OrderSummary(**order.dict(include=set(OrderSummary.__fields__)))


def make_profile(customer_id: str = CUSTOMER_ID, **overrides: Any) -> Profile:
    """A silver-tier customer with one open order and marketing e-mail consent."""
    open_order = make_order()
    fields = dict(
        customer_id=customer_id,
        name="Jane Doe",
        first_name="Jane",
        email="jane@example.com",
        phone="+4915112345678",
        country="DE",
        tier="silver",
        segment="high_value",
        segment_model_version="kmeans-v1",
        created_at=datetime(2021, 3, 4, 9, 30),
        customer_since_days=1154,
        order_count=12,
        total_spend=Decimal("1234.50"),
        currency="EUR",
        open_orders=[summary(open_order)],
        last_order=summary(open_order),
        recent_refunds=[],
        recent_invoices=[],
        recent_failed_payments=[],
        open_tickets=[],
        tickets_last_90_days=1,
        preferred_channel="web",
        consents={"marketing_email": True},
    )
    fields.update(overrides)
    return Profile(**fields)
