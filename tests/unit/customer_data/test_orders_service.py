from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from customer_data import audit, schemas
from customer_data.db import unit_of_work
from customer_data.models import AuditEntry, Order, OrderStatusEvent, Refund
from customer_data.orders_service import (
    NotFound,
    RuleViolation,
    cancel_order,
    change_shipping_address,
    get_order,
    list_orders,
    quote_cancellation,
    request_refund,
)
from tests.unit.customer_data.factories import (
    ADA,
    ADA_DELIVERED,
    ADA_DELIVERED_LONG_AGO,
    ADA_FRESH,
    ADA_OLD,
    ADA_SHIPPED,
    BOB,
    BOB_OLD,
    CLEO,
    CLEO_CHEAP,
    CLEO_OLD,
    NOW,
    UNKNOWN_CUSTOMER,
    seeded_database,
)

ACTOR = "action-server"


@pytest.fixture
def session_factory(tmp_path):
    engine, session_factory = seeded_database(tmp_path)
    yield session_factory
    engine.dispose()


@pytest.mark.parametrize(
    "customer_id, order_id, fee, reason",
    [
        (ADA, ADA_FRESH, "0.00", "free: within 24 hours of ordering"),
        (ADA, ADA_OLD, "2.50", "processing fee for silver members after 24 hours"),
        (BOB, BOB_OLD, "0.00", "free for gold members"),
        (CLEO, CLEO_OLD, "5.00", "processing fee for bronze members after 24 hours"),
        (CLEO, CLEO_CHEAP, "3.00", "processing fee for bronze members after 24 hours"),
    ],
)
def test_quote_depends_on_age_and_tier(session_factory, customer_id, order_id, fee, reason):
    with unit_of_work(session_factory) as session:
        quote = quote_cancellation(session, customer_id, order_id, NOW)
    assert quote == schemas.CancellationQuote(
        order_id=order_id, cancellable=True, fee=Decimal(fee), currency="EUR", reason=reason
    )


def test_quote_for_shipped_order_says_return_it(session_factory):
    with unit_of_work(session_factory) as session:
        quote = quote_cancellation(session, ADA, ADA_SHIPPED, NOW)
    assert not quote.cancellable
    assert quote.reason.endswith("return it instead")


def test_cancel_writes_status_history_and_audit(session_factory):
    request = schemas.CancelOrderRequest(reason="changed my mind")
    with unit_of_work(session_factory) as session:
        result = cancel_order(session, ADA, ADA_OLD, request, ACTOR, NOW)
    assert result == schemas.CancelOrderResult(
        order_id=ADA_OLD, status="cancelled", fee=Decimal("2.50"), currency="EUR"
    )
    with unit_of_work(session_factory) as session:
        order = session.get(Order, ADA_OLD)
        history = session.execute(
            select(OrderStatusEvent).where(OrderStatusEvent.order_id == ADA_OLD)
        ).scalars()
        last = sorted(history, key=lambda event: event.at)[-1]
        entry = session.execute(select(AuditEntry)).scalar_one()
        assert order.status == "cancelled"
        assert order.updated_at == NOW
        assert (last.status, last.at, last.source) == ("cancelled", NOW, ACTOR)
        assert (entry.actor, entry.action, entry.customer_id, entry.resource) == (
            ACTOR,
            audit.CANCEL_ORDER,
            ADA,
            ADA_OLD,
        )
        assert entry.reason == "fee 2.50 EUR: changed my mind"


def test_cancel_shipped_order_is_refused_and_changes_nothing(session_factory):
    with pytest.raises(RuleViolation, match="return it instead"):
        with unit_of_work(session_factory) as session:
            cancel_order(session, ADA, ADA_SHIPPED, schemas.CancelOrderRequest(), ACTOR, NOW)
    with unit_of_work(session_factory) as session:
        assert session.get(Order, ADA_SHIPPED).status == "shipped"
        assert session.execute(select(AuditEntry)).first() is None


def test_cancel_twice_is_refused(session_factory):
    with unit_of_work(session_factory) as session:
        cancel_order(session, ADA, ADA_FRESH, schemas.CancelOrderRequest(), ACTOR, NOW)
    with pytest.raises(RuleViolation, match="the order is cancelled"):
        with unit_of_work(session_factory) as session:
            cancel_order(session, ADA, ADA_FRESH, schemas.CancelOrderRequest(), ACTOR, NOW)


