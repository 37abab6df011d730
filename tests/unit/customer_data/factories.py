"""Small, hand-made customer data for service and API tests (not the demo-data generator).

`seed_shop` builds three customers whose orders sit exactly where the business rules change:
inside and past the free-cancellation window per tier, shipped, delivered inside and outside the
refund window, a fee larger than the order total.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Optional, Tuple

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from customer_data.db import build_engine, build_session_factory, create_schema, unit_of_work
from customer_data.models import (
    Consent,
    Customer,
    Identity,
    Interaction,
    Invoice,
    Order,
    OrderItem,
    OrderStatusEvent,
    Payment,
    Refund,
    Segment,
    Ticket,
)

NOW = datetime(2024, 6, 15, 12, 0, 0)

ADA, BOB, CLEO = "C0000001", "C0000002", "C0000003"
UNKNOWN_CUSTOMER = "C9999999"
ADA_FRESH = "ORD-100001"  # processing, 2 h old: free to cancel
ADA_OLD = "ORD-100002"  # processing, 30 h old: silver fee 2.50
ADA_SHIPPED = "ORD-100003"
ADA_DELIVERED = "ORD-100004"  # delivered 5 days ago, 100.00 EUR, 20.00 already refunded
ADA_DELIVERED_LONG_AGO = "ORD-100005"  # delivered 40 days ago
BOB_OLD = "ORD-200001"  # pending, 48 h old: gold, no fee
CLEO_CHEAP = "ORD-300001"  # processing, 48 h old, total 3.00: fee capped at 3.00
CLEO_OLD = "ORD-300002"  # processing, 48 h old: bronze fee 5.00
UNKNOWN_ORDER = "ORD-999999"
ADA_SLACK_ID = "U0ADA"


def new_database(tmp_path: Path) -> Tuple[Engine, sessionmaker]:
    """A fresh SQLite file database with the schema, and its session factory."""
    engine = build_engine(f"sqlite:///{tmp_path}/customer_data.sqlite")
    create_schema(engine)
    return engine, build_session_factory(engine)


def add_customer(
    session: Session,
    customer_id: str,
    name: str,
    tier: str = "bronze",
    created_at: datetime = NOW - timedelta(days=400),
) -> Customer:
    customer = Customer(
        id=customer_id,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        phone="+441632960001",
        country="GB",
        address="1 Example Street, London",
        created_at=created_at,
        tier=tier,
        updated_at=created_at,
    )
    session.add(customer)
    return customer


def add_order(
    session: Session,
    customer_id: str,
    order_id: str,
    status: str,
    placed_at: datetime,
    total: str = "49.90",
    currency: str = "EUR",
    delivered_at: Optional[datetime] = None,
) -> Order:
    order = Order(
        id=order_id,
        customer_id=customer_id,
        status=status,
        placed_at=placed_at,
        currency=currency,
        total_amount=Decimal(total),
        shipping_address="1 Example Street, London",
        delivery_estimate=(placed_at + timedelta(days=4)).date(),
        delivered_at=delivered_at,
        updated_at=placed_at,
    )
    order.items.append(
        OrderItem(sku="SKU-1", product_name="Kettle", quantity=1, unit_price=Decimal(total))
    )
    order.status_history.append(OrderStatusEvent(status="pending", at=placed_at))
    if status != "pending":
        order.status_history.append(OrderStatusEvent(status=status, at=delivered_at or placed_at))
    session.add(order)
    return order


def add_refund(
    session: Session,
    refund_id: str,
    order: Order,
    amount: str,
    status: str = "requested",
    requested_at: datetime = NOW - timedelta(days=1),
) -> None:
    session.add(
        Refund(
            id=refund_id,
            order_id=order.id,
            customer_id=order.customer_id,
            amount=Decimal(amount),
            currency=order.currency,
            status=status,
            reason="broken",
            requested_at=requested_at,
        )
    )


def _add_ada_history(session: Session, delivered: Order) -> None:
    session.add_all(
        [
            Identity(customer_id=ADA, channel="slack", external_id=ADA_SLACK_ID, created_at=NOW),
            Identity(customer_id=ADA, channel="email", external_id="ada@example.com",
                     created_at=NOW),
            Consent(customer_id=ADA, purpose="newsletter", granted=True, at=NOW, source="web"),
            Segment(customer_id=ADA, segment="standard", model_version="v1",
                    assigned_at=NOW - timedelta(days=30)),
            Segment(customer_id=ADA, segment="high_value", model_version="v2",
                    assigned_at=NOW - timedelta(days=1)),
            Interaction(customer_id=ADA, channel="chat", at=NOW - timedelta(days=2)),
            Interaction(customer_id=ADA, channel="chat", at=NOW - timedelta(days=1)),
            Interaction(customer_id=ADA, channel="email", at=NOW - timedelta(hours=1)),
            Invoice(id="INV-100004", order_id=delivered.id, customer_id=ADA, amount=Decimal("100"),
                    currency="EUR", issued_at=NOW - timedelta(days=9), status="paid"),
            Payment(id="PAY-100004", order_id=delivered.id, customer_id=ADA, method="card",
                    amount=Decimal("100"), currency="EUR", status="failed",
                    failure_reason="card declined", at=NOW - timedelta(days=9)),
            Payment(id="PAY-100005", order_id=delivered.id, customer_id=ADA, method="paypal",
                    amount=Decimal("100"), currency="EUR", status="succeeded",
                    at=NOW - timedelta(days=9)),
            Ticket(id="T-0000001", customer_id=ADA, category="delivery", channel="chat",
                   subject="Where is my kettle?", status="open", opened_at=NOW - timedelta(days=3),
                   updated_at=NOW - timedelta(days=3)),
            Ticket(id="T-0000002", customer_id=ADA, category="refunds", channel="email",
                   subject="Old question", status="resolved", opened_at=NOW - timedelta(days=200),
                   resolved_at=NOW - timedelta(days=199), updated_at=NOW - timedelta(days=199)),
        ]
    )  # fmt: skip


def seed_shop(session: Session, now: datetime = NOW) -> None:
    """Three customers with orders at the edges of the business rules (see module constants)."""
    add_customer(session, ADA, "Ada Lovelace", tier="silver")
    add_customer(session, BOB, "Bob Marley", tier="gold")
    add_customer(session, CLEO, "Cleo Patra", tier="bronze")
    hours = lambda n: now - timedelta(hours=n)  # noqa: E731
    add_order(session, ADA, ADA_FRESH, "processing", hours(2))
    add_order(session, ADA, ADA_OLD, "processing", hours(30))
    add_order(session, ADA, ADA_SHIPPED, "shipped", hours(72))
    delivered = add_order(
        session, ADA, ADA_DELIVERED, "delivered", hours(240), "100.00", delivered_at=hours(120)
    )
    add_order(
        session, ADA, ADA_DELIVERED_LONG_AGO, "delivered", hours(1200), delivered_at=hours(960)
    )
    add_order(session, BOB, BOB_OLD, "pending", hours(48))
    add_order(session, CLEO, CLEO_CHEAP, "processing", hours(48), "3.00")
    add_order(session, CLEO, CLEO_OLD, "processing", hours(48), "80.00")
    # Rows without an ORM relationship to their parent are added once the parents exist.
    session.flush()
    add_refund(session, "RF-000001", delivered, "20.00")
    add_refund(session, "RF-000002", delivered, "50.00", status="rejected")
    _add_ada_history(session, delivered)


def seeded_database(tmp_path: Path) -> Tuple[Engine, sessionmaker]:
    """`new_database` with `seed_shop` committed."""
    engine, session_factory = new_database(tmp_path)
    with unit_of_work(session_factory) as session:
        seed_shop(session)
    return engine, session_factory