@pytest.mark.parametrize(
    "customer_id, order_id", [(BOB, ADA_OLD), (UNKNOWN_CUSTOMER, ADA_OLD), (ADA, "ORD-999999")]
)
def test_orders_are_only_found_through_their_customer(session_factory, customer_id, order_id):
    with unit_of_work(session_factory) as session:
        with pytest.raises(NotFound):
            get_order(session, customer_id, order_id)
        with pytest.raises(NotFound):
            quote_cancellation(session, customer_id, order_id, NOW)
        with pytest.raises(NotFound):
            cancel_order(session, customer_id, order_id, schemas.CancelOrderRequest(), ACTOR, NOW)


def test_get_order_has_items_and_history(session_factory):
    with unit_of_work(session_factory) as session:
        order = get_order(session, ADA, ADA_DELIVERED)
    assert [item.sku for item in order.items] == ["SKU-1"]
    assert [change.status for change in order.status_history] == ["pending", "delivered"]


def test_list_orders_newest_first_with_limit(session_factory):
    with unit_of_work(session_factory) as session:
        orders = list_orders(session, ADA, 3)
        with pytest.raises(NotFound):
            list_orders(session, UNKNOWN_CUSTOMER, 3)
    assert [order.id for order in orders] == [ADA_FRESH, ADA_OLD, ADA_SHIPPED]


def test_address_changes_before_shipping_only(session_factory):
    change = schemas.ShippingAddressChange(address="  22 New Road, Manchester  ")
    with unit_of_work(session_factory) as session:
        order = change_shipping_address(session, ADA, ADA_FRESH, change, ACTOR, NOW)
    assert order.shipping_address == "22 New Road, Manchester"
    with pytest.raises(RuleViolation, match="only change before it ships"):
        with unit_of_work(session_factory) as session:
            change_shipping_address(session, ADA, ADA_SHIPPED, change, ACTOR, NOW)
    with unit_of_work(session_factory) as session:
        assert session.get(Order, ADA_FRESH).shipping_address == "22 New Road, Manchester"
        assert session.get(Order, ADA_SHIPPED).shipping_address == "1 Example Street, London"
        actions = session.execute(select(AuditEntry.action)).scalars().all()
        assert actions == [audit.CHANGE_SHIPPING_ADDRESS]


def test_refund_defaults_to_what_is_left(session_factory):
    # 100.00 total, 20.00 requested before; the rejected 50.00 does not count.
    request = schemas.RefundRequest(reason="arrived broken")
    with unit_of_work(session_factory) as session:
        refund = request_refund(session, ADA, ADA_DELIVERED, request, ACTOR, NOW)
    assert refund.amount == Decimal("80.00")
    assert (refund.status, refund.currency, refund.order_id) == ("requested", "EUR", ADA_DELIVERED)
    assert refund.id.startswith("RF-") and len(refund.id) == 9
    with unit_of_work(session_factory) as session:
        stored = session.get(Refund, refund.id)
        entry = session.execute(select(AuditEntry)).scalar_one()
    assert stored.amount == Decimal("80.00")
    assert (entry.action, entry.resource) == (audit.REQUEST_REFUND, refund.id)


def test_refund_over_what_is_left_is_refused(session_factory):
    request = schemas.RefundRequest(amount=Decimal("80.01"), reason="broken")
    with unit_of_work(session_factory) as session:
        with pytest.raises(RuleViolation, match="at most 80.00"):
            request_refund(session, ADA, ADA_DELIVERED, request, ACTOR, NOW)


def test_refund_after_full_refund_is_refused(session_factory):
    with unit_of_work(session_factory) as session:
        request_refund(session, ADA, ADA_DELIVERED, schemas.RefundRequest(reason="all"), ACTOR, NOW)
    with unit_of_work(session_factory) as session:
        with pytest.raises(RuleViolation, match="refunded in full"):
            request_refund(
                session,
                ADA,
                ADA_DELIVERED,
                schemas.RefundRequest(amount=Decimal("1"), reason="more"),
                ACTOR,
                NOW,
            )


@pytest.mark.parametrize(
    "order_id, now, reason",
    [
        (ADA_DELIVERED_LONG_AGO, NOW, "30-day refund window"),
        (ADA_DELIVERED, NOW + timedelta(days=26), "30-day refund window"),
        (ADA_SHIPPED, NOW, "refunds are for delivered orders"),
    ],
)
def test_refund_outside_the_rules_is_refused(session_factory, order_id, now, reason):
    request = schemas.RefundRequest(amount=Decimal("1.00"), reason="broken")
    with unit_of_work(session_factory) as session:
        with pytest.raises(RuleViolation, match=reason):
            request_refund(session, ADA, order_id, request, ACTOR, now)
